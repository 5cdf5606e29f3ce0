/*
 * One client connection of chatcat serve (conn.h).
 *
 * A connection handles one request at a time, as the deployed server did:
 * while a history is streamed or a job runs, reading from the client is
 * paused, so later frames (a client's fence) are answered in order.  Each
 * connection has a bounded send queue: when it fills, the history cursor
 * and the agent's output wait for the client to drain it.  Jobs belong to
 * the server, not to the connection: a client that leaves does not stop
 * its job, and the reply still lands in the store.
 */
#include <config.h>

#include <string.h>

#include "conn.h"
#include "job.h"
#include "req.h"
#include "server.h"
#include "upgrade.h"
#include "lib/hostport.h"
#include "lib/msg.h"

#define INBOX_HIGH (256 * 1024)      /* stop reading requests above this */
#define INBOX_JOB_HIGH (4 << 20)     /* ... while its agent runs */
#define KEPT_BUDGET (64 << 20)       /* requests kept, by all connections */
#define WRITES_PER_CALLBACK 16
#define WRITE_CHUNK (64 * 1024)      /* bytes per lws_write */
#define RX_KEEP (256 * 1024)         /* a larger rx buffer is freed */
#define PARTIAL_BUDGET_FRAMES 4      /* unfinished messages, all told */

/* The message being reassembled is done with: its bytes leave the
 * server's budget, and a large buffer is given back. */
static void
rx_done(struct conn *c)
{
	c->srv->partial -= c->rx.len;
	c->rx.len = 0;
	if (c->rx.cap > RX_KEEP)
		buf_free(&c->rx);
}

static size_t
q_pending(const struct conn *c)
{
	return outq_pending(&c->out);
}

int
conn_frame_send(struct conn *c)
{
	if (outq_end(&c->out) == -1) {
		msg_error("serve: out of memory");
		return -1;
	}
	if (outq_ready(&c->out) > 0)
		lws_callback_on_writable(c->wsi);
	return 0;
}

void
conn_release(struct conn *c)
{
	if (c != NULL && outq_release(&c->out) && outq_ready(&c->out) > 0)
		lws_callback_on_writable(c->wsi);
}

/* The commit failed: what the held frames said is not true. */
void
conn_drop_held(struct conn *c)
{
	if (c != NULL)
		outq_drop_held(&c->out);
}

void
conn_error(struct conn *c, const char *message, const char *thread,
    const char *job)
{
	outq_start(&c->out, "error");
	outq_str(&c->out, "message", message, strlen(message));
	if (thread != NULL)
		outq_str(&c->out, "thread_id", thread, strlen(thread));
	if (job != NULL)
		outq_str(&c->out, "job_id", job, strlen(job));
	conn_frame_send(c);
}

/*
 * The request is answered (or its agent is done): handle the next one,
 * unless the client has not read the answers yet (then conn_writeable()
 * goes on once it has).
 */
void
conn_request_done(struct conn *c)
{
	if (q_pending(c) >= QUEUE_HIGH) {
		c->rx_held = 1;
		return;
	}
	conn_next(c);
}

/* Requests wait on c while it has some kept and sends no history: the
 * count lets the commit know in O(1) whether a pipe is being read. */
void
conn_recount(struct conn *c)
{
	int w = inbox_bytes(&c->in) > 0 && !c->hist;

	if (w == c->waiting)
		return;
	c->waiting = w;
	if (w)
		c->srv->waiting++;
	else
		c->srv->waiting--;
}

/* One request, parsed by the caller (ok) unless binary: answer or start it. */
static void
handle_request(struct conn *c, int binary, int ok, struct req *r)
{
	if (binary) {
		conn_error(c, "Binary frames are not supported", NULL, NULL);
		return;
	}
	if (!ok) {
		msg_info("serve: bad request: %s", r->why);
		conn_error(c, r->why, NULL, NULL);
		return;
	}
	c->srv->up.request(c, r);
}

/*
 * Send queued frames (not the held ones); then more history; then a
 * pending close, once nothing is queued or held.
 */
int
conn_writeable(struct conn *c)
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
		c->srv->up.history_room(c);
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

void
conn_open(struct server *s, struct conn *c, struct lws *wsi)
{
	const char *why;

	memset(c, 0, sizeof(*c));
	c->srv = s;
	c->wsi = wsi;
	if (upgrade_owner(s->auth, wsi, c->owner, &why) == -1)
		c->close_code = LWS_CLOSE_STATUS_POLICY_VIOLATION;
	c->next = s->conns;
	s->conns = c;
	if (s->stopping)
		c->close_code = LWS_CLOSE_STATUS_GOINGAWAY;
	if (c->close_code)
		lws_callback_on_writable(wsi);
	hostport_peer(lws_get_socket_fd(wsi), c->peer, sizeof(c->peer));
	msg_info("serve: client %s connected", c->peer);
}

void
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
	if (c->waiting)
		s->waiting--;
	s->kept -= inbox_bytes(&c->in);
	inbox_free(&c->in);
	rx_done(c);
	buf_free(&c->rx);
	outq_free(&c->out);
	msg_info("serve: client %s left", c->peer);
	memset(c, 0, sizeof(*c));
	if (s->stopping)
		lws_cancel_service(s->ctx);
}

/*
 * Keep a whole request until the connection is free for it; stop reading
 * while INBOX_HIGH bytes wait.  While only its own agent holds it up (not
 * a client that does not read), up to INBOX_JOB_HIGH, within the server's
 * KEPT_BUDGET: reading on is what shows a close frame sent after them.
 */
static int
conn_keep(struct conn *c, const char *data, size_t len, int binary)
{
	size_t before = inbox_bytes(&c->in), high = INBOX_HIGH;
	int r = inbox_push(&c->in, data, len, binary);

	c->srv->kept += inbox_bytes(&c->in) - before;
	conn_recount(c);  /* also after a partial push */
	if (r == -1)
		return -1;
	if (c->job != NULL && !c->rx_held && !c->hist &&
	    c->srv->kept < KEPT_BUDGET)
		high = INBOX_JOB_HIGH;
	if (inbox_bytes(&c->in) >= high && !c->inbox_paused) {
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
void
conn_next(struct conn *c)
{
	const char *data;
	struct req r;
	size_t len;
	int binary, ok;

	if (c->in_next || c->srv->flushing)
		return;  /* it goes on when that is done (commit.c) */
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
		c->srv->kept -= inbox_bytes(&c->in);
		inbox_pop(&c->in);
		c->srv->kept += inbox_bytes(&c->in);
		conn_recount(c);
		if (q_pending(c) >= QUEUE_HIGH)
			c->rx_held = 1;  /* conn_writeable() goes on */
	}
	c->in_next = 0;
	if (inbox_bytes(&c->in) == 0 && c->in.b.cap > RX_KEEP)
		inbox_free(&c->in);  /* a large request's room goes back */
	if (c->inbox_paused && inbox_bytes(&c->in) < INBOX_HIGH / 4) {
		c->inbox_paused = 0;
		lws_rx_flow_control(c->wsi, 1);
	}
}

/*
 * A part of a client message: reassemble, then handle it.  Messages not
 * whole yet share one budget, PARTIAL_BUDGET_FRAMES times --max-frame:
 * past it, the connection whose part does not fit is closed with 1013
 * (try again later).
 */
int
conn_receive(struct conn *c, const void *in, size_t len)
{
	struct server *s = c->srv;

	if (len > s->cfg->max_frame - c->rx.len) {
		lws_close_reason(c->wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE,
		    (unsigned char *)"message too large", 17);
		return -1;
	}
	if (s->partial + len > PARTIAL_BUDGET_FRAMES * s->cfg->max_frame) {
		msg_info("serve: unfinished messages hold %zu bytes: closing"
		    " a connection with 1013", s->partial);
		lws_close_reason(c->wsi, 1013, (unsigned char *)"server busy",
		    11);
		return -1;
	}
	if (buf_add(&c->rx, in, len) == -1)
		return -1;
	s->partial += len;
	if (!lws_is_final_fragment(c->wsi) ||
	    lws_remaining_packet_payload(c->wsi) != 0)
		return 0;
	if (conn_keep(c, c->rx.p ? c->rx.p : "", c->rx.len,
	    lws_frame_is_binary(c->wsi)) == -1)
		return -1;
	rx_done(c);
	if (!c->rx_held)
		conn_next(c);
	return 0;
}
