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
#include "options.h"

struct filter;

enum filter_error { FILTER_OK, FILTER_BAD_ARG, FILTER_BAD_EXPR };

/*
 * Compile o's --jq/--jq-file and --until, once, before connecting.
 * *out is NULL when there is neither.  An error has been reported.
 */
enum filter_error filter_new(const struct options *o, struct filter **out);

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
