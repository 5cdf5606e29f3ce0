/* JSON text to a jq value, faster than jv_parse_sized() (jq 1.6). */
#ifndef CHATCAT_JQVALUE_H
#define CHATCAT_JQVALUE_H

#include <stddef.h>

#include <jv.h>

#include "lib/buf.h"

#define JQ_KEYS 16
#define JQ_KEY_MAX 23

/*
 * What jqvalue_read() keeps between frames: a buffer for unescaped strings,
 * and the object keys seen first (frames repeat theirs), shared by
 * reference so each is allocated and hashed once.  Zero it to start.
 */
struct jqvalue_reader {
	struct buf scratch;
	struct {
		char name[JQ_KEY_MAX + 1];
		size_t len;
		jv key;
	} keys[JQ_KEYS];
	int nkeys;
};

/*
 * Build *out from the JSON text json[0..len).  -1 when the text is
 * anything but plain JSON this builds exactly as jq would: then use
 * jv_parse_sized(), which decides.
 */
int jqvalue_read(const char *json, size_t len, struct jqvalue_reader *rd,
    jv *out);
void jqvalue_reader_free(struct jqvalue_reader *rd);

#endif
