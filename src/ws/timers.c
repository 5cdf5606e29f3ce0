/*
 * Timers on the client's loop (loop.c), by id.
 */
#include <config.h>

#include <string.h>

#include "timers.h"

void
timers_init(struct timers *t, struct loop *loop,
    void (*expired)(void *ud, int id), void *ud)
{
	int i;

	memset(t, 0, sizeof(*t));
	t->loop = loop;
	t->expired = expired;
	t->ud = ud;
	for (i = 0; i < WS_TIMERS; i++) {
		t->slot[i].t = t;
		t->slot[i].id = i;
	}
}

static void
expired(struct loop_timer *lt)
{
	struct timer_slot *s = (struct timer_slot *)lt;

	s->t->expired(s->t->ud, s->id);
}

void
timers_set(struct timers *t, int id, double secs)
{
	if (secs > 0)
		loop_timer_set(t->loop, &t->slot[id].lt, expired,
		    (loop_usec)(secs * 1e6));
	else
		loop_timer_cancel(t->loop, &t->slot[id].lt);
}
