/* host[:port] and [v6][:port] (hostport.h). */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "hostport.h"

/* A port: 1 to 65535, decimal digits only; -1 otherwise. */
static int
hostport_port(const char *p, size_t n)
{
	long v = 0;
	size_t i;

	if (n == 0 || n > 5)
		return -1;
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v >= 1 && v <= 65535 ? (int)v : -1;
}

enum hostport_err
hostport_split(const char *s, size_t n, const char **host, size_t *hlen,
    int *port)
{
	const char *end = s + n, *p = NULL;

	*host = s;
	*hlen = n;
	*port = 0;
	if (n > 0 && s[0] == '[') {
		const char *close = memchr(s, ']', n);

		if (close == NULL)
			return HOSTPORT_UNTERMINATED;
		*host = s + 1;
		*hlen = (size_t)(close - *host);
		if (close + 1 < end) {
			if (close[1] != ':')
				return HOSTPORT_AFTER_BRACKET;
			p = close + 2;
		}
	} else {
		const char *colon = memchr(s, ':', n);

		if (colon != NULL) {
			*hlen = (size_t)(colon - s);
			p = colon + 1;
		}
	}
	if (*hlen == 0)
		return HOSTPORT_NO_HOST;
	if (p != NULL && (*port = hostport_port(p, (size_t)(end - p))) < 0) {
		*port = 0;
		return HOSTPORT_BAD_PORT;
	}
	return HOSTPORT_OK;
}

/* How an address is written in a URL: [v6]:port or v4:port. */
void
hostport_format(const struct sockaddr *sa, char *out, size_t outsz)
{
	char host[INET6_ADDRSTRLEN] = "?";
	int port = 0;

	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const void *)sa;

		inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof(host));
		port = ntohs(a->sin6_port);
		snprintf(out, outsz, "[%s]:%d", host, port);
		return;
	}
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *a = (const void *)sa;

		inet_ntop(AF_INET, &a->sin_addr, host, sizeof(host));
		port = ntohs(a->sin_port);
	}
	snprintf(out, outsz, "%s:%d", host, port);
}

void
hostport_peer(int fd, char *out, size_t outsz)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getpeername(fd, (struct sockaddr *)&ss, &len) == -1) {
		snprintf(out, outsz, "?");
		return;
	}
	hostport_format((struct sockaddr *)&ss, out, outsz);
}
