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

#endif
