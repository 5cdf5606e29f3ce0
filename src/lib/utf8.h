/* UTF-8 validation (RFC 3629: no overlongs, surrogates or > U+10FFFF). */
#ifndef CHATCAT_UTF8_H
#define CHATCAT_UTF8_H

#include <stddef.h>

#include "buf.h"

/* Whether s[0..len) is valid; if not, *bad (when not NULL) is its offset. */
int utf8_valid(const char *s, size_t len, size_t *bad);

/*
 * Append in[0..len) to out with each invalid byte replaced by U+FFFD,
 * stopping before an incomplete character at the end when `partial` (more
 * input may complete it).  Returns the number of bytes consumed, or
 * (size_t)-1 if out of memory.
 */
size_t utf8_sanitize(const char *in, size_t len, int partial,
    struct buf *out);

#endif
