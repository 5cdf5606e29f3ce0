/* What `send` sends: its TEXT arguments, or stdin. */
#ifndef CHATCAT_CONTENT_H
#define CHATCAT_CONTENT_H

#include "lib/buf.h"

/*
 * The TEXT arguments joined by spaces, or all of stdin with no TEXT or
 * "-".  Checked to be UTF-8; -1 after an error.
 */
int content_read(char **text, int ntext, struct buf *b);

#endif
