/*
 * chatcat serve's storage: SQLite in WAL mode, prepared statements only.
 * Threads belong to principals: (owner, thread id) is the key, so one
 * principal can neither read another's thread nor tell that it exists.
 */
#ifndef CHATCAT_STORE_H
#define CHATCAT_STORE_H

#include <stddef.h>

#define STORE_ID_LEN 36      /* message and job ids are UUIDs */
#define STORE_TIME_LEN 24    /* 2026-11-28T04:42:00.123Z */

struct store;
struct store_cursor;

struct store_msg {
	const char *id, *thread_id, *role, *content, *created_at;
	size_t content_len;
};

/* Open (creating) the database; NULL after printing an error. */
struct store *store_open(const char *path);

/* The current time as stored: ISO 8601 UTC with milliseconds. */
void store_now(char out[STORE_TIME_LEN + 1]);

/*
 * Append a message with the given id and time (see store_now()).  -1
 * after printing an error.
 */
int store_add(struct store *s, const char *id, const char *owner,
    const char *thread, const char *role, const char *content, size_t len,
    const char *job, const char *created_at);

/*
 * Writes are grouped: store_begin() opens a transaction unless one is
 * open (1 when it opened one, 0 when one was open, -1 on error), and
 * store_commit() commits it.  The server commits a few milliseconds after
 * the first write, so a busy server commits once for many messages;
 * reads on the same connection see the writes at once.
 */
int store_begin(struct store *s);
int store_commit(struct store *s);

/* Record a job's start and end (status "complete", "failed"). */
int store_job_start(struct store *s, const char *job, const char *owner,
    const char *thread, const char *agent);
int store_job_end(struct store *s, const char *job, const char *status,
    const char *error);

/*
 * The token of a server started without credentials: made up on the first
 * start and kept in the database, so that threads stay reachable across
 * restarts.  -1 after an error.
 */
int store_local_token(struct store *s, char *token, size_t size);

/* Walk a thread's messages in order, a row at a time. */
struct store_cursor *store_history(struct store *s, const char *owner,
    const char *thread);
/* 1 and *m filled (valid until the next call), 0 at the end, -1 error. */
int store_next(struct store_cursor *c, struct store_msg *m);
void store_cursor_free(struct store_cursor *c);

void store_close(struct store *s);

#endif
