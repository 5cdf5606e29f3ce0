/*
 * Request frames: the one `send` or `history` builds from its arguments,
 * and those `pipe` builds from each stdin value or -R line, with
 * --thread and --agent filled in where a value lacks them.  Pure.
 */
#ifndef CHATCAT_INPUT_H
#define CHATCAT_INPUT_H

#include <stddef.h>

#include "jsonstream.h"
#include "lib/buf.h"
#include "lib/uuid.h"

enum req_kind { REQ_MESSAGE, REQ_HISTORY, REQ_OTHER };

/* What fills a value in: --thread and --agent (NULL: none), -R. */
struct input_config {
	const char *thread, *agent;
	int raw;
};

/* A message frame (agent may be NULL: agent_id null). */
int input_message(struct buf *b, const char *thread, const char *agent,
    const char *content, size_t len);

/* A history frame. */
int input_history(struct buf *b, const char *thread);

/*
 * Check one stdin value (a valid JSON text, or with -R a line) and build
 * the frame to send into out (replacing its contents).  0: kind and
 * thread ("" when none) describe it; -1: *why says what is wrong.
 */
int input_frame(const struct input_config *o, const char *data, size_t len,
    int is_object, struct buf *out, enum req_kind *kind,
    char thread[UUID_LEN + 1], const char **why);

/*
 * The same for a value the splitter handed out: its members were noted
 * as it was split, so it is not scanned again.
 */
int input_value(const struct input_config *o, const struct jstream_item *it,
    struct buf *out, enum req_kind *kind, char thread[UUID_LEN + 1],
    const char **why);

/*
 * A stdin value or the splitter's error, as pipe takes it: the request
 * frame in out, or -1 after the error was reported as stdin:LINE:COL.
 */
int input_item(const struct input_config *o, const struct jstream_item *it,
    struct buf *out, enum req_kind *kind, char thread[UUID_LEN + 1]);

#endif
