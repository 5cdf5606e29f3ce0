/*
 * chatcat serve.  One lws context, one vhost listening on --listen; every
 * WebSocket connection is a `struct conn` (lws' per-session data).
 *
 * A connection handles one request at a time, as the deployed server did:
 * while a history is streamed or a job runs, reading from the client is
 * paused, so later frames (a client's fence) are answered in order.  Each
 * connection has a bounded send queue: when it fills, the history cursor
 * and the agent's output wait for the client to drain it.  Jobs belong to
 * the server, not to the connection: a client that leaves does not stop
 * its job, and the reply still lands in the store.
 *
 * Nothing is acknowledged before it is durable.  Writes are gathered in
 * the jobs during a turn of the loop and committed together at its end
 * (flush()); the frames that tell a client about them (message_received,
 * reply parts, the complete part) are held at the end of its queue until
 * that commit succeeds.  When it fails, they are dropped and replaced by
 * error frames, and the group is rolled back: it held nothing that had
 * been acknowledged.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "auth.h"
#include "group.h"
#include "inbox.h"
#include "job.h"
#include "outq.h"
#include "req.h"
#include "serve.h"
#include "store.h"
#include "lib/buf.h"
#include "lib/io.h"
#include "lib/json.h"
#include "lib/msg.h"
#include "lib/sig.h"

#define FLUSH_WAIT_US 1000  /* a commit waits at most this for more requests */
#define QUEUE_HIGH (1024 * 1024)     /* stop producing above this */
#define QUEUE_LOW (256 * 1024)       /* resume below this */
#define INBOX_HIGH (256 * 1024)      /* stop reading requests above this */
#define WRITES_PER_CALLBACK 16
#define WRITE_CHUNK (64 * 1024)        /* bytes per lws_write */
#define HISTORY_CHUNK 256              /* rows per read transaction */
#define STOP_GRACE_US (3 * 1000 * 1000)

struct server;

struct conn {
	struct server *srv;
	struct lws *wsi;
	char owner[AUTH_ID_LEN + 1];
	struct buf rx;               /* a message being reassembled */
	struct outq out;             /* frames for the client */
	int rx_held;                 /* not reading until the queue drains */
	int hist;                    /* a history is being sent */
	int64_t hist_seq;            /* ... after this row */
	char hist_thread[UUID_LEN + 1];
	unsigned long hist_count;
	struct job *job;             /* the job whose agent runs for it */
	struct inbox in;             /* requests read, not yet handled */
	int inbox_paused;            /* not reading: the inbox is full */
	int in_next;                 /* conn_next() runs (no recursion) */
	int close_code;              /* close once the queue is empty */
	struct conn *next;
};

struct server {
	const struct serve_config *cfg;
	struct lws_context *ctx;
	struct lws_vhost *vh;
	struct auth *auth;
	struct store *store;
	struct conn *conns;
	struct job *jobs;
	int stopping, stop_begun, stopped;
	int dirty;                   /* a job has writes for the next group */
	int flushing;                /* flush() runs: requests wait for it */
	lws_usec_t dirty_since;      /* ... since then */
	lws_sorted_usec_list_t stop_sul, flush_sul;
	struct lws_protocols protocols[3];
	lws_retry_bo_t keepalive;    /* protocol pings, --ping-interval */
};

static size_t
q_pending(const struct conn *c)
{
	return outq_pending(&c->out);
}

/* The frame built in c's queue is whole: write it when it may go. */
static int
frame_send(struct conn *c)
{
	if (outq_end(&c->out) == -1) {
		msg_error("serve: out of memory");
		return -1;
	}
	if (outq_ready(&c->out) > 0)
		lws_callback_on_writable(c->wsi);
	return 0;
}

/* The commit is done: the held frames may go. */
static void
conn_release(struct conn *c)
{
	if (c != NULL && outq_release(&c->out) && outq_ready(&c->out) > 0)
		lws_callback_on_writable(c->wsi);
}

/* The commit failed: what the held frames said is not true. */
static void
conn_drop_held(struct conn *c)
{
	if (c != NULL)
		outq_drop_held(&c->out);
}

static void
send_error(struct conn *c, const char *message, const char *thread,
    const char *job)
{
	outq_start(&c->out, "error");
	outq_str(&c->out, "message", message, strlen(message));
	if (thread != NULL)
		outq_str(&c->out, "thread_id", thread, strlen(thread));
	if (job != NULL)
		outq_str(&c->out, "job_id", job, strlen(job));
	frame_send(c);
}

static void conn_next(struct conn *c);

/*
 * The request is answered (or its agent is done): handle the next one,
 * unless the client has not read the answers yet (then writeable() goes
 * on once it has).
 */
static void
request_done(struct conn *c)
{
	if (q_pending(c) >= QUEUE_HIGH) {
		c->rx_held = 1;
		return;
	}
	conn_next(c);
}

/* A stored message as a history frame; a reply not complete says so. */
static void
send_stored(struct conn *c, const struct store_msg *m)
{
	outq_start(&c->out, "message");
	outq_str(&c->out, "id", m->id, strlen(m->id));
	outq_str(&c->out, "thread_id", m->thread_id, strlen(m->thread_id));
	outq_str(&c->out, "role", m->role, strlen(m->role));
	outq_str(&c->out, "content", m->content, m->content_len);
	outq_str(&c->out, "created_at", m->created_at, strlen(m->created_at));
	if (m->status != NULL && strcmp(m->status, "complete") != 0)
		outq_str(&c->out, "status", m->status, strlen(m->status));
	frame_send(c);
}

/* One history row into the queue; stop once the queue is full. */
static int
history_row(void *arg, const struct store_msg *m)
{
	struct conn *c = arg;

	send_stored(c, m);
	c->hist_count++;
	return q_pending(c) >= QUEUE_HIGH;
}

/*
 * Move history rows into the queue: one chunk, read in a transaction of
 * its own, so that a client that stops reading holds nothing open.
 */
static void
history_pump(struct conn *c)
{
	char count[32];
	int r;

	r = store_history_read(c->srv->store, c->owner, c->hist_thread,
	    &c->hist_seq, HISTORY_CHUNK, history_row, c);
	if (r == 1)
		return;  /* rows were queued: writeable() comes back */
	c->hist = 0;
	if (r == -1) {
		msg_error("serve: history: %s", store_why(c->srv->store));
		send_error(c, "Cannot read the history", c->hist_thread, NULL);
	} else {
		outq_start(&c->out, "history_end");
		outq_str(&c->out, "thread_id", c->hist_thread, UUID_LEN);
		snprintf(count, sizeof(count), ",\"count\":%lu", c->hist_count);
		outq_add(&c->out, count, strlen(count));
		frame_send(c);
	}
	request_done(c);
}

static void flush(struct server *s);
static void handle_request(struct conn *c, int binary, int ok,
    struct req *r);

/* After a commit: connections whose frames went out (or were replaced)
 * handle the requests that waited for it. */
static void
conns_resume(struct server *s)
{
	struct conn *c;

	for (c = s->conns; c != NULL; c = c->next)
		if (!c->out.holding && !c->rx_held)
			conn_next(c);
}

/* Whether a connection has read requests it has not handled yet. */
static int
requests_wait(const struct server *s)
{
	const struct conn *c;

	for (c = s->conns; c != NULL; c = c->next)
		if (inbox_bytes(&c->in) > 0 && !c->hist)
			return 1;
	return 0;
}

/*
 * Commit when the loop has nothing else ready; while requests that were
 * read wait (a pipe), up to FLUSH_WAIT_US more, so that one commit holds
 * many exchanges and one send pays nothing for it.
 */
static void
flush_due(lws_sorted_usec_list_t *sul)
{
	struct server *s = lws_container_of(sul, struct server, flush_sul);

	if (requests_wait(s) &&
	    lws_now_usecs() - s->dirty_since < FLUSH_WAIT_US) {
		lws_sul_schedule(s->ctx, 0, &s->flush_sul, flush_due, 1);
		return;
	}
	flush(s);
}

/*
 * A job has something for the next group: commit as soon as the loop has
 * nothing else ready (a timer due now runs before the loop waits again,
 * also when the write came from another timer, like the echo agent).
 */
static void
mark_dirty(struct server *s)
{
	if (s->dirty)
		return;
	s->dirty = 1;
	s->dirty_since = lws_now_usecs();
	lws_sul_schedule(s->ctx, 0, &s->flush_sul, flush_due, 1);
}

/* An error about a job, held with the job's other frames. */
static void
job_error(struct conn *c, const struct job *j, const char *message)
{
	outq_start(&c->out, "error");
	outq_hold(&c->out);
	outq_str(&c->out, "message", message, strlen(message));
	outq_str(&c->out, "thread_id", j->thread, strlen(j->thread));
	outq_str(&c->out, "job_id", j->id, strlen(j->id));
	frame_send(c);
}

/* A job produced a part of its reply (already added to j->reply). */
static void
job_part(struct job *j, const char *data, size_t len, int last)
{
	struct server *s = j->server;
	struct conn *c = j->conn;
	const char *status = last ? ",\"status\":\"complete\"" :
	    ",\"status\":\"processing\"";

	if (j->lost) {
		j->reply.len = j->stored_len;  /* not stored, not sent */
		return;
	}
	j->dirty = 1;
	j->complete = last;
	mark_dirty(s);
	if (c == NULL)
		return;
	outq_start(&c->out, "message");
	outq_hold(&c->out);
	outq_str(&c->out, "id", j->msg_id, strlen(j->msg_id));
	outq_str(&c->out, "thread_id", j->thread, strlen(j->thread));
	outq_str(&c->out, "role", "assistant", 9);
	outq_str(&c->out, "content", data, len);
	outq_str(&c->out, "job_id", j->id, strlen(j->id));
	outq_str(&c->out, "created_at", j->created_at, strlen(j->created_at));
	outq_add(&c->out, status, strlen(status));
	frame_send(c);
	if (q_pending(c) >= QUEUE_HIGH)
		job_pause(j, 1);
}

/*
 * A job ended: its end (and the reply's final status) is written by the
 * next group; the job is let go once that is committed.
 */
static void
job_end(struct job *j, const char *error)
{
	struct server *s = j->server;
	struct conn *c = j->conn;

	j->ended = 1;
	mark_dirty(s);
	/* Its agent is done: the connection may read its next request now,
	 * so that one group commits many exchanges (pipe). */
	if (c != NULL && c->job == j) {
		c->job = NULL;
		request_done(c);
	}
	/* A reply with a row gets its final status. */
	j->dirty = j->has_row || j->dirty;
	if (j->lost) {
		j->end_status = "failed";  /* error says why */
		return;
	}
	if (error == NULL) {
		j->end_status = "complete";
		return;
	}
	msg_info("serve: job %s: %s", j->id, error);
	snprintf(j->error, sizeof(j->error), "%s", error);
	/* Cut short by the server's own stop: the reply is interrupted. */
	j->end_status = s->stopping ? "interrupted" : "failed";
	if (c != NULL)
		job_error(c, j, error);
}

static const struct job_events job_events = { job_part, job_end };

/* Let go of a job whose end is committed (or cannot be). */
static void
job_finish(struct server *s, struct job *j)
{
	struct conn *c = j->conn;
	struct job **pp;

	for (pp = &s->jobs; *pp != NULL; pp = &(*pp)->next)
		if (*pp == j) {
			*pp = j->next;
			break;
		}
	if (c != NULL && c->job == j) {
		c->job = NULL;  /* its message was not stored */
		request_done(c);
	}
	job_free(j);
	free(j);
	if (s->stopping)
		lws_cancel_service(s->ctx);
}

/* The group holding j's writes is committed: tell, then go on. */
static void
job_stored(struct server *s, struct job *j)
{
	j->unstored = 0;
	if (j->dirty) {
		j->has_row = 1;
		j->stored_len = j->reply.len;
		j->dirty = 0;
	}
	conn_release(j->conn);
	if (j->ended)
		job_finish(s, j);
}

/*
 * The group holding j's writes failed and was rolled back: the client
 * learns what was not stored.  The agent of a message that was not stored
 * is killed; a reply that cannot be stored is stopped, and keeps what an
 * earlier commit stored of it.
 */
static void
job_unstored(struct server *s, struct job *j, const char *why)
{
	struct conn *c = j->conn;
	char text[320];

	conn_drop_held(c);
	if (j->unstored) {
		snprintf(text, sizeof(text), "Message not stored: %s", why);
		if (c != NULL)
			send_error(c, text, j->thread, NULL);
		job_finish(s, j);
		return;
	}
	if (!j->lost && c != NULL) {
		snprintf(text, sizeof(text), "Reply not stored: %s", why);
		send_error(c, text, j->thread, j->id);
	}
	if (j->ended) {
		job_finish(s, j);
		return;
	}
	j->lost = 1;
	snprintf(j->error, sizeof(j->error), "reply not stored: %.120s", why);
	j->dirty = 0;
	j->complete = 0;
	j->reply.len = j->stored_len;
	job_kill(j);
}

/*
 * The loop is idle: commit what was written since the last commit, in
 * one transaction, then release (or replace) the frames that wait for it.
 */
static void
flush(struct server *s)
{
	struct job *j, *next;
	char why[256];
	int ok;

	while (s->dirty) {
		s->dirty = 0;
		ok = group_write(s->store, s->jobs) == 0;
		if (!ok) {
			snprintf(why, sizeof(why), "%s", store_why(s->store));
			msg_error("serve: cannot store: %s", why);
		}
		s->flushing = 1;  /* every answer of the group goes first */
		for (j = s->jobs; j != NULL; j = next) {
			next = j->next;
			if (!group_pending(j))
				continue;
			if (ok)
				job_stored(s, j);
			else
				job_unstored(s, j, why);
		}
		s->flushing = 0;
		conns_resume(s);
	}
}

/*
 * A valid message: written by the next group and acknowledged once that
 * is committed.  The agent starts at once, so that a quick reply (the
 * echo agent's) is committed in the same group as its message; it is
 * killed if the message cannot be stored.
 */
static void
start_message(struct conn *c, struct req *r)
{
	struct server *s = c->srv;
	struct job **pp;
	char ids[3][UUID_LEN + 1];
	struct job *j = calloc(1, sizeof(*j));

	if (j == NULL) {
		send_error(c, "Out of memory", r->thread, NULL);
		return;
	}
	if (uuid_v7(ids, 3) == -1) {
		free(j);
		send_error(c, "Cannot make an id", r->thread, NULL);
		return;
	}
	memcpy(j->user_id, ids[0], sizeof(j->user_id));
	memcpy(j->id, ids[1], sizeof(j->id));
	memcpy(j->msg_id, ids[2], sizeof(j->msg_id));
	store_now(j->user_at);
	memcpy(j->owner, c->owner, sizeof(j->owner));
	memcpy(j->thread, r->thread, sizeof(j->thread));
	memcpy(j->agent, r->agent, sizeof(j->agent));
	store_now(j->created_at);
	j->content = r->content;          /* the job owns it now */
	r->content = (struct buf){ 0 };
	j->conn = c;
	j->server = s;
	j->unstored = 1;
	/* Oldest first, so that a failed group's errors come in the order
	 * of the requests they answer. */
	for (pp = &s->jobs; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = j;
	c->job = j;
	outq_start(&c->out, "message_received");
	outq_hold(&c->out);
	outq_str(&c->out, "id", j->user_id, strlen(j->user_id));
	outq_str(&c->out, "thread_id", r->thread, UUID_LEN);
	outq_str(&c->out, "job_id", j->id, strlen(j->id));
	frame_send(c);
	/* Before the commit is scheduled: the echo agent's timer runs first. */
	if (job_start(j, s->ctx, s->vh, s->cfg->agent_cmd, s->cfg->agent_timeout,
	    &job_events) == -1) {
		snprintf(j->error, sizeof(j->error), "cannot start the agent");
		j->ended = 1;
		j->end_status = "failed";
		job_error(c, j, "Cannot start the agent");
	}
	mark_dirty(s);
}

/* One request, parsed by the caller (ok) unless binary: answer or start it. */
static void
handle_request(struct conn *c, int binary, int ok, struct req *r)
{
	if (binary) {
		send_error(c, "Binary frames are not supported", NULL, NULL);
		return;
	}
	if (!ok) {
		msg_info("serve: bad request: %s", r->why);
		send_error(c, r->why, NULL, NULL);
		return;
	}
	if (r->type == SERVE_HISTORY) {
		c->hist = 1;
		c->hist_seq = 0;
		memcpy(c->hist_thread, r->thread, sizeof(r->thread));
		c->hist_count = 0;
		lws_callback_on_writable(c->wsi);
	} else
		start_message(c, r);
}

/* Refuse an upgrade with an HTTP status and a JSON detail. */
static int
http_refuse(struct lws *wsi, unsigned int status, const char *detail)
{
	unsigned char hdr[LWS_PRE + 1024], *start = hdr + LWS_PRE, *p = start;
	unsigned char body[LWS_PRE + 256];
	int n;

	n = snprintf((char *)body + LWS_PRE, sizeof(body) - LWS_PRE,
	    "{\"detail\":\"%s\"}", detail);
	if (lws_add_http_common_headers(wsi, status, "application/json",
	    (lws_filepos_t)n, &p, hdr + sizeof(hdr) - 1) ||
	    lws_finalize_write_http_header(wsi, start, &p,
	    hdr + sizeof(hdr) - 1))
		return -1;
	if (lws_write(wsi, body + LWS_PRE, (size_t)n,
	    LWS_WRITE_HTTP_FINAL) != n)
		return -1;
	return 1;
}

/* Who the request's credential names: 0 and id, or -1 with why. */
static int
authenticate(struct server *s, struct lws *wsi, char *id, const char **why)
{
	char buf[4096];
	const char *v;

	v = lws_get_urlarg_by_name(wsi, "key=", buf, sizeof(buf));
	if (v != NULL) {
		*why = "Invalid API key";
		return auth_check(s->auth, "key", v, id);
	}
	v = lws_get_urlarg_by_name(wsi, "token=", buf, sizeof(buf));
	if (v == NULL) {
		*why = "Missing token parameter";
		return -1;
	}
	*why = "Invalid or expired token";
	return auth_check(s->auth, "token", v, id);
}

/* Whether the request is for the API's endpoint. */
static int
right_path(struct lws *wsi)
{
	char uri[256];

	if (lws_hdr_copy(wsi, uri, sizeof(uri), WSI_TOKEN_GET_URI) <= 0)
		return 0;
	return strcmp(uri, "/chat/ws") == 0;
}

/*
 * Send queued frames (not the held ones); then more history; then a
 * pending close, once nothing is queued or held.
 */
static int
writeable(struct conn *c)
{
	size_t len;
	int n;

	for (n = 0; n < WRITES_PER_CALLBACK && outq_ready(&c->out) > 0; n++) {
		if (n > 0 && lws_send_pipe_choked(c->wsi))
			break;
		len = outq_whole(&c->out, WRITE_CHUNK);
		/* Already framed: lws passes HTTP writes through as they are. */
		if (lws_write(c->wsi, (unsigned char *)outq_data(&c->out), len,
		    LWS_WRITE_HTTP) < (int)len)
			return -1;
		outq_written(&c->out, len);
	}
	if (c->hist && q_pending(c) < QUEUE_LOW)
		history_pump(c);
	if (c->job != NULL && q_pending(c) < QUEUE_LOW)
		job_pause(c->job, 0);
	if (c->rx_held && q_pending(c) < QUEUE_LOW) {
		c->rx_held = 0;
		conn_next(c);
	}
	if (outq_ready(&c->out) > 0) {
		lws_callback_on_writable(c->wsi);
		return 0;
	}
	if (c->close_code != 0 && q_pending(c) == 0) {
		lws_close_reason(c->wsi, (enum lws_close_status)c->close_code,
		    NULL, 0);
		return -1;
	}
	return 0;
}

static void
conn_open(struct server *s, struct conn *c, struct lws *wsi)
{
	const char *why;

	memset(c, 0, sizeof(*c));
	c->srv = s;
	c->wsi = wsi;
	if (authenticate(s, wsi, c->owner, &why) == -1)
		c->close_code = LWS_CLOSE_STATUS_POLICY_VIOLATION;
	c->next = s->conns;
	s->conns = c;
	if (s->stopping)
		c->close_code = LWS_CLOSE_STATUS_GOINGAWAY;
	if (c->close_code)
		lws_callback_on_writable(wsi);
	msg_info("serve: client connected");
}

static void
conn_closed(struct server *s, struct conn *c)
{
	struct conn **pp;
	struct job *j;

	if (c->srv == NULL)
		return;  /* never established */
	for (pp = &s->conns; *pp != NULL; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	/* Its jobs go on; their replies still land in the store. */
	for (j = s->jobs; j != NULL; j = j->next)
		if (j->conn == c) {
			j->conn = NULL;
			job_pause(j, 0);
		}
	inbox_free(&c->in);
	buf_free(&c->rx);
	outq_free(&c->out);
	memset(c, 0, sizeof(*c));
	msg_info("serve: client left");
	if (s->stopping)
		lws_cancel_service(s->ctx);
}

/* Keep a whole request until the connection is free for it; stop reading
 * while INBOX_HIGH bytes wait. */
static int
conn_keep(struct conn *c, const char *data, size_t len, int binary)
{
	if (inbox_push(&c->in, data, len, binary) == -1)
		return -1;
	if (inbox_bytes(&c->in) >= INBOX_HIGH && !c->inbox_paused) {
		c->inbox_paused = 1;
		lws_rx_flow_control(c->wsi, 0);
	}
	return 0;
}

/*
 * Handle kept requests, in order, while the connection is free: no agent
 * runs for it and no history is being sent.  While frames wait for a
 * commit, what is answered at once (a message's frames, an error) waits
 * behind them, and a failed commit replaces them all by the errors that
 * say what was not stored; a history waits for the commit, so that its
 * frames are never dropped with them.  One group thus commits many
 * exchanges of a pipe.
 */
static void
conn_next(struct conn *c)
{
	const char *data;
	struct req r;
	size_t len;
	int binary, ok;

	if (c->in_next || c->srv->flushing)
		return;  /* it goes on when that is done (conns_resume()) */
	c->in_next = 1;
	while (c->job == NULL && !c->hist && !c->rx_held &&
	    inbox_peek(&c->in, &data, &len, &binary)) {
		ok = !binary && req_parse(data, len, &r) == 0;
		if (c->out.holding && ok && r.type == SERVE_HISTORY) {
			req_free(&r);
			break;  /* parsed again after the commit */
		}
		handle_request(c, binary, ok, &r);
		if (!binary)
			req_free(&r);
		inbox_pop(&c->in);
		if (q_pending(c) >= QUEUE_HIGH)
			c->rx_held = 1;  /* writeable() goes on */
	}
	c->in_next = 0;
	if (c->inbox_paused && inbox_bytes(&c->in) < INBOX_HIGH / 4) {
		c->inbox_paused = 0;
		lws_rx_flow_control(c->wsi, 1);
	}
}

/* A part of a client message: reassemble, then handle it. */
static int
receive(struct conn *c, const void *in, size_t len)
{
	if (len > c->srv->cfg->max_frame - c->rx.len) {
		lws_close_reason(c->wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE,
		    (unsigned char *)"message too large", 17);
		return -1;
	}
	if (buf_add(&c->rx, in, len) == -1)
		return -1;
	if (!lws_is_final_fragment(c->wsi) ||
	    lws_remaining_packet_payload(c->wsi) != 0)
		return 0;
	if (conn_keep(c, c->rx.p ? c->rx.p : "", c->rx.len,
	    lws_frame_is_binary(c->wsi)) == -1)
		return -1;
	c->rx.len = 0;
	if (!c->rx_held)
		conn_next(c);
	return 0;
}

static void
read_signals(struct server *s, struct lws *wsi)
{
	unsigned char sig[16];

	if (read(lws_get_socket_fd(wsi), sig, sizeof(sig)) > 0 &&
	    !s->stopping) {
		msg_notice("serve: stopping");
		s->stopping = 1;
	}
}

static int
callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct server *s = lws_context_user(lws_get_context(wsi));
	struct conn *c = user;
	char id[AUTH_ID_LEN + 1];
	const char *why;

	switch (reason) {
	case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
		if (!right_path(wsi))
			return http_refuse(wsi, 404, "Not Found");
		if (authenticate(s, wsi, id, &why) == -1)
			return http_refuse(wsi, 401, why);
		return 0;
	case LWS_CALLBACK_HTTP:
		if (http_refuse(wsi, 404, "Not Found") < 0)
			return -1;
		return lws_http_transaction_completed(wsi);
	case LWS_CALLBACK_ESTABLISHED:
		conn_open(s, c, wsi);
		return 0;
	case LWS_CALLBACK_RECEIVE:
		return receive(c, in, len);
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return writeable(c);
	case LWS_CALLBACK_CLOSED:
		conn_closed(s, c);
		return 0;
	case LWS_CALLBACK_RAW_RX_FILE:
		read_signals(s, wsi);
		return 0;
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}


/* Split --listen [ADDR:]PORT; -1 after an error. */
static int
parse_listen(const char *spec, char *addr, size_t addrsz, int *port)
{
	const char *colon = strrchr(spec, ':');
	const char *p = colon ? colon + 1 : spec;
	char *end;
	long v;

	snprintf(addr, addrsz, "%.*s", colon ? (int)(colon - spec) : 9,
	    colon ? spec : "127.0.0.1");
	errno = 0;
	v = strtol(p, &end, 10);
	if (errno != 0 || end == p || *end != '\0' || v < 0 || v > 65535 ||
	    addr[0] == '\0') {
		msg_error("--listen: expected [ADDR:]PORT, got '%s'", spec);
		return -1;
	}
	*port = (int)v;
	return 0;
}

/* The default database: $XDG_STATE_HOME/chatcat/chat.db. */
static char *
default_db(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	struct buf b = { 0 };

	if (state != NULL && state[0] == '/')
		buf_adds(&b, state);
	else if (home != NULL) {
		buf_adds(&b, home);
		buf_adds(&b, "/.local/state");
	} else
		buf_adds(&b, ".");
	mkdir(b.p, 0700);
	buf_adds(&b, "/chatcat");
	mkdir(b.p, 0700);
	if (buf_adds(&b, "/chat.db") == -1) {
		buf_free(&b);
		return NULL;
	}
	return b.p;
}

/* Who may connect; without any credential, the database's own token. */
static int
principals(struct server *s, char *token, size_t tokensz)
{
	const struct serve_config *cfg = s->cfg;

	s->auth = auth_new();
	if (s->auth == NULL)
		return -1;
	if (cfg->auth_file != NULL && auth_load(s->auth, cfg->auth_file) == -1)
		return -1;
	if (cfg->cred_kind != NULL &&
	    auth_add(s->auth, cfg->cred_kind, cfg->cred) == -1)
		return -1;
	token[0] = '\0';
	if (auth_count(s->auth) > 0)
		return 0;
	if (store_local_token(s->store, token, tokensz) == -1)
		return -1;
	return auth_add(s->auth, "token", token);
}

static void
stop_expired(lws_sorted_usec_list_t *sul)
{
	struct server *s = lws_container_of(sul, struct server, stop_sul);

	s->stopped = 1;
}

/* Close every client with 1001 and stop the agents. */
static void
begin_stop(struct server *s)
{
	struct conn *c;
	struct job *j;

	for (c = s->conns; c != NULL; c = c->next) {
		c->close_code = LWS_CLOSE_STATUS_GOINGAWAY;
		lws_callback_on_writable(c->wsi);
	}
	for (j = s->jobs; j != NULL; j = j->next)
		job_kill(j);
	s->stop_begun = 1;
	lws_sul_schedule(s->ctx, 0, &s->stop_sul, stop_expired,
	    STOP_GRACE_US);
}

static int
listen_and_report(struct server *s, const char *addr, int port,
    const char *token)
{
	static const struct lws_protocols chat = {
		"chat", callback, sizeof(struct conn), 65536, 0, NULL, 0
	};
	struct lws_context_creation_info info;
	lws_sock_file_fd_type fd;

	/* Upgrades without a subprotocol bind to the first protocol. */
	s->protocols[0] = chat;
	s->protocols[1] = job_protocol;
	memset(&info, 0, sizeof(info));
	info.port = port;
	info.iface = addr;
	info.protocols = s->protocols;
	info.user = s;
	info.gid = -1;
	info.uid = -1;
	info.pt_serv_buf_size = 16384;
	/*
	 * A ping after --ping-interval without traffic; hang up when no pong
	 * came --ping-timeout later (lws counts in whole seconds).
	 */
	if (s->cfg->ping_interval > 0) {
		double ping = s->cfg->ping_interval < 1 ? 1 :
		    s->cfg->ping_interval > 30000 ? 30000 : s->cfg->ping_interval;
		double wait = s->cfg->ping_timeout < 1 ? 1 :
		    s->cfg->ping_timeout > 30000 ? 30000 : s->cfg->ping_timeout;

		s->keepalive.secs_since_valid_ping = (uint16_t)ping;
		s->keepalive.secs_since_valid_hangup = (uint16_t)(ping + wait);
	} else {
		s->keepalive.secs_since_valid_ping = UINT16_MAX - 1;
		s->keepalive.secs_since_valid_hangup = UINT16_MAX;
	}
	info.retry_and_idle_policy = &s->keepalive;
	info.options = LWS_SERVER_OPTION_DISABLE_IPV6 |
	    LWS_SERVER_OPTION_VALIDATE_UTF8;
	s->ctx = lws_create_context(&info);
	if (s->ctx == NULL) {
		msg_error("serve: cannot listen on %s:%d", addr, port);
		return -1;
	}
	s->vh = lws_get_vhost_by_name(s->ctx, "default");
	fd.filefd = sig_open();
	if (s->vh == NULL || fd.filefd == -1 ||
	    lws_adopt_descriptor_vhost(s->vh, LWS_ADOPT_RAW_FILE_DESC, fd,
	    "chat", NULL) == NULL)
		return -1;
	port = lws_get_vhost_listen_port(s->vh);
	if (token[0] != '\0')
		printf("CHATCAT_URL=ws://%s:%d/chat/ws CHATCAT_TOKEN=%s\n",
		    addr, port, token);
	else
		printf("CHATCAT_URL=ws://%s:%d/chat/ws\n", addr, port);
	if (fflush(stdout) == EOF) {
		msg_error("stdout: %s", strerror(errno));
		return -1;
	}
	msg_notice("serve: listening on %s:%d", addr, port);
	return 0;
}

/* How the store is opened: --sync, and the test-only page cap. */
static int
store_config(const struct serve_config *o, struct store_config *cfg)
{
	const char *v = getenv("CHATCAT_TEST_MAX_PAGES");
	char *end;

	cfg->sync_full = o->sync_full;
	cfg->max_pages = 0;
	if (v == NULL || v[0] == '\0')
		return 0;
	errno = 0;
	cfg->max_pages = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || cfg->max_pages < 1) {
		msg_error("CHATCAT_TEST_MAX_PAGES: expected a number of pages,"
		    " got '%s'", v);
		return -1;
	}
	return 0;
}

/* The grace period is over: what still runs is interrupted. */
static void
interrupt_jobs(struct server *s)
{
	struct job *j;

	for (j = s->jobs; j != NULL; j = j->next) {
		if (j->ended || j->unstored)
			continue;
		j->ended = 1;
		j->end_status = "interrupted";
		j->dirty = j->has_row || j->dirty;
		s->dirty = 1;
	}
	flush(s);
}

enum exit_status
serve_run(const struct serve_config *o)
{
	struct server s = { .cfg = o };
	struct store_config cfg;
	char addr[256], token[64], *db = NULL;
	int port;
	enum exit_status st = EXIT_USAGE;

	lws_set_log_level(o->verbose >= 2 ? LLL_ERR | LLL_WARN | LLL_NOTICE :
	    0, NULL);
	if (parse_listen(o->listen ? o->listen : "127.0.0.1:8765", addr,
	    sizeof(addr), &port) == -1 || store_config(o, &cfg) == -1)
		return EXIT_USAGE;
	db = o->db ? NULL : default_db();
	s.store = store_open(o->db ? o->db : db ? db : "chat.db", &cfg);
	/* The ready line will carry a token: a standard output file that
	 * others may read is made private first, or the start is refused. */
	if (s.store == NULL || principals(&s, token, sizeof(token)) == -1 ||
	    (token[0] != '\0' && io_make_private(NULL, STDOUT_FILENO,
	    "standard output") == -1))
		goto out;
	st = EXIT_CONNECT;
	if (listen_and_report(&s, addr, port, token) == -1)
		goto out;
	st = EXIT_DONE;
	while (!s.stopped && lws_service(s.ctx, 0) >= 0) {
		if (s.stopping && !s.stop_begun)
			begin_stop(&s);
		if (s.stopping && s.conns == NULL && s.jobs == NULL)
			break;
	}
	flush(&s);
	interrupt_jobs(&s);
	lws_sul_cancel(&s.flush_sul);
out:
	sig_close();
	while (s.jobs != NULL) {
		/* Still running after the grace period: killed and reaped. */
		struct job *j = s.jobs;

		s.jobs = j->next;
		job_free(j);
		free(j);
	}
	if (s.ctx != NULL)
		lws_context_destroy(s.ctx);
	store_close(s.store);
	auth_free(s.auth);
	free(db);
	return st;
}
