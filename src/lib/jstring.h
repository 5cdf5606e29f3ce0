/*
 * JSON strings: what needs no escape (inline: every scanner's inner
 * loop), and unescaping (jscan.h validates).
 */
#ifndef CHATCAT_JSTRING_H
#define CHATCAT_JSTRING_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"

/*
 * How many bytes of s need no escape in a JSON string: 8 at a time while
 * no byte of the word is below 0x20, '"' or '\\' (the has-less and
 * has-zero-byte word tricks), then one at a time.
 */
static inline size_t
jstring_plain(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
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

/*
 * Append the unescaped form of a string's bytes p[0..len) (valid JSON) to
 * b, NUL-terminated.  A surrogate pair becomes its code point, a lone half
 * U+FFFD; with no_surrogates an escaped surrogate returns -1 instead (jq
 * has rules of its own for them).
 */
int jstring_unescape(struct buf *b, const char *p, size_t len,
    int no_surrogates);

#endif
