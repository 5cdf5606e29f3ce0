/*
 * chatcat serve's listener: the lws context with the chat protocol and
 * the agents' pipes, the vhost on --listen, and the ready line.
 */
#ifndef CHATCAT_SERVE_LISTEN_H
#define CHATCAT_SERVE_LISTEN_H

#include <stddef.h>

#include "server.h"

/* Split --listen [ADDR:]PORT; -1 after an error. */
int listen_parse(const char *spec, char *addr, size_t addrsz, int *port);

/*
 * Create s->ctx listening on addr:port, adopt the signal pipe, print the
 * ready line (with token unless it is "") and report it.  -1 after an
 * error.
 */
int listen_start(struct server *s, const char *addr, int port,
    const char *token);

#endif
