/*
 * libjq glue.  Ownership rule of libjq 1.6: every jv_* and jq_* call
 * consumes its jv arguments and returns a new reference, except jv_copy;
 * jv_get_kind, jv_is_valid, jv_string_value and jv_number_value borrow.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jq.h>
#include <jv.h>

#include "colour.h"
#include "filter.h"
#include "lib/io.h"
#include "jqvalue.h"
#include "lib/msg.h"

struct filter {
	jq_state *jq;            /* --jq, or NULL */
	jq_state *until;         /* --until, or NULL */
	jv frame;                /* the loaded frame, or jv_invalid() */
	unsigned long n;         /* its number */
	int dump_flags;
	int raw_output, join_output;
	int produced, last_truthy;
	struct jqvalue_reader reader;  /* for jqvalue_read() */
};

/* jq's error callback: messages arrive as owned jv values. */
static void
report(void *data, jv msg)
{
	const char *what = data;

	if (jv_get_kind(msg) == JV_KIND_STRING)
		msg_error("%s: %s", what, jv_string_value(msg));
	else
		msg_error("%s: compile error", what);
	jv_free(msg);
}

/* The named arguments: $NAME for --arg, --argjson, --slurpfile, --rawfile. */
static int
named_args(const struct filter_config *o, jv *args)
{
	size_t i;

	*args = jv_object();
	for (i = 0; i < o->nargs; i++) {
		const struct jq_arg *a = &o->args[i];
		jv v;

		switch (a->kind) {
		case JQ_ARG_STRING:
			v = jv_string(a->value);
			break;
		case JQ_ARG_JSON:
			v = jv_parse(a->value);
			break;
		default:
			v = jv_load_file(a->value, a->kind == JQ_ARG_RAWFILE);
			break;
		}
		if (!jv_is_valid(v)) {
			jv m = jv_invalid_get_msg(v);

			msg_error("--%s %s: %s", a->kind == JQ_ARG_JSON ?
			    "argjson" : a->kind == JQ_ARG_STRING ? "arg" :
			    a->kind == JQ_ARG_RAWFILE ? "rawfile" : "slurpfile",
			    a->name, jv_get_kind(m) == JV_KIND_STRING ?
			    jv_string_value(m) : "invalid");
			jv_free(m);
			jv_free(*args);
			return -1;
		}
		*args = jv_object_set(*args, jv_string(a->name), v);
	}
	return 0;
}

/* Compile one program with the named arguments (not consumed). */
static jq_state *
compile(const char *what, const char *expr, jv args)
{
	jq_state *jq = jq_init();

	if (jq == NULL) {
		msg_error("out of memory");
		return NULL;
	}
	jq_set_error_cb(jq, report, (void *)what);
	/* Without it, import and include abort the process in 1.6. */
	jq_set_attr(jq, jv_string("JQ_LIBRARY_PATH"), jv_array());
	if (!jq_compile_args(jq, expr, jv_copy(args))) {
		jq_teardown(&jq);
		return NULL;
	}
	return jq;
}

/* jq's print flags from -a, -S, -C/-M, --tab, --indent. */
static int
dump_flags(const struct filter_config *o)
{
	int flags = o->tab ? JV_PRINT_TAB | JV_PRINT_PRETTY :
	    JV_PRINT_INDENT_FLAGS(o->indent);
	int color = colour_wanted(o->color);

	if (o->ascii)
		flags |= JV_PRINT_ASCII;
	if (o->sort_keys)
		flags |= JV_PRINT_SORTED;
	if (color)
		flags |= JV_PRINT_COLOR;
	return flags;
}

enum filter_error
filter_new(const struct filter_config *o, struct filter **out)
{
	struct filter *f;
	char *expr = NULL;
	size_t len;
	jv args;

	*out = NULL;
	if (o->jq == NULL && o->jq_file == NULL && o->until == NULL)
		return FILTER_OK;
	if (o->jq_file != NULL) {
		FILE *fp = fopen(o->jq_file, "r");

		expr = fp ? io_read_all(fileno(fp), o->jq_file, &len) : NULL;
		if (fp == NULL)
			msg_error("%s: cannot open the filter file", o->jq_file);
		else
			fclose(fp);
		if (expr == NULL)
			return FILTER_BAD_ARG;
	}
	if (named_args(o, &args) == -1) {
		free(expr);
		return FILTER_BAD_ARG;
	}
	f = calloc(1, sizeof(*f));
	if (f == NULL) {
		msg_error("out of memory");
		free(expr);
		jv_free(args);
		return FILTER_BAD_ARG;
	}
	f->frame = jv_invalid();
	f->dump_flags = dump_flags(o);
	f->raw_output = o->raw_output || o->join_output;
	f->join_output = o->join_output;
	if ((o->jq || expr) && (f->jq = compile(expr ? o->jq_file : "--jq",
	    expr ? expr : o->jq, args)) == NULL)
		goto bad;
	if (o->until && (f->until = compile("--until", o->until, args)) == NULL)
		goto bad;
	jv_free(args);
	free(expr);
	*out = f;
	return FILTER_OK;
bad:
	jv_free(args);
	free(expr);
	filter_free(f);
	return FILTER_BAD_EXPR;
}

int
filter_has_program(const struct filter *f)
{
	return f != NULL && f->jq != NULL;
}

int
filter_load(struct filter *f, const char *json, size_t len,
    unsigned long n)
{
	jv_free(f->frame);
	f->n = n;
	if (jqvalue_read(json, len, &f->reader, &f->frame) == 0)
		return 0;
	f->frame = jv_parse_sized(json, (int)len);
	if (jv_is_valid(f->frame))
		return 0;
	{
		jv m = jv_invalid_get_msg(jv_copy(f->frame));

		msg_error("frame %lu: jq cannot read it: %s", n,
		    jv_get_kind(m) == JV_KIND_STRING ? jv_string_value(m) :
		    "invalid JSON");
		jv_free(m);
	}
	return -1;
}

/* Write one output value; -1 when stdout failed. */
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
		s = jv_dump_string(v, f->dump_flags);
		r = out_write(o, jv_string_value(s),
		    (size_t)jv_string_length_bytes(jv_copy(s)));
		jv_free(s);
	}
	if (r == -1 || f->join_output)
		return r;
	return out_write(o, "\n", 1);
}

/* Report the error a program ended with, if any (consumes v). */
static int
ended(struct filter *f, jv v)
{
	jv m;

	if (!jv_invalid_has_msg(jv_copy(v))) {
		jv_free(v);
		return 0;
	}
	m = jv_invalid_get_msg(v);
	if (jv_get_kind(m) != JV_KIND_STRING)
		m = jv_dump_string(m, 0);
	msg_error("frame %lu: jq: error: %s", f->n, jv_string_value(m));
	jv_free(m);
	return -1;
}

long
filter_output(struct filter *f, struct out *o)
{
	long count = 0;
	jv v;

	if (!jv_is_valid(f->frame))
		return -1;
	jq_start(f->jq, jv_copy(f->frame), 0);
	while (jv_is_valid(v = jq_next(f->jq))) {
		if (emit(f, v, o) == -1)
			return count;  /* stdout is gone: the caller sees it */
		count++;
	}
	return ended(f, v) == -1 ? -1 : count;
}

int
filter_until(struct filter *f)
{
	jv v;
	int hit;

	if (f->until == NULL || !jv_is_valid(f->frame))
		return 0;
	jq_start(f->until, jv_copy(f->frame), 0);
	v = jq_next(f->until);
	if (!jv_is_valid(v))
		return ended(f, v);
	hit = jv_get_kind(v) != JV_KIND_NULL &&
	    jv_get_kind(v) != JV_KIND_FALSE;
	jv_free(v);
	return hit;
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
	if (f->jq != NULL)
		jq_teardown(&f->jq);
	if (f->until != NULL)
		jq_teardown(&f->until);
	jv_free(f->frame);
	jqvalue_reader_free(&f->reader);
	free(f);
}
