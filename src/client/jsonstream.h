/*
 * Splitting a stream of JSON texts (stdin of `chatcat pipe`): NDJSON,
 * pretty-printed values over many lines and values run together all
 * work.  The scanner (lib/jscan.h) finds where each value ends and where
 * a bad one goes wrong (line and column), and notes the members request
 * building reads, so a value is scanned once; after an error, scanning
 * resumes at the next line.  Pure, so it can be fuzzed.
 */
#ifndef CHATCAT_JSONSTREAM_H
#define CHATCAT_JSONSTREAM_H

#include <stddef.h>

#include "lib/buf.h"
#include "lib/jscan.h"
#include "lib/json.h"

/* What the stream produced: a value, or an error. */
struct jstream_item {
	const char *data;        /* the value's text (a value only) */
	size_t len;
	int is_object;
	unsigned long line, col; /* where the value starts, or the error is */
	const char *error;       /* NULL for a value */
	const struct json_info *info; /* a JSON value's members, or NULL */
};

typedef void (*jstream_cb)(void *ud, const struct jstream_item *it);

/*
 * The bytes not yet handed out are in buf; the next to look at is at pos,
 * and line and col are those of the byte at lc.
 */
struct jstream {
	int raw;                 /* -R: every line is a string */
	size_t max;              /* the largest value accepted */
	struct buf buf;
	size_t pos, lc, start;   /* start: of the open value */
	unsigned long line, col;
	int in_value;            /* a value is open at start */
	int skipping;            /* after an error: until the next line */
	struct jscan scan;
	struct jscan_mark marks[JM_COUNT];
	unsigned long vline, vcol;
};

void jstream_init(struct jstream *js, size_t max, int raw);

/* Scan bytes, calling cb for every value or error they complete. */
int jstream_feed(struct jstream *js, const char *data, size_t len,
    jstream_cb cb, void *ud);

/* End of input: a value still open is an error (or, -R, a last line). */
void jstream_end(struct jstream *js, jstream_cb cb, void *ud);

void jstream_free(struct jstream *js);

#endif
