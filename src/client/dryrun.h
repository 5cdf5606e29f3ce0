/*
 * --dry-run: what a run of client_config would send, without connecting
 * anywhere.  The target URL and the upgrade request go to stderr with the
 * credential and secret-looking header values redacted; every request
 * frame goes to stdout, one a line.  pipe's stdin values are split,
 * checked and built by the code the real run uses (jsonstream.h,
 * input.h), with the same errors.
 */
#ifndef CHATCAT_DRYRUN_H
#define CHATCAT_DRYRUN_H

#include "client.h"

/* EXIT_DONE, or the status a real run would give for bad input. */
enum exit_status dryrun_run(const struct client_config *cfg);

#endif
