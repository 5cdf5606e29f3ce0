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

/*
 * How many bytes at p[0..n) encode a character a terminal acts on or that
 * reorders the text around it, 0 if none: a C1 control (U+0080 to
 * U+009F) or a bidirectional control (U+061C, U+200E, U+200F, U+202A to
 * U+202E, U+2066 to U+2069).
 */
static size_t
active_char(const unsigned char *p, size_t n)
{
	if (n >= 2 && p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
		return 2;
	if (n >= 2 && p[0] == 0xd8 && p[1] == 0x9c)
		return 2;
	if (n >= 3 && p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0x8e ||
	    p[2] == 0x8f || (p[2] >= 0xaa && p[2] <= 0xae)))
		return 3;
	if (n >= 3 && p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 &&
	    p[2] <= 0xa9)
		return 3;
	return 0;
}

void
msg_escape(char *out, size_t outsz, const void *buf, size_t len, size_t max,
    int utf8)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = buf;
	size_t i, o = 0, active = 0;
	int plain;

	if (outsz == 0)
		return;
	for (i = 0; i < len && i < max; i++) {
		if (utf8 && active == 0)
			active = active_char(p + i, len - i);
		plain = active == 0 && ((p[i] >= 0x20 && p[i] < 0x7f &&
		    p[i] != '\\') || (utf8 && p[i] >= 0x80));
		if (active > 0)
			active--;  /* each of its bytes is escaped */
		if (plain) {
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
