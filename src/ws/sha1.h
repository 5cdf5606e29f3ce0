/*
 * SHA-1 (FIPS 180-4), for the WebSocket handshake's Sec-WebSocket-Accept.
 * Our own so that a ws:// run never starts OpenSSL, whose first digest
 * loads its configuration and providers.
 */
#ifndef CHATCAT_SHA1_H
#define CHATCAT_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_LEN 20

void sha1(const void *data, size_t len, uint8_t out[SHA1_LEN]);

#endif
