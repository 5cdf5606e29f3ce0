/*
 * The state of one run of chatcat serve, shared by the files that make up
 * the server: serve.c (setup and the loop), listen.c (the lws context and
 * its callback), conn.c (connections), message.c (messages and their
 * jobs), history.c and commit.c (group commits).  Private to src/serve/.
 */
#ifndef CHATCAT_SERVE_SERVER_H
#define CHATCAT_SERVE_SERVER_H

#include <libwebsockets.h>

#include "serve_config.h"

struct auth;
struct conn;
struct job;
struct store;

struct req;
struct server;

/*
 * The layer above the connections, set by serve.c so that conn.c and
 * commit.c call up only through these: start a request (history.c or
 * message.c), send more of a history, a job is over (message.c starts
 * the next one that waits).
 */
struct server_handlers {
	void (*request)(struct conn *c, struct req *r);
	void (*history_room)(struct conn *c);
	void (*job_done)(struct server *s, struct job *j);
};

struct server {
	struct server_handlers up;
	const struct serve_config *cfg;
	struct lws_context *ctx;
	struct lws_vhost *vh;
	struct lws *listen_wsi;      /* the listening socket (listen.c) */
	int listen_fd;
	int listen_paused;           /* at the descriptor limit */
	lws_sorted_usec_list_t listen_sul;
	struct auth *auth;
	struct store *store;
	struct conn *conns;
	struct job *jobs;            /* oldest first */
	unsigned running;            /* jobs whose agent has started */
	unsigned max_jobs;           /* ... at most; the others wait */
	size_t queued;               /* content bytes of the jobs that wait */
	size_t partial;              /* bytes of unfinished client messages */
	size_t kept;                 /* bytes of requests kept (inboxes) */
	int stopping, stop_begun, stopped;
	int dirty;                   /* a job has writes for the next group */
	int flushing;                /* a commit runs: requests wait for it */
	lws_usec_t dirty_since;      /* ... since then */
	size_t waiting;              /* connections with requests to handle */
	lws_sorted_usec_list_t stop_sul, flush_sul, sweep_sul;
	struct lws_protocols protocols[3];
	lws_retry_bo_t keepalive;    /* protocol pings, --ping-interval */
};

#endif
