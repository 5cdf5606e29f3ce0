/* Local input (files, stdin) and the stdout writer. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"
#include "msg.h"

#define OUT_BUFSZ (64 * 1024)

char *
io_read_all(int fd, const char *name, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap), *nb;
	ssize_t r;

	if (buf == NULL) {
		msg_error("%s: out of memory", name);
		return NULL;
	}
	for (;;) {
		if (cap - n < 2) {
			nb = cap > ((size_t)1 << 40) ? NULL : realloc(buf, cap * 2);
			if (nb == NULL) {
				msg_error("%s: out of memory", name);
				free(buf);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r == 0)
			break;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				/* A non-blocking stdin: wait for it plainly. */
				int fl = fcntl(fd, F_GETFL);

				if (fl != -1 && fcntl(fd, F_SETFL,
				    fl & ~O_NONBLOCK) != -1)
					continue;
			}
			msg_error("%s: %s", name, strerror(errno));
			free(buf);
			return NULL;
		}
		n += (size_t)r;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

int
io_make_private(const char *path, int fd, const char *name)
{
	struct stat st;
	int r;

	r = path != NULL ? stat(path, &st) : fstat(fd, &st);
	if (r == -1 || !S_ISREG(st.st_mode) || (st.st_mode & 077) == 0)
		return 0;
	r = path != NULL ? chmod(path, S_IRUSR | S_IWUSR) :
	    fchmod(fd, S_IRUSR | S_IWUSR);
	if (r == -1) {
		msg_error("%s: readable by others (mode %04o) and cannot be"
		    " made private: %s", name, (unsigned)(st.st_mode & 07777),
		    strerror(errno));
		return -1;
	}
	return 0;
}

char *
io_read_secret_file(const char *path)
{
	size_t len;
	char *s;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd == -1) {
		msg_error("%s: %s", path, strerror(errno));
		return NULL;
	}
	s = io_read_all(fd, path, &len);
	close(fd);
	if (s == NULL)
		return NULL;
	s[strcspn(s, "\r\n")] = '\0';
	if (s[0] == '\0') {
		msg_error("%s: no credential on the first line", path);
		free(s);
		return NULL;
	}
	return s;
}

int
out_init(struct out *o, int fd)
{
	struct stat st;
	int fl;

	*o = (struct out){ .fd = fd, .saved_flags = -1 };
	if (buf_reserve(&o->b, OUT_BUFSZ) == -1)
		return -1;
	/* A pipe or socket is written without blocking, so that the loop
	 * goes on reading the socket while the reader is slow. */
	if (fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) ||
	    S_ISSOCK(st.st_mode)) && (fl = fcntl(fd, F_GETFL)) != -1 &&
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) != -1) {
		o->saved_flags = fl;
		o->nonblock = 1;
	}
	return 0;
}

int
out_flush(struct out *o)
{
	ssize_t w;

	if (o->state != OUT_OK)
		return -1;
	while (o->off < o->b.len) {
		w = write(o->fd, o->b.p + o->off, o->b.len - o->off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN)
			return 1;  /* the rest waits for the reader */
		if (w < 0) {
			o->error = errno;
			o->state = errno == EPIPE ? OUT_CLOSED : OUT_ERROR;
			return -1;
		}
		o->off += (size_t)w;
	}
	o->b.len = o->off = 0;
	return 0;
}

int
out_write(struct out *o, const void *data, size_t len)
{
	if (o->state != OUT_OK)
		return -1;
	if (buf_add(&o->b, data, len) == -1) {
		o->error = ENOMEM;
		o->state = OUT_ERROR;
		return -1;
	}
	if (o->b.len - o->off >= OUT_BUFSZ && out_flush(o) == -1)
		return -1;
	return 0;
}

size_t
out_pending(const struct out *o)
{
	return o->b.len - o->off;
}

void
out_free(struct out *o)
{
	/* What is left is written plainly, waiting for the reader. */
	if (o->saved_flags != -1)
		fcntl(o->fd, F_SETFL, o->saved_flags);
	o->nonblock = 0;
	out_flush(o);
	buf_free(&o->b);
}

int
io_state_dir(struct buf *b, int make)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	size_t start = b->len, i;
	int r, e;

	if (state != NULL && state[0] == '/')
		r = buf_adds(b, state);
	else if (home != NULL && home[0] == '/')
		r = buf_adds(b, home) | buf_adds(b, "/.local/state");
	else {
		errno = ENOENT;
		return -1;
	}
	if ((r | buf_adds(b, "/chatcat")) != 0) {
		errno = ENOMEM;
		return -1;
	}
	for (i = start + 1; make && i <= b->len; i++) {
		if (i < b->len && b->p[i] != '/')
			continue;
		b->p[i] = '\0';
		r = mkdir(b->p, 0700) == -1 && errno != EEXIST;
		e = errno;
		if (i < b->len)
			b->p[i] = '/';
		if (r) {
			errno = e;
			return -1;
		}
	}
	return 0;
}

unsigned
io_std_open(void)
{
	unsigned closed = 0;

	for (int fd = 0; fd <= 2; fd++) {
		int n;

		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		closed |= 1u << fd;
		/* The lowest free number: fd itself. */
		n = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
		if (n != -1 && n != fd)
			close(n);
	}
	return closed;
}
