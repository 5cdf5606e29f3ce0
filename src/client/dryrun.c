/*
 * The dry run (dryrun.h).  It reads stdin with blocking reads: there is
 * no connection to serve meanwhile.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "dryrun.h"
#include "input.h"
#include "jsonstream.h"
#include "lib/buf.h"
#include "target.h"

struct dry {
	const struct client_config *cfg;
	struct input_config input;
	struct buf frame;
	int bad_input;
	int stop;                /* --strict after bad input, or stdout gone */
	int out_error;           /* errno of a failed write to stdout */
};

/* Whether a header's name suggests its value is a secret. */
static int
secret_header(const char *h, size_t namelen)
{
	static const char *const words[] = { "auth", "cookie", "token",
	    "key", "secret", "pass", "session", "signature" };
	char name[128];
	size_t i;

	if (namelen >= sizeof(name))
		return 1;
	for (i = 0; i < namelen; i++)
		name[i] = (char)(h[i] >= 'A' && h[i] <= 'Z' ? h[i] + 32 : h[i]);
	name[namelen] = '\0';
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(name, words[i]) != NULL)
			return 1;
	return 0;
}

/* The upgrade request on stderr, "> " before each line, redacted. */
static int
show_request(const struct client_config *cfg, const struct target *t)
{
	const struct wsp_headers *h = &cfg->ws.headers;
	struct wsp_headers shown = *h;
	struct buf req = { 0 }, hb = { 0 };
	const char **extra = NULL;
	const char *path = strchr(strstr(t->display, "://") + 3, '/');
	size_t i, off;
	int rc = -1;

	if (h->nextra > 0 && (extra = calloc(h->nextra, sizeof(*extra))) ==
	    NULL)
		goto out;
	/* Each redacted header is a NUL-terminated string in hb. */
	for (i = 0; i < h->nextra; i++) {
		size_t n = strcspn(h->extra[i], ":");

		if (!secret_header(h->extra[i], n))
			continue;
		if (buf_add(&hb, h->extra[i], n) == -1 ||
		    buf_add(&hb, ": ***", 6) == -1)
			goto out;
	}
	for (i = 0, off = 0; i < h->nextra; i++) {
		if (!secret_header(h->extra[i], strcspn(h->extra[i], ":"))) {
			extra[i] = h->extra[i];
			continue;
		}
		extra[i] = hb.p + off;
		off += strlen(hb.p + off) + 1;
	}
	shown.extra = extra;
	if (wsp_request(&req, t->url.hostport, path != NULL ? path : "/",
	    "(a random key)", &shown) == -1)
		goto out;
	fprintf(stderr, "chatcat: dry run: would connect to %s%s%s\n",
	    t->display, t->proxy.host != NULL ? " through " : "",
	    t->proxy.host != NULL ? t->proxy.display : "");
	for (i = 0; i < req.len; i = off + 2) {
		off = (size_t)(strstr(req.p + i, "\r\n") - req.p);
		if (off > i)
			fprintf(stderr, "> %.*s\n", (int)(off - i), req.p + i);
	}
	rc = 0;
out:
	if (rc == -1)
		msg_error("out of memory");
	free(extra);
	buf_free(&hb);
	buf_free(&req);
	return rc;
}

/* One frame on stdout; a closed stdout stops the run quietly. */
static void
emit(struct dry *d, const struct buf *frame)
{
	if (d->stop)
		return;
	if (fwrite(frame->p, 1, frame->len, stdout) != frame->len ||
	    putchar('\n') == EOF || fflush(stdout) == EOF) {
		d->out_error = errno;
		d->stop = 1;
	}
}

/* A stdin value or error from the splitter (input_item() reports errors). */
static void
dry_item(void *ud, const struct jstream_item *it)
{
	struct dry *d = ud;
	char thread[UUID_LEN + 1];
	enum req_kind kind;

	if (d->stop)
		return;
	if (input_item(&d->input, it, &d->frame, &kind, thread) == 0) {
		emit(d, &d->frame);
		return;
	}
	d->bad_input = 1;
	if (d->cfg->strict)
		d->stop = 1;
}

/* pipe: every value of stdin. */
static int
dry_pipe(struct dry *d)
{
	struct jstream js;
	char chunk[65536];
	ssize_t n;
	int rc = 0;

	jstream_init(&js, d->cfg->max_value, d->cfg->raw_input);
	while (!d->stop) {
		n = read(STDIN_FILENO, chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			msg_error("stdin: %s", strerror(errno));
			rc = -1;
			break;
		}
		if (n == 0) {
			jstream_end(&js, dry_item, d);
			break;
		}
		if (jstream_feed(&js, chunk, (size_t)n, dry_item, d) == -1) {
			msg_error("stdin: out of memory");
			rc = -1;
			break;
		}
	}
	jstream_free(&js);
	return rc;
}

enum exit_status
dryrun_run(const struct client_config *cfg)
{
	struct dry d = { .cfg = cfg, .input = { .thread = cfg->thread,
	    .agent = cfg->agent, .raw = cfg->raw_input } };
	struct target t;
	int rc;

	if (target_open(&t, cfg->url, cfg->proxy, cfg->noproxy, cfg->cred,
	    cfg->cred_is_key) == -1)
		return EXIT_USAGE;
	rc = show_request(cfg, &t);
	target_free(&t);
	if (rc == -1)
		return EXIT_USAGE;
	if (cfg->thread_made)
		msg_notice("thread %s", cfg->thread);
	if (cfg->command == CLIENT_PIPE)
		rc = dry_pipe(&d);
	else if ((cfg->command == CLIENT_SEND ? input_message(&d.frame,
	    cfg->thread, cfg->agent, cfg->content, cfg->content_len) :
	    input_history(&d.frame, cfg->thread)) == -1) {
		msg_error("out of memory");
		rc = -1;
	} else
		emit(&d, &d.frame);
	buf_free(&d.frame);
	if (d.out_error != 0 && d.out_error != EPIPE) {
		msg_error("stdout: %s", strerror(d.out_error));
		return EXIT_USAGE;
	}
	return rc == -1 || d.bad_input ? EXIT_USAGE : EXIT_DONE;
}
