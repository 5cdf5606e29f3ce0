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

const char *
exit_status_name(enum exit_status st)
{
	switch (st) {
	case EXIT_DONE: return "done";
	case EXIT_SERVER_ERROR: return "server error";
	case EXIT_USAGE: return "usage or local input";
	case EXIT_JQ_COMPILE: return "jq filter does not compile";
	case EXIT_JQ_NO_OUTPUT: return "jq -e: last output false, null or none";
	case EXIT_JQ_RUNTIME: return "jq error";
	case EXIT_CONNECT: return "cannot connect";
	case EXIT_TLS: return "TLS failure";
	case EXIT_UPGRADE: return "upgrade refused";
	case EXIT_AUTH: return "authentication rejected";
	case EXIT_LOST: return "connection lost";
	case EXIT_PROTOCOL: return "protocol violation";
	case EXIT_IDLE: return "a reply was ended by --idle";
	case EXIT_NO_REPLY: return "a message got no reply";
	case EXIT_LISTEN: return "serve: cannot listen";
	case EXIT_TIMEOUT: return "timed out";
	case EXIT_SIGINT: return "SIGINT";
	case EXIT_SIGTERM: return "SIGTERM";
	}
	return "";
}
