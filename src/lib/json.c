/*
 * Frames as JSON texts, scanned by jscan.c without allocation: the
 * members a frame's rules read, and compaction.
 */
#include <config.h>

#include <stdint.h>
#include <string.h>

#include "json.h"
#include "jstring.h"

static int
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

enum json_kind
json_info_from(const struct jscan *js, const char *s,
    struct json_info *info)
{
	struct json_span *sp[JM_COUNT] = {
		[JM_TYPE] = &info->type, [JM_STATUS] = &info->status,
		[JM_THREAD_ID] = &info->thread_id,
		[JM_MESSAGE] = &info->message, [JM_DETAIL] = &info->detail,
		[JM_AGENT_ID] = &info->agent_id,
		[JM_CONTENT] = &info->content, [JM_ID] = &info->id,
		[JM_ROLE] = &info->role,
	};
	int m;

	info->has_newline = js->has_newline;
	info->error_at = 0;
	for (m = 0; m < JM_COUNT; m++)
		*sp[m] = (struct json_span){ s + js->marks[m].off,
		    js->marks[m].len, js->marks[m].present,
		    js->marks[m].is_string, js->marks[m].is_null };
	return js->top_object ? JSON_OBJECT : JSON_OTHER;
}

enum json_kind
json_scan(const char *s, size_t len, struct json_info *info)
{
	struct jscan_mark marks[JM_COUNT];
	struct jscan js;
	size_t i = 0;
	enum jscan_r r;

	jscan_init(&js, marks, NULL, NULL);
	r = jscan_run(&js, s, len, &i);
	if (r == JSCAN_DONE)  /* only whitespace may follow */
		r = jscan_run(&js, s, len, &i);
	if (r == JSCAN_MORE)
		r = jscan_end(&js, s, len);
	if (r != JSCAN_DONE) {
		memset(info, 0, sizeof(*info));
		info->error_at = i;
		return JSON_INVALID;
	}
	return json_info_from(&js, s, info);
}

int
json_span_text(const struct json_span *sp, struct buf *b)
{
	return jstring_unescape(b, sp->p, sp->len, 0);
}

int
json_span_eq(const struct json_span *sp, const char *lit)
{
	size_t n = strlen(lit);
	struct buf b = { 0 };
	int eq;

	if (!sp->present || !sp->is_string)
		return 0;
	if (memchr(sp->p, '\\', sp->len) == NULL)
		return sp->len == n && memcmp(sp->p, lit, n) == 0;
	if (sp->len > 6 * n + 6)
		return 0;  /* too long to unescape to lit */
	if (json_span_text(sp, &b) == -1)
		return 0;
	eq = b.len == n && memcmp(b.p, lit, n) == 0;
	buf_free(&b);
	return eq;
}

/* Skip the string at s[*i] == '"' of a valid text; *i after its quote. */
static int
skip_string(const char *s, size_t len, size_t *i)
{
	size_t j = *i + 1;

	for (;;) {
		j += jstring_plain(s + j, len - j);
		if (j >= len || (unsigned char)s[j] < 0x20)
			return -1;
		if (s[j] == '"')
			break;
		j += 2;  /* a backslash and the byte it escapes */
	}
	*i = j + 1;
	return 0;
}

int
json_compact(const char *s, size_t len, struct buf *out)
{
	size_t i = 0, start;

	if (buf_reserve(out, len) == -1)
		return -1;
	while (i < len) {
		if (is_ws(s[i])) {
			i++;
			continue;
		}
		start = i;
		if (s[i] == '"') {
			if (skip_string(s, len, &i) == -1)
				return -1;
		} else {
			while (i < len && !is_ws(s[i]) && s[i] != '"')
				i++;
		}
		if (buf_add(out, s + start, i - start) == -1)
			return -1;
	}
	return 0;
}

int
json_add_string(struct buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, run;

	if (buf_reserve(b, len + 2) == -1 || buf_add(b, "\"", 1) == -1)
		return -1;
	for (;;) {
		unsigned char c;
		char esc[6] = { '\\', 'u', '0', '0', 0, 0 };
		size_t n = 2;

		run = jstring_plain(s + i, len - i);
		if (buf_add(b, s + i, run) == -1)
			return -1;
		i += run;
		if (i == len)
			break;
		c = (unsigned char)s[i++];
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
		}
		if (buf_add(b, esc, n) == -1)
			return -1;
	}
	return buf_add(b, "\"", 1);
}
