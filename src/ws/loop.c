/*
 * The client's libwebsockets context (the default poll() loop).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/msg.h"
#include "loop.h"

#define RX_BUF (64 * 1024)  /* lws reads the socket in these */

/* lws' log lines, at -vv, as chatcat's. */
static void
lws_log(int level, const char *line)
{
	(void)level;
	fprintf(stderr, "chatcat: lws: %s", line);
}

struct lws_context *
loop_new(const struct lws_protocols *protocols, void *user, int verbose)
{
	struct lws_context_creation_info info;
	struct lws_context *ctx;

	lws_set_log_level(verbose >= 2 ? LLL_ERR | LLL_WARN |
	    LLL_NOTICE | LLL_INFO : 0, lws_log);
	/* lws would send every connection through $http_proxy by itself. */
	unsetenv("http_proxy");
	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.user = user;
	info.gid = -1;
	info.uid = -1;
	info.fd_limit_per_thread = 16;
	info.pt_serv_buf_size = RX_BUF;  /* bytes per read from the socket */
	ctx = lws_create_context(&info);
	if (ctx == NULL)
		msg_error("cannot create the event loop");
	return ctx;
}
