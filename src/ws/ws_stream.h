/*
 * What flows over one client connection once TCP is up: the proxy's
 * tunnel, TLS, the upgrade, WebSocket frames, our keepalive pings and the
 * closing handshake.  The owner (ws.c) hands it the socket's events and
 * hears back only through struct ws_stream_events; the stream never sees
 * the owner's state.  One stream serves every connection in turn:
 * ws_stream_reset() forgets the last one.
 */
#ifndef CHATCAT_WS_STREAM_H
#define CHATCAT_WS_STREAM_H

#include <stddef.h>

#include "loop.h"
#include "ws_types.h"

enum ws_stream_state { WSS_CONNECTING, WSS_PROXY, WSS_TLS, WSS_HANDSHAKE,
    WSS_OPEN, WSS_CLOSING, WSS_ENDED };

/* Something went wrong with the stream. */
struct ws_fault {
	enum ws_outcome outcome;
	const char *why;    /* what went wrong; NULL: reported already */
	int force;          /* outcome wins over an ending under way */
	int close_code;     /* 0: drop the socket; else our close frame with
	                       this code is queued, the socket goes after it */
	int http_status;    /* a refused upgrade: the connection has ended */
};

struct ws_stream_events {
	/* The stream has bytes to write: call ws_stream_writeable(). */
	void (*want_write)(void *ud);
	/* Drop the socket now. */
	void (*drop)(void *ud);
	/* The upgrade was accepted. */
	void (*opened)(void *ud, int http_status);
	/* Our ping was answered after rtt seconds. */
	void (*pong)(void *ud, double rtt);
	/* One whole message; binary for opcode 2.  Not NUL-ended. */
	void (*message)(void *ud, const char *data, size_t len, int binary);
	/* All messages of one read have been delivered. */
	void (*batch)(void *ud);
	/* Everything queued has been written. */
	void (*drained)(void *ud);
	/* The server sent a close frame (its reason is not NUL-ended). */
	void (*peer_closed)(void *ud, int code, const char *reason,
	    size_t len);
	void (*failed)(void *ud, const struct ws_fault *f);
};

/*
 * cfg must outlive the stream; loop runs its timers.  NULL if out of
 * memory (reported).
 */
struct ws_stream *ws_stream_new(const struct ws_config *cfg,
    struct loop *loop, const struct ws_stream_events *ev, void *ud);
/* Before a connection: the TLS session for wss; -1 after an error. */
int ws_stream_prepare(struct ws_stream *s);
/* Forget the last connection (queued frames are dropped). */
void ws_stream_reset(struct ws_stream *s);
/* TCP is up: ask the proxy for a tunnel, or go on with the upgrade. */
void ws_stream_connected(struct ws_stream *s);
/* Bytes from the socket. */
void ws_stream_rx(struct ws_stream *s, const char *data, size_t len);
/* The socket fd can take more; -1 to close it. */
int ws_stream_writeable(struct ws_stream *s, int fd);
/* Queue one text message; -1 unless open. */
int ws_stream_send_text(struct ws_stream *s, const char *data, size_t len);
/* Open: start the closing handshake with code and reason. */
void ws_stream_close(struct ws_stream *s, int code, const char *reason);
/* The wait for the server's close frame ends by then (loop_now()
 * time), if not 0. */
void ws_stream_deadline(struct ws_stream *s, loop_usec at);
/* Given up before it opened: what the server says is ignored. */
void ws_stream_abort(struct ws_stream *s);
/*
 * If the upgrade was refused (its head is complete), report it through
 * failed() and return 1; else 0.
 */
int ws_stream_refusal(struct ws_stream *s);
/*
 * The socket closed with no close frame either way: what that means, and
 * why into buf ("" when there is nothing to say).
 */
enum ws_outcome ws_stream_lost(const struct ws_stream *s, char *buf,
    size_t size);
/* The owner has reported the end: stop the timers, ignore the rest. */
void ws_stream_end(struct ws_stream *s);
enum ws_stream_state ws_stream_state(const struct ws_stream *s);
/* Bytes queued for the socket and not yet written. */
size_t ws_stream_queued(const struct ws_stream *s);
void ws_stream_free(struct ws_stream *s);

#endif
