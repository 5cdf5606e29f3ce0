/*
 * Sending requests: each request frame goes out with, when the rules want
 * one, its fence, and stays pending (rules.h) until it is complete; on a
 * new connection the pending ones go out again as the reconnect policy
 * (retry.h) plans.  Every request sent is an --events "sent" line.
 */
#ifndef CHATCAT_REQUESTS_H
#define CHATCAT_REQUESTS_H

#include <stddef.h>

#include "events.h"
#include "retry.h"
#include "rules.h"
#include "ws/ws.h"

struct requests {
	struct ws *ws;
	struct rules *rules;
	struct events *events;   /* or NULL */
	int keep;                /* --reconnect: keep each frame */
	int reconnecting;        /* no connection: requests wait for one */
};

/* Send a request (kind REQ_OTHER: a value sent as it is, which expects no
 * reply); line and col: its place on stdin, 0 for the command line.  -1
 * when it could not be sent (reported). */
int requests_send(struct requests *rq, const char *frame, size_t len,
    int kind, const char *thread, unsigned long line, unsigned long col);

/* A new connection: send again what the policy plans (*cut is set when a
 * reply is lost). */
void requests_resend(struct requests *rq, struct retry *rt, int *cut);

#endif
