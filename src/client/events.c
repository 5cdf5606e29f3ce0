/*
 * The event channel: JSON lines built in a buffer and written whole with
 * write(2), so a reader never sees half a line.  A write error stops the
 * channel (with one warning), not the run.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/buf.h"
#include "events.h"
#include "lib/json.h"
#include "lib/msg.h"

struct events {
	int fd;
	int own;                 /* opened here: close it */
	int broken;              /* a write failed: say nothing more */
	struct timespec start;
	struct buf line;
};

/* A line: {"event":NAME,"time":...,"elapsed":...  then members, then
 * the end, which writes it. */
static void ev_begin(struct events *e, const char *name);
static void ev_str(struct events *e, const char *key, const char *value);
static void ev_int(struct events *e, const char *key, long long value);
static void ev_num(struct events *e, const char *key, double value);
static void ev_bool(struct events *e, const char *key, int value);
static void ev_end(struct events *e);

struct events *
events_open(const char *path, int fd, int *failed)
{
	struct events *e;

	*failed = 0;
	if (path == NULL && fd < 0)
		return NULL;
	e = calloc(1, sizeof(*e));
	if (e == NULL) {
		msg_error("out of memory");
		*failed = 1;
		return NULL;
	}
	e->fd = fd;
	if (path != NULL) {
		e->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0644);
		e->own = 1;
		if (e->fd == -1) {
			msg_error("--events: %s: %s", path, strerror(errno));
			free(e);
			*failed = 1;
			return NULL;
		}
	} else if (fcntl(fd, F_GETFD) == -1) {
		msg_error("--events-fd: %d: %s", fd, strerror(errno));
		free(e);
		*failed = 1;
		return NULL;
	}
	clock_gettime(CLOCK_MONOTONIC, &e->start);
	return e;
}

void
events_close(struct events *e)
{
	if (e == NULL)
		return;
	if (e->own)
		close(e->fd);
	buf_free(&e->line);
	free(e);
}

static void
add(struct events *e, const char *s, size_t n)
{
	if (buf_add(&e->line, s, n) == -1)
		e->broken = 1;
}

static void
ev_begin(struct events *e, const char *name)
{
	struct timespec now, mono;
	struct tm tm;
	char t[64];
	double elapsed;

	if (e == NULL || e->broken)
		return;
	clock_gettime(CLOCK_REALTIME, &now);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	gmtime_r(&now.tv_sec, &tm);
	elapsed = (double)(mono.tv_sec - e->start.tv_sec) +
	    (double)(mono.tv_nsec - e->start.tv_nsec) / 1e9;
	e->line.len = 0;
	add(e, "{\"event\":", 9);
	if (json_add_string(&e->line, name, strlen(name)) == -1)
		e->broken = 1;
	strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(t + strlen(t), sizeof(t) - strlen(t), ".%03ldZ",
	    now.tv_nsec / 1000000);
	ev_str(e, "time", t);
	ev_num(e, "elapsed", elapsed);
}

static void
key(struct events *e, const char *k)
{
	add(e, ",", 1);
	if (json_add_string(&e->line, k, strlen(k)) == -1)
		e->broken = 1;
	add(e, ":", 1);
}

static void
ev_strn(struct events *e, const char *k, const char *value,
    unsigned long len)
{
	if (e == NULL || e->broken)
		return;
	key(e, k);
	if (json_add_string(&e->line, value, len) == -1)
		e->broken = 1;
}

static void
ev_str(struct events *e, const char *k, const char *value)
{
	if (value != NULL)
		ev_strn(e, k, value, strlen(value));
}

/* A member whose value is written as it is (a number, true, false). */
static void
ev_raw(struct events *e, const char *k, const char *text)
{
	if (e == NULL || e->broken)
		return;
	key(e, k);
	add(e, text, strlen(text));
}

static void
ev_int(struct events *e, const char *k, long long value)
{
	char n[32];

	snprintf(n, sizeof(n), "%lld", value);
	ev_raw(e, k, n);
}

static void
ev_num(struct events *e, const char *k, double value)
{
	char n[32];

	snprintf(n, sizeof(n), "%.6f", value);
	ev_raw(e, k, n);
}

static void
ev_bool(struct events *e, const char *k, int value)
{
	ev_raw(e, k, value ? "true" : "false");
}

static void
ev_end(struct events *e)
{
	size_t off = 0;
	ssize_t n;

	if (e == NULL || e->broken)
		return;
	add(e, "}\n", 2);
	while (!e->broken && off < e->line.len) {
		n = write(e->fd, e->line.p + off, e->line.len - off);
		if (n > 0) {
			off += (size_t)n;
		} else if (n == -1 && errno == EAGAIN) {
			struct pollfd pfd = { e->fd, POLLOUT, 0 };

			poll(&pfd, 1, -1);  /* a non-blocking fd: wait */
		} else if (n == -1 && errno != EINTR) {
			msg_warn("--events: %s: no more events are written",
			    strerror(errno));
			e->broken = 1;
		}
	}
}

void
event_sent(struct events *e, const char *kind, const char *thread,
    unsigned long line, unsigned long col, int again)
{
	ev_begin(e, "sent");
	ev_str(e, "kind", kind);
	if (thread != NULL && thread[0] != '\0')
		ev_str(e, "thread", thread);
	if (line > 0) {
		ev_int(e, "line", (long long)line);
		ev_int(e, "column", (long long)col);
	}
	if (again)
		ev_bool(e, "again", 1);
	ev_end(e);
}

void
event_complete(struct events *e, const char *kind, const char *thread,
    unsigned long line, const char *rule)
{
	ev_begin(e, "complete");
	ev_str(e, "kind", kind);
	if (thread[0] != '\0')
		ev_str(e, "thread", thread);
	if (line > 0)
		ev_int(e, "line", (long long)line);
	ev_str(e, "rule", rule);
	ev_end(e);
}

void
event_reconnect(struct events *e, const char *cause, double delay,
    unsigned attempt)
{
	ev_begin(e, "reconnect");
	ev_str(e, "cause", cause);
	ev_num(e, "delay", delay);
	ev_int(e, "attempt", attempt);
	ev_end(e);
}

void
event_exit(struct events *e, int status, const char *reason)
{
	ev_begin(e, "exit");
	ev_int(e, "status", status);
	ev_str(e, "reason", reason);
	ev_end(e);
}

void
event_connecting(struct events *e, const struct ws_attempt *a)
{
	ev_begin(e, "connecting");
	ev_str(e, "url", a->display);
	ev_str(e, "address", a->address);
	ev_int(e, "port", a->port);
	if (a->proxy != NULL)
		ev_str(e, "proxy", a->proxy);
	ev_int(e, "attempt", a->attempt);
	ev_end(e);
}

void
event_open(struct events *e, int http_status)
{
	ev_begin(e, "open");
	ev_int(e, "http_status", http_status);
	ev_str(e, "extensions", "");  /* none offered */
	ev_end(e);
}

void
event_pong(struct events *e, double rtt)
{
	ev_begin(e, "pong");
	ev_num(e, "rtt", rtt);
	ev_end(e);
}

void
event_close(struct events *e, const struct ws_end *end, int retry)
{
	ev_begin(e, "close");
	ev_int(e, "code", end->code);
	ev_str(e, "reason", end->reason);
	ev_str(e, "by", end->by_peer ? "server" : end->outcome == WS_OK ?
	    "client" : "nobody");
	ev_str(e, "outcome", ws_outcome_name(end->outcome));
	if (end->why[0] != '\0')
		ev_str(e, "why", end->why);
	if (end->http_status != 0)
		ev_int(e, "http_status", end->http_status);
	ev_bool(e, "retry", retry);
	ev_end(e);
}
