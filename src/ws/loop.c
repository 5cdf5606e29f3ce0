/*
 * The client's poll(2) loop (loop.h).  A handful of descriptors and
 * timers: fixed slots and a short list, scanned.
 */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>

#include "lib/msg.h"
#include "loop.h"

loop_usec
loop_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (loop_usec)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void
loop_init(struct loop *l)
{
	memset(l, 0, sizeof(*l));
	for (int i = 0; i < LOOP_FDS; i++)
		l->slot[i].fd = -1;
}

int
loop_add(struct loop *l, int fd, short events, loop_fd_cb cb, void *ud)
{
	for (int i = 0; i < LOOP_FDS; i++) {
		struct loop_slot *s = &l->slot[i];

		if (s->fd != -1)
			continue;
		s->fd = fd;
		s->events = events;
		s->paused = 0;
		s->gen++;
		s->cb = cb;
		s->ud = ud;
		return i;
	}
	msg_error("too many descriptors for the event loop");
	return -1;
}

void
loop_events(struct loop *l, int id, short events)
{
	if (id >= 0)
		l->slot[id].events = events;
}

void
loop_pause(struct loop *l, int id, int paused)
{
	if (id >= 0)
		l->slot[id].paused = paused;
}

void
loop_remove(struct loop *l, int id)
{
	if (id < 0)
		return;
	l->slot[id].fd = -1;
	l->slot[id].gen++;
}

void
loop_timer_cancel(struct loop *l, struct loop_timer *t)
{
	struct loop_timer **p;

	if (t->at == 0)
		return;
	for (p = &l->timers; *p != NULL; p = &(*p)->next)
		if (*p == t) {
			*p = t->next;
			break;
		}
	t->at = 0;
	t->next = NULL;
}

void
loop_timer_set(struct loop *l, struct loop_timer *t,
    void (*fire)(struct loop_timer *t), loop_usec delay)
{
	loop_timer_cancel(l, t);
	t->fire = fire;
	t->at = loop_now() + (delay > 0 ? delay : 0);
	if (t->at == 0)
		t->at = 1;
	t->seq = ++l->seq;
	t->next = l->timers;
	l->timers = t;
}

/* Milliseconds until the first timer (rounded up), -1 with none. */
static int
poll_timeout(const struct loop *l)
{
	loop_usec first = 0, now, d;

	for (const struct loop_timer *t = l->timers; t != NULL; t = t->next)
		if (first == 0 || t->at < first)
			first = t->at;
	if (first == 0)
		return -1;
	now = loop_now();
	if (first <= now)
		return 0;
	d = (first - now + 999) / 1000;
	return d > 60000 ? 60000 : (int)d;
}

/*
 * Fire the timers due now that were armed before this round (a timer
 * re-armed by its own callback waits for the next one), earliest first.
 */
static void
fire_timers(struct loop *l)
{
	loop_usec now = loop_now();
	uint64_t round = l->seq;

	for (;;) {
		struct loop_timer *due = NULL;

		for (struct loop_timer *t = l->timers; t != NULL; t = t->next)
			if (t->at <= now && t->seq <= round &&
			    (due == NULL || t->at < due->at))
				due = t;
		if (due == NULL)
			return;
		loop_timer_cancel(l, due);
		due->fire(due);
	}
}

int
loop_once(struct loop *l)
{
	struct pollfd pfd[LOOP_FDS];
	unsigned gen[LOOP_FDS];
	int id[LOOP_FDS], n = 0, r;

	for (int i = 0; i < LOOP_FDS; i++) {
		if (l->slot[i].fd == -1 || l->slot[i].paused)
			continue;
		pfd[n].fd = l->slot[i].fd;
		pfd[n].events = l->slot[i].events;
		pfd[n].revents = 0;
		gen[n] = l->slot[i].gen;
		id[n++] = i;
	}
	r = poll(pfd, (nfds_t)n, poll_timeout(l));
	if (r == -1 && errno != EINTR) {
		msg_error("poll: %s", strerror(errno));
		return -1;
	}
	/* What has arrived first: a reply sitting in the socket when the
	 * process resumes from a stop is read before its idle timer fires. */
	for (int i = 0; r > 0 && i < n; i++) {
		struct loop_slot *s = &l->slot[id[i]];

		/* Gone or replaced since the poll: not for it. */
		if (pfd[i].revents == 0 || s->gen != gen[i] || s->fd == -1)
			continue;
		s->cb(s->ud, s->fd, pfd[i].revents);
	}
	fire_timers(l);
	return 0;
}
