/*
 * The JSON grammar as a pushdown automaton whose state survives the end of
 * the bytes it was given, so a value may arrive in pieces.  Nesting is a
 * bit stack: a hostile, deeply nested text costs no C stack and is refused
 * beyond JSON_MAX_DEPTH.  Strings and whitespace, most of any text, are
 * skipped in tight loops; structure, escapes and numbers go a byte at a
 * time.
 */
#include <config.h>

#include <string.h>

#include "hex.h"
#include "jscan.h"
#include "jstring.h"

enum { S_VALUE, S_ARR_FIRST, S_OBJ_FIRST, S_KEY, S_COLON, S_AFTER, S_STR,
    S_ESC, S_U, S_NUM, S_LIT, S_DONE };
enum { N_MINUS, N_ZERO, N_INT, N_DOT, N_FRAC, N_E, N_ESIGN, N_EXP };

static const struct {
	const char *name;
	size_t len;
} members[JM_COUNT] = {
	{ "type", 4 }, { "status", 6 }, { "thread_id", 9 }, { "message", 7 },
	{ "detail", 6 }, { "agent_id", 8 }, { "content", 7 }, { "id", 2 },
	{ "role", 4 },
};

void
jscan_init(struct jscan *js, struct jscan_mark *marks, jscan_cb cb,
    void *ud)
{
	js->st = S_VALUE;
	js->sub = 0;
	js->is_key = 0;
	js->escaped = 0;
	js->lit = NULL;
	js->depth = 0;
	js->top_object = 0;
	js->has_newline = 0;
	js->tok = 0;
	js->want = js->fill = -1;
	js->marks = marks;
	js->cb = cb;
	js->ud = ud;
	js->err = NULL;
	if (marks != NULL)
		memset(marks, 0, JM_COUNT * sizeof(*marks));
}

static int
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static enum jscan_r
fail(struct jscan *js, const char *why)
{
	js->err = why;
	return JSCAN_ERR;
}

/* Hand a token to the callback; -1 if it stops the scan. */
static int
emit(struct jscan *js, enum jscan_ev ev, const char *p, size_t len)
{
	if (js->cb == NULL || js->cb(js->ud, ev, p, len) == 0)
		return 0;
	js->err = NULL;
	return -1;
}

/* A value ended: at the top, the text did. */
static enum jscan_r
value_end(struct jscan *js)
{
	if (js->depth == 0) {
		js->st = S_DONE;
		return JSCAN_DONE;
	}
	js->st = S_AFTER;
	return JSCAN_MORE;
}

static int
in_object(const struct jscan *js)
{
	return js->stack[(js->depth - 1) / 8] >> ((js->depth - 1) % 8) & 1;
}

static enum jscan_r
open_container(struct jscan *js, int obj)
{
	if (js->depth >= JSON_MAX_DEPTH)
		return fail(js, "invalid JSON: nested too deeply");
	if (js->depth == 0)
		js->top_object = obj;
	if (obj)
		js->stack[js->depth / 8] |= (uint8_t)(1u << js->depth % 8);
	else
		js->stack[js->depth / 8] &= (uint8_t)~(1u << js->depth % 8);
	js->depth++;
	js->st = obj ? S_OBJ_FIRST : S_ARR_FIRST;
	if (emit(js, obj ? JSCAN_OBJECT : JSCAN_ARRAY, NULL, 0) == -1)
		return JSCAN_ERR;
	return JSCAN_MORE;
}

static enum jscan_r
close_container(struct jscan *js)
{
	js->depth--;
	if (emit(js, JSCAN_END, NULL, 0) == -1)
		return JSCAN_ERR;
	return value_end(js);
}

/* The first byte of a value, at s[i]; a noted member starts here. */
static enum jscan_r
start_value(struct jscan *js, const char *s, size_t i)
{
	char c = s[i];

	if (js->want >= 0) {
		js->marks[js->want] = (struct jscan_mark){ i + 1, 0, 1,
		    c == '"', c == 'n' };
		js->fill = c == '"' ? js->want : -1;
		js->want = -1;
	}
	js->tok = i;
	switch (c) {
	case '{':
	case '[':
		return open_container(js, c == '{');
	case '"':
		js->st = S_STR;
		js->is_key = 0;
		js->escaped = 0;
		return JSCAN_MORE;
	case 't':
	case 'f':
	case 'n':
		js->lit = c == 't' ? "true" : c == 'f' ? "false" : "null";
		js->st = S_LIT;
		js->sub = 1;
		return JSCAN_MORE;
	default:
		if (c != '-' && (c < '0' || c > '9'))
			return fail(js, "invalid JSON: expected a value");
		js->st = S_NUM;
		js->sub = c == '-' ? N_MINUS : c == '0' ? N_ZERO : N_INT;
		return JSCAN_MORE;
	}
}

static enum jscan_r token(struct jscan *js, const char *s, size_t len,
    size_t *pos);
static enum jscan_r string(struct jscan *js, const char *s, size_t len,
    size_t *pos);

static int
is_structure(int st)
{
	return st <= S_AFTER || st == S_DONE;
}

/*
 * Whitespace and structure; a key or value is read in place (most of a
 * text is keys and values), and structure goes on after it.
 */
static enum jscan_r
structure(struct jscan *js, const char *s, size_t len, size_t *pos)
{
	size_t i = *pos;
	enum jscan_r r;
	int obj;

	for (;; i++) {
		while (i < len && is_ws(s[i])) {
			if (s[i] == '\n' || s[i] == '\r')
				js->has_newline = 1;
			i++;
		}
		*pos = i;
		if (i == len)
			return JSCAN_MORE;
		/* Tests, not a switch: the states come in a pattern. */
		if (js->st == S_AFTER) {
			obj = in_object(js);
			if (s[i] == ',') {
				js->st = obj ? S_KEY : S_VALUE;
				continue;
			}
			if (s[i] == (obj ? '}' : ']'))
				goto close;
			return fail(js, obj ? "invalid JSON: expected ',' or"
			    " '}'" : "invalid JSON: expected ',' or ']'");
		}
		if (js->st == S_COLON) {
			if (s[i] != ':')
				return fail(js, "invalid JSON: expected ':'");
			js->st = S_VALUE;
			continue;
		}
		if (js->st == S_KEY || js->st == S_OBJ_FIRST) {
			if (s[i] == '}' && js->st == S_OBJ_FIRST)
				goto close;
			if (s[i] != '"')
				return fail(js,
				    "invalid JSON: expected a string key");
			js->st = S_STR;
			js->is_key = 1;
			js->escaped = 0;
			js->tok = i;
			*pos = i + 1;
		} else if (js->st == S_DONE) {
			return fail(js, "invalid JSON: bytes after the value");
		} else {  /* S_VALUE, S_ARR_FIRST */
			if (s[i] == ']' && js->st == S_ARR_FIRST)
				goto close;
			*pos = i + 1;
			if (start_value(js, s, i) == JSCAN_ERR) {
				*pos = i;
				return JSCAN_ERR;
			}
		}
		/* A key or value has begun at s[i]: most often a string. */
		r = js->st == S_STR ? string(js, s, len, pos) : JSCAN_MORE;
		if (r == JSCAN_MORE && !is_structure(js->st))
			r = token(js, s, len, pos);
		if (r != JSCAN_MORE || !is_structure(js->st))
			return r;
		i = *pos - 1;
		continue;
close:		/* a closing bracket: the text or a container goes on */
		*pos = i + 1;
		if ((r = close_container(js)) != JSCAN_MORE)
			return r;
	}
}

/* Which noted member a top-level key p[0..n) names, or -1. */
static int
member(const char *p, size_t n, int escaped)
{
	struct buf b = { 0 };
	int m, found = -1;

	if (!escaped) {
		for (m = 0; m < JM_COUNT; m++)
			if (members[m].len == n &&
			    memcmp(p, members[m].name, n) == 0)
				return m;
		return -1;
	}
	if (n > 6 * 10)
		return -1;  /* too long to unescape to a member's name */
	if (jstring_unescape(&b, p, n, 0) == -1) {
		buf_free(&b);
		return -1;
	}
	for (m = 0; m < JM_COUNT && found == -1; m++)
		if (members[m].len == b.len &&
		    memcmp(b.p, members[m].name, b.len) == 0)
			found = m;
	buf_free(&b);
	return found;
}

/* The closing quote of a key or string is at s[i]. */
static enum jscan_r
string_end(struct jscan *js, const char *s, size_t i)
{
	const char *p = s + js->tok + 1;
	size_t n = i - js->tok - 1;

	if (js->is_key) {
		js->st = S_COLON;
		if (js->marks != NULL && js->depth == 1)
			js->want = member(p, n, js->escaped);
		return emit(js, JSCAN_KEY, p, n) == -1 ? JSCAN_ERR : JSCAN_MORE;
	}
	if (js->fill >= 0) {
		js->marks[js->fill].len = n;
		js->fill = -1;
	}
	if (emit(js, JSCAN_STRING, p, n) == -1)
		return JSCAN_ERR;
	return value_end(js);
}

/* Inside a string: plain bytes in a run, up to a quote or a backslash. */
static enum jscan_r
string(struct jscan *js, const char *s, size_t len, size_t *pos)
{
	size_t i = *pos + jstring_plain(s + *pos, len - *pos);

	*pos = i;
	if (i == len)
		return JSCAN_MORE;
	if (s[i] == '"') {
		*pos = i + 1;
		return string_end(js, s, i);
	}
	if (s[i] == '\\') {
		js->st = S_ESC;
		js->escaped = 1;
		*pos = i + 1;
		return JSCAN_MORE;
	}
	return fail(js, s[i] == '\n' ? "invalid JSON: unterminated string" :
	    "invalid JSON: control character in a string");
}

/* A byte after a backslash, or of the four digits after \u. */
static enum jscan_r
escape(struct jscan *js, char c)
{
	if (js->st == S_ESC) {
		if (c == 'u') {
			js->st = S_U;
			js->sub = 0;
			return JSCAN_MORE;
		}
		if (c == '\0' || strchr("\"\\/bfnrt", c) == NULL)
			return fail(js, "invalid JSON: bad escape in a string");
		js->st = S_STR;
		return JSCAN_MORE;
	}
	if (hex_value((unsigned char)c) < 0)
		return fail(js, "invalid JSON: bad \\u escape in a string");
	if (++js->sub == 4)
		js->st = S_STR;
	return JSCAN_MORE;
}

/* One byte of a number: 1 if it goes on, 0 if it ended before c, -1. */
static int
number_byte(struct jscan *js, char c)
{
	int digit = c >= '0' && c <= '9';

	switch (js->sub) {
	case N_MINUS:
	case N_DOT:
		if (!digit)
			return -1;
		js->sub = js->sub == N_DOT ? N_FRAC :
		    c == '0' ? N_ZERO : N_INT;
		return 1;
	case N_INT:
	case N_FRAC:
		if (digit)
			return 1;
		if (c == '.' && js->sub == N_INT) {
			js->sub = N_DOT;
			return 1;
		}
		break;
	case N_ZERO:
		if (c == '.') {
			js->sub = N_DOT;
			return 1;
		}
		break;
	case N_E:
		if (c == '+' || c == '-') {
			js->sub = N_ESIGN;
			return 1;
		}
		/* FALLTHROUGH */
	case N_ESIGN:
		if (!digit)
			return -1;
		js->sub = N_EXP;
		return 1;
	default: /* N_EXP */
		return digit ? 1 : 0;
	}
	if (c == 'e' || c == 'E') {
		js->sub = N_E;
		return 1;
	}
	return digit ? -1 : 0;  /* a digit after a leading 0 */
}

static int
number_done(int sub)
{
	return sub == N_ZERO || sub == N_INT || sub == N_FRAC || sub == N_EXP;
}

/* A number runs until a byte that cannot go on, which it leaves. */
static enum jscan_r
number(struct jscan *js, const char *s, size_t len, size_t *pos)
{
	size_t i;
	int r = 1;

	for (i = *pos; i < len && (r = number_byte(js, s[i])) == 1; i++)
		;
	*pos = i;
	if (r == 1)
		return JSCAN_MORE;
	if (r == -1)
		return fail(js, "invalid JSON: bad number");
	if (emit(js, JSCAN_NUMBER, s + js->tok, i - js->tok) == -1)
		return JSCAN_ERR;
	return value_end(js);
}

static enum jscan_r
literal(struct jscan *js, const char *s, size_t len, size_t *pos)
{
	static const enum jscan_ev ev[] = { JSCAN_TRUE, JSCAN_FALSE,
	    JSCAN_NULL };

	do {
		if (s[*pos] != js->lit[js->sub])
			return fail(js, "invalid JSON: bad literal");
		(*pos)++;
		if (js->lit[++js->sub] == '\0')
			break;
		if (*pos == len)
			return JSCAN_MORE;
	} while (1);
	if (emit(js, ev[js->lit[0] == 't' ? 0 : js->lit[0] == 'f' ? 1 : 2],
	    s + js->tok, js->sub) == -1)
		return JSCAN_ERR;
	return value_end(js);
}

/* Go on with a string, number or literal up to its end. */
static enum jscan_r
token(struct jscan *js, const char *s, size_t len, size_t *pos)
{
	enum jscan_r r = JSCAN_MORE;

	while (r == JSCAN_MORE && *pos < len && !is_structure(js->st)) {
		switch (js->st) {
		case S_STR:
			r = string(js, s, len, pos);
			break;
		case S_ESC:
		case S_U:
			if ((r = escape(js, s[*pos])) == JSCAN_MORE)
				(*pos)++;
			break;
		case S_NUM:
			r = number(js, s, len, pos);
			break;
		default: /* S_LIT */
			r = literal(js, s, len, pos);
			break;
		}
	}
	return r;
}

enum jscan_r
jscan_run(struct jscan *js, const char *s, size_t len, size_t *pos)
{
	enum jscan_r r = JSCAN_MORE;

	while (r == JSCAN_MORE && *pos < len)
		r = is_structure(js->st) ? structure(js, s, len, pos) :
		    token(js, s, len, pos);
	return r;
}

enum jscan_r
jscan_end(struct jscan *js, const char *s, size_t len)
{
	if (js->st == S_DONE)
		return JSCAN_DONE;
	if (js->st != S_NUM || js->depth != 0 || !number_done(js->sub))
		return fail(js, "invalid JSON: unexpected end of input");
	if (emit(js, JSCAN_NUMBER, s + js->tok, len - js->tok) == -1)
		return JSCAN_ERR;
	return value_end(js);
}
