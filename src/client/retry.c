/*
 * pipe --reconnect and --backfill (chatcat(1), RECONNECTING).
 *
 * Every request is kept until it is complete.  On a new connection, in
 * the order they were read: a message nothing has answered is sent again
 * (at least once: the server may have stored it just before the drop); a
 * history is asked for again and as many of its frames as were already
 * printed are skipped; a message the server had acknowledged or begun to
 * answer is not sent again.  Its reply is cut off: with --backfill its
 * thread's history is asked for and what follows the message there is
 * printed; without, the cut is reported.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "lib/buf.h"
#include "lib/msg.h"
#include "lib/random.h"
#include "retry.h"

#define DELAY_FIRST 0.5     /* seconds: the first backoff's ceiling ... */
#define DELAY_MAX 30.0      /* ... doubling up to this */
#define BACKOFF_RESET_S 5   /* open this long: the backoff starts again */

int
retry_worth(const struct ws_end *e)
{
	switch (e->outcome) {
	case WS_OK:
		return e->by_peer && (e->code == 1000 || e->code == 1001 ||
		    e->code == 1006 || (e->code >= 1011 && e->code <= 1013));
	case WS_ERR_CONNECT:
	case WS_ERR_LOST:
		return 1;
	case WS_ERR_UPGRADE:
		return e->http_status == 408 || e->http_status == 429 ||
		    e->http_status >= 500;
	default:
		return 0;
	}
}

void
retry_opened(struct retry *rt)
{
	clock_gettime(CLOCK_MONOTONIC, &rt->open_since);
}

/* The next delay: "full jitter", anywhere from 0 to a ceiling that
 * doubles with each failure. */
static double
delay_for(unsigned failures)
{
	double ceiling = DELAY_FIRST;
	uint32_t r = 0;

	while (failures-- > 0 && ceiling < DELAY_MAX)
		ceiling *= 2;
	if (ceiling > DELAY_MAX)
		ceiling = DELAY_MAX;
	if (random_bytes(&r, sizeof(r)) == -1)
		r = UINT32_MAX / 2;
	return ceiling * ((double)r / 4294967296.0);
}

int
retry_next(struct retry *rt, const struct ws_end *end, double *delay,
    char *cause, size_t size)
{
	char reason[256];

	if (!rt->cfg.on || !retry_worth(end))
		return 0;
	/* A connection that lasted resets the backoff; one closed at once
	 * counts as a failed attempt (no tight loop of short connections). */
	if (rt->open_since.tv_sec != 0) {
		struct timespec now;

		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - rt->open_since.tv_sec >= BACKOFF_RESET_S)
			rt->failures = 0;
		rt->open_since.tv_sec = 0;
	}
	if (rt->cfg.tries > 0 &&
	    rt->failures >= (unsigned long)rt->cfg.tries) {
		msg_error("giving up after %u failed attempts to reconnect",
		    rt->failures);
		return 0;
	}
	if (end->why[0] != '\0') {
		snprintf(cause, size, "%s", end->why);
	} else {
		msg_escape(reason, sizeof(reason), end->reason,
		    strlen(end->reason), 125, 1);
		snprintf(cause, size, "the server closed the connection (%d%s%s)",
		    end->code, reason[0] ? " " : "", reason);
	}
	*delay = delay_for(rt->failures);
	rt->failures++;
	return 1;
}

/* A message whose reply was cut: as a backfill history, or dropped. */
static int
plan_cut(struct retry *rt, struct request *r, int *cut)
{
	struct buf h = { 0 };

	if (!rt->cfg.backfill || r->anchor[0] == '\0') {
		msg_warn("thread %s: a reply was cut off by the drop%s",
		    r->thread, !rt->cfg.backfill ? " (--backfill finishes it"
		    " from the history)" : " and has no message id to find it"
		    " in the history");
		*cut = 1;
		return -1;
	}
	if (input_history(&h, r->thread) == -1) {
		msg_error("out of memory");
		buf_free(&h);
		*cut = 1;
		return -1;
	}
	request_drop(r);
	r->frame = h.p;  /* the request's frame is now its history's */
	r->frame_len = h.len;
	r->kind = REQ_BACKFILL;
	return 0;
}

void
retry_plan(struct retry *rt, struct pending *p, int *cut)
{
	size_t i, n = p->count, kept = 0;

	for (i = 0; i < n; i++) {
		struct request *r = pending_at(p, i);

		if (r->kind == REQ_MESSAGE && (r->received || r->started) &&
		    plan_cut(rt, r, cut) == -1) {
			request_drop(r);
			continue;
		}
		if (r->kind == REQ_BACKFILL) {
			r->anchor_seen = r->reply_seen = 0;
			msg_info("thread %s: asking the history for the cut"
			    " reply", r->thread);
		} else if (r->kind == REQ_HISTORY) {
			r->skip = r->passed;
		}
		*pending_at(p, kept++) = *r;
	}
	pending_truncate(p, kept);
}

int
retry_filter(struct request *r, const struct json_info *fi)
{
	if (r->kind == REQ_HISTORY) {
		if (r->skip > 0) {
			r->skip--;
			return 1;
		}
		r->passed++;
		return 0;
	}
	if (r->kind != REQ_BACKFILL)
		return 0;
	if (r->anchor_seen) {
		/* A stored reply after the message that is finished: an
		 * assistant frame whose status, if any, is an end. */
		if (!json_span_eq(&fi->type, "user") &&
		    !json_span_eq(&fi->role, "user") && (!fi->status.present ||
		    json_span_eq(&fi->status, "complete") ||
		    json_span_eq(&fi->status, "end")))
			r->reply_seen = 1;
		return 0;
	}
	if (fi->id.is_string && fi->id.len == strlen(r->anchor) &&
	    memcmp(fi->id.p, r->anchor, fi->id.len) == 0)
		r->anchor_seen = 1;
	return 1;  /* the message itself, and what came before it */
}

int
retry_backfill_lost(const struct request *r)
{
	if (!r->anchor_seen)
		msg_warn("thread %s: the message whose reply was cut off is"
		    " not in the history: the reply is lost", r->thread);
	else if (!r->reply_seen)
		msg_warn("thread %s: the history holds no finished reply to"
		    " the message whose reply was cut off (it may still be"
		    " running, or was interrupted)", r->thread);
	else
		return 0;
	return 1;
}
