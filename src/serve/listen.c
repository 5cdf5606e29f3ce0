/*
 * chatcat serve's listener (listen.h).  The listening socket is made here
 * and adopted into the loop like the signal pipe; each connection it
 * accepts is handed to lws as if lws had accepted it, so every WebSocket
 * connection is a `struct conn` (lws' per-session data) and the callback
 * hands each event to the file that handles it.
 */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conn.h"
#include "job.h"
#include "listen.h"
#include "upgrade.h"
#include "lib/hostport.h"
#include "lib/msg.h"
#include "lib/sig.h"

#define ACCEPTS_PER_CALL 64          /* then the loop serves the others */
#define LISTEN_RETRY_US (250 * 1000) /* at the descriptor limit */

int
listen_parse(const char *spec, char *addr, size_t addrsz, int *port)
{
	const char *colon = strrchr(spec, ':'), *host = "127.0.0.1";
	const char *p = colon ? colon + 1 : spec;
	size_t hlen = strlen(host);
	char *end;
	long v;
	int none, ok = 1;

	if (colon != NULL) {
		ok = hostport_split(spec, (size_t)(colon - spec), &host, &hlen,
		    &none) == HOSTPORT_OK;
		if (spec[0] != '[' && memchr(spec, ':', (size_t)(colon - spec))) {
			msg_error("--listen: an IPv6 address goes in brackets,"
			    " as in [::1]:8765; got '%s'", spec);
			return -1;
		}
	}
	errno = 0;
	v = strtol(p, &end, 10);
	if (!ok || errno != 0 || end == p || *end != '\0' || v < 0 ||
	    v > 65535 || hlen >= addrsz) {
		msg_error("--listen: expected [ADDR:]PORT, got '%s'", spec);
		return -1;
	}
	snprintf(addr, addrsz, "%.*s", (int)hlen, host);
	*port = (int)v;
	return 0;
}

/* The listening socket on addr:port; -1 after saying why. */
static int
open_listener(const char *addr, int port, char *where, size_t wheresz)
{
	struct addrinfo hints = { .ai_flags = AI_PASSIVE | AI_NUMERICSERV,
	    .ai_socktype = SOCK_STREAM }, *ai, *res = NULL;
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char ps[8];
	int fd = -1, e = 0, one = 1, r;

	snprintf(ps, sizeof(ps), "%d", port);
	snprintf(where, wheresz, strchr(addr, ':') ? "[%s]:%d" : "%s:%d",
	    addr, port);
	r = getaddrinfo(addr, ps, &hints, &res);
	if (r != 0) {
		msg_error("serve: cannot listen on %s: %s", where,
		    r == EAI_SYSTEM ? strerror(errno) : gai_strerror(r));
		return -1;
	}
	for (ai = res; ai != NULL && fd == -1; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, ai->ai_protocol);
		if (fd == -1) {
			e = errno;
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == -1 ||
		    listen(fd, SOMAXCONN) == -1) {
			e = errno;
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd == -1) {
		msg_error("serve: cannot listen on %s: %s", where, strerror(e));
		return -1;
	}
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0)
		hostport_format((struct sockaddr *)&ss, where, wheresz);
	return fd;
}

static void
listen_due(lws_sorted_usec_list_t *sul)
{
	listen_resume(lws_container_of(sul, struct server, listen_sul));
}

/* Out of descriptors: stop watching the listener until one frees (a
 * connection closes) or a while has passed. */
static void
listen_pause(struct server *s)
{
	if (!s->listen_paused) {
		msg_info("serve: out of file descriptors: not accepting until"
		    " one frees");
		s->listen_paused = 1;
		lws_rx_flow_control(s->listen_wsi, 0);
	}
	lws_sul_schedule(s->ctx, 0, &s->listen_sul, listen_due,
	    LISTEN_RETRY_US);
}

void
listen_resume(struct server *s)
{
	if (!s->listen_paused || s->listen_wsi == NULL)
		return;
	s->listen_paused = 0;
	lws_sul_cancel(&s->listen_sul);
	lws_rx_flow_control(s->listen_wsi, 1);
}

/* The listener is readable: hand what it accepts to lws. */
static void
accept_some(struct server *s)
{
	int i, fd, one = 1;

	for (i = 0; i < ACCEPTS_PER_CALL; i++) {
		fd = accept4(s->listen_fd, NULL, NULL, SOCK_NONBLOCK |
		    SOCK_CLOEXEC);
		if (fd == -1 && (errno == EINTR || errno == ECONNABORTED))
			continue;
		if (fd == -1 && (errno == EMFILE || errno == ENFILE ||
		    errno == ENOBUFS || errno == ENOMEM)) {
			listen_pause(s);
			return;
		}
		if (fd == -1)
			return;  /* EAGAIN: no more for now */
		/* Small frames go out at once (lws sets this on the sockets
		 * it accepts itself; these it adopts). */
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		/* NULL: lws has no room for it (and closed it). */
		if (lws_adopt_socket_vhost(s->vh, fd) == NULL) {
			listen_pause(s);
			return;
		}
	}
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
		upgrade_refuse(wsi, 404, "Not Found");
		return -1;  /* Connection: close */
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
	case LWS_CALLBACK_WSI_DESTROY:
		listen_resume(s);  /* a descriptor is free */
		return 0;
	case LWS_CALLBACK_RAW_RX_FILE:
		if (wsi == s->listen_wsi)
			accept_some(s);
		else
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
report(const char *where, const char *token)
{
	if (token[0] != '\0')
		printf("CHATCAT_URL=ws://%s/chat/ws CHATCAT_TOKEN=%s\n", where,
		    token);
	else
		printf("CHATCAT_URL=ws://%s/chat/ws\n", where);
	if (fflush(stdout) == EOF) {
		msg_error("stdout: %s", strerror(errno));
		return -1;
	}
	msg_notice("serve: listening on %s", where);
	return 0;
}

/* Adopt a descriptor into the loop under the chat protocol. */
static struct lws *
adopt(struct server *s, int fd)
{
	lws_sock_file_fd_type d;

	d.filefd = fd;
	return lws_adopt_descriptor_vhost(s->vh, LWS_ADOPT_RAW_FILE_DESC, d,
	    "chat", NULL);
}

int
listen_start(struct server *s, const char *addr, int port,
    const char *token)
{
	static const struct lws_protocols chat = {
		"chat", callback, sizeof(struct conn), 65536, 0, NULL, 0
	};
	struct lws_context_creation_info info;
	char where[INET6_ADDRSTRLEN + 16];
	int sfd;

	s->listen_fd = open_listener(addr, port, where, sizeof(where));
	if (s->listen_fd == -1)
		return -1;
	/* Upgrades without a subprotocol bind to the first protocol. */
	s->protocols[0] = chat;
	s->protocols[1] = job_protocol;
	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN_SERVER;
	info.protocols = s->protocols;
	info.user = s;
	info.gid = -1;
	info.uid = -1;
	info.pt_serv_buf_size = 16384;
	/* A request line with the longest credential (AUTH_SECRET_MAX
	 * bytes, each maybe %-encoded) fits. */
	info.max_http_header_data = 3 * AUTH_SECRET_MAX + 4096;
	keepalive(&s->keepalive, s->cfg);
	info.retry_and_idle_policy = &s->keepalive;
	info.options = LWS_SERVER_OPTION_VALIDATE_UTF8;
	s->ctx = lws_create_context(&info);
	if (s->ctx == NULL) {
		msg_error("serve: cannot set up the event loop");
		return -1;
	}
	s->vh = lws_get_vhost_by_name(s->ctx, "default");
	if (s->vh == NULL)
		return -1;
	s->listen_wsi = adopt(s, s->listen_fd);
	if (s->listen_wsi == NULL) {
		close(s->listen_fd);
		msg_error("serve: cannot listen on %s: cannot watch the socket",
		    where);
		return -1;
	}
	sfd = sig_open();
	if (sfd == -1 || adopt(s, sfd) == NULL)
		return -1;
	return report(where, token);
}
