/*
 * chatcat serve's group commits (commit.h).
 *
 * Nothing is acknowledged before it is durable.  Writes are gathered in
 * the jobs during a turn of the loop and committed together at its end
 * (commit_flush()); the frames that tell a client about them
 * (message_received, reply parts, the complete part) are held at the end
 * of its queue until that commit succeeds.  When it fails, they are
 * dropped and replaced by error frames, and the group is rolled back: it
 * held nothing that had been acknowledged.
 */
#include <config.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "commit.h"
#include "conn.h"
#include "group.h"
#include "job.h"
#include "store.h"
#include "lib/msg.h"

#define FLUSH_WAIT_US 1000  /* a commit waits at most this for more requests */

/*
 * Commit when the loop has nothing else ready; while requests that were
 * read wait (a pipe), up to FLUSH_WAIT_US more, so that one commit holds
 * many exchanges and one send pays nothing for it.
 */
static void
flush_due(lws_sorted_usec_list_t *sul)
{
	struct server *s = lws_container_of(sul, struct server, flush_sul);

	if (s->waiting > 0 &&
	    lws_now_usecs() - s->dirty_since < FLUSH_WAIT_US) {
		lws_sul_schedule(s->ctx, 0, &s->flush_sul, flush_due, 1);
		return;
	}
	commit_flush(s);
}

/*
 * Commit as soon as the loop has nothing else ready (a timer due now runs
 * before the loop waits again, also when the write came from another
 * timer, like the echo agent).
 */
void
commit_mark(struct server *s)
{
	if (s->dirty)
		return;
	s->dirty = 1;
	s->dirty_since = lws_now_usecs();
	lws_sul_schedule(s->ctx, 0, &s->flush_sul, flush_due, 1);
}

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
		conn_request_done(c);
	}
	s->up.job_done(s, j);
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
			conn_error(c, text, j->thread, NULL);
		job_finish(s, j);
		return;
	}
	if (!j->lost && c != NULL) {
		snprintf(text, sizeof(text), "Reply not stored: %s", why);
		conn_error(c, text, j->thread, j->id);
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
	job_kill(j, SIGTERM);
}

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

/*
 * The loop is idle: commit what was written since the last commit, in
 * one transaction, then release (or replace) the frames that wait for it.
 */
void
commit_flush(struct server *s)
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

void
commit_interrupt(struct server *s)
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
	commit_flush(s);
}
