/*
 * dlopen behind the typed wrappers of jqlib.c and sqlitelib.c.
 */
#include <config.h>

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#include "lazylib.h"
#include "msg.h"

void
lazylib_load(struct lazylib *lib)
{
	char path[4096];
	const char *name = lib->soname;
	const char *dir = getenv("CHATCAT_TEST_LIBDIR");
	void *h;

	if (lib->loaded)
		return;
	if (dir != NULL && *dir != '\0') {
		if (snprintf(path, sizeof(path), "%s/%s", dir, lib->soname) >=
		    (int)sizeof(path)) {
			msg_error("CHATCAT_TEST_LIBDIR: path too long");
			exit(EXIT_USAGE);
		}
		name = path;
	}
	h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		msg_error("cannot load %s (install the Debian package %s): %s",
			  lib->soname, lib->package, dlerror());
		exit(EXIT_USAGE);
	}
	for (size_t i = 0; i < lib->n; i++) {
		void *p = dlsym(h, lib->syms[i]);

		if (p == NULL) {
			msg_error("%s: no symbol %s (install the Debian package %s): %s",
				  lib->soname, lib->syms[i], lib->package, dlerror());
			exit(EXIT_USAGE);
		}
		lib->fns[i] = (void (*)(void))p;
	}
	lib->loaded = 1;
}
