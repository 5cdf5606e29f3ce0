/* UUID text checks and random version-4 UUIDs. */
#ifndef CHATCAT_UUID_H
#define CHATCAT_UUID_H

#include <stddef.h>

#define UUID_LEN 36

/* Whether s is 8-4-4-4-12 hexadecimal digits (any version, any case). */
int uuid_valid(const char *s);

/* Fill buf with n random bytes from the kernel; -1 on failure. */
int uuid_random_bytes(void *buf, size_t n);

/* Write a random UUIDv4 and its NUL into out; -1 on failure. */
int uuid_v4(char out[UUID_LEN + 1]);

#endif
