/*
 * The one JSON grammar (RFC 8259): a resumable validator over a text that
 * grows at its end.  json_scan() runs it over a frame, the stdin splitter
 * over stdin as it arrives, jqvalue over a frame for jq.  It notes the
 * top-level members the completion rules need and can report every token
 * to a callback; it allocates only to match an escaped top-level key.
 */
#ifndef CHATCAT_JSCAN_H
#define CHATCAT_JSCAN_H

#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 1024

/* The top-level members noted (struct json_info names them). */
enum jscan_member { JM_TYPE, JM_STATUS, JM_THREAD_ID, JM_MESSAGE,
    JM_DETAIL, JM_AGENT_ID, JM_CONTENT, JM_ID, JM_ROLE, JM_COUNT };

/* A member's value, by offset from the start of the text. */
struct jscan_mark {
	size_t off;       /* string: the first byte after the quote */
	size_t len;       /* string: the bytes between the quotes */
	unsigned char present, is_string, is_null;
};

/*
 * Tokens as the callback sees them: p/len are the bytes between the quotes
 * of a key or a string (still escaped), or a number's text.  JSCAN_END
 * closes the innermost object or array.
 */
enum jscan_ev { JSCAN_OBJECT, JSCAN_ARRAY, JSCAN_END, JSCAN_KEY,
    JSCAN_STRING, JSCAN_NUMBER, JSCAN_TRUE, JSCAN_FALSE, JSCAN_NULL };

/* Return -1 to stop the scan (it then ends in JSCAN_ERR). */
typedef int (*jscan_cb)(void *ud, enum jscan_ev ev, const char *p,
    size_t len);

enum jscan_r { JSCAN_MORE, JSCAN_DONE, JSCAN_ERR };

struct jscan {
	unsigned char st, sub;    /* grammar state and its detail */
	unsigned char is_key;     /* the string being read is a key */
	unsigned char escaped;    /* the last key or string has a backslash */
	const char *lit;          /* the literal being matched */
	size_t depth;
	uint8_t stack[JSON_MAX_DEPTH / 8]; /* bit set: object, clear: array */
	int top_object;
	int has_newline;          /* a line break outside strings */
	size_t tok;               /* where the current token began */
	int want, fill;           /* marks: next value's, this string's */
	struct jscan_mark *marks; /* [JM_COUNT] or NULL */
	jscan_cb cb;              /* or NULL */
	void *ud;
	const char *err;          /* JSCAN_ERR: why (NULL: cb stopped) */
};

/* Start a text; marks (zeroed here) and cb may be NULL. */
void jscan_init(struct jscan *js, struct jscan_mark *marks, jscan_cb cb,
    void *ud);

/*
 * Go on scanning the text s[0..len) from *pos (0 at first; s may move
 * between calls, offsets may not).  JSCAN_DONE: one whole value ends at
 * *pos; run again, it reads whitespace and refuses anything else.
 * JSCAN_ERR: s[*pos] is the first byte that cannot be JSON (err says why).
 * JSCAN_MORE: *pos == len and the value is open.
 */
enum jscan_r jscan_run(struct jscan *js, const char *s, size_t len,
    size_t *pos);

/*
 * The text s[0..len) has ended: JSCAN_DONE if it made one value (a number
 * at the top ends here).
 */
enum jscan_r jscan_end(struct jscan *js, const char *s, size_t len);

#endif
