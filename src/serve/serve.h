/*
 * chatcat serve: the reference Chat API server (libwebsockets), with
 * SQLite storage (store.c), principals (auth.c), request validation
 * (req.c) and agents (job.c).
 */
#ifndef CHATCAT_SERVE_H
#define CHATCAT_SERVE_H

#include "lib/msg.h"
#include "options.h"

/* Run the server until SIGINT or SIGTERM; returns the exit status. */
enum exit_status serve_run(const struct options *o);

#endif
