/*
 * The HTTP side of chatcat serve (upgrade.h): an upgrade is accepted only
 * for /chat/ws with a credential a principal presents (?key= or ?token=);
 * anything else gets an HTTP status and a JSON detail.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "upgrade.h"

int
upgrade_refuse(struct lws *wsi, unsigned int status, const char *detail)
{
	unsigned char hdr[LWS_PRE + 1024], *start = hdr + LWS_PRE, *p = start;
	unsigned char body[LWS_PRE + 256];
	int n;

	n = snprintf((char *)body + LWS_PRE, sizeof(body) - LWS_PRE,
	    "{\"detail\":\"%s\"}", detail);
	if (lws_add_http_common_headers(wsi, status, "application/json",
	    (lws_filepos_t)n, &p, hdr + sizeof(hdr) - 1) ||
	    lws_finalize_write_http_header(wsi, start, &p,
	    hdr + sizeof(hdr) - 1))
		return -1;
	if (lws_write(wsi, body + LWS_PRE, (size_t)n,
	    LWS_WRITE_HTTP_FINAL) != n)
		return -1;
	return 1;
}

int
upgrade_owner(const struct auth *a, struct lws *wsi, char *id,
    const char **why)
{
	char buf[4096];
	const char *v;

	v = lws_get_urlarg_by_name(wsi, "key=", buf, sizeof(buf));
	if (v != NULL) {
		*why = "Invalid API key";
		return auth_check(a, "key", v, id);
	}
	v = lws_get_urlarg_by_name(wsi, "token=", buf, sizeof(buf));
	if (v == NULL) {
		*why = "Missing token parameter";
		return -1;
	}
	*why = "Invalid or expired token";
	return auth_check(a, "token", v, id);
}

/* Whether the request is for the API's endpoint. */
static int
right_path(struct lws *wsi)
{
	char uri[256];

	if (lws_hdr_copy(wsi, uri, sizeof(uri), WSI_TOKEN_GET_URI) <= 0)
		return 0;
	return strcmp(uri, "/chat/ws") == 0;
}

int
upgrade_check(const struct auth *a, struct lws *wsi)
{
	char id[AUTH_ID_LEN + 1];
	const char *why;

	if (!right_path(wsi))
		return upgrade_refuse(wsi, 404, "Not Found");
	if (upgrade_owner(a, wsi, id, &why) == -1)
		return upgrade_refuse(wsi, 401, why);
	return 0;
}
