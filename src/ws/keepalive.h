/*
 * Our keepalive: a ping every --ping-interval, unless one is still
 * unanswered, and the wait of --ping-timeout for its pong.  Payloads are
 * "chatcat N", so that only the answer to our last ping counts.
 */
#ifndef CHATCAT_KEEPALIVE_H
#define CHATCAT_KEEPALIVE_H

#include <stddef.h>

#include "loop.h"

struct keepalive {
	struct loop *loop;
	double interval;        /* seconds between pings, 0 none */
	double timeout;         /* the wait for each pong, 0 forever */
	/* Queue a ping with this payload; -1 if it could not be. */
	int (*ping)(void *ud, const char *payload, size_t len);
	/* Our ping was answered after rtt seconds. */
	void (*answered)(void *ud, double rtt);
	/* No pong in time. */
	void (*timed_out)(void *ud);
	void *ud;
	int out;                /* a ping is waiting for its pong */
	unsigned seq;
	loop_usec sent;
	struct loop_timer ping_timer, pong_timer;
};

/* The connection is open: start pinging (when an interval is set). */
void keepalive_start(struct keepalive *k);
/* A pong arrived with this payload. */
void keepalive_pong(struct keepalive *k, const char *data, size_t len);
/* Closing: no more pings, but a pong is still awaited. */
void keepalive_pause(struct keepalive *k);
/* Stop the timers; a new connection starts with no ping out. */
void keepalive_stop(struct keepalive *k);

#endif
