/*
 * A message request of chatcat serve (message.h).  The message and its
 * job are written by the next group commit (commit.c), and every frame
 * that tells the client about them is held until that commit succeeds.
 * The job's events (its agent's reply parts and its end) arrive here.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commit.h"
#include "job.h"
#include "message.h"
#include "server.h"
#include "store.h"
#include "strays.h"
#include "lib/msg.h"

/* What a history frame adds to a message's content, at most:
 * {"type":"message","id":UUID,"thread_id":UUID,"role":"assistant",
 * "content":"","created_at":TIME,"status":"interrupted"}, rounded up. */
#define HISTORY_ROOM 256
#define SWEEP_AGAIN_US (100 * 1000)  /* killed strays are reaped then */
#define QUEUED_BUDGET_FRAMES 4       /* messages that wait, all told */

static void run_queued(struct server *s);
static void sweep_due(lws_sorted_usec_list_t *sul);

/* An error about a job, held with the job's other frames. */
static void
job_error(struct conn *c, const struct job *j, const char *message)
{
	outq_start(&c->out, "error");
	outq_hold(&c->out);
	outq_str(&c->out, "message", message, strlen(message));
	outq_str(&c->out, "thread_id", j->thread, strlen(j->thread));
	outq_str(&c->out, "job_id", j->id, strlen(j->id));
	conn_frame_send(c);
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
	commit_mark(s);
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
	conn_frame_send(c);
	if (outq_pending(&c->out) >= QUEUE_HIGH)
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
	commit_mark(s);
	message_job_done(s, j);
	/* Its agent is done: the connection may read its next request now,
	 * so that one group commits many exchanges (pipe). */
	if (c != NULL && c->job == j) {
		c->job = NULL;
		conn_request_done(c);
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

/* Start j's agent, counted in s->running; after a failure, j has ended
 * and its client has the error. */
static void
run(struct server *s, struct job *j)
{
	struct conn *c = j->conn;

	if (job_start(j, s->ctx, s->vh, s->cfg->agent_cmd,
	    s->cfg->agent_timeout, &job_events) == 0) {
		s->running++;
		j->counted = 1;
		return;
	}
	snprintf(j->error, sizeof(j->error), "cannot start the agent");
	j->ended = 1;
	j->end_status = "failed";
	if (c != NULL && c->job == j) {
		c->job = NULL;
		conn_request_done(c);
	}
	if (c != NULL)
		job_error(c, j, "Cannot start the agent");
	commit_mark(s);
}

/* The oldest jobs that wait for --max-jobs start while there is room. */
static void
run_queued(struct server *s)
{
	struct job *j;

	for (j = s->jobs; j != NULL && s->running < s->max_jobs &&
	    !s->stopping; j = j->next)
		if (!j->started && !j->ended) {
			s->queued -= j->content.len;
			run(s, j);
		}
}

static void
sweep_due(lws_sorted_usec_list_t *sul)
{
	struct server *s = lws_container_of(sul, struct server, sweep_sul);

	if (strays_sweep(s->jobs) > 0)
		lws_sul_schedule(s->ctx, 0, &s->sweep_sul, sweep_due,
		    SWEEP_AGAIN_US);
}

void
message_job_done(struct server *s, struct job *j)
{
	if (!j->started) {  /* it waited, and never ran */
		s->queued -= j->content.len;
		j->started = 1;
	}
	if (!j->counted)
		return;
	j->counted = 0;
	s->running--;
	if (j->pid > 0)  /* what it left behind goes too */
		sweep_due(&s->sweep_sul);
	run_queued(s);
}

void
message_stop_queued(struct server *s)
{
	struct job *j;

	for (j = s->jobs; j != NULL; j = j->next)
		if (!j->started && !j->ended) {
			s->queued -= j->content.len;
			j->started = 1;  /* never runs: not counted */
			j->ev = &job_events;
			job_end(j, "the server stopped before the agent ran");
		}
}

/* The largest content (JSON-escaped) whose history frame fits in
 * --max-frame. */
static size_t
max_stored(const struct serve_config *cfg)
{
	return cfg->max_frame > HISTORY_ROOM ? cfg->max_frame - HISTORY_ROOM :
	    0;
}

/* A new job for r on c, its ids and times made; NULL after an error
 * frame. */
static struct job *
job_for(struct conn *c, struct req *r)
{
	char ids[3][UUID_LEN + 1];
	struct job *j = calloc(1, sizeof(*j));

	if (j == NULL) {
		conn_error(c, "Out of memory", r->thread, NULL);
		return NULL;
	}
	if (uuid_v7(ids, 3) == -1) {
		free(j);
		conn_error(c, "Cannot make an id", r->thread, NULL);
		return NULL;
	}
	memcpy(j->user_id, ids[0], sizeof(j->user_id));
	memcpy(j->id, ids[1], sizeof(j->id));
	memcpy(j->msg_id, ids[2], sizeof(j->msg_id));
	store_now(j->user_at);
	memcpy(j->owner, c->owner, sizeof(j->owner));
	memcpy(j->thread, r->thread, sizeof(j->thread));
	memcpy(j->agent, r->agent, sizeof(j->agent));
	j->cap = max_stored(c->srv->cfg);
	if (c->srv->cfg->max_reply > 0 && c->srv->cfg->max_reply < j->cap)
		j->cap = c->srv->cfg->max_reply;
	store_now(j->created_at);
	j->content = r->content;          /* the job owns it now */
	r->content = (struct buf){ 0 };
	j->conn = c;
	j->server = c->srv;
	j->unstored = 1;
	return j;
}

/*
 * A valid message: written by the next group and acknowledged once that
 * is committed.  The agent starts at once, so that a quick reply (the
 * echo agent's) is committed in the same group as its message; it is
 * killed if the message cannot be stored.
 */
void
message_start(struct conn *c, struct req *r)
{
	struct server *s = c->srv;
	struct job **pp;
	struct job *j;
	char why[160];
	size_t esc = job_escaped_len(r->content.p ? r->content.p : "",
	    r->content.len);

	/* Never store what a history frame could not carry. */
	if (esc > max_stored(s->cfg)) {
		snprintf(why, sizeof(why), "Message too large to store: its"
		    " content is %zu bytes as JSON, over %zu (--max-frame %zu"
		    " less %d for the history frame)", esc, max_stored(s->cfg),
		    s->cfg->max_frame, HISTORY_ROOM);
		conn_error(c, why, r->thread, NULL);
		return;
	}
	/* What waits for --max-jobs has a budget of its own. */
	if (s->running >= s->max_jobs && r->content.len >
	    QUEUED_BUDGET_FRAMES * s->cfg->max_frame - s->queued) {
		conn_error(c, "Server busy: too many messages wait for an agent;"
		    " try again later", r->thread, NULL);
		return;
	}
	j = job_for(c, r);
	if (j == NULL)
		return;
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
	conn_frame_send(c);
	/* Before the commit is scheduled: the echo agent's timer runs first.
	 * Past --max-jobs, it waits for a running one to end. */
	if (s->running < s->max_jobs)
		run(s, j);
	else
		s->queued += j->content.len;
	commit_mark(s);
}
