/*
 * One client connection on libwebsockets' poll() loop (loop.c), and the
 * owner of its parts: it connects (dial.c tries each resolved address in
 * turn) under the connect deadline, reconnects (ws_restart), decides how
 * the connection ended (recorded by ending.c) and tells the owner once.
 * The timers (timers.c) and the watched stdin, stdout and signal pipe
 * (watch.c) share the loop; this file routes their events.
 *
 * lws makes the TCP connection with method "RAW"; from then on the
 * stream (ws_stream.c) carries what flows over it: the proxy's tunnel,
 * TLS, the upgrade and the WebSocket frames.  This file owns the stream,
 * hands it the socket's events, and hears back through its callbacks.
 *
 * Phases: IDLE -> CONNECTING (TCP) -> UP (the stream's states: [PROXY] ->
 * [TLS] -> HANDSHAKE -> OPEN -> CLOSING) -> ENDED.  on_end() is called
 * once, when the phase becomes ENDED.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "lib/msg.h"
#include "dial.h"
#include "ending.h"
#include "loop.h"
#include "timers.h"
#include "watch.h"
#include "ws.h"
#include "ws_stream.h"

enum ws_phase { PH_IDLE, PH_CONNECTING, PH_UP, PH_ENDED };

struct ws {
	struct ws_config cfg;
	struct ws_events ev;
	void *ud;
	struct lws_context *ctx;
	struct lws_vhost *vh;
	struct lws *wsi;
	enum ws_phase phase;
	struct ws_stream *st;    /* what flows on the connection */
	struct dial dial;        /* resolving, and each address in turn */
	struct watch watch;      /* stdin, stdout and the signal pipe */
	int destroying;          /* ws_free(): no more events */
	int reported;            /* on_end() has been called */
	int aborted;             /* closed by us before it was open */
	struct ending e;         /* filled before the socket goes */
	int restarting;          /* ws_restart(): a new connection is due */
	unsigned attempt;        /* ws_connect() calls, from 1 */
	lws_sorted_usec_list_t connect_sul, restart_sul;
	struct timers timers;    /* ws_timer()'s */
};

/* The connection has ended: tell the owner, once. */
static void
report(struct ws *w)
{
	if (w->reported)
		return;
	w->reported = 1;
	w->phase = PH_ENDED;
	if (w->st != NULL)
		ws_stream_end(w->st);
	ending_complete(&w->e);
	lws_sul_cancel(&w->connect_sul);
	w->ev.on_end(w->ud, &w->e.end);
	lws_cancel_service(w->ctx);
}

/* The socket is gone. */
static void
ended(struct ws *w)
{
	char why[sizeof(w->e.why)] = "";

	w->wsi = NULL;
	if (w->reported)
		return;
	if (w->e.end.code == 0) {
		/* Dropped without a close frame from either side. */
		ending_set(&w->e, w->st != NULL ?
		    ws_stream_lost(w->st, why, sizeof(why)) : WS_ERR_LOST);
		if (why[0] != '\0')
			ending_say(&w->e, "%s", why);
	}
	if (w->st != NULL && ws_stream_state(w->st) == WSS_CLOSING &&
	    w->e.end.outcome == WS_ERR_LOST)
		ending_set(&w->e, WS_OK);  /* we were leaving anyway */
	report(w);
}

/* Drop the socket, if there is one. */
static void
drop(struct ws *w)
{
	if (w->wsi != NULL)
		lws_set_timeout(w->wsi, PENDING_TIMEOUT_USER_OK,
		    LWS_TO_KILL_ASYNC);
}

/* Record the outcome (first one wins) and drop the socket. */
static void
fail(struct ws *w, enum ws_outcome outcome)
{
	ending_fail(&w->e, outcome);
	if (w->wsi != NULL)
		drop(w);
	else
		report(w);
	lws_cancel_service(w->ctx);
}

static void
stream_want_write(void *ud)
{
	struct ws *w = ud;

	if (w->wsi != NULL)
		lws_callback_on_writable(w->wsi);
}

static void
stream_drop(void *ud)
{
	drop(ud);
}

static void
stream_opened(void *ud, int http_status)
{
	struct ws *w = ud;

	lws_sul_cancel(&w->connect_sul);
	w->ev.on_open(w->ud, http_status);
}

static void
stream_pong(void *ud, double rtt)
{
	struct ws *w = ud;

	if (w->ev.on_pong != NULL)
		w->ev.on_pong(w->ud, rtt);
}

/* dial.c tries an address. */
static void
dial_trying(void *ud, const char *address, int port)
{
	struct ws *w = ud;
	struct ws_attempt a = { .display = w->cfg.display, .address = address,
	    .port = port, .proxy = w->cfg.proxy != NULL ?
	    w->cfg.proxy->display : NULL, .attempt = w->attempt };

	if (w->ev.on_connecting != NULL)
		w->ev.on_connecting(w->ud, &a);
}

static void
stream_message(void *ud, const char *data, size_t len, int binary)
{
	struct ws *w = ud;

	w->ev.on_message(w->ud, data, len, binary);
}

static void
stream_batch(void *ud)
{
	struct ws *w = ud;

	if (w->ev.on_batch != NULL)
		w->ev.on_batch(w->ud);
}

static void
stream_drained(void *ud)
{
	struct ws *w = ud;

	if (w->ev.on_drain != NULL)
		w->ev.on_drain(w->ud);
}

static void
stream_peer_closed(void *ud, int code, const char *reason, size_t len)
{
	struct ws *w = ud;

	ending_peer(&w->e, code, reason, len);
}

/* The stream says what went wrong: record it as the ending. */
static void
stream_failed(void *ud, const struct ws_fault *f)
{
	struct ws *w = ud;

	if (f->why != NULL)
		ending_say(&w->e, "%s", f->why);
	if (f->force)
		ending_set(&w->e, f->outcome);
	if (f->http_status != 0) {
		/* A refused upgrade: the end, whatever the socket does. */
		ending_refused(&w->e, f->http_status);
		report(w);
	} else if (f->close_code != 0)  /* the socket goes after it */
		ending_close(&w->e, f->close_code, NULL, 0);
	else
		fail(w, f->outcome);
}

static const struct ws_stream_events stream_events = {
	.want_write = stream_want_write,
	.drop = stream_drop,
	.opened = stream_opened, .pong = stream_pong,
	.message = stream_message,
	.batch = stream_batch,
	.drained = stream_drained,
	.peer_closed = stream_peer_closed,
	.failed = stream_failed,
};

static int start_attempt(struct ws *w);

/* lws could not connect: try the next address or report why. */
static void
connect_failed(struct ws *w, const char *cause)
{
	w->wsi = NULL;
	if (w->reported)
		return;
	if (w->aborted) {
		report(w);
		return;
	}
	if (dial_more(&w->dial) && start_attempt(w) == 0) {
		return;
	} else {
		ending_say(&w->e, "%s: cannot connect%s%s: %s", w->cfg.display,
		    w->cfg.proxy ? " to the proxy " : "",
		    w->cfg.proxy ? w->cfg.proxy->display : "",
		    cause != NULL && strstr(cause, "nable to connect") ?
		    "connection refused" : cause ? cause : "unknown error");
		ending_set(&w->e, WS_ERR_CONNECT);
	}
	ending_close(&w->e, 1006, NULL, 0);
	report(w);
}

static int
callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct ws *w = lws_context_user(lws_get_context(wsi));

	(void)user;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		if (wsi == w->wsi)
			connect_failed(w, in ? (const char *)in : NULL);
		return 0;
	case LWS_CALLBACK_RAW_CONNECTED:
		if (wsi == w->wsi && w->st != NULL) {
			w->phase = PH_UP;
			ws_stream_connected(w->st);
		}
		return 0;
	case LWS_CALLBACK_RAW_RX:
		if (wsi == w->wsi && w->st != NULL)
			ws_stream_rx(w->st, in, len);
		return 0;
	case LWS_CALLBACK_RAW_WRITEABLE:
		if (wsi != w->wsi || w->st == NULL)
			return 0;
		return ws_stream_writeable(w->st, lws_get_socket_fd(wsi));
	case LWS_CALLBACK_RAW_CLOSE:
		if (wsi != w->wsi)
			return 0;
		if (w->st != NULL && w->e.end.outcome == WS_OK)
			/* A refusal's body ended with the connection. */
			ws_stream_refusal(w->st);
		ended(w);
		return 0;
	case LWS_CALLBACK_RAW_RX_FILE:
	case LWS_CALLBACK_RAW_WRITEABLE_FILE:
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		return watch_event(&w->watch, wsi, reason);
	default:
		return 0;
	}
}

static const struct lws_protocols protocols[] = {
	{ "chatcat", callback, 0, 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

/* No connection in time (the upgrade included), or a refusal's body. */
static void
connect_expired(lws_sorted_usec_list_t *sul)
{
	struct ws *w = lws_container_of(sul, struct ws, connect_sul);
	int proxy = w->cfg.proxy != NULL && (w->st == NULL ||
	    ws_stream_state(w->st) <= WSS_PROXY);

	if (w->st != NULL && ws_stream_refusal(w->st)) {
		drop(w);  /* the refusal's body never ended */
		return;
	}
	ending_say(&w->e, "%s: cannot connect: timed out after %g s%s%s",
	    w->cfg.display, w->cfg.connect_timeout,
	    proxy ? " waiting for the proxy " : "",
	    proxy ? w->cfg.proxy->display : "");
	ending_set(&w->e, WS_ERR_CONNECT);
	ending_close(&w->e, 1006, NULL, 0);
	drop(w);
	report(w);
}

void
ws_deadline(struct ws *w, double secs)
{
	ws_stream_deadline(w->st, secs > 0 ? lws_now_usecs() +
	    (lws_usec_t)(secs * 1e6) : 0);
}

void
ws_timer(struct ws *w, int id, double secs)
{
	timers_set(&w->timers, id, secs);
}

/* Start a connection to the next resolved address. */
static int
start_attempt(struct ws *w)
{
	w->phase = PH_CONNECTING;
	if (dial_next(&w->dial, &w->wsi) == NULL &&
	    w->phase != PH_ENDED) {
		/* The error callback may already have run and retried. */
		if (w->wsi == NULL && w->phase == PH_CONNECTING)
			return -1;
	}
	return 0;
}

enum ws_outcome
ws_connect(struct ws *w)
{
	char why[sizeof(w->e.why)];

	w->attempt++;
	if (ws_stream_prepare(w->st) == -1)
		return WS_ERR_TLS;
	if (dial_resolve(&w->dial, why, sizeof(why)) == -1) {
		ending_say(&w->e, "%s", why);
		return WS_ERR_CONNECT;
	}
	lws_sul_schedule(w->ctx, 0, &w->connect_sul, connect_expired,
	    (lws_usec_t)(w->cfg.connect_timeout * 1e6));
	if (start_attempt(w) == -1) {
		ending_say(&w->e, "%s: cannot connect to %s", w->cfg.display,
		    w->dial.address);
		return WS_ERR_CONNECT;
	}
	return WS_OK;
}

/* Forget the last connection: everything per connection starts anew. */
static void
reset(struct ws *w)
{
	lws_sul_cancel(&w->connect_sul);
	if (w->wsi != NULL) {
		/* Still closing (a refusal): its last callbacks are not ours. */
		lws_set_timeout(w->wsi, PENDING_TIMEOUT_USER_OK,
		    LWS_TO_KILL_ASYNC);
		w->wsi = NULL;
	}
	dial_reset(&w->dial);
	ws_stream_reset(w->st);
	w->reported = w->aborted = 0;
	ending_reset(&w->e);
	w->phase = PH_IDLE;
}

static void
restart_due(lws_sorted_usec_list_t *sul)
{
	struct ws *w = lws_container_of(sul, struct ws, restart_sul);
	enum ws_outcome o;

	w->restarting = 0;
	reset(w);
	if ((o = ws_connect(w)) != WS_OK) {
		ending_set(&w->e, o);
		report(w);
	}
}

int
ws_restart(struct ws *w, double delay)
{
	if (w->phase != PH_ENDED || w->destroying || w->restarting)
		return -1;
	/* The reset waits for the timer: the caller is still in on_end. */
	w->restarting = 1;
	lws_sul_schedule(w->ctx, 0, &w->restart_sul, restart_due,
	    delay > 0 ? (lws_usec_t)(delay * 1e6) : 1);
	return 0;
}

struct ws *
ws_new(const struct ws_config *cfg, const struct ws_events *ev, void *ud)
{
	struct ws *w = calloc(1, sizeof(*w));

	if (w == NULL) {
		msg_error("out of memory");
		return NULL;
	}
	w->cfg = *cfg;
	ending_init(&w->e, cfg->reconnect);
	w->ev = *ev;
	w->ud = ud;
	w->ctx = loop_new(protocols, w, cfg->verbose);
	if (w->ctx == NULL) {
		free(w);
		return NULL;
	}
	w->vh = lws_get_vhost_by_name(w->ctx, "default");
	watch_init(&w->watch, w->vh, protocols[0].name, &w->ev, ud);
	timers_init(&w->timers, w->ctx, ev->on_timer, ud);
	dial_init(&w->dial, &w->cfg, w->ctx, w->vh, protocols[0].name);
	w->dial.trying = dial_trying;
	w->dial.ud = w;
	w->st = ws_stream_new(&w->cfg, w->ctx, &stream_events, w);
	if (w->vh == NULL || w->st == NULL ||
	    watch_signals(&w->watch) == -1) {
		ws_free(w);
		return NULL;
	}
	return w;
}

int
ws_watch_input(struct ws *w, int fd)
{
	return watch_input(&w->watch, fd);
}

void
ws_input_pause(struct ws *w, int pause)
{
	watch_input_pause(&w->watch, pause);
}

int
ws_watch_output(struct ws *w, int fd)
{
	return watch_output(&w->watch, fd);
}

void
ws_output_wait(struct ws *w)
{
	watch_output_wait(&w->watch);
}

int
ws_send_text(struct ws *w, const char *data, size_t len)
{
	if (w->phase != PH_UP)
		return -1;
	return ws_stream_send_text(w->st, data, len);
}

void
ws_close(struct ws *w, int code, const char *reason)
{
	enum ws_stream_state st = w->phase == PH_ENDED ? WSS_ENDED :
	    w->phase == PH_UP ? ws_stream_state(w->st) : WSS_CONNECTING;

	if (w->restarting) {
		/* Between connections: no new one. */
		w->restarting = 0;
		lws_sul_cancel(&w->restart_sul);
		return;
	}
	if (st == WSS_OPEN) {
		ending_close(&w->e, code, reason, strlen(reason));
		ws_stream_close(w->st, code, reason);
	} else if (st != WSS_CLOSING && st != WSS_ENDED) {
		/* Not open yet: give up connecting, try no other address. */
		ending_close(&w->e, code, NULL, 0);
		w->aborted = 1;
		dial_give_up(&w->dial);
		if (w->st != NULL)
			ws_stream_abort(w->st);
		fail(w, WS_OK);
	}
}

size_t
ws_queued(const struct ws *w)
{
	return w->st != NULL ? ws_stream_queued(w->st) : 0;
}

void
ws_read_pause(struct ws *w, int pause)
{
	if (w->wsi != NULL)
		lws_rx_flow_control(w->wsi, !pause);
}

void
ws_run(struct ws *w)
{
	while (w->phase != PH_ENDED || w->restarting)
		if (lws_service(w->ctx, 0) < 0) {
			msg_error("the event loop failed");
			fail(w, WS_ERR_LOST);
			report(w);
			break;
		}
}

void
ws_free(struct ws *w)
{
	if (w == NULL)
		return;
	w->destroying = 1;
	watch_stop(&w->watch);
	/* First: its timers live in the context. */
	ws_stream_free(w->st);
	w->st = NULL;
	lws_context_destroy(w->ctx);
	dial_reset(&w->dial);
	free(w);
}

const char *
ws_why(const struct ws *w)
{
	return w->e.why;
}

const char *
ws_library_version(void)
{
	return lws_get_library_version();
}
