/*
 * The first stage of a connection through a proxy: the CONNECT request
 * for our server, and what the proxy's answer (parsed by tunnel.c) means.
 */
#ifndef CHATCAT_TUNNEL_STAGE_H
#define CHATCAT_TUNNEL_STAGE_H

#include <stddef.h>

#include "lib/buf.h"
#include "tunnel.h"
#include "ws_types.h"

/* Append the CONNECT request for cfg's server to out; -1 if it failed. */
int tunnel_stage_request(struct buf *out, const struct ws_config *cfg);
/*
 * Feed bytes of the proxy's answer to r.  TUNNEL_OPEN: bytes from r->used
 * on are the tunnel's.  TUNNEL_BAD, TUNNEL_REFUSED: why in buf, or ""
 * when that has been reported (out of memory).
 */
enum tunnel_state tunnel_stage_feed(struct tunnel_response *r,
    const struct ws_config *cfg, const char *data, size_t len, char *buf,
    size_t size);

#endif
