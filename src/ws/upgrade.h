/*
 * The opening handshake of one client connection: a fresh key, the
 * upgrade request, the server's answer (parsed by wsproto.c), and what to
 * say when the server refuses: its status and its body's "detail".
 */
#ifndef CHATCAT_UPGRADE_H
#define CHATCAT_UPGRADE_H

#include <stddef.h>

#include "lib/buf.h"
#include "ws_types.h"
#include "wsproto.h"

struct upgrade {
	char key[WSP_KEY_LEN + 1];
	struct wsp_response resp;  /* the answer so far */
};

/* Make a key and append the request to out; -1 after an error. */
int upgrade_request(struct upgrade *u, struct buf *out,
    const struct ws_config *cfg);
/* Feed bytes of the answer (wsp_response_feed()). */
enum wsp_hs_state upgrade_feed(struct upgrade *u, const char *data,
    size_t len);
/* Whether the answer's head is complete and refuses the upgrade. */
int upgrade_refused(const struct upgrade *u);
/*
 * A refused upgrade: WS_ERR_AUTH (401, 403) or WS_ERR_UPGRADE, and why
 * into buf, for the server display.
 */
enum ws_outcome upgrade_refusal(const struct upgrade *u, const char *display,
    char *buf, size_t size);
/* Forget the answer (a new connection). */
void upgrade_reset(struct upgrade *u);
void upgrade_free(struct upgrade *u);

#endif
