/*
 * Diagnostics.  The verbosity level is the one piece of process-wide state
 * in chatcat: it is set once by main() from the options and only read after
 * that, the same way err(3) reads the program name.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>

#include "msg.h"

static int verbosity = 0; /* -1 quiet, 0 default, 1 -v, 2 -vv */

void
msg_set_verbosity(int verbose, int quiet)
{
	verbosity = quiet ? -1 : verbose;
}

static void
vmsg(const char *prefix, const char *fmt, va_list ap)
{
	fputs("chatcat: ", stderr);
	if (prefix != NULL)
		fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
msg_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(NULL, fmt, ap);
	va_end(ap);
}

void
msg_warn(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < 0)
		return;
	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

void
msg_notice(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < 0)
		return;
	va_start(ap, fmt);
	vmsg(NULL, fmt, ap);
	va_end(ap);
}

void
msg_info(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < 1)
		return;
	va_start(ap, fmt);
	vmsg(NULL, fmt, ap);
	va_end(ap);
}

void
msg_escape(char *out, size_t outsz, const void *buf, size_t len, size_t max,
    int utf8)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = buf;
	size_t i, o = 0;

	if (outsz == 0)
		return;
	for (i = 0; i < len && i < max; i++) {
		if ((p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\') ||
		    (utf8 && p[i] >= 0x80)) {
			if (o + 1 >= outsz)
				break;
			out[o++] = (char)p[i];
		} else {
			if (o + 4 >= outsz)
				break;
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[p[i] >> 4];
			out[o++] = hex[p[i] & 15];
		}
	}
	out[o] = '\0';
}
