/* Random bytes from the kernel, as they are or as hex (random.h). */
#include <config.h>

#include <errno.h>
#include <stdint.h>
#include <sys/random.h>

#include "hex.h"
#include "random.h"

int
random_bytes(void *buf, size_t n)
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

int
random_hex(char *out, size_t n)
{
	uint8_t b[64];

	if (n > sizeof(b) || random_bytes(b, n) == -1)
		return -1;
	hex_encode(out, b, n);
	return 0;
}
