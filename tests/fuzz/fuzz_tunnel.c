/*
 * libFuzzer harness: the proxy's answer to CONNECT (tunnel.c), and the
 * proxy URL and no_proxy parsers (proxy.c).  The first byte picks which,
 * and for the answer the size of the reads.  The answer parser must give
 * the same result, and leave the same bytes to the tunnel, whether the
 * input comes at once or in pieces.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/msg.h"
#include "ws/proxy.h"
#include "ws/tunnel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Feed in reads of chunk bytes; *rest: where the tunnel's bytes start. */
static enum tunnel_state
feed(const char *s, size_t n, size_t chunk, size_t *rest)
{
	struct tunnel_response r;
	enum tunnel_state st = TUNNEL_MORE;
	size_t off;

	memset(&r, 0, sizeof(r));
	*rest = n;
	for (off = 0; off < n; off += chunk) {
		size_t k = n - off < chunk ? n - off : chunk;

		st = tunnel_feed(&r, s + off, k);
		if (r.used > k)
			abort();
		if (st != TUNNEL_MORE) {
			*rest = off + r.used;
			break;
		}
		if (r.used != k)
			abort();
	}
	if (st == TUNNEL_OPEN || st == TUNNEL_REFUSED) {
		size_t len;

		tunnel_status_text(&r, &len);
		if (r.status < 100 || r.status > 999)
			abort();
	}
	tunnel_response_free(&r);
	return st;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data + 1;
	size_t n = size - 1, rest1, rest2;
	enum tunnel_state a, b;

	if (size < 1)
		return 0;
	msg_set_verbosity(0, 1);
	if (data[0] & 1) {
		a = feed(s, n, n ? n : 1, &rest1);
		b = feed(s, n, (size_t)(data[0] >> 1) + 1, &rest2);
		/* "bad" may be found earlier in pieces, never differently */
		if (a != b || (a != TUNNEL_BAD && rest1 != rest2))
			abort();
	} else {
		char *z = malloc(size);
		struct proxy p;
		size_t cut;

		if (z == NULL)
			return 0;
		memcpy(z, s, n);
		z[n] = '\0';
		cut = strcspn(z, "\n");
		if (z[cut] == '\n') {
			/* "LIST\nHOST": the no_proxy matcher */
			z[cut] = '\0';
			proxy_exempt(z, z + cut + 1, 443);
		} else if (proxy_parse(z, "fuzz", &p) == 0) {
			const char *at;

			/* User information is only ever shown as "***". */
			if (p.host == NULL || p.display == NULL)
				abort();
			at = strchr(p.display, '@');
			if ((at != NULL) != (p.auth != NULL) ||
			    (at != NULL && strncmp(p.display, "http://***@",
			    11) != 0))
				abort();
			proxy_free(&p);
		}
		free(z);
	}
	return 0;
}
