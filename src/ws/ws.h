/*
 * The connection: libwebsockets' event loop, a TCP (or TLS) connection
 * made by lws in raw mode, and the WebSocket protocol from wsproto.c on
 * top of it.  chatcat speaks the handshake itself so that it can read the
 * body of a refused upgrade (lws discards it) and so that the secret in the
 * request target never passes through lws or its log.
 */
#ifndef CHATCAT_WS_H
#define CHATCAT_WS_H

#include <stddef.h>

#include "proxy.h"
#include "tls.h"
#include "url.h"
#include "wsproto.h"

enum ws_outcome {
	WS_OK,           /* closed with a close handshake */
	WS_ERR_CONNECT,  /* name resolution, refused, connect timeout, or the
	                    proxy did not open the tunnel */
	WS_ERR_TLS,
	WS_ERR_UPGRADE,  /* a status other than 101 */
	WS_ERR_AUTH,     /* 401 or 403 */
	WS_ERR_LOST,     /* dropped without a close handshake */
	WS_ERR_PROTOCOL  /* the server broke RFC 6455 or HTTP */
};

/* How the connection ended; errors have been reported on stderr. */
struct ws_end {
	enum ws_outcome outcome;
	int by_peer;         /* WS_OK: the server closed first */
	int code;            /* close code, 1006 when none */
	const char *reason;  /* close reason (valid during on_end only) */
	const char *why;     /* what went wrong, "" if nothing (ditto) */
	int http_status;     /* WS_ERR_AUTH, WS_ERR_UPGRADE: the status */
};

/* One address tried (on_connecting). */
struct ws_attempt {
	const char *display;       /* the redacted URL */
	const char *address;       /* the address tried */
	int port;
	const char *proxy;         /* the proxy's redacted URL, or NULL */
	unsigned attempt;          /* ws_connect() calls, from 1 */
};

struct ws_events {
	/* An address is tried (optional). */
	void (*on_connecting)(void *ud, const struct ws_attempt *a);
	/* The upgrade was accepted with this status. */
	void (*on_open)(void *ud, int http_status);
	/* Our ping was answered after rtt seconds (optional). */
	void (*on_pong)(void *ud, double rtt);
	/* One whole message; binary for opcode 2.  data is not NUL-ended. */
	void (*on_message)(void *ud, const char *data, size_t len,
	    int binary);
	/* All messages of one socket read have been delivered. */
	void (*on_batch)(void *ud);
	/* One of the ws_timer() timers expired. */
	void (*on_timer)(void *ud, int id);
	/* SIGINT or SIGTERM arrived. */
	void (*on_signal)(void *ud, int sig);
	/* The connection is gone, for good: called exactly once. */
	void (*on_end)(void *ud, const struct ws_end *end);
	/* Bytes from the watched input; len 0 at its end (once). */
	void (*on_input)(void *ud, const char *data, size_t len);
	/* Everything queued has been written to the socket. */
	void (*on_drain)(void *ud);
	/* The watched output can take more, or (gone) its reader left. */
	void (*on_output)(void *ud, int gone);
};

struct ws_config {
	const struct url *url;
	const char *target;          /* request target, holds the secret */
	const char *display;         /* redacted URL for messages */
	const struct proxy *proxy;   /* CONNECT through it; NULL: direct */
	struct wsp_headers headers;  /* Origin, User-Agent and -H */
	struct tls_config tls;       /* wss: trust and client certificate */
	double connect_timeout;
	double ping_interval;        /* seconds between our pings, 0 none */
	double ping_timeout;         /* ... and the wait for each pong */
	size_t max_frame;
	int verbose;
	int reconnect;               /* failures go to -v, not errors: the
	                                owner reports the one it gives up on */
};

#define WS_TIMERS 4

struct ws;

/* Make the event loop; NULL after printing an error. */
struct ws *ws_new(const struct ws_config *cfg, const struct ws_events *ev,
    void *ud);
/* Resolve the host and start connecting; an error has been reported. */
enum ws_outcome ws_connect(struct ws *w);
/* Queue one text message. */
int ws_send_text(struct ws *w, const char *data, size_t len);
/*
 * Start the closing handshake with code; the connection ends when the
 * server answers or after a short wait.  Before the connection is open it
 * is dropped at once.
 */
void ws_close(struct ws *w, int code, const char *reason);
/* The run ends in secs seconds (0: no end): the wait for the server's
 * close frame never goes past it. */
void ws_deadline(struct ws *w, double secs);
/* Arm timer id (0 <= id < WS_TIMERS) for secs seconds; 0 disarms it. */
void ws_timer(struct ws *w, int id, double secs);
/*
 * Watch fd for input (stdin) in the loop, with back-pressure: pause it
 * while the send queue is long.  Its end is reported even while paused.
 */
int ws_watch_input(struct ws *w, int fd);
void ws_input_pause(struct ws *w, int pause);
/* Bytes queued for the socket and not yet written. */
size_t ws_queued(const struct ws *w);
/* Watch fd (stdout, non-blocking) so that on_output says when it can
 * take more; ws_output_wait() asks for one such call. */
int ws_watch_output(struct ws *w, int fd);
void ws_output_wait(struct ws *w);
/* Stop or restart reading the socket (stdout cannot keep up). */
void ws_read_pause(struct ws *w, int pause);
/*
 * After on_end: make a new connection in delay seconds, with everything
 * per connection reset (queued frames are dropped: the owner sends again
 * what it wants sent).  on_open or on_end follows.  -1 if impossible.
 */
int ws_restart(struct ws *w, double delay);
/* What made the last connection fail or end, "" if nothing. */
const char *ws_why(const struct ws *w);
/* Run the loop until the connection has ended and no restart is due. */
void ws_run(struct ws *w);
void ws_free(struct ws *w);

/* The name of an outcome ("ok", "connect", ...), for --events. */
const char *ws_outcome_name(enum ws_outcome o);

/* "libwebsockets VERSION", for --version. */
const char *ws_library_version(void);

#endif
