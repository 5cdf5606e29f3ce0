/*
 * One client connection of chatcat serve (lws' per-session data): its
 * requests, read and kept in order, are handled one at a time; its frames
 * go out through a bounded queue (outq.h).
 */
#ifndef CHATCAT_SERVE_CONN_H
#define CHATCAT_SERVE_CONN_H

#include <stddef.h>
#include <stdint.h>

#include <libwebsockets.h>

#include "auth.h"
#include "inbox.h"
#include "outq.h"
#include "lib/buf.h"
#include "lib/uuid.h"

#define QUEUE_HIGH (1024 * 1024)     /* stop producing above this */
#define QUEUE_LOW (256 * 1024)       /* resume below this */

struct server;
struct job;

struct conn {
	struct server *srv;
	struct lws *wsi;
	char owner[AUTH_ID_LEN + 1];
	struct buf rx;               /* a message being reassembled */
	struct outq out;             /* frames for the client */
	int rx_held;                 /* not reading until the queue drains */
	int hist;                    /* a history is being sent (history.c) */
	int64_t hist_seq;            /* ... after this row */
	char hist_thread[UUID_LEN + 1];
	unsigned long hist_count;
	struct job *job;             /* the job whose agent runs for it */
	struct inbox in;             /* requests read, not yet handled */
	int inbox_paused;            /* not reading: the inbox is full */
	int in_next;                 /* conn_next() runs (no recursion) */
	int waiting;                 /* counted in srv->waiting */
	int close_code;              /* close once the queue is empty */
	char peer[64];               /* ADDR:PORT, for the log */
	struct conn *next;
};

/* A connection is established (c is lws' zeroed session data), or gone. */
void conn_open(struct server *s, struct conn *c, struct lws *wsi);
void conn_closed(struct server *s, struct conn *c);

/* A part of a client message arrived; -1: close the connection. */
int conn_receive(struct conn *c, const void *in, size_t len);

/* The client may be written to; -1: close the connection. */
int conn_writeable(struct conn *c);

/* The frame built in c's queue is whole: write it when it may go. */
int conn_frame_send(struct conn *c);

/* An error frame, sent at once (behind any held frames). */
void conn_error(struct conn *c, const char *message, const char *thread,
    const char *job);

/* The commit is done (release) or failed (drop): the held frames.  c may
 * be NULL. */
void conn_release(struct conn *c);
void conn_drop_held(struct conn *c);

/* The request is answered: go on with the next one when the client has
 * read the answers. */
void conn_request_done(struct conn *c);

/* Handle kept requests while the connection is free for them. */
void conn_next(struct conn *c);

/* c's inbox or history changed: keep the server's count of connections
 * with requests waiting to be handled up to date. */
void conn_recount(struct conn *c);

#endif
