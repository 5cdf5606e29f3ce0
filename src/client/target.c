/*
 * The client's target, made once before the first connection.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/msg.h"
#include "target.h"

int
target_open(struct target *t, const char *url, const char *proxy,
    const char *noproxy, const char *cred, int cred_is_key)
{
	memset(t, 0, sizeof(*t));
	if (url_parse(url, &t->url) == -1)
		return -1;
	if (proxy_choose(&t->url, proxy, noproxy, &t->proxy) == -1) {
		url_free(&t->url);
		memset(t, 0, sizeof(*t));
		return -1;
	}
	t->request = url_target(&t->url, cred_is_key, cred);
	t->display = url_display(&t->url, cred_is_key);
	if (t->request == NULL || t->display == NULL) {
		msg_error("out of memory");
		target_free(t);
		return -1;
	}
	return 0;
}

void
target_free(struct target *t)
{
	secret_free(t->request);
	free(t->display);
	url_free(&t->url);
	proxy_free(&t->proxy);
	memset(t, 0, sizeof(*t));
}
