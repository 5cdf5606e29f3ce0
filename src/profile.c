/*
 * The config file's reader (profile.h).  A line is blank, a comment ('#'
 * first), a section "[NAME]" or "key = value"; the value is the rest of
 * the line with the blanks around it trimmed, so it may hold '#' or '='.
 */
#include <config.h>

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/io.h"
#include "lib/msg.h"
#include "profile.h"

#define PROFILE_MAX_FILE (1u << 20)

/* What the reader is at, for the FILE:LINE of its errors. */
struct reader {
	const char *file;
	unsigned long line;
	const char *want;        /* the section asked for */
	int in_want;             /* the lines belong to it */
	int found;
	unsigned long secret;    /* a line holding a token or key, or 0 */
	unsigned long cred;      /* the chosen section's credential line */
	struct profile *p;
};

static int
bad(const struct reader *r, const char *why, const char *what)
{
	msg_error("%s:%lu: %s%s%s%s", r->file, r->line, why,
	    what != NULL ? " '" : "", what != NULL ? what : "",
	    what != NULL ? "'" : "");
	return -1;
}

static char *
trim(char *s)
{
	char *e;

	s += strspn(s, " \t");
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* A section name: letters, digits, '.', '_' and '-'. */
static int
name_ok(const char *s)
{
	return s[0] != '\0' && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == strlen(s);
}

static const struct optdef *
key_def(const char *key)
{
	size_t i;

	for (i = 0; i < options_ntable; i++)
		if ((options_table[i].cmds & C_FILE) &&
		    strcmp(options_table[i].name, key) == 0)
			return &options_table[i];
	return NULL;
}

static int
is_bool(const char *v, int *out)
{
	if (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0 ||
	    strcmp(v, "on") == 0)
		return *out = 1, 1;
	if (strcmp(v, "false") == 0 || strcmp(v, "no") == 0 ||
	    strcmp(v, "off") == 0)
		return *out = 0, 1;
	return 0;
}

static int
is_number(const char *v, int integer)
{
	char *end;
	double d;

	if (v[0] == '\0' || v[0] == '-' || v[0] == '+' || v[0] == ' ')
		return 0;
	errno = 0;
	if (integer) {
		(void)strtoull(v, &end, 10);
		return errno == 0 && *end == '\0';
	}
	d = strtod(v, &end);
	return errno == 0 && *end == '\0' && isfinite(d);
}

/*
 * The value of d as it is stored: a flag's as "true" or "false", a
 * "[=N]" option's as one of them or N, a leading "~/" of a file or
 * directory as $HOME.  NULL after an error (reported, but ENOMEM).
 */
static char *
value_text(const struct reader *r, const struct optdef *d, const char *v)
{
	const char *home = getenv("HOME");
	const char *arg = d->arg;
	char *s;
	int b;

	/* Only an option whose help offers '' takes an empty value. */
	if (v[0] == '\0' && strstr(d->help, "''") == NULL)
		return bad(r, "no value for", d->name), NULL;
	if (arg == NULL || strcmp(arg, "[=N]") == 0) {
		if (is_bool(v, &b))
			return strdup(b ? "true" : "false");
		if (arg == NULL || !is_number(v, 1))
			return bad(r, arg == NULL ? "expected true or false,"
			    " got" : "expected true, false or a number, got",
			    v), NULL;
		return strdup(v);
	}
	if ((strcmp(arg, "SECS") == 0 && !is_number(v, 0)) ||
	    ((strcmp(arg, "N") == 0 || strcmp(arg, "BYTES") == 0) &&
	    !is_number(v, 1)))
		return bad(r, strcmp(arg, "SECS") == 0 ?
		    "expected a number of seconds, got" : "expected a number,"
		    " got", v), NULL;
	if ((strcmp(arg, "FILE") == 0 || strcmp(arg, "DIR") == 0) &&
	    strncmp(v, "~/", 2) == 0 && home != NULL) {
		if ((s = malloc(strlen(home) + strlen(v))) == NULL)
			return NULL;
		memcpy(s, home, strlen(home));
		memcpy(s + strlen(home), v + 1, strlen(v));
		return s;
	}
	return strdup(v);
}

static char *
value_of(const struct reader *r, const struct optdef *d, const char *v)
{
	char *s;

	errno = 0;
	if ((s = value_text(r, d, v)) == NULL && errno == ENOMEM)
		msg_error("out of memory");
	return s;
}

static int
keep(struct reader *r, const struct optdef *d, const char *v)
{
	struct profile *p = r->p;
	struct profile_entry *n;
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->v[i].def == d && !(d->cmds & C_MANY)) {
			msg_error("%s:%lu: '%s' given twice in [%s] (first on"
			    " line %lu)", r->file, r->line, d->name, r->want,
			    p->v[i].line);
			return -1;
		}
	if (d->val == OPT_TOKEN || d->val == OPT_TOKEN_FILE ||
	    d->val == OPT_API_KEY || d->val == OPT_API_KEY_FILE) {
		if (r->cred != 0) {
			msg_error("%s:%lu: a second credential in [%s] (first"
			    " on line %lu)", r->file, r->line, r->want,
			    r->cred);
			return -1;
		}
		r->cred = r->line;
	}
	n = realloc(p->v, (p->n + 1) * sizeof(*n));
	if (n == NULL)
		return msg_error("out of memory"), -1;
	p->v = n;
	n[p->n] = (struct profile_entry){ d, value_of(r, d, v), r->line };
	if (n[p->n].value == NULL)
		return -1;
	p->n++;
	return 0;
}

/* Whether the lines "NAME\n" of seen hold s. */
static int
seen_has(const struct buf *seen, const char *s)
{
	size_t i = 0, n = strlen(s);

	while (i < seen->len) {
		const char *e = memchr(seen->p + i, '\n', seen->len - i);

		if ((size_t)(e - (seen->p + i)) == n &&
		    memcmp(seen->p + i, s, n) == 0)
			return 1;
		i = (size_t)(e - seen->p) + 1;
	}
	return 0;
}

/* A "[NAME]" line; seen: the sections so far, to refuse one twice. */
static int
section(struct reader *r, char *s, struct buf *seen)
{
	char *end = strchr(s, ']');

	if (end == NULL || *trim(end + 1) != '\0')
		return bad(r, "expected [NAME]", NULL);
	*end = '\0';
	s = trim(s + 1);
	if (!name_ok(s))
		return bad(r, "a profile name is letters, digits, '.', '_'"
		    " and '-', not", s);
	if (seen_has(seen, s))
		return bad(r, "the profile is given twice:", s);
	if (buf_adds(seen, s) == -1 || buf_adds(seen, "\n") == -1)
		return msg_error("out of memory"), -1;
	r->in_want = strcmp(s, r->want) == 0;
	r->found |= r->in_want;
	return 0;
}

/* A "key = value" line. */
static int
setting(struct reader *r, char *s, int have_section)
{
	char *eq = strchr(s, '=');
	const struct optdef *d;
	char *key;

	if (eq == NULL)
		return bad(r, "expected [NAME], KEY = VALUE or a # comment",
		    NULL);
	*eq = '\0';
	key = trim(s);
	if (!have_section)
		return bad(r, "a setting before the first [NAME]:", key);
	if ((d = key_def(key)) == NULL)
		return bad(r, "unknown key", key);
	if (d->val == OPT_TOKEN || d->val == OPT_API_KEY)
		r->secret = r->line;
	return r->in_want ? keep(r, d, trim(eq + 1)) : 0;
}

/* Every line of text (NUL-terminated; cut up here). */
static int
parse(struct reader *r, char *text)
{
	struct buf seen = { 0 };
	char *line, *next;
	int rc = 0;

	for (line = text; rc == 0 && line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		r->line++;
		if (strlen(line) != strcspn(line, "\x01\x02\x03\x04\x05\x06"
		    "\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17"
		    "\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f")) {
			rc = bad(r, "a control character", NULL);
			break;
		}
		line = trim(line);
		if (line[0] == '\0' || line[0] == '#')
			continue;
		rc = line[0] == '[' ? section(r, line, &seen) :
		    setting(r, line, seen.len > 0);
	}
	buf_free(&seen);
	return rc;
}

/* The file to read: file, CHATCAT_CONFIG or the default (*named 0). */
static char *
config_path(const char *file, int *named)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	struct buf b = { 0 };

	if (file == NULL && (file = getenv("CHATCAT_CONFIG")) != NULL &&
	    file[0] == '\0')
		file = NULL;
	*named = file != NULL;
	if (file != NULL)
		return strdup(file);
	if (xdg != NULL && xdg[0] == '/')
		return buf_adds(&b, xdg) == -1 || buf_adds(&b,
		    "/chatcat/config") == -1 ? (buf_free(&b), NULL) : b.p;
	if (home == NULL || home[0] == '\0')
		return strdup("");
	return buf_adds(&b, home) == -1 || buf_adds(&b,
	    "/.config/chatcat/config") == -1 ? (buf_free(&b), NULL) : b.p;
}

/* Open and read p->file; *text NULL (and 0) when it need not exist. */
static int
read_config(struct profile *p, int named, int name_given, char **text,
    struct stat *st)
{
	size_t len;
	int fd;

	*text = NULL;
	fd = p->file[0] == '\0' ? -1 : open(p->file, O_RDONLY | O_CLOEXEC);
	if (fd == -1 && !named && !name_given && (p->file[0] == '\0' ||
	    errno == ENOENT))
		return 0;
	if (fd == -1) {
		msg_error("%s: %s", p->file[0] == '\0' ? "config file" :
		    p->file, p->file[0] == '\0' ? "no HOME" : strerror(errno));
		return -1;
	}
	if (fstat(fd, st) == -1 || !S_ISREG(st->st_mode) ||
	    st->st_size > PROFILE_MAX_FILE) {
		msg_error("%s: %s", p->file, S_ISDIR(st->st_mode) ?
		    strerror(EISDIR) : "not a regular file of at most 1 MiB");
		close(fd);
		return -1;
	}
	*text = io_read_all(fd, p->file, &len);
	close(fd);
	if (*text == NULL)
		return -1;
	if (strlen(*text) != len) {
		msg_error("%s: a NUL byte", p->file);
		secret_free(*text);
		*text = NULL;
		return -1;
	}
	return 0;
}

int
profile_load(struct profile *p, const char *file, const char *name)
{
	struct reader r = { 0 };
	struct stat st;
	char *text;
	int named, rc;

	*p = (struct profile){ 0 };
	if (name == NULL && (name = getenv("CHATCAT_PROFILE")) != NULL &&
	    name[0] == '\0')
		name = NULL;
	if ((p->file = config_path(file, &named)) == NULL)
		return msg_error("out of memory"), -1;
	if (read_config(p, named, name != NULL, &text, &st) == -1)
		return -1;
	if (text == NULL)
		return 0;
	r = (struct reader){ .file = p->file, .want = name != NULL ? name :
	    "default", .p = p };
	rc = parse(&r, text);
	secret_free(text);
	if (rc == 0 && r.secret != 0 && (st.st_mode & 077) != 0) {
		msg_error("%s:%lu: holds a secret but group or others may read"
		    " the file: chmod 600 it, or use token-file", p->file,
		    r.secret);
		return -1;
	}
	if (rc == 0 && !r.found && name != NULL) {
		msg_error("%s: no profile [%s]", p->file, name);
		return -1;
	}
	if (rc == 0 && r.found && (p->name = strdup(r.want)) == NULL)
		return msg_error("out of memory"), -1;
	return rc;
}

int
profile_true(const struct profile_entry *e)
{
	return strcmp(e->value, "true") == 0;
}

void
profile_free(struct profile *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		secret_free(p->v[i].value);
	free(p->v);
	free(p->file);
	free(p->name);
	*p = (struct profile){ 0 };
}
