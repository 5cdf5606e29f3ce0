/*
 * The WebSocket client protocol (RFC 6455) as a pure codec: the opening
 * handshake request and response, and frames in both directions.  No I/O
 * and no libwebsockets here, so every parser can be fuzzed on its own.
 * ws_stream.c moves the bytes.
 */
#ifndef CHATCAT_WSPROTO_H
#define CHATCAT_WSPROTO_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

enum { WSP_CONT = 0, WSP_TEXT = 1, WSP_BINARY = 2, WSP_CLOSE = 8,
       WSP_PING = 9, WSP_PONG = 10 };

#define WSP_KEY_LEN 24       /* base64 of 16 random bytes */
#define WSP_MAX_HEAD 16384   /* response head limit */
#define WSP_MAX_BODY 65536   /* error body kept to show its detail */

/* The request's optional headers; the caller has checked the text. */
struct wsp_headers {
	const char *origin;          /* NULL: no Origin header */
	const char *user_agent;      /* NULL: chatcat's own; "": none */
	const char *const *extra;    /* "Name: value" strings from -H */
	size_t nextra;
};

/*
 * Append the upgrade request for path_query (which may hold the secret) to
 * out.  A User-Agent among the -H headers replaces chatcat's own.
 */
int wsp_request(struct buf *out, const char *host, const char *path_query,
    const char *key, const struct wsp_headers *h);

/* Whether one of the "Name: value" headers is called name (any case). */
int wsp_header_named(const char *const *headers, size_t n, const char *name);

enum wsp_hs_state { WSP_HS_MORE, WSP_HS_OPEN, WSP_HS_REFUSED, WSP_HS_BAD };

struct wsp_response {
	struct buf head;     /* bytes up to and including the blank line */
	struct buf body;     /* refused: the body read so far */
	int status;          /* HTTP status, once the head is complete */
	long long content_length; /* -1 unknown */
	int head_done;
	const char *bad;     /* WSP_HS_BAD: what was wrong */
	size_t used;         /* bytes of the last input that belonged to it */
};

/*
 * Feed response bytes.  WSP_HS_OPEN: a valid 101 for key; bytes after
 * r->used belong to the WebSocket stream.  WSP_HS_REFUSED: another status
 * whose body is complete (call wsp_response_end() at EOF otherwise).
 */
enum wsp_hs_state wsp_response_feed(struct wsp_response *r, const char *key,
    const char *data, size_t len);
/* Whether the refused response's body is complete. */
int wsp_response_body_done(const struct wsp_response *r);
void wsp_response_free(struct wsp_response *r);

/*
 * Write the header of a final frame of len payload bytes into h: masked (a
 * client's) with mask, unmasked without.  Returns its length (2 to 14).
 */
size_t wsp_header(uint8_t h[14], int opcode, size_t len,
    const uint8_t mask[4]);

/* A frame header as read. */
struct wsp_head {
	int fin, rsv, opcode;    /* rsv: the three reserved bits, shifted */
	int masked;
	uint64_t len;            /* payload bytes */
};

/*
 * Parse the frame header at p (avail bytes): its length (2 to 14), or 0
 * when it is not complete.  With avail >= 2, fin, rsv, opcode and masked
 * are filled even when 0 is returned.  Pure: the one header parser for
 * the client and the server.
 */
size_t wsp_head_parse(const uint8_t *p, size_t avail, struct wsp_head *h);

/* Append one frame: masked (a client's) with mask, unmasked without. */
int wsp_encode(struct buf *out, int opcode, const void *data, size_t len,
    const uint8_t mask[4]);

enum wsp_event { WSP_EV_MORE, WSP_EV_MESSAGE, WSP_EV_PING, WSP_EV_PONG,
    WSP_EV_CLOSE, WSP_EV_ERROR };

struct wsp_decoder {
	struct buf in;       /* unparsed stream bytes from `off` on */
	size_t off;
	struct buf msg;      /* a fragmented message being reassembled */
	int msg_opcode;      /* 0: none in progress */
	size_t max_message;
	int failed;          /* the close code of a protocol error seen */
};

/* What wsp_next() found; data is valid until the next call. */
struct wsp_frame {
	int opcode;          /* WSP_TEXT or WSP_BINARY for a message */
	const char *data;
	size_t len;
	int close_code;      /* WSP_EV_CLOSE: 1005 when absent */
	int error_code;      /* WSP_EV_ERROR: close code to send */
	const char *error;   /* WSP_EV_ERROR: why */
};

void wsp_decoder_init(struct wsp_decoder *d, size_t max_message);
int wsp_decoder_feed(struct wsp_decoder *d, const void *data, size_t len);
enum wsp_event wsp_next(struct wsp_decoder *d, struct wsp_frame *f);
void wsp_decoder_free(struct wsp_decoder *d);

#endif
