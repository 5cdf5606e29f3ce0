/*
 * libFuzzer harness: the JSON scanner, its unescaping and compaction, and
 * json_add_string() against a plain byte-at-a-time escaper.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
reference_escape(struct buf *b, const uint8_t *s, size_t len)
{
	char e[8];
	size_t i;

	buf_add(b, "\"", 1);
	for (i = 0; i < len; i++) {
		if (s[i] == '"' || s[i] == '\\') {
			e[0] = '\\';
			e[1] = (char)s[i];
			buf_add(b, e, 2);
		} else if (s[i] == '\n' || s[i] == '\r' || s[i] == '\t') {
			e[0] = '\\';
			e[1] = s[i] == '\n' ? 'n' : s[i] == '\r' ? 'r' : 't';
			buf_add(b, e, 2);
		} else if (s[i] < 0x20) {
			snprintf(e, sizeof(e), "\\u%04x", s[i]);
			buf_add(b, e, 6);
		} else {
			buf_add(b, s + i, 1);
		}
	}
	buf_add(b, "\"", 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_info fi;
	struct buf b = { 0 };

	if (json_scan((const char *)data, size, &fi) != JSON_INVALID) {
		json_compact((const char *)data, size, &b);
		b.len = 0;
		if (fi.type.is_string)
			json_span_text(&fi.type, &b);
		if (fi.message.is_string)
			json_span_text(&fi.message, &b);
		json_span_eq(&fi.status, "complete");
	}
	b.len = 0;
	json_add_string(&b, (const char *)data, size);
	{
		struct buf r = { 0 };

		reference_escape(&r, data, size);
		if (r.len != b.len || memcmp(r.p, b.p, r.len) != 0)
			abort();
		buf_free(&r);
	}
	buf_free(&b);
	return 0;
}
