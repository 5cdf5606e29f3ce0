/*
 * chatcat serve's listener (listen.h): one lws context, one vhost
 * listening on --listen; every WebSocket connection is a `struct conn`
 * (lws' per-session data), and the callback hands each event to the file
 * that handles it.  The signal pipe is adopted into the same loop.
 */
#include <config.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conn.h"
#include "job.h"
#include "listen.h"
#include "upgrade.h"
#include "lib/msg.h"
#include "lib/sig.h"

int
listen_parse(const char *spec, char *addr, size_t addrsz, int *port)
{
	const char *colon = strrchr(spec, ':');
	const char *p = colon ? colon + 1 : spec;
	char *end;
	long v;

	snprintf(addr, addrsz, "%.*s", colon ? (int)(colon - spec) : 9,
	    colon ? spec : "127.0.0.1");
	errno = 0;
	v = strtol(p, &end, 10);
	if (errno != 0 || end == p || *end != '\0' || v < 0 || v > 65535 ||
	    addr[0] == '\0') {
		msg_error("--listen: expected [ADDR:]PORT, got '%s'", spec);
		return -1;
	}
	*port = (int)v;
	return 0;
}

/* SIGINT or SIGTERM arrived: the loop begins the stop. */
static void
read_signals(struct server *s, struct lws *wsi)
{
	unsigned char sig[16];

	if (read(lws_get_socket_fd(wsi), sig, sizeof(sig)) > 0 &&
	    !s->stopping) {
		msg_notice("serve: stopping");
		s->stopping = 1;
	}
}

static int
callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct server *s = lws_context_user(lws_get_context(wsi));
	struct conn *c = user;

	switch (reason) {
	case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
		return upgrade_check(s->auth, wsi);
	case LWS_CALLBACK_HTTP:
		if (upgrade_refuse(wsi, 404, "Not Found") < 0)
			return -1;
		return lws_http_transaction_completed(wsi);
	case LWS_CALLBACK_ESTABLISHED:
		conn_open(s, c, wsi);
		return 0;
	case LWS_CALLBACK_RECEIVE:
		return conn_receive(c, in, len);
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return conn_writeable(c);
	case LWS_CALLBACK_CLOSED:
		conn_closed(s, c);
		return 0;
	case LWS_CALLBACK_RAW_RX_FILE:
		read_signals(s, wsi);
		return 0;
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}

/*
 * A ping after --ping-interval without traffic; hang up when no pong
 * came --ping-timeout later (lws counts in whole seconds).
 */
static void
keepalive(lws_retry_bo_t *k, const struct serve_config *cfg)
{
	if (cfg->ping_interval > 0) {
		double ping = cfg->ping_interval < 1 ? 1 :
		    cfg->ping_interval > 30000 ? 30000 : cfg->ping_interval;
		double wait = cfg->ping_timeout < 1 ? 1 :
		    cfg->ping_timeout > 30000 ? 30000 : cfg->ping_timeout;

		k->secs_since_valid_ping = (uint16_t)ping;
		k->secs_since_valid_hangup = (uint16_t)(ping + wait);
	} else {
		k->secs_since_valid_ping = UINT16_MAX - 1;
		k->secs_since_valid_hangup = UINT16_MAX;
	}
}

/* The ready line on stdout: where to connect, and with what. */
static int
report(const char *addr, int port, const char *token)
{
	if (token[0] != '\0')
		printf("CHATCAT_URL=ws://%s:%d/chat/ws CHATCAT_TOKEN=%s\n",
		    addr, port, token);
	else
		printf("CHATCAT_URL=ws://%s:%d/chat/ws\n", addr, port);
	if (fflush(stdout) == EOF) {
		msg_error("stdout: %s", strerror(errno));
		return -1;
	}
	msg_notice("serve: listening on %s:%d", addr, port);
	return 0;
}

int
listen_start(struct server *s, const char *addr, int port,
    const char *token)
{
	static const struct lws_protocols chat = {
		"chat", callback, sizeof(struct conn), 65536, 0, NULL, 0
	};
	struct lws_context_creation_info info;
	lws_sock_file_fd_type fd;

	/* Upgrades without a subprotocol bind to the first protocol. */
	s->protocols[0] = chat;
	s->protocols[1] = job_protocol;
	memset(&info, 0, sizeof(info));
	info.port = port;
	info.iface = addr;
	info.protocols = s->protocols;
	info.user = s;
	info.gid = -1;
	info.uid = -1;
	info.pt_serv_buf_size = 16384;
	keepalive(&s->keepalive, s->cfg);
	info.retry_and_idle_policy = &s->keepalive;
	info.options = LWS_SERVER_OPTION_DISABLE_IPV6 |
	    LWS_SERVER_OPTION_VALIDATE_UTF8;
	s->ctx = lws_create_context(&info);
	if (s->ctx == NULL) {
		msg_error("serve: cannot listen on %s:%d", addr, port);
		return -1;
	}
	s->vh = lws_get_vhost_by_name(s->ctx, "default");
	fd.filefd = sig_open();
	if (s->vh == NULL || fd.filefd == -1 ||
	    lws_adopt_descriptor_vhost(s->vh, LWS_ADOPT_RAW_FILE_DESC, fd,
	    "chat", NULL) == NULL)
		return -1;
	return report(addr, lws_get_vhost_listen_port(s->vh), token);
}
