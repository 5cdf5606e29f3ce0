/*
 * The --jq output filter.  This is the only module that includes libjq's
 * headers; jv reference counting stays inside filter.c.
 */
#ifndef CHATCAT_FILTER_H
#define CHATCAT_FILTER_H

#include <stddef.h>

#include "io.h"

struct filter;

/* Compile expr; NULL after printing the compile error. */
struct filter *filter_new(const char *expr, int raw_output);

/*
 * Run the filter on one frame (a valid JSON text) and write each output as
 * a line.  -1 after reporting a runtime error for frame number n.
 */
int filter_run(struct filter *f, const char *json, size_t len, struct out *o,
    unsigned long n);

/* For -e: whether an output was produced and the last was not false/null. */
int filter_last_truthy(const struct filter *f);

void filter_free(struct filter *f);

#endif
