/* UTF-8 validation with a fast path for ASCII runs. */
#include <config.h>

#include <stdint.h>
#include <string.h>

#include "utf8.h"

int
utf8_valid(const char *s, size_t len, size_t *bad)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n, k;
	unsigned long cp;
	uint64_t w;

	while (i < len) {
		/* Eight ASCII bytes at a time. */
		while (len - i >= 8) {
			memcpy(&w, p + i, 8);
			if (w & 0x8080808080808080ULL)
				break;
			i += 8;
		}
		if (i >= len)
			break;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if (p[i] >= 0xc2 && p[i] <= 0xdf) {
			n = 1;
			cp = p[i] & 0x1f;
		} else if (p[i] >= 0xe0 && p[i] <= 0xef) {
			n = 2;
			cp = p[i] & 0x0f;
		} else if (p[i] >= 0xf0 && p[i] <= 0xf4) {
			n = 3;
			cp = p[i] & 0x07;
		} else
			goto fail;
		if (len - i <= n)
			goto fail;
		for (k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				goto fail;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
			goto fail;
		i += n + 1;
	}
	return 1;
fail:
	if (bad != NULL)
		*bad = i;
	return 0;
}

/* The length of the valid character at p[0..len), 0 if invalid, or -1 if
 * it is a valid start that len cuts short. */
static int
char_len(const unsigned char *p, size_t len)
{
	size_t n, k;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (k = 1; k < n; k++) {
		if (k >= len)
			return -1;
		if ((p[k] & 0xc0) != 0x80)
			return 0;
	}
	/* Overlong forms, surrogates and code points above U+10FFFF. */
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] > 0x8f))
		return 0;
	return (int)n;
}

size_t
utf8_sanitize(const char *in, size_t len, int partial, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t i = 0, run = 0;
	int n;

	while (i < len) {
		n = char_len(p + i, len - i);
		if (n > 0) {
			i += (size_t)n;
			continue;
		}
		if (buf_add(out, in + run, i - run) == -1)
			return (size_t)-1;
		if (n < 0 && partial)
			return i;
		if (buf_add(out, "\xef\xbf\xbd", 3) == -1)
			return (size_t)-1;
		run = ++i;
	}
	if (buf_add(out, in + run, i - run) == -1)
		return (size_t)-1;
	return i;
}
