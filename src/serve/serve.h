/*
 * chatcat serve: the reference Chat API server (libwebsockets), with
 * SQLite storage (store.c), principals (auth.c), request validation
 * (req.c) and agents (job.c).  The server is given a serve_config, never
 * the command line's options.
 */
#ifndef CHATCAT_SERVE_H
#define CHATCAT_SERVE_H

#include <stddef.h>

#include "serve_config.h"
#include "lib/msg.h"


/* Run the server until SIGINT or SIGTERM; returns the exit status. */
enum exit_status serve_run(const struct serve_config *cfg);

#endif
