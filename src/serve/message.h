/*
 * A message request of chatcat serve: the job that stores it and runs its
 * agent, and the frames that tell the client about it (message_received,
 * the reply's parts, errors), held until the group commit that stores
 * what they say.
 */
#ifndef CHATCAT_SERVE_MESSAGE_H
#define CHATCAT_SERVE_MESSAGE_H

#include "conn.h"
#include "req.h"

/* Start a valid message request: its job takes r's content. */
void message_start(struct conn *c, struct req *r);

/* j's agent is done, or j is let go: another job may run. */
void message_job_done(struct server *s, struct job *j);

/* The server stops: jobs that wait for --max-jobs end without running. */
void message_stop_queued(struct server *s);

#endif
