/*
 * libjq glue.  Ownership rule of libjq 1.6: every jv_* and jq_* call
 * consumes its jv arguments and returns a new reference, except jv_copy;
 * jv_get_kind, jv_is_valid, jv_string_value and jv_number_value borrow.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <jq.h>
#include <jv.h>

#include "filter.h"
#include "msg.h"

struct filter {
	jq_state *jq;
	int raw_output;
	int produced;        /* any output so far */
	int last_truthy;     /* the last output was neither false nor null */
};

/* jq's error callback: compile errors arrive here as owned jv strings. */
static void
report(void *data, jv msg)
{
	(void)data;
	if (jv_get_kind(msg) == JV_KIND_STRING)
		msg_error("--jq: %s", jv_string_value(msg));
	else
		msg_error("--jq: compile error");
	jv_free(msg);
}

struct filter *
filter_new(const char *expr, int raw_output)
{
	struct filter *f = calloc(1, sizeof(*f));

	if (f == NULL || (f->jq = jq_init()) == NULL) {
		msg_error("out of memory");
		free(f);
		return NULL;
	}
	f->raw_output = raw_output;
	jq_set_error_cb(f->jq, report, NULL);
	/* Without it, import and include abort the process in 1.6. */
	jq_set_attr(f->jq, jv_string("JQ_LIBRARY_PATH"), jv_array());
	if (!jq_compile_args(f->jq, expr, jv_object())) {
		jq_teardown(&f->jq);
		free(f);
		return NULL;
	}
	return f;
}

/* Write one output value; -1 when stdout is gone. */
static int
emit(struct filter *f, jv v, struct out *o)
{
	jv s;
	int r;

	f->produced = 1;
	f->last_truthy = jv_get_kind(v) != JV_KIND_NULL &&
	    jv_get_kind(v) != JV_KIND_FALSE;
	if (f->raw_output && jv_get_kind(v) == JV_KIND_STRING) {
		r = out_write(o, jv_string_value(v),
		    (size_t)jv_string_length_bytes(jv_copy(v)));
		jv_free(v);
	} else {
		s = jv_dump_string(v, 0);
		r = out_write(o, jv_string_value(s),
		    (size_t)jv_string_length_bytes(jv_copy(s)));
		jv_free(s);
	}
	return r == -1 ? -1 : out_write(o, "\n", 1);
}

int
filter_run(struct filter *f, const char *json, size_t len, struct out *o,
    unsigned long n)
{
	jv in = jv_parse_sized(json, (int)len), v;
	int failed = 0;

	if (!jv_is_valid(in)) {
		jv_free(in);
		return -1;  /* the caller validated it: cannot happen */
	}
	jq_start(f->jq, in, 0);
	while (jv_is_valid(v = jq_next(f->jq))) {
		if (emit(f, v, o) == -1) {
			failed = 0;
			break;
		}
	}
	if (jv_invalid_has_msg(jv_copy(v))) {
		jv m = jv_invalid_get_msg(v);

		if (jv_get_kind(m) == JV_KIND_STRING)
			msg_error("frame %lu: jq: error: %s", n,
			    jv_string_value(m));
		else {
			jv d = jv_dump_string(m, 0);

			msg_error("frame %lu: jq: error (not a string): %s", n,
			    jv_string_value(d));
			m = d;
		}
		jv_free(m);
		failed = 1;
	} else
		jv_free(v);
	return failed ? -1 : 0;
}

int
filter_last_truthy(const struct filter *f)
{
	return f->produced && f->last_truthy;
}

void
filter_free(struct filter *f)
{
	if (f == NULL)
		return;
	jq_teardown(&f->jq);
	free(f);
}
