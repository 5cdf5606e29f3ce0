/*
 * Our keepalive pings on the loop's timers; what to do when a pong is
 * late is the owner's (ws_stream.c) decision.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "keepalive.h"

/* No pong in time: the connection is as good as gone. */
static void
pong_due(struct loop_timer *t)
{
	struct keepalive *k = LOOP_TIMER_OWNER(t, struct keepalive,
	    pong_timer);

	k->timed_out(k->ud);
}

/* Every interval: a ping, unless one is still unanswered. */
static void
ping_due(struct loop_timer *t)
{
	struct keepalive *k = LOOP_TIMER_OWNER(t, struct keepalive,
	    ping_timer);
	char p[32];

	loop_timer_set(k->loop, &k->ping_timer, ping_due,
	    (loop_usec)(k->interval * 1e6));
	if (k->out)
		return;
	snprintf(p, sizeof(p), "chatcat %u", ++k->seq);
	if (k->ping(k->ud, p, strlen(p)) == -1)
		return;
	k->out = 1;
	k->sent = loop_now();
	if (k->timeout > 0)
		loop_timer_set(k->loop, &k->pong_timer, pong_due,
		    (loop_usec)(k->timeout * 1e6));
}

void
keepalive_start(struct keepalive *k)
{
	if (k->interval > 0)
		loop_timer_set(k->loop, &k->ping_timer, ping_due,
		    (loop_usec)(k->interval * 1e6));
}

/* A pong: the answer to our ping when it carries its payload. */
void
keepalive_pong(struct keepalive *k, const char *data, size_t len)
{
	char p[32];

	snprintf(p, sizeof(p), "chatcat %u", k->seq);
	if (!k->out || len != strlen(p) || memcmp(data, p, len) != 0)
		return;  /* unsolicited, or an old one */
	k->out = 0;
	loop_timer_cancel(k->loop, &k->pong_timer);
	k->answered(k->ud, (double)(loop_now() - k->sent) / 1e6);
}

void
keepalive_pause(struct keepalive *k)
{
	loop_timer_cancel(k->loop, &k->ping_timer);
}

void
keepalive_stop(struct keepalive *k)
{
	loop_timer_cancel(k->loop, &k->ping_timer);
	loop_timer_cancel(k->loop, &k->pong_timer);
	k->out = 0;
}
