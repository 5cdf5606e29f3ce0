/*
 * SHA-1 (FIPS 180-4) and base64 (RFC 4648), for the WebSocket handshake's
 * Sec-WebSocket-Accept (and base64 for a proxy's Basic credentials).  Our
 * own so that a ws:// run never starts OpenSSL, whose first digest loads
 * its configuration and providers.
 */
#ifndef CHATCAT_SHA1_H
#define CHATCAT_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_LEN 20

void sha1(const void *data, size_t len, uint8_t out[SHA1_LEN]);

/* Write the base64 of in[0..n) and a NUL to out (4 * ((n + 2) / 3) + 1). */
void base64_encode(char *out, const uint8_t *in, size_t n);

#endif
