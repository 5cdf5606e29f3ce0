/*
 * libFuzzer harness: whenever jqvalue_read() builds a value, jq's own parser
 * must build the same one (equal, and dumped to the same text).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "lib/buf.h"
#include "client/jqvalue.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct jqvalue_reader rd;   /* kept across inputs, as filter.c does */
	char *text = malloc(size + 1);
	jv mine, theirs, a, b;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';   /* jv_parse_sized wants it, as filter.c has it */
	if (jqvalue_read(text, size, &rd, &mine) == 0) {
		theirs = jv_parse_sized(text, (int)size);
		if (!jv_is_valid(theirs))
			abort();   /* we built what jq refuses */
		a = jv_dump_string(jv_copy(mine), 0);
		b = jv_dump_string(jv_copy(theirs), 0);
		if (!jv_equal(mine, theirs) ||
		    strcmp(jv_string_value(a), jv_string_value(b)) != 0)
			abort();
		jv_free(a);
		jv_free(b);
	}
	free(text);
	return 0;
}
