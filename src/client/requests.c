/*
 * Request frames out, and the pending list they join.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "lib/msg.h"
#include "requests.h"

/* Send r's frame and, when the rules want one, its fence; whether the
 * frame went out. */
static int
send_fenced(struct requests *rq, struct request *r, const char *frame,
    size_t len)
{
	char fence[64];
	int sent = ws_send_text(rq->ws, frame, len) == 0;

	if (sent && rules_fence(rq->rules, r, fence, sizeof(fence)))
		ws_send_text(rq->ws, fence, strlen(fence));
	return sent;
}

int
requests_send(struct requests *rq, const char *frame, size_t len, int kind,
    const char *thread, unsigned long line, unsigned long col)
{
	struct pending *p = &rq->rules->pending;
	struct request *r;

	if (kind == REQ_OTHER) {
		if (ws_send_text(rq->ws, frame, len) == -1 && !rq->reconnecting)
			return -1;
		fence_other_sent(&rq->rules->fences, frame, len);
	} else {
		if ((r = pending_push(p)) == NULL) {
			msg_error("out of memory");
			return -1;
		}
		r->kind = kind;
		r->line = line;
		snprintf(r->thread, sizeof(r->thread), "%s", thread);
		if (rq->keep && request_keep(r, frame, len) == -1) {
			pending_truncate(p, p->count - 1);
			msg_error("out of memory");
			return -1;
		}
		/* While reconnecting, requests wait for the new connection. */
		if (!send_fenced(rq, r, frame, len) && !rq->reconnecting) {
			pending_remove(p, p->count - 1);
			return -1;
		}
	}
	event_sent(rq->events, request_kind_name(kind), thread, line, col, 0);
	return 0;
}

void
requests_resend(struct requests *rq, struct retry *rt, int *cut)
{
	struct pending *p = &rq->rules->pending;
	size_t i;

	fence_forget(&rq->rules->fences);
	retry_plan(rt, p, cut);
	for (i = 0; i < p->count; i++) {
		struct request *r = pending_at(p, i);

		event_sent(rq->events, request_kind_name(r->kind), r->thread,
		    0, 0, 1);
		send_fenced(rq, r, r->frame, r->frame_len);
	}
}
