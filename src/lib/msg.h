/*
 * Diagnostics on stderr in the err(3) style ("chatcat: context: reason")
 * and the exit statuses documented in chatcat(1).
 */
#ifndef CHATCAT_MSG_H
#define CHATCAT_MSG_H

#include <stddef.h>

enum exit_status {
	EXIT_DONE = 0,
	EXIT_SERVER_ERROR = 1,
	EXIT_USAGE = 2,
	EXIT_JQ_COMPILE = 3,
	EXIT_JQ_NO_OUTPUT = 4,
	EXIT_JQ_RUNTIME = 5,
	EXIT_CONNECT = 10,
	EXIT_TLS = 11,
	EXIT_UPGRADE = 12,
	EXIT_AUTH = 13,
	EXIT_LOST = 14,
	EXIT_PROTOCOL = 15,
	EXIT_IDLE = 20,
	EXIT_NO_REPLY = 21,
	EXIT_LISTEN = 30,
	EXIT_TIMEOUT = 124,
	EXIT_SIGINT = 130,
	EXIT_SIGTERM = 143
};

/* -v count: how chatty msg_info() is; -q: no notices or warnings. */
/* What an exit status means, in a few words (--events "exit"). */
const char *exit_status_name(enum exit_status st);

void msg_set_verbosity(int verbose, int quiet);

/* "chatcat: ..." on stderr, always. */
void msg_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "chatcat: warning: ..." unless -q. */
void msg_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "chatcat: ..." unless -q: notices a user wants by default. */
void msg_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "chatcat: ..." at -v and above. */
void msg_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Write at most max bytes of buf into out (size outsz) as printable text:
 * control bytes and backslashes become \xNN, and so do bytes above 0x7e
 * unless utf8 (text known to be UTF-8); then the bytes of C1 controls and
 * bidirectional controls become \xNN too.  For anything a server sends that
 * ends up in a message: it cannot forge lines or move the terminal.
 */
void msg_escape(char *out, size_t outsz, const void *buf, size_t len,
    size_t max, int utf8);

#endif
