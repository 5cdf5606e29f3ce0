/*
 * Which HTTP proxy, if any, carries the connection: --proxy, or the
 * environment as curl reads it (http_proxy for ws://, https_proxy or
 * HTTPS_PROXY for wss://, then all_proxy or ALL_PROXY), minus the hosts
 * that --noproxy or no_proxy / NO_PROXY exempt.  Only http:// proxies.
 */
#ifndef CHATCAT_PROXY_H
#define CHATCAT_PROXY_H

#include "url.h"

#define PROXY_DEFAULT_PORT 1080  /* as curl */

struct proxy {
	char *host;       /* name or address, without brackets */
	int port;
	char *auth;       /* "user:password", percent-decoded, or NULL */
	char *display;    /* "http://[***@]host:port" for messages */
};

/*
 * Decide for the server u: 0 with p->host NULL for a direct connection,
 * 0 with p filled for a proxy, or -1 after printing an error (a bad or
 * unsupported proxy URL: a usage error).  opt is --proxy ("" for none) or
 * NULL; noproxy is --noproxy or NULL (then the environment's list).
 */
int proxy_choose(const struct url *u, const char *opt, const char *noproxy,
    struct proxy *p);

/*
 * Whether host (port) is exempt by the no_proxy list: comma- or
 * space-separated names (matching the name and its subdomains; a leading
 * dot is ignored), IP addresses or CIDR blocks, "*" for every host.  An
 * entry with ":PORT" ("[v6]:PORT" for IPv6) only matches that port.
 */
int proxy_exempt(const char *list, const char *host, int port);

/* Parse an http:// proxy URL; -1 after printing an error naming from. */
int proxy_parse(const char *s, const char *from, struct proxy *p);

/* Free p, wiping the credentials. */
void proxy_free(struct proxy *p);

#endif
