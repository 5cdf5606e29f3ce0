/* Random bytes from the kernel (getrandom(2)). */
#ifndef CHATCAT_RANDOM_H
#define CHATCAT_RANDOM_H

#include <stddef.h>

/* Fill buf with n random bytes; -1 on failure. */
int random_bytes(void *buf, size_t n);

/* Write n (at most 64) random bytes as hex (2n digits and a NUL); -1 on
 * failure. */
int random_hex(char *out, size_t n);

#endif
