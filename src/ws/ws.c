/*
 * One client connection on chatcat's poll() loop (loop.c), and the owner
 * of its parts: it connects (dial.c tries each resolved address in turn)
 * under the connect deadline, reconnects (ws_restart), decides how the
 * connection ended (recorded by ending.c) and tells the owner once.  The
 * timers (timers.c) and the watched stdin, stdout and signal pipe
 * (watch.c) share the loop.
 *
 * This file owns the socket: it connects it, reads it and closes it.  The
 * stream (ws_stream.c) carries what flows over it: the proxy's tunnel,
 * TLS, the upgrade and the WebSocket frames.  This file hands the stream
 * the socket's events and hears back through its callbacks.
 *
 * Phases: IDLE -> CONNECTING (TCP) -> UP (the stream's states: [PROXY] ->
 * [TLS] -> HANDSHAKE -> OPEN -> CLOSING) -> ENDED.  on_end() is called
 * once, when the phase becomes ENDED.
 */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

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
	struct loop loop;
	int fd;                  /* the socket, -1 when none */
	int slot;                /* its slot in the loop */
	int connecting;          /* connect(2) under way */
	int connect_err;         /* the error of an attempt that failed at once */
	int read_paused;         /* ws_read_pause() */
	int want_write;          /* the stream has bytes for the socket */
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
	struct loop_timer drop_timer;     /* drop(): close in the next round */
	struct loop_timer failed_timer;   /* an attempt that failed at once */
	struct timers timers;    /* ws_timer()'s */
	char rx[64 * 1024];      /* one read from the socket */
};

#define WS_OF(t, member) \
	((struct ws *)((char *)(t) - offsetof(struct ws, member)))

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

/* Close the socket, if there is one; nothing more is heard of it. */
static void
sock_close(struct ws *w)
{
	loop_timer_cancel(&w->loop, &w->drop_timer);
	loop_timer_cancel(&w->loop, &w->failed_timer);
	if (w->fd == -1)
		return;
	loop_remove(&w->loop, w->slot);
	close(w->fd);
	w->fd = w->slot = -1;
	w->connecting = w->want_write = 0;
}

/* What the loop should wait for on the socket. */
static void
sock_interest(struct ws *w)
{
	short ev = 0;

	if (w->connecting || w->want_write)
		ev |= POLLOUT;
	if (!w->connecting && !w->read_paused)
		ev |= POLLIN;
	loop_events(&w->loop, w->slot, ev);
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

static void connect_failed(struct ws *w, int err);

/* The socket has closed (or been dropped): end the connection. */
static void
sock_closed(struct ws *w)
{
	int connecting = w->connecting;

	sock_close(w);
	if (connecting) {
		connect_failed(w, 0);
		return;
	}
	if (w->st != NULL && w->e.end.outcome == WS_OK)
		/* A refusal's body ended with the connection. */
		ws_stream_refusal(w->st);
	ended(w);
}

static void
drop_due(struct loop_timer *t)
{
	sock_closed(WS_OF(t, drop_timer));
}

/* Drop the socket, if there is one, in the loop's next round (the caller
 * may be deep in the stream's callbacks). */
static void
drop(struct ws *w)
{
	if (w->fd != -1)
		loop_timer_set(&w->loop, &w->drop_timer, drop_due, 0);
}

/* Record the outcome (first one wins) and drop the socket. */
static void
fail(struct ws *w, enum ws_outcome outcome)
{
	ending_fail(&w->e, outcome);
	if (w->fd != -1)
		drop(w);
	else
		report(w);
}

static void
stream_want_write(void *ud)
{
	struct ws *w = ud;

	if (w->fd != -1 && !w->want_write) {
		w->want_write = 1;
		sock_interest(w);
	}
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

/* connect(2) finished, one way or the other. */
static void
sock_connected(struct ws *w)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(w->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	if (err == EINPROGRESS || err == EALREADY)
		return;
	if (err != 0) {
		sock_close(w);
		connect_failed(w, err);
		return;
	}
	w->connecting = 0;
	sock_interest(w);
	w->phase = PH_UP;
	ws_stream_connected(w->st);
}

/* One read from the socket; its end or an error closes it. */
static void
sock_read(struct ws *w)
{
	ssize_t n;

	do
		n = read(w->fd, w->rx, sizeof(w->rx));
	while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	if (n <= 0) {
		if (n < 0)
			msg_info("%s: read: %s", w->cfg.display,
			    strerror(errno));
		sock_closed(w);
		return;
	}
	ws_stream_rx(w->st, w->rx, (size_t)n);
}

static void
sock_event(void *ud, int fd, short revents)
{
	struct ws *w = ud;

	(void)fd;
	if (w->connecting) {
		sock_connected(w);
		return;
	}
	/* While reads are paused a hang-up is still read, to learn of it. */
	if (revents & (POLLIN | POLLERR | POLLHUP)) {
		sock_read(w);
		if (w->fd == -1)
			return;
	}
	if ((revents & POLLOUT) && w->want_write) {
		w->want_write = 0;
		sock_interest(w);
		if (ws_stream_writeable(w->st, w->fd) == -1)
			sock_closed(w);
	}
}

/* No connection in time (the upgrade included), or a refusal's body. */
static void
connect_expired(struct loop_timer *t)
{
	struct ws *w = WS_OF(t, connect_timer);
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

static void
failed_due(struct loop_timer *t)
{
	struct ws *w = WS_OF(t, failed_timer);

	connect_failed(w, w->connect_err);
}

/*
 * Start a connection to the next resolved address.  An attempt that
 * fails at once is reported in the loop's next round, like one that
 * fails later.
 */
static int
start_attempt(struct ws *w)
{
	int err;

	w->phase = PH_CONNECTING;
	w->fd = dial_next(&w->dial, &err);
	if (w->fd == -1) {
		w->connect_err = err;
		loop_timer_set(&w->loop, &w->failed_timer, failed_due, 0);
		return 0;
	}
	w->slot = loop_add(&w->loop, w->fd, POLLOUT, sock_event, w);
	if (w->slot == -1) {
		close(w->fd);
		w->fd = -1;
		return -1;
	}
	w->connecting = 1;
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
	sock_close(w);  /* still open (a refusal): not ours any more */
	w->read_paused = 0;
	dial_reset(&w->dial);
	ws_stream_reset(w->st);
	w->reported = w->aborted = 0;
	ending_reset(&w->e);
	w->phase = PH_IDLE;
}

static void
restart_due(struct loop_timer *t)
{
	struct ws *w = WS_OF(t, restart_timer);
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
	w->fd = w->slot = -1;
	loop_init(&w->loop);
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
	w->read_paused = pause;
	if (w->fd != -1 && !w->connecting)
		sock_interest(w);
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
	sock_close(w);
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
