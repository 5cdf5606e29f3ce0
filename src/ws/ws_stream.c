/*
 * What flows over a client connection once TCP is up: the proxy's tunnel
 * (tunnel_stage.c), TLS (tls.c), the upgrade (upgrade.c), WebSocket
 * frames (wsproto.c), our keepalive pings (keepalive.c) and the closing
 * handshake.  This file moves the bytes read from the socket through those
 * stages; what is to be written waits in txq.c.  It reports up only
 * through struct ws_stream_events (ws_stream.h).
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/msg.h"
#include "keepalive.h"
#include "tls.h"
#include "tunnel.h"
#include "tunnel_stage.h"
#include "txq.h"
#include "upgrade.h"
#include "ws_stream.h"
#include "wsproto.h"

#define CLOSE_WAIT_US (1000 * 1000)  /* for the server's close frame */

struct ws_stream {
	const struct ws_config *cfg;
	struct loop *loop;
	struct ws_stream_events ev;
	void *ud;
	enum ws_stream_state state;
	struct tunnel_response tun;  /* the proxy's answer to CONNECT */
	struct upgrade up;       /* the opening handshake */
	struct wsp_decoder dec;
	struct tls *tls;         /* wss: the session; NULL for ws */
	struct txq q;            /* what waits for the socket */
	struct buf plain;        /* wss: plaintext just decrypted */
	int kill;                /* drop the socket once q is written */
	int close_sent;
	int protocol_error;      /* closing after a violation */
	int aborted;             /* closed by us before it was open */
	struct keepalive keepalive;  /* our pings */
	struct loop_timer close_timer;
	loop_usec deadline;     /* the close wait ends by then; 0 none */
	char why[512];           /* what went wrong, for failed() */
};

/* Format what went wrong into s->why. */
static const char *
why(struct ws_stream *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->why, sizeof(s->why), fmt, ap);
	va_end(ap);
	return s->why;
}

/* The stream cannot go on: outcome (first one wins), drop the socket. */
static void
fail(struct ws_stream *s, enum ws_outcome outcome, const char *text)
{
	struct ws_fault f = { .outcome = outcome, .why = text };

	s->ev.failed(s->ud, &f);
}

static void
want_write(struct ws_stream *s)
{
	s->ev.want_write(s->ud);
}

static int
queue_frame(struct ws_stream *s, int opcode, const void *data, size_t len)
{
	if (txq_frame(&s->q, opcode, data, len) == -1)
		return -1;
	want_write(s);
	return 0;
}

int
ws_stream_send_text(struct ws_stream *s, const char *data, size_t len)
{
	if (s->state != WSS_OPEN)
		return -1;
	return queue_frame(s, WSP_TEXT, data, len);
}

static void
close_wait_expired(struct loop_timer *t)
{
	struct ws_stream *s = LOOP_TIMER_OWNER(t, struct ws_stream,
	    close_timer);

	msg_info("no close frame from the server: dropping the connection");
	s->ev.drop(s->ud);
}

/* Queue a close frame (code, reason) and wait for the server's. */
static void
send_close(struct ws_stream *s, int code, const char *reason)
{
	uint8_t p[125];
	size_t n = strlen(reason);
	loop_usec wait;

	if (s->close_sent)
		return;
	if (n > sizeof(p) - 2)
		n = sizeof(p) - 2;
	p[0] = (uint8_t)(code >> 8);
	p[1] = (uint8_t)code;
	memcpy(p + 2, reason, n);
	s->close_sent = 1;
	if (queue_frame(s, WSP_CLOSE, p, n + 2) == -1) {
		fail(s, WS_ERR_LOST, NULL);
		return;
	}
	if (s->state == WSS_OPEN) {
		s->state = WSS_CLOSING;
		keepalive_pause(&s->keepalive);
	}
	wait = CLOSE_WAIT_US;
	if (s->deadline != 0 && s->deadline - loop_now() < wait)
		wait = s->deadline - loop_now();
	loop_timer_set(s->loop, &s->close_timer, close_wait_expired,
	    wait > 0 ? wait : 1);
}

void
ws_stream_deadline(struct ws_stream *s, loop_usec at)
{
	s->deadline = at;
}

void
ws_stream_close(struct ws_stream *s, int code, const char *reason)
{
	if (s->state == WSS_OPEN)
		send_close(s, code, reason);
}

void
ws_stream_abort(struct ws_stream *s)
{
	s->aborted = 1;
}

/* The keepalive's ping: a frame of its own. */
static int
ping(void *ud, const char *payload, size_t len)
{
	return queue_frame(ud, WSP_PING, payload, len);
}

/* No pong in time: the connection is as good as gone. */
static void
pong_late(void *ud)
{
	struct ws_stream *s = ud;
	struct ws_fault f = { .outcome = WS_ERR_LOST, .force = 1 };

	if (s->state != WSS_OPEN && s->state != WSS_CLOSING)
		return;
	f.why = why(s, "%s: connection lost (no pong within %g s)",
	    s->cfg->display, s->cfg->ping_timeout);
	s->ev.failed(s->ud, &f);
}

/* A protocol violation: close with the code that names it. */
static void
violation(struct ws_stream *s, int code, const char *what)
{
	struct ws_fault f = { .outcome = WS_ERR_PROTOCOL, .force = 1 };

	f.why = why(s, "%s: protocol error: %s", s->cfg->display, what);
	s->protocol_error = 1;
	f.close_code = s->state == WSS_OPEN ? code : 0;
	s->ev.failed(s->ud, &f);
	if (f.close_code != 0) {
		send_close(s, code, what);
		s->kill = 1;
	}
}

/* Handle one decoded event; -1 when reading should stop. */
static int
frame_event(struct ws_stream *s, enum wsp_event e, const struct wsp_frame *f)
{
	switch (e) {
	case WSP_EV_MESSAGE:
		if (s->state == WSS_OPEN || s->state == WSS_CLOSING)
			s->ev.message(s->ud, f->data, f->len,
			    f->opcode == WSP_BINARY);
		return 0;
	case WSP_EV_PING:
		if (txq_pong(&s->q, f->data, f->len) == -1)
			return -1;
		want_write(s);
		return 0;
	case WSP_EV_PONG:
		keepalive_pong(&s->keepalive, f->data, f->len);
		return 0;
	case WSP_EV_CLOSE:
		if (s->close_sent) {
			/* The answer to ours: done. */
			s->kill = 1;
			want_write(s);
			return -1;
		}
		s->ev.peer_closed(s->ud, f->close_code, f->data, f->len);
		msg_info("the server closed the connection (%d)", f->close_code);
		send_close(s, f->close_code == 1005 ? 1000 : f->close_code,
		    "");
		s->kill = 1;
		return -1;
	case WSP_EV_ERROR:
		violation(s, f->error_code, f->error);
		return -1;
	case WSP_EV_MORE:
		break;
	}
	return -1;
}

/* Feed stream bytes to the frame decoder and deliver what it finds. */
static void
frames_rx(struct ws_stream *s, const char *data, size_t len)
{
	struct wsp_frame f;
	enum wsp_event e;

	if (s->protocol_error)
		return;  /* closing after a violation: nothing more is read */
	if (len > 0 && wsp_decoder_feed(&s->dec, data, len) == -1) {
		msg_error("out of memory");
		fail(s, WS_ERR_LOST, NULL);
		return;
	}
	while ((e = wsp_next(&s->dec, &f)) != WSP_EV_MORE)
		if (frame_event(s, e, &f) == -1)
			break;
	s->ev.batch(s->ud);
}

/* A refused upgrade: report the status and the body's detail. */
static void
refused(struct ws_stream *s)
{
	struct ws_fault f = { .force = 1, .http_status = s->up.resp.status };

	f.outcome = upgrade_refusal(&s->up, s->cfg->display, s->why,
	    sizeof(s->why));
	f.why = s->why;
	s->ev.failed(s->ud, &f);
}

int
ws_stream_refusal(struct ws_stream *s)
{
	if (s->state != WSS_HANDSHAKE || !upgrade_refused(&s->up))
		return 0;
	refused(s);
	return 1;
}

/* The upgrade was accepted: the stream is open. */
static void
opened(struct ws_stream *s)
{
	s->state = WSS_OPEN;
	msg_info("connected to %s", s->cfg->display);
	keepalive_start(&s->keepalive);
	s->ev.opened(s->ud, s->up.resp.status);
}

/* Bytes of the server's answer to the upgrade request. */
static void
handshake_rx(struct ws_stream *s, const char *data, size_t len)
{
	switch (upgrade_feed(&s->up, data, len)) {
	case WSP_HS_MORE:
		return;
	case WSP_HS_BAD:
		fail(s, WS_ERR_PROTOCOL, why(s, "%s: protocol error: %s",
		    s->cfg->display, s->up.resp.bad));
		return;
	case WSP_HS_REFUSED:
		refused(s);
		s->ev.drop(s->ud);
		return;
	case WSP_HS_OPEN:
		break;
	}
	opened(s);
	if (s->state == WSS_OPEN || s->state == WSS_CLOSING)
		frames_rx(s, data + s->up.resp.used,
		    len - s->up.resp.used);
}

/* The socket can take more; -1 to close it. */
int
ws_stream_writeable(struct ws_stream *s, int fd)
{
	switch (txq_send(&s->q, s->tls, s->state >= WSS_HANDSHAKE, fd)) {
	case TXQ_FAILED:
		return -1;
	case TXQ_MORE:
		want_write(s);
		return 0;
	case TXQ_DONE:
		break;
	}
	if (s->kill)
		return -1;
	if (txq_text_left(&s->q) == 0)
		s->ev.drained(s->ud);
	return 0;
}

/* Plaintext from the server: the upgrade answer, then frames. */
static void
rx_plain(struct ws_stream *s, const char *data, size_t len)
{
	if (s->aborted)
		return;  /* given up before it opened: the message stays unsent */
	if (s->state == WSS_HANDSHAKE)
		handshake_rx(s, data, len);
	else if (s->state == WSS_OPEN || s->state == WSS_CLOSING)
		frames_rx(s, data, len);
}

/* wss: bytes from the socket go through TLS first. */
static void
rx_tls(struct ws_stream *s, const char *data, size_t len)
{
	enum ws_stream_state before = s->state;
	enum tls_state st;

	s->plain.len = 0;
	st = tls_input(s->tls, data, len, &s->plain);
	if (st == TLS_FAILED) {
		/*
		 * With TLS 1.3 the server judges our certificate after our
		 * side of the handshake is done: its refusal arrives while we
		 * wait for the upgrade answer, and is a TLS failure too.
		 */
		if (before == WSS_TLS || (before == WSS_HANDSHAKE &&
		    s->up.resp.head.len == 0))
			fail(s, WS_ERR_TLS, why(s, "%s: TLS failure: %s",
			    s->cfg->display, tls_error(s->tls)));
		else
			fail(s, WS_ERR_LOST, why(s, "%s: TLS error: %s",
			    s->cfg->display, tls_error(s->tls)));
		return;
	}
	if (before == WSS_TLS && st != TLS_HANDSHAKE) {
		msg_info("TLS session established");
		s->state = WSS_HANDSHAKE;  /* the upgrade request can go */
	}
	want_write(s);
	if (s->plain.len > 0)
		rx_plain(s, s->plain.p, s->plain.len);
	if (st == TLS_CLOSED)
		s->ev.drop(s->ud);
}

/* The stream to the server is up: start TLS and the upgrade request. */
static void
stream_up(struct ws_stream *s)
{
	if (upgrade_request(&s->up, txq_text(&s->q), s->cfg) == -1) {
		fail(s, WS_ERR_CONNECT, NULL);
		return;
	}
	msg_info("upgrading %s", s->cfg->display);
	if (s->tls != NULL) {
		/* The request waits in q until the TLS handshake is done. */
		s->state = WSS_TLS;
		rx_tls(s, NULL, 0);
		return;
	}
	s->state = WSS_HANDSHAKE;
	want_write(s);
}

/* Bytes of the proxy's answer to CONNECT; the rest is the tunnel's. */
static void
proxy_rx(struct ws_stream *s, const char *data, size_t len)
{
	switch (tunnel_stage_feed(&s->tun, s->cfg, data, len, s->why,
	    sizeof(s->why))) {
	case TUNNEL_MORE:
		return;
	case TUNNEL_BAD:
	case TUNNEL_REFUSED:
		fail(s, WS_ERR_CONNECT, s->why[0] != '\0' ? s->why : NULL);
		return;
	case TUNNEL_OPEN:
		break;
	}
	stream_up(s);
	data += s->tun.used;
	len -= s->tun.used;
	if (len == 0 || s->state == WSS_ENDED)
		return;
	/* Nothing should follow, but what does is the server's. */
	if (s->tls != NULL)
		rx_tls(s, data, len);
	else
		rx_plain(s, data, len);
}

void
ws_stream_connected(struct ws_stream *s)
{
	if (s->cfg->proxy == NULL) {
		stream_up(s);
		return;
	}
	if (tunnel_stage_request(txq_raw(&s->q, s->tls), s->cfg) == -1) {
		fail(s, WS_ERR_CONNECT, NULL);
		return;
	}
	s->state = WSS_PROXY;
	want_write(s);
}

void
ws_stream_rx(struct ws_stream *s, const char *data, size_t len)
{
	if (s->state == WSS_PROXY)
		proxy_rx(s, data, len);
	else if (s->tls != NULL)
		rx_tls(s, data, len);
	else
		rx_plain(s, data, len);
}

enum ws_outcome
ws_stream_lost(const struct ws_stream *s, char *buf, size_t size)
{
	const char *d = s->cfg->display;

	buf[0] = '\0';
	switch (s->state) {
	case WSS_OPEN:
		snprintf(buf, size, "%s: connection lost (no close frame)", d);
		return WS_ERR_LOST;
	case WSS_HANDSHAKE:
		if (s->tls != NULL && s->up.resp.head.len == 0 &&
		    tls_dropped(s->tls) != NULL) {
			snprintf(buf, size, "%s: TLS failure: %s", d,
			    tls_dropped(s->tls));
			return WS_ERR_TLS;
		}
		snprintf(buf, size, "%s: the server closed the connection"
		    " during the upgrade%s", d, s->tls == NULL &&
		    s->up.resp.head.len == 0 ? " without answering (TLS may"
		    " be needed: wss://)" : "");
		return WS_ERR_LOST;
	case WSS_TLS:
		snprintf(buf, size, "%s: TLS failure: the server closed the"
		    " connection during the handshake", d);
		return WS_ERR_TLS;
	case WSS_PROXY:
		snprintf(buf, size, "%s: cannot connect: the proxy %s closed"
		    " the connection without answering CONNECT", d,
		    s->cfg->proxy->display);
		return WS_ERR_CONNECT;
	default:
		return WS_ERR_LOST;
	}
}

static void
stop_timers(struct ws_stream *s)
{
	loop_timer_cancel(s->loop, &s->close_timer);
	keepalive_stop(&s->keepalive);
}

void
ws_stream_end(struct ws_stream *s)
{
	s->state = WSS_ENDED;
	stop_timers(s);
}

enum ws_stream_state
ws_stream_state(const struct ws_stream *s)
{
	return s->state;
}

size_t
ws_stream_queued(const struct ws_stream *s)
{
	return txq_queued(&s->q);
}

/* The keepalive's ping was answered. */
static void
pong_came(void *ud, double rtt)
{
	struct ws_stream *s = ud;

	s->ev.pong(s->ud, rtt);
}

struct ws_stream *
ws_stream_new(const struct ws_config *cfg, struct loop *loop,
    const struct ws_stream_events *ev, void *ud)
{
	struct ws_stream *s = calloc(1, sizeof(*s));

	if (s == NULL) {
		msg_error("out of memory");
		return NULL;
	}
	s->cfg = cfg;
	s->loop = loop;
	s->ev = *ev;
	s->ud = ud;
	txq_init(&s->q);
	wsp_decoder_init(&s->dec, cfg->max_frame);
	s->keepalive = (struct keepalive){ .loop = loop,
	    .interval = cfg->ping_interval, .timeout = cfg->ping_timeout,
	    .ping = ping, .timed_out = pong_late, .answered = pong_came,
	    .ud = s };
	return s;
}

int
ws_stream_prepare(struct ws_stream *s)
{
	if (s->cfg->url->tls) {
		s->tls = tls_new(s->cfg->url->host, &s->cfg->tls);
		if (s->tls == NULL)
			return -1;
	}
	return 0;
}

/* Free what one connection held. */
static void
stream_clear(struct ws_stream *s)
{
	stop_timers(s);
	tunnel_response_free(&s->tun);
	upgrade_free(&s->up);
	wsp_decoder_free(&s->dec);
	tls_free(s->tls);
	s->tls = NULL;
}

void
ws_stream_reset(struct ws_stream *s)
{
	stream_clear(s);
	memset(&s->tun, 0, sizeof(s->tun));
	upgrade_reset(&s->up);
	wsp_decoder_init(&s->dec, s->cfg->max_frame);
	txq_clear(&s->q);
	buf_clear(&s->plain);
	s->kill = s->close_sent = s->protocol_error = s->aborted = 0;
	s->state = WSS_CONNECTING;
}

void
ws_stream_free(struct ws_stream *s)
{
	if (s == NULL)
		return;
	stream_clear(s);
	txq_free(&s->q);
	buf_free(&s->plain);
	free(s);
}
