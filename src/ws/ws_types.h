/*
 * What the transport's owner configures and hears: the settings of a
 * connection, the callbacks, and how a connection ended.  The transport's
 * own modules (dial, ending, timers, watch, upgrade, tunnel_stage,
 * ws_stream) use these types; only ws.c and the owner use ws.h.
 */
#ifndef CHATCAT_WS_TYPES_H
#define CHATCAT_WS_TYPES_H

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

/* The name of an outcome ("ok", "connect", ...), for --events
 * (ending.c). */
const char *ws_outcome_name(enum ws_outcome o);

#endif
