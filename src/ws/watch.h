/*
 * stdin, stdout and the signal pipe on the client's loop: the input is
 * read with back-pressure, the output waited on until it can take more,
 * and signals become on_signal() calls.
 */
#ifndef CHATCAT_WATCH_H
#define CHATCAT_WATCH_H

#include "loop.h"
#include "ws_types.h"

struct watch {
	struct loop *loop;
	const struct ws_events *ev;  /* on_input, on_output, on_signal */
	void *ud;
	int sig, in, out;         /* the loop's slots, -1 when not watched */
	int input_ended;
	int in_paused;             /* polled for its hang-up only */
	int stopped;              /* the loop is going: no more calls */
};

void watch_init(struct watch *wt, struct loop *loop,
    const struct ws_events *ev, void *ud);
/* Watch the signal pipe (lib/sig.c); -1 after an error. */
int watch_signals(struct watch *wt);
/* Watch fd for input; while paused it is not read at all. */
int watch_input(struct watch *wt, int fd);
void watch_input_pause(struct watch *wt, int pause);
/* Watch fd (non-blocking) for room to write, and for its reader leaving. */
int watch_output(struct watch *wt, int fd);
/* Ask for one on_output() call when the output can take more. */
void watch_output_wait(struct watch *wt);
/*
 * The loop is about to be destroyed: the default signal handlers are
 * back, and the owner hears nothing more.
 */
void watch_stop(struct watch *wt);

#endif
