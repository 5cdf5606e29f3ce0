/*
 * The stdin splitter.  Bytes are kept in one buffer until the value they
 * belong to is handed out; lib/jscan.c's scanner resumes where the last
 * read ended, so each byte is scanned once.  Line and column are counted
 * only where one is reported, from the last place counted.
 */
#include <config.h>

#include <stdint.h>
#include <string.h>

#include "jsonstream.h"
#include "lib/utf8.h"

void
jstream_init(struct jstream *js, size_t max, int raw)
{
	memset(js, 0, sizeof(*js));
	js->raw = raw;
	js->max = max;
	js->line = js->col = 1;
}

static int
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Move the line and column counted at lc on to the byte at off. */
static void
locate(struct jstream *js, size_t off)
{
	const char *p = js->buf.p + js->lc, *end = js->buf.p + off, *nl;

	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		js->line++;
		js->col = 1;
		p = nl + 1;
	}
	js->col += (unsigned long)(end - p);
	js->lc = off;
}

static void
emit_error(unsigned long line, unsigned long col, const char *why,
    jstream_cb cb, void *ud)
{
	struct jstream_item it = { NULL, 0, 0, line, col, why, NULL };

	cb(ud, &it);
}

/*
 * A complete value (or -R line) s[0..len), at start in the buffer: check
 * its UTF-8 and hand it out, with its members when it was scanned.
 */
static void
emit_value(struct jstream *js, const char *s, size_t len, jstream_cb cb,
    void *ud)
{
	struct jstream_item it = { s, len, 0, js->vline, js->vcol, NULL,
	    NULL };
	struct json_info info;
	size_t bad;

	if (!utf8_valid(s, len, &bad)) {
		if (js->raw) {
			emit_error(js->vline, js->vcol + bad, "invalid UTF-8",
			    cb, ud);
			return;
		}
		locate(js, js->start + bad);
		emit_error(js->line, js->col, "invalid UTF-8", cb, ud);
		return;
	}
	if (!js->raw) {
		it.is_object = json_info_from(&js->scan, s, &info) ==
		    JSON_OBJECT;
		it.info = &info;
	}
	cb(ud, &it);
}

/* A bad byte at off ends the value: go on after it, or its line. */
static void
drop_value(struct jstream *js, size_t off)
{
	js->in_value = 0;
	js->skipping = js->buf.p[off] != '\n';
	js->pos = off + 1;
}

/* Scan the open value on, as far as --max-frame allows. */
static void
scan_value(struct jstream *js, jstream_cb cb, void *ud)
{
	const char *s = js->buf.p + js->start;
	size_t limit = js->max < SIZE_MAX ? js->max + 1 : SIZE_MAX;
	size_t have = js->buf.len - js->start, rel = js->pos - js->start;
	enum jscan_r r;

	if (have > limit)
		have = limit;
	r = jscan_run(&js->scan, s, have, &rel);
	js->pos = js->start + rel;
	if (r == JSCAN_DONE) {
		js->in_value = 0;
		emit_value(js, s, rel, cb, ud);
	} else if (r == JSCAN_ERR) {
		locate(js, js->pos);
		emit_error(js->line, js->col, js->scan.err, cb, ud);
		drop_value(js, js->pos);
	} else if (rel == limit) {
		emit_error(js->vline, js->vcol, "value larger than"
		    " --max-frame", cb, ud);
		drop_value(js, js->start + js->max);
	}
}

/* Between values: whitespace, then the first byte of the next. */
static void
skip_space(struct jstream *js)
{
	while (js->pos < js->buf.len && is_ws(js->buf.p[js->pos]))
		js->pos++;
	if (js->pos == js->buf.len)
		return;
	js->start = js->pos;
	js->in_value = 1;
	locate(js, js->start);
	js->vline = js->line;
	js->vcol = js->col;
	jscan_init(&js->scan, js->marks, NULL, NULL);
}

/* After an error: up to and past the next line break. */
static void
skip_line(struct jstream *js)
{
	const char *nl = memchr(js->buf.p + js->pos, '\n',
	    js->buf.len - js->pos);

	if (nl == NULL) {
		js->pos = js->buf.len;
		return;
	}
	js->pos = (size_t)(nl - js->buf.p) + 1;
	js->skipping = 0;
}

/* Forget the bytes before the open value, or all looked at. */
static void
drop_done(struct jstream *js)
{
	size_t keep = js->in_value ? js->start : js->pos;

	if (keep == 0)
		return;
	locate(js, keep);
	memmove(js->buf.p, js->buf.p + keep, js->buf.len - keep);
	js->buf.len -= keep;
	js->pos -= keep;
	js->lc = 0;
	if (js->in_value)
		js->start = 0;
}

/* -R: bytes of one line, up to (not with) its '\n'. */
static int
raw_part(struct jstream *js, const char *data, size_t n, jstream_cb cb,
    void *ud)
{
	if (n == 0)
		return 0;
	if (js->buf.len == 0) {
		js->vline = js->line;
		js->vcol = 1;
	}
	if (js->skipping)
		return 0;
	if (n > js->max - js->buf.len) {
		emit_error(js->vline, 1, "line larger than --max-frame", cb,
		    ud);
		js->buf.len = 0;
		js->skipping = 1;
		return 0;
	}
	return buf_add(&js->buf, data, n);
}

/* -R: a line ended. */
static void
raw_line(struct jstream *js, jstream_cb cb, void *ud)
{
	if (js->buf.len > 0 && js->buf.p[js->buf.len - 1] == '\r')
		js->buf.len--;
	if (js->buf.len > 0 && !js->skipping)
		emit_value(js, js->buf.p, js->buf.len, cb, ud);
	js->buf.len = 0;
	js->skipping = 0;
}

/* -R: a line is a value. */
static int
raw_feed(struct jstream *js, const char *data, size_t len, jstream_cb cb,
    void *ud)
{
	const char *nl;
	size_t n;

	while (len > 0) {
		nl = memchr(data, '\n', len);
		n = nl != NULL ? (size_t)(nl - data) : len;
		if (raw_part(js, data, n, cb, ud) == -1)
			return -1;
		if (nl == NULL)
			break;
		raw_line(js, cb, ud);
		js->line++;
		data += n + 1;
		len -= n + 1;
	}
	return 0;
}

int
jstream_feed(struct jstream *js, const char *data, size_t len,
    jstream_cb cb, void *ud)
{
	if (js->raw)
		return raw_feed(js, data, len, cb, ud);
	if (buf_add(&js->buf, data, len) == -1)
		return -1;
	while (js->pos < js->buf.len) {
		if (js->skipping)
			skip_line(js);
		else if (!js->in_value)
			skip_space(js);
		else
			scan_value(js, cb, ud);
	}
	drop_done(js);
	return 0;
}

void
jstream_end(struct jstream *js, jstream_cb cb, void *ud)
{
	const char *s;
	size_t n;

	if (js->raw) {
		raw_line(js, cb, ud);
		return;
	}
	if (!js->in_value)
		return;
	s = js->buf.p + js->start;
	n = js->buf.len - js->start;
	if (jscan_end(&js->scan, s, n) == JSCAN_DONE)
		emit_value(js, s, n, cb, ud);
	else {
		locate(js, js->buf.len);
		emit_error(js->line, js->col,
		    "invalid JSON: unexpected end of input", cb, ud);
	}
	js->in_value = 0;
	js->buf.len = js->pos = js->lc = 0;
}

void
jstream_free(struct jstream *js)
{
	buf_free(&js->buf);
}
