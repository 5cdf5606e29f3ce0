/*
 * JSON scanning without allocation.  The scanner is iterative: nesting is
 * tracked in a bit stack, so a hostile, deeply nested frame costs no C
 * stack and is refused beyond JSON_MAX_DEPTH.
 */
#include <config.h>

#include <stdint.h>
#include <string.h>

#include "hex.h"
#include "json.h"

static int
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Skip whitespace, noting line breaks. */
static void
skip_ws(const char *s, size_t len, size_t *i, struct json_info *info)
{
	while (*i < len && is_ws(s[*i])) {
		if (s[*i] == '\n' || s[*i] == '\r')
			info->has_newline = 1;
		(*i)++;
	}
}

/* Scan a string starting at s[*i] == '"'; leaves *i after the quote. */
static int
scan_string(const char *s, size_t len, size_t *i)
{
	size_t j = *i + 1;

	while (j < len) {
		unsigned char c = (unsigned char)s[j];

		if (c == '"') {
			*i = j + 1;
			return 0;
		}
		if (c < 0x20)
			break;
		if (c == '\\') {
			if (j + 1 >= len)
				break;
			c = (unsigned char)s[j + 1];
			if (c == 'u') {
				if (j + 5 >= len || !is_hex(s[j + 2]) ||
				    !is_hex(s[j + 3]) || !is_hex(s[j + 4]) ||
				    !is_hex(s[j + 5]))
					break;
				j += 6;
				continue;
			}
			if (strchr("\"\\/bfnrt", c) == NULL || c == '\0')
				break;
			j += 2;
			continue;
		}
		j++;
	}
	*i = j;
	return -1;
}

/* Scan a number per RFC 8259; leaves *i after it. */
static int
scan_number(const char *s, size_t len, size_t *i)
{
	size_t j = *i;

	if (j < len && s[j] == '-')
		j++;
	if (j < len && s[j] == '0')
		j++;
	else if (j < len && s[j] >= '1' && s[j] <= '9')
		while (j < len && is_digit(s[j]))
			j++;
	else
		goto bad;
	if (j < len && s[j] == '.') {
		j++;
		if (j >= len || !is_digit(s[j]))
			goto bad;
		while (j < len && is_digit(s[j]))
			j++;
	}
	if (j < len && (s[j] == 'e' || s[j] == 'E')) {
		j++;
		if (j < len && (s[j] == '+' || s[j] == '-'))
			j++;
		if (j >= len || !is_digit(s[j]))
			goto bad;
		while (j < len && is_digit(s[j]))
			j++;
	}
	*i = j;
	return 0;
bad:
	*i = j;
	return -1;
}

static int
scan_literal(const char *s, size_t len, size_t *i, const char *lit)
{
	size_t n = strlen(lit);

	if (len - *i < n || memcmp(s + *i, lit, n) != 0)
		return -1;
	*i += n;
	return 0;
}

/* Which top-level member a key names, if one we track. */
static struct json_span *
member(struct json_info *info, const char *key, size_t len)
{
	struct {
		const char *name;
		struct json_span *sp;
	} m[] = {
		{ "type", &info->type }, { "status", &info->status },
		{ "thread_id", &info->thread_id },
		{ "message", &info->message }, { "detail", &info->detail },
		{ "agent_id", &info->agent_id }, { "content", &info->content },
		{ "id", &info->id }, { "role", &info->role },
	};
	struct json_span k = { key, len, 1, 1, 0 };
	size_t i, escaped = memchr(key, '\\', len) != NULL;

	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (escaped ? json_span_eq(&k, m[i].name) :
		    (strlen(m[i].name) == len &&
		    memcmp(key, m[i].name, len) == 0))
			return m[i].sp;
	return NULL;
}

enum json_kind
json_scan(const char *s, size_t len, struct json_info *info)
{
	uint8_t stack[JSON_MAX_DEPTH / 8]; /* bit set: object, clear: array */
	struct json_span *want = NULL;
	size_t i = 0, depth = 0, start;
	int top_object = 0;
	enum { VALUE, AFTER_VALUE, KEY, COLON } st = VALUE;

	memset(info, 0, sizeof(*info));
	for (;;) {
		skip_ws(s, len, &i, info);
		if (i >= len) {
			if (depth == 0 && st == AFTER_VALUE)
				return top_object ? JSON_OBJECT : JSON_OTHER;
			break;
		}
		if (st == AFTER_VALUE) {
			int in_obj;

			if (depth == 0)
				break;  /* trailing bytes after the text */
			in_obj = stack[(depth - 1) / 8] >> ((depth - 1) % 8) & 1;
			if (s[i] == ',') {
				st = in_obj ? KEY : VALUE;
				i++;
			} else if (s[i] == (in_obj ? '}' : ']')) {
				depth--;
				i++;
			} else
				break;
			continue;
		}
		if (st == KEY) {
			if (s[i] != '"')
				break;
			start = i + 1;
			if (scan_string(s, len, &i) == -1)
				break;
			want = depth == 1 ? member(info, s + start,
			    i - 1 - start) : NULL;
			st = COLON;
			continue;
		}
		if (st == COLON) {
			if (s[i] != ':')
				break;
			i++;
			st = VALUE;
			continue;
		}
		/* st == VALUE */
		if (want != NULL) {
			want->present = 1;
			want->is_string = s[i] == '"';
			want->is_null = s[i] == 'n';
			want->p = s + i + 1;
		}
		switch (s[i]) {
		case '{':
		case '[': {
			int obj = s[i] == '{';

			if (depth >= JSON_MAX_DEPTH)
				goto bad;
			if (depth == 0)
				top_object = obj;
			if (obj)
				stack[depth / 8] |= (uint8_t)(1u << depth % 8);
			else
				stack[depth / 8] &= (uint8_t)~(1u << depth % 8);
			depth++;
			i++;
			want = NULL;
			/* An empty container closes at once. */
			skip_ws(s, len, &i, info);
			if (i < len && s[i] == (obj ? '}' : ']')) {
				depth--;
				i++;
				st = AFTER_VALUE;
			} else
				st = obj ? KEY : VALUE;
			continue;
		}
		case '"':
			start = i;
			if (scan_string(s, len, &i) == -1)
				goto bad;
			if (want != NULL)
				want->len = i - start - 2;
			break;
		case 't':
			if (scan_literal(s, len, &i, "true") == -1)
				goto bad;
			break;
		case 'f':
			if (scan_literal(s, len, &i, "false") == -1)
				goto bad;
			break;
		case 'n':
			if (scan_literal(s, len, &i, "null") == -1)
				goto bad;
			break;
		default:
			if (scan_number(s, len, &i) == -1)
				goto bad;
			break;
		}
		want = NULL;
		st = AFTER_VALUE;
	}
bad:
	info->error_at = i;
	return JSON_INVALID;
}

/* Decode the escape at s[*i] == '\\' into UTF-8; advances *i. */
static size_t
unescape_one(const char *s, size_t len, size_t *i, char out[4])
{
	unsigned long cp = 0, lo = 0;
	size_t k;
	char c = s[*i + 1];

	*i += 2;
	switch (c) {
	case 'b': out[0] = '\b'; return 1;
	case 'f': out[0] = '\f'; return 1;
	case 'n': out[0] = '\n'; return 1;
	case 'r': out[0] = '\r'; return 1;
	case 't': out[0] = '\t'; return 1;
	case 'u': break;
	default: out[0] = c; return 1;
	}
	for (k = 0; k < 4; k++) {
		char h = s[*i + k];

		cp = cp * 16 + (unsigned long)hex_value(h);
	}
	*i += 4;
	if (cp >= 0xd800 && cp < 0xdc00 && *i + 6 <= len && s[*i] == '\\' &&
	    s[*i + 1] == 'u') {
		for (k = 0; k < 4 && is_hex(s[*i + 2 + k]); k++) {
			char h = s[*i + 2 + k];

			lo = lo * 16 + (unsigned long)hex_value(h);
		}
		if (k == 4 && lo >= 0xdc00 && lo < 0xe000) {
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			*i += 6;
		}
	}
	if (cp >= 0xd800 && cp < 0xe000)
		cp = 0xfffd;  /* a lone surrogate */
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

int
json_span_text(const struct json_span *sp, struct buf *b)
{
	size_t i = 0, run;
	char u[4];

	if (buf_reserve(b, sp->len) == -1)
		return -1;
	b->p[b->len] = '\0';
	while (i < sp->len) {
		run = i;
		while (run < sp->len && sp->p[run] != '\\')
			run++;
		if (buf_add(b, sp->p + i, run - i) == -1)
			return -1;
		i = run;
		if (i < sp->len &&
		    buf_add(b, u, unescape_one(sp->p, sp->len, &i, u)) == -1)
			return -1;
	}
	return 0;
}

int
json_span_eq(const struct json_span *sp, const char *lit)
{
	size_t n = strlen(lit);
	struct buf b = { 0 };
	int eq;

	if (!sp->present || !sp->is_string)
		return 0;
	if (memchr(sp->p, '\\', sp->len) == NULL)
		return sp->len == n && memcmp(sp->p, lit, n) == 0;
	if (sp->len > 6 * n + 6)
		return 0;  /* too long to unescape to lit */
	if (json_span_text(sp, &b) == -1)
		return 0;
	eq = b.len == n && memcmp(b.p, lit, n) == 0;
	buf_free(&b);
	return eq;
}

int
json_compact(const char *s, size_t len, struct buf *out)
{
	size_t i = 0, start;

	if (buf_reserve(out, len) == -1)
		return -1;
	while (i < len) {
		if (is_ws(s[i])) {
			i++;
			continue;
		}
		start = i;
		if (s[i] == '"') {
			if (scan_string(s, len, &i) == -1)
				return -1;
		} else {
			while (i < len && !is_ws(s[i]) && s[i] != '"')
				i++;
		}
		if (buf_add(out, s + start, i - start) == -1)
			return -1;
	}
	return 0;
}

/*
 * How many bytes of s need no escape in a JSON string: 8 at a time while
 * no byte of the word is below 0x20, '"' or '\\' (the has-less and
 * has-zero-byte word tricks), then one at a time.
 */
static size_t
plain_run(const unsigned char *s, size_t len)
{
	const uint64_t ones = 0x0101010101010101u, high = ones * 0x80;
	uint64_t v, q, bs;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&v, s + i, 8);
		q = v ^ (ones * '"');
		bs = v ^ (ones * '\\');
		if ((((v - ones * 0x20) & ~v) | ((q - ones) & ~q) |
		    ((bs - ones) & ~bs)) & high)
			break;
	}
	while (i < len && s[i] >= 0x20 && s[i] != '"' && s[i] != '\\')
		i++;
	return i;
}

int
json_add_string(struct buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, run;

	if (buf_reserve(b, len + 2) == -1 || buf_add(b, "\"", 1) == -1)
		return -1;
	for (;;) {
		unsigned char c;
		char esc[6] = { '\\', 'u', '0', '0', 0, 0 };
		size_t n = 2;

		run = plain_run((const unsigned char *)s + i, len - i);
		if (buf_add(b, s + i, run) == -1)
			return -1;
		i += run;
		if (i == len)
			break;
		c = (unsigned char)s[i++];
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
		}
		if (buf_add(b, esc, n) == -1)
			return -1;
	}
	return buf_add(b, "\"", 1);
}
