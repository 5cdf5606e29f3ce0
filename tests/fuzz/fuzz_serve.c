/*
 * libFuzzer harness: chatcat serve's request validator, the auth-file
 * line parser and the client's URL parser.  The first byte picks which.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "serve/auth.h"
#include "lib/msg.h"
#include "serve/req.h"
#include "ws/url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size < 1)
		return 0;
	msg_set_verbosity(0, 1);
	s = malloc(size);
	if (s == NULL)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] % 3) {
	case 0: {
		struct req r;

		req_parse((const char *)data + 1, size - 1, &r);
		req_free(&r);
		break;
	}
	case 1: {
		struct auth *a = auth_new();
		const char *why;

		if (a != NULL)
			auth_parse_line(a, s, &why);
		auth_free(a);
		break;
	}
	default: {
		struct url u;
		char *t;

		if (memchr(data + 1, '\0', size - 1) == NULL &&
		    url_parse(s, &u) == 0) {
			t = url_target(&u, 0, "secret");
			free(t);
			t = url_display(&u, 1);
			free(t);
			url_free(&u);
		}
		break;
	}
	}
	free(s);
	return 0;
}
