/*
 * An HTTP CONNECT tunnel through a proxy (RFC 9110, 9.3.6), as a pure
 * codec: the request, and the parser of the proxy's answer head.  No I/O,
 * so the parser can be fuzzed on its own; ws_stream.c moves the bytes.
 */
#ifndef CHATCAT_TUNNEL_H
#define CHATCAT_TUNNEL_H

#include <stddef.h>

#include "lib/buf.h"

#define TUNNEL_MAX_HEAD 16384  /* the proxy's answer head, at most */

/*
 * Append "CONNECT host:port HTTP/1.1" with Host, when auth
 * ("user:password") is not NULL Proxy-Authorization: Basic (the request
 * then holds the credentials), and User-Agent (NULL: chatcat's; "": none,
 * as --user-agent).  -1 if out of memory.
 */
int tunnel_request(struct buf *out, const char *host, int port,
    const char *auth, const char *user_agent);

enum tunnel_state { TUNNEL_MORE, TUNNEL_OPEN, TUNNEL_REFUSED, TUNNEL_BAD };

struct tunnel_response {
	struct buf head;     /* the final answer head, as received so far */
	int status;          /* its status, once complete */
	const char *bad;     /* TUNNEL_BAD: what it sent; NULL: no memory */
	size_t used;         /* bytes of the last input that belonged to it */
};

/*
 * Feed bytes of the proxy's answer.  Interim (1xx) heads are skipped.
 * TUNNEL_OPEN: a 2xx; bytes of the last input after r->used belong to
 * the tunnel.  TUNNEL_REFUSED: another status (the body is not read).
 */
enum tunnel_state tunnel_feed(struct tunnel_response *r, const char *data,
    size_t len);

/* The status line after "HTTP/1.x " ("407 Proxy ..."), not NUL-ended. */
const char *tunnel_status_text(const struct tunnel_response *r, size_t *len);

void tunnel_response_free(struct tunnel_response *r);

#endif
