/* UTF-8 validation (RFC 3629: no overlongs, surrogates or > U+10FFFF). */
#ifndef CHATCAT_UTF8_H
#define CHATCAT_UTF8_H

#include <stddef.h>

/* Whether s[0..len) is valid; if not, *bad (when not NULL) is its offset. */
int utf8_valid(const char *s, size_t len, size_t *bad);

#endif
