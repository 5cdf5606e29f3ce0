/*
 * chatcat: a pipe tool for WebSocket Chat API servers.  main() only wires
 * the modules: parse -> validate -> build -> run -> exit status.
 */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/io.h"
#include "chat/chat.h"
#include "client/client.h"
#include "client/colour.h"
#include "client/content.h"
#include "client/dryrun.h"
#include "client/filter.h"
#include "lib/msg.h"
#include "options.h"
#include "serve/serve.h"
#include "version.h"
#include "state.h"
#include "ws/ws.h"

/* The client's settings, from the options. */
static void
client_setup(const struct options *o, const struct buf *content,
    struct client_config *cfg)
{
	*cfg = (struct client_config){
		.command = o->command == CMD_SEND ? CLIENT_SEND :
		    o->command == CMD_HISTORY ? CLIENT_HISTORY :
		    o->command == CMD_CHAT ? CLIENT_CHAT : CLIENT_PIPE,
		.url = o->url, .proxy = o->proxy, .noproxy = o->noproxy,
		.cred = o->cred, .cred_is_key = o->cred_kind == CRED_KEY,
		.thread = o->thread, .thread_made = o->thread_made,
		.agent = o->agent, .content = content->p,
		.content_len = content->len, .raw_input = o->raw_input,
		.max_value = o->max_frame, .events = o->events,
		.events_fd = (int)o->events_fd, .timeout = o->timeout,
		.idle = o->idle, .fence = o->fence, .count = o->count,
		.follow = o->follow, .strict = o->strict,
		.buffered = o->buffered, .jq_exit_status = o->jq_exit_status,
		.text = o->text_reply,
		.retry = { .on = o->reconnect, .tries = o->reconnect_tries,
		    .backfill = o->backfill },
	};
	cfg->ws.headers = (struct wsp_headers){ .origin = o->origin,
	    .user_agent = o->user_agent, .extra = o->headers,
	    .nextra = o->nheaders };
	cfg->ws.tls = (struct tls_config){ .cacert = o->cacert,
	    .capath = o->capath, .cert = o->cert, .cert_key = o->cert_key,
	    .insecure = o->insecure };
	cfg->ws.connect_timeout = o->connect_timeout;
	cfg->ws.ping_interval = o->ping_interval;
	cfg->ws.ping_timeout = o->ping_timeout;
	cfg->ws.max_frame = o->max_frame;
	cfg->ws.verbose = o->verbose;
	cfg->ws.reconnect = o->reconnect;
}

static int
usage_error(void)
{
	fprintf(stderr, "Try 'chatcat --help' for more information.\n");
	return EXIT_USAGE;
}

/* The server's part of the options. */
static struct serve_config
serve_config(const struct options *o)
{
	return (struct serve_config){ .listen = o->listen, .db = o->db,
	    .sync_full = o->sync_full, .auth_file = o->auth_file,
	    .cred_kind = o->cred_kind == CRED_KEY ? "key" :
	    o->cred_kind == CRED_TOKEN ? "token" : NULL, .cred = o->cred,
	    .agent_cmd = o->agent_cmd, .agent_timeout = o->agent_timeout,
	    .max_frame = o->max_frame, .max_reply = o->max_reply,
	    .max_jobs = (unsigned)o->max_jobs, .ping_interval = o->ping_interval,
	    .ping_timeout = o->ping_timeout, .verbose = o->verbose };
}

/*
 * A closed stdin or stdout that the command needs is an error before
 * anything is sent (io_std_open() put /dev/null there meanwhile).
 */
static int
std_check(const struct options *o, unsigned closed)
{
	int reads = o->command == CMD_PIPE || o->command == CMD_CHAT ||
	    (o->command == CMD_SEND && content_from_stdin(o->text, o->ntext));

	if ((closed & 1) && reads) {
		msg_error("stdin: %s", strerror(EBADF));
		return -1;
	}
	if ((closed & 2) && o->command != CMD_SERVE) {
		msg_error("stdout: %s", strerror(EBADF));
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct options o;
	struct filter *filter = NULL;
	struct filter_config fc;
	struct client_config cc;
	struct buf content = { 0 };
	int status;

	unsigned closed = io_std_open();

	/* A closed stdout shows up as EPIPE from write(2). */
	signal(SIGPIPE, SIG_IGN);
	if (options_parse(&o, argc, argv) == -1) {
		status = usage_error();
		goto out;
	}
	msg_set_verbosity(o.verbose, o.quiet);
	if (std_check(&o, closed) == -1) {
		status = EXIT_USAGE;
		goto out;
	}
	if (o.command == CMD_HELP || o.command == CMD_VERSION) {
		if (o.command == CMD_HELP)
			options_usage(o.help_for);
		else
			version_print();
		status = EXIT_DONE;
		goto out;
	}
	if (options_validate(&o) == -1) {
		status = usage_error();
		goto out;
	}
	fc = (struct filter_config){ .jq = o.jq, .jq_file = o.jq_file,
	    .until = o.until, .args = o.jq_args, .nargs = o.njq_args,
	    .raw_output = o.raw_output, .join_output = o.join_output,
	    .ascii = o.ascii, .sort_keys = o.sort_keys, .tab = o.tab,
	    .indent = o.indent, .color = o.color };
	switch (filter_new(&fc, &filter)) {
	case FILTER_OK:
		break;
	case FILTER_BAD_ARG:
		status = EXIT_USAGE;
		goto out;
	case FILTER_BAD_EXPR:
		status = EXIT_JQ_COMPILE;
		goto out;
	}
	if (o.command == CMD_SERVE) {
		struct serve_config sc = serve_config(&o);

		status = serve_run(&sc);
		goto out;
	}
	if (o.command == CMD_SEND && content_read(o.text, o.ntext, &content) == -1) {
		status = EXIT_USAGE;
		goto out;
	}
	client_setup(&o, &content, &cc);
	colour_init(o.color);
	if (o.command == CMD_CHAT) {  /* text, and reconnecting quietly */
		cc.text = cc.retry.on = cc.retry.backfill = 1;
		cc.ws.reconnect = 1;
		cc.retry.tries = 10;
		status = chat_run(&cc);
	} else
		status = o.dry_run ? dryrun_run(&cc) : client_run(&cc, filter);
	if (status == EXIT_CONNECT && o.url_default)
		msg_error("no server at the default URL: start one with"
		    " 'chatcat serve' or name yours with -u or CHATCAT_URL");
	/* For --continue; a failure to record is said, the run stands. */
	if (status == EXIT_DONE && !o.dry_run && o.thread != NULL)
		(void)state_record(o.state_key, o.thread);
out:
	filter_free(filter);
	buf_free(&content);
	options_free(&o);
	if (fflush(stdout) == EOF && errno != EPIPE && status == EXIT_DONE) {
		msg_error("stdout: %s", strerror(errno));
		status = EXIT_USAGE;
	}
	return status;
}
