/*
 * The two halves of JSON's string grammar that are not validation (that
 * is jscan.c's): which bytes need no escape, and unescaping.
 */
#include <config.h>

#include <string.h>

#include "hex.h"
#include "jstring.h"

/* UTF-8 for code point cp into out; returns its length. */
static size_t
utf8_put(unsigned long cp, char out[4])
{
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

/* The four hex digits at p (checked by the scanner). */
static unsigned long
hex4(const char *p)
{
	unsigned long v = 0;
	int k;

	for (k = 0; k < 4; k++)
		v = v << 4 | (unsigned long)hex_value((unsigned char)p[k]);
	return v;
}

/*
 * Decode the escape at p[*i] == '\\' into out; advances *i.  0 for an
 * escaped surrogate when no_surrogates.
 */
static size_t
unescape_one(const char *p, size_t len, size_t *i, char out[4],
    int no_surrogates)
{
	static const char from[] = "bfnrt", to[] = "\b\f\n\r\t";
	const char *hit;
	unsigned long cp, lo;
	char c = p[*i + 1];

	*i += 2;
	if (c != 'u') {
		hit = strchr(from, c);
		out[0] = hit != NULL && c != '\0' ? to[hit - from] : c;
		return 1;
	}
	cp = hex4(p + *i);
	*i += 4;
	if (cp >= 0xd800 && cp < 0xe000 && no_surrogates)
		return 0;
	if (cp >= 0xd800 && cp < 0xdc00 && *i + 6 <= len &&
	    p[*i] == '\\' && p[*i + 1] == 'u') {
		lo = hex4(p + *i + 2);
		if (lo >= 0xdc00 && lo < 0xe000) {
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			*i += 6;
		}
	}
	if (cp >= 0xd800 && cp < 0xe000)
		cp = 0xfffd;  /* a lone surrogate */
	return utf8_put(cp, out);
}

int
jstring_unescape(struct buf *b, const char *p, size_t len, int no_surrogates)
{
	size_t i = 0, run, n;
	const char *bs;
	char u[4];

	if (buf_reserve(b, len) == -1)
		return -1;
	b->p[b->len] = '\0';
	while (i < len) {
		bs = memchr(p + i, '\\', len - i);
		run = bs != NULL ? (size_t)(bs - p) : len;
		if (buf_add(b, p + i, run - i) == -1)
			return -1;
		i = run;
		if (i == len)
			break;
		n = unescape_one(p, len, &i, u, no_surrogates);
		if (n == 0 || buf_add(b, u, n) == -1)
			return -1;
	}
	return 0;
}
