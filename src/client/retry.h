/*
 * The reconnect policy (chatcat(1), RECONNECTING), all of it: which
 * endings another connection could mend, how long to wait (backoff with
 * full jitter), when to give up, and what a new connection sends again
 * (--backfill included).  The run (run.c) acts on what it says.
 */
#ifndef CHATCAT_RETRY_H
#define CHATCAT_RETRY_H

#include <stddef.h>
#include <time.h>

#include "lib/json.h"
#include "pending.h"
#include "ws/ws.h"

struct retry_config {
	int on;                  /* --reconnect */
	long tries;              /* --reconnect=N: at most N in a row; 0 any */
	int backfill;            /* --backfill */
};

struct retry {
	struct retry_config cfg;
	unsigned failures;       /* failed attempts in a row */
	struct timespec open_since; /* when the last connection opened */
};

/* Whether another connection could fare better than the one that ended. */
int retry_worth(const struct ws_end *end);

/* A connection opened. */
void retry_opened(struct retry *rt);

/*
 * A connection ended: 1 to try again after *delay seconds (cause: what
 * ended it, for messages), 0 not (giving up is reported).
 */
int retry_next(struct retry *rt, const struct ws_end *end, double *delay,
    char *cause, size_t size);

/*
 * A new connection: rewrite the pending requests into what it sends
 * again, each with its frame kept: a message nothing answered as it was,
 * a history to skip what was printed, a message whose reply was cut as a
 * backfill history (or dropped, reported).  *cut is set when a reply is
 * lost.
 */
void retry_plan(struct retry *rt, struct pending *p, int *cut);

/* A frame for r: 1 to skip it (printed before the drop, or before the
 * cut message in a backfill). */
int retry_filter(struct request *r, const struct json_info *fi);

/* A backfill r is complete: 0 when it found the finished reply, 1 when
 * the reply is lost (reported). */
int retry_backfill_lost(const struct request *r);

#endif
