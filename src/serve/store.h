/*
 * chatcat serve's storage: SQLite in WAL mode, prepared statements only.
 * Threads belong to principals: (owner, thread id) is the key, so one
 * principal can neither read another's thread nor tell that it exists.
 *
 * Writes happen only inside store_begin() ... store_commit(): the server
 * groups the writes of one turn of its loop and tells clients about them
 * once the commit has succeeded.  Reads (the history) run between two
 * groups, each in a short transaction of its own, so they only ever see
 * committed rows and never hold the write-ahead log back.
 */
#ifndef CHATCAT_STORE_H
#define CHATCAT_STORE_H

#include <stddef.h>
#include <stdint.h>

#define STORE_TIME_LEN 24    /* 2026-11-28T04:42:00.123Z */
/* Past this size the -wal file is checkpointed and truncated. */
#define STORE_WAL_LIMIT (16 * 1024 * 1024)

struct store;

struct store_config {
	int sync_full;           /* PRAGMA synchronous=FULL, else NORMAL */
	long max_pages;          /* > 0: PRAGMA max_page_count (tests only) */
};

struct store_msg {
	int64_t seq;
	const char *id, *thread_id, *role, *content, *created_at;
	const char *status;      /* complete, processing, interrupted, failed */
	size_t content_len;
};

/*
 * Open (creating) the database, made private (mode 0600, with its -wal
 * and -shm files) first.  Replies still "processing" from an earlier run
 * become "interrupted".  NULL after printing an error.
 */
struct store *store_open(const char *path, const struct store_config *cfg);

/* The current time as stored: ISO 8601 UTC with milliseconds. */
void store_now(char out[STORE_TIME_LEN + 1]);

/*
 * A group of writes: store_begin(), writes, store_commit(); after any
 * failure, store_rollback().  Each returns 0 or -1; store_why() then says
 * what failed (valid until the next call).  Nothing is printed.
 */
int store_begin(struct store *s);
int store_commit(struct store *s);
void store_rollback(struct store *s);
const char *store_why(const struct store *s);

/* Append a message (status "complete") with the given id and time. */
int store_add(struct store *s, const char *id, const char *owner,
    const char *thread, const char *role, const char *content, size_t len,
    const char *job, const char *created_at);

/* Write a reply as it stands: its content so far and its status. */
int store_reply(struct store *s, const char *id, const char *owner,
    const char *thread, const char *content, size_t len, const char *job,
    const char *created_at, const char *status);

/* Record a job's start and end ("complete", "failed", "interrupted"). */
int store_job_start(struct store *s, const char *job, const char *owner,
    const char *thread, const char *agent);
int store_job_end(struct store *s, const char *job, const char *status,
    const char *error);

/*
 * The token of a server started without credentials: made up on the first
 * start and kept in the database, so that threads stay reachable across
 * restarts.  -1 after printing an error.
 */
int store_local_token(struct store *s, char *token, size_t size);

/*
 * Read a thread's messages after seq *after, oldest first, at most max of
 * them, in one short read transaction: fn is called for each (m is valid
 * during the call) and *after advanced; fn returns nonzero to stop early.
 * 1: more may follow; 0: the end was reached; -1 after an error (see
 * store_why()).
 */
typedef int store_row_fn(void *arg, const struct store_msg *m);
int store_history_read(struct store *s, const char *owner,
    const char *thread, int64_t *after, int max, store_row_fn *fn,
    void *arg);

void store_close(struct store *s);

#endif
