/*
 * The completion rules (chatcat(1), COMPLETION): which pending request a
 * frame belongs to and whether it completes it.  They take a scanned frame
 * and return what to do; the run (run.c) prints, completes and sends.
 */
#ifndef CHATCAT_RULES_H
#define CHATCAT_RULES_H

#include <stddef.h>

#include "fence.h"
#include "lib/json.h"
#include "pending.h"

struct rules {
	struct pending pending;  /* requests sent, not yet complete */
	struct fences fences;    /* fences out, types sent as they are */
	int fence_mode;          /* -1: while needed; 0 --no-fence; 1 --fence */
	int signals_msg;         /* the server sent message_received */
	int signals_hist;        /* ... history_end */
	int side_by_side;        /* it answered a fence before a reply's end */
};

/* What a frame calls for, in this order: print it; then, unless printing
 * ended the run, complete a request and (re)arm --idle. */
struct verdict {
	int print;
	long complete;           /* the request it completes, or -1 */
	const char *rule;        /* ... by this rule */
	int server_error;        /* an error frame (reported): exit status 1 */
	int no_reply;            /* a message got no reply (reported) */
	int progress;            /* an answer went on: --idle starts again */
};

/* A scanned JSON text frame. */
void rules_frame(struct rules *ru, const struct json_info *fi,
    struct verdict *v);

/* Whether a request of kind should be followed by a fence. */
int rules_want_fence(const struct rules *ru, int kind);

/* Make r's fence frame in frame (size >= 64) when one is wanted: 1, and
 * r now waits for its answer; 0 none. */
int rules_fence(struct rules *ru, struct request *r, char *frame,
    size_t size);

/* Take request i out once it is complete. */
void rules_remove(struct rules *ru, size_t i);

/* Whether --idle may end a request: an answer is under way. */
int rules_in_progress(struct rules *ru);

void rules_free(struct rules *ru);

#endif
