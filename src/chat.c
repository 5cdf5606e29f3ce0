/*
 * Frames and the completion rules.
 *
 * send is complete on (1) a frame for our thread whose status is
 * "complete" or "end" or whose type is "completion", (2) the error that
 * answers our --fence frame, or (3) --idle seconds without a frame once
 * the reply has started.  history is complete on "history_end", the fence,
 * or --idle seconds of silence after the request.  An error frame ends
 * the run with status 1.
 */
#include <config.h>

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "chat.h"
#include "io.h"
#include "json.h"
#include "url.h"
#include "utf8.h"
#include "uuid.h"
#include "ws.h"

enum { TIMER_RUN, TIMER_IDLE };

struct chat {
	const struct options *o;
	struct filter *filter;
	struct ws *ws;
	struct out out;
	struct buf request;
	struct buf scratch;
	char thread[UUID_LEN + 1];
	char fence[40];          /* "fence-" and 32 hex digits, or "" */
	unsigned long frames;    /* frames received, numbered from 1 */
	int started;             /* send: the reply has begun */
	int done;                /* completion reached: closing */
	int jq_failed;
	long outputs;            /* values written, for --count */
	int stdout_failed;       /* a write to stdout failed: reported */
	enum exit_status status;
};

int
chat_request(struct buf *b, const struct options *o, const char *thread,
    const char *content, size_t len)
{
	int r = 0;

	r |= buf_adds(b, o->command == CMD_SEND ?
	    "{\"type\":\"message\",\"thread_id\":\"" :
	    "{\"type\":\"history\",\"thread_id\":\"");
	r |= buf_adds(b, thread);
	if (o->command == CMD_SEND) {
		r |= buf_adds(b, "\",\"agent_id\":");
		if (o->agent != NULL) {
			r |= buf_adds(b, "\"");
			r |= buf_adds(b, o->agent);
			r |= buf_adds(b, "\"");
		} else
			r |= buf_adds(b, "null");
		r |= buf_adds(b, ",\"content\":");
		r |= json_add_string(b, content, len);
		r |= buf_adds(b, "}");
	} else
		r |= buf_adds(b, "\"}");
	return r ? -1 : 0;
}

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

/* Completion reached with status st: close the connection cleanly. */
static void
finish(struct chat *c, enum exit_status st, int code)
{
	if (c->done)
		return;
	c->done = 1;
	c->status = st;
	ws_timer(c->ws, TIMER_RUN, 0);
	ws_timer(c->ws, TIMER_IDLE, 0);
	ws_close(c->ws, code, "");
}

/* Stop now, whatever completion decided before: a signal, stdout gone. */
static void
stop(struct chat *c, enum exit_status st, int code)
{
	c->done = 0;
	finish(c, st, code);
}

static void
on_open(void *ud)
{
	struct chat *c = ud;
	char msg[64];
	uint8_t r[16];
	size_t i;

	if (ws_send_text(c->ws, c->request.p, c->request.len) == -1)
		return;
	if (c->o->fence && uuid_random_bytes(r, sizeof(r)) == 0) {
		strcpy(c->fence, "fence-");
		for (i = 0; i < sizeof(r); i++)
			snprintf(c->fence + 6 + 2 * i, 3, "%02x", r[i]);
		snprintf(msg, sizeof(msg), "{\"type\":\"%s\"}", c->fence);
		ws_send_text(c->ws, msg, strlen(msg));
	}
	/* history: zero frames is a valid answer, so silence counts now. */
	if (c->o->command == CMD_HISTORY)
		ws_timer(c->ws, TIMER_IDLE, c->o->idle);
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

/* Whether the frame's thread_id is ours, or absent. */
static int
our_thread(const struct chat *c, const struct json_info *fi)
{
	if (!fi->thread_id.present)
		return 1;
	return fi->thread_id.is_string && fi->thread_id.len == UUID_LEN &&
	    strncasecmp(fi->thread_id.p, c->thread, UUID_LEN) == 0;
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
		finish(c, EXIT_DONE, 1000);
	} else if (c->o->count > 0 && c->outputs >= c->o->count) {
		msg_info("%ld outputs: done", c->outputs);
		finish(c, EXIT_DONE, 1000);
	}
}

/* An error frame: the fence's answer, or the end of the run. */
static void
error_frame(struct chat *c, const char *data, size_t len,
    const struct json_info *fi)
{
	struct buf m = { 0 };

	if (fi->message.is_string && json_span_text(&fi->message, &m) == -1)
		buf_free(&m);
	if (c->fence[0] != '\0' && m.p != NULL &&
	    strstr(m.p, c->fence) != NULL) {
		msg_info("the fence came back: complete");
		finish(c, EXIT_DONE, 1000);
	} else {
		char shown[512];

		print_frame(c, data, len, fi);
		msg_escape(shown, sizeof(shown), m.p ? m.p : "(no message)",
		    m.p ? m.len : 12, 400, 1);
		msg_error("server error: %s", shown);
		stop(c, EXIT_SERVER_ERROR, 1000);
	}
	buf_free(&m);
}

static void
on_message(void *ud, const char *data, size_t len, int binary)
{
	struct chat *c = ud;
	struct json_info fi;
	int ours;

	c->frames++;
	if (c->done)
		return;  /* after completion: closing, nothing more to print */
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
	ours = our_thread(c, &fi);
	if (c->o->command == CMD_HISTORY) {
		if (ours && json_span_eq(&fi.type, "history_end")) {
			finish(c, EXIT_DONE, 1000);
			return;
		}
		print_frame(c, data, len, &fi);
		if (!c->done)
			ws_timer(c->ws, TIMER_IDLE, c->o->idle);
		return;
	}
	print_frame(c, data, len, &fi);
	if (c->done)
		return;
	if (ours && (json_span_eq(&fi.status, "complete") ||
	    json_span_eq(&fi.status, "end") ||
	    json_span_eq(&fi.type, "completion"))) {
		finish(c, EXIT_DONE, 1000);
		return;
	}
	if (ours && !json_span_eq(&fi.type, "message_received") &&
	    !json_span_eq(&fi.type, "ping"))
		c->started = 1;
	if (c->started)
		ws_timer(c->ws, TIMER_IDLE, c->o->idle);
}

/* After each socket read: hand the frames to the reader. */
static void
on_batch(void *ud)
{
	struct chat *c = ud;

	if (c->out.state == OUT_OK && (c->o->buffered ||
	    out_flush(&c->out) == 0))
		return;
	if (c->stdout_failed)
		return;
	c->stdout_failed = 1;
	if (c->out.state == OUT_CLOSED) {
		/* The reader is done (EPIPE): leave quietly. */
		stop(c, EXIT_DONE, 1001);
	} else {
		msg_error("stdout: %s", strerror(c->out.error));
		stop(c, EXIT_USAGE, 1001);
	}
}

static void
on_timer(void *ud, int id)
{
	struct chat *c = ud;

	if (c->done)
		return;
	if (id == TIMER_IDLE) {
		msg_info("%g s without a frame: complete", c->o->idle);
		finish(c, EXIT_DONE, 1000);
		return;
	}
	msg_error("timed out after %g s%s", c->o->timeout,
	    c->o->command == CMD_SEND && !c->started ?
	    " waiting for the reply" : "");
	finish(c, EXIT_TIMEOUT, 1000);
}

static void
on_signal(void *ud, int sig)
{
	struct chat *c = ud;

	stop(c, sig == SIGINT ? EXIT_SIGINT : EXIT_SIGTERM, 1000);
}

static enum exit_status
outcome_status(enum ws_outcome o)
{
	switch (o) {
	case WS_OK: return EXIT_DONE;
	case WS_ERR_CONNECT: return EXIT_CONNECT;
	case WS_ERR_TLS: return EXIT_TLS;
	case WS_ERR_UPGRADE: return EXIT_UPGRADE;
	case WS_ERR_AUTH: return EXIT_AUTH;
	case WS_ERR_LOST: return EXIT_LOST;
	case WS_ERR_PROTOCOL: return EXIT_PROTOCOL;
	}
	return EXIT_LOST;
}

static void
on_end(void *ud, const struct ws_end *end)
{
	struct chat *c = ud;

	out_flush(&c->out);
	if (end->outcome == WS_ERR_PROTOCOL) {
		c->status = EXIT_PROTOCOL;
		return;
	}
	if (c->done)
		return;
	c->done = 1;
	if (end->outcome == WS_OK && end->by_peer) {
		char reason[512];

		msg_escape(reason, sizeof(reason), end->reason,
		    strlen(end->reason), 125, 1);
		msg_error("the server closed the connection (%d%s%s) before"
		    " the %s was complete", end->code, reason[0] ? " " : "",
		    reason, c->o->command == CMD_SEND ? "reply" : "history");
		c->status = EXIT_LOST;
	} else
		c->status = outcome_status(end->outcome);
}

/* The exit status once the connection is gone. */
static enum exit_status
result(const struct chat *c)
{
	if (c->status != EXIT_DONE)
		return c->status;
	if (c->out.state == OUT_CLOSED)
		return EXIT_DONE;
	if (c->jq_failed)
		return EXIT_JQ_RUNTIME;
	if (c->filter != NULL && c->o->exit_status &&
	    !filter_last_truthy(c->filter))
		return EXIT_JQ_NO_OUTPUT;
	return EXIT_DONE;
}

enum exit_status
chat_run(const struct options *o, const char *content, size_t content_len,
    struct filter *filter)
{
	static const struct ws_events ev = {
		on_open, on_message, on_batch, on_timer, on_signal, on_end
	};
	struct chat c = { .o = o, .filter = filter };
	struct url u;
	struct ws_config cfg = { 0 };
	char *target = NULL, *display = NULL;
	enum exit_status st = EXIT_USAGE;
	enum ws_outcome oc;

	if (url_parse(o->url, &u) == -1)
		return EXIT_USAGE;
	if (o->thread != NULL && o->thread[0] != '\0')
		snprintf(c.thread, sizeof(c.thread), "%s", o->thread);
	else if (uuid_v4(c.thread) == -1) {
		msg_error("cannot make a thread id: no randomness");
		goto out;
	} else
		msg_notice("thread %s", c.thread);
	target = url_target(&u, o->cred_kind, o->cred);
	display = url_display(&u, o->cred_kind);
	if (target == NULL || display == NULL || out_init(&c.out, 1) == -1 ||
	    chat_request(&c.request, o, c.thread, content, content_len) == -1) {
		msg_error("out of memory");
		goto out;
	}
	cfg.url = &u;
	cfg.target = target;
	cfg.display = display;
	cfg.headers = o->headers;
	cfg.nheaders = o->nheaders;
	cfg.cacert = o->cacert;
	cfg.insecure = o->insecure;
	cfg.connect_timeout = o->connect_timeout;
	cfg.max_frame = o->max_frame;
	cfg.verbose = o->verbose;
	if (o->insecure && u.tls)
		msg_warn("--insecure: the server's certificate is not checked");
	c.ws = ws_new(&cfg, &ev, &c);
	if (c.ws == NULL) {
		st = EXIT_CONNECT;
		goto out;
	}
	if ((oc = ws_connect(c.ws)) != WS_OK) {
		st = outcome_status(oc);
		goto out;
	}
	ws_timer(c.ws, TIMER_RUN, o->timeout);
	ws_run(c.ws);
	st = result(&c);
out:
	ws_free(c.ws);
	out_flush(&c.out);
	out_free(&c.out);
	buf_free(&c.request);
	buf_free(&c.scratch);
	free(target);
	free(display);
	url_free(&u);
	return st;
}
