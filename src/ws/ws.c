/*
 * One client connection on chatcat's poll() loop (loop.c), and the owner
 * of its parts: it connects (dial.c tries each resolved address in turn)
 * under the connect deadline, reconnects (ws_restart), decides how the
 * connection ended (recorded by ending.c) and tells the owner once.  The
 * timers (timers.c) and the watched stdin, stdout and signal pipe
 * (watch.c) share the loop.
 *
 * The socket (sock.c) connects, reads and closes; the stream
 * (ws_stream.c) carries what flows over it: the proxy's tunnel, TLS, the
 * upgrade and the WebSocket frames.  This file hands the stream the
 * socket's events and hears back through its callbacks.
 *
 * Phases: IDLE -> CONNECTING (TCP) -> UP (the stream's states: [PROXY] ->
 * [TLS] -> HANDSHAKE -> OPEN -> CLOSING) -> ENDED.  on_end() is called
 * once, when the phase becomes ENDED.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/msg.h"
#include "dial.h"
#include "ending.h"
#include "loop.h"
#include "sock.h"
#include "timers.h"
#include "watch.h"
#include "ws.h"
#include "ws_stream.h"

enum ws_phase { PH_IDLE, PH_CONNECTING, PH_UP, PH_ENDED };

struct ws {
	struct ws_config cfg;
	struct ws_events ev;
	void *ud;
	struct loop loop;
	struct sock sock;        /* the TCP socket */
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
	struct loop_timer connect_timer, restart_timer;
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
	loop_timer_cancel(&w->loop, &w->connect_timer);
	w->ev.on_end(w->ud, &w->e.end);
}

/* The socket is gone. */
static void
ended(struct ws *w)
{
	char why[sizeof(w->e.why)] = "";

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

/* Drop the socket, if there is one, in the loop's next round (the caller
 * may be deep in the stream's callbacks). */
static void
drop(struct ws *w)
{
	sock_drop(&w->sock);
}

/* Record the outcome (first one wins) and drop the socket. */
static void
fail(struct ws *w, enum ws_outcome outcome)
{
	ending_fail(&w->e, outcome);
	if (sock_open(&w->sock))
		drop(w);
	else
		report(w);
}

static void
stream_want_write(void *ud)
{
	struct ws *w = ud;

	sock_want_write(&w->sock);
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

	loop_timer_cancel(&w->loop, &w->connect_timer);
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

/* The cause of a failed connect(2), as chatcat says it. */
static const char *
connect_cause(int err)
{
	switch (err) {
	case 0:
		return "the connection closed";
	case ECONNREFUSED:
		return "connection refused";
	case ENETUNREACH:
		return "network is unreachable";
	case EHOSTUNREACH:
		return "no route to host";
	case ETIMEDOUT:
		return "connection timed out";
	default:
		return strerror(err);
	}
}

/* The attempt failed: try the next address or report why. */
static void
connect_failed(struct ws *w, int err)
{
	if (w->reported)
		return;
	if (w->aborted) {
		report(w);
		return;
	}
	if (dial_more(&w->dial) && start_attempt(w) == 0)
		return;
	ending_say(&w->e, "%s: cannot connect%s%s: %s", w->cfg.display,
	    w->cfg.proxy ? " to the proxy " : "",
	    w->cfg.proxy ? w->cfg.proxy->display : "", connect_cause(err));
	ending_set(&w->e, WS_ERR_CONNECT);
	ending_close(&w->e, 1006, NULL, 0);
	report(w);
}

static void
sock_connected(void *ud)
{
	struct ws *w = ud;

	w->phase = PH_UP;
	ws_stream_connected(w->st);
}

static void
sock_failed(void *ud, int err)
{
	connect_failed(ud, err);
}

static void
sock_rx(void *ud, const char *data, size_t len)
{
	struct ws *w = ud;

	ws_stream_rx(w->st, data, len);
}

static int
sock_writable(void *ud, int fd)
{
	struct ws *w = ud;

	return ws_stream_writeable(w->st, fd);
}

/* The socket has closed (or been dropped): end the connection. */
static void
sock_closed(void *ud)
{
	struct ws *w = ud;

	if (w->e.end.outcome == WS_OK)
		/* A refusal's body ended with the connection. */
		ws_stream_refusal(w->st);
	ended(w);
}

static const struct sock_events sock_events = {
	.connected = sock_connected, .failed = sock_failed, .rx = sock_rx,
	.writable = sock_writable, .closed = sock_closed,
};

/* No connection in time (the upgrade included), or a refusal's body. */
static void
connect_expired(struct loop_timer *t)
{
	struct ws *w = LOOP_TIMER_OWNER(t, struct ws, connect_timer);
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
	ws_stream_deadline(w->st, secs > 0 ? loop_now() +
	    (loop_usec)(secs * 1e6) : 0);
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
	return sock_start(&w->sock, &w->dial);
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
	loop_timer_set(&w->loop, &w->connect_timer, connect_expired,
	    (loop_usec)(w->cfg.connect_timeout * 1e6));
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
	loop_timer_cancel(&w->loop, &w->connect_timer);
	sock_close(&w->sock);  /* still open (a refusal): not ours any more */
	sock_read_pause(&w->sock, 0);
	dial_reset(&w->dial);
	ws_stream_reset(w->st);
	w->reported = w->aborted = 0;
	ending_reset(&w->e);
	w->phase = PH_IDLE;
}

static void
restart_due(struct loop_timer *t)
{
	struct ws *w = LOOP_TIMER_OWNER(t, struct ws, restart_timer);
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
	loop_timer_set(&w->loop, &w->restart_timer, restart_due,
	    delay > 0 ? (loop_usec)(delay * 1e6) : 0);
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
	loop_init(&w->loop);
	sock_init(&w->sock, &w->loop, &sock_events, w);
	watch_init(&w->watch, &w->loop, &w->ev, ud);
	timers_init(&w->timers, &w->loop, ev->on_timer, ud);
	dial_init(&w->dial, &w->cfg);
	w->dial.trying = dial_trying;
	w->dial.ud = w;
	w->st = ws_stream_new(&w->cfg, &w->loop, &stream_events, w);
	if (w->st == NULL || watch_signals(&w->watch) == -1) {
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
		loop_timer_cancel(&w->loop, &w->restart_timer);
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
	sock_read_pause(&w->sock, pause);
}

void
ws_run(struct ws *w)
{
	while (w->phase != PH_ENDED || w->restarting)
		if (loop_once(&w->loop) < 0) {
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
	sock_close(&w->sock);
	ws_stream_free(w->st);
	w->st = NULL;
	dial_reset(&w->dial);
	free(w);
}

const char *
ws_why(const struct ws *w)
{
	return w->e.why;
}
