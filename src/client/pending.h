/*
 * The requests sent and not yet complete, oldest first: a ring that the
 * completion rules (rules.c) and the reconnect policy (retry.c) read and
 * the run (run.c) fills.
 */
#ifndef CHATCAT_PENDING_H
#define CHATCAT_PENDING_H

#include <stddef.h>

#include "fence.h"
#include "input.h"
#include "lib/uuid.h"

/* What a request is waiting for; REQ_* of input.h, and: */
#define REQ_BACKFILL (REQ_OTHER + 1)  /* --backfill: a cut reply's history */

struct request {
	int kind;                /* enum req_kind, or REQ_BACKFILL */
	char thread[UUID_LEN + 1];
	char fence[FENCE_LEN + 1]; /* its fence's type while unanswered, or "" */
	unsigned long line;      /* pipe: its stdin line (0: command line) */
	int received;            /* a message's message_received came */
	int started;             /* a frame of its reply came */
	char anchor[128];        /* the message's id (message_received) */
	int anchor_seen;         /* REQ_BACKFILL: history reached it */
	int reply_seen;          /* ... and a finished reply after it */
	char *frame;             /* --reconnect: the request, to send again */
	size_t frame_len;
	unsigned long got;       /* frames that went to it */
	unsigned long passed;    /* history: frames passed on so far */
	unsigned long skip;      /* ... of which, asked again, to skip */
};

struct pending {
	struct request *reqs;
	size_t head, count, cap;
};

/* Request i, 0 the oldest (i < count). */
struct request *pending_at(struct pending *p, size_t i);
/* A new newest request, zeroed; NULL when out of memory. */
struct request *pending_push(struct pending *p);
/* Take request i out (its kept frame is freed). */
void pending_remove(struct pending *p, size_t i);
/* Keep only the first n (after pending_at(p, k) were rewritten). */
void pending_truncate(struct pending *p, size_t n);
void pending_free(struct pending *p);

/* --reconnect: keep a copy of the request's frame; -1 out of memory. */
int request_keep(struct request *r, const char *frame, size_t len);
/* Forget the kept frame. */
void request_drop(struct request *r);
/* The name of a kind in messages and --events. */
const char *request_kind_name(int kind);

#endif
