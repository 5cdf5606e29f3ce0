/*
 * chatcat serve (serve.h): open the store, decide who may connect,
 * listen (listen.c), run the loop until SIGINT or SIGTERM, then stop:
 * every client is closed with 1001, the agents are killed, and what they
 * still wrote is committed within a grace period.
 */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "auth.h"
#include "commit.h"
#include "conn.h"
#include "history.h"
#include "job.h"
#include "listen.h"
#include "message.h"
#include "serve.h"
#include "server.h"
#include "store.h"
#include "strays.h"
#include "lib/buf.h"
#include "lib/io.h"
#include "lib/msg.h"
#include "lib/sig.h"

#define STOP_GRACE_US (3 * 1000 * 1000)

/* The default database: $XDG_STATE_HOME/chatcat/chat.db, its missing
 * directories made (what cannot be made is store_open()'s to report). */
static char *
default_db(void)
{
	struct buf b = { 0 };

	if (io_state_dir(&b, 1) == -1 && errno == ENOENT) {
		buf_adds(&b, "./chatcat");  /* no home: here */
		mkdir(b.p, 0700);
	}
	if (buf_adds(&b, "/chat.db") == -1) {
		buf_free(&b);
		return NULL;
	}
	return b.p;
}

/* Who may connect; without any credential, the database's own token. */
static int
principals(struct server *s, char *token, size_t tokensz)
{
	const struct serve_config *cfg = s->cfg;

	const char *why;

	s->auth = auth_new();
	if (s->auth == NULL)
		return -1;
	if (cfg->auth_file != NULL && auth_load(s->auth, cfg->auth_file) == -1)
		return -1;
	/* An empty --token "$UNSET" would let anyone in. */
	if (cfg->cred_kind != NULL &&
	    (why = auth_secret_why(cfg->cred_kind, cfg->cred)) != NULL) {
		msg_error("serve: --%s: %s", strcmp(cfg->cred_kind, "key") == 0 ?
		    "api-key" : "token", why);
		return -1;
	}
	if (cfg->cred_kind != NULL &&
	    auth_add(s->auth, cfg->cred_kind, cfg->cred) == -1)
		return -1;
	token[0] = '\0';
	if (auth_count(s->auth) > 0)
		return 0;
	if (store_local_token(s->store, token, tokensz) == -1)
		return -1;
	return auth_add(s->auth, "token", token);
}

static void
stop_expired(lws_sorted_usec_list_t *sul)
{
	struct server *s = lws_container_of(sul, struct server, stop_sul);

	s->stopped = 1;
	lws_cancel_service(s->ctx);  /* or poll() sleeps on */
}

/* Close every client with 1001 and stop the agents. */
static void
begin_stop(struct server *s)
{
	struct conn *c;
	struct job *j;

	for (c = s->conns; c != NULL; c = c->next) {
		c->close_code = LWS_CLOSE_STATUS_GOINGAWAY;
		lws_callback_on_writable(c->wsi);
	}
	message_stop_queued(s);
	for (j = s->jobs; j != NULL; j = j->next)
		job_kill(j, SIGTERM);
	s->stop_begun = 1;
	lws_sul_schedule(s->ctx, 0, &s->stop_sul, stop_expired,
	    STOP_GRACE_US);
}

/* How the store is opened: --sync, and the test-only page cap. */
static int
db_config(const struct serve_config *cfg, struct store_config *dc)
{
	const char *v = getenv("CHATCAT_TEST_MAX_PAGES");
	char *end;

	dc->sync_full = cfg->sync_full;
	dc->max_pages = 0;
	if (v == NULL || v[0] == '\0')
		return 0;
	errno = 0;
	dc->max_pages = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || dc->max_pages < 1) {
		msg_error("CHATCAT_TEST_MAX_PAGES: expected a number of pages,"
		    " got '%s'", v);
		return -1;
	}
	return 0;
}

/* A request read from a connection: a history or a message. */
static void
start_request(struct conn *c, struct req *r)
{
	if (r->type == SERVE_HISTORY)
		history_start(c, r->thread);
	else
		message_start(c, r);
}

enum exit_status
serve_run(const struct serve_config *cfg)
{
	struct server s = { .cfg = cfg, .listen_fd = -1,
	    .max_jobs = cfg->max_jobs, .up = { .request = start_request,
	    .history_room = history_pump, .job_done = message_job_done } };
	struct store_config dc;
	char addr[256], token[64], *db = NULL;
	int port;
	enum exit_status st = EXIT_USAGE;

	lws_set_log_level(cfg->verbose >= 2 ?
	    LLL_ERR | LLL_WARN | LLL_NOTICE : 0, NULL);
	if (listen_parse(cfg->listen ? cfg->listen : "127.0.0.1:8765", addr,
	    sizeof(addr), &port) == -1 || db_config(cfg, &dc) == -1)
		return EXIT_USAGE;
	if (s.max_jobs == 0)
		s.max_jobs = 4 * (unsigned)(sysconf(_SC_NPROCESSORS_ONLN) > 0 ?
		    sysconf(_SC_NPROCESSORS_ONLN) : 1);
	db = cfg->db ? NULL : default_db();
	s.store = store_open(cfg->db ? cfg->db : db ? db : "chat.db", &dc);
	/* The ready line will carry a token: a standard output file that
	 * others may read is made private first, or the start is refused. */
	if (s.store == NULL || principals(&s, token, sizeof(token)) == -1 ||
	    (token[0] != '\0' && io_make_private(NULL, STDOUT_FILENO,
	    "standard output") == -1))
		goto out;
	/* Descendants that leave their agent's process group come back
	 * to the server when orphaned, which kills them (job.c). */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	st = EXIT_LISTEN;
	if (listen_start(&s, addr, port, token) == -1)
		goto out;
	st = EXIT_DONE;
	while (!s.stopped && lws_service(s.ctx, 0) >= 0) {
		if (s.stopping && !s.stop_begun)
			begin_stop(&s);
		if (s.stopping && s.conns == NULL && s.jobs == NULL)
			break;
	}
	commit_flush(&s);
	commit_interrupt(&s);
	lws_sul_cancel(&s.flush_sul);
out:
	sig_close();
	while (s.jobs != NULL) {
		/* Still running after the grace period: killed and reaped. */
		struct job *j = s.jobs;

		s.jobs = j->next;
		job_free(j);
		free(j);
	}
	strays_sweep(NULL);  /* and what the agents left behind */
	lws_sul_cancel(&s.sweep_sul);
	if (s.ctx != NULL)
		lws_context_destroy(s.ctx);  /* closes the listener too */
	else if (s.listen_fd != -1)
		close(s.listen_fd);
	store_close(s.store);
	auth_free(s.auth);
	free(db);
	return st;
}
