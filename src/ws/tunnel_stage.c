/*
 * Asking the proxy for a tunnel.  The request goes out as it is, before
 * any TLS: it holds the proxy's credentials, never the server's.
 */
#include <config.h>

#include <stdio.h>

#include "lib/msg.h"
#include "tunnel_stage.h"

int
tunnel_stage_request(struct buf *out, const struct ws_config *cfg)
{
	const struct proxy *p = cfg->proxy;

	if (tunnel_request(out, cfg->url->host, cfg->url->port, p->auth,
	    cfg->headers.user_agent) == -1) {
		msg_error("out of memory");
		return -1;
	}
	msg_info("asking the proxy %s for a tunnel to port %d",
	    p->display, cfg->url->port);
	return 0;
}

enum tunnel_state
tunnel_stage_feed(struct tunnel_response *r, const struct ws_config *cfg,
    const char *data, size_t len, char *buf, size_t size)
{
	enum tunnel_state st = tunnel_feed(r, data, len);
	const char *proxy = cfg->proxy->display;
	char shown[256];
	const char *text;
	size_t n;

	buf[0] = '\0';
	switch (st) {
	case TUNNEL_MORE:
		break;
	case TUNNEL_BAD:
		if (r->bad == NULL)
			msg_error("out of memory");
		else
			snprintf(buf, size, "%s: cannot connect: the proxy %s"
			    " sent %s", cfg->display, proxy, r->bad);
		break;
	case TUNNEL_REFUSED:
		text = tunnel_status_text(r, &n);
		msg_escape(shown, sizeof(shown), text, n, 200, 0);
		snprintf(buf, size, "%s: cannot connect: the proxy %s refused"
		    " the tunnel (HTTP %s)", cfg->display, proxy, shown);
		break;
	case TUNNEL_OPEN:
		msg_info("the proxy opened a tunnel (HTTP %d)", r->status);
		break;
	}
	return st;
}
