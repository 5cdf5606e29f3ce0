/*
 * chatcat -V, as curl -V: chatcat's version, then each library's, as the
 * library reports it at run time where it can.  libjq 1.6 cannot: its
 * version is the one configure found.  Oniguruma is libjq's, looked up in
 * the process (chatcat does not link it itself).
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

	while (n > 0 && lws[n - 1] == '-')  /* "4.1.6-": no git hash */
		n--;
	*(void **)&onig = dlsym(RTLD_DEFAULT, "onig_version");
	printf("chatcat %s libwebsockets/%.*s libjq/%s oniguruma/%s OpenSSL/%s"
	    " SQLite/%s\n", PACKAGE_VERSION, (int)n, lws, JQ_BUILD_VERSION,
	    onig != NULL ? onig() : "unknown",
	    OpenSSL_version(OPENSSL_VERSION_STRING), sqlite3_libversion());
}
