/*
 * stdout: each frame printed as it came, compacted to one line, or
 * through the jq filter; --until and --count say when printing is done.
 * The run (run.c) flushes the buffer when the socket's reads allow.
 */
#ifndef CHATCAT_OUTPUT_H
#define CHATCAT_OUTPUT_H

#include <stddef.h>

#include "filter.h"
#include "lib/buf.h"
#include "lib/io.h"
#include "lib/json.h"
#include "text.h"

struct output {
	struct out out;          /* stdout's buffer */
	struct filter *filter;   /* NULL: no jq options at all */
	long count;              /* --count: stop after this many; 0 never */
	long outputs;            /* values written */
	int jq_failed;           /* a jq error happened (exit status 5) */
	struct buf scratch;      /* a compacted frame */
	int lagging;             /* the reader lags: stop reading the socket */
	struct text text;        /* -t: the text instead of the frames */
};

int output_init(struct output *op, struct filter *filter, long count,
    enum text_mode text);

/* -t: a reply or a history is over (text.h, text_end). */
void output_text_end(struct output *op, int separate);

/* Print frame number n; 1 when printing is done (--until, --count). */
int output_frame(struct output *op, const char *data, size_t len,
    const struct json_info *fi, unsigned long n);

/* Frame number n cannot be printed (what: why): a warning. */
void output_unprintable(unsigned long n, const char *what, const char *data,
    size_t len);

/*
 * Write what stdout takes: 0 all of it, 1 the rest must wait for stdout,
 * -1 the reader is gone or an error (op->out.state).  *lag_changed is set
 * when op->lagging changed: above high bytes waiting it is set, below
 * half of that cleared.
 */
int output_flush(struct output *op, size_t high, int *lag_changed);

void output_free(struct output *op);

#endif
