/*
 * Where the connection goes: the server's name (the proxy's, with one)
 * resolved, and each address tried in turn with a non-blocking
 * connect(2).
 */
#ifndef CHATCAT_DIAL_H
#define CHATCAT_DIAL_H

#include <stddef.h>
#include <netdb.h>
#include <netinet/in.h>

#include "ws_types.h"

struct dial {
	const struct ws_config *cfg;
	struct addrinfo *ai, *next;   /* addresses still to try */
	char address[INET6_ADDRSTRLEN];  /* the one tried last */
	/* Set by the owner: an address is about to be tried. */
	void (*trying)(void *ud, const char *address, int port);
	void *ud;
};

/* cfg must outlive d. */
void dial_init(struct dial *d, const struct ws_config *cfg);
/* Resolve the name; -1 with why in buf. */
int dial_resolve(struct dial *d, char *buf, size_t size);
/* Whether an address is left to try. */
int dial_more(const struct dial *d);
/* Try no other address. */
void dial_give_up(struct dial *d);
/*
 * Start connecting to the next address: the socket (non-blocking,
 * close-on-exec, TCP_NODELAY), connected or connecting (wait for it to be
 * writable, then ask SO_ERROR); -1 with the error in *err when the
 * attempt failed at once.
 */
int dial_next(struct dial *d, int *err);
/* Forget the addresses. */
void dial_reset(struct dial *d);

#endif
