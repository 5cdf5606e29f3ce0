/*
 * A connection's outgoing queue (outq.h).  Frames are built in place at
 * its end: outq_start() leaves room for the usual header (a 126..65535-
 * byte payload's); the rare other length moves the payload once.  Written
 * bytes are dropped before the buffer grows.  A failed append marks the
 * frame, and outq_end() then drops it whole.
 */
#include <config.h>

#include <stdint.h>
#include <string.h>

#include "lib/json.h"
#include "outq.h"
#include "ws/wsproto.h"

#define HEAD_GUESS 4

size_t
outq_pending(const struct outq *q)
{
	return q->q.len - q->off;
}

size_t
outq_ready(const struct outq *q)
{
	return (q->holding ? q->hold_at : q->q.len) - q->off;
}

void
outq_add(struct outq *q, const char *s, size_t len)
{
	if (buf_add(&q->q, s, len) == -1)
		q->frame_failed = 1;
}

void
outq_start(struct outq *q, const char *type)
{
	if (q->off == q->q.len) {
		q->q.len = q->off = q->hold_at = 0;
	} else if (q->off >= q->q.len / 2) {
		memmove(q->q.p, q->q.p + q->off, outq_pending(q));
		q->q.len -= q->off;
		q->hold_at -= q->holding ? q->off : 0;
		q->off = 0;
	}
	q->frame_at = q->q.len;
	q->frame_failed = buf_reserve(&q->q, HEAD_GUESS) == -1;
	if (!q->frame_failed)
		q->q.len += HEAD_GUESS;
	outq_add(q, "{\"type\":", 8);
	if (json_add_string(&q->q, type, strlen(type)) == -1)
		q->frame_failed = 1;
}

/* Add the member ,"name":"v" (v is JSON-escaped). */
void
outq_str(struct outq *q, const char *name, const char *v, size_t len)
{
	outq_add(q, ",\"", 2);
	outq_add(q, name, strlen(name));
	outq_add(q, "\":", 2);
	if (json_add_string(&q->q, v, len) == -1)
		q->frame_failed = 1;
}

int
outq_end(struct outq *q)
{
	uint8_t h[14];
	size_t len, head;

	outq_add(q, "}", 1);
	len = q->q.len - q->frame_at - HEAD_GUESS;
	head = wsp_header(h, WSP_TEXT, len, NULL);
	if (!q->frame_failed && head > HEAD_GUESS &&
	    buf_reserve(&q->q, head - HEAD_GUESS) == -1)
		q->frame_failed = 1;
	if (q->frame_failed) {
		q->q.len = q->frame_at;
		return -1;
	}
	if (head != HEAD_GUESS) {
		memmove(q->q.p + q->frame_at + head,
		    q->q.p + q->frame_at + HEAD_GUESS, len);
		q->q.len = q->frame_at + head + len;
	}
	memcpy(q->q.p + q->frame_at, h, head);
	return 0;
}

void
outq_hold(struct outq *q)
{
	if (!q->holding) {
		q->holding = 1;
		q->hold_at = q->frame_at;
	}
}

int
outq_release(struct outq *q)
{
	if (!q->holding)
		return 0;
	q->holding = 0;
	return 1;
}

int
outq_drop_held(struct outq *q)
{
	if (!q->holding)
		return 0;
	q->q.len = q->hold_at;
	q->holding = 0;
	return 1;
}

const char *
outq_data(const struct outq *q)
{
	return q->q.p + q->off;
}

/*
 * How many ready bytes make whole frames, at most max but at least one
 * frame: lws writes its own control frames (pongs, pings, close echoes)
 * between two writes, so a write never ends inside a frame.
 */
size_t
outq_whole(const struct outq *q, size_t max)
{
	const uint8_t *p = (const uint8_t *)q->q.p + q->off;
	size_t have = outq_ready(q), n = 0, head;
	struct wsp_head h;

	while ((head = wsp_head_parse(p + n, have - n, &h)) > 0) {
		if (n > 0 && n + head + h.len > max)
			break;
		n += head + (size_t)h.len;
	}
	return n;
}

void
outq_written(struct outq *q, size_t n)
{
	q->off += n;
	if (q->off == q->q.len)
		q->q.len = q->off = q->hold_at = 0;
}

void
outq_free(struct outq *q)
{
	buf_free(&q->q);
	*q = (struct outq){ 0 };
}
