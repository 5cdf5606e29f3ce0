/*
 * Agents for chatcat serve: the built-in echo agent, or --agent-cmd run
 * through /bin/sh for each message with the content on its stdin, its
 * stdout streamed back as it is written.  A job outlives the client that
 * started it; its agent does not outlive the job, nor the server.
 */
#ifndef CHATCAT_SERVE_AGENT_H
#define CHATCAT_SERVE_AGENT_H

#include <stddef.h>
#include <sys/types.h>

#include <libwebsockets.h>

#include "auth.h"
#include "lib/buf.h"
#include "lib/uuid.h"

struct job;

/* What a job tells the server. */
struct job_events {
	/* A part of the reply (UTF-8); last: nothing follows it. */
	void (*part)(struct job *j, const char *data, size_t len, int last);
	/* The job ended: error is NULL on success. */
	void (*end)(struct job *j, const char *error);
};

struct job {
	char id[UUID_LEN + 1];
	char owner[AUTH_ID_LEN + 1];
	char thread[UUID_LEN + 1];
	char agent[UUID_LEN + 1];    /* "" for none */
	char msg_id[UUID_LEN + 1];   /* the reply's message id */
	char created_at[32];         /* and its time */
	char user_id[UUID_LEN + 1];  /* the user's message id */
	char user_at[32];            /* and its time */
	struct buf content;          /* the user's message */
	struct buf reply;            /* the whole reply so far */
	size_t cap;                  /* the reply's limit, JSON-escaped */
	void *conn;                  /* the client, NULL once it left */
	void *server;                /* the server that runs it */
	/* What the next group commit writes for it (group.h). */
	int unstored;                /* the user's message: not written yet */
	int dirty;                   /* the reply changed since the commit */
	int has_row;                 /* the reply has a committed row */
	int complete;                /* the last part was given */
	int started;                 /* job_start() was called (--max-jobs) */
	int counted;                 /* ... and it counts as running */
	int ended;                   /* it ended: end_status, error */
	const char *end_status;      /* "complete", "failed", "interrupted" */
	char error[160];             /* why it failed, "" if it did not */
	int lost;                    /* a write failed: nothing more is sent */
	size_t stored_len;           /* bytes of the reply committed */
	/* private */
	const struct job_events *ev;
	struct lws_context *ctx;
	struct lws_vhost *vh;
	double timeout;
	pid_t pid;
	int status;                  /* wait status once reaped */
	int timed_out, capped;
	char cap_why[64];
	size_t reply_esc;            /* the reply's JSON-escaped size */
	struct lws *in_wsi, *out_wsi, *exit_wsi;
	size_t in_off, echo_off;
	char utf8_tail[4];           /* an incomplete character from a read */
	size_t tail_len;
	int out_done, reaped, paused, finished;
	lws_sorted_usec_list_t timeout_sul, reap_sul;
	struct job *next;
};

/* The lws protocol the agents' pipes are adopted into. */
extern const struct lws_protocols job_protocol;

/*
 * Start a job (fields above the private ones filled).  cmd NULL: the echo
 * agent, whose parts are delivered from the loop as the client's queue
 * takes them.  -1 after an error has been reported (no event follows).
 */
int job_start(struct job *j, struct lws_context *ctx, struct lws_vhost *vh,
    const char *cmd, double timeout, const struct job_events *ev);

/* Stop reading the agent's output (the client is slow), or go on. */
void job_pause(struct job *j, int pause);

/* Send sig to a running agent's process group; its end event follows
 * once it exits. */
void job_kill(struct job *j, int sig);

/* How many bytes s[0..len) takes as a JSON string's contents. */
size_t job_escaped_len(const char *s, size_t len);

/*
 * Release what the job holds (a running agent is killed and reaped); the
 * job itself belongs to the caller.
 */
void job_free(struct job *j);

#endif
