/*
 * SQLite storage.  Every statement is prepared once at open and reused.
 * One connection does everything: writes only inside the server's groups,
 * reads in bounded chunks between them, so that no transaction is ever
 * open while the event loop waits.  The write-ahead log is checkpointed
 * here, after commits, instead of by SQLite's own hook.
 */
#include <config.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>

#include <sqlite3.h>

#include "lib/random.h"
#include "lib/buf.h"
#include "lib/io.h"
#include "lib/msg.h"
#include "store.h"
#include "lib/uuid.h"

/* Checkpoint once the log holds this many pages (SQLite's default). */
#define STORE_CHECKPOINT_PAGES 1000

static const char store_schema[] =
    "CREATE TABLE IF NOT EXISTS messages ("
    " seq INTEGER PRIMARY KEY,"  /* rows are never deleted: max + 1 */
    " id TEXT NOT NULL UNIQUE,"
    " owner TEXT NOT NULL,"
    " thread_id TEXT NOT NULL,"
    " role TEXT NOT NULL,"
    " content TEXT NOT NULL,"
    " job_id TEXT,"
    " created_at TEXT NOT NULL,"
    " status TEXT NOT NULL DEFAULT 'complete');"
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
    " value TEXT NOT NULL);";

/* What an earlier run left unfinished: it will not finish now. */
static const char store_recover[] =
    "UPDATE jobs SET status = 'interrupted' WHERE status = 'running';"
    "UPDATE messages SET status = 'interrupted'"
    " WHERE status = 'processing';";

struct store {
	sqlite3 *db;
	sqlite3_stmt *add, *reply, *job_start, *job_end, *begin, *commit,
	    *rollback, *hist;
	int wal_pages;               /* frames in the log after a commit */
	int page_size;
	char why[256];
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

/* Remember SQLite's reason for the last failure. */
static void
store_fail(struct store *s)
{
	snprintf(s->why, sizeof(s->why), "%s", sqlite3_errmsg(s->db));
}

const char *
store_why(const struct store *s)
{
	return s->why;
}

/* The database and the files SQLite keeps next to it. */
static int
store_private_all(const char *path)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	struct buf b = { 0 };
	size_t i;
	int rc = 0;

	for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]) && rc == 0; i++) {
		b.len = 0;
		if (buf_adds(&b, path) == -1 || buf_adds(&b, suffix[i]) == -1) {
			msg_error("out of memory");
			rc = -1;
		} else
			rc = io_make_private(b.p, -1, b.p);
	}
	buf_free(&b);
	return rc;
}

static int
store_prepare(struct store *s, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) {
		msg_error("sqlite: %s", sqlite3_errmsg(s->db));
		return -1;
	}
	return 0;
}

/* After each commit: how long the log is (see store_commit()). */
static int
store_wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
	struct store *s = arg;

	(void)db;
	(void)name;
	s->wal_pages = pages;
	return SQLITE_OK;  /* anything else would fail a done commit */
}

/*
 * The schema's version (PRAGMA user_version).  0: a new database, or one
 * from before versions (its replies had no status); 2: replies have a
 * status.  Each step below brings a database one version up; a newer
 * database than this chatcat knows is refused.
 */
#define STORE_VERSION 2

/* From an unversioned database: the status column, if it lacks it. */
static int
store_migrate_0(sqlite3 *db, char **err)
{
	sqlite3_stmt *st = NULL;
	int r = 0;

	if (sqlite3_prepare_v2(db, "SELECT status FROM messages LIMIT 0", -1,
	    &st, NULL) != SQLITE_OK)
		r = sqlite3_exec(db, "ALTER TABLE messages ADD COLUMN status"
		    " TEXT NOT NULL DEFAULT 'complete'", NULL, NULL, err) ==
		    SQLITE_OK ? 0 : -1;
	sqlite3_finalize(st);
	return r;
}

/* Bring the schema to STORE_VERSION, in one transaction; -1 with why. */
static int
store_migrate(struct store *s, char **err)
{
	sqlite3_stmt *st = NULL;
	char sql[64];
	int v = -1;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (v < 0)
		return -1;
	if (v > STORE_VERSION) {
		snprintf(s->why, sizeof(s->why), "its schema is version %d,"
		    " newer than this chatcat's (%d)", v, STORE_VERSION);
		return -1;
	}
	if (v == STORE_VERSION)
		return 0;
	snprintf(sql, sizeof(sql), "PRAGMA user_version=%d;", STORE_VERSION);
	if (sqlite3_exec(s->db, "BEGIN", NULL, NULL, err) != SQLITE_OK)
		return -1;
	if ((v == 0 && store_migrate_0(s->db, err) == -1) ||
	    sqlite3_exec(s->db, sql, NULL, NULL, err) != SQLITE_OK ||
	    sqlite3_exec(s->db, "COMMIT", NULL, NULL, err) != SQLITE_OK) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

/* Pragmas, tables, and what an older database lacks; -1 with why. */
static int
store_setup(struct store *s, const struct store_config *cfg)
{
	char pragmas[256];
	sqlite3_stmt *st = NULL;
	char *err = NULL;

	/* One server process owns the file: no lock calls per transaction. */
	snprintf(pragmas, sizeof(pragmas), "PRAGMA locking_mode=EXCLUSIVE;"
	    "PRAGMA journal_mode=WAL;PRAGMA synchronous=%s;"
	    "PRAGMA journal_size_limit=%d;", cfg->sync_full ? "FULL" :
	    "NORMAL", STORE_WAL_LIMIT);
	if (sqlite3_exec(s->db, pragmas, NULL, NULL, &err) != SQLITE_OK ||
	    sqlite3_exec(s->db, store_schema, NULL, NULL, &err) != SQLITE_OK)
		goto fail;
	if (store_migrate(s, &err) == -1) {
		if (err == NULL && s->why[0] != '\0')
			return -1;  /* why is said */
		goto fail;
	}
	if (sqlite3_exec(s->db, store_recover, NULL, NULL, &err) != SQLITE_OK)
		goto fail;
	if (cfg->max_pages > 0) {
		snprintf(pragmas, sizeof(pragmas), "PRAGMA max_page_count=%ld;",
		    cfg->max_pages);
		if (sqlite3_exec(s->db, pragmas, NULL, NULL, &err) != SQLITE_OK)
			goto fail;
	}
	if (sqlite3_prepare_v2(s->db, "PRAGMA page_size", -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		s->page_size = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_wal_hook(s->db, store_wal_hook, s);
	return 0;
fail:
	if (sqlite3_errcode(s->db) == SQLITE_BUSY)
		snprintf(s->why, sizeof(s->why), "another server holds it"
		    " (--db picks another database)");
	else
		snprintf(s->why, sizeof(s->why), "%s", err ? err :
		    sqlite3_errmsg(s->db));
	sqlite3_free(err);
	sqlite3_finalize(st);
	return -1;
}

static int
store_prepare_all(struct store *s)
{
	return store_prepare(s, "INSERT INTO messages (id, owner, thread_id,"
	    " role, content, job_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
	    &s->add) == -1 ||
	    store_prepare(s, "INSERT INTO messages (id, owner, thread_id,"
	    " role, content, job_id, created_at, status) VALUES"
	    " (?, ?, ?, 'assistant', ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE"
	    " SET content = excluded.content, status = excluded.status",
	    &s->reply) == -1 ||
	    store_prepare(s, "INSERT INTO jobs (id, owner, thread_id, agent_id,"
	    " status, created_at) VALUES (?, ?, ?, ?, 'running', ?)",
	    &s->job_start) == -1 ||
	    store_prepare(s, "UPDATE jobs SET status = ?, error = ?,"
	    " finished_at = ? WHERE id = ?", &s->job_end) == -1 ||
	    store_prepare(s, "SELECT seq, id, thread_id, role, content,"
	    " created_at, status FROM messages WHERE owner = ? AND"
	    " thread_id = ? AND seq > ? ORDER BY seq LIMIT ?",
	    &s->hist) == -1 ||
	    store_prepare(s, "BEGIN", &s->begin) == -1 ||
	    store_prepare(s, "COMMIT", &s->commit) == -1 ||
	    store_prepare(s, "ROLLBACK", &s->rollback) == -1 ? -1 : 0;
}

struct store *
store_open(const char *path, const struct store_config *cfg)
{
	struct store *s = calloc(1, sizeof(*s));
	mode_t old;
	int rc;

	if (s == NULL) {
		msg_error("out of memory");
		return NULL;
	}
	if (store_private_all(path) == -1) {
		free(s);
		return NULL;
	}
	old = umask(077);  /* the database holds the local token */
	rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK) {
		/* A server holds its database for good: no long wait. */
		sqlite3_busy_timeout(s->db, 500);
		rc = store_setup(s, cfg) == -1 ? SQLITE_ERROR : SQLITE_OK;
		sqlite3_busy_timeout(s->db, 5000);
	} else
		store_fail(s);
	umask(old);
	if (rc != SQLITE_OK) {
		msg_error("%s: cannot open the database: %s", path,
		    s->db ? s->why : "out of memory");
		store_close(s);
		return NULL;
	}
	if (store_prepare_all(s) == -1) {
		store_close(s);
		return NULL;
	}
	return s;
}

/* Run a prepared write statement once and reset it; -1 with why. */
static int
store_step(struct store *s, sqlite3_stmt *st)
{
	int r = sqlite3_step(st);

	if (r != SQLITE_DONE)
		store_fail(s);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r == SQLITE_DONE ? 0 : -1;
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
	sqlite3_bind_text(s->add, 5, content ? content : "", (int)len,
	    SQLITE_STATIC);
	if (job != NULL)
		sqlite3_bind_text(s->add, 6, job, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->add, 7, created_at, -1, SQLITE_STATIC);
	return store_step(s, s->add);
}

int
store_reply(struct store *s, const char *id, const char *owner,
    const char *thread, const char *content, size_t len, const char *job,
    const char *created_at, const char *status)
{
	sqlite3_bind_text(s->reply, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->reply, 2, owner, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->reply, 3, thread, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->reply, 4, content ? content : "", (int)len,
	    SQLITE_STATIC);
	sqlite3_bind_text(s->reply, 5, job, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->reply, 6, created_at, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->reply, 7, status, -1, SQLITE_STATIC);
	return store_step(s, s->reply);
}

int
store_begin(struct store *s)
{
	return store_step(s, s->begin);
}

/*
 * Commit; then keep the log short: a passive checkpoint every
 * STORE_CHECKPOINT_PAGES pages, and one that truncates the file once it
 * has grown past STORE_WAL_LIMIT.  A checkpoint that fails changes
 * nothing about the commit and is tried again after the next one.
 */
int
store_commit(struct store *s)
{
	int mode;

	s->wal_pages = 0;
	if (store_step(s, s->commit) == -1)
		return -1;
	if (s->wal_pages < STORE_CHECKPOINT_PAGES)
		return 0;
	mode = (int64_t)s->wal_pages * s->page_size > STORE_WAL_LIMIT ?
	    SQLITE_CHECKPOINT_TRUNCATE : SQLITE_CHECKPOINT_PASSIVE;
	if (sqlite3_wal_checkpoint_v2(s->db, NULL, mode, NULL, NULL) !=
	    SQLITE_OK)
		msg_info("serve: checkpoint: %s", sqlite3_errmsg(s->db));
	return 0;
}

/* Undo what the group wrote (SQLite may have done so already). */
void
store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db) &&
	    sqlite3_step(s->rollback) != SQLITE_DONE)
		msg_error("sqlite: rollback: %s", sqlite3_errmsg(s->db));
	sqlite3_reset(s->rollback);
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
	return store_step(s, s->job_start);
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
	return store_step(s, s->job_end);
}

int
store_local_token(struct store *s, char *token, size_t size)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (store_prepare(s, "SELECT value FROM meta WHERE key ="
	    " 'local_token'", &st) == -1)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(token, size, "%s", sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		return 0;
	}
	sqlite3_finalize(st);
	if (size < 33 || random_hex(token, 16) == -1)
		return -1;
	if (store_prepare(s, "INSERT INTO meta (key, value) VALUES"
	    " ('local_token', ?)", &st) == -1)
		return -1;
	sqlite3_bind_text(st, 1, token, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	if (rc == -1)
		msg_error("sqlite: cannot keep the local token: %s",
		    sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	return rc;
}

int
store_history_read(struct store *s, const char *owner, const char *thread,
    int64_t *after, int max, store_row_fn *fn, void *arg)
{
	struct store_msg m;
	int r = SQLITE_ROW, n = 0, stop = 0;

	sqlite3_bind_text(s->hist, 1, owner, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->hist, 2, thread, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s->hist, 3, *after);
	sqlite3_bind_int(s->hist, 4, max);
	while (!stop && (r = sqlite3_step(s->hist)) == SQLITE_ROW) {
		m.seq = sqlite3_column_int64(s->hist, 0);
		m.id = (const char *)sqlite3_column_text(s->hist, 1);
		m.thread_id = (const char *)sqlite3_column_text(s->hist, 2);
		m.role = (const char *)sqlite3_column_text(s->hist, 3);
		m.content = (const char *)sqlite3_column_text(s->hist, 4);
		m.content_len = (size_t)sqlite3_column_bytes(s->hist, 4);
		m.created_at = (const char *)sqlite3_column_text(s->hist, 5);
		m.status = (const char *)sqlite3_column_text(s->hist, 6);
		if (m.content == NULL)
			m.content = "";
		*after = m.seq;
		n++;
		stop = fn(arg, &m);
	}
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		store_fail(s);
	/* Reset at once: no read transaction outlives this call. */
	sqlite3_reset(s->hist);
	sqlite3_clear_bindings(s->hist);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return -1;
	return r == SQLITE_DONE && !stop && n < max ? 0 : 1;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	if (s->db != NULL)
		store_rollback(s);
	sqlite3_finalize(s->add);
	sqlite3_finalize(s->reply);
	sqlite3_finalize(s->job_start);
	sqlite3_finalize(s->job_end);
	sqlite3_finalize(s->hist);
	sqlite3_finalize(s->begin);
	sqlite3_finalize(s->commit);
	sqlite3_finalize(s->rollback);
	sqlite3_close(s->db);
	free(s);
}
