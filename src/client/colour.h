/*
 * Colour for frames printed as they came (no --jq): on a terminal, like
 * jq colours its output; -C forces it, -M and NO_COLOR turn it off.
 */
#ifndef CHATCAT_COLOUR_H
#define CHATCAT_COLOUR_H

#include <stddef.h>

#include "lib/io.h"

/* Whether output is coloured, jq's rule: option 1 -C, -1 -M; 0 when
 * stdout is a terminal and NO_COLOR is not set.  The filter's jq output
 * follows it too. */
int colour_wanted(int option);

/* Decide once, before any output (colour_wanted()). */
void colour_init(int option);

/* Whether frames are coloured. */
int colour_on(void);

/* Write the one-line JSON text data[0..len) to out, coloured; as
 * out_write(). */
int colour_write(struct out *out, const char *data, size_t len);

#endif
