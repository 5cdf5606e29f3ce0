/*
 * What one group commit of chatcat serve writes: for each job, the
 * user's message and the job's row once, the reply as it stands whenever
 * a part was given since the last commit, and the job's end.  The server
 * tells clients about these writes only after group_write() succeeded.
 */
#ifndef CHATCAT_SERVE_GROUP_H
#define CHATCAT_SERVE_GROUP_H

#include "job.h"
#include "store.h"

/* Whether the next group has something to write for j. */
int group_pending(const struct job *j);

/*
 * Write what the jobs on the list need, in one transaction, and commit.
 * 0: all of it is committed; -1: none of it (rolled back; store_why()
 * says why).
 */
int group_write(struct store *st, const struct job *jobs);

#endif
