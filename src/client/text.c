/*
 * -t, --text (text.h): which frames carry the assistant's text and how
 * it is written.
 *
 * Reply text: a "message" frame whose role is "assistant" (the
 * document's parts), or a "token" frame (the deployed server's; "step"
 * and "tool" frames are not text).  A transcript (history -t) has one
 * block a stored message, "ROLE: TEXT", blocks apart by an empty line;
 * the parts of one message (same id, or "token" frames in a row) are
 * joined.
 */
#include <config.h>

#include <string.h>

#include "lib/utf8.h"
#include "text.h"

void
text_init(struct text *t, enum text_mode mode, int tty)
{
	*t = (struct text){ .mode = mode, .tty = tty };
}

/* Append s to t->clean with every control character shown, not obeyed:
 * C0 and DEL as ^X, C1 as U+FFFD (s is valid UTF-8). */
static int
neutralise(struct text *t, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	char caret[2] = { '^', 0 };
	size_t i, run = 0;
	int r = 0;

	for (i = 0; i < len && r == 0; i++) {
		if ((p[i] >= 0x20 && p[i] != 0x7f && !(p[i] == 0xc2 &&
		    i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f)) ||
		    p[i] == '\n' || p[i] == '\t')
			continue;
		r = buf_add(&t->clean, s + run, i - run);
		if (p[i] == 0xc2) {
			r |= buf_add(&t->clean, "\xef\xbf\xbd", 3);
			i++;
		} else {
			caret[1] = (char)(p[i] ^ 0x40);
			r |= buf_add(&t->clean, caret, 2);
		}
		run = i + 1;
	}
	return r | buf_add(&t->clean, s + run, len - run);
}

int
text_write(struct text *t, struct out *o, const char *s, size_t len)
{
	if (len == 0)
		return 0;
	if (t->tty) {
		t->tmp.len = t->clean.len = 0;
		if (utf8_sanitize(s, len, 0, &t->tmp) == (size_t)-1 ||
		    neutralise(t, t->tmp.p, t->tmp.len) == -1)
			return -1;
		s = t->clean.p;
		len = t->clean.len;
	}
	t->written = 1;
	t->last_nl = s[len - 1] == '\n';
	return out_write(o, s, len);
}

/* The role of a frame that carries text, or NULL. */
static const char *
frame_role(const struct json_info *fi)
{
	if (!fi->content.is_string)
		return NULL;
	if (json_span_eq(&fi->type, "token"))
		return "assistant";
	if (json_span_eq(&fi->type, "user"))
		return "user";
	if (!json_span_eq(&fi->type, "message"))
		return NULL;
	if (!fi->role.present || json_span_eq(&fi->role, "assistant"))
		return "assistant";
	if (json_span_eq(&fi->role, "user"))
		return "user";
	if (json_span_eq(&fi->role, "system"))
		return "system";
	return "other";
}

/* Transcript: start a block unless the frame goes on the open one. */
static int
block(struct text *t, const struct json_info *fi, const char *role,
    struct out *o)
{
	int same = t->role[0] != '\0' && strcmp(t->role, role) == 0;

	if (same && json_span_eq(&fi->type, "message"))
		same = fi->id.is_string && t->id.len == fi->id.len &&
		    memcmp(t->id.p, fi->id.p, fi->id.len) == 0;
	else if (same)
		same = json_span_eq(&fi->type, "token");
	if (same)
		return 0;
	if (t->blocks > 0) {
		text_end(t, o, 0);
		if (out_write(o, "\n", 1) == -1)
			return -1;
	}
	t->blocks++;
	strcpy(t->role, role);
	t->id.len = 0;
	if (fi->id.is_string && buf_add(&t->id, fi->id.p, fi->id.len) == -1)
		return -1;
	if (out_write(o, role, strlen(role)) == -1 ||
	    out_write(o, ": ", 2) == -1)
		return -1;
	t->written = 1;
	t->last_nl = 0;
	return 0;
}

int
text_frame(struct text *t, const struct json_info *fi, struct out *o)
{
	const char *role = frame_role(fi);

	if (role == NULL || t->mode == TEXT_OFF)
		return 0;
	if (t->mode == TEXT_REPLY && strcmp(role, "assistant") != 0)
		return 0;
	if (t->mode == TEXT_TRANSCRIPT && block(t, fi, role, o) == -1)
		return -1;
	t->raw.len = 0;
	if (json_span_text(&fi->content, &t->raw) == -1)
		return -1;
	return text_write(t, o, t->raw.p, t->raw.len);
}

void
text_end(struct text *t, struct out *o, int separate)
{
	if (t->written && !t->last_nl)
		out_write(o, "\n", 1);
	t->written = t->last_nl = 0;
	t->role[0] = '\0';
	t->blocks = 0;
	if (separate)
		out_write(o, t->tty ? "\n" : "\0", 1);
}

void
text_free(struct text *t)
{
	buf_free(&t->id);
	buf_free(&t->raw);
	buf_free(&t->tmp);
	buf_free(&t->clean);
}
