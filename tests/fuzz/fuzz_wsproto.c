/*
 * libFuzzer harness: the WebSocket client codec.  The first byte picks
 * the upgrade-answer parser or the frame decoder, and the size of the
 * reads the input is fed in.  Every input is also hashed and encoded by
 * our SHA-1 and base64 and by OpenSSL's, which must agree.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "lib/base64.h"
#include "ws/sha1.h"
#include "ws/wsproto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char key[] = "dGhlIHNhbXBsZSBub25jZQ==";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t chunk, off;
	uint8_t mine[SHA1_LEN], theirs[SHA1_LEN];
	char b64[64], ob64[64];
	size_t n64 = size < 40 ? size : 40;

	sha1(data, size, mine);
	SHA1(data, size, theirs);
	if (memcmp(mine, theirs, SHA1_LEN) != 0)
		abort();
	base64_encode(b64, data, n64);
	EVP_EncodeBlock((unsigned char *)ob64, data, (int)n64);
	if (strcmp(b64, ob64) != 0)
		abort();
	if (size < 1)
		return 0;
	chunk = (size_t)(data[0] >> 1) + 1;
	if (data[0] & 1) {
		struct wsp_response r;

		memset(&r, 0, sizeof(r));
		for (off = 1; off < size; off += r.used ? r.used : chunk) {
			size_t n = size - off < chunk ? size - off : chunk;

			if (wsp_response_feed(&r, key, (const char *)data + off,
			    n) != WSP_HS_MORE)
				break;
		}
		wsp_response_free(&r);
	} else {
		struct wsp_decoder d;
		struct wsp_frame f;
		enum wsp_event e;

		wsp_decoder_init(&d, 1 << 16);
		for (off = 1; off < size; off += chunk) {
			wsp_decoder_feed(&d, data + off,
			    size - off < chunk ? size - off : chunk);
			while ((e = wsp_next(&d, &f)) != WSP_EV_MORE &&
			    e != WSP_EV_ERROR)
				;
			if (e == WSP_EV_ERROR)
				break;
		}
		wsp_decoder_free(&d);
	}
	return 0;
}
