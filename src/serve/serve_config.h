/*
 * What chatcat serve is told to do: main.c fills it from the options;
 * every part of the server reads it (server.h), none changes it.
 */
#ifndef CHATCAT_SERVE_SERVE_CONFIG_H
#define CHATCAT_SERVE_SERVE_CONFIG_H

#include <stddef.h>

/* What the server is told to do (main fills it from the options). */
struct serve_config {
	const char *listen;          /* [ADDR:]PORT; NULL: 127.0.0.1:8765 */
	const char *db;              /* NULL: $XDG_STATE_HOME/chatcat/chat.db */
	int sync_full;               /* --sync full, else normal */
	const char *auth_file;       /* principals; NULL for none */
	const char *cred_kind;       /* "token", "key", or NULL for none */
	const char *cred;            /* ... its secret, never printed */
	const char *agent_cmd;       /* NULL for the echo agent */
	double agent_timeout;        /* seconds */
	size_t max_frame;            /* largest message a client may send */
	size_t max_reply;            /* a reply's cap (escaped); 0: all that
	                                fits in a max_frame history frame */
	unsigned max_jobs;           /* agents at once; 0: 4 per core */
	double ping_interval;        /* seconds between pings, 0 none */
	double ping_timeout;         /* the wait for each pong */
	int verbose;                 /* >= 2: libwebsockets' own log too */
};

#endif
