/*
 * libedit glue (edit.h).  libedit runs unbuffered: each byte the loop
 * read is handed to el_gets(), which returns after every key; a line is
 * complete when its buffer ends with a newline.  libedit reads through
 * getc_fn(), which takes the bytes fed; when it wants one more than
 * there is (after some keys, or in the middle of a UTF-8 character),
 * el_gets() returns NULL, and the line goes on with the next bytes.
 */
#include <config.h>

#include <errno.h>
#include <histedit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "edit.h"
#include "lib/buf.h"
#include "lib/io.h"
#include "lib/lazylib.h"
#include "lib/msg.h"

#define HISTORY_SIZE 1000
#define CTRL_D '\004'  /* what unbuffered el_gets() returns at the end */

struct edit {
	EditLine *el;
	History *hist;
	HistEvent he;
	char *history;           /* the history file, or NULL */
	edit_line_fn *fn;
	void *ud;
	struct buf queue;        /* bytes fed, not yet taken */
	size_t taken;
	const char *prompt;
	int active;              /* a prompt is up */
	int starved;             /* libedit wanted a byte not yet read */
};

/*
 * libedit, loaded when a chat starts: the other commands never need it, so
 * it costs their start-up nothing (bench/README.md).  Its functions are
 * called through these pointers, with libedit's own prototypes.
 */
static const char *const ed_syms[] = { "el_init", "el_end", "el_set",
    "el_gets", "el_line", "el_source", "history_init", "history_end",
    "history" };
static void (*ed_fns[sizeof(ed_syms) / sizeof(ed_syms[0])])(void);
static struct lazylib ed_lib = { "libedit.so.2", "libedit2", ed_syms, ed_fns,
    sizeof(ed_syms) / sizeof(ed_syms[0]), 0 };
static struct {
	EditLine *(*el_init)(const char *, FILE *, FILE *, FILE *);
	void (*el_end)(EditLine *);
	int (*el_set)(EditLine *, int, ...);
	const char *(*el_gets)(EditLine *, int *);
	const LineInfo *(*el_line)(EditLine *);
	int (*el_source)(EditLine *, const char *);
	History *(*history_init)(void);
	void (*history_end)(History *);
	int (*history)(History *, HistEvent *, int, ...);
} ed;

/* Load libedit (exit 2 naming the package when it is missing). */
static void
ed_load(void)
{
	if (ed_lib.loaded)
		return;
	lazylib_load(&ed_lib);
	ed.el_init = (__typeof__(ed.el_init))ed_fns[0];
	ed.el_end = (__typeof__(ed.el_end))ed_fns[1];
	ed.el_set = (__typeof__(ed.el_set))ed_fns[2];
	ed.el_gets = (__typeof__(ed.el_gets))ed_fns[3];
	ed.el_line = (__typeof__(ed.el_line))ed_fns[4];
	ed.el_source = (__typeof__(ed.el_source))ed_fns[5];
	ed.history_init = (__typeof__(ed.history_init))ed_fns[6];
	ed.history_end = (__typeof__(ed.history_end))ed_fns[7];
	ed.history = (__typeof__(ed.history))ed_fns[8];
}

static struct edit *current;  /* libedit's callbacks carry no pointer */

/* The next byte fed; none (0) sets e->starved. */
static int
next_byte(struct edit *e, unsigned char *b)
{
	if (e->taken < e->queue.len) {
		*b = (unsigned char)e->queue.p[e->taken++];
		return 1;
	}
	e->starved = 1;
	return 0;
}

static int
getc_fn(EditLine *el, wchar_t *wc)
{
	struct edit *e = current;
	mbstate_t st;
	unsigned char b;
	char c;
	size_t r;

	(void)el;
	memset(&st, 0, sizeof(st));
	for (;;) {
		if (!next_byte(e, &b))
			return 0;  /* el_gets() returns; more comes later */
		c = (char)b;
		r = mbrtowc(wc, &c, 1, &st);
		if (r == (size_t)-2)
			continue;
		if (r == (size_t)-1)
			*wc = 0xfffd;
		else if (r == 0)
			*wc = 0;
		return 1;
	}
}

static const char *
prompt_fn(EditLine *el)
{
	(void)el;
	return current->prompt;
}

struct edit *
edit_new(const char *file, edit_line_fn *fn, void *ud)
{
	struct edit *e = calloc(1, sizeof(*e));

	if (e == NULL)
		return NULL;
	ed_load();
	e->fn = fn;
	e->ud = ud;
	e->prompt = "";
	e->el = ed.el_init("chatcat", stdin, stdout, stderr);
	e->hist = ed.history_init();
	if (file != NULL)
		e->history = strdup(file);
	if (e->el == NULL || e->hist == NULL ||
	    (file != NULL && e->history == NULL)) {
		edit_free(e);
		return NULL;
	}
	current = e;
	ed.history(e->hist, &e->he, H_SETSIZE, HISTORY_SIZE);
	ed.history(e->hist, &e->he, H_SETUNIQUE, 1);
	if (e->history != NULL)
		ed.history(e->hist, &e->he, H_LOAD, e->history);
	ed.el_set(e->el, EL_EDITOR, "emacs");
	ed.el_set(e->el, EL_HIST, ed.history, e->hist);
	ed.el_set(e->el, EL_PROMPT, prompt_fn);
	ed.el_set(e->el, EL_GETCFN, getc_fn);
	ed.el_set(e->el, EL_SIGNAL, 0);
	ed.el_source(e->el, NULL);  /* ~/.editrc */
	return e;
}

/* Take the keys fed while a prompt is up; a line ends the prompt. */
static void
take(struct edit *e)
{
	const char *line;
	char *copy;
	int n;

	while (e->active && e->taken < e->queue.len) {
		e->starved = 0;
		line = ed.el_gets(e->el, &n);
		if (line == NULL && e->starved)
			break;  /* not the end: the line waits for more keys */
		if (line != NULL && n == 1 && line[0] == CTRL_D)
			line = NULL;  /* the end, on an empty line */
		else if (line != NULL && (n == 0 || line[n - 1] != '\n'))
			continue;  /* a key: the line goes on */
		edit_hold(e);
		copy = line != NULL ? strndup(line, (size_t)n - 1) : NULL;
		if (line != NULL && copy == NULL) {
			msg_error("chat: out of memory");
			continue;
		}
		e->fn(e->ud, copy);
		free(copy);
	}
	if (e->taken == e->queue.len)
		e->taken = e->queue.len = 0;
}

void
edit_prompt(struct edit *e, const char *prompt)
{
	e->prompt = prompt;
	if (!e->active) {
		e->active = 1;
		ed.el_set(e->el, EL_PREP_TERM, 1);  /* unbuffered leaves it */
		ed.el_set(e->el, EL_UNBUFFERED, 1);
	}
	take(e);
}

void
edit_hold(struct edit *e)
{
	if (!e->active)
		return;
	e->active = 0;
	ed.el_set(e->el, EL_UNBUFFERED, 0);
	ed.el_set(e->el, EL_PREP_TERM, 0);
}

void
edit_feed(struct edit *e, const char *data, size_t len)
{
	if (buf_add(&e->queue, data, len) == -1) {
		msg_error("chat: out of memory");
		return;
	}
	take(e);
}

int
edit_empty(struct edit *e)
{
	const LineInfo *li = ed.el_line(e->el);

	return li->lastchar == li->buffer;
}

void
edit_clear(struct edit *e, const char *note, const char *prompt)
{
	if (!e->active)
		return;
	/* Still raw, so that nothing typed now is echoed by the terminal. */
	printf("^C\n%s", note);
	fflush(stdout);
	e->prompt = prompt;
	ed.el_set(e->el, EL_UNBUFFERED, 0);  /* a new, empty line */
	ed.el_set(e->el, EL_UNBUFFERED, 1);
	take(e);
}

void
edit_remember(struct edit *e, const char *line)
{
	if (line[0] == '\0')
		return;
	ed.history(e->hist, &e->he, H_ENTER, line);
	if (e->history == NULL)
		return;
	if (ed.history(e->hist, &e->he, H_SAVE, e->history) == -1)
		msg_warn("%s: the input history cannot be saved", e->history);
	else
		io_make_private(e->history, -1, "the input history");
}

void
edit_free(struct edit *e)
{
	if (e == NULL)
		return;
	edit_hold(e);
	if (e->el != NULL)
		ed.el_end(e->el);
	if (e->hist != NULL)
		ed.history_end(e->hist);
	if (current == e)
		current = NULL;
	free(e->history);
	buf_free(&e->queue);
	free(e);
}
