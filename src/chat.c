/*
 * Frames and the completion rules (chatcat(1), COMPLETION).
 *
 * Every request sent is kept, oldest first, until it is complete.  A
 * frame belongs to the oldest pending request of its kind for its thread
 * (any thread when the frame names none).  A message is complete on a
 * frame with "status" "complete" or "end" or "type" "completion"; a
 * history on "history_end"; either on the error answering its --fence
 * frame.  After --idle seconds without a frame, once a reply has started
 * (a history counts from its request), everything pending is complete.
 * An error frame completes the request it answers and makes the exit
 * status 1.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "chat_int.h"
#include "json.h"
#include "utf8.h"

int
chat_content(const struct options *o, struct buf *b)
{
	size_t len, at;
	char *in;
	int i;

	if (o->ntext == 0 || (o->ntext == 1 && strcmp(o->text[0], "-") == 0)) {
		in = io_read_all(0, "stdin", &len);
		if (in == NULL)
			return -1;
		b->p = in;
		b->len = len;
		b->cap = len + 1;
	} else {
		for (i = 0; i < o->ntext; i++)
			if ((i > 0 && buf_add(b, " ", 1) == -1) ||
			    buf_adds(b, o->text[i]) == -1) {
				msg_error("out of memory");
				return -1;
			}
	}
	if (b->p == NULL && buf_add(b, "", 0) == -1) {
		msg_error("out of memory");
		return -1;
	}
	if (!utf8_valid(b->p, b->len, &at)) {
		msg_error("%s: invalid UTF-8 at byte %zu", o->ntext == 0 ||
		    strcmp(o->text[0], "-") == 0 ? "stdin" : "TEXT", at);
		return -1;
	}
	return 0;
}

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

/* Arm the idle rule when the oldest pending request counts silence. */
static void
arm_idle(struct chat *c)
{
	struct request *r;

	if (c->rcount == 0 || c->done)
		return;
	r = req_at(c, 0);
	if (r->kind == REQ_HISTORY || r->started)
		ws_timer(c->ws, TIMER_IDLE, c->o->idle);
}

/* Requests 0..i are complete. */
static void
complete_upto(struct chat *c, size_t i, const char *rule)
{
	size_t k;

	for (k = 0; k <= i; k++) {
		struct request *r = req_at(c, k);

		ev_begin(c->events, "complete");
		ev_str(c->events, "kind", r->kind == REQ_MESSAGE ? "message" :
		    r->kind == REQ_HISTORY ? "history" : "backfill");
		ev_str(c->events, "thread", r->thread);
		ev_str(c->events, "rule", k == i ? rule : "a later request"
		    " completed");
		ev_end(c->events);
		resume_drop(r);
	}
	c->rhead = (c->rhead + i + 1) % c->rcap;
	c->rcount -= i + 1;
	chat_input_flow(c);
	chat_check_done(c);
	arm_idle(c);
}

void
chat_idle(struct chat *c)
{
	if (c->done || c->rcount == 0)
		return;
	msg_info("%g s without a frame: complete", c->o->idle);
	complete_upto(c, c->rcount - 1, "idle");
}

int
chat_send(struct chat *c, const char *frame, size_t len, enum req_kind kind,
    const char *thread)
{
	struct request *r;
	char fence[64];
	/* While reconnecting, requests wait in the list for the new one. */
	int sent = ws_send_text(c->ws, frame, len) == 0;

	if (!sent && !c->reconnecting)
		return -1;
	if (kind == REQ_OTHER)
		return 0;  /* no reply is expected */
	r = req_push(c);
	if (r == NULL) {
		msg_error("out of memory");
		return -1;
	}
	*r = (struct request){ .kind = kind };
	snprintf(r->thread, sizeof(r->thread), "%s", thread);
	if (c->o->reconnect && resume_keep(r, frame, len) == -1) {
		c->rcount--;
		msg_error("out of memory");
		return -1;
	}
	if (c->o->fence && random_hex(r->fence + 6, 16) == 0) {
		memcpy(r->fence, "fence-", 6);
		snprintf(fence, sizeof(fence), "{\"type\":\"%s\"}", r->fence);
		if (sent)
			ws_send_text(c->ws, fence, strlen(fence));
	}
	if (c->rcount == 1)
		arm_idle(c);
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

/*
 * The pending request of this kind a frame belongs to: the oldest for
 * its thread, or the oldest at all when the frame names no thread.
 */
static int
same_thread(const struct json_info *fi, const struct request *r)
{
	return !fi->thread_id.present || (fi->thread_id.is_string &&
	    fi->thread_id.len == UUID_LEN &&
	    strncasecmp(fi->thread_id.p, r->thread, UUID_LEN) == 0);
}

/* The oldest pending request, of any kind, a frame may belong to. */
static long
req_oldest(struct chat *c, const struct json_info *fi)
{
	size_t i;

	for (i = 0; i < c->rcount; i++)
		if (same_thread(fi, req_at(c, i)))
			return (long)i;
	return -1;
}

static long
req_match(struct chat *c, const struct json_info *fi, enum req_kind kind)
{
	size_t i;

	for (i = 0; i < c->rcount; i++) {
		struct request *r = req_at(c, i);

		if (r->kind != (int)kind && !(kind == REQ_HISTORY &&
		    r->kind == REQ_BACKFILL))
			continue;
		if (same_thread(fi, r))
			return (long)i;
	}
	return -1;
}

/* An error frame: a fence's answer, or a request that failed. */
static void
error_frame(struct chat *c, const char *data, size_t len,
    const struct json_info *fi)
{
	struct buf m = { 0 };
	char shown[512];
	long i;

	if (fi->message.is_string && json_span_text(&fi->message, &m) == -1)
		buf_free(&m);
	for (i = 0; m.p != NULL && (size_t)i < c->rcount; i++) {
		struct request *r = req_at(c, (size_t)i);

		if (r->fence[0] != '\0' && strstr(m.p, r->fence) != NULL) {
			msg_info("the fence came back: complete");
			buf_free(&m);
			complete_upto(c, (size_t)i, "fence");
			return;
		}
	}
	print_frame(c, data, len, fi);
	msg_escape(shown, sizeof(shown), m.p ? m.p : "(no message)",
	    m.p ? m.len : 12, 400, 1);
	msg_error("server error: %s", shown);
	buf_free(&m);
	c->server_error = 1;
	if (c->done)
		return;
	/* It answers the oldest request for its thread, or the oldest. */
	if ((i = req_match(c, fi, REQ_MESSAGE)) < 0 &&
	    (i = req_match(c, fi, REQ_HISTORY)) < 0)
		i = c->rcount > 0 ? 0 : -1;
	if (i >= 0)
		complete_upto(c, (size_t)i, "error");
}

void
chat_frame(struct chat *c, const char *data, size_t len, int binary)
{
	struct json_info fi;
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
	if (json_span_eq(&fi.type, "history_end") &&
	    (i = req_match(c, &fi, REQ_HISTORY)) >= 0) {
		resume_filter(c, req_at(c, (size_t)i), &fi);
		complete_upto(c, (size_t)i, "history_end");  /* not printed */
		return;
	}
	/* A history asked again skips what was printed; a backfill what
	 * comes before the cut message. */
	if ((i = req_oldest(c, &fi)) >= 0 && resume_filter(c,
	    req_at(c, (size_t)i), &fi)) {
		arm_idle(c);
		return;
	}
	print_frame(c, data, len, &fi);
	if (c->done)
		return;
	if ((i = req_match(c, &fi, REQ_MESSAGE)) >= 0) {
		struct request *r = req_at(c, (size_t)i);

		r->acked = 1;
		if (json_span_eq(&fi.type, "message_received") &&
		    fi.id.is_string && fi.id.len > 0 &&
		    fi.id.len < sizeof(r->anchor) &&
		    memchr(fi.id.p, '\\', fi.id.len) == NULL &&
		    r->anchor[0] == '\0') {
			memcpy(r->anchor, fi.id.p, fi.id.len);
			r->anchor[fi.id.len] = '\0';
		}
		if (json_span_eq(&fi.status, "complete") ||
		    json_span_eq(&fi.status, "end") ||
		    json_span_eq(&fi.type, "completion")) {
			complete_upto(c, (size_t)i,
			    json_span_eq(&fi.status, "complete") ?
			    "status complete" : json_span_eq(&fi.status,
			    "end") ? "status end" : "type completion");
			return;
		}
		if (!json_span_eq(&fi.type, "message_received") &&
		    !json_span_eq(&fi.type, "ping"))
			req_at(c, (size_t)i)->started = 1;
	}
	arm_idle(c);
}
