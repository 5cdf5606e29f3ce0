/*
 * RFC 6455 client side: handshake text and the frame codec.  The decoder
 * hands out unfragmented messages straight from its input buffer and
 * copies only fragmented ones, so a frame costs no allocation.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


#include "lib/base64.h"
#include "sha1.h"
#include "lib/utf8.h"
#include "wsproto.h"

#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

int
wsp_header_named(const char *const *headers, size_t n, const char *name)
{
	size_t i, len = strlen(name);

	for (i = 0; i < n; i++)
		if (strncasecmp(headers[i], name, len) == 0 &&
		    headers[i][len] == ':')
			return 1;
	return 0;
}

int
wsp_request(struct buf *out, const char *host, const char *path_query,
    const char *key, const struct wsp_headers *h)
{
	const char *ua = h->user_agent;
	size_t i;
	int r = 0;

	if (ua == NULL && !wsp_header_named(h->extra, h->nextra, "User-Agent"))
		ua = "chatcat/" PACKAGE_VERSION;
	r |= buf_adds(out, "GET ");
	r |= buf_adds(out, path_query);
	r |= buf_adds(out, " HTTP/1.1\r\nHost: ");
	r |= buf_adds(out, host);
	r |= buf_adds(out, "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Key: ");
	r |= buf_adds(out, key);
	r |= buf_adds(out, "\r\nSec-WebSocket-Version: 13\r\n");
	if (ua != NULL && ua[0] != '\0') {
		r |= buf_adds(out, "User-Agent: ");
		r |= buf_adds(out, ua);
		r |= buf_adds(out, "\r\n");
	}
	if (h->origin != NULL) {
		r |= buf_adds(out, "Origin: ");
		r |= buf_adds(out, h->origin);
		r |= buf_adds(out, "\r\n");
	}
	for (i = 0; i < h->nextra; i++) {
		r |= buf_adds(out, h->extra[i]);
		r |= buf_adds(out, "\r\n");
	}
	r |= buf_adds(out, "\r\n");
	return r ? -1 : 0;
}

/* The Sec-WebSocket-Accept value a server must send for key. */
static void
accept_for(const char *key, char out[64])
{
	uint8_t md[SHA1_LEN];
	char in[WSP_KEY_LEN + sizeof(WS_GUID)];

	snprintf(in, sizeof(in), "%s%s", key, WS_GUID);
	sha1(in, strlen(in), md);
	base64_encode(out, md, sizeof(md));
}

/* Whether a comma-separated header value holds token (any case). */
static int
has_token(const char *v, const char *token)
{
	size_t n = strlen(token);

	while (*v != '\0') {
		while (*v == ' ' || *v == '\t' || *v == ',')
			v++;
		if (strncasecmp(v, token, n) == 0 &&
		    (v[n] == '\0' || v[n] == ',' || v[n] == ' ' ||
		    v[n] == '\t'))
			return 1;
		v += strcspn(v, ",");
	}
	return 0;
}

/* Parse the complete head in r->head; sets status and checks the 101. */
static enum wsp_hs_state
parse_head(struct wsp_response *r, const char *key)
{
	char *line = r->head.p, *next, *colon, *v, *end;
	char expect[64];
	int upgrade = 0, connection = 0, accept = 0, extras = 0;
	long status;

	if (memchr(r->head.p, '\0', r->head.len) != NULL ||
	    strncmp(line, "HTTP/1.", 7) != 0 || line[8] != ' ') {
		r->bad = "the server's answer is not HTTP";
		return WSP_HS_BAD;
	}
	errno = 0;
	status = strtol(line + 9, &end, 10);
	if (errno != 0 || end != line + 12 || status < 100 || status > 999) {
		r->bad = "the server's answer has no valid HTTP status";
		return WSP_HS_BAD;
	}
	r->status = (int)status;
	r->content_length = -1;
	accept_for(key, expect);
	/* No NUL in the head, which ends in a blank line: strstr finds it. */
	for (line = strstr(line, "\r\n") + 2; *line != '\r'; line = next) {
		next = strstr(line, "\r\n");
		*next = '\0';
		next += 2;
		colon = strchr(line, ':');
		if (colon == NULL)
			continue;
		*colon = '\0';
		for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
			;
		for (end = v + strlen(v); end > v && (end[-1] == ' ' ||
		    end[-1] == '\t'); end--)
			*(end - 1) = '\0';
		if (strcasecmp(line, "Upgrade") == 0)
			upgrade = strcasecmp(v, "websocket") == 0;
		else if (strcasecmp(line, "Connection") == 0)
			connection = has_token(v, "upgrade");
		else if (strcasecmp(line, "Sec-WebSocket-Accept") == 0)
			accept = strcmp(v, expect) == 0;
		else if (strcasecmp(line, "Sec-WebSocket-Extensions") == 0 ||
		    strcasecmp(line, "Sec-WebSocket-Protocol") == 0)
			extras = 1;
		else if (strcasecmp(line, "Content-Length") == 0) {
			errno = 0;
			r->content_length = strtoll(v, &end, 10);
			if (errno != 0 || *end != '\0' || r->content_length < 0)
				r->content_length = -1;
		}
		*colon = ':';
		next[-2] = '\r';
	}
	if (r->status != 101)
		return WSP_HS_REFUSED;
	if (!upgrade || !connection)
		r->bad = "the server's 101 answer lacks the websocket upgrade";
	else if (!accept)
		r->bad = "the server's Sec-WebSocket-Accept is wrong";
	else if (extras)
		r->bad = "the server chose an extension or subprotocol chatcat"
		    " did not offer";
	return r->bad ? WSP_HS_BAD : WSP_HS_OPEN;
}

int
wsp_response_body_done(const struct wsp_response *r)
{
	return r->content_length >= 0 &&
	    (long long)r->body.len >= r->content_length;
}

enum wsp_hs_state
wsp_response_feed(struct wsp_response *r, const char *key, const char *data,
    size_t len)
{
	size_t from, take;
	char *end;

	r->used = 0;
	if (!r->head_done) {
		from = r->head.len > 3 ? r->head.len - 3 : 0;
		take = len;
		if (take > WSP_MAX_HEAD - r->head.len)
			take = WSP_MAX_HEAD - r->head.len;
		if (buf_add(&r->head, data, take) == -1) {
			r->bad = "out of memory";
			return WSP_HS_BAD;
		}
		end = memmem(r->head.p + from, r->head.len - from,
		    "\r\n\r\n", 4);
		if (end == NULL) {
			r->used = take;
			if (r->head.len >= WSP_MAX_HEAD) {
				r->bad = "the server's answer head is too long";
				return WSP_HS_BAD;
			}
			return WSP_HS_MORE;
		}
		/* Keep only the head; the rest is body or frames. */
		r->used = take - (r->head.len - (size_t)(end + 4 - r->head.p));
		r->head.len = (size_t)(end + 4 - r->head.p);
		r->head.p[r->head.len] = '\0';
		r->head_done = 1;
		{
			enum wsp_hs_state st = parse_head(r, key);

			if (st != WSP_HS_REFUSED)
				return st;
		}
		data += r->used;
		len -= r->used;
	}
	take = len;
	if (take > WSP_MAX_BODY - r->body.len)
		take = WSP_MAX_BODY - r->body.len;
	if (buf_add(&r->body, data, take) == -1) {
		r->bad = "out of memory";
		return WSP_HS_BAD;
	}
	r->used += len;
	return wsp_response_body_done(r) || r->body.len >= WSP_MAX_BODY ?
	    WSP_HS_REFUSED : WSP_HS_MORE;
}

void
wsp_response_free(struct wsp_response *r)
{
	buf_free(&r->head);
	buf_free(&r->body);
}

size_t
wsp_header(uint8_t h[14], int opcode, size_t len, const uint8_t mask[4])
{
	uint8_t m = mask != NULL ? 0x80 : 0;
	size_t n = 2, i;

	h[0] = (uint8_t)(0x80 | opcode);
	if (len < 126)
		h[1] = (uint8_t)(m | len);
	else if (len < 65536) {
		h[1] = m | 126;
		h[2] = (uint8_t)(len >> 8);
		h[3] = (uint8_t)len;
		n = 4;
	} else {
		h[1] = m | 127;
		for (i = 0; i < 8; i++)
			h[2 + i] = (uint8_t)((uint64_t)len >> (56 - 8 * i));
		n = 10;
	}
	if (mask != NULL) {
		memcpy(h + n, mask, 4);
		n += 4;
	}
	return n;
}

int
wsp_encode(struct buf *out, int opcode, const void *data, size_t len,
    const uint8_t mask[4])
{
	uint8_t h[14];
	size_t n = wsp_header(h, opcode, len, mask), i;
	const uint8_t *p = data;
	uint8_t *q;

	if (buf_reserve(out, n + len) == -1)
		return -1;
	memcpy(out->p + out->len, h, n);
	q = (uint8_t *)out->p + out->len + n;
	if (mask == NULL)
		memcpy(q, p, len);
	else
		for (i = 0; i < len; i++)
			q[i] = p[i] ^ mask[i & 3];
	out->len += n + len;
	out->p[out->len] = '\0';
	return 0;
}

void
wsp_decoder_init(struct wsp_decoder *d, size_t max_message)
{
	*d = (struct wsp_decoder){ .max_message = max_message };
}

int
wsp_decoder_feed(struct wsp_decoder *d, const void *data, size_t len)
{
	/* Drop what was consumed before growing the buffer. */
	if (d->off > 0) {
		memmove(d->in.p, d->in.p + d->off, d->in.len - d->off);
		d->in.len -= d->off;
		d->off = 0;
	}
	return buf_add(&d->in, data, len);
}

static enum wsp_event
fail(struct wsp_frame *f, int code, const char *why)
{
	f->error_code = code;
	f->error = why;
	return WSP_EV_ERROR;
}

/* Check a message's payload and hand it out. */
static enum wsp_event
message(struct wsp_frame *f, int opcode, const char *data, size_t len)
{
	if (opcode == WSP_TEXT && !utf8_valid(data, len, NULL))
		return fail(f, 1007, "a text frame is not valid UTF-8");
	f->opcode = opcode;
	f->data = data;
	f->len = len;
	return WSP_EV_MESSAGE;
}

/* Interpret a control frame's payload. */
static enum wsp_event
control(struct wsp_frame *f, int opcode, const uint8_t *p, size_t len)
{
	f->opcode = opcode;
	f->data = (const char *)p;
	f->len = len;
	if (opcode == WSP_PING)
		return WSP_EV_PING;
	if (opcode == WSP_PONG)
		return WSP_EV_PONG;
	if (len == 1)
		return fail(f, 1002, "a close frame has a 1-byte payload");
	f->close_code = len >= 2 ? p[0] << 8 | p[1] : 1005;
	if (len >= 2 && (f->close_code < 1000 || f->close_code == 1004 ||
	    f->close_code == 1005 || f->close_code == 1006 ||
	    (f->close_code > 1014 && f->close_code < 3000) ||
	    f->close_code > 4999))
		return fail(f, 1002, "a close frame has an invalid code");
	f->data = len >= 2 ? (const char *)p + 2 : "";
	f->len = len >= 2 ? len - 2 : 0;
	if (!utf8_valid(f->data, f->len, NULL))
		return fail(f, 1007, "a close reason is not valid UTF-8");
	return WSP_EV_CLOSE;
}

size_t
wsp_head_parse(const uint8_t *p, size_t avail, struct wsp_head *h)
{
	size_t n = 2, i;

	if (avail < 2)
		return 0;
	h->fin = (p[0] & 0x80) != 0;
	h->rsv = (p[0] >> 4) & 0x07;
	h->opcode = p[0] & 0x0f;
	h->masked = (p[1] & 0x80) != 0;
	h->len = p[1] & 0x7f;
	if (h->len == 126) {
		if (avail < 4)
			return 0;
		h->len = (uint64_t)p[2] << 8 | p[3];
		n = 4;
	} else if (h->len == 127) {
		if (avail < 10)
			return 0;
		for (h->len = 0, i = 0; i < 8; i++)
			h->len = h->len << 8 | p[2 + i];
		n = 10;
	}
	if (h->masked)
		n += 4;
	return avail < n ? 0 : n;
}

/* Parse one frame header; 0 when incomplete, -1 on a protocol error. */
static int
frame_head(const uint8_t *p, size_t avail, size_t *hl, struct wsp_head *h,
    struct wsp_frame *f)
{
	*hl = wsp_head_parse(p, avail, h);
	if (avail < 2)
		return 0;
	if (h->rsv != 0) {
		fail(f, 1002, "a frame has reserved bits set");
		return -1;
	}
	if (h->masked) {
		fail(f, 1002, "the server masked a frame");
		return -1;
	}
	if (*hl == 0)
		return 0;
	if (h->len >> 63) {
		fail(f, 1002, "a frame length has its top bit set");
		return -1;
	}
	return 1;
}

static enum wsp_event
decode(struct wsp_decoder *d, struct wsp_frame *f)
{
	struct wsp_head h;
	const uint8_t *p;
	size_t hl, len;
	uint64_t plen;
	int fin, opcode, r;

	for (;;) {
		if (d->in.len == d->off)
			return WSP_EV_MORE;
		p = (const uint8_t *)d->in.p + d->off;
		r = frame_head(p, d->in.len - d->off, &hl, &h, f);
		if (r <= 0)
			return r == 0 ? WSP_EV_MORE : WSP_EV_ERROR;
		fin = h.fin;
		opcode = h.opcode;
		plen = h.len;
		if (opcode >= 8) {
			if (!fin || plen > 125)
				return fail(f, 1002, "a control frame is"
				    " fragmented or too long");
		} else if (opcode != WSP_CONT && opcode != WSP_TEXT &&
		    opcode != WSP_BINARY)
			return fail(f, 1002, "a frame has an unknown opcode");
		else if (plen > d->max_message ||
		    (opcode == WSP_CONT && plen > d->max_message - d->msg.len))
			return fail(f, 1009, "a message is larger than"
			    " --max-frame");
		else if (opcode == WSP_CONT && d->msg_opcode == 0)
			return fail(f, 1002, "a continuation frame starts no"
			    " message");
		else if (opcode != WSP_CONT && d->msg_opcode != 0)
			return fail(f, 1002, "a new message starts inside a"
			    " fragmented one");
		if (d->in.len - d->off - hl < plen)
			return WSP_EV_MORE;
		d->off += hl + (size_t)plen;
		p += hl;
		if (opcode >= 8)
			return control(f, opcode, p, (size_t)plen);
		if (fin && opcode != WSP_CONT)
			return message(f, opcode, (const char *)p,
			    (size_t)plen);
		if (opcode != WSP_CONT) {
			d->msg_opcode = opcode;
			d->msg.len = 0;
		}
		if (buf_add(&d->msg, p, (size_t)plen) == -1)
			return fail(f, 1011, "out of memory");
		if (!fin)
			continue;
		/* The last fragment: msg.p stays valid until the next call. */
		opcode = d->msg_opcode;
		len = d->msg.len;
		d->msg_opcode = 0;
		d->msg.len = 0;
		return message(f, opcode, d->msg.p, len);
	}
}

enum wsp_event
wsp_next(struct wsp_decoder *d, struct wsp_frame *f)
{
	enum wsp_event e;

	memset(f, 0, sizeof(*f));
	/* After a protocol error the stream cannot be trusted: stay failed. */
	if (d->failed)
		return fail(f, d->failed, "input after a protocol error");
	e = decode(d, f);
	if (e == WSP_EV_ERROR)
		d->failed = f->error_code;
	return e;
}

void
wsp_decoder_free(struct wsp_decoder *d)
{
	buf_free(&d->in);
	buf_free(&d->msg);
}
