/*
 * libFuzzer harness: the stdin splitter and pipe's frame builder.  The
 * first byte picks -R and how the input is cut into reads; every value
 * found must be valid JSON by the other scanner too.
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
	struct buf out = { 0 };
	char thread[UUID_LEN + 1];
	enum req_kind kind;
	const char *why;

	if (it->error != NULL)
		return;
	if (!o->raw && json_scan(it->data, it->len, &fi) == JSON_INVALID)
		abort();  /* the two scanners disagree */
	input_frame(o, it->data, it->len, it->is_object, &out, &kind, thread,
	    &why);
	buf_free(&out);
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
