/*
 * Frames as JSON texts: json_scan() validates one (with jscan.h's
 * grammar) without building anything and notes the top-level members the
 * completion rules need; a text can be compacted without touching its
 * numbers (libjq 1.6 would round integers above 2^53).  Also the string
 * escaper used to build request frames.
 */
#ifndef CHATCAT_JSON_H
#define CHATCAT_JSON_H

#include <stddef.h>

#include "buf.h"
#include "jscan.h"

enum json_kind { JSON_INVALID, JSON_OBJECT, JSON_OTHER };

/* A top-level member's value as it stands in the text. */
struct json_span {
	const char *p;    /* string: the bytes between the quotes */
	size_t len;
	int present;      /* the member exists */
	int is_string;    /* ... and its value is a string */
	int is_null;      /* ... or null */
};

struct json_info {
	int has_newline;  /* a line break outside strings: needs compacting */
	size_t error_at;  /* JSON_INVALID: offset of the first bad byte */
	struct json_span type, status, thread_id, message, detail, agent_id;
	struct json_span content, id, role;
};

/* Scan s[0..len) as one JSON text. */
enum json_kind json_scan(const char *s, size_t len, struct json_info *info);

/*
 * Fill info from a scan of the text s that ended in JSCAN_DONE (the
 * marks were js's); returns the text's kind.
 */
enum json_kind json_info_from(const struct jscan *js, const char *s,
    struct json_info *info);

/*
 * Whether a scanned string member equals lit once unescaped (lit is plain
 * ASCII without quotes or backslashes).
 */
int json_span_eq(const struct json_span *sp, const char *lit);

/* Append the unescaped value of a string member to b (NUL-terminated). */
int json_span_text(const struct json_span *sp, struct buf *b);

/* Append a valid JSON text with the whitespace outside strings removed. */
int json_compact(const char *s, size_t len, struct buf *out);

/* Append s[0..len) as a quoted JSON string. */
int json_add_string(struct buf *b, const char *s, size_t len);

#endif
