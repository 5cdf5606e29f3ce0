/* JSON text to a jq value, faster than jv_parse_sized() (jq 1.6). */
#ifndef CHATCAT_JQVALUE_H
#define CHATCAT_JQVALUE_H

#include <stddef.h>

#include <jv.h>

#include "buf.h"

/*
 * Build *out from the JSON text json[0..len) (scratch holds unescaped
 * strings).  -1 when the text is anything but plain JSON this builds
 * exactly as jq would: then use jv_parse_sized(), which decides.
 */
int jq_value(const char *json, size_t len, struct buf *scratch, jv *out);

#endif
