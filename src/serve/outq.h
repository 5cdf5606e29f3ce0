/*
 * A connection's outgoing queue for chatcat serve: frames are built in
 * place as framed bytes, so one write carries many frames, and the frames
 * from a point on can be held back until a commit (released, or dropped
 * when the commit fails).  Data only: the caller asks for writes.
 */
#ifndef CHATCAT_OUTQ_H
#define CHATCAT_OUTQ_H

#include <stddef.h>

#include "lib/buf.h"

struct outq {
	struct buf q;                /* framed bytes waiting for the socket */
	size_t off;                  /* ... from here on */
	size_t frame_at;             /* where the frame being built starts */
	int frame_failed;            /* ... and an append to it failed */
	int holding;                 /* frames from hold_at on wait */
	size_t hold_at;
};

/* Bytes queued and not yet written; those that may be written now. */
size_t outq_pending(const struct outq *q);
size_t outq_ready(const struct outq *q);

/* Build a text frame {"type":TYPE, ...}: start, members, end.  outq_end()
 * drops a frame an allocation failed for and returns -1. */
void outq_start(struct outq *q, const char *type);
void outq_str(struct outq *q, const char *name, const char *v, size_t len);
void outq_add(struct outq *q, const char *s, size_t len);
int outq_end(struct outq *q);

/* The frame being built, and all after it, wait for outq_release(). */
void outq_hold(struct outq *q);
/* The commit is done (release) or failed (drop): 1 if frames were held. */
int outq_release(struct outq *q);
int outq_drop_held(struct outq *q);

/* The ready bytes to write (whole frames only, at most max bytes but at
 * least one frame), and how many were written. */
const char *outq_data(const struct outq *q);
size_t outq_whole(const struct outq *q, size_t max);
void outq_written(struct outq *q, size_t n);

void outq_free(struct outq *q);

#endif
