/*
 * The completion rules (chatcat(1), COMPLETION).
 *
 * Every request sent is kept until it is complete.  A frame belongs to
 * the oldest pending request of the thread it names; a frame that names
 * no thread (a greeting, a notice) answers no request.  On a server that
 * answers one frame at a time, replayed history frames come before the
 * next request's answer.  Only evidence the server gives completes a
 * request:
 * - a message: a frame of its reply with "status" "complete" or "end" or
 *   "type" "completion" (never a "user" frame), or the answer to the
 *   fence sent after it.  A fence answered before any reply frame means
 *   the server moved on without answering: "no reply", a failure.  Once
 *   the server has acknowledged a message (message_received) it has shown
 *   that it signals completion, and its fence's answer ends nothing;
 * - a history: "history_end", or its fence's answer;
 * - either: an error frame answering it (exit status 1);
 * - with --idle only: that much silence once its answer has begun (a
 *   last resort that the run reports, with its own exit status).
 * Fences are sent by default until the server has shown that it signals
 * the end of that kind of request.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/msg.h"
#include "retry.h"
#include "rules.h"

/* How a request is named in a message: "stdin:LINE: " for pipe. */
static void
req_where(const struct request *r, char *out, size_t size)
{
	if (r->line > 0)
		snprintf(out, size, "stdin:%lu: ", r->line);
	else
		out[0] = '\0';
}

static void
verdict_complete(struct verdict *v, size_t i, const char *rule)
{
	v->complete = (long)i;
	v->rule = rule;
	v->progress = 1;
}

int
rules_want_fence(const struct rules *ru, int kind)
{
	if (ru->fence_mode >= 0)  /* --fence, --no-fence */
		return ru->fence_mode;
	if (ru->side_by_side)
		return 0;  /* its fences prove nothing */
	return kind == REQ_MESSAGE ? !ru->signals_msg : !ru->signals_hist;
}

/* A fence: a frame of a type no server knows, whose error answer, on a
 * server that answers one frame at a time, follows r's answer. */
int
rules_fence(struct rules *ru, struct request *r, char *frame, size_t size)
{
	r->fence[0] = '\0';
	return rules_want_fence(ru, r->kind) &&
	    fence_new(r->fence, frame, size) == 0;
}

void
rules_remove(struct rules *ru, size_t i)
{
	struct request *r = pending_at(&ru->pending, i);

	if (r->fence[0] != '\0')
		fence_stale_add(&ru->fences, r->fence);
	pending_remove(&ru->pending, i);
}

int
rules_in_progress(struct rules *ru)
{
	size_t i;

	for (i = 0; i < ru->pending.count; i++) {
		const struct request *r = pending_at(&ru->pending, i);

		if (r->kind == REQ_MESSAGE ? r->started : r->got > 0)
			return 1;
	}
	return 0;
}

void
rules_free(struct rules *ru)
{
	pending_free(&ru->pending);
	fence_free(&ru->fences);
}

/* Whether a frame names r's thread (absent: lenient, for acks). */
static int
same_thread(const struct json_info *fi, const struct request *r,
    int lenient)
{
	if (!fi->thread_id.present)
		return lenient;
	return fi->thread_id.is_string && fi->thread_id.len == UUID_LEN &&
	    strncasecmp(fi->thread_id.p, r->thread, UUID_LEN) == 0;
}

/* The oldest pending request of the thread a frame names (histories
 * only, with history), or -1. */
static long
req_oldest(struct rules *ru, const struct json_info *fi, int history)
{
	size_t i;

	for (i = 0; i < ru->pending.count; i++) {
		struct request *r = pending_at(&ru->pending, i);

		if ((!history || r->kind == REQ_HISTORY ||
		    r->kind == REQ_BACKFILL) && same_thread(fi, r, 0))
			return (long)i;
	}
	return -1;
}

/* The answer to request i's fence came. */
static void
fence_answered(struct rules *ru, size_t i, struct verdict *v)
{
	struct request *r = pending_at(&ru->pending, i);
	char where[48];

	r->fence[0] = '\0';
	if (r->kind == REQ_MESSAGE && r->received) {
		/* Answered before the acknowledged reply's end: this server
		 * answers frames side by side, so no fence proves anything
		 * from now on; it signals the end of replies itself. */
		if (!ru->side_by_side)
			msg_info("the server answered a fence before the end of"
			    " a reply: fences end nothing from now on");
		ru->side_by_side = 1;
		return;
	}
	if (ru->side_by_side)
		return;
	if (r->kind == REQ_MESSAGE && !r->started) {
		req_where(r, where, sizeof(where));
		msg_error("%sno reply: the server answered the fence sent"
		    " after the message, but not the message", where);
		v->no_reply = 1;
		verdict_complete(v, i, "no reply");
		return;
	}
	msg_info("the fence came back: complete");
	verdict_complete(v, i, "fence");
}

/* The pending request whose fence is named fence, or -1. */
static long
req_fenced(struct rules *ru, const char *fence)
{
	size_t i;

	for (i = 0; i < ru->pending.count; i++) {
		const char *f = pending_at(&ru->pending, i)->fence;

		if (fence == NULL ? f[0] != '\0' :
		    memcmp(f, fence, FENCE_LEN + 1) == 0)
			return (long)i;
	}
	return -1;
}

/* Whether an error frame answers a fence, and then act on it: it names
 * one of ours, or says "unknown ... type" without naming one (servers
 * that do not repeat the type): then it answers the oldest fence still
 * out. */
static int
fence_error(struct rules *ru, const char *m, struct verdict *v)
{
	char fence[FENCE_LEN + 1];
	const char *p;
	long i;
	int named = 0;

	for (p = m; fence_named(&p, fence);) {
		named = 1;
		/* Fences whose request completed first are the usual case
		 * where the server signals; then pending ones. */
		if (fence_stale_take(&ru->fences, fence))
			return 1;
		if ((i = req_fenced(ru, fence)) >= 0) {
			fence_answered(ru, (size_t)i, v);
			return 1;
		}
	}
	if (named || strcasestr(m, "unknown") == NULL ||
	    strcasestr(m, "type") == NULL ||
	    fence_other_named(&ru->fences, m, 0))
		return 0;
	if (fence_stale_pop(&ru->fences))
		return 1;
	if ((i = req_fenced(ru, NULL)) >= 0) {
		fence_answered(ru, (size_t)i, v);
		return 1;
	}
	return 0;
}

/* An error frame: a fence's answer, or a request that failed. */
static void
error_frame(struct rules *ru, const struct json_info *fi, struct verdict *v)
{
	struct buf m = { 0 };
	char shown[512];
	int answers_other;
	long i;

	if (fi->message.is_string && json_span_text(&fi->message, &m) == -1)
		buf_free(&m);
	if (m.p != NULL && fence_error(ru, m.p, v)) {
		buf_free(&m);
		return;
	}
	v->print = 1;
	msg_escape(shown, sizeof(shown), m.p ? m.p : "(no message)",
	    m.p ? m.len : 12, 400, 1);
	msg_error("server error: %s", shown);
	v->server_error = 1;
	answers_other = m.p != NULL && fence_other_named(&ru->fences, m.p, 1);
	buf_free(&m);
	if (answers_other)
		return;  /* it answers a value of another type */
	/* It answers the oldest request of the thread it names; one that
	 * names none answers the oldest of all. */
	if (fi->thread_id.present)
		i = req_oldest(ru, fi, 0);
	else
		i = ru->pending.count > 0 ? 0 : -1;
	if (i >= 0)
		verdict_complete(v, (size_t)i, "error");
}

/* message_received: the oldest message of its thread not yet
 * acknowledged is; the server has shown it signals completion. */
static void
received_frame(struct rules *ru, const struct json_info *fi)
{
	size_t i;

	for (i = 0; i < ru->pending.count; i++) {
		struct request *r = pending_at(&ru->pending, i);

		if (r->kind != REQ_MESSAGE || r->received ||
		    !same_thread(fi, r, 1))
			continue;
		r->received = 1;
		ru->signals_msg = 1;
		if (fi->id.is_string && fi->id.len > 0 &&
		    fi->id.len < sizeof(r->anchor) &&
		    memchr(fi->id.p, '\\', fi->id.len) == NULL) {
			memcpy(r->anchor, fi->id.p, fi->id.len);
			r->anchor[fi->id.len] = '\0';
		}
		return;
	}
}

/* The rule a frame of a message's reply completes it by, or NULL. */
static const char *
end_rule(const struct json_info *fi)
{
	if (json_span_eq(&fi->status, "complete"))
		return "status complete";
	if (json_span_eq(&fi->status, "end"))
		return "status end";
	if (json_span_eq(&fi->type, "completion"))
		return "type completion";
	return NULL;
}

/* Any other frame: part of the answer to the request it belongs to. */
static void
answer_frame(struct rules *ru, const struct json_info *fi,
    struct verdict *v)
{
	long i = req_oldest(ru, fi, 0);
	struct request *r = i >= 0 ? pending_at(&ru->pending, (size_t)i) :
	    NULL;
	const char *rule;

	/* A history asked again skips what was printed; a backfill what
	 * comes before the cut message. */
	v->print = r == NULL || !retry_filter(r, fi);
	if (r == NULL)
		return;
	r->got++;
	v->progress = 1;
	if (v->print && r->kind == REQ_MESSAGE &&
	    !json_span_eq(&fi->type, "user") &&
	    !json_span_eq(&fi->role, "user")) {
		r->started = 1;
		if ((rule = end_rule(fi)) != NULL)
			verdict_complete(v, (size_t)i, rule);
	}
}

void
rules_frame(struct rules *ru, const struct json_info *fi, struct verdict *v)
{
	long i;

	memset(v, 0, sizeof(*v));
	v->complete = -1;
	if (json_span_eq(&fi->type, "error")) {
		error_frame(ru, fi, v);
	} else if (json_span_eq(&fi->type, "history_end")) {
		if ((i = req_oldest(ru, fi, 1)) < 0) {
			v->print = 1;  /* answers nothing */
			return;
		}
		ru->signals_hist = 1;
		verdict_complete(v, (size_t)i, "history_end");  /* not printed */
	} else if (json_span_eq(&fi->type, "message_received")) {
		received_frame(ru, fi);
		v->print = 1;  /* part of no reply */
	} else if (json_span_eq(&fi->type, "ping")) {
		v->print = 1;
	} else {
		answer_frame(ru, fi, v);
	}
}
