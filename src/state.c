/*
 * The thread record (state.h).  It is rewritten whole into a new file
 * that replaces the old one, so a reader never sees half of it.
 */
#include <config.h>

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/io.h"
#include "lib/msg.h"
#include "state.h"

#define STATE_MAX (1u << 20)

/* The record's path in b; mk: make the missing directories (0700). */
static int
state_path(struct buf *b, int mk)
{
	if (io_state_dir(b, mk) == -1) {
		if (errno == ENOENT)
			msg_error("no XDG_STATE_HOME or HOME for the thread record");
		else if (errno == ENOMEM)
			msg_error("out of memory");
		else
			msg_error("%s: %s", b->p, strerror(errno));
		return -1;
	}
	if (buf_adds(b, "/threads") == -1) {
		msg_error("out of memory");
		return -1;
	}
	return 0;
}

/* The record's text ("" when there is none yet), or NULL after an error. */
static char *
state_read(const char *path)
{
	size_t len;
	char *s;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd == -1 && errno == ENOENT)
		return strdup("");
	if (fd == -1) {
		msg_error("%s: %s", path, strerror(errno));
		return NULL;
	}
	s = io_read_all(fd, path, &len);
	close(fd);
	if (s != NULL && len > STATE_MAX) {
		msg_error("%s: larger than 1 MiB", path);
		free(s);
		return NULL;
	}
	return s;
}

/* The line of text for key ("THREAD KEY"), or NULL. */
static const char *
state_find(const char *text, const char *key, const char **end)
{
	const char *line, *nl;
	size_t klen = strlen(key);

	for (line = text; *line != '\0'; line = nl + (*nl != '\0')) {
		nl = line + strcspn(line, "\n");
		if ((size_t)(nl - line) == UUID_LEN + 1 + klen &&
		    line[UUID_LEN] == ' ' &&
		    memcmp(line + UUID_LEN + 1, key, klen) == 0) {
			*end = nl + (*nl != '\0');
			return line;
		}
	}
	return NULL;
}

int
state_thread(const char *key, char out[UUID_LEN + 1])
{
	struct buf path = { 0 };
	const char *line, *end;
	char *text;
	int found = 0;

	if (state_path(&path, 0) == -1 || (text = state_read(path.p)) == NULL) {
		buf_free(&path);
		return -1;
	}
	line = state_find(text, key, &end);
	if (line != NULL) {
		memcpy(out, line, UUID_LEN);
		out[UUID_LEN] = '\0';
		found = uuid_valid(out);
	}
	free(text);
	buf_free(&path);
	return found;
}

static int
state_write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Write text to path through a new file renamed over it. */
static int
state_write(const char *path, const struct buf *text)
{
	struct buf tmp = { 0 };
	int fd = -1, rc = -1;

	if (buf_adds(&tmp, path) == -1 || buf_adds(&tmp, ".new") == -1) {
		msg_error("out of memory");
		goto out;
	}
	fd = open(tmp.p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOFOLLOW, 0600);
	if (fd == -1 || fchmod(fd, 0600) == -1 ||
	    state_write_all(fd, text->p, text->len) == -1 || fsync(fd) == -1 ||
	    close(fd) == -1 || (fd = -1, rename(tmp.p, path) == -1)) {
		msg_error("%s: %s", tmp.p, strerror(errno));
		if (fd != -1)
			close(fd);
		unlink(tmp.p);
		goto out;
	}
	rc = 0;
out:
	buf_free(&tmp);
	return rc;
}

int
state_record(const char *key, const char *thread)
{
	struct buf path = { 0 }, out = { 0 };
	const char *line, *end = NULL;
	char *text = NULL;
	int rc = -1;

	if (!uuid_valid(thread) || strcspn(key, "\n") != strlen(key))
		return 0;
	if (state_path(&path, 1) == -1 || (text = state_read(path.p)) == NULL)
		goto out;
	/* The others' lines as they are, this key's last. */
	line = state_find(text, key, &end);
	if (line == NULL)
		line = end = text + strlen(text);
	if (buf_add(&out, text, (size_t)(line - text)) == -1 ||
	    buf_adds(&out, end) == -1 || (out.len > 0 &&
	    out.p[out.len - 1] != '\n' && buf_adds(&out, "\n") == -1) ||
	    buf_adds(&out, thread) == -1 || buf_adds(&out, " ") == -1 ||
	    buf_adds(&out, key) == -1 || buf_adds(&out, "\n") == -1) {
		msg_error("out of memory");
		goto out;
	}
	/* Sends in a loop to one thread: the record is already as it would
	 * be written, and the write's fsync and rename cost about 1 ms. */
	if (out.len == strlen(text) && memcmp(out.p, text, out.len) == 0)
		rc = 0;
	else
		rc = state_write(path.p, &out);
out:
	free(text);
	buf_free(&out);
	buf_free(&path);
	return rc;
}
