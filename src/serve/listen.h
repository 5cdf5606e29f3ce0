/*
 * chatcat serve's listener: the listening socket (made here, so that a
 * failure says why and the ready line carries the port really bound), the
 * lws context with the chat protocol and the agents' pipes, and the ready
 * line.  Accepted connections are handed to lws; at the descriptor limit
 * the listener pauses until a descriptor frees.
 */
#ifndef CHATCAT_SERVE_LISTEN_H
#define CHATCAT_SERVE_LISTEN_H

#include <stddef.h>

#include "server.h"

/* Split --listen [ADDR:]PORT, ADDR an IPv4 address, a name or [IPv6];
 * -1 after an error. */
int listen_parse(const char *spec, char *addr, size_t addrsz, int *port);

/*
 * Listen on addr:port, create s->ctx, adopt the signal pipe, print the
 * ready line (with token unless it is "") and report it.  -1 after an
 * error.
 */
int listen_start(struct server *s, const char *addr, int port,
    const char *token);

/* A descriptor was freed: accept again if the listener paused. */
void listen_resume(struct server *s);


#endif
