/*
 * Timers on lws' loop.  The loop is woken after each expiry, in case the
 * owner changed what it waits for (otherwise poll() may sleep ~20 s).
 */
#include <config.h>

#include <string.h>

#include "timers.h"

void
timers_init(struct timers *t, struct lws_context *ctx,
    void (*expired)(void *ud, int id), void *ud)
{
	int i;

	memset(t, 0, sizeof(*t));
	t->ctx = ctx;
	t->expired = expired;
	t->ud = ud;
	for (i = 0; i < WS_TIMERS; i++) {
		t->slot[i].t = t;
		t->slot[i].id = i;
	}
}

static void
expired(lws_sorted_usec_list_t *sul)
{
	struct timer_slot *s = (struct timer_slot *)sul;

	s->t->expired(s->t->ud, s->id);
	lws_cancel_service(s->t->ctx);
}

void
timers_set(struct timers *t, int id, double secs)
{
	lws_sul_schedule(t->ctx, 0, &t->slot[id].sul, expired,
	    secs > 0 ? (lws_usec_t)(secs * 1e6) : LWS_SET_TIMER_USEC_CANCEL);
}
