/*
 * Shared by ws.c (the loop, connecting, reconnecting, ending) and
 * ws_stream.c (what flows once TCP is up).  Not for other modules.
 */
#ifndef CHATCAT_WS_INT_H
#define CHATCAT_WS_INT_H

#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>

#include <libwebsockets.h>

#include "lib/buf.h"
#include "tls.h"
#include "tunnel.h"
#include "ws.h"
#include "wsproto.h"

#define CLOSE_WAIT_US (1000 * 1000)  /* for the server's close frame */
#define RX_BUF (64 * 1024)           /* lws reads the socket in these */

enum ws_state { ST_IDLE, ST_CONNECTING, ST_PROXY, ST_TLS, ST_HANDSHAKE,
    ST_OPEN, ST_CLOSING, ST_ENDED };

struct ws_timer_slot {
	lws_sorted_usec_list_t sul;  /* first: the callback casts back */
	struct ws *w;
	int id;
};

struct ws {
	struct ws_config cfg;
	struct ws_events ev;
	void *ud;
	struct lws_context *ctx;
	struct lws_vhost *vh;
	struct lws *wsi;
	enum ws_state state;
	struct addrinfo *ai, *ai_next;  /* addresses still to try */
	char address[INET6_ADDRSTRLEN];
	char key[WSP_KEY_LEN + 1];
	struct lws *in_wsi, *out_wsi; /* watched input and output */
	int destroying;          /* ws_free(): no more events */
	int input_ended;
	struct tunnel_response tun;  /* the proxy's answer to CONNECT */
	struct wsp_response resp;
	struct wsp_decoder dec;
	struct tls *tls;         /* wss: the session; NULL for ws */
	struct buf tx;           /* frames (plaintext) waiting to be sent */
	size_t tx_off;
	uint8_t masks[256];      /* random bytes for frame masks ... */
	size_t masks_left;       /* ... not used yet (at the end) */
	struct buf wire;         /* wss: ciphertext waiting to be sent */
	size_t wire_off;
	struct buf plain;        /* wss: plaintext just decrypted */
	int kill;                /* drop the socket once tx is written */
	int close_sent;
	int reported;            /* on_end() has been called */
	int aborted;             /* closed by us before it was open */
	struct ws_end end;       /* filled before the socket goes */
	char reason[128];
	char why[512];           /* what ended it, for end.why */
	int restarting;          /* ws_restart(): a new connection is due */
	unsigned attempt;        /* ws_connect() calls, from 1 */
	int ping_out;            /* a ping is waiting for its pong */
	unsigned ping_seq;
	lws_usec_t ping_sent;
	lws_sorted_usec_list_t connect_sul, close_sul, restart_sul, ping_sul,
	    pong_sul;
	struct ws_timer_slot timers[WS_TIMERS];
};

/* ws.c */
/*
 * Report why the connection failed or ended, and keep the text for
 * end.why: an error, or under --reconnect a -v line.
 */
void ws_say(struct ws *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Record the outcome (first one wins) and drop the socket. */
void ws_fail(struct ws *w, enum ws_outcome outcome);
/* The connection has ended: tell the owner, once. */
void ws_report(struct ws *w);

/* ws_stream.c */
/* TCP is up: ask the proxy for a tunnel, or go on with the stream. */
void ws_connected(struct ws *w);
/* Bytes from the socket: the proxy's answer, TLS, or the stream. */
void ws_rx(struct ws *w, const char *data, size_t len);
/* The socket can take more; -1 to close it. */
int ws_writeable(struct ws *w);
/* A refused upgrade: report the status and the body's detail. */
void ws_refused(struct ws *w);

#endif
