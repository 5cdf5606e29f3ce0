/* JSON strings: what needs no escape, and unescaping (jscan.h validates). */
#ifndef CHATCAT_JSTRING_H
#define CHATCAT_JSTRING_H

#include <stddef.h>

#include "buf.h"

/* How many bytes of s need no escape in a JSON string. */
size_t jstring_plain(const char *s, size_t len);

/*
 * Append the unescaped form of a string's bytes p[0..len) (valid JSON) to
 * b, NUL-terminated.  A surrogate pair becomes its code point, a lone half
 * U+FFFD; with no_surrogates an escaped surrogate returns -1 instead (jq
 * has rules of its own for them).
 */
int jstring_unescape(struct buf *b, const char *p, size_t len,
    int no_surrogates);

#endif
