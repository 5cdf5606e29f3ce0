/*
 * libFuzzer harness: the client's frame handler and completion rules
 * (chat.c), with the connection and the filter replaced by stubs, and an
 * oracle that checks every completion against the rules of chatcat(1),
 * COMPLETION: no frame completes a request it does not answer.
 *
 * Input: the first byte sets the command (bit 0: pipe), the fence mode
 * (bits 1-2: 0 while needed, 1 always, 2 never) and --idle (bit 5); the
 * second byte how many requests are pending (1-8) and their kinds and
 * threads.  The rest is frames separated by 0xff bytes (which UTF-8 never
 * holds): a frame starting with 0xfe is binary, an empty one stands for
 * the idle timer firing if it is set, and "%F" then a digit d is replaced by the
 * fence type of request d, so that fence answers can be made.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client/chat_int.h"
#include "client/filter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The connection, as chat.c sees it. */
int ws_send_text(struct ws *w, const char *d, size_t n)
{ (void)w; (void)d; (void)n; return 0; }
static int idle_armed;  /* the idle timer is set */
void ws_timer(struct ws *w, int id, double secs)
{ (void)w; if (id == TIMER_IDLE) idle_armed = secs > 0; }
void ws_close(struct ws *w, int code, const char *reason)
{ (void)w; (void)code; (void)reason; }

/* No --jq: frames are printed as they are. */
void chat_input_flow(struct chat *c) { (void)c; }
int filter_has_program(const struct filter *f) { (void)f; return 0; }
int filter_load(struct filter *f, const char *j, size_t n, unsigned long i)
{ (void)f; (void)j; (void)n; (void)i; return 0; }
long filter_output(struct filter *f, struct out *o)
{ (void)f; (void)o; return 0; }
int filter_until(struct filter *f) { (void)f; return 0; }
int filter_last_truthy(const struct filter *f) { (void)f; return 0; }

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
snapshot(struct chat *c, struct seen *s)
{
	size_t i;

	for (i = 0; i < c->rcount && i < MAXREQ; i++) {
		struct request *r = chat_request(c, i);

		s[i].line = r->line;
		s[i].kind = r->kind;
		memcpy(s[i].thread, r->thread, sizeof(s[i].thread));
		memcpy(s[i].fence, r->fence, sizeof(s[i].fence));
		s[i].received = r->received;
	}
	return i;
}

static int
still_pending(struct chat *c, unsigned long line)
{
	size_t i;

	for (i = 0; i < c->rcount; i++)
		if (chat_request(c, i)->line == line)
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
 * Written from the manual page, not from chat.c.
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char frame[65536];
	char fences[MAXREQ][40];
	struct seen s[MAXREQ];
	struct options o;
	struct chat c;
	size_t i, k, start, n, ns, len;

	if (size < 2)
		return 0;
	memset(&o, 0, sizeof(o));
	o.command = data[0] & 1 ? CMD_PIPE : CMD_SEND;
	o.fence = (data[0] >> 1 & 3) == 1 ? 1 : (data[0] >> 1 & 3) == 2 ? 0 : -1;
	o.idle = data[0] & 0x20 ? 1 : 0;
	msg_set_verbosity(0, 1);
	memset(&c, 0, sizeof(c));
	c.o = &o;
	c.out = (struct out){ .fd = -1, .saved_flags = -1 };
	n = (size_t)(data[1] & 7) + 1;
	for (i = 0; i < n; i++) {
		chat_send(&c, "{}", 2, data[1] >> (3 + i % 5) & 1 ?
		    REQ_HISTORY : REQ_MESSAGE, threads[(data[1] >> 7 ^ i) & 1],
		    i + 1);
		memcpy(fences[i], chat_request(&c, i)->fence, sizeof(fences[i]));
	}
	c.input_ended = 1;
	idle_armed = 0;
	for (start = i = 2; i <= size; i++) {
		if (i < size && data[i] != 0xff)
			continue;
		ns = snapshot(&c, s);
		if (idle_armed && o.idle == 0)
			abort();  /* no idle rule without --idle */
		if (i == start) {
			if (idle_armed)  /* the timer fires */
				chat_idle(&c);
		} else {
			int bin = data[start] == 0xfe;
			size_t done = 0;

			len = expand(data + start + bin, i - start - bin, fences,
			    n, frame, sizeof(frame));
			chat_frame(&c, frame, len, bin);
			for (k = 0; k < ns; k++) {
				if (still_pending(&c, s[k].line))
					continue;
				/* A completion the rules do not allow. */
				if (bin || !may_complete(frame, len, s, ns, k))
					abort();
				done++;
			}
			if (done > 1)
				abort();  /* one frame answers one request */
		}
		c.out.b.len = c.out.off = 0;  /* nothing is written anywhere */
		start = i + 1;
	}
	buf_free(&c.out.b);
	buf_free(&c.scratch);
	chat_free_requests(&c);
	return 0;
}
