/*
 * pipe --reconnect: what a new connection sends again, and --backfill
 * (chatcat(1), RECONNECTING).
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

#include "lib/random.h"
#include "chat_int.h"
#include "lib/msg.h"

#define DELAY_FIRST 0.5     /* seconds: the first backoff's ceiling ... */
#define DELAY_MAX 30.0      /* ... doubling up to this */

int
resume_keep(struct request *r, const char *frame, size_t len)
{
	r->frame = malloc(len > 0 ? len : 1);
	if (r->frame == NULL)
		return -1;
	memcpy(r->frame, frame, len);
	r->frame_len = len;
	return 0;
}

void
resume_drop(struct request *r)
{
	free(r->frame);
	r->frame = NULL;
}

int
resume_filter(struct chat *c, struct request *r, const struct json_info *fi)
{
	(void)c;
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

void
resume_backfill_done(struct chat *c, const struct request *r)
{
	if (!r->anchor_seen)
		msg_warn("thread %s: the message whose reply was cut off is"
		    " not in the history: the reply is lost", r->thread);
	else if (!r->reply_seen)
		msg_warn("thread %s: the history holds no finished reply to"
		    " the message whose reply was cut off (it may still be"
		    " running, or was interrupted)", r->thread);
	else
		return;
	c->cut = 1;
}

/* Send a request (and its fence) on the new connection. */
static void
send_again(struct chat *c, struct request *r, const char *frame,
    size_t len)
{
	ev_begin(c->events, "sent");
	ev_str(c->events, "kind", chat_kind_name(r->kind));
	ev_str(c->events, "thread", r->thread);
	ev_bool(c->events, "again", 1);
	ev_end(c->events);
	ws_send_text(c->ws, frame, len);
	chat_send_fence(c, r);
}

void
resume_resend(struct chat *c)
{
	struct buf h = { 0 };
	size_t i, n = c->rcount, kept = 0;

	fence_forget(&c->fences);
	for (i = 0; i < n; i++) {
		struct request *r = chat_request(c, i);

		if (r->kind == REQ_MESSAGE && (r->received || r->started)) {
			if (!c->o->backfill || r->anchor[0] == '\0') {
				msg_warn("thread %s: a reply was cut off by the"
				    " drop%s", r->thread, !c->o->backfill ?
				    " (--backfill finishes it from the"
				    " history)" : " and has no message id to"
				    " find it in the history");
				c->cut = 1;
				resume_drop(r);
				continue;
			}
			r->kind = REQ_BACKFILL;
		}
		if (r->kind == REQ_BACKFILL) {
			r->anchor_seen = r->reply_seen = 0;
			h.len = 0;
			if (input_history(&h, r->thread) == -1) {
				msg_error("out of memory");
				c->cut = 1;
				resume_drop(r);
				continue;
			}
			msg_info("thread %s: asking the history for the cut"
			    " reply", r->thread);
			send_again(c, r, h.p, h.len);
		} else {
			if (r->kind == REQ_HISTORY)
				r->skip = r->passed;
			send_again(c, r, r->frame, r->frame_len);
		}
		*chat_request(c, kept++) = *r;
	}
	c->rcount = kept;
	buf_free(&h);
}

double
resume_delay(unsigned failures)
{
	double ceiling = DELAY_FIRST;
	uint32_t r = 0;

	while (failures-- > 0 && ceiling < DELAY_MAX)
		ceiling *= 2;
	if (ceiling > DELAY_MAX)
		ceiling = DELAY_MAX;
	/* "Full jitter": anywhere from 0 to the ceiling. */
	if (random_bytes(&r, sizeof(r)) == -1)
		r = UINT32_MAX / 2;
	return ceiling * ((double)r / 4294967296.0);
}
