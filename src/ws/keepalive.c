/*
 * Our keepalive pings on lws' timers (lws_sul); what to do when a pong is
 * late is the owner's (ws_stream.c) decision.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "keepalive.h"

/* No pong in time: the connection is as good as gone. */
static void
pong_due(lws_sorted_usec_list_t *sul)
{
	struct keepalive *k = lws_container_of(sul, struct keepalive,
	    pong_sul);

	k->timed_out(k->ud);
}

/* Every interval: a ping, unless one is still unanswered. */
static void
ping_due(lws_sorted_usec_list_t *sul)
{
	struct keepalive *k = lws_container_of(sul, struct keepalive,
	    ping_sul);
	char p[32];

	lws_sul_schedule(k->ctx, 0, &k->ping_sul, ping_due,
	    (lws_usec_t)(k->interval * 1e6));
	if (k->out)
		return;
	snprintf(p, sizeof(p), "chatcat %u", ++k->seq);
	if (k->ping(k->ud, p, strlen(p)) == -1)
		return;
	k->out = 1;
	k->sent = lws_now_usecs();
	if (k->timeout > 0)
		lws_sul_schedule(k->ctx, 0, &k->pong_sul, pong_due,
		    (lws_usec_t)(k->timeout * 1e6));
}

void
keepalive_start(struct keepalive *k)
{
	if (k->interval > 0)
		lws_sul_schedule(k->ctx, 0, &k->ping_sul, ping_due,
		    (lws_usec_t)(k->interval * 1e6));
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
	lws_sul_cancel(&k->pong_sul);
	k->answered(k->ud, (double)(lws_now_usecs() - k->sent) / 1e6);
}

void
keepalive_pause(struct keepalive *k)
{
	lws_sul_cancel(&k->ping_sul);
}

void
keepalive_stop(struct keepalive *k)
{
	lws_sul_cancel(&k->ping_sul);
	lws_sul_cancel(&k->pong_sul);
	k->out = 0;
}
