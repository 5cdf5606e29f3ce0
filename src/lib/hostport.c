/* host[:port] and [v6][:port] (hostport.h). */
#include <config.h>

#include <string.h>

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
