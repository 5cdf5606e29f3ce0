/*
 * SQLite storage.  Every statement is prepared once at open and reused;
 * a history cursor has its own statement so that many clients can read
 * at once while jobs write (WAL mode).
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <sqlite3.h>

#include "msg.h"
#include "store.h"
#include "uuid.h"

static const char schema[] =
    /* One server process owns the file: no lock calls per transaction. */
    "PRAGMA locking_mode=EXCLUSIVE;"
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "CREATE TABLE IF NOT EXISTS messages ("
    " seq INTEGER PRIMARY KEY,"  /* rows are never deleted: max + 1 */
    " id TEXT NOT NULL UNIQUE,"
    " owner TEXT NOT NULL,"
    " thread_id TEXT NOT NULL,"
    " role TEXT NOT NULL,"
    " content TEXT NOT NULL,"
    " job_id TEXT,"
    " created_at TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS messages_by_thread"
    " ON messages (owner, thread_id, seq);"
    "CREATE TABLE IF NOT EXISTS jobs ("
    " id TEXT PRIMARY KEY,"
    " owner TEXT NOT NULL,"
    " thread_id TEXT NOT NULL,"
    " agent_id TEXT,"
    " status TEXT NOT NULL,"
    " error TEXT,"
    " created_at TEXT NOT NULL,"
    " finished_at TEXT);"
    "CREATE TABLE IF NOT EXISTS meta ("
    " key TEXT PRIMARY KEY,"
    " value TEXT NOT NULL);"
    /* Jobs that were running when the server stopped will not finish. */
    "UPDATE jobs SET status = 'interrupted' WHERE status = 'running';";

struct store {
	sqlite3 *db;
	sqlite3_stmt *add, *job_start, *job_end, *begin, *commit;
	int in_txn;
};

struct store_cursor {
	sqlite3_stmt *st;
};

void
store_now(char out[STORE_TIME_LEN + 1])
{
	struct timespec ts;
	struct tm tm;
	char sec[24], all[64];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(sec, sizeof(sec), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(all, sizeof(all), "%.19s.%03dZ", sec,
	    (int)(ts.tv_nsec / 1000000) % 1000);
	memcpy(out, all, STORE_TIME_LEN);
	out[STORE_TIME_LEN] = '\0';
}

static int
prepare(struct store *s, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) {
		msg_error("sqlite: %s", sqlite3_errmsg(s->db));
		return -1;
	}
	return 0;
}

struct store *
store_open(const char *path)
{
	struct store *s = calloc(1, sizeof(*s));
	char *err = NULL;

	if (s == NULL) {
		msg_error("out of memory");
		return NULL;
	}
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		msg_error("%s: %s", path, s->db ? sqlite3_errmsg(s->db) :
		    "out of memory");
		store_close(s);
		return NULL;
	}
	sqlite3_busy_timeout(s->db, 5000);
	if (sqlite3_exec(s->db, schema, NULL, NULL, &err) != SQLITE_OK) {
		msg_error("%s: %s", path, err ? err : "cannot set up");
		sqlite3_free(err);
		store_close(s);
		return NULL;
	}
	if (prepare(s, "INSERT INTO messages (id, owner, thread_id, role,"
	    " content, job_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
	    &s->add) == -1 ||
	    prepare(s, "INSERT INTO jobs (id, owner, thread_id, agent_id,"
	    " status, created_at) VALUES (?, ?, ?, ?, 'running', ?)",
	    &s->job_start) == -1 ||
	    prepare(s, "UPDATE jobs SET status = ?, error = ?,"
	    " finished_at = ? WHERE id = ?", &s->job_end) == -1 ||
	    prepare(s, "BEGIN", &s->begin) == -1 ||
	    prepare(s, "COMMIT", &s->commit) == -1) {
		store_close(s);
		return NULL;
	}
	return s;
}

/* Run a prepared write statement once and reset it. */
static int
step_done(struct store *s, sqlite3_stmt *st)
{
	int r = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (r != SQLITE_DONE) {
		msg_error("sqlite: %s", sqlite3_errmsg(s->db));
		return -1;
	}
	return 0;
}

int
store_add(struct store *s, const char *id, const char *owner,
    const char *thread, const char *role, const char *content, size_t len,
    const char *job, const char *created_at)
{
	sqlite3_bind_text(s->add, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->add, 2, owner, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->add, 3, thread, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->add, 4, role, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->add, 5, content, (int)len, SQLITE_STATIC);
	if (job != NULL)
		sqlite3_bind_text(s->add, 6, job, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->add, 7, created_at, -1, SQLITE_STATIC);
	return step_done(s, s->add);
}

int
store_begin(struct store *s)
{
	if (s->in_txn)
		return 0;
	if (step_done(s, s->begin) == -1)
		return -1;
	s->in_txn = 1;
	return 1;
}

int
store_commit(struct store *s)
{
	if (!s->in_txn)
		return 0;
	s->in_txn = 0;
	return step_done(s, s->commit);
}

int
store_job_start(struct store *s, const char *job, const char *owner,
    const char *thread, const char *agent)
{
	char now[STORE_TIME_LEN + 1];

	store_now(now);
	sqlite3_bind_text(s->job_start, 1, job, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->job_start, 2, owner, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->job_start, 3, thread, -1, SQLITE_STATIC);
	if (agent != NULL)
		sqlite3_bind_text(s->job_start, 4, agent, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->job_start, 5, now, -1, SQLITE_STATIC);
	return step_done(s, s->job_start);
}

int
store_job_end(struct store *s, const char *job, const char *status,
    const char *error)
{
	char now[STORE_TIME_LEN + 1];

	store_now(now);
	sqlite3_bind_text(s->job_end, 1, status, -1, SQLITE_STATIC);
	if (error != NULL)
		sqlite3_bind_text(s->job_end, 2, error, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->job_end, 3, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->job_end, 4, job, -1, SQLITE_STATIC);
	return step_done(s, s->job_end);
}

int
store_local_token(struct store *s, char *token, size_t size)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (prepare(s, "SELECT value FROM meta WHERE key = 'local_token'",
	    &st) == -1)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(token, size, "%s", sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		return 0;
	}
	sqlite3_finalize(st);
	if (size < 33 || random_hex(token, 16) == -1)
		return -1;
	if (prepare(s, "INSERT INTO meta (key, value) VALUES"
	    " ('local_token', ?)", &st) == -1)
		return -1;
	sqlite3_bind_text(st, 1, token, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	if (rc == -1)
		msg_error("sqlite: %s", sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	return rc;
}

struct store_cursor *
store_history(struct store *s, const char *owner, const char *thread)
{
	struct store_cursor *c = calloc(1, sizeof(*c));

	if (c == NULL || sqlite3_prepare_v2(s->db, "SELECT id, thread_id,"
	    " role, content, created_at FROM messages WHERE owner = ? AND"
	    " thread_id = ? ORDER BY seq", -1, &c->st, NULL) != SQLITE_OK) {
		msg_error("sqlite: %s", sqlite3_errmsg(s->db));
		free(c);
		return NULL;
	}
	if (sqlite3_bind_text(c->st, 1, owner, -1, SQLITE_TRANSIENT) !=
	    SQLITE_OK || sqlite3_bind_text(c->st, 2, thread, -1,
	    SQLITE_TRANSIENT) != SQLITE_OK) {
		store_cursor_free(c);
		return NULL;
	}
	return c;
}

int
store_next(struct store_cursor *c, struct store_msg *m)
{
	int r = sqlite3_step(c->st);

	if (r == SQLITE_DONE)
		return 0;
	if (r != SQLITE_ROW) {
		msg_error("sqlite: %s",
		    sqlite3_errmsg(sqlite3_db_handle(c->st)));
		return -1;
	}
	m->id = (const char *)sqlite3_column_text(c->st, 0);
	m->thread_id = (const char *)sqlite3_column_text(c->st, 1);
	m->role = (const char *)sqlite3_column_text(c->st, 2);
	m->content = (const char *)sqlite3_column_text(c->st, 3);
	m->content_len = (size_t)sqlite3_column_bytes(c->st, 3);
	m->created_at = (const char *)sqlite3_column_text(c->st, 4);
	if (m->content == NULL)
		m->content = "";
	return 1;
}

void
store_cursor_free(struct store_cursor *c)
{
	if (c == NULL)
		return;
	sqlite3_finalize(c->st);
	free(c);
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	store_commit(s);
	sqlite3_finalize(s->add);
	sqlite3_finalize(s->job_start);
	sqlite3_finalize(s->job_end);
	sqlite3_finalize(s->begin);
	sqlite3_finalize(s->commit);
	sqlite3_close(s->db);
	free(s);
}
