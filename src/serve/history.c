/*
 * A history request of chatcat serve (history.h): rows go into the
 * connection's queue until it is full, and the client's draining of the
 * queue (conn_writeable()) asks for the next chunk.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "history.h"
#include "server.h"
#include "store.h"
#include "lib/msg.h"

#define HISTORY_CHUNK 256              /* rows per read transaction */

void
history_start(struct conn *c, const char *thread)
{
	c->hist = 1;
	c->hist_seq = 0;
	memcpy(c->hist_thread, thread, sizeof(c->hist_thread));
	c->hist_count = 0;
	conn_recount(c);
	lws_callback_on_writable(c->wsi);
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
	conn_frame_send(c);
}

/* One history row into the queue; stop once the queue is full. */
static int
history_row(void *arg, const struct store_msg *m)
{
	struct conn *c = arg;

	send_stored(c, m);
	c->hist_count++;
	return outq_pending(&c->out) >= QUEUE_HIGH;
}

/*
 * Move history rows into the queue: one chunk, read in a transaction of
 * its own, so that a client that stops reading holds nothing open.
 */
void
history_pump(struct conn *c)
{
	char count[32];
	int r;

	r = store_history_read(c->srv->store, c->owner, c->hist_thread,
	    &c->hist_seq, HISTORY_CHUNK, history_row, c);
	if (r == 1)
		return;  /* rows were queued: conn_writeable() comes back */
	c->hist = 0;
	conn_recount(c);
	if (r == -1) {
		msg_error("serve: history: %s", store_why(c->srv->store));
		conn_error(c, "Cannot read the history", c->hist_thread, NULL);
	} else {
		outq_start(&c->out, "history_end");
		outq_str(&c->out, "thread_id", c->hist_thread, UUID_LEN);
		snprintf(count, sizeof(count), ",\"count\":%lu", c->hist_count);
		outq_add(&c->out, count, strlen(count));
		conn_frame_send(c);
	}
	conn_request_done(c);
}
