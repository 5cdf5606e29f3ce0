/*
 * One run of send, history or pipe: the connection, stdin (pipe) and
 * stdout around the completion rules (rules.c) and the reconnect policy
 * (retry.c).  The rules and the policy decide; this file acts.
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

#include "client.h"
#include "run.h"
#include "events.h"
#include "input.h"
#include "jsonstream.h"
#include "output.h"
#include "requests.h"
#include "target.h"

#define QUEUE_HIGH (1024 * 1024)
#define QUEUE_LOW (256 * 1024)
#define INFLIGHT_HIGH 4096
#define INFLIGHT_LOW 1024
#define OUT_HIGH (16 * 1024 * 1024)

enum { TIMER_RUN, TIMER_IDLE };

/* Pause or resume stdin (pipe) by the queue and pending requests. */
void
run_input_flow(struct chat *c)
{
	size_t n = c->rules.pending.count;

	if (c->input_ended)
		return;
	if (!c->input_paused) {
		if (c->reconnecting || c->held ||
		    ws_queued(c->ws) > QUEUE_HIGH || n >= INFLIGHT_HIGH) {
			c->input_paused = 1;
			ws_input_pause(c->ws, 1);
		}
	} else if (!c->reconnecting && !c->held &&
	    ws_queued(c->ws) <= QUEUE_LOW && n < INFLIGHT_LOW) {
		c->input_paused = 0;
		ws_input_pause(c->ws, 0);
	}
}

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

/* End the run even while it is closing. */
void
run_stop(struct chat *c, enum exit_status st, int code)
{
	c->done = 0;
	finish(c, st, code);
}

/* The run is over once no more requests come and none is pending. */
static void
check_done(struct chat *c)
{
	if (c->done || !c->input_ended || c->rules.pending.count > 0)
		return;
	if (c->cfg->follow) {
		ws_timer(c->ws, TIMER_IDLE, 0);  /* --follow: go on printing */
		return;
	}
	finish(c, EXIT_DONE, 1000);
}

/* --idle: (re)start the silence clock while an answer is under way. */
static void
arm_idle(struct chat *c)
{
	if (c->cfg->idle <= 0 || c->done)
		return;
	ws_timer(c->ws, TIMER_IDLE, rules_in_progress(&c->rules) ?
	    c->cfg->idle : 0);
}

/* Request i is complete by rule: report it and take it out. */
static void
complete(struct chat *c, size_t i, const char *rule)
{
	struct request *r = pending_at(&c->rules.pending, i);

	event_complete(c->events, request_kind_name(r->kind), r->thread,
	    r->line, rule);
	output_text_end(&c->op, r->kind != REQ_BACKFILL &&
	    c->cfg->command == CLIENT_PIPE);
	if (r->kind == REQ_BACKFILL && (strcmp(rule, "history_end") == 0 ||
	    strcmp(rule, "fence") == 0) && retry_backfill_lost(r))
		c->cut = 1;
	if (c->muted > 0)
		c->muted--;
	rules_remove(&c->rules, i);
	if (c->cfg->front != NULL && c->rules.pending.count == 0) {
		run_flush(c);
		c->cfg->front->settled(c->cfg->front->ud);
	}
	run_input_flow(c);
	check_done(c);
	arm_idle(c);
}

/* --idle SECS of silence while an answer was under way: everything
 * pending ends, reported (on a serial server a later request's frames
 * may have gone to an earlier one). */
static void
idle_expired(struct chat *c)
{
	struct request *r;
	char where[48], more[64] = "";
	size_t n = c->rules.pending.count;

	if (c->done || n == 0)
		return;
	r = pending_at(&c->rules.pending, 0);
	if (n > 1)
		snprintf(more, sizeof(more), " (and %zu more pending)", n - 1);
	where[0] = '\0';
	if (r->line > 0)
		snprintf(where, sizeof(where), "stdin:%lu: ", r->line);
	msg_warn("%s%g s without a frame: the %s may be incomplete%s"
	    " (--idle)", where, c->cfg->idle, r->kind == REQ_MESSAGE ?
	    "reply" : "history", more);
	c->idled = 1;
	while (c->rules.pending.count > 0)
		complete(c, 0, "idle");
}

/* A stdin value or error from the splitter. */
static void
take_item(void *ud, const struct jstream_item *it)
{
	struct chat *c = ud;
	char thread[UUID_LEN + 1];
	enum req_kind kind;

	if (c->input_ended)
		return;  /* --strict stopped reading */
	if (input_item(&c->input, it, &c->frame, &kind, thread) == 0) {
		requests_send(&c->rq, c->frame.p, c->frame.len, kind, thread,
		    it->line, it->col);
		return;
	}
	c->bad_input = 1;
	if (c->cfg->strict) {
		c->input_ended = 1;
		ws_input_pause(c->ws, 1);
		check_done(c);
	}
}

static void
on_input(void *ud, const char *data, size_t len)
{
	struct chat *c = ud;

	if (c->cfg->front != NULL) {
		c->cfg->front->input(c->cfg->front->ud, data, len);
		return;
	}
	if (len == 0) {
		if (!c->input_ended)
			jstream_end(&c->js, take_item, c);
		c->input_ended = 1;
		check_done(c);
		return;
	}
	if (!c->input_ended && jstream_feed(&c->js, data, len, take_item,
	    c) == -1) {
		msg_error("stdin: out of memory");
		run_stop(c, EXIT_USAGE, 1000);
		return;
	}
	run_input_flow(c);
}

/* The socket took everything queued: stdin may go on. */
static void
on_drain(void *ud)
{
	run_input_flow(ud);
}

/* The first request of send and history. */
static int
first_request(struct chat *c)
{
	const struct client_config *cfg = c->cfg;
	int kind = cfg->command == CLIENT_SEND ? REQ_MESSAGE : REQ_HISTORY;

	c->frame.len = 0;
	c->input_ended = 1;
	if ((kind == REQ_MESSAGE ? input_message(&c->frame, cfg->thread,
	    cfg->agent, cfg->content, cfg->content_len) :
	    input_history(&c->frame, cfg->thread)) == -1)
		return -1;
	return requests_send(&c->rq, c->frame.p, c->frame.len, kind,
	    cfg->thread, 0, 0);
}

static void
on_connecting(void *ud, const struct ws_attempt *a)
{
	event_connecting(((struct chat *)ud)->events, a);
}

static void
on_pong(void *ud, double rtt)
{
	event_pong(((struct chat *)ud)->events, rtt);
}

static void
on_open(void *ud, int http_status)
{
	struct chat *c = ud;
	int r;

	event_open(c->events, http_status);
	retry_opened(&c->retry);
	if (c->opened) {
		c->reconnecting = c->rq.reconnecting = 0;
		msg_info("reconnected");
		requests_resend(&c->rq, &c->retry, &c->cut);
		run_input_flow(c);
		check_done(c);
		if (c->cfg->front != NULL)
			c->cfg->front->open(c->cfg->front->ud, c, 0);
		return;
	}
	c->opened = 1;
	if (c->cfg->thread_made)  /* connected: a thread that will exist */
		msg_notice("thread %s", c->cfg->thread);
	if (c->cfg->front != NULL) {
		r = ws_watch_input(c->ws, 0);
		c->cfg->front->open(c->cfg->front->ud, c, 1);
	} else if (c->cfg->command != CLIENT_PIPE)
		r = first_request(c);
	else
		r = ws_watch_input(c->ws, 0) == -1 || (c->op.out.nonblock &&
		    ws_watch_output(c->ws, 1) == -1) ? -1 : 0;
	if (r == -1)
		run_stop(c, EXIT_USAGE, 1000);
}

/* stdout is gone or failed: end the run (quietly for EPIPE). */
static void
stdout_failed(struct chat *c)
{
	if (c->stdout_failed)
		return;
	c->stdout_failed = 1;
	if (c->op.out.state == OUT_CLOSED) {
		run_stop(c, EXIT_DONE, 1001);
	} else {
		msg_error("stdout: %s", strerror(c->op.out.error));
		run_stop(c, EXIT_USAGE, 1001);
	}
}

/* Write what stdout takes; pause the socket while the reader lags. */
void
run_flush(struct chat *c)
{
	int changed, r = output_flush(&c->op, OUT_HIGH, &changed);

	if (r == -1) {
		stdout_failed(c);
		return;
	}
	if (r == 1)
		ws_output_wait(c->ws);
	if (changed)
		ws_read_pause(c->ws, c->op.lagging);
}

/* After each socket read: hand the frames to the reader. */
static void
on_batch(void *ud)
{
	struct chat *c = ud;

	if (c->op.out.state != OUT_OK) {
		stdout_failed(c);
		return;
	}
	if (!c->cfg->buffered || out_pending(&c->op.out) > OUT_HIGH)
		run_flush(c);
}

static void
on_output(void *ud, int gone)
{
	struct chat *c = ud;

	if (gone) {
		c->op.out.state = OUT_CLOSED;
		stdout_failed(c);
		return;
	}
	run_flush(c);
}

/* A frame: ask the rules, then print, complete and re-arm --idle. */
static void
on_message(void *ud, const char *data, size_t len, int binary)
{
	struct chat *c = ud;
	struct json_info fi;
	struct verdict v;

	c->frames++;
	if (c->done)
		return;  /* closing: nothing more is printed */
	if (binary || json_scan(data, len, &fi) == JSON_INVALID) {
		output_unprintable(c->frames, binary ? "binary frame" :
		    "not JSON", data, len);
		return;
	}
	rules_frame(&c->rules, &fi, &v);
	c->server_error |= v.server_error;
	c->no_reply |= v.no_reply;
	if (c->cfg->text && c->rules.pending.count > 0)  /* -t: as it answers */
		c->op.text.mode = pending_at(&c->rules.pending, 0)->kind ==
		    REQ_HISTORY ? TEXT_TRANSCRIPT : TEXT_REPLY;
	if (v.print && c->muted == 0 &&
	    output_frame(&c->op, data, len, &fi, c->frames))
		finish(c, EXIT_DONE, 1000);
	if (c->done)
		return;
	if (v.complete >= 0)
		complete(c, (size_t)v.complete, v.rule);
	else if (v.progress)
		arm_idle(c);
}

static void
on_timer(void *ud, int id)
{
	struct chat *c = ud;

	if (c->done)
		return;
	if (id == TIMER_IDLE) {
		idle_expired(c);
		return;
	}
	msg_error("timed out after %g s%s", c->cfg->timeout,
	    c->cfg->command == CLIENT_SEND && c->rules.pending.count > 0 &&
	    !pending_at(&c->rules.pending, 0)->started ?
	    " waiting for the reply" : "");
	finish(c, EXIT_TIMEOUT, 1000);
}

static void
on_signal(void *ud, int sig)
{
	struct chat *c = ud;

	if (c->cfg->front != NULL && sig == SIGINT) {
		c->cfg->front->interrupt(c->cfg->front->ud);
		return;
	}
	c->input_ended = 1;
	ws_input_pause(c->ws, 1);
	run_stop(c, sig == SIGINT ? EXIT_SIGINT : EXIT_SIGTERM, 1000);
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

/* --reconnect: a new connection when the policy says so; 1 if one is on
 * its way. */
static int
reconnect(struct chat *c, const struct ws_end *end)
{
	char cause[600];
	double delay;

	if (c->done || !retry_next(&c->retry, end, &delay, cause,
	    sizeof(cause)) || ws_restart(c->ws, delay) == -1)
		return 0;
	msg_info("%s; reconnecting in %.3f s (attempt %u)", cause, delay,
	    c->retry.failures);
	event_reconnect(c->events, cause, delay, c->retry.failures);
	c->reconnecting = c->rq.reconnecting = 1;
	ws_timer(c->ws, TIMER_IDLE, 0);
	run_input_flow(c);
	if (c->cfg->front != NULL) {
		output_text_end(&c->op, 0);  /* the cut reply's line */
		run_flush(c);
		c->cfg->front->dropped(c->cfg->front->ud,
		    c->rules.pending.count > 0);
	}
	return 1;
}

static void
on_end(void *ud, const struct ws_end *end)
{
	struct chat *c = ud;
	char reason[512];

	event_close(c->events, end, retry_worth(end));
	if (reconnect(c, end))
		return;
	/* Under --reconnect, failures were only reported at -v. */
	if (c->cfg->retry.on && end->why[0] != '\0')
		msg_error("%s", end->why);
	if (end->outcome == WS_ERR_PROTOCOL) {
		c->status = EXIT_PROTOCOL;
		return;
	}
	if (c->done)
		return;
	c->done = 1;
	if (end->outcome == WS_OK && end->by_peer && c->cfg->follow &&
	    c->input_ended && c->rules.pending.count == 0) {
		msg_info("the server closed the connection (%d)", end->code);
		c->status = EXIT_DONE;
	} else if (end->outcome == WS_OK && end->by_peer) {
		msg_escape(reason, sizeof(reason), end->reason,
		    strlen(end->reason), 125, 1);
		msg_error("the server closed the connection (%d%s%s) before"
		    " the %s was complete", end->code, reason[0] ? " " : "",
		    reason, c->cfg->command == CLIENT_SEND ? "reply" :
		    c->cfg->command == CLIENT_HISTORY ? "history" : "run");
		c->status = EXIT_LOST;
	} else
		c->status = outcome_status(end->outcome);
}

/* The exit status once the connection is gone. */
static enum exit_status
result(const struct chat *c)
{
	if (c->status != EXIT_DONE || c->cfg->front != NULL)
		return c->status;  /* chat: how the user ended it */
	if (c->op.out.state == OUT_CLOSED)
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
	if (c->op.jq_failed)
		return EXIT_JQ_RUNTIME;
	if (filter_has_program(c->op.filter) && c->cfg->jq_exit_status &&
	    !filter_last_truthy(c->op.filter))
		return EXIT_JQ_NO_OUTPUT;
	return EXIT_DONE;
}

/* Connect and run until the connection is gone. */
static enum exit_status
connect_and_run(struct chat *c, struct ws_config *wc)
{
	static const struct ws_events ev = {
		.on_open = on_open, .on_message = on_message,
		.on_batch = on_batch, .on_timer = on_timer,
		.on_signal = on_signal, .on_end = on_end,
		.on_input = on_input, .on_drain = on_drain,
		.on_output = on_output, .on_connecting = on_connecting,
		.on_pong = on_pong,
	};
	enum ws_outcome oc;

	c->ws = ws_new(wc, &ev, c);
	if (c->ws == NULL)
		return EXIT_CONNECT;
	c->rq = (struct requests){ .ws = c->ws, .rules = &c->rules,
	    .events = c->events, .keep = c->cfg->retry.on };
	if ((oc = ws_connect(c->ws)) != WS_OK) {
		if (c->cfg->retry.on)  /* only said at -v so far */
			msg_error("%s", ws_why(c->ws));
		return outcome_status(oc);
	}
	ws_timer(c->ws, TIMER_RUN, c->cfg->timeout);
	ws_deadline(c->ws, c->cfg->timeout);  /* the close wait counts */
	ws_run(c->ws);
	return result(c);
}

enum exit_status
client_run(const struct client_config *cfg, struct filter *filter)
{
	struct chat c = { .cfg = cfg, .retry = { .cfg = cfg->retry },
	    .rules = { .fence_mode = cfg->fence } };
	struct ws_config wc = cfg->ws;
	struct target t;
	enum exit_status st = EXIT_USAGE;
	int failed = 0;

	if (target_open(&t, cfg->url, cfg->proxy, cfg->noproxy, cfg->cred,
	    cfg->cred_is_key) == -1)
		return EXIT_USAGE;
	jstream_init(&c.js, cfg->max_value, cfg->raw_input);
	c.input = (struct input_config){ .thread = cfg->thread,
	    .agent = cfg->agent, .raw = cfg->raw_input };
	if (output_init(&c.op, filter, cfg->count, !cfg->text ? TEXT_OFF :
	    cfg->command == CLIENT_HISTORY ? TEXT_TRANSCRIPT : TEXT_REPLY) ==
	    -1) {
		msg_error("out of memory");
		goto out;
	}
	c.events = events_open(cfg->events, cfg->events_fd, &failed);
	if (failed)
		goto out;
	wc.url = &t.url;
	wc.proxy = t.proxy.host != NULL ? &t.proxy : NULL;
	wc.target = t.request;
	wc.display = t.display;
	if (wc.tls.insecure && t.url.tls)
		msg_warn("--insecure: the server's certificate is not checked");
	st = connect_and_run(&c, &wc);
out:
	ws_free(c.ws);
	output_text_end(&c.op, 0);  /* a cut reply's line */
	output_free(&c.op);
	if (st == EXIT_DONE && c.op.out.state == OUT_ERROR &&
	    !c.stdout_failed) {
		msg_error("stdout: %s", strerror(c.op.out.error));
		st = EXIT_USAGE;
	}
	event_exit(c.events, st, exit_status_name(st));
	events_close(c.events);
	jstream_free(&c.js);
	rules_free(&c.rules);
	buf_free(&c.frame);
	target_free(&t);
	return st;
}
