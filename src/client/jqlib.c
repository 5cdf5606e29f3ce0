/*
 * libjq (and through it oniguruma), loaded on first use: a process that
 * runs no filter never maps them (lazylib.h).  Each function chatcat calls
 * is defined here under its own name with the prototype of <jq.h>/<jv.h>,
 * so the compiler checks the types and the callers are unchanged; hidden,
 * so that libjq's calls to its own functions never land here.  The fuzzers
 * link libjq directly instead of this file.
 */
#include <config.h>

#pragma GCC visibility push(hidden)
#include <jq.h>
#include <jv.h>
#pragma GCC visibility pop

#include "lib/lazylib.h"

/* F(return type, name, (parameters), (arguments)); V for void ones. */
#define JQ_FUNCTIONS(F, V) \
	F(jq_state *, jq_init, (void), ()) \
	V(jq_set_error_cb, (jq_state *jq, jq_msg_cb cb, void *data), (jq, cb, data)) \
	F(int, jq_compile_args, (jq_state *jq, const char *s, jv args), (jq, s, args)) \
	V(jq_start, (jq_state *jq, jv value, int flags), (jq, value, flags)) \
	F(jv, jq_next, (jq_state *jq), (jq)) \
	V(jq_teardown, (jq_state **jq), (jq)) \
	V(jq_set_attr, (jq_state *jq, jv attr, jv val), (jq, attr, val)) \
	F(jv_kind, jv_get_kind, (jv x), (x)) \
	F(jv, jv_copy, (jv x), (x)) \
	V(jv_free, (jv x), (x)) \
	F(jv, jv_invalid, (void), ()) \
	F(jv, jv_invalid_get_msg, (jv x), (x)) \
	F(int, jv_invalid_has_msg, (jv x), (x)) \
	F(jv, jv_null, (void), ()) \
	F(jv, jv_true, (void), ()) \
	F(jv, jv_false, (void), ()) \
	F(jv, jv_number, (double d), (d)) \
	F(jv, jv_array, (void), ()) \
	F(jv, jv_array_append, (jv a, jv x), (a, x)) \
	F(jv, jv_string, (const char *s), (s)) \
	F(jv, jv_string_sized, (const char *s, int n), (s, n)) \
	F(int, jv_string_length_bytes, (jv x), (x)) \
	F(const char *, jv_string_value, (jv x), (x)) \
	F(jv, jv_object, (void), ()) \
	F(jv, jv_object_set, (jv o, jv k, jv v), (o, k, v)) \
	F(jv, jv_dump_string, (jv x, int flags), (x, flags)) \
	F(jv, jv_parse, (const char *s), (s)) \
	F(jv, jv_parse_sized, (const char *s, int n), (s, n)) \
	F(jv, jv_load_file, (const char *path, int raw), (path, raw))

LAZYLIB(libjq, "libjq.so.1", "libjq1", JQ_FUNCTIONS)
#define LAZYLIB_THIS libjq
JQ_FUNCTIONS(LAZYLIB_DEFINE, LAZYLIB_VDEFINE)
