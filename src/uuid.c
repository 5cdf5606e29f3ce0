/* UUIDs and random ids: validation of user input, fresh thread ids,
 * fence types and tokens. */
#include <config.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "uuid.h"

int
uuid_valid(const char *s)
{
	size_t i;

	if (strlen(s) != UUID_LEN)
		return 0;
	for (i = 0; i < UUID_LEN; i++) {
		int dash = (i == 8 || i == 13 || i == 18 || i == 23);
		char c = s[i];

		if (dash ? c != '-' : !((c >= '0' && c <= '9') ||
		    (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return 0;
	}
	return 1;
}

int
uuid_random_bytes(void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n > 0) {
		ssize_t r = getrandom(p, n, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

void
hex_encode(char *out, const void *in, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *p = in;
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[p[i] >> 4];
		out[2 * i + 1] = hex[p[i] & 15];
	}
	out[2 * n] = '\0';
}

int
random_hex(char *out, size_t n)
{
	uint8_t b[64];

	if (n > sizeof(b) || uuid_random_bytes(b, n) == -1)
		return -1;
	hex_encode(out, b, n);
	return 0;
}

int
uuid_v4(char out[UUID_LEN + 1])
{
	uint8_t b[16];

	if (uuid_random_bytes(b, sizeof(b)) == -1)
		return -1;
	b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
	snprintf(out, UUID_LEN + 1,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x",
	    b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
	    b[10], b[11], b[12], b[13], b[14], b[15]);
	return 0;
}
