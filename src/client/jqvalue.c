/*
 * JSON text to a jq value, about twice as fast as jv_parse_sized(), which
 * is most of the cost of --jq.  It builds the common shapes only: anything
 * jq 1.6 treats in its own way (an escaped surrogate, nesting deeper than
 * DEPTH_MAX, a long number literal, anything unexpected) returns -1 and
 * the caller asks jv_parse_sized(), so the value is always the one jq
 * would have made.  Both end in jv_string_sized(), jv_number(),
 * jv_object_set() and jv_array_append(), in the same order.
 */
#include <config.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "jqvalue.h"
#include "lib/hex.h"

#define DEPTH_MAX 64
#define NUMBER_MAX 63      /* longer literals go to jq's own parser */

struct reader {
	const char *p, *end;
	struct buf *scratch;
	struct jqvalue_reader *rd;
};

static int value(struct reader *r, int depth, jv *out);

static void
skip_ws(struct reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
	    *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

/* Append the UTF-8 form of code point cp (below 0x10000, no surrogate). */
static int
add_utf8(struct buf *b, unsigned cp)
{
	char u[3];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	}
	return buf_add(b, u, n);
}

/* One escape after the backslash at *q; moves q past it. */
static int
unescape(struct buf *b, const char **q, const char *end)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e = *q + 1, *hit;
	unsigned cp = 0;
	int i, d;

	if (e >= end)
		return -1;
	if (*e == 'u') {
		if (end - e < 5)
			return -1;
		for (i = 1; i <= 4; i++) {
			if ((d = hex_value((unsigned char)e[i])) < 0)
				return -1;
			cp = cp << 4 | (unsigned)d;
		}
		if (cp >= 0xd800 && cp <= 0xdfff)
			return -1;  /* pairs and lone halves: jq's rules */
		*q = e + 5;
		return add_utf8(b, cp);
	}
	if (*e == '\0' || (hit = strchr(from, *e)) == NULL)
		return -1;
	*q = e + 1;
	return buf_add(b, &to[hit - from], 1);
}

static int
string(struct reader *r, jv *out)
{
	const char *s = r->p + 1, *q = s, *run;
	struct buf *b = r->scratch;

	while (q < r->end && *q != '"' && *q != '\\' &&
	    (unsigned char)*q >= 0x20)
		q++;
	if (q < r->end && *q == '"') {
		*out = jv_string_sized(s, (int)(q - s));
		r->p = q + 1;
		return 0;
	}
	b->len = 0;
	if (buf_add(b, s, (size_t)(q - s)) == -1)
		return -1;
	while (q < r->end && *q != '"') {
		if (*q == '\\') {
			if (unescape(b, &q, r->end) == -1)
				return -1;
			continue;
		}
		if ((unsigned char)*q < 0x20)
			return -1;
		run = q;
		while (q < r->end && *q != '"' && *q != '\\' &&
		    (unsigned char)*q >= 0x20)
			q++;
		if (buf_add(b, run, (size_t)(q - run)) == -1)
			return -1;
	}
	if (q >= r->end)
		return -1;
	*out = jv_string_sized(b->p, (int)b->len);
	r->p = q + 1;
	return 0;
}

static const char *
digits(const char *p, const char *end)
{
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	return p;
}

/* A number in JSON's grammar only; jq decides about anything else. */
static int
number(struct reader *r, jv *out)
{
	char lit[NUMBER_MAX + 1], *stop;
	const char *s = r->p, *p = s, *d;
	size_t n;

	if (p < r->end && *p == '-')
		p++;
	if (p < r->end && *p == '0')
		p++;
	else if ((d = digits(p, r->end)) > p)
		p = d;
	else
		return -1;
	if (p < r->end && *p == '.') {
		if ((d = digits(p + 1, r->end)) == p + 1)
			return -1;
		p = d;
	}
	if (p < r->end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < r->end && (*p == '+' || *p == '-'))
			p++;
		if ((d = digits(p, r->end)) == p)
			return -1;
		p = d;
	}
	n = (size_t)(p - s);
	if (n > NUMBER_MAX)
		return -1;
	memcpy(lit, s, n);
	lit[n] = '\0';
	r->p = p;
	*out = jv_number(strtod(lit, &stop));
	return stop == lit + n ? 0 : -1;
}

static int
literal(struct reader *r, const char *word, jv v, jv *out)
{
	size_t n = strlen(word);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
		return -1;
	r->p += n;
	*out = v;
	return 0;
}

/*
 * An object key: a plain one of the first JQ_KEYS seen is shared (the
 * same bytes give the same jv_string either way).
 */
static int
key(struct reader *r, jv *out)
{
	struct jqvalue_reader *rd = r->rd;
	const char *s = r->p + 1, *q = s;
	size_t n;
	int i;

	while (q < r->end && *q != '"' && *q != '\\' &&
	    (unsigned char)*q >= 0x20)
		q++;
	n = (size_t)(q - s);
	if (q >= r->end || *q != '"' || n > JQ_KEY_MAX)
		return string(r, out);
	for (i = 0; i < rd->nkeys; i++)
		if (rd->keys[i].len == n && memcmp(rd->keys[i].name, s, n) == 0) {
			*out = jv_copy(rd->keys[i].key);
			r->p = q + 1;
			return 0;
		}
	if (string(r, out) == -1)
		return -1;
	if (rd->nkeys < JQ_KEYS) {
		memcpy(rd->keys[rd->nkeys].name, s, n);
		rd->keys[rd->nkeys].len = n;
		rd->keys[rd->nkeys].key = jv_copy(*out);
		rd->nkeys++;
	}
	return 0;
}

static int
object(struct reader *r, int depth, jv *out)
{
	jv o = jv_object(), k, v;

	r->p++;
	skip_ws(r);
	if (r->p < r->end && *r->p == '}') {
		r->p++;
		*out = o;
		return 0;
	}
	for (;;) {
		skip_ws(r);
		if (r->p >= r->end || *r->p != '"' || key(r, &k) == -1)
			break;
		skip_ws(r);
		if (r->p >= r->end || *r->p != ':') {
			jv_free(k);
			break;
		}
		r->p++;
		if (value(r, depth + 1, &v) == -1) {
			jv_free(k);
			break;
		}
		o = jv_object_set(o, k, v);
		skip_ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == '}') {
			r->p++;
			*out = o;
			return 0;
		}
		break;
	}
	jv_free(o);
	return -1;
}

static int
array(struct reader *r, int depth, jv *out)
{
	jv a = jv_array(), v;

	r->p++;
	skip_ws(r);
	if (r->p < r->end && *r->p == ']') {
		r->p++;
		*out = a;
		return 0;
	}
	for (;;) {
		if (value(r, depth + 1, &v) == -1)
			break;
		a = jv_array_append(a, v);
		skip_ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == ']') {
			r->p++;
			*out = a;
			return 0;
		}
		break;
	}
	jv_free(a);
	return -1;
}

static int
value(struct reader *r, int depth, jv *out)
{
	skip_ws(r);
	if (r->p >= r->end || depth > DEPTH_MAX)
		return -1;
	switch (*r->p) {
	case '{':
		return object(r, depth, out);
	case '[':
		return array(r, depth, out);
	case '"':
		return string(r, out);
	case 't':
		return literal(r, "true", jv_true(), out);
	case 'f':
		return literal(r, "false", jv_false(), out);
	case 'n':
		return literal(r, "null", jv_null(), out);
	default:
		return number(r, out);
	}
}

void
jqvalue_reader_free(struct jqvalue_reader *rd)
{
	int i;

	for (i = 0; i < rd->nkeys; i++)
		jv_free(rd->keys[i].key);
	rd->nkeys = 0;
	buf_free(&rd->scratch);
}

int
jqvalue_read(const char *json, size_t len, struct jqvalue_reader *rd, jv *out)
{
	struct reader r = { json, json + len, &rd->scratch, rd };
	jv v;

	if (len > INT_MAX || value(&r, 0, &v) == -1)
		return -1;
	skip_ws(&r);
	if (r.p != r.end) {
		jv_free(v);
		return -1;
	}
	*out = v;
	return 0;
}
