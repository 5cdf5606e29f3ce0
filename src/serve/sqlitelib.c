/*
 * SQLite, loaded on first use: only `chatcat serve` maps it (lazylib.h).
 * Each function store.c calls is defined here under its own name with the
 * prototype of <sqlite3.h> (the compiler checks the types; callers are
 * unchanged), hidden so that SQLite's own calls never land here.  A new
 * sqlite3_* call in store.c is a link error until it gets its line below.
 * (No fuzzer needs SQLite.)
 */
#include <config.h>

#pragma GCC visibility push(hidden)
#include <sqlite3.h>
#pragma GCC visibility pop

#include "lib/lazylib.h"

typedef void (*sql_destructor)(void *);
typedef int (*sql_exec_cb)(void *, int, char **, char **);
typedef int (*sql_wal_cb)(void *, sqlite3 *, const char *, int);

/* F(return type, name, (parameters), (arguments)); V for void ones. */
#define SQLITE_FUNCTIONS(F, V) \
	F(int, sqlite3_open_v2, (const char *f, sqlite3 **db, int fl, const char *vfs), (f, db, fl, vfs)) \
	F(int, sqlite3_close, (sqlite3 *db), (db)) \
	F(int, sqlite3_busy_timeout, (sqlite3 *db, int ms), (db, ms)) \
	F(const char *, sqlite3_errmsg, (sqlite3 *db), (db)) \
	F(int, sqlite3_errcode, (sqlite3 *db), (db)) \
	F(const char *, sqlite3_libversion, (void), ()) \
	F(int, sqlite3_exec, (sqlite3 *db, const char *sql, sql_exec_cb cb, void *arg, char **err), (db, sql, cb, arg, err)) \
	V(sqlite3_free, (void *p), (p)) \
	F(int, sqlite3_get_autocommit, (sqlite3 *db), (db)) \
	F(int, sqlite3_wal_checkpoint_v2, (sqlite3 *db, const char *name, int mode, int *log, int *ckpt), (db, name, mode, log, ckpt)) \
	F(void *, sqlite3_wal_hook, (sqlite3 *db, sql_wal_cb cb, void *arg), (db, cb, arg)) \
	F(int, sqlite3_prepare_v2, (sqlite3 *db, const char *sql, int n, sqlite3_stmt **st, const char **tail), (db, sql, n, st, tail)) \
	F(int, sqlite3_finalize, (sqlite3_stmt *st), (st)) \
	F(int, sqlite3_reset, (sqlite3_stmt *st), (st)) \
	F(int, sqlite3_step, (sqlite3_stmt *st), (st)) \
	F(int, sqlite3_clear_bindings, (sqlite3_stmt *st), (st)) \
	F(int, sqlite3_bind_int, (sqlite3_stmt *st, int i, int v), (st, i, v)) \
	F(int, sqlite3_bind_int64, (sqlite3_stmt *st, int i, sqlite3_int64 v), (st, i, v)) \
	F(int, sqlite3_bind_text, (sqlite3_stmt *st, int i, const char *s, int n, sql_destructor d), (st, i, s, n, d)) \
	F(int, sqlite3_column_bytes, (sqlite3_stmt *st, int i), (st, i)) \
	F(int, sqlite3_column_int, (sqlite3_stmt *st, int i), (st, i)) \
	F(sqlite3_int64, sqlite3_column_int64, (sqlite3_stmt *st, int i), (st, i)) \
	F(const unsigned char *, sqlite3_column_text, (sqlite3_stmt *st, int i), (st, i))

LAZYLIB(libsqlite, "libsqlite3.so.0", "libsqlite3-0", SQLITE_FUNCTIONS)
#define LAZYLIB_THIS libsqlite
SQLITE_FUNCTIONS(LAZYLIB_DEFINE, LAZYLIB_VDEFINE)
