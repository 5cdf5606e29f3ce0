/*
 * chatcat -V, as curl -V: chatcat's version, then each library's, as the
 * library reports it at run time where it can.  libjq 1.6 cannot: its
 * version is the one configure found.  Oniguruma is libjq's: chatcat does
 * not link it (nor, until a filter needs it, libjq), so it is opened here
 * to ask.
 */
#include <config.h>

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include <libwebsockets.h>
#include <openssl/crypto.h>
#include <sqlite3.h>

#include "version.h"

void
version_print(void)
{
	const char *lws = lws_get_library_version();
	const char *(*onig)(void);
	size_t n = strlen(lws);
	void *h = dlopen("libonig.so.5", RTLD_LAZY | RTLD_LOCAL);

	while (n > 0 && lws[n - 1] == '-')  /* "4.1.6-": no git hash */
		n--;
	*(void **)&onig = h != NULL ? dlsym(h, "onig_version") : NULL;
	printf("chatcat %s libwebsockets/%.*s libjq/%s oniguruma/%s OpenSSL/%s"
	    " SQLite/%s\n", PACKAGE_VERSION, (int)n, lws, JQ_BUILD_VERSION,
	    onig != NULL ? onig() : "unknown",
	    OpenSSL_version(OPENSSL_VERSION_STRING), sqlite3_libversion());
	if (h != NULL)
		dlclose(h);
}
