/*
 * The jq side of chatcat: --jq (or --jq-file) with jq's output flags,
 * --arg/--argjson/--slurpfile/--rawfile, and --until.  filter.c and
 * jqvalue.c are the only modules that include libjq's headers; jv
 * reference counting stays in them.
 */
#ifndef CHATCAT_FILTER_H
#define CHATCAT_FILTER_H

#include <stddef.h>

#include "lib/io.h"

struct filter;

enum filter_error { FILTER_OK, FILTER_BAD_ARG, FILTER_BAD_EXPR };

enum jq_arg_kind { JQ_ARG_STRING, JQ_ARG_JSON, JQ_ARG_SLURPFILE,
    JQ_ARG_RAWFILE };

/* --arg NAME VALUE and its kin: $NAME in the filters. */
struct jq_arg {
	enum jq_arg_kind kind;
	const char *name, *value;   /* borrowed argv strings */
};

/* The filters, their arguments and jq's output flags. */
struct filter_config {
	const char *jq, *jq_file, *until;   /* NULL: none */
	const struct jq_arg *args;
	size_t nargs;
	int raw_output, join_output, ascii, sort_keys, tab;
	int indent;                         /* 0 compact, 1-7 pretty */
	int color;                          /* -1 -M, 0 when a terminal, 1 -C */
};

/*
 * Compile --jq/--jq-file and --until, once, before connecting.  *out is
 * NULL when there is neither.  An error has been reported.
 */
enum filter_error filter_new(const struct filter_config *o,
    struct filter **out);

/* Whether there is a --jq program (otherwise frames print as they are). */
int filter_has_program(const struct filter *f);

/*
 * Parse frame number n (a valid JSON text) for the calls below; -1 after
 * reporting that libjq cannot read it (it is stricter than chatcat).
 */
int filter_load(struct filter *f, const char *json, size_t len,
    unsigned long n);

/*
 * Run the program on the loaded frame and write its outputs to o.
 * Returns how many there were, or -1 after reporting a runtime error.
 */
long filter_output(struct filter *f, struct out *o);

/* Whether --until holds for the loaded frame: 1, 0, or -1 after
 * reporting a runtime error. */
int filter_until(struct filter *f);

/* For -e: an output was produced and the last was neither false nor null. */
int filter_last_truthy(const struct filter *f);

void filter_free(struct filter *f);

#endif
