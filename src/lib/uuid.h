/* UUID text checks and new version-4 and version-7 UUIDs. */
#ifndef CHATCAT_UUID_H
#define CHATCAT_UUID_H

#include <stddef.h>

#define UUID_LEN 36

/* Whether s is 8-4-4-4-12 hexadecimal digits (any version, any case). */
int uuid_valid(const char *s);

/* Write a random UUIDv4 and its NUL into out; -1 on failure. */
int uuid_v4(char out[UUID_LEN + 1]);

/*
 * Write n (at most 8) UUIDv7s (RFC 9562: milliseconds since 1970, then
 * random bits) into out; -1 on failure.  Ids made in time order go to the
 * end of an index instead of a random page of it.
 */
int uuid_v7(char (*out)[UUID_LEN + 1], size_t n);

#endif
