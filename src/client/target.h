/*
 * Where the client connects: the URL parsed, the proxy chosen (--proxy,
 * --noproxy or the environment), the request target that carries the
 * credential, and the redacted URL for messages and --events.
 */
#ifndef CHATCAT_TARGET_H
#define CHATCAT_TARGET_H

#include "ws/proxy.h"
#include "ws/url.h"

struct target {
	struct url url;
	struct proxy proxy;      /* proxy.host NULL: direct */
	char *request;           /* the request target: holds the secret */
	char *display;           /* the URL without it */
};

/* -1 after an error, which has been reported. */
int target_open(struct target *t, const char *url, const char *proxy,
    const char *noproxy, const char *cred, int cred_is_key);
void target_free(struct target *t);

#endif
