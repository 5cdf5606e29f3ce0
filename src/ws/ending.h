/*
 * How one connection ended: the outcome, the close code and reason, and
 * what went wrong.  The owner hears it in on_end() and decides whether
 * the ending is worth a retry.
 */
#ifndef CHATCAT_ENDING_H
#define CHATCAT_ENDING_H

#include <stddef.h>

#include "ws_types.h"

struct ending {
	struct ws_end end;       /* read it; change it with the functions */
	char reason[128];        /* the close reason */
	char why[512];           /* what went wrong, for end.why */
	int quiet;               /* --reconnect: failures are -v lines */
};

/* Start empty; quiet: what went wrong is said at -v only. */
void ending_init(struct ending *e, int quiet);
/* Say what went wrong (an error, or a -v line) and keep it for end.why. */
void ending_say(struct ending *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * A failure: outcome, unless an ending is already under way (a close
 * code is set: the first one wins); the code becomes 1006 if unset.
 */
void ending_fail(struct ending *e, enum ws_outcome outcome);
/* Outcome, whatever was recorded before. */
void ending_set(struct ending *e, enum ws_outcome outcome);
/* The close code; reason (NULL: leave it) is ours or the peer's. */
void ending_close(struct ending *e, int code, const char *reason,
    size_t len);
/* The server closed first, with code and reason. */
void ending_peer(struct ending *e, int code, const char *reason,
    size_t len);
/* The upgrade was refused with this HTTP status. */
void ending_refused(struct ending *e, int status);
/* Complete end for on_end: code 1006 if none, the reason and why. */
void ending_complete(struct ending *e);
/* Forget it (a new connection). */
void ending_reset(struct ending *e);

#endif
