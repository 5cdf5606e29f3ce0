/* URL forms accepted by -u and CHATCAT_URL. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/buf.h"
#include "lib/msg.h"
#include "lib/hostport.h"
#include "url.h"

#define DEFAULT_PATH "/chat/ws"

static char *
dup_n(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p != NULL) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* Strip a known scheme, setting tls; -1 for an unknown one. */
static int
scheme(const char **s, int *tls)
{
	static const struct { const char *prefix; int tls; } schemes[] = {
		{ "ws://", 0 }, { "wss://", 1 }, { "http://", 0 },
		{ "https://", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		size_t n = strlen(schemes[i].prefix);

		if (strncasecmp(*s, schemes[i].prefix, n) == 0) {
			*s += n;
			*tls = schemes[i].tls;
			return 0;
		}
	}
	*tls = 0;
	return strstr(*s, "://") == NULL ? 0 : -1;
}

/* Parse the authority s[0..n): host, [v6] and an optional :port. */
static int
authority(const char *url, const char *s, size_t n, struct url *u)
{
	const char *host;
	size_t hlen;
	int port;

	if (memchr(s, '@', n) != NULL) {
		msg_error("%s: user information in URLs is not supported", url);
		return -1;
	}
	switch (hostport_split(s, n, &host, &hlen, &port)) {
	case HOSTPORT_OK:
		break;
	case HOSTPORT_UNTERMINATED:
		msg_error("%s: unterminated [ in the host", url);
		return -1;
	case HOSTPORT_NO_HOST:
		msg_error("%s: no host", url);
		return -1;
	default:
		msg_error("%s: invalid port", url);
		return -1;
	}
	u->port = port != 0 ? port : u->tls ? 443 : 80;
	u->host = dup_n(host, hlen);
	u->hostport = dup_n(s, n);
	if (u->host == NULL || u->hostport == NULL) {
		msg_error("out of memory");
		return -1;
	}
	return 0;
}

/*
 * The URL as typed, for messages: user information and the values of
 * token= and key= in the query become "***".
 */
static void
redact(const char *s, char *out, size_t outsz)
{
	struct buf b = { 0 };
	const char *auth = strstr(s, "://"), *at, *q, *p;

	auth = auth ? auth + 3 : s;
	at = strchr(auth, '@');
	if (at != NULL && at < auth + strcspn(auth, "/?#")) {
		buf_add(&b, s, (size_t)(auth - s));
		buf_adds(&b, "***");
		s = at;
	}
	q = strchr(s, '?');
	if (q == NULL) {
		buf_adds(&b, s);
	} else {
		buf_add(&b, s, (size_t)(q - s));
		for (p = q; *p != '\0' && *p != '#';) {
			size_t n = 1 + strcspn(p + 1, "&#");

			if (strncmp(p + 1, "token=", 6) == 0 ||
			    strncmp(p + 1, "key=", 4) == 0) {
				buf_add(&b, p, (size_t)(strchr(p, '=') - p) + 1);
				buf_adds(&b, "***");
			} else
				buf_add(&b, p, n);
			p += n;
		}
	}
	snprintf(out, outsz, "%s", b.p ? b.p : "");
	buf_free(&b);
}

/* Whether the query already carries a credential. */
static int
has_credential(const char *path)
{
	const char *q = strchr(path, '?');

	for (; q != NULL; q = strchr(q + 1, '&'))
		if (strncmp(q + 1, "token=", 6) == 0 ||
		    strncmp(q + 1, "key=", 4) == 0)
			return 1;
	return 0;
}

static int
parse(const char *s, struct url *u, const char *shown)
{
	const char *rest = s, *slash;
	size_t alen, plen;

	*u = (struct url){ 0 };
	if (scheme(&rest, &u->tls) == -1) {
		msg_error("%s: unsupported scheme (use ws, wss, http or https)",
		    shown);
		return -1;
	}
	slash = rest + strcspn(rest, "/?#");
	alen = (size_t)(slash - rest);
	/* "-u 44179" is a port, not the host named 44179. */
	if (rest == s && alen > 0 && strspn(rest, "0123456789") == alen) {
		msg_error("%s: a bare number is not a host: did you mean"
		    " 127.0.0.1:%.*s?", shown, (int)alen, rest);
		return -1;
	}
	if (authority(shown, rest, alen, u) == -1)
		return -1;
	plen = strcspn(slash, "#");
	if (plen == 0 || slash[0] == '?') {
		/* An empty path becomes the API's endpoint. */
		u->path = malloc(sizeof(DEFAULT_PATH) + plen);
		if (u->path != NULL)
			snprintf(u->path, sizeof(DEFAULT_PATH) + plen, "%s%.*s",
			    DEFAULT_PATH, (int)plen, slash);
	} else if (plen == 1 && slash[0] == '/') {
		u->path = dup_n(DEFAULT_PATH, strlen(DEFAULT_PATH));
	} else
		u->path = dup_n(slash, plen);
	if (u->path == NULL) {
		msg_error("out of memory");
		return -1;
	}
	if (strpbrk(u->path, " \t\r\n") != NULL) {
		msg_error("%s: the path contains white space", shown);
		return -1;
	}
	if (has_credential(u->path)) {
		msg_error("%s: the URL carries a credential: use --token or"
		    " --api-key instead", shown);
		return -1;
	}
	return 0;
}

int
url_parse(const char *s, struct url *u)
{
	char shown[512];

	redact(s, shown, sizeof(shown));
	if (parse(s, u, shown) == 0)
		return 0;
	url_free(u);
	return -1;
}

/* Append the query parameter for the credential, encoded or redacted. */
static int
add_cred(struct buf *b, const char *path, int key,
    const char *cred)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *c;

	if (buf_adds(b, path) == -1 ||
	    buf_adds(b, strchr(path, '?') ? "&" : "?") == -1 ||
	    buf_adds(b, key ? "key=" : "token=") == -1)
		return -1;
	if (cred == NULL)
		return buf_adds(b, "***");
	for (c = (const unsigned char *)cred; *c != '\0'; c++) {
		char e[3] = { '%', hex[*c >> 4], hex[*c & 15] };

		if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		    (*c >= '0' && *c <= '9') || strchr("-._~", *c) != NULL) {
			if (buf_add(b, c, 1) == -1)
				return -1;
		} else if (buf_add(b, e, 3) == -1)
			return -1;
	}
	return 0;
}

char *
url_target(const struct url *u, int key, const char *cred)
{
	struct buf b = { .secret = 1 };

	if (add_cred(&b, u->path, key, cred) == -1) {
		buf_free(&b);
		return NULL;
	}
	return b.p;
}

char *
url_display(const struct url *u, int key)
{
	struct buf b = { 0 };
	char port[16];

	snprintf(port, sizeof(port), ":%d", u->port);
	if (buf_adds(&b, u->tls ? "wss://" : "ws://") == -1 ||
	    buf_adds(&b, strchr(u->host, ':') ? "[" : "") == -1 ||
	    buf_adds(&b, u->host) == -1 ||
	    buf_adds(&b, strchr(u->host, ':') ? "]" : "") == -1 ||
	    buf_adds(&b, port) == -1 ||
	    add_cred(&b, u->path, key, NULL) == -1) {
		buf_free(&b);
		return NULL;
	}
	return b.p;
}

void
url_free(struct url *u)
{
	free(u->host);
	free(u->hostport);
	free(u->path);
	*u = (struct url){ 0 };
}
