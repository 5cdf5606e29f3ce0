/* UUID text checks and new version-4 and version-7 UUIDs. */
#ifndef CHATCAT_UUID_H
#define CHATCAT_UUID_H

#include <stddef.h>

#define UUID_LEN 36

/* Whether s is 8-4-4-4-12 hexadecimal digits (any version, any case). */
int uuid_valid(const char *s);

/* Fill buf with n random bytes from the kernel; -1 on failure. */
int uuid_random_bytes(void *buf, size_t n);

/* Write n bytes as 2n lower-case hex digits and a NUL into out. */
void hex_encode(char *out, const void *in, size_t n);

/* Write n random bytes as hex (2n digits and a NUL); -1 on failure. */
int random_hex(char *out, size_t n);

/* Write a random UUIDv4 and its NUL into out; -1 on failure. */
int uuid_v4(char out[UUID_LEN + 1]);

/*
 * Write n (at most 8) UUIDv7s (RFC 9562: milliseconds since 1970, then
 * random bits) into out; -1 on failure.  Ids made in time order go to the
 * end of an index instead of a random page of it.
 */
int uuid_v7(char (*out)[UUID_LEN + 1], size_t n);

#endif
