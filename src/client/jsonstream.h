/*
 * Splitting a stream of JSON texts (stdin of `chatcat pipe`): NDJSON,
 * pretty-printed values over many lines and values run together all
 * work.  A byte-at-a-time validator finds where each value ends and where
 * a bad one goes wrong (line and column); after an error, scanning
 * resumes at the next line.  Pure, so it can be fuzzed.
 */
#ifndef CHATCAT_JSONSTREAM_H
#define CHATCAT_JSONSTREAM_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "lib/json.h"

/* What the stream produced: a value, or an error. */
struct jstream_item {
	const char *data;        /* the value's text (a value only) */
	size_t len;
	int is_object;
	unsigned long line, col; /* where the value starts, or the error is */
	const char *error;       /* NULL for a value */
};

typedef void (*jstream_cb)(void *ud, const struct jstream_item *it);

struct jstream {
	int raw;                 /* -R: every line is a string */
	size_t max;              /* the largest value accepted */
	unsigned long line, col; /* of the next byte */
	int st, sub;             /* parser state and its detail */
	const char *lit;         /* the literal being matched */
	size_t depth;
	uint8_t stack[JSON_MAX_DEPTH / 8];
	int top_object;
	int skipping;            /* after an error: until the next line */
	const char *err;         /* why step() failed */
	struct buf val;
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
