/*
 * libFuzzer harness: the completion rules (client/rules.c) on their own,
 * and an oracle that checks every completion they order against the rules
 * of chatcat(1), COMPLETION: no frame completes a request it does not
 * answer, and one frame completes at most one.
 *
 * Input: the first byte sets the fence mode (bits 1-2: 0 while needed,
 * 1 always, 2 never) and --idle (bit 5); the second byte how many requests
 * are pending (1-8) and their kinds and threads.  The rest is frames
 * separated by 0xff bytes (which UTF-8 never holds): a frame starting with
 * 0xfe is binary (the run never hands those to the rules), an empty one
 * stands for the idle timer firing while an answer is under way, and "%F"
 * then a digit d is replaced by the fence type of request d, so that fence
 * answers can be made.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client/rules.h"
#include "lib/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXREQ 8

static const char *threads[] = {
	"11111111-1111-4111-8111-111111111111",
	"22222222-2222-4222-8222-222222222222",
};

/* A pending request as the oracle sees it, before a frame. */
struct seen {
	unsigned long line;
	int kind;
	char thread[UUID_LEN + 1];
	char fence[40];
	int received;
};

static size_t
snapshot(struct rules *ru, struct seen *s)
{
	size_t i;

	for (i = 0; i < ru->pending.count && i < MAXREQ; i++) {
		struct request *r = pending_at(&ru->pending, i);

		s[i].line = r->line;
		s[i].kind = r->kind;
		memcpy(s[i].thread, r->thread, sizeof(s[i].thread));
		memcpy(s[i].fence, r->fence, sizeof(s[i].fence));
		s[i].received = r->received;
	}
	return i;
}

static int
still_pending(struct rules *ru, unsigned long line)
{
	size_t i;

	for (i = 0; i < ru->pending.count; i++)
		if (pending_at(&ru->pending, i)->line == line)
			return 1;
	return 0;
}

/* Whether a frame names s's thread (a frame naming none answers no
 * request, but for errors). */
static int
names(const struct json_info *fi, const struct seen *s)
{
	return fi->thread_id.present && fi->thread_id.is_string &&
	    fi->thread_id.len == UUID_LEN &&
	    strncasecmp(fi->thread_id.p, s->thread, UUID_LEN) == 0;
}

/* The oldest pending request a frame names, or -1. */
static long
oldest(const struct json_info *fi, const struct seen *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (names(fi, &s[i]))
			return (long)i;
	return -1;
}

/*
 * Whether the frame f may complete request k of the snapshot s[0..n).
 * Written from the manual page, not from rules.c.
 */
static int
may_complete(const char *f, size_t len, const struct seen *s, size_t n,
    size_t k)
{
	struct json_info fi;
	struct buf m = { 0 };
	long o;
	size_t i;
	int ok = 0, unknown = 0;

	if (json_scan(f, len, &fi) == JSON_INVALID)
		return 0;
	if (json_span_eq(&fi.type, "error")) {
		if (fi.message.is_string && json_span_text(&fi.message, &m) == 0) {
			for (i = 0; i < n; i++)
				if (s[i].fence[0] != '\0' &&
				    strstr(m.p, s[i].fence) != NULL)
					break;
			if (i < n) {  /* a fence's answer: a request it names */
				ok = s[k].fence[0] != '\0' &&
				    strstr(m.p, s[k].fence) != NULL &&
				    !(s[k].kind == REQ_MESSAGE && s[k].received);
				buf_free(&m);
				return ok;
			}
			unknown = strcasestr(m.p, "unknown") != NULL &&
			    strcasestr(m.p, "type") != NULL;
		}
		buf_free(&m);
		/* An error answers the oldest request of the thread it
		 * names, or the oldest of all when it names none. */
		o = fi.thread_id.present ? oldest(&fi, s, n) : 0;
		if (o == (long)k)
			return 1;
		/* "Unknown type" naming none: the oldest fence still out. */
		for (i = 0; unknown && i < n; i++)
			if (s[i].fence[0] != '\0')
				return i == k && !(s[k].kind == REQ_MESSAGE &&
				    s[k].received);
		return 0;
	}
	if (json_span_eq(&fi.type, "history_end")) {
		for (i = 0; i < n; i++)
			if (s[i].kind != REQ_MESSAGE && names(&fi, &s[i]))
				return i == k;
		return 0;
	}
	if (s[k].kind != REQ_MESSAGE)
		return 0;
	if (json_span_eq(&fi.type, "user") || json_span_eq(&fi.role, "user"))
		return 0;
	ok = json_span_eq(&fi.status, "complete") ||
	    json_span_eq(&fi.status, "end") ||
	    json_span_eq(&fi.type, "completion");
	/* Only the oldest request of its thread: never while an older
	 * history of that thread is pending. */
	return ok && oldest(&fi, s, n) == (long)k;
}

/* Replace "%Fd" by request d's fence type. */
static size_t
expand(const uint8_t *in, size_t len, char (*fences)[40], size_t nf,
    char *out, size_t cap)
{
	size_t i, o = 0;

	for (i = 0; i < len && o < cap; i++) {
		if (in[i] == '%' && i + 2 < len && in[i + 1] == 'F' &&
		    in[i + 2] >= '0' && in[i + 2] <= '9') {
			size_t d = (size_t)(in[i + 2] - '0'), fl;

			fl = d < nf ? strlen(fences[d]) : 0;
			if (o + fl > cap)
				break;
			memcpy(out + o, fences[d], fl);
			o += fl;
			i += 2;
			continue;
		}
		out[o++] = (char)in[i];
	}
	return o;
}

/* Request n of the input, sent (as the run does: pushed, then fenced). */
static void
add_request(struct rules *ru, int kind, const char *thread, size_t line,
    char fence[40])
{
	struct request *r = pending_push(&ru->pending);
	char frame[64];

	if (r == NULL)
		abort();
	r->kind = kind;
	r->line = line;
	snprintf(r->thread, sizeof(r->thread), "%s", thread);
	rules_fence(ru, r, frame, sizeof(frame));
	memcpy(fence, r->fence, 40);
}

/* A frame: the verdict, acted on as the run acts on it. */
static void
frame_in(struct rules *ru, const char *frame, size_t len)
{
	struct json_info fi;
	struct verdict v;

	if (json_scan(frame, len, &fi) == JSON_INVALID)
		return;  /* the run warns; the rules never see it */
	rules_frame(ru, &fi, &v);
	if (v.complete >= (long)ru->pending.count)
		abort();
	if (v.complete >= 0)
		rules_remove(ru, (size_t)v.complete);
	if (v.no_reply && v.complete < 0)
		abort();  /* "no reply" always ends the request */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char frame[65536];
	char fences[MAXREQ][40];
	struct seen s[MAXREQ];
	struct rules ru;
	size_t i, k, start, n, ns, len;
	int idle;

	if (size < 2)
		return 0;
	memset(&ru, 0, sizeof(ru));
	ru.fence_mode = (data[0] >> 1 & 3) == 1 ? 1 :
	    (data[0] >> 1 & 3) == 2 ? 0 : -1;
	idle = data[0] & 0x20;
	msg_set_verbosity(0, 1);
	n = (size_t)(data[1] & 7) + 1;
	for (i = 0; i < n; i++)
		add_request(&ru, data[1] >> (3 + i % 5) & 1 ? REQ_HISTORY :
		    REQ_MESSAGE, threads[(data[1] >> 7 ^ i) & 1], i + 1,
		    fences[i]);
	for (start = i = 2; i <= size; i++) {
		if (i < size && data[i] != 0xff)
			continue;
		ns = snapshot(&ru, s);
		if (i == start) {
			/* The idle timer fires only while an answer is under
			 * way; then everything pending ends. */
			if (idle && rules_in_progress(&ru))
				while (ru.pending.count > 0)
					rules_remove(&ru, 0);
		} else if (data[start] != 0xfe) {
			size_t done = 0;

			len = expand(data + start, i - start, fences, n, frame,
			    sizeof(frame));
			frame_in(&ru, frame, len);
			for (k = 0; k < ns; k++) {
				if (still_pending(&ru, s[k].line))
					continue;
				/* A completion the rules do not allow. */
				if (!may_complete(frame, len, s, ns, k))
					abort();
				done++;
			}
			if (done > 1)
				abort();  /* one frame answers one request */
		}
		start = i + 1;
	}
	rules_free(&ru);
	return 0;
}
