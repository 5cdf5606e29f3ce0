/*
 * Frames and the completion rules (chatcat(1), COMPLETION).
 *
 * Every request sent is kept until it is complete.  A frame belongs to
 * the oldest pending request for its thread (the oldest at all when it
 * names none): on a server that answers one frame at a time, replayed
 * history frames come before the next request's answer.  Only evidence
 * the server gives completes a request:
 * - a message: a frame of its reply with "status" "complete" or "end" or
 *   "type" "completion" (never a "user" frame, never while an older
 *   history of its thread is pending), or the answer to the fence sent
 *   after it.  A fence answered before any reply frame means the server
 *   moved on without answering: "no reply", a failure.  Once the server
 *   has acknowledged a message (message_received) it has shown that it
 *   signals completion, and its fence's answer ends nothing;
 * - a history: "history_end", or its fence's answer;
 * - either: an error frame answering it (exit status 1);
 * - with --idle only: that much silence once its answer has begun (a
 *   last resort that is reported, with its own exit status).
 * Fences are sent by default until the server has shown that it signals
 * the end of that kind of request.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "chat_int.h"
#include "lib/json.h"

static struct request *
req_at(struct chat *c, size_t i)
{
	return &c->reqs[(c->rhead + i) % c->rcap];
}

struct request *
chat_request(struct chat *c, size_t i)
{
	return req_at(c, i);
}

static struct request *
req_push(struct chat *c)
{
	if (c->rcount == c->rcap) {
		size_t cap = c->rcap ? c->rcap * 2 : 16, i;
		struct request *n = malloc(cap * sizeof(*n));

		if (n == NULL)
			return NULL;
		for (i = 0; i < c->rcount; i++)
			n[i] = *req_at(c, i);
		free(c->reqs);
		c->reqs = n;
		c->rcap = cap;
		c->rhead = 0;
	}
	c->rcount++;
	return req_at(c, c->rcount - 1);
}

void
chat_free_requests(struct chat *c)
{
	size_t i;

	for (i = 0; i < c->rcount; i++)
		resume_drop(req_at(c, i));
	free(c->reqs);
	c->reqs = NULL;
	c->rcount = c->rcap = 0;
	fence_free(&c->fences);
}

void
chat_finish(struct chat *c, enum exit_status st, int code)
{
	if (c->done)
		return;
	c->done = 1;
	c->status = st;
	ws_timer(c->ws, TIMER_RUN, 0);
	ws_timer(c->ws, TIMER_IDLE, 0);
	ws_close(c->ws, code, "");
}

void
chat_stop(struct chat *c, enum exit_status st, int code)
{
	c->done = 0;
	chat_finish(c, st, code);
}

/* The run is over once no more requests come and none is pending. */
void
chat_check_done(struct chat *c)
{
	if (c->done || !c->input_ended || c->rcount > 0)
		return;
	if (c->o->follow) {
		ws_timer(c->ws, TIMER_IDLE, 0);  /* --follow: go on printing */
		return;
	}
	chat_finish(c, EXIT_DONE, 1000);
}

/* Whether --idle may end r: its answer has begun. */
static int
in_progress(const struct request *r)
{
	return r->kind == REQ_MESSAGE ? r->started : r->got > 0;
}

/* --idle: (re)start the silence clock while an answer is under way. */
static void
arm_idle(struct chat *c)
{
	size_t i;

	if (c->o->idle <= 0 || c->done)
		return;
	for (i = 0; i < c->rcount; i++)
		if (in_progress(req_at(c, i))) {
			ws_timer(c->ws, TIMER_IDLE, c->o->idle);
			return;
		}
	ws_timer(c->ws, TIMER_IDLE, 0);
}

const char *
chat_kind_name(int kind)
{
	return kind == REQ_MESSAGE ? "message" : kind == REQ_HISTORY ?
	    "history" : kind == REQ_BACKFILL ? "backfill" : "other";
}

/* Request i is complete by rule: report it and take it out. */
static void
complete(struct chat *c, size_t i, const char *rule)
{
	struct request *r = req_at(c, i);
	size_t k;

	ev_begin(c->events, "complete");
	ev_str(c->events, "kind", chat_kind_name(r->kind));
	if (r->thread[0] != '\0')
		ev_str(c->events, "thread", r->thread);
	if (r->line > 0)
		ev_int(c->events, "line", (long long)r->line);
	ev_str(c->events, "rule", rule);
	ev_end(c->events);
	if (r->kind == REQ_BACKFILL && (strcmp(rule, "history_end") == 0 ||
	    strcmp(rule, "fence") == 0))
		resume_backfill_done(c, r);
	if (r->fence[0] != '\0')
		fence_stale_add(&c->fences, r->fence);
	resume_drop(r);
	/* Close the gap from the nearer end: usually i is 0. */
	if (i < c->rcount / 2) {
		for (k = i; k > 0; k--)
			*req_at(c, k) = *req_at(c, k - 1);
		c->rhead = (c->rhead + 1) % c->rcap;
	} else {
		for (k = i; k + 1 < c->rcount; k++)
			*req_at(c, k) = *req_at(c, k + 1);
	}
	c->rcount--;
	chat_input_flow(c);
	chat_check_done(c);
	arm_idle(c);
}

/* How a request is named in a message: "stdin:LINE: " for pipe. */
static void
req_where(const struct request *r, char *out, size_t size)
{
	if (r->line > 0)
		snprintf(out, size, "stdin:%lu: ", r->line);
	else
		out[0] = '\0';
}

/* --idle SECS of silence while an answer was under way: everything
 * pending ends, reported (on a serial server a later request's frames
 * may have gone to an earlier one). */
void
chat_idle(struct chat *c)
{
	struct request *r;
	char where[48], more[64] = "";

	if (c->done || c->rcount == 0)
		return;
	r = req_at(c, 0);
	req_where(r, where, sizeof(where));
	if (c->rcount > 1)
		snprintf(more, sizeof(more), " (and %zu more pending)",
		    c->rcount - 1);
	msg_warn("%s%g s without a frame: the %s may be incomplete%s"
	    " (--idle)", where, c->o->idle, r->kind == REQ_MESSAGE ?
	    "reply" : "history", more);
	c->idled = 1;
	while (c->rcount > 0)
		complete(c, 0, "idle");
}

int
chat_want_fence(const struct chat *c, int kind)
{
	if (c->o->fence >= 0)  /* --fence, --no-fence */
		return c->o->fence;
	if (c->side_by_side)
		return 0;  /* its fences prove nothing */
	return kind == REQ_MESSAGE ? !c->signals_msg : !c->signals_hist;
}

/* Send r's fence: a frame of a type no server knows, whose error answer,
 * on a server that answers one frame at a time, follows r's answer. */
void
chat_send_fence(struct chat *c, struct request *r)
{
	char frame[64];

	r->fence[0] = '\0';
	if (chat_want_fence(c, r->kind) &&
	    fence_new(r->fence, frame, sizeof(frame)) == 0)
		ws_send_text(c->ws, frame, strlen(frame));
}

int
chat_send(struct chat *c, const char *frame, size_t len, enum req_kind kind,
    const char *thread, unsigned long line)
{
	struct request *r;
	/* While reconnecting, requests wait in the list for the new one. */
	int sent = ws_send_text(c->ws, frame, len) == 0;

	if (!sent && !c->reconnecting)
		return -1;
	if (kind == REQ_OTHER) {
		fence_other_sent(&c->fences, frame, len);
		return 0;  /* no reply is expected */
	}
	r = req_push(c);
	if (r == NULL) {
		msg_error("out of memory");
		return -1;
	}
	*r = (struct request){ .kind = kind, .line = line };
	snprintf(r->thread, sizeof(r->thread), "%s", thread);
	if (c->o->reconnect && resume_keep(r, frame, len) == -1) {
		c->rcount--;
		msg_error("out of memory");
		return -1;
	}
	if (sent)
		chat_send_fence(c, r);
	return 0;
}

/* Name a frame that cannot be printed: its number and first bytes. */
static void
warn_frame(struct chat *c, const char *what, const char *data, size_t len)
{
	char shown[80];

	msg_escape(shown, sizeof(shown), data, len, 32, 0);
	msg_warn("frame %lu: %s, not printed (%zu bytes: \"%s%s\")", c->frames,
	    what, len, shown, len > 32 ? "..." : "");
}

/* Print a frame: through the filter, as it is, or compacted.  Then
 * --until and --count may end the run. */
static void
print_frame(struct chat *c, const char *data, size_t len,
    const struct json_info *fi)
{
	long outputs = 1;
	int until, loaded = c->filter != NULL &&
	    filter_load(c->filter, data, len, c->frames) == 0;

	if (c->filter != NULL && !loaded)
		c->jq_failed = 1;
	if (filter_has_program(c->filter)) {
		outputs = loaded ? filter_output(c->filter, &c->out) : 0;
		if (outputs < 0) {
			c->jq_failed = 1;
			outputs = 0;
		}
	} else {
		if (fi->has_newline) {
			c->scratch.len = 0;
			if (json_compact(data, len, &c->scratch) == 0) {
				data = c->scratch.p;
				len = c->scratch.len;
			}
		}
		if (out_write(&c->out, data, len) == 0)
			out_write(&c->out, "\n", 1);
	}
	c->outputs += outputs;
	until = loaded ? filter_until(c->filter) : 0;
	if (until < 0)
		c->jq_failed = 1;
	if (until > 0) {
		msg_info("frame %lu: --until holds: done", c->frames);
		chat_finish(c, EXIT_DONE, 1000);
	} else if (c->o->count > 0 && c->outputs >= c->o->count) {
		msg_info("%ld outputs: done", c->outputs);
		chat_finish(c, EXIT_DONE, 1000);
	}
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

/* The request a frame belongs to: the oldest pending message or history
 * of the thread it names, or -1.  A frame that names no thread (a
 * greeting, a notice) answers no request. */
static long
req_oldest(struct chat *c, const struct json_info *fi)
{
	size_t i;

	for (i = 0; i < c->rcount; i++) {
		struct request *r = req_at(c, i);

		if (same_thread(fi, r, 0))
			return (long)i;
	}
	return -1;
}

/* The oldest pending history (or backfill) of the thread a frame names. */
static long
req_history(struct chat *c, const struct json_info *fi)
{
	size_t i;

	for (i = 0; i < c->rcount; i++) {
		struct request *r = req_at(c, i);

		if ((r->kind == REQ_HISTORY || r->kind == REQ_BACKFILL) &&
		    same_thread(fi, r, 0))
			return (long)i;
	}
	return -1;
}

/* The answer to request i's fence came. */
static void
fence_answered(struct chat *c, size_t i)
{
	struct request *r = req_at(c, i);
	char where[48];

	r->fence[0] = '\0';
	if (r->kind == REQ_MESSAGE && r->received) {
		/* Answered before the acknowledged reply's end: this server
		 * answers frames side by side, so no fence proves anything
		 * from now on; it signals the end of replies itself. */
		if (!c->side_by_side)
			msg_info("the server answered a fence before the end of"
			    " a reply: fences end nothing from now on");
		c->side_by_side = 1;
		return;
	}
	if (c->side_by_side)
		return;
	if (r->kind == REQ_MESSAGE && !r->started) {
		req_where(r, where, sizeof(where));
		msg_error("%sno reply: the server answered the fence sent"
		    " after the message, but not the message", where);
		c->no_reply = 1;
		complete(c, i, "no reply");
		return;
	}
	msg_info("the fence came back: complete");
	complete(c, i, "fence");
}

/* Whether an error frame answers a fence, and then act on it: it names
 * one of ours, or says "unknown ... type" without naming one (servers
 * that do not repeat the type): then it answers the oldest fence still
 * out. */
static int
fence_error(struct chat *c, const char *m)
{
	char fence[FENCE_LEN + 1];
	const char *p;
	size_t i;
	int named = 0;

	for (p = m; fence_named(&p, fence);) {
		named = 1;
		/* Fences whose request completed first are the usual case
		 * where the server signals; then pending ones. */
		if (fence_stale_take(&c->fences, fence))
			return 1;
		for (i = 0; i < c->rcount; i++)
			if (memcmp(req_at(c, i)->fence, fence,
			    FENCE_LEN + 1) == 0) {
				fence_answered(c, i);
				return 1;
			}
	}
	if (named || strcasestr(m, "unknown") == NULL ||
	    strcasestr(m, "type") == NULL ||
	    fence_other_named(&c->fences, m, 0))
		return 0;
	if (fence_stale_pop(&c->fences))
		return 1;
	for (i = 0; i < c->rcount; i++)
		if (req_at(c, i)->fence[0] != '\0') {
			fence_answered(c, i);
			return 1;
		}
	return 0;
}

/* An error frame: a fence's answer, or a request that failed. */
static void
error_frame(struct chat *c, const char *data, size_t len,
    const struct json_info *fi)
{
	struct buf m = { 0 };
	char shown[512];
	int answers_other;
	long i;

	if (fi->message.is_string && json_span_text(&fi->message, &m) == -1)
		buf_free(&m);
	if (m.p != NULL && fence_error(c, m.p)) {
		buf_free(&m);
		return;
	}
	print_frame(c, data, len, fi);
	msg_escape(shown, sizeof(shown), m.p ? m.p : "(no message)",
	    m.p ? m.len : 12, 400, 1);
	msg_error("server error: %s", shown);
	c->server_error = 1;
	answers_other = m.p != NULL && fence_other_named(&c->fences, m.p, 1);
	buf_free(&m);
	if (c->done || answers_other)
		return;  /* it answers a value of another type */
	/* It answers the oldest request of the thread it names; one that
	 * names none answers the oldest of all. */
	if (fi->thread_id.present)
		i = req_oldest(c, fi);
	else
		i = c->rcount > 0 ? 0 : -1;
	if (i >= 0)
		complete(c, (size_t)i, "error");
}

/* message_received: the oldest message of its thread not yet
 * acknowledged is; the server has shown it signals completion. */
static void
received_frame(struct chat *c, const struct json_info *fi)
{
	size_t i;

	for (i = 0; i < c->rcount; i++) {
		struct request *r = req_at(c, i);

		if (r->kind != REQ_MESSAGE || r->received ||
		    !same_thread(fi, r, 1))
			continue;
		r->received = 1;
		c->signals_msg = 1;
		if (fi->id.is_string && fi->id.len > 0 &&
		    fi->id.len < sizeof(r->anchor) &&
		    memchr(fi->id.p, '\\', fi->id.len) == NULL) {
			memcpy(r->anchor, fi->id.p, fi->id.len);
			r->anchor[fi->id.len] = '\0';
		}
		return;
	}
}

/* A user turn (history replays): never part of a reply. */
static int
is_user(const struct json_info *fi)
{
	return json_span_eq(&fi->type, "user") ||
	    json_span_eq(&fi->role, "user");
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

void
chat_frame(struct chat *c, const char *data, size_t len, int binary)
{
	struct json_info fi;
	struct request *r;
	const char *rule;
	long i;

	c->frames++;
	if (c->done)
		return;  /* closing: nothing more is printed */
	if (binary) {
		warn_frame(c, "binary frame", data, len);
		return;
	}
	if (json_scan(data, len, &fi) == JSON_INVALID) {
		warn_frame(c, "not JSON", data, len);
		return;
	}
	if (json_span_eq(&fi.type, "error")) {
		error_frame(c, data, len, &fi);
		return;
	}
	if (json_span_eq(&fi.type, "history_end")) {
		if ((i = req_history(c, &fi)) < 0) {
			print_frame(c, data, len, &fi);  /* answers nothing */
			return;
		}
		c->signals_hist = 1;
		complete(c, (size_t)i, "history_end");  /* not printed */
		return;
	}
	if (json_span_eq(&fi.type, "ping") ||
	    json_span_eq(&fi.type, "message_received")) {
		if (json_span_eq(&fi.type, "message_received"))
			received_frame(c, &fi);
		print_frame(c, data, len, &fi);  /* part of no reply */
		return;
	}
	i = req_oldest(c, &fi);
	r = i >= 0 ? req_at(c, (size_t)i) : NULL;
	/* A history asked again skips what was printed; a backfill what
	 * comes before the cut message. */
	if (r != NULL && resume_filter(c, r, &fi)) {
		r->got++;
		arm_idle(c);
		return;
	}
	print_frame(c, data, len, &fi);
	if (c->done || r == NULL)
		return;
	r->got++;
	if (r->kind == REQ_MESSAGE && !is_user(&fi)) {
		r->started = 1;
		if ((rule = end_rule(&fi)) != NULL) {
			complete(c, (size_t)i, rule);
			return;
		}
	}
	arm_idle(c);
}
