/*
 * chatcat chat (chat.h): the prompt loop over the client's run.  The
 * run (client/run.c) owns the connection, the completion rules and the
 * reconnect policy; it hands this front end the terminal's bytes and
 * says when nothing is pending any more, which brings the next prompt.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chat.h"
#include "edit.h"
#include "lib/buf.h"
#include "lib/io.h"
#include "lib/msg.h"
#include "lib/utf8.h"
#include "lib/uuid.h"

#define PROMPT "> "
#define PROMPT_MORE ". "

enum state { ST_CONNECTING, ST_PROMPT, ST_WAITING };

struct front {
	struct chat *run;
	struct edit *ed;
	enum state st;
	char thread[UUID_LEN + 1];
	struct buf more;         /* lines continued with a final '\' */
	int interrupted;         /* Ctrl-C on an empty line, once */
};

static const char help[] =
    "Type a message and press Enter; a line ending with \\ goes on on the"
    " next.\n"
    "  /help      this text\n"
    "  /thread    the thread's id (chatcat chat --thread ID continues it)\n"
    "  /new       start a new thread\n"
    "  /history   the thread so far\n"
    "  /quit      end the chat (or Ctrl-D on an empty line)\n"
    "  //text     send a message that starts with /text\n"
    "Ctrl-C stops waiting for a reply, or clears the line.\n";

static void
prompt(struct front *f)
{
	f->st = ST_PROMPT;
	client_input_hold(f->run, 0);
	edit_prompt(f->ed, f->more.len > 0 ? PROMPT_MORE : PROMPT);
}

static void
wait_answer(struct front *f)
{
	f->st = ST_WAITING;
	client_input_hold(f->run, 1);
}

/* A slash command; 0 when done at once (a prompt follows). */
static int
command(struct front *f, const char *line)
{
	if (strcmp(line, "/quit") == 0) {
		client_end(f->run, EXIT_DONE);
		return 1;
	}
	if (strcmp(line, "/help") == 0) {
		fputs(help, stdout);
	} else if (strcmp(line, "/thread") == 0) {
		printf("%s\n", f->thread);
	} else if (strcmp(line, "/new") == 0) {
		if (uuid_v4(f->thread) == -1)
			msg_error("chat: cannot make a thread id: no randomness");
		else
			msg_notice("thread %s", f->thread);
	} else if (strcmp(line, "/history") == 0) {
		if (client_history(f->run, f->thread) == -1)
			return 0;
		wait_answer(f);
		return 1;
	} else {
		msg_error("chat: unknown command '%.40s': /help lists them",
		    line);
	}
	fflush(stdout);
	return 0;
}

/* A line typed at the prompt, or NULL at the end of input. */
static void
on_line(void *ud, const char *line)
{
	struct front *f = ud;
	size_t len;
	const char *text;

	f->interrupted = 0;
	if (line == NULL) {
		fputs("\n", stdout);
		client_end(f->run, EXIT_DONE);
		return;
	}
	len = strlen(line);
	edit_remember(f->ed, line);
	if (len > 0 && line[len - 1] == '\\') {
		if (buf_add(&f->more, line, len - 1) == -1 ||
		    buf_add(&f->more, "\n", 1) == -1)
			msg_error("chat: out of memory");
		prompt(f);
		return;
	}
	if (buf_add(&f->more, line, len) == -1) {
		msg_error("chat: out of memory");
		f->more.len = 0;
		prompt(f);
		return;
	}
	text = f->more.p;
	len = f->more.len;
	if (text[0] == '/' && text[1] != '/') {
		f->more.len = 0;
		if (!command(f, text))
			prompt(f);
		return;
	}
	if (text[0] == '/') {
		text++;  /* "//": a literal '/' */
		len--;
	}
	if (strspn(text, " \t\n") == len) {
		f->more.len = 0;
		prompt(f);
		return;
	}
	if (!utf8_valid(text, len, NULL)) {  /* a terminal not in UTF-8 */
		msg_error("chat: the message is not UTF-8 (check LANG or"
		    " LC_ALL): not sent");
		f->more.len = 0;
		prompt(f);
		return;
	}
	if (client_message(f->run, f->thread, text, len) == -1) {
		f->more.len = 0;
		prompt(f);
		return;
	}
	f->more.len = 0;
	wait_answer(f);
}

static void
on_open(void *ud, struct chat *run, int first)
{
	struct front *f = ud;

	f->run = run;
	if (first)
		prompt(f);
}

static void
on_input(void *ud, const char *data, size_t len)
{
	struct front *f = ud;

	if (len == 0) {  /* the terminal is gone */
		client_end(f->run, EXIT_DONE);
		return;
	}
	edit_feed(f->ed, data, len);
}

static void
on_settled(void *ud)
{
	struct front *f = ud;

	if (f->st == ST_WAITING)
		prompt(f);
}

static void
on_interrupt(void *ud)
{
	struct front *f = ud;

	if (f->st == ST_CONNECTING) {
		client_end(f->run, EXIT_SIGINT);
		return;
	}
	if (f->st == ST_WAITING) {
		client_mute(f->run);
		fputs("[reply abandoned: its frames are not shown]\n", stdout);
		fflush(stdout);
		prompt(f);
		return;
	}
	if (f->more.len > 0 || !edit_empty(f->ed)) {
		f->more.len = 0;
		f->interrupted = 0;
		edit_clear(f->ed, "", PROMPT);
		return;
	}
	if (f->interrupted) {
		fputs("^C\n", stdout);
		client_end(f->run, EXIT_SIGINT);
		return;
	}
	f->interrupted = 1;
	edit_clear(f->ed, "(Ctrl-C again, or Ctrl-D, to quit)\n", PROMPT);
}

static void
on_dropped(void *ud, int during_reply)
{
	(void)ud;
	if (during_reply)
		msg_warn("the connection was lost during the reply:"
		    " reconnecting, the rest comes from the history");
}

/* $XDG_STATE_HOME/chatcat/chat_history (0600), or NULL. */
static char *
history_file(void)
{
	struct buf b = { 0 };
	int fd;

	/* A directory that cannot be made shows when the file is opened. */
	if (io_state_dir(&b, 1) == -1 && errno == ENOENT)
		return NULL;
	if (buf_adds(&b, "/chat_history") == -1)
		goto fail;
	fd = open(b.p, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1 || io_make_private(NULL, fd, b.p) == -1) {
		if (fd != -1)
			close(fd);
		goto fail;
	}
	close(fd);
	return b.p;
fail:
	msg_warn("%s: the input history is not kept", b.p ? b.p : "chat");
	buf_free(&b);
	return NULL;
}

enum exit_status
chat_run(const struct client_config *cfg)
{
	struct client_config cc = *cfg;
	struct front f = { .st = ST_CONNECTING };
	struct client_front fe = { .ud = &f, .open = on_open,
	    .input = on_input, .settled = on_settled,
	    .interrupt = on_interrupt, .dropped = on_dropped };
	enum exit_status st;
	char *hist;

	if (!isatty(0)) {
		msg_error("chat: standard input is not a terminal; to send"
		    " lines from a file or a pipe, use 'chatcat pipe -R'");
		return EXIT_USAGE;
	}
	setlocale(LC_CTYPE, "");
	snprintf(f.thread, sizeof(f.thread), "%s", cfg->thread);
	hist = history_file();
	f.ed = edit_new(hist, on_line, &f);
	free(hist);
	if (f.ed == NULL) {
		msg_error("chat: the line editor cannot start");
		return EXIT_USAGE;
	}
	cc.front = &fe;
	cc.thread = f.thread;
	st = client_run(&cc, NULL);
	edit_free(f.ed);
	buf_free(&f.more);
	return st;
}
