/*
 * One run of send, history or pipe: the connection, stdin (pipe) and
 * stdout around the rules in chat.c.
 *
 * Flow control, one rule a direction:
 * - stdin -> socket: stdin is paused while more than QUEUE_HIGH bytes
 *   wait for the socket or INFLIGHT_HIGH requests wait for their answers,
 *   and while there is no connection (--reconnect); it goes on when the
 *   socket has taken all but QUEUE_LOW bytes, fewer than INFLIGHT_LOW
 *   requests are pending and there is a connection.
 * - socket -> stdout: a slow reader's data waits in the stdout buffer;
 *   above OUT_HIGH, the socket is no longer read until it is written.
 * Half-closes: stdin's end means no more requests (the run ends when the
 * pending ones are complete); the server's close ends the run (exit 14
 * unless everything was complete and --follow was given); stdout closed
 * by its reader ends the run quietly (close 1001, exit 0).
 */
#include <config.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chat_int.h"
#include "ws/proxy.h"
#include "ws/url.h"

#define QUEUE_HIGH (1024 * 1024)
#define QUEUE_LOW (256 * 1024)
#define INFLIGHT_HIGH 4096
#define INFLIGHT_LOW 1024
#define OUT_HIGH (16 * 1024 * 1024)
#define BACKOFF_RESET_S 5   /* open this long: the backoff starts again */

void
chat_input_flow(struct chat *c)
{
	if (c->input_ended)
		return;
	if (!c->input_paused) {
		if (c->reconnecting || ws_queued(c->ws) > QUEUE_HIGH ||
		    c->rcount >= INFLIGHT_HIGH) {
			c->input_paused = 1;
			ws_input_pause(c->ws, 1);
		}
	} else if (!c->reconnecting && ws_queued(c->ws) <= QUEUE_LOW &&
	    c->rcount < INFLIGHT_LOW) {
		c->input_paused = 0;
		ws_input_pause(c->ws, 0);
	}
}

/* A stdin value or error from the splitter. */
/* --events: a request went out (line 0: from the command line). */
static void
sent_event(struct chat *c, enum req_kind kind, const char *thread,
    unsigned long line, unsigned long col)
{
	ev_begin(c->events, "sent");
	ev_str(c->events, "kind", chat_kind_name(kind));
	if (thread != NULL && thread[0] != '\0')
		ev_str(c->events, "thread", thread);
	if (line > 0) {
		ev_int(c->events, "line", (long long)line);
		ev_int(c->events, "column", (long long)col);
	}
	ev_end(c->events);
}

static void
input_item(void *ud, const struct jstream_item *it)
{
	struct chat *c = ud;
	char thread[UUID_LEN + 1];
	enum req_kind kind;
	const char *why = it->error;

	if (c->input_ended)
		return;  /* --strict stopped reading */
	if (why == NULL && input_frame(&c->input, it->data, it->len,
	    it->is_object, &c->frame, &kind, thread, &why) == 0) {
		if (chat_send(c, c->frame.p, c->frame.len, kind, thread,
		    it->line) == 0)
			sent_event(c, kind, thread, it->line, it->col);
		return;
	}
	msg_error("stdin:%lu:%lu: %s", it->line, it->col, why);
	c->bad_input = 1;
	if (c->o->strict) {
		c->input_ended = 1;
		ws_input_pause(c->ws, 1);
		chat_check_done(c);
	}
}

static void
on_input(void *ud, const char *data, size_t len)
{
	struct chat *c = ud;

	if (len == 0) {
		if (!c->input_ended)
			jstream_end(&c->js, input_item, c);
		c->input_ended = 1;
		chat_check_done(c);
		return;
	}
	if (!c->input_ended && jstream_feed(&c->js, data, len, input_item,
	    c) == -1) {
		msg_error("stdin: out of memory");
		chat_stop(c, EXIT_USAGE, 1000);
		return;
	}
	chat_input_flow(c);
}

/* The socket took everything queued: stdin may go on. */
static void
on_drain(void *ud)
{
	chat_input_flow(ud);
}

static void
on_open(void *ud)
{
	struct chat *c = ud;
	const struct options *o = c->o;
	int r = 0;

	clock_gettime(CLOCK_MONOTONIC, &c->open_since);
	if (c->opened) {
		/* A new connection after a drop (--reconnect). */
		c->reconnecting = 0;
		msg_info("reconnected");
		resume_resend(c);
		chat_input_flow(c);
		chat_check_done(c);
		return;
	}
	c->opened = 1;
	c->frame.len = 0;
	switch (o->command) {
	case CMD_SEND:
		r = input_message(&c->frame, o->thread, o->agent, c->content,
		    c->content_len) == -1 || chat_send(c, c->frame.p,
		    c->frame.len, REQ_MESSAGE, o->thread, 0) == -1;
		if (!r)
			sent_event(c, REQ_MESSAGE, o->thread, 0, 0);
		c->input_ended = 1;
		break;
	case CMD_HISTORY:
		r = input_history(&c->frame, o->thread) == -1 ||
		    chat_send(c, c->frame.p, c->frame.len, REQ_HISTORY,
		    o->thread, 0) == -1;
		if (!r)
			sent_event(c, REQ_HISTORY, o->thread, 0, 0);
		c->input_ended = 1;
		break;
	default:
		r = ws_watch_input(c->ws, 0) == -1 || (c->out.nonblock &&
		    ws_watch_output(c->ws, 1) == -1);
		break;
	}
	if (r)
		chat_stop(c, EXIT_USAGE, 1000);
}

/* stdout is gone or failed: end the run (quietly for EPIPE). */
static void
stdout_failed(struct chat *c)
{
	if (c->stdout_failed)
		return;
	c->stdout_failed = 1;
	if (c->out.state == OUT_CLOSED) {
		chat_stop(c, EXIT_DONE, 1001);
	} else {
		msg_error("stdout: %s", strerror(c->out.error));
		chat_stop(c, EXIT_USAGE, 1001);
	}
}

/* Write what stdout takes; pause the socket while the reader lags. */
static void
flush_out(struct chat *c)
{
	int r = out_flush(&c->out);

	if (r == -1) {
		stdout_failed(c);
		return;
	}
	if (r == 1)
		ws_output_wait(c->ws);
	if (!c->read_paused && out_pending(&c->out) > OUT_HIGH) {
		c->read_paused = 1;
		ws_read_pause(c->ws, 1);
	} else if (c->read_paused && out_pending(&c->out) < OUT_HIGH / 2) {
		c->read_paused = 0;
		ws_read_pause(c->ws, 0);
	}
}

/* After each socket read: hand the frames to the reader. */
static void
on_batch(void *ud)
{
	struct chat *c = ud;

	if (c->out.state != OUT_OK) {
		stdout_failed(c);
		return;
	}
	if (!c->o->buffered || out_pending(&c->out) > OUT_HIGH)
		flush_out(c);
}

static void
on_output(void *ud, int gone)
{
	struct chat *c = ud;

	if (gone) {
		c->out.state = OUT_CLOSED;
		stdout_failed(c);
		return;
	}
	flush_out(c);
}

static void
on_message(void *ud, const char *data, size_t len, int binary)
{
	chat_frame(ud, data, len, binary);
}

static void
on_timer(void *ud, int id)
{
	struct chat *c = ud;

	if (c->done)
		return;
	if (id == TIMER_IDLE) {
		chat_idle(c);
		return;
	}
	msg_error("timed out after %g s%s", c->o->timeout,
	    c->o->command == CMD_SEND && c->rcount > 0 &&
	    !c->reqs[c->rhead].started ? " waiting for the reply" : "");
	chat_finish(c, EXIT_TIMEOUT, 1000);
}

static void
on_signal(void *ud, int sig)
{
	struct chat *c = ud;

	c->input_ended = 1;
	ws_input_pause(c->ws, 1);
	chat_stop(c, sig == SIGINT ? EXIT_SIGINT : EXIT_SIGTERM, 1000);
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

/*
 * --reconnect: after a drop that another connection could mend, try again
 * after a random delay; 1 if a new connection is on its way.
 */
static int
reconnect(struct chat *c, const struct ws_end *end)
{
	char cause[600], reason[256];
	double delay;

	if (!c->o->reconnect || c->done || !end->retry)
		return 0;
	/* A connection that lasted resets the backoff; one closed at once
	 * counts as a failed attempt (no tight loop of short connections). */
	if (c->open_since.tv_sec != 0) {
		struct timespec now;

		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - c->open_since.tv_sec >= BACKOFF_RESET_S)
			c->failures = 0;
		c->open_since.tv_sec = 0;
	}
	if (c->o->reconnect_tries > 0 &&
	    c->failures >= (unsigned long)c->o->reconnect_tries) {
		msg_error("giving up after %u failed attempts to reconnect",
		    c->failures);
		return 0;
	}
	if (end->why[0] != '\0') {
		snprintf(cause, sizeof(cause), "%s", end->why);
	} else {
		msg_escape(reason, sizeof(reason), end->reason,
		    strlen(end->reason), 125, 1);
		snprintf(cause, sizeof(cause), "the server closed the"
		    " connection (%d%s%s)", end->code, reason[0] ? " " : "",
		    reason);
	}
	delay = resume_delay(c->failures);
	c->failures++;
	if (ws_restart(c->ws, delay) == -1)
		return 0;
	msg_info("%s; reconnecting in %.3f s (attempt %u)", cause, delay,
	    c->failures);
	ev_begin(c->events, "reconnect");
	ev_str(c->events, "cause", cause);
	ev_num(c->events, "delay", delay);
	ev_int(c->events, "attempt", c->failures);
	ev_end(c->events);
	c->reconnecting = 1;
	ws_timer(c->ws, TIMER_IDLE, 0);
	chat_input_flow(c);
	return 1;
}

static void
on_end(void *ud, const struct ws_end *end)
{
	struct chat *c = ud;
	char reason[512];

	if (reconnect(c, end))
		return;
	/* Under --reconnect, failures were only reported at -v. */
	if (c->o->reconnect && end->why[0] != '\0')
		msg_error("%s", end->why);
	if (end->outcome == WS_ERR_PROTOCOL) {
		c->status = EXIT_PROTOCOL;
		return;
	}
	if (c->done)
		return;
	c->done = 1;
	if (end->outcome == WS_OK && end->by_peer && c->o->follow &&
	    c->input_ended && c->rcount == 0) {
		msg_info("the server closed the connection (%d)", end->code);
		c->status = EXIT_DONE;
	} else if (end->outcome == WS_OK && end->by_peer) {
		msg_escape(reason, sizeof(reason), end->reason,
		    strlen(end->reason), 125, 1);
		msg_error("the server closed the connection (%d%s%s) before"
		    " the %s was complete", end->code, reason[0] ? " " : "",
		    reason, c->o->command == CMD_SEND ? "reply" :
		    c->o->command == CMD_HISTORY ? "history" : "run");
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
	if (c->server_error)
		return EXIT_SERVER_ERROR;
	if (c->cut)
		return EXIT_LOST;  /* --reconnect: a reply was cut off */
	if (c->no_reply)
		return EXIT_NO_REPLY;
	if (c->idled)
		return EXIT_IDLE;
	if (c->bad_input)
		return EXIT_USAGE;
	if (c->jq_failed)
		return EXIT_JQ_RUNTIME;
	if (filter_has_program(c->filter) && c->o->jq_exit_status &&
	    !filter_last_truthy(c->filter))
		return EXIT_JQ_NO_OUTPUT;
	return EXIT_DONE;
}

/* The connection's settings, from the options and the parsed URL. */
static void
config(const struct options *o, const struct url *u, const struct proxy *p,
    const char *target, const char *display, struct ws_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->url = u;
	cfg->proxy = p->host != NULL ? p : NULL;
	cfg->target = target;
	cfg->display = display;
	cfg->headers = (struct wsp_headers){ .origin = o->origin,
	    .user_agent = o->user_agent, .extra = o->headers,
	    .nextra = o->nheaders };
	cfg->tls = (struct tls_config){ .cacert = o->cacert,
	    .capath = o->capath, .cert = o->cert, .cert_key = o->cert_key,
	    .insecure = o->insecure };
	cfg->connect_timeout = o->connect_timeout;
	cfg->ping_interval = o->ping_interval;
	cfg->ping_timeout = o->ping_timeout;
	cfg->max_frame = o->max_frame;
	cfg->verbose = o->verbose;
	cfg->reconnect = o->reconnect;
}

static const char *
status_name(enum exit_status st)
{
	switch (st) {
	case EXIT_DONE: return "done";
	case EXIT_SERVER_ERROR: return "server error";
	case EXIT_USAGE: return "usage or local input";
	case EXIT_JQ_COMPILE: return "jq filter does not compile";
	case EXIT_JQ_NO_OUTPUT: return "jq -e: last output false, null or none";
	case EXIT_JQ_RUNTIME: return "jq error";
	case EXIT_CONNECT: return "cannot connect";
	case EXIT_TLS: return "TLS failure";
	case EXIT_UPGRADE: return "upgrade refused";
	case EXIT_AUTH: return "authentication rejected";
	case EXIT_LOST: return "connection lost";
	case EXIT_PROTOCOL: return "protocol violation";
	case EXIT_IDLE: return "a reply was ended by --idle";
	case EXIT_NO_REPLY: return "a message got no reply";
	case EXIT_TIMEOUT: return "timed out";
	case EXIT_SIGINT: return "SIGINT";
	case EXIT_SIGTERM: return "SIGTERM";
	}
	return "";
}

enum exit_status
chat_run(const struct options *o, const char *content, size_t content_len,
    struct filter *filter)
{
	static const struct ws_events ev = {
		.on_open = on_open, .on_message = on_message,
		.on_batch = on_batch, .on_timer = on_timer,
		.on_signal = on_signal, .on_end = on_end,
		.on_input = on_input, .on_drain = on_drain,
		.on_output = on_output,
	};
	struct chat c = { .o = o, .filter = filter, .content = content,
	    .content_len = content_len };
	struct url u;
	struct proxy px = { 0 };
	struct ws_config cfg;
	char *target = NULL, *display = NULL;
	enum exit_status st = EXIT_USAGE;
	enum ws_outcome oc;
	int failed = 0;

	if (url_parse(o->url, &u) == -1)
		return EXIT_USAGE;
	if (proxy_choose(&u, o->proxy, o->noproxy, &px) == -1) {
		url_free(&u);
		return EXIT_USAGE;
	}
	jstream_init(&c.js, o->max_frame, o->raw_input);
	c.input = (struct input_config){ .thread = o->thread,
	    .agent = o->agent, .raw = o->raw_input };
	target = url_target(&u, o->cred_kind == CRED_KEY, o->cred);
	display = url_display(&u, o->cred_kind == CRED_KEY);
	if (target == NULL || display == NULL || out_init(&c.out, 1) == -1) {
		msg_error("out of memory");
		goto out;
	}
	c.events = events_open(o->events, (int)o->events_fd, &failed);
	if (failed)
		goto out;
	config(o, &u, &px, target, display, &cfg);
	cfg.events = c.events;
	if (o->thread_made)
		msg_notice("thread %s", o->thread);
	if (o->insecure && u.tls)
		msg_warn("--insecure: the server's certificate is not checked");
	c.ws = ws_new(&cfg, &ev, &c);
	if (c.ws == NULL) {
		st = EXIT_CONNECT;
		goto out;
	}
	if ((oc = ws_connect(c.ws)) != WS_OK) {
		if (o->reconnect)  /* only said at -v so far */
			msg_error("%s", ws_why(c.ws));
		st = outcome_status(oc);
		goto out;
	}
	ws_timer(c.ws, TIMER_RUN, o->timeout);
	ws_run(c.ws);
	st = result(&c);
out:
	ws_free(c.ws);
	out_free(&c.out);
	if (st == EXIT_DONE && c.out.state == OUT_ERROR && !c.stdout_failed) {
		msg_error("stdout: %s", strerror(c.out.error));
		st = EXIT_USAGE;
	}
	ev_begin(c.events, "exit");
	ev_int(c.events, "status", st);
	ev_str(c.events, "reason", status_name(st));
	ev_end(c.events);
	events_close(c.events);
	jstream_free(&c.js);
	chat_free_requests(&c);
	buf_free(&c.frame);
	buf_free(&c.scratch);
	secret_free(target);
	free(display);
	url_free(&u);
	proxy_free(&px);
	return st;
}
