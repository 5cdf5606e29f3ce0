/*
 * The stdin splitter.  step() is a pushdown automaton over single bytes:
 * it needs no look-ahead except at the end of a number, which only a
 * following byte can show ("12" may go on as "123").
 */
#include <config.h>

#include <string.h>

#include "jsonstream.h"
#include "lib/utf8.h"

enum { TOP, VALUE, OBJ_FIRST, KEY, COLON, ARR_FIRST, AFTER, STR, STR_ESC,
    STR_U, NUM, LIT };
enum { N_MINUS, N_ZERO, N_INT, N_DOT, N_FRAC, N_E, N_ESIGN, N_EXP };
enum step { S_OK, S_DONE, S_DONE_REDO, S_ERR };

#define KEY_FLAG 0x100   /* in sub: the string being read is a key */

void
jstream_init(struct jstream *js, size_t max, int raw)
{
	memset(js, 0, sizeof(*js));
	js->raw = raw;
	js->max = max;
	js->line = js->col = 1;
}

static int
is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
in_object(const struct jstream *js)
{
	return js->stack[(js->depth - 1) / 8] >> ((js->depth - 1) % 8) & 1;
}

/* A value ended inside a container or at the top. */
static enum step
value_end(struct jstream *js, enum step done)
{
	js->st = AFTER;
	return js->depth == 0 ? done : S_OK;
}

static enum step
fail(struct jstream *js, const char *why)
{
	js->err = why;
	return S_ERR;
}

static enum step step(struct jstream *js, unsigned char c);

static enum step
open_container(struct jstream *js, int obj)
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
	js->st = obj ? OBJ_FIRST : ARR_FIRST;
	return S_OK;
}

static enum step
start_value(struct jstream *js, unsigned char c)
{
	switch (c) {
	case '{':
		return open_container(js, 1);
	case '[':
		return open_container(js, 0);
	case '"':
		js->st = STR;
		js->sub = 0;
		return S_OK;
	case 't':
		js->lit = "true";
		break;
	case 'f':
		js->lit = "false";
		break;
	case 'n':
		js->lit = "null";
		break;
	case '-':
		js->st = NUM;
		js->sub = N_MINUS;
		return S_OK;
	default:
		if (c >= '0' && c <= '9') {
			js->st = NUM;
			js->sub = c == '0' ? N_ZERO : N_INT;
			return S_OK;
		}
		return fail(js, "invalid JSON: expected a value");
	}
	js->st = LIT;
	js->sub = 1;
	return S_OK;
}

/* A byte of a number; the number may end before it. */
static enum step
number(struct jstream *js, unsigned char c)
{
	int digit = c >= '0' && c <= '9';

	switch (js->sub) {
	case N_MINUS:
		if (!digit)
			return fail(js, "invalid JSON: bad number");
		js->sub = c == '0' ? N_ZERO : N_INT;
		return S_OK;
	case N_INT:
		if (digit)
			return S_OK;
		/* FALLTHROUGH */
	case N_ZERO:
		if (c == '.') {
			js->sub = N_DOT;
			return S_OK;
		}
		if (c == 'e' || c == 'E') {
			js->sub = N_E;
			return S_OK;
		}
		break;
	case N_DOT:
		if (!digit)
			return fail(js, "invalid JSON: bad number");
		js->sub = N_FRAC;
		return S_OK;
	case N_FRAC:
		if (digit)
			return S_OK;
		if (c == 'e' || c == 'E') {
			js->sub = N_E;
			return S_OK;
		}
		break;
	case N_E:
		if (c == '+' || c == '-') {
			js->sub = N_ESIGN;
			return S_OK;
		}
		/* FALLTHROUGH */
	case N_ESIGN:
		if (!digit)
			return fail(js, "invalid JSON: bad number");
		js->sub = N_EXP;
		return S_OK;
	case N_EXP:
		if (digit)
			return S_OK;
		break;
	}
	if (digit)
		/* a digit after a leading 0 */
		return fail(js, "invalid JSON: bad number");
	/* The number ended before c: at the top c starts anew, inside a
	 * container it must be a separator or a closing bracket. */
	js->st = AFTER;
	return js->depth == 0 ? S_DONE_REDO : step(js, c);
}

static enum step
string_byte(struct jstream *js, unsigned char c)
{
	int key = js->sub & KEY_FLAG;

	switch (js->st) {
	case STR:
		if (c == '"') {
			if (key) {
				js->st = COLON;
				return S_OK;
			}
			return value_end(js, S_DONE);
		}
		if (c == '\\')
			js->st = STR_ESC;
		else if (c < 0x20)
			return fail(js, c == '\n' ?
			    "invalid JSON: unterminated string" :
			    "invalid JSON: control character in a string");
		return S_OK;
	case STR_ESC:
		if (c == 'u') {
			js->st = STR_U;
			js->sub = key;
			return S_OK;
		}
		if (strchr("\"\\/bfnrt", c) == NULL || c == '\0')
			return fail(js, "invalid JSON: bad escape in a string");
		js->st = STR;
		return S_OK;
	default: /* STR_U */
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		    (c >= 'A' && c <= 'F')))
			return fail(js,
			    "invalid JSON: bad \\u escape in a string");
		if ((++js->sub & 0xff) == 4) {
			js->st = STR;
			js->sub = key;
		}
		return S_OK;
	}
}

/* After a value: a separator, a closing bracket, or (top) the end. */
static enum step
after(struct jstream *js, unsigned char c)
{
	int obj = in_object(js);

	if (c == ',') {
		js->st = obj ? KEY : VALUE;
		return S_OK;
	}
	if (c == (obj ? '}' : ']')) {
		js->depth--;
		return value_end(js, S_DONE);
	}
	return fail(js, obj ? "invalid JSON: expected ',' or '}'" :
	    "invalid JSON: expected ',' or ']'");
}

static enum step
step(struct jstream *js, unsigned char c)
{
	if (is_ws(c) && (js->st == VALUE || js->st == OBJ_FIRST ||
	    js->st == KEY || js->st == COLON || js->st == ARR_FIRST ||
	    js->st == AFTER))
		return S_OK;
	switch (js->st) {
	case VALUE:
		return start_value(js, c);
	case ARR_FIRST:
		if (c == ']') {
			js->depth--;
			return value_end(js, S_DONE);
		}
		return start_value(js, c);
	case OBJ_FIRST:
		if (c == '}') {
			js->depth--;
			return value_end(js, S_DONE);
		}
		/* FALLTHROUGH */
	case KEY:
		if (c != '"')
			return fail(js, "invalid JSON: expected a string key");
		js->st = STR;
		js->sub = KEY_FLAG;
		return S_OK;
	case COLON:
		if (c != ':')
			return fail(js, "invalid JSON: expected ':'");
		js->st = VALUE;
		return S_OK;
	case AFTER:
		return after(js, c);
	case STR:
	case STR_ESC:
	case STR_U:
		return string_byte(js, c);
	case NUM:
		return number(js, c);
	default: /* LIT */
		if (c != (unsigned char)js->lit[js->sub])
			return fail(js, "invalid JSON: bad literal");
		if (js->lit[++js->sub] == '\0')
			return value_end(js, S_DONE);
		return S_OK;
	}
}

/* Line and column of offset off in the current value. */
static void
position(const struct jstream *js, size_t off, unsigned long *line,
    unsigned long *col)
{
	size_t i;

	*line = js->vline;
	*col = js->vcol;
	for (i = 0; i < off && i < js->val.len; i++) {
		if (js->val.p[i] == '\n') {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
	}
}

static void
emit_error(unsigned long line, unsigned long col, const char *why,
    jstream_cb cb, void *ud)
{
	struct jstream_item it = { NULL, 0, 0, line, col, why };

	cb(ud, &it);
}

/* A complete value (or -R line): check its UTF-8 and hand it out. */
static void
emit_value(struct jstream *js, jstream_cb cb, void *ud)
{
	struct jstream_item it;
	size_t bad;

	if (!utf8_valid(js->val.p ? js->val.p : "", js->val.len, &bad)) {
		position(js, bad, &it.line, &it.col);
		emit_error(it.line, it.col, "invalid UTF-8", cb, ud);
	} else {
		it = (struct jstream_item){ js->val.p ? js->val.p : "",
		    js->val.len, js->top_object, js->vline, js->vcol, NULL };
		cb(ud, &it);
	}
	js->val.len = 0;
	js->st = TOP;
	js->depth = 0;
}

static void
advance(struct jstream *js, unsigned char c)
{
	if (c == '\n') {
		js->line++;
		js->col = 1;
	} else
		js->col++;
}

/* -R: a line is a value. */
static int
raw_byte(struct jstream *js, unsigned char c, jstream_cb cb, void *ud)
{
	if (c != '\n') {
		if (js->val.len == 0) {
			js->vline = js->line;
			js->vcol = 1;
		}
		if (js->skipping)
			return 0;
		if (js->val.len >= js->max) {
			emit_error(js->vline, 1, "line larger than"
			    " --max-frame", cb, ud);
			js->val.len = 0;
			js->skipping = 1;
			return 0;
		}
		return buf_add(&js->val, &c, 1);
	}
	if (js->val.len > 0 && js->val.p[js->val.len - 1] == '\r')
		js->val.len--;
	if (js->val.len > 0 && !js->skipping)
		emit_value(js, cb, ud);
	js->val.len = 0;
	js->skipping = 0;
	return 0;
}

int
jstream_feed(struct jstream *js, const char *data, size_t len,
    jstream_cb cb, void *ud)
{
	size_t i;
	enum step r;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];

		if (js->raw) {
			if (raw_byte(js, c, cb, ud) == -1)
				return -1;
			advance(js, c);
			continue;
		}
		if (js->skipping) {
			js->skipping = c != '\n';
			advance(js, c);
			continue;
		}
		if (js->st == TOP) {
			if (is_ws(c)) {
				advance(js, c);
				continue;
			}
			js->st = VALUE;
			js->top_object = 0;
			js->vline = js->line;
			js->vcol = js->col;
			js->val.len = 0;
		}
		r = step(js, c);
		if (r == S_DONE_REDO) {
			emit_value(js, cb, ud);
			i--;  /* the byte after a number starts anew */
			continue;
		}
		if (r == S_ERR) {
			emit_error(js->line, js->col, js->err, cb, ud);
			js->val.len = 0;
			js->st = TOP;
			js->depth = 0;
			js->skipping = c != '\n';
			advance(js, c);
			continue;
		}
		if (buf_add(&js->val, &c, 1) == -1)
			return -1;
		advance(js, c);
		if (r == S_DONE)
			emit_value(js, cb, ud);
		else if (js->val.len > js->max) {
			emit_error(js->vline, js->vcol, "value larger than"
			    " --max-frame", cb, ud);
			js->val.len = 0;
			js->st = TOP;
			js->depth = 0;
			js->skipping = c != '\n';
		}
	}
	return 0;
}

void
jstream_end(struct jstream *js, jstream_cb cb, void *ud)
{
	if (js->raw) {
		raw_byte(js, '\n', cb, ud);
		return;
	}
	if (js->st == NUM && js->depth == 0 && (js->sub == N_ZERO ||
	    js->sub == N_INT || js->sub == N_FRAC || js->sub == N_EXP)) {
		emit_value(js, cb, ud);
		return;
	}
	if (js->st != TOP && !js->skipping)
		emit_error(js->line, js->col,
		    "invalid JSON: unexpected end of input",
		    cb, ud);
	js->st = TOP;
	js->val.len = 0;
}

void
jstream_free(struct jstream *js)
{
	buf_free(&js->val);
}
