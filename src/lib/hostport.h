/* host[:port] and [v6][:port], as URLs and proxies write them. */
#ifndef CHATCAT_HOSTPORT_H
#define CHATCAT_HOSTPORT_H

#include <stddef.h>

enum hostport_err {
	HOSTPORT_OK = 0,
	HOSTPORT_UNTERMINATED = -1,  /* "[" without "]" */
	HOSTPORT_AFTER_BRACKET = -2, /* "]" followed by other than ":" */
	HOSTPORT_NO_HOST = -3,
	HOSTPORT_BAD_PORT = -4       /* not 1 to 65535 in decimal digits */
};

/*
 * Split s[0..n): *host and *hlen name the host (brackets removed), *port
 * is the port, or 0 when none is written.  Allocates nothing.
 */
enum hostport_err hostport_split(const char *s, size_t n, const char **host,
    size_t *hlen, int *port);

struct sockaddr;

/* How an address is written in a URL: [v6]:port or v4:port. */
void hostport_format(const struct sockaddr *sa, char *out, size_t outsz);

/* The peer of socket fd, written as hostport_format() does ("?" if none). */
void hostport_peer(int fd, char *out, size_t outsz);

#endif
