/*
 * Colour for frames printed as they came (no --jq): on a terminal, like
 * jq colours its output; -C forces it, -M and NO_COLOR turn it off.
 */
#ifndef CHATCAT_COLOUR_H
#define CHATCAT_COLOUR_H

#include <stddef.h>

#include "lib/io.h"

/* Decide once, before any output: option 1 -C, -1 -M, 0 a terminal. */
void colour_init(int option);

/* Whether frames are coloured. */
int colour_on(void);

/* Write the one-line JSON text data[0..len) to out, coloured; as
 * out_write(). */
int colour_write(struct out *out, const char *data, size_t len);

#endif
