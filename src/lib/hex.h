/* Hexadecimal digits, for every parser that reads them. */
#ifndef CHATCAT_HEX_H
#define CHATCAT_HEX_H

/* The value of hex digit c (0-15), or -1 when c is not one. */
int hex_value(int c);

#endif
