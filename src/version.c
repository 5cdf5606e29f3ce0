/*
 * chatcat -V: chatcat's version, then each library's, as its headers gave
 * it when chatcat was built.  Asking the libraries themselves would load
 * them all (libwebsockets brings OpenSSL, libcap and zlib), and none of
 * them is loaded before a command needs it (lib/lazylib.h): --version
 * stays as cheap as a program that prints a line.  libjq 1.6 has no
 * version in its headers: configure found it (JQ_BUILD_VERSION).
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include <lws_config.h>
#include <oniguruma.h>
#include <openssl/opensslv.h>
#include <sqlite3.h>

#include "version.h"

#define STR_(x) #x
#define STR(x) STR_(x)

void
version_print(void)
{
	const char *lws = LWS_LIBRARY_VERSION;
	size_t n = strlen(lws);

	while (n > 0 && lws[n - 1] == '-')  /* "4.1.6-": no git hash */
		n--;
	printf("chatcat %s libwebsockets/%.*s libjq/%s oniguruma/%s.%s.%s"
	    " OpenSSL/%s SQLite/%s\n", PACKAGE_VERSION, (int)n, lws,
	    JQ_BUILD_VERSION, STR(ONIGURUMA_VERSION_MAJOR),
	    STR(ONIGURUMA_VERSION_MINOR), STR(ONIGURUMA_VERSION_TEENY),
	    OPENSSL_VERSION_STR, SQLITE_VERSION);
}
