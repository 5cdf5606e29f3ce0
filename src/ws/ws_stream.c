/*
 * What flows over a client connection once TCP is up: the proxy's tunnel
 * (tunnel.c), TLS (tls.c), the upgrade, WebSocket frames (wsproto.c), our
 * keepalive pings and the closing handshake.  Writes go out with send(2).
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/random.h"
#include "lib/base64.h"
#include "lib/json.h"
#include "lib/msg.h"
#include "lib/utf8.h"
#include "lib/uuid.h"
#include "ws_int.h"

static int
queue_frame(struct ws *w, int opcode, const void *data, size_t len)
{
	const uint8_t *mask;

	/* One getrandom(2) for 64 frames, not one per frame. */
	if (w->masks_left < 4) {
		if (random_bytes(w->masks, sizeof(w->masks)) == -1) {
			msg_error("cannot make a frame mask");
			return -1;
		}
		w->masks_left = sizeof(w->masks);
	}
	mask = w->masks + sizeof(w->masks) - w->masks_left;
	w->masks_left -= 4;
	if (wsp_encode(&w->tx, opcode, data, len, mask) == -1) {
		msg_error("out of memory");
		return -1;
	}
	if (w->wsi != NULL)
		lws_callback_on_writable(w->wsi);
	return 0;
}

int
ws_send_text(struct ws *w, const char *data, size_t len)
{
	if (w->state != ST_OPEN)
		return -1;
	return queue_frame(w, WSP_TEXT, data, len);
}

static void
close_wait_expired(lws_sorted_usec_list_t *sul)
{
	struct ws *w = lws_container_of(sul, struct ws, close_sul);

	msg_info("no close frame from the server: dropping the connection");
	if (w->wsi != NULL)
		lws_set_timeout(w->wsi, PENDING_TIMEOUT_USER_OK,
		    LWS_TO_KILL_ASYNC);
	lws_cancel_service(w->ctx);
}

/* Queue a close frame (code, reason) and wait for the server's. */
static void
send_close(struct ws *w, int code, const char *reason)
{
	uint8_t p[125];
	size_t n = strlen(reason);

	if (w->close_sent)
		return;
	if (n > sizeof(p) - 2)
		n = sizeof(p) - 2;
	p[0] = (uint8_t)(code >> 8);
	p[1] = (uint8_t)code;
	memcpy(p + 2, reason, n);
	w->close_sent = 1;
	if (queue_frame(w, WSP_CLOSE, p, n + 2) == -1) {
		ws_fail(w, WS_ERR_LOST);
		return;
	}
	if (w->state == ST_OPEN)
		w->state = ST_CLOSING;
	lws_sul_schedule(w->ctx, 0, &w->close_sul, close_wait_expired,
	    CLOSE_WAIT_US);
}

void
ws_close(struct ws *w, int code, const char *reason)
{
	if (w->restarting) {
		/* Between connections: no new one. */
		w->restarting = 0;
		lws_sul_cancel(&w->restart_sul);
		return;
	}
	if (w->state == ST_OPEN) {
		w->end.code = code;
		snprintf(w->reason, sizeof(w->reason), "%s", reason);
		send_close(w, code, reason);
	} else if (w->state != ST_CLOSING && w->state != ST_ENDED) {
		/* Not open yet: give up connecting, try no other address. */
		w->end.code = code;
		w->aborted = 1;
		w->ai_next = NULL;
		ws_fail(w, WS_OK);
	}
}

/* No pong in time: the connection is as good as gone. */
static void
pong_due(lws_sorted_usec_list_t *sul)
{
	struct ws *w = lws_container_of(sul, struct ws, pong_sul);

	if (w->state != ST_OPEN && w->state != ST_CLOSING)
		return;
	ws_say(w, "%s: connection lost (no pong within %g s)", w->cfg.display,
	    w->cfg.ping_timeout);
	w->end.outcome = WS_ERR_LOST;
	ws_fail(w, WS_ERR_LOST);
}

/* Every --ping-interval: a ping, unless one is still unanswered. */
static void
ping_due(lws_sorted_usec_list_t *sul)
{
	struct ws *w = lws_container_of(sul, struct ws, ping_sul);
	char p[32];

	if (w->state != ST_OPEN)
		return;
	lws_sul_schedule(w->ctx, 0, &w->ping_sul, ping_due,
	    (lws_usec_t)(w->cfg.ping_interval * 1e6));
	if (w->ping_out)
		return;
	snprintf(p, sizeof(p), "chatcat %u", ++w->ping_seq);
	if (queue_frame(w, WSP_PING, p, strlen(p)) == -1)
		return;
	w->ping_out = 1;
	w->ping_sent = lws_now_usecs();
	if (w->cfg.ping_timeout > 0)
		lws_sul_schedule(w->ctx, 0, &w->pong_sul, pong_due,
		    (lws_usec_t)(w->cfg.ping_timeout * 1e6));
}

/* A pong: the answer to our ping when it carries its payload. */
static void
pong(struct ws *w, const struct wsp_frame *f)
{
	char p[32];

	snprintf(p, sizeof(p), "chatcat %u", w->ping_seq);
	if (!w->ping_out || f->len != strlen(p) ||
	    memcmp(f->data, p, f->len) != 0)
		return;  /* unsolicited, or an old one */
	w->ping_out = 0;
	lws_sul_cancel(&w->pong_sul);
	ev_begin(w->cfg.events, "pong");
	ev_num(w->cfg.events, "rtt",
	    (double)(lws_now_usecs() - w->ping_sent) / 1e6);
	ev_end(w->cfg.events);
}

/* A protocol violation: close with the code that names it. */
static void
violation(struct ws *w, int code, const char *what)
{
	ws_say(w, "%s: protocol error: %s", w->cfg.display, what);
	w->end.outcome = WS_ERR_PROTOCOL;
	if (w->state == ST_OPEN) {
		w->end.code = code;
		send_close(w, code, what);
		w->kill = 1;
	} else
		ws_fail(w, WS_ERR_PROTOCOL);
}

/* Handle one decoded event; -1 when reading should stop. */
static int
frame_event(struct ws *w, enum wsp_event e, const struct wsp_frame *f)
{
	switch (e) {
	case WSP_EV_MESSAGE:
		if (w->state == ST_OPEN || w->state == ST_CLOSING)
			w->ev.on_message(w->ud, f->data, f->len,
			    f->opcode == WSP_BINARY);
		return 0;
	case WSP_EV_PING:
		return queue_frame(w, WSP_PONG, f->data, f->len);
	case WSP_EV_PONG:
		pong(w, f);
		return 0;
	case WSP_EV_CLOSE:
		if (w->close_sent) {
			/* The answer to ours: done. */
			w->kill = 1;
			lws_callback_on_writable(w->wsi);
			return -1;
		}
		w->end.by_peer = 1;
		w->end.code = f->close_code;
		snprintf(w->reason, sizeof(w->reason), "%.*s", (int)f->len,
		    f->data);
		msg_info("the server closed the connection (%d)", f->close_code);
		send_close(w, f->close_code == 1005 ? 1000 : f->close_code,
		    "");
		w->kill = 1;
		return -1;
	case WSP_EV_ERROR:
		violation(w, f->error_code, f->error);
		return -1;
	case WSP_EV_MORE:
		break;
	}
	return -1;
}

/* Feed stream bytes to the frame decoder and deliver what it finds. */
static void
stream_rx(struct ws *w, const char *data, size_t len)
{
	struct wsp_frame f;
	enum wsp_event e;

	if (w->end.outcome == WS_ERR_PROTOCOL)
		return;  /* closing after a violation: nothing more is read */
	if (len > 0 && wsp_decoder_feed(&w->dec, data, len) == -1) {
		msg_error("out of memory");
		ws_fail(w, WS_ERR_LOST);
		return;
	}
	while ((e = wsp_next(&w->dec, &f)) != WSP_EV_MORE)
		if (frame_event(w, e, &f) == -1)
			break;
	if (w->ev.on_batch != NULL)
		w->ev.on_batch(w->ud);
}

/* A refused upgrade: report the status and the body's detail. */
void
ws_refused(struct ws *w)
{
	struct json_info info;
	struct buf detail = { 0 };
	int st = w->resp.status;
	const char *line, *eol;
	char shown[512], status[128];

	line = strchr(w->resp.head.p, ' ');
	eol = strstr(w->resp.head.p, "\r\n");

	msg_escape(status, sizeof(status), line, (size_t)(eol - line), 100, 0);
	if (json_scan(w->resp.body.p ? w->resp.body.p : "", w->resp.body.len,
	    &info) == JSON_OBJECT && info.detail.is_string &&
	    json_span_text(&info.detail, &detail) == 0) {
		msg_escape(shown, sizeof(shown), detail.p, detail.len, 400,
		    utf8_valid(detail.p, detail.len, NULL));
		ws_say(w, "%s: %s (HTTP%s): %s", w->cfg.display,
		    st == 401 || st == 403 ? "authentication rejected" :
		    "upgrade refused", status, shown);
	} else
		ws_say(w, "%s: %s (HTTP%s)", w->cfg.display,
		    st == 401 || st == 403 ? "authentication rejected" :
		    "upgrade refused", status);
	buf_free(&detail);
	w->end.outcome = st == 401 || st == 403 ? WS_ERR_AUTH : WS_ERR_UPGRADE;
	w->end.http_status = st;
	w->end.code = 1006;
	ws_report(w);
}

/* Bytes of the server's answer to the upgrade request. */
static void
handshake_rx(struct ws *w, const char *data, size_t len)
{
	enum wsp_hs_state st = wsp_response_feed(&w->resp, w->key, data, len);

	switch (st) {
	case WSP_HS_MORE:
		return;
	case WSP_HS_BAD:
		ws_say(w, "%s: protocol error: %s", w->cfg.display,
		    w->resp.bad);
		ws_fail(w, WS_ERR_PROTOCOL);
		return;
	case WSP_HS_REFUSED:
		ws_refused(w);
		lws_set_timeout(w->wsi, PENDING_TIMEOUT_USER_OK,
		    LWS_TO_KILL_ASYNC);
		return;
	case WSP_HS_OPEN:
		break;
	}
	lws_sul_cancel(&w->connect_sul);
	w->state = ST_OPEN;
	msg_info("connected to %s", w->cfg.display);
	ev_begin(w->cfg.events, "open");
	ev_int(w->cfg.events, "http_status", w->resp.status);
	ev_str(w->cfg.events, "extensions", "");  /* none offered */
	ev_end(w->cfg.events);
	if (w->cfg.ping_interval > 0)
		lws_sul_schedule(w->ctx, 0, &w->ping_sul, ping_due,
		    (lws_usec_t)(w->cfg.ping_interval * 1e6));
	w->ev.on_open(w->ud);
	if (w->state == ST_OPEN || w->state == ST_CLOSING)
		stream_rx(w, data + w->resp.used, len - w->resp.used);
}

/* wss: encrypt queued frames once TLS is up and collect ciphertext. */
static int
tls_pump(struct ws *w)
{
	if (w->tls == NULL)
		return 0;
	if (w->tx.len > w->tx_off && w->state >= ST_HANDSHAKE) {
		if (tls_write(w->tls, w->tx.p + w->tx_off,
		    w->tx.len - w->tx_off) == -1)
			return -1;
		buf_clear(&w->tx);
		w->tx_off = 0;
	}
	if (w->wire_off == w->wire.len) {
		buf_clear(&w->wire);
		w->wire_off = 0;
	}
	return tls_output(w->tls, &w->wire);
}

/*
 * Write what the socket takes of the queued bytes; -1 to close it.  We
 * send(2) ourselves instead of lws_write(): lws copies the unsent part of a
 * short write and then stops reading the socket until it is flushed, so a
 * server that waits for us to read before it reads would spin us.
 */
int
ws_writeable(struct ws *w)
{
	struct buf *b = w->tls ? &w->wire : &w->tx;
	size_t *off = w->tls ? &w->wire_off : &w->tx_off;
	ssize_t n;

	if (tls_pump(w) == -1)
		return -1;
	if (*off < b->len) {
		n = send(lws_get_socket_fd(w->wsi), b->p + *off, b->len - *off,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n == -1 && errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != EINTR) {
			msg_info("cannot write to the server: %s",
			    strerror(errno));
			return -1;
		}
		if (n > 0)
			*off += (size_t)n;
	}
	if (*off < b->len) {
		lws_callback_on_writable(w->wsi);
		return 0;
	}
	buf_clear(b);
	*off = 0;
	if (w->kill)
		return -1;
	if (w->ev.on_drain != NULL && w->tx.len == w->tx_off)
		w->ev.on_drain(w->ud);
	return 0;
}

/* Plaintext from the server: the upgrade answer, then frames. */
static void
rx_plain(struct ws *w, const char *data, size_t len)
{
	if (w->aborted)
		return;  /* given up before it opened: the message stays unsent */
	if (w->state == ST_HANDSHAKE)
		handshake_rx(w, data, len);
	else if (w->state == ST_OPEN || w->state == ST_CLOSING)
		stream_rx(w, data, len);
}

/* wss: bytes from the socket go through TLS first. */
static void
rx_tls(struct ws *w, const char *data, size_t len)
{
	enum ws_state before = w->state;
	enum tls_state st;

	w->plain.len = 0;
	st = tls_input(w->tls, data, len, &w->plain);
	if (st == TLS_FAILED) {
		/*
		 * With TLS 1.3 the server judges our certificate after our
		 * side of the handshake is done: its refusal arrives while we
		 * wait for the upgrade answer, and is a TLS failure too.
		 */
		if (before == ST_TLS || (before == ST_HANDSHAKE &&
		    w->resp.head.len == 0)) {
			ws_say(w, "%s: TLS failure: %s", w->cfg.display,
			    tls_error(w->tls));
			ws_fail(w, WS_ERR_TLS);
		} else {
			ws_say(w, "%s: TLS error: %s", w->cfg.display,
			    tls_error(w->tls));
			ws_fail(w, WS_ERR_LOST);
		}
		return;
	}
	if (before == ST_TLS && st != TLS_HANDSHAKE) {
		msg_info("TLS session established");
		w->state = ST_HANDSHAKE;  /* the upgrade request can go */
	}
	lws_callback_on_writable(w->wsi);
	if (w->plain.len > 0)
		rx_plain(w, w->plain.p, w->plain.len);
	if (st == TLS_CLOSED && w->wsi != NULL)
		lws_set_timeout(w->wsi, PENDING_TIMEOUT_USER_OK,
		    LWS_TO_KILL_ASYNC);
}

/* The stream to the server is up: start TLS and the upgrade request. */
static void
stream_up(struct ws *w)
{
	uint8_t raw[16];
	char key[WSP_KEY_LEN + 8];

	if (random_bytes(raw, sizeof(raw)) == -1) {
		msg_error("cannot make a WebSocket key");
		ws_fail(w, WS_ERR_CONNECT);
		return;
	}
	base64_encode(key, raw, sizeof(raw));
	memcpy(w->key, key, WSP_KEY_LEN + 1);
	if (wsp_request(&w->tx, w->cfg.url->hostport, w->cfg.target, w->key,
	    &w->cfg.headers) == -1) {
		msg_error("out of memory");
		ws_fail(w, WS_ERR_CONNECT);
		return;
	}
	msg_info("upgrading %s", w->cfg.display);
	if (w->tls != NULL) {
		/* The request waits in tx until the TLS handshake is done. */
		w->state = ST_TLS;
		rx_tls(w, NULL, 0);
		return;
	}
	w->state = ST_HANDSHAKE;
	lws_callback_on_writable(w->wsi);
}

/* Bytes of the proxy's answer to CONNECT; the rest is the tunnel's. */
static void
proxy_rx(struct ws *w, const char *data, size_t len)
{
	char shown[256];
	const char *st;
	size_t n;

	switch (tunnel_feed(&w->tun, data, len)) {
	case TUNNEL_MORE:
		return;
	case TUNNEL_BAD:
		if (w->tun.bad == NULL)
			msg_error("out of memory");
		else
			ws_say(w, "%s: cannot connect: the proxy %s sent %s",
			    w->cfg.display, w->cfg.proxy->display, w->tun.bad);
		ws_fail(w, WS_ERR_CONNECT);
		return;
	case TUNNEL_REFUSED:
		st = tunnel_status_text(&w->tun, &n);
		msg_escape(shown, sizeof(shown), st, n, 200, 0);
		ws_say(w, "%s: cannot connect: the proxy %s refused the tunnel"
		    " (HTTP %s)", w->cfg.display, w->cfg.proxy->display,
		    shown);
		ws_fail(w, WS_ERR_CONNECT);
		return;
	case TUNNEL_OPEN:
		break;
	}
	msg_info("the proxy opened a tunnel (HTTP %d)", w->tun.status);
	stream_up(w);
	data += w->tun.used;
	len -= w->tun.used;
	if (len == 0 || w->state == ST_ENDED || w->wsi == NULL)
		return;
	/* Nothing should follow, but what does is the server's. */
	if (w->tls != NULL)
		rx_tls(w, data, len);
	else
		rx_plain(w, data, len);
}

/* TCP is up: ask the proxy for a tunnel, or go on with the stream. */
void
ws_connected(struct ws *w)
{
	const struct proxy *p = w->cfg.proxy;

	if (p == NULL) {
		stream_up(w);
		return;
	}
	/* The request goes out as it is, before any TLS. */
	if (tunnel_request(w->tls ? &w->wire : &w->tx, w->cfg.url->host,
	    w->cfg.url->port, p->auth, w->cfg.headers.user_agent) == -1) {
		msg_error("out of memory");
		ws_fail(w, WS_ERR_CONNECT);
		return;
	}
	msg_info("asking the proxy %s for a tunnel to port %d",
	    p->display, w->cfg.url->port);
	w->state = ST_PROXY;
	lws_callback_on_writable(w->wsi);
}

void
ws_rx(struct ws *w, const char *data, size_t len)
{
	if (w->state == ST_PROXY)
		proxy_rx(w, data, len);
	else if (w->tls != NULL)
		rx_tls(w, data, len);
	else
		rx_plain(w, data, len);
}
