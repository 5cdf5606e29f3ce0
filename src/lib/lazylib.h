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

/*
 * The wrappers, from one list per library of
 *     F(return type, name, (parameters), (arguments))   or
 *     V(name, (parameters), (arguments))                for void ones:
 * LIST(LAZYLIB_NAME, LAZYLIB_VNAME) makes the names, LIST(LAZYLIB_SLOT,
 * LAZYLIB_VSLOT) an enum of their indexes, and LIST(LAZYLIB_DEFINE,
 * LAZYLIB_VDEFINE) the functions, which load LAZYLIB_THIS (a struct
 * lazylib the file defines with LAZYLIB) on first use and call through its
 * fns.
 */
/* LAZYLIB(var, soname, package, LIST): the struct lazylib var and its
 * tables. */
#define LAZYLIB(var, soname, package, LIST) \
	static const char *const var##_syms[] = {LIST(LAZYLIB_NAME, LAZYLIB_VNAME)}; \
	enum { LIST(LAZYLIB_SLOT, LAZYLIB_VSLOT) var##_n }; \
	static void (*var##_fns[var##_n])(void); \
	static struct lazylib var = {soname, package, var##_syms, var##_fns, var##_n, 0};
#define LAZYLIB_NAME(ret, name, params, args) #name,
#define LAZYLIB_VNAME(name, params, args) #name,
#define LAZYLIB_SLOT(ret, name, params, args) lazylib_slot_##name,
#define LAZYLIB_VSLOT(name, params, args) lazylib_slot_##name,
#define LAZYLIB_DEFINE(ret, name, params, args) \
	ret name params \
	{ \
		if (!LAZYLIB_THIS.loaded) \
			lazylib_load(&LAZYLIB_THIS); \
		return ((ret(*) params)LAZYLIB_THIS.fns[lazylib_slot_##name]) args; \
	}
#define LAZYLIB_VDEFINE(name, params, args) \
	void name params \
	{ \
		if (!LAZYLIB_THIS.loaded) \
			lazylib_load(&LAZYLIB_THIS); \
		((void(*) params)LAZYLIB_THIS.fns[lazylib_slot_##name]) args; \
	}

#endif
