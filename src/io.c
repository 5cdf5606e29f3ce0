/* Local input (files, stdin) and the stdout writer. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
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
	*o = (struct out){ .fd = fd, .cap = OUT_BUFSZ };
	o->buf = malloc(o->cap);
	return o->buf == NULL ? -1 : 0;
}

/* write(2) all of buf, recording why it failed. */
static int
write_all(struct out *o, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(o->fd, buf, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			o->error = errno;
			o->state = errno == EPIPE ? OUT_CLOSED : OUT_ERROR;
			return -1;
		}
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

int
out_flush(struct out *o)
{
	int r;

	if (o->state != OUT_OK)
		return -1;
	r = write_all(o, o->buf, o->len);
	o->len = 0;
	return r;
}

int
out_write(struct out *o, const void *data, size_t len)
{
	if (o->state != OUT_OK)
		return -1;
	if (len > o->cap - o->len && out_flush(o) == -1)
		return -1;
	if (len >= o->cap)
		return write_all(o, data, len);
	memcpy(o->buf + o->len, data, len);
	o->len += len;
	return 0;
}

void
out_free(struct out *o)
{
	free(o->buf);
	o->buf = NULL;
}
