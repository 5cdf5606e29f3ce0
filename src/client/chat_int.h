/*
 * Shared between chat.c (frames and completion rules) and run.c (the
 * connection, stdin and stdout around them).  Not for other modules.
 */
#ifndef CHATCAT_CHAT_INT_H
#define CHATCAT_CHAT_INT_H

#include <time.h>

#include "chat.h"
#include "events.h"
#include "fence.h"
#include "input.h"
#include "lib/io.h"
#include "lib/json.h"
#include "jsonstream.h"
#include "lib/uuid.h"
#include "ws/ws.h"

enum { TIMER_RUN, TIMER_IDLE };

/* --backfill: a history that finishes a message's cut reply. */
#define REQ_BACKFILL (REQ_OTHER + 1)

/* A request sent and not yet complete. */
struct request {
	int kind;                /* enum req_kind, or REQ_BACKFILL */
	char thread[UUID_LEN + 1];
	char fence[FENCE_LEN + 1]; /* its fence's type while unanswered, or "" */
	unsigned long line;      /* pipe: its stdin line (0: command line) */
	int received;            /* a message's message_received came */
	int started;             /* a frame of its reply came */
	char anchor[128];        /* the message's id (message_received) */
	int anchor_seen;         /* REQ_BACKFILL: history reached it */
	int reply_seen;          /* ... and a finished reply after it */
	char *frame;             /* --reconnect: the request, to send again */
	size_t frame_len;
	unsigned long got;       /* frames that went to it */
	unsigned long passed;    /* history: frames passed on so far */
	unsigned long skip;      /* ... of which, asked again, to skip */
};

struct chat {
	const struct options *o;
	struct filter *filter;
	struct ws *ws;
	struct events *events;   /* --events, or NULL */
	struct out out;
	struct buf scratch;      /* a compacted frame */
	struct buf frame;        /* a request frame being built */
	struct jstream js;       /* pipe: stdin's values */
	struct input_config input; /* ... and what fills them in */
	struct request *reqs;    /* a ring of pending requests, oldest first */
	size_t rhead, rcount, rcap;
	struct fences fences;    /* fences out, types sent as they are */
	int signals_msg;         /* the server sent message_received */
	int signals_hist;        /* ... history_end */
	int side_by_side;        /* it answered a fence before a reply's end */
	unsigned long frames;    /* frames received, numbered from 1 */
	long outputs;            /* values written, for --count */
	const char *content;     /* send: the message */
	size_t content_len;
	int input_ended;         /* no more requests will be sent */
	int input_paused, read_paused;
	int opened;              /* the first connection opened */
	int reconnecting;        /* --reconnect: waiting for a new one */
	unsigned failures;       /* ... failed attempts in a row */
	struct timespec open_since; /* ... when the last one opened (0: none) */
	int cut;                 /* a reply was cut off by a drop */
	int idled;               /* --idle ended a reply */
	int no_reply;            /* a message got no reply before its fence's */
	int done;                /* the run is over: closing */
	int jq_failed, server_error, bad_input, stdout_failed;
	enum exit_status status;
};

/* run.c: pause or resume stdin (pipe) by the queue and pending requests */
void chat_input_flow(struct chat *c);

/* chat.c */
int chat_send(struct chat *c, const char *frame, size_t len,
    enum req_kind kind, const char *thread, unsigned long line);
int chat_want_fence(const struct chat *c, int kind);
void chat_send_fence(struct chat *c, struct request *r);
const char *chat_kind_name(int kind);
void chat_frame(struct chat *c, const char *data, size_t len, int binary);
void chat_idle(struct chat *c);
void chat_check_done(struct chat *c);
void chat_finish(struct chat *c, enum exit_status st, int code);
void chat_stop(struct chat *c, enum exit_status st, int code);
void chat_free_requests(struct chat *c);
struct request *chat_request(struct chat *c, size_t i);

/* resume.c */
int resume_keep(struct request *r, const char *frame, size_t len);
void resume_drop(struct request *r);
int resume_filter(struct chat *c, struct request *r,
    const struct json_info *fi);
void resume_backfill_done(struct chat *c, const struct request *r);
void resume_resend(struct chat *c);
double resume_delay(unsigned failures);

#endif
