/*
 * The client's side of the opening handshake, including the body of a
 * refused upgrade (what the server says went wrong).
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/base64.h"
#include "lib/json.h"
#include "lib/msg.h"
#include "lib/random.h"
#include "lib/utf8.h"
#include "upgrade.h"

int
upgrade_request(struct upgrade *u, struct buf *out,
    const struct ws_config *cfg)
{
	uint8_t raw[16];
	char key[WSP_KEY_LEN + 8];

	if (random_bytes(raw, sizeof(raw)) == -1) {
		msg_error("cannot make a WebSocket key");
		return -1;
	}
	base64_encode(key, raw, sizeof(raw));
	memcpy(u->key, key, WSP_KEY_LEN + 1);
	if (wsp_request(out, cfg->url->hostport, cfg->target, u->key,
	    &cfg->headers) == -1) {
		msg_error("out of memory");
		return -1;
	}
	return 0;
}

enum wsp_hs_state
upgrade_feed(struct upgrade *u, const char *data, size_t len)
{
	return wsp_response_feed(&u->resp, u->key, data, len);
}

int
upgrade_refused(const struct upgrade *u)
{
	return u->resp.head_done && u->resp.status > 101;
}

enum ws_outcome
upgrade_refusal(const struct upgrade *u, const char *display, char *buf,
    size_t size)
{
	const struct wsp_response *r = &u->resp;
	struct json_info info;
	struct buf detail = { 0 };
	int auth = r->status == 401 || r->status == 403;
	const char *line, *eol;
	char shown[512], status[128];

	line = strchr(r->head.p, ' ');
	eol = strstr(r->head.p, "\r\n");
	msg_escape(status, sizeof(status), line, (size_t)(eol - line), 100, 0);
	if (json_scan(r->body.p ? r->body.p : "", r->body.len, &info) ==
	    JSON_OBJECT && info.detail.is_string &&
	    json_span_text(&info.detail, &detail) == 0) {
		msg_escape(shown, sizeof(shown), detail.p, detail.len, 400,
		    utf8_valid(detail.p, detail.len, NULL));
		snprintf(buf, size, "%s: %s (HTTP%s): %s", display,
		    auth ? "authentication rejected" : "upgrade refused",
		    status, shown);
	} else
		snprintf(buf, size, "%s: %s (HTTP%s)", display,
		    auth ? "authentication rejected" : "upgrade refused",
		    status);
	buf_free(&detail);
	return auth ? WS_ERR_AUTH : WS_ERR_UPGRADE;
}

void
upgrade_reset(struct upgrade *u)
{
	wsp_response_free(&u->resp);
	memset(&u->resp, 0, sizeof(u->resp));
}

void
upgrade_free(struct upgrade *u)
{
	wsp_response_free(&u->resp);
}
