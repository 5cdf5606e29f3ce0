/*
 * chatcat serve's group commits: what the jobs wrote during a turn of the
 * loop is committed together once the loop is idle (group.c writes it),
 * then the frames held for it are released, or replaced by errors when
 * the commit failed.  A job whose end is committed is let go here.
 */
#ifndef CHATCAT_SERVE_COMMIT_H
#define CHATCAT_SERVE_COMMIT_H

#include "server.h"

/* A job has something for the next group: commit soon. */
void commit_mark(struct server *s);

/* Commit now what was written since the last commit. */
void commit_flush(struct server *s);

/* The stop's grace period is over: what still runs is interrupted, and
 * that is committed. */
void commit_interrupt(struct server *s);

#endif
