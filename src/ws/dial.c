/*
 * Resolving and connecting.  Name resolution blocks (getaddrinfo); the
 * connection to each address does not.
 */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/msg.h"
#include "dial.h"

void
dial_init(struct dial *d, const struct ws_config *cfg)
{
	memset(d, 0, sizeof(*d));
	d->cfg = cfg;
}

int
dial_resolve(struct dial *d, char *buf, size_t size)
{
	const struct proxy *p = d->cfg->proxy;
	const struct url *u = d->cfg->url;
	struct addrinfo hints;
	char port[8];
	int r;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	/* Through a proxy, the proxy resolves the server's name. */
	snprintf(port, sizeof(port), "%d", p ? p->port : u->port);
	r = getaddrinfo(p ? p->host : u->host, port, &hints, &d->ai);
	if (r != 0) {
		snprintf(buf, size, "%s: cannot resolve %s%s: %s",
		    d->cfg->display, p ? "the proxy " : "",
		    p ? p->display : u->host, gai_strerror(r));
		return -1;
	}
	d->next = d->ai;
	return 0;
}

int
dial_more(const struct dial *d)
{
	return d->next != NULL;
}

void
dial_give_up(struct dial *d)
{
	d->next = NULL;
}

/* Say which address is tried, at -v and to the owner (--events). */
static void
announce(const struct dial *d, int port)
{
	const struct ws_config *cfg = d->cfg;

	msg_info("connecting to %s%s port %d", cfg->proxy ? "the proxy at " :
	    "", d->address, port);
	if (d->trying != NULL)
		d->trying(d->ud, d->address, port);
}

int
dial_next(struct dial *d, int *err)
{
	const struct addrinfo *a = d->next;
	const void *addr = a->ai_family == AF_INET6 ?
	    (const void *)&((const struct sockaddr_in6 *)a->ai_addr)->sin6_addr :
	    (const void *)&((const struct sockaddr_in *)a->ai_addr)->sin_addr;
	int port = d->cfg->proxy ? d->cfg->proxy->port : d->cfg->url->port;
	int fd, one = 1;

	d->next = a->ai_next;
	inet_ntop(a->ai_family, addr, d->address, sizeof(d->address));
	announce(d, port);
	fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    a->ai_protocol);
	if (fd == -1) {
		*err = errno;
		return -1;
	}
	/* Small frames go at once: no Nagle. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, a->ai_addr, a->ai_addrlen) == -1 &&
	    errno != EINPROGRESS && errno != EINTR) {
		*err = errno;
		close(fd);
		return -1;
	}
	*err = 0;
	return fd;
}

void
dial_reset(struct dial *d)
{
	if (d->ai != NULL)
		freeaddrinfo(d->ai);
	d->ai = d->next = NULL;
}
