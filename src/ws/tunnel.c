/*
 * The CONNECT request and the proxy's answer head.  The head ends at an
 * empty line (CRLF or a bare LF, as lenient clients accept); it must start
 * with "HTTP/1.x NNN" and fit TUNNEL_MAX_HEAD bytes.  Nothing after the
 * head is consumed: a 2xx answer has no body, and what follows it is the
 * tunnel's first bytes.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "lib/base64.h"
#include "tunnel.h"

/* Append the base64 of s (RFC 4648, with padding). */
static int
add_base64(struct buf *out, const char *s)
{
	size_t n = strlen(s), m = 4 * ((n + 2) / 3);

	if (buf_reserve(out, m + 1) == -1)
		return -1;
	base64_encode(out->p + out->len, (const unsigned char *)s, n);
	out->len += m;
	return 0;
}

int
tunnel_request(struct buf *out, const char *host, int port, const char *auth,
    const char *user_agent)
{
	char target[320];
	int v6 = strchr(host, ':') != NULL;
	int r = 0;

	if ((size_t)snprintf(target, sizeof(target), "%s%s%s:%d", v6 ? "[" :
	    "", host, v6 ? "]" : "", port) >= sizeof(target))
		return -1;
	r |= buf_adds(out, "CONNECT ");
	r |= buf_adds(out, target);
	r |= buf_adds(out, " HTTP/1.1\r\nHost: ");
	r |= buf_adds(out, target);
	r |= buf_adds(out, "\r\n");
	if (auth != NULL) {
		r |= buf_adds(out, "Proxy-Authorization: Basic ");
		r |= add_base64(out, auth);
		r |= buf_adds(out, "\r\n");
	}
	if (user_agent == NULL)
		user_agent = "chatcat/" PACKAGE_VERSION;
	if (user_agent[0] != '\0') {
		r |= buf_adds(out, "User-Agent: ");
		r |= buf_adds(out, user_agent);
		r |= buf_adds(out, "\r\n");
	}
	r |= buf_adds(out, "\r\n");
	return r ? -1 : 0;
}

/* Whether the head so far cannot start a status line. */
static int
not_http(const struct buf *h)
{
	static const char prefix[] = "HTTP/1.";
	size_t n = h->len < sizeof(prefix) - 1 ? h->len : sizeof(prefix) - 1;

	return memcmp(h->p, prefix, n) != 0;
}

/* Parse the status of a complete head; -1 if it is not HTTP/1.x. */
static int
status_of(const struct buf *h)
{
	const char *p = h->p;
	int i, st = 0;

	/* "HTTP/1.x NNN" then a space or the end of the line */
	if (h->len < 12 || not_http(h) || p[7] < '0' || p[7] > '9' ||
	    p[8] != ' ')
		return -1;
	for (i = 9; i < 12; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		st = st * 10 + (p[i] - '0');
	}
	if (p[12] != ' ' && p[12] != '\r' && p[12] != '\n')
		return -1;
	return st < 100 ? -1 : st;
}

/* Where the head in h ends (just after its empty line), or 0. */
static size_t
head_end(const struct buf *h, size_t from)
{
	size_t i;

	for (i = from; i < h->len; i++) {
		if (h->p[i] != '\n')
			continue;
		if (i >= 1 && h->p[i - 1] == '\n')
			return i + 1;
		if (i >= 2 && h->p[i - 1] == '\r' && h->p[i - 2] == '\n')
			return i + 1;
	}
	return 0;
}

enum tunnel_state
tunnel_feed(struct tunnel_response *r, const char *data, size_t len)
{
	size_t off = 0;

	r->used = 0;
	while (off < len) {
		size_t before = r->head.len, take = len - off, end;

		if (take > TUNNEL_MAX_HEAD + 1 - before)
			take = TUNNEL_MAX_HEAD + 1 - before;
		if (buf_add(&r->head, data + off, take) == -1) {
			r->bad = NULL;  /* out of memory */
			return TUNNEL_BAD;
		}
		if (not_http(&r->head)) {
			r->bad = "an answer that is not HTTP/1.x";
			return TUNNEL_BAD;
		}
		end = head_end(&r->head, before > 2 ? before - 2 : 0);
		if (end == 0) {
			if (r->head.len > TUNNEL_MAX_HEAD) {
				r->bad = "an answer head larger than 16384"
				    " bytes";
				return TUNNEL_BAD;
			}
			r->used = len;
			return TUNNEL_MORE;
		}
		off += end - before;
		r->used = off;
		r->head.len = end;
		r->head.p[end] = '\0';
		r->status = status_of(&r->head);
		if (r->status < 0) {
			r->bad = "an answer without a valid status line";
			return TUNNEL_BAD;
		}
		if (r->status >= 200)
			return r->status < 300 ? TUNNEL_OPEN : TUNNEL_REFUSED;
		r->head.len = 0;  /* an interim answer: the real one follows */
	}
	return TUNNEL_MORE;
}

const char *
tunnel_status_text(const struct tunnel_response *r, size_t *len)
{
	const char *p = r->head.p + 9;

	*len = strcspn(p, "\r\n");
	return p;
}

void
tunnel_response_free(struct tunnel_response *r)
{
	buf_free(&r->head);
	*r = (struct tunnel_response){ 0 };
}
