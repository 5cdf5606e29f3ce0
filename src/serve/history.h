/*
 * A history request of chatcat serve: the thread's rows are moved into
 * the connection's queue chunk by chunk, each chunk read in a short
 * transaction, as the client drains the queue; then history_end.
 */
#ifndef CHATCAT_SERVE_HISTORY_H
#define CHATCAT_SERVE_HISTORY_H

#include "conn.h"

/* Start sending thread's history on c (rows go out from writeable). */
void history_start(struct conn *c, const char *thread);

/* Queue the next chunk; at the end (or an error), the request is done. */
void history_pump(struct conn *c);

#endif
