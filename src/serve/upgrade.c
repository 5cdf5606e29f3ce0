/*
 * The HTTP side of chatcat serve (upgrade.h): an upgrade is accepted only
 * for /chat/ws with a credential a principal presents (?key= or ?token=);
 * anything else gets an HTTP/1.1 status and a JSON detail, and is logged
 * at -v (never with the credential).
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "upgrade.h"
#include "lib/hostport.h"
#include "lib/msg.h"

static const char *
reason_phrase(unsigned int status)
{
	switch (status) {
	case 401: return "Unauthorized";
	case 404: return "Not Found";
	default: return "Error";
	}
}

/*
 * The head is written whole, as HTTP/1.1 (lws would answer an upgrade
 * request HTTP/1.0, which clients such as Python's websockets reject),
 * with the body's type and length, and the connection closes after it.
 */
int
upgrade_refuse(struct lws *wsi, unsigned int status, const char *detail)
{
	unsigned char buf[LWS_PRE + 512], *p = buf + LWS_PRE;
	char peer[80];
	int n, body;

	body = (int)strlen(detail) + 13;  /* {"detail":"..."} */
	n = snprintf((char *)p, sizeof(buf) - LWS_PRE, "HTTP/1.1 %u %s\r\n"
	    "Content-Type: application/json\r\nContent-Length: %d\r\n"
	    "Connection: close\r\n\r\n{\"detail\":\"%s\"}", status,
	    reason_phrase(status), body, detail);
	if (n < 0 || (size_t)n >= sizeof(buf) - LWS_PRE)
		return -1;
	hostport_peer(lws_get_socket_fd(wsi), peer, sizeof(peer));
	msg_info("serve: refused %s: %u %s", peer, status, detail);
	if (lws_write(wsi, p, (size_t)n, LWS_WRITE_HTTP_FINAL) != n)
		return -1;
	return 1;
}

int
upgrade_owner(const struct auth *a, struct lws *wsi, char *id,
    const char **why)
{
	char buf[AUTH_SECRET_MAX + 16];
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
	return v[0] == '\0' ? -1 : auth_check(a, "token", v, id);
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
