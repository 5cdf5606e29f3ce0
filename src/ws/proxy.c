/*
 * The proxy decision, as curl makes it: the command line, then the
 * scheme's environment variable, then all_proxy; no_proxy exempts hosts.
 * Only http:// proxies (CONNECT) are spoken; a proxy URL without a scheme
 * is http://.  The credentials of a proxy URL never reach a message: a
 * proxy is shown with "***" in place of its user information.
 */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/buf.h"
#include "lib/msg.h"
#include "lib/hex.h"
#include "lib/hostport.h"
#include "proxy.h"

#define ENTRY_MAX 300  /* a no_proxy entry longer than this never matches */

/* Length of the scheme before "://" in s, or 0 when s has none. */
static size_t
scheme_len(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");

	return n > 0 && strncmp(s + n, "://", 3) == 0 ? n : 0;
}

/*
 * s as typed, for messages: everything up to its last '@' (a proxy URL
 * has no path, so that is user information, even when it holds a '/'
 * that should have been encoded) becomes "***".
 */
static void
redact(const char *s, char *out, size_t outsz)
{
	size_t n = scheme_len(s);
	const char *auth = n ? s + n + 3 : s, *at = strrchr(auth, '@');
	char tmp[512];

	if (at == NULL)
		snprintf(tmp, sizeof(tmp), "%s", s);
	else
		snprintf(tmp, sizeof(tmp), "%.*s***%s", (int)(auth - s), s, at);
	msg_escape(out, outsz, tmp, strlen(tmp), outsz, 1);
}

/*
 * Append s[0..n) percent-decoded to b: 0, -1 for a bad escape or an
 * encoded NUL or colon (when nocolon), -2 when out of memory.
 */
static int
decode(struct buf *b, const char *s, size_t n, int nocolon)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '%') {
			int hi, lo;

			if (n - i < 3)
				return -1;
			hi = hex_value((unsigned char)s[i + 1]);
			lo = hex_value((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = (char)(hi * 16 + lo);
			i += 2;
			if (c == '\0' || (c == ':' && nocolon))
				return -1;
		}
		if (buf_add(b, &c, 1) == -1)
			return -2;
	}
	return 0;
}

/* "user:password" from the user information ui[0..n), decoded. */
static int
userinfo(const char *ui, size_t n, const char *shown, struct proxy *p)
{
	struct buf b = { 0 };
	const char *colon = memchr(ui, ':', n);
	size_t ulen = colon ? (size_t)(colon - ui) : n;
	int r;

	r = decode(&b, ui, ulen, 1);
	if (r == 0)
		r = buf_add(&b, ":", 1) == -1 ? -2 : 0;
	if (r == 0 && colon != NULL)
		r = decode(&b, colon + 1, n - ulen - 1, 0);
	if (r == 0 && b.p != NULL) {
		p->auth = b.p;
		return 0;
	}
	if (b.p != NULL)
		memset(b.p, 0, b.len);
	buf_free(&b);
	if (r == -2)
		msg_error("out of memory");
	else
		msg_error("%s: bad percent-encoding in the proxy's user"
		    " information", shown);
	return -1;
}

/* host, [v6] and an optional :port from s[0..n). */
static int
hostport(const char *s, size_t n, const char *shown, struct proxy *p)
{
	const char *host;
	size_t hlen;
	int port;

	switch (hostport_split(s, n, &host, &hlen, &port)) {
	case HOSTPORT_OK:
		break;
	case HOSTPORT_BAD_PORT:
		msg_error("%s: invalid proxy port", shown);
		return -1;
	default:
		msg_error("%s: no valid host in the proxy URL", shown);
		return -1;
	}
	p->port = port != 0 ? port : PROXY_DEFAULT_PORT;
	p->host = strndup(host, hlen);
	if (p->host == NULL) {
		msg_error("out of memory");
		return -1;
	}
	return 0;
}

/* "http://[***@]host:port" for messages. */
static int
make_display(struct proxy *p)
{
	int v6 = strchr(p->host, ':') != NULL;
	int n = snprintf(NULL, 0, "http://%s%s%s%s:%d", p->auth ? "***@" : "",
	    v6 ? "[" : "", p->host, v6 ? "]" : "", p->port);

	p->display = malloc((size_t)n + 1);
	if (p->display == NULL) {
		msg_error("out of memory");
		return -1;
	}
	snprintf(p->display, (size_t)n + 1, "http://%s%s%s%s:%d",
	    p->auth ? "***@" : "", v6 ? "[" : "", p->host, v6 ? "]" : "",
	    p->port);
	return 0;
}

int
proxy_parse(const char *s, const char *from, struct proxy *p)
{
	char shown[512], full[600];
	size_t slen = scheme_len(s), alen;
	const char *rest = slen ? s + slen + 3 : s, *at;
	const unsigned char *c;

	*p = (struct proxy){ 0 };
	redact(s, shown, sizeof(shown));
	snprintf(full, sizeof(full), "%s: %s", from, shown);
	if (slen > 0 && (slen != 4 || strncasecmp(s, "http", 4) != 0)) {
		msg_error("%s: unsupported proxy scheme '%.*s' (only http://"
		    " proxies are supported)", full, slen > 16 ? 16 : (int)slen,
		    s);
		return -1;
	}
	for (c = (const unsigned char *)s; *c != '\0'; c++)
		if (*c <= ' ' || *c == 0x7f) {
			msg_error("%s: white space or a control character in"
			    " the proxy URL", full);
			return -1;
		}
	at = strrchr(rest, '@');
	if (at != NULL) {
		if (userinfo(rest, (size_t)(at - rest), full, p) == -1)
			goto fail;
		rest = at + 1;
	}
	alen = strcspn(rest, "/?#");
	if (rest[alen] != '\0' && strcmp(rest + alen, "/") != 0) {
		msg_error("%s: a proxy URL has no path or query", full);
		goto fail;
	}
	if (hostport(rest, alen, full, p) == -1 || make_display(p) == -1)
		goto fail;
	return 0;
fail:
	proxy_free(p);
	return -1;
}

/* Whether host is an address within the IP block entry ("ADDR[/BITS]"). */
static int
ip_match(const char *entry, const char *host)
{
	unsigned char a[16], b[16];
	char addr[64], *slash, *end;
	int fa, fb, len, bits, i;
	long v;

	if (strlen(entry) >= sizeof(addr))
		return 0;
	snprintf(addr, sizeof(addr), "%s", entry);
	slash = strchr(addr, '/');
	if (slash != NULL)
		*slash = '\0';
	fa = strchr(addr, ':') ? AF_INET6 : AF_INET;
	fb = strchr(host, ':') ? AF_INET6 : AF_INET;
	if (fa != fb || inet_pton(fa, addr, a) != 1 ||
	    inet_pton(fb, host, b) != 1)
		return 0;
	len = fa == AF_INET6 ? 16 : 4;
	bits = len * 8;
	if (slash != NULL) {
		errno = 0;
		v = strtol(slash + 1, &end, 10);
		if (errno != 0 || *end != '\0' || slash[1] < '0' ||
		    slash[1] > '9' || v > bits)
			return 0;
		bits = (int)v;
	}
	for (i = 0; i < len && bits > 0; i++, bits -= 8) {
		unsigned char m = bits >= 8 ? 0xff :
		    (unsigned char)(0xff << (8 - bits));

		if ((a[i] & m) != (b[i] & m))
			return 0;
	}
	return 1;
}

/* Whether the name host is the name entry or one of its subdomains. */
static int
name_match(const char *entry, size_t elen, const char *host, size_t hlen)
{
	while (elen > 0 && entry[0] == '.') {
		entry++;
		elen--;
	}
	while (elen > 0 && entry[elen - 1] == '.')
		elen--;
	while (hlen > 0 && host[hlen - 1] == '.')
		hlen--;
	if (elen == 0 || elen > hlen)
		return 0;
	if (strncasecmp(host + hlen - elen, entry, elen) != 0)
		return 0;
	return elen == hlen || host[hlen - elen - 1] == '.';
}

/* One no_proxy entry e[0..n) against host and port. */
static int
entry_match(const char *e, size_t n, const char *host, int port)
{
	char ent[ENTRY_MAX + 1];
	const char *portstr = NULL, *h = ent;
	unsigned char a[16];
	char *end;
	long v;

	if (n == 1 && e[0] == '*')
		return 1;
	if (n > ENTRY_MAX)
		return 0;
	memcpy(ent, e, n);
	ent[n] = '\0';
	if (ent[0] == '[') {
		/* [v6] or [v6]:PORT */
		char *close = strchr(ent, ']');

		if (close == NULL || (close[1] != '\0' && close[1] != ':'))
			return 0;
		if (close[1] == ':')
			portstr = close + 2;
		*close = '\0';
		h = ent + 1;
	} else {
		char *colon = strchr(ent, ':');

		if (colon != NULL && strchr(colon + 1, ':') == NULL) {
			*colon = '\0';  /* NAME:PORT (one colon: not IPv6) */
			portstr = colon + 1;
		}
	}
	if (portstr != NULL) {
		errno = 0;
		v = strtol(portstr, &end, 10);
		if (errno != 0 || end == portstr || *end != '\0' || v != port)
			return 0;
	}
	if (h[0] == '\0')
		return 0;
	/* An address matches addresses only: "2.3" is no suffix of one. */
	if (inet_pton(AF_INET, host, a) == 1 ||
	    inet_pton(AF_INET6, host, a) == 1)
		return ip_match(h, host);
	return name_match(h, strlen(h), host, strlen(host));
}

int
proxy_exempt(const char *list, const char *host, int port)
{
	const char *p = list;

	while (*p != '\0') {
		size_t n;

		p += strspn(p, ", \t");
		n = strcspn(p, ", \t");
		if (n > 0 && entry_match(p, n, host, port))
			return 1;
		p += n;
	}
	return 0;
}

/* The first variable of names[] set to a non-empty value, or NULL. */
static const char *
env_first(const char *const *names, size_t n, const char **from)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *v = getenv(names[i]);

		if (v != NULL && v[0] != '\0') {
			*from = names[i];
			return v;
		}
	}
	return NULL;
}

int
proxy_choose(const struct url *u, const char *opt, const char *noproxy,
    struct proxy *p)
{
	/* HTTP_PROXY is not read: CGI programs get it from a request. */
	static const char *const ws_env[] = { "http_proxy", "all_proxy",
	    "ALL_PROXY" };
	static const char *const wss_env[] = { "https_proxy", "HTTPS_PROXY",
	    "all_proxy", "ALL_PROXY" };
	static const char *const no_env[] = { "no_proxy", "NO_PROXY" };
	const char *val = opt, *from = "--proxy", *nfrom = "--noproxy";
	const unsigned char *c;

	*p = (struct proxy){ 0 };
	if (val == NULL)
		val = u->tls ? env_first(wss_env, 4, &from) :
		    env_first(ws_env, 3, &from);
	if (val == NULL || val[0] == '\0')
		return 0;
	if (noproxy == NULL)
		noproxy = env_first(no_env, 2, &nfrom);
	if (noproxy != NULL && proxy_exempt(noproxy, u->host, u->port)) {
		msg_info("%s exempts %s from the proxy", nfrom, u->host);
		return 0;
	}
	for (c = (const unsigned char *)u->host; *c != '\0'; c++)
		if (*c <= ' ' || *c == 0x7f) {
			msg_error("the server's host name contains white space"
			    " or control characters");
			return -1;
		}
	if (proxy_parse(val, from, p) == -1)
		return -1;
	msg_info("using the proxy %s (from %s)", p->display, from);
	return 0;
}

void
proxy_free(struct proxy *p)
{
	if (p->auth != NULL)
		memset(p->auth, 0, strlen(p->auth));
	free(p->auth);
	free(p->host);
	free(p->display);
	*p = (struct proxy){ 0 };
}
