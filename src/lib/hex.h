/* Hexadecimal digits, for every parser that reads them. */
#ifndef CHATCAT_HEX_H
#define CHATCAT_HEX_H

#include <stddef.h>

/* The value of hex digit c (0-15), or -1 when c is not one. */
int hex_value(int c);

/* Write n bytes as 2n lower-case hex digits and a NUL into out. */
void hex_encode(char *out, const void *in, size_t n);

#endif
