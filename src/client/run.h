/*
 * A run's state (run.c), shared only with front.c, the calls a front end
 * (chat) makes into it.  Nothing outside src/client/ includes this.
 */
#ifndef CHATCAT_RUN_H
#define CHATCAT_RUN_H

#include "client.h"
#include "events.h"
#include "input.h"
#include "jsonstream.h"
#include "output.h"
#include "requests.h"

struct chat {
	const struct client_config *cfg;
	struct ws *ws;
	struct events *events;   /* --events, or NULL */
	struct output op;        /* stdout */
	struct rules rules;      /* pending requests and what ends them */
	struct retry retry;      /* --reconnect */
	struct requests rq;      /* sending them */
	struct buf frame;        /* a request frame being built */
	struct jstream js;       /* pipe: stdin's values */
	struct input_config input; /* ... and what fills them in */
	unsigned long frames;    /* frames received, numbered from 1 */
	int input_ended;         /* no more requests will be sent */
	int input_paused;
	int opened;              /* the first connection opened */
	int reconnecting;        /* --reconnect: waiting for a new one */
	int cut;                 /* a reply was cut off by a drop */
	int idled;               /* --idle ended a reply */
	int no_reply;            /* a message got no reply before its fence's */
	int done;                /* the run is over: closing */
	int held;                /* chat: the terminal's input is held */
	size_t muted;            /* chat: answers not to print (abandoned) */
	int server_error, bad_input, stdout_failed;
	enum exit_status status;
};

/* Pause or resume the input by the queue, pending requests and holds. */
void run_input_flow(struct chat *c);

/* End the run even while it is closing. */
void run_stop(struct chat *c, enum exit_status st, int code);

/* Write what stdout takes; pause the socket while the reader lags. */
void run_flush(struct chat *c);

#endif
