/* UUIDs and random ids: validation of user input, fresh thread ids,
 * fence types and tokens. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hex.h"
#include "random.h"
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

/* Format 16 bytes as 8-4-4-4-12 lower-case hex digits and a NUL. */
static void
uuid_format(char out[UUID_LEN + 1], const uint8_t b[16])
{
	static const size_t group[] = { 4, 2, 2, 2, 6 };
	size_t i, k = 0;

	for (i = 0; i < sizeof(group) / sizeof(group[0]); i++) {
		if (i > 0)
			*out++ = '-';
		hex_encode(out, b + k, group[i]);
		out += 2 * group[i];
		k += group[i];
	}
}

int
uuid_v4(char out[UUID_LEN + 1])
{
	uint8_t b[16];

	if (random_bytes(b, sizeof(b)) == -1)
		return -1;
	b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
	uuid_format(out, b);
	return 0;
}

int
uuid_v7(char (*out)[UUID_LEN + 1], size_t n)
{
	struct timespec ts;
	uint64_t ms;
	uint8_t b[16], r[8 * 10];
	size_t k;
	int i;

	if (n > sizeof(r) / 10 || clock_gettime(CLOCK_REALTIME, &ts) == -1 ||
	    random_bytes(r, n * 10) == -1)
		return -1;
	ms = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	for (i = 0; i < 6; i++)
		b[i] = (uint8_t)(ms >> (40 - 8 * i));
	for (k = 0; k < n; k++) {
		memcpy(b + 6, r + 10 * k, 10);
		b[6] = (uint8_t)((b[6] & 0x0f) | 0x70);
		b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
		uuid_format(out[k], b);
	}
	return 0;
}
