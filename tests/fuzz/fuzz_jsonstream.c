/*
 * libFuzzer harness: the stdin splitter and pipe's frame builder.  The
 * first byte picks -R and how the input is cut into reads; every value
 * found must be valid JSON to json_scan() too, and the frame built from
 * the members noted while splitting must be the one built from a scan
 * of the whole value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "client/input.h"
#include "lib/json.h"
#include "client/jsonstream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
item(void *ud, const struct jstream_item *it)
{
	const struct input_config *o = ud;
	struct json_info fi;
	struct buf out = { 0 }, again = { 0 };
	char thread[UUID_LEN + 1], thread2[UUID_LEN + 1];
	enum req_kind kind, kind2;
	const char *why, *why2;
	int r, r2;

	if (it->error != NULL)
		return;
	if (!o->raw && json_scan(it->data, it->len, &fi) == JSON_INVALID)
		abort();  /* a whole value, split in pieces or not */
	r = input_value(o, it, &out, &kind, thread, &why);
	r2 = input_frame(o, it->data, it->len, it->is_object, &again, &kind2,
	    thread2, &why2);
	if (r != r2 || (r == 0 && (kind != kind2 || strcmp(thread, thread2) ||
	    out.len != again.len || memcmp(out.p, again.p, out.len))) ||
	    (r == -1 && strcmp(why, why2) != 0))
		abort();  /* scanned once or twice, the same frame */
	buf_free(&out);
	buf_free(&again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input_config o;
	struct jstream js;
	size_t chunk, off;

	if (size < 1)
		return 0;
	memset(&o, 0, sizeof(o));
	o.raw = data[0] & 1;
	o.thread = "11111111-1111-4111-8111-111111111111";
	chunk = (size_t)(data[0] >> 1) + 1;
	jstream_init(&js, 4096, o.raw);
	for (off = 1; off < size; off += chunk)
		jstream_feed(&js, (const char *)data + off,
		    size - off < chunk ? size - off : chunk, item, &o);
	jstream_end(&js, item, &o);
	jstream_free(&js);
	return 0;
}
