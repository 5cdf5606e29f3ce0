/*
 * stdin, stdout and the signal pipe, adopted into libwebsockets' loop as
 * raw files: the input is read with back-pressure, the output waited on
 * until it can take more, and signals become on_signal() calls.  The loop's
 * callback hands this module the raw-file events.
 */
#ifndef CHATCAT_WATCH_H
#define CHATCAT_WATCH_H

#include <libwebsockets.h>

#include "ws_types.h"

struct watch {
	struct lws_vhost *vh;
	const char *protocol;     /* the loop's protocol, for adopted files */
	const struct ws_events *ev;  /* on_input, on_output, on_signal */
	void *ud;
	struct lws *in, *out;     /* the watched input and output */
	int input_ended;
	int stopped;              /* the loop is going: no more calls */
};

void watch_init(struct watch *wt, struct lws_vhost *vh, const char *protocol,
    const struct ws_events *ev, void *ud);
/* Watch the signal pipe (lib/sig.c); -1 after an error. */
int watch_signals(struct watch *wt);
/* Watch fd for input; its end is reported even while paused. */
int watch_input(struct watch *wt, int fd);
void watch_input_pause(struct watch *wt, int pause);
/* Watch fd (non-blocking) for room to write. */
int watch_output(struct watch *wt, int fd);
/* Ask for one on_output() call when the output can take more. */
void watch_output_wait(struct watch *wt);
/* A raw-file event of the loop; -1 to close the file. */
int watch_event(struct watch *wt, struct lws *wsi,
    enum lws_callback_reasons reason);
/*
 * The loop is about to be destroyed: the default signal handlers are
 * back, and the owner hears nothing more.
 */
void watch_stop(struct watch *wt);

#endif
