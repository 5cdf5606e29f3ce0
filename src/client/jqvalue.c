/*
 * JSON text to a jq value, about twice as fast as jv_parse_sized(), which
 * is most of the cost of --jq.  lib/jscan.c reads the text and hands each
 * token here, where the value is built on a stack of open containers.  It
 * builds the common shapes only: anything jq 1.6 treats in its own way
 * (an escaped surrogate, nesting deeper than DEPTH_MAX, a long number
 * literal, anything not JSON) returns -1 and the caller asks
 * jv_parse_sized(), so the value is always the one jq would have made.
 * Both end in jv_string_sized(), jv_number(), jv_object_set() and
 * jv_array_append(), in the same order.
 *
 * jv ownership: every jv_* call here consumes its arguments except
 * jv_copy() and jv_get_kind(); the builder owns what is on its stack.
 */
#include <config.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "jqvalue.h"
#include "lib/jscan.h"
#include "lib/jstring.h"

#define DEPTH_MAX 64
#define NUMBER_MAX 63      /* longer literals go to jq's own parser */

/* An object or array being built, and (object) the key of the next. */
struct open {
	jv c, key;
	int is_object;
};

struct builder {
	struct jqvalue_reader *rd;
	const struct jscan *js;  /* whether a string has escapes */
	struct open stack[DEPTH_MAX + 1];
	int depth;
	jv done;            /* the whole value, once built */
	int have;
};

static jv
string(struct builder *b, const char *p, size_t len, int *ok)
{
	struct buf *s = &b->rd->scratch;

	*ok = 1;
	if (!b->js->escaped)
		return jv_string_sized(p, (int)len);
	s->len = 0;
	if (jstring_unescape(s, p, len, 1) == -1) {
		*ok = 0;  /* a surrogate: jq's rules */
		return jv_null();
	}
	return jv_string_sized(s->p, (int)s->len);
}

/*
 * An object key: a plain one of the first JQ_KEYS seen is shared (the
 * same bytes give the same jv_string either way).
 */
static jv
key(struct builder *b, const char *p, size_t len, int *ok)
{
	struct jqvalue_reader *rd = b->rd;
	jv k;
	int i;

	if (len > JQ_KEY_MAX || b->js->escaped)
		return string(b, p, len, ok);
	*ok = 1;
	for (i = 0; i < rd->nkeys; i++)
		if (rd->keys[i].len == len &&
		    memcmp(rd->keys[i].name, p, len) == 0)
			return jv_copy(rd->keys[i].key);
	k = jv_string_sized(p, (int)len);
	if (rd->nkeys < JQ_KEYS) {
		memcpy(rd->keys[rd->nkeys].name, p, len);
		rd->keys[rd->nkeys].len = len;
		rd->keys[rd->nkeys].key = jv_copy(k);
		rd->nkeys++;
	}
	return k;
}

/* A number in JSON's grammar (checked); jq decides about long ones. */
static jv
number(const char *p, size_t len, int *ok)
{
	char lit[NUMBER_MAX + 1], *stop;
	double d;

	*ok = 0;
	if (len > NUMBER_MAX)
		return jv_null();
	memcpy(lit, p, len);
	lit[len] = '\0';
	d = strtod(lit, &stop);
	*ok = stop == lit + len;
	return jv_number(d);
}

/* A value is complete: it goes into its container, or is the result. */
static void
add(struct builder *b, jv v)
{
	struct open *o;

	if (b->depth == 0) {
		b->done = v;
		b->have = 1;
		return;
	}
	o = &b->stack[b->depth - 1];
	if (o->is_object) {
		o->c = jv_object_set(o->c, o->key, v);
		o->key = jv_null();
	} else
		o->c = jv_array_append(o->c, v);
}

/* jscan's callback: one token. */
static int
on_token(void *ud, enum jscan_ev ev, const char *p, size_t len)
{
	struct builder *b = ud;
	int ok = 1;
	jv v;

	if (ev != JSCAN_END && ev != JSCAN_KEY && b->depth > DEPTH_MAX)
		return -1;
	switch (ev) {
	case JSCAN_OBJECT:
	case JSCAN_ARRAY:
		b->stack[b->depth].c = ev == JSCAN_OBJECT ? jv_object() :
		    jv_array();
		b->stack[b->depth].is_object = ev == JSCAN_OBJECT;
		b->stack[b->depth++].key = jv_null();
		return 0;
	case JSCAN_END:
		v = b->stack[--b->depth].c;
		break;
	case JSCAN_KEY:   /* the last key went with its value */
		b->stack[b->depth - 1].key = key(b, p, len, &ok);
		return ok ? 0 : -1;
	case JSCAN_STRING:
		v = string(b, p, len, &ok);
		break;
	case JSCAN_NUMBER:
		v = number(p, len, &ok);
		break;
	default:
		v = ev == JSCAN_TRUE ? jv_true() : ev == JSCAN_FALSE ?
		    jv_false() : jv_null();
		break;
	}
	if (!ok) {
		jv_free(v);
		return -1;
	}
	add(b, v);
	return 0;
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
	struct builder b;   /* its stack is filled as it grows */
	struct jscan js;
	size_t i = 0;
	enum jscan_r r = JSCAN_ERR;

	b.rd = rd;
	b.js = &js;
	b.depth = 0;
	b.have = 0;
	if (len <= INT_MAX) {
		jscan_init(&js, NULL, on_token, &b);
		r = jscan_run(&js, json, len, &i);
		if (r == JSCAN_DONE)  /* only whitespace may follow */
			r = jscan_run(&js, json, len, &i);
		if (r == JSCAN_MORE)
			r = jscan_end(&js, json, len);
	}
	while (b.depth > 0) {
		b.depth--;
		jv_free(b.stack[b.depth].c);
		jv_free(b.stack[b.depth].key);
	}
	if (r != JSCAN_DONE || !b.have) {
		if (b.have)
			jv_free(b.done);
		return -1;
	}
	*out = b.done;
	return 0;
}
