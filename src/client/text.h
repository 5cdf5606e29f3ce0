/*
 * -t, --text: the assistant's text out of the frames, on both dialects
 * (the document's "message" parts, the deployed server's "token"
 * frames), or a thread as a transcript (history -t).  On a terminal,
 * invalid UTF-8 and control characters (escape sequences) are
 * neutralised; anywhere else the text is written as the server sent it.
 */
#ifndef CHATCAT_TEXT_H
#define CHATCAT_TEXT_H

#include <stddef.h>

#include "lib/buf.h"
#include "lib/io.h"
#include "lib/json.h"

enum text_mode { TEXT_OFF, TEXT_REPLY, TEXT_TRANSCRIPT };

struct text {
	enum text_mode mode;
	int tty;                 /* neutralise what a terminal would obey */
	int written;             /* text written since the last end */
	int last_nl;             /* ... and it ended with a line break */
	int blocks;              /* transcript: blocks written */
	char role[16];           /* transcript: the open block's role */
	struct buf id;           /* ... and its message id */
	struct buf raw, tmp, clean; /* the frame's text; neutralising */
};

void text_init(struct text *t, enum text_mode mode, int tty);

/* Write the text a frame carries, if any; -1 out of memory. */
int text_frame(struct text *t, const struct json_info *fi, struct out *o);

/*
 * A reply (or a history) is over: a line break unless the text written
 * ended with one; then, when separate, the separator between pipe's
 * replies (a NUL byte; an empty line on a terminal).
 */
void text_end(struct text *t, struct out *o, int separate);

/* Write s[0..len) as text (neutralised on a terminal). */
int text_write(struct text *t, struct out *o, const char *s, size_t len);

void text_free(struct text *t);

#endif
