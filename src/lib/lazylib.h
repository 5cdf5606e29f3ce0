/*
 * Shared libraries loaded when a command first needs them (dlopen), so
 * that a process pays only for what it uses: libjq (and oniguruma) only
 * with a filter, SQLite only for serve.  A library or symbol that cannot
 * be loaded is a one-line error naming the Debian package, and exit 2.
 */
#ifndef CHATCAT_LAZYLIB_H
#define CHATCAT_LAZYLIB_H

#include <stddef.h>

/* One library: its soname, the Debian package that ships it, the names of
 * the functions wanted and where their addresses go (syms[i] -> fns[i]). */
struct lazylib {
	const char *soname;
	const char *package;
	const char *const *syms;
	void (**fns)(void);
	size_t n;
	int loaded;
};

/* Load lib (once) and fill lib->fns; on failure print the error and exit.
 * CHATCAT_TEST_LIBDIR=DIR (tests only) loads DIR/soname instead. */
void lazylib_load(struct lazylib *lib);

#endif
