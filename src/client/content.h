/* What `send` sends: its TEXT arguments, or stdin. */
#ifndef CHATCAT_CONTENT_H
#define CHATCAT_CONTENT_H

#include "lib/buf.h"

/*
 * The TEXT arguments joined by spaces, or all of stdin with no TEXT or
 * "-" (with a hint on stderr when stdin is a terminal).  Checked to be
 * UTF-8 and not empty; -1 after an error.
 */
int content_read(char **text, int ntext, struct buf *b);
/* Whether content_read() reads stdin: no TEXT, or "-". */
int content_from_stdin(char **text, int ntext);

#endif
