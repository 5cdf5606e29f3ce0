/* base64 (RFC 4648): the handshake key and accept value, a proxy's Basic
 * credentials. */
#ifndef CHATCAT_BASE64_H
#define CHATCAT_BASE64_H

#include <stddef.h>
#include <stdint.h>

/* Write the base64 of in[0..n) and a NUL to out (4 * ((n + 2) / 3) + 1). */
void base64_encode(char *out, const uint8_t *in, size_t n);

#endif
