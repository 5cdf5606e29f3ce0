/*
 * The record of how a connection ended.  Under --reconnect the failures
 * are -v lines: the owner reports the last one when it gives up.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/msg.h"
#include "ending.h"

void
ending_init(struct ending *e, int quiet)
{
	memset(e, 0, sizeof(*e));
	e->quiet = quiet;
}

void
ending_say(struct ending *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->why, sizeof(e->why), fmt, ap);
	va_end(ap);
	if (e->quiet)
		msg_info("%s", e->why);
	else
		msg_error("%s", e->why);
}

void
ending_fail(struct ending *e, enum ws_outcome outcome)
{
	if (e->end.outcome == WS_OK && !e->end.by_peer && e->end.code == 0)
		e->end.outcome = outcome;
	if (e->end.code == 0)
		e->end.code = 1006;
}

void
ending_set(struct ending *e, enum ws_outcome outcome)
{
	e->end.outcome = outcome;
}

void
ending_close(struct ending *e, int code, const char *reason, size_t len)
{
	e->end.code = code;
	if (reason != NULL)
		snprintf(e->reason, sizeof(e->reason), "%.*s", (int)len,
		    reason);
}

void
ending_peer(struct ending *e, int code, const char *reason, size_t len)
{
	e->end.by_peer = 1;
	ending_close(e, code, reason, len);
}

void
ending_refused(struct ending *e, int status)
{
	e->end.http_status = status;
	e->end.code = 1006;
}

const char *
ws_outcome_name(enum ws_outcome o)
{
	switch (o) {
	case WS_OK: return "ok";
	case WS_ERR_CONNECT: return "connect";
	case WS_ERR_TLS: return "tls";
	case WS_ERR_UPGRADE: return "upgrade";
	case WS_ERR_AUTH: return "auth";
	case WS_ERR_LOST: return "lost";
	case WS_ERR_PROTOCOL: return "protocol";
	}
	return "lost";
}

void
ending_complete(struct ending *e)
{
	if (e->end.code == 0)
		e->end.code = 1006;
	e->end.reason = e->reason;
	e->end.why = e->why;
}

void
ending_reset(struct ending *e)
{
	memset(&e->end, 0, sizeof(e->end));
	e->reason[0] = e->why[0] = '\0';
}
