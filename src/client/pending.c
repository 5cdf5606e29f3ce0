/*
 * The pending requests: a ring, oldest first.  Requests complete nearly
 * always in order, so taking one out closes the gap from the nearer end.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "pending.h"

struct request *
pending_at(struct pending *p, size_t i)
{
	return &p->reqs[(p->head + i) % p->cap];
}

struct request *
pending_push(struct pending *p)
{
	struct request *r;

	if (p->count == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16, i;
		struct request *n = malloc(cap * sizeof(*n));

		if (n == NULL)
			return NULL;
		for (i = 0; i < p->count; i++)
			n[i] = *pending_at(p, i);
		free(p->reqs);
		p->reqs = n;
		p->cap = cap;
		p->head = 0;
	}
	p->count++;
	r = pending_at(p, p->count - 1);
	memset(r, 0, sizeof(*r));
	return r;
}

void
pending_remove(struct pending *p, size_t i)
{
	size_t k;

	request_drop(pending_at(p, i));
	if (i < p->count / 2) {
		for (k = i; k > 0; k--)
			*pending_at(p, k) = *pending_at(p, k - 1);
		p->head = (p->head + 1) % p->cap;
	} else {
		for (k = i; k + 1 < p->count; k++)
			*pending_at(p, k) = *pending_at(p, k + 1);
	}
	p->count--;
}

void
pending_truncate(struct pending *p, size_t n)
{
	if (n < p->count)
		p->count = n;
}

void
pending_free(struct pending *p)
{
	size_t i;

	for (i = 0; i < p->count; i++)
		request_drop(pending_at(p, i));
	free(p->reqs);
	memset(p, 0, sizeof(*p));
}

int
request_keep(struct request *r, const char *frame, size_t len)
{
	r->frame = malloc(len > 0 ? len : 1);
	if (r->frame == NULL)
		return -1;
	memcpy(r->frame, frame, len);
	r->frame_len = len;
	return 0;
}

void
request_drop(struct request *r)
{
	free(r->frame);
	r->frame = NULL;
}

const char *
request_kind_name(int kind)
{
	return kind == REQ_MESSAGE ? "message" : kind == REQ_HISTORY ?
	    "history" : kind == REQ_BACKFILL ? "backfill" : "other";
}
