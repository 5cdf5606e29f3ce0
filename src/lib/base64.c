/* base64 (RFC 4648), with padding (base64.h). */
#include <config.h>

#include "base64.h"

void
base64_encode(char *out, const uint8_t *in, size_t n)
{
	static const char abc[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t v;
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		*out++ = abc[v >> 18];
		*out++ = abc[(v >> 12) & 63];
		*out++ = abc[(v >> 6) & 63];
		*out++ = abc[v & 63];
	}
	if (i < n) {
		v = (uint32_t)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		*out++ = abc[v >> 18];
		*out++ = abc[(v >> 12) & 63];
		*out++ = i + 1 < n ? abc[(v >> 6) & 63] : '=';
		*out++ = '=';
	}
	*out = '\0';
}
