/* libFuzzer harness: the JSON scanner, its unescaping and compaction. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
	buf_free(&b);
	return 0;
}
