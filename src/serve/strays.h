/*
 * Processes the server did not start that are its children all the same:
 * descendants of agents that left their agent's process group (setsid)
 * and came back to the server, a child subreaper, when their parent
 * died.  Each is killed once the job it belongs to has ended.
 */
#ifndef CHATCAT_SERVE_STRAYS_H
#define CHATCAT_SERVE_STRAYS_H

#include "job.h"

/*
 * Kill the server's children that are not agents of running jobs on the
 * list (NULL: every child); those whose environment names a running job
 * (CHATCAT_JOB_ID) are left to that job.  Returns how many were found:
 * they are reaped by a later sweep.
 */
int strays_sweep(const struct job *jobs);

#endif
