/*
 * The client's TCP socket on the poll() loop (sock.h).
 */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/msg.h"
#include "sock.h"

void
sock_init(struct sock *s, struct loop *loop, const struct sock_events *ev,
    void *ud)
{
	memset(s, 0, offsetof(struct sock, rx));  /* the buffer needs none */
	s->loop = loop;
	s->ev = ev;
	s->ud = ud;
	s->fd = s->slot = -1;
}

int
sock_open(const struct sock *s)
{
	return s->fd != -1;
}

void
sock_close(struct sock *s)
{
	loop_timer_cancel(s->loop, &s->drop_timer);
	loop_timer_cancel(s->loop, &s->failed_timer);
	if (s->fd == -1)
		return;
	loop_remove(s->loop, s->slot);
	close(s->fd);
	s->fd = s->slot = -1;
	s->connecting = s->want_write = 0;
}

/* What the loop should wait for. */
static void
interest(struct sock *s)
{
	short ev = 0;

	if (s->connecting || s->want_write)
		ev |= POLLOUT;
	if (!s->connecting && !s->read_paused)
		ev |= POLLIN;
	loop_events(s->loop, s->slot, ev);
}

/* Gone (its end, an error, a drop): close and tell. */
static void
gone(struct sock *s)
{
	int connecting = s->connecting;

	sock_close(s);
	if (connecting)
		s->ev->failed(s->ud, 0);
	else
		s->ev->closed(s->ud);
}

static void
drop_due(struct loop_timer *t)
{
	gone(LOOP_TIMER_OWNER(t, struct sock, drop_timer));
}

void
sock_drop(struct sock *s)
{
	if (s->fd == -1)
		return;
	/* Deaf at once, this round included; closed in the next. */
	loop_remove(s->loop, s->slot);
	s->slot = -1;
	loop_timer_set(s->loop, &s->drop_timer, drop_due, 0);
}

void
sock_want_write(struct sock *s)
{
	if (s->fd != -1 && !s->want_write) {
		s->want_write = 1;
		interest(s);
	}
}

void
sock_read_pause(struct sock *s, int pause)
{
	s->read_paused = pause;
	if (s->fd != -1 && !s->connecting)
		interest(s);
}

/* connect(2) finished, one way or the other. */
static void
connected(struct sock *s)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	if (err == EINPROGRESS || err == EALREADY)
		return;
	if (err != 0) {
		sock_close(s);
		s->ev->failed(s->ud, err);
		return;
	}
	s->connecting = 0;
	interest(s);
	s->ev->connected(s->ud);
}

/* One read; the socket's end or an error closes it. */
static void
readable(struct sock *s)
{
	ssize_t n;

	do
		n = read(s->fd, s->rx, sizeof(s->rx));
	while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	if (n <= 0) {
		if (n < 0)
			msg_info("read: %s", strerror(errno));
		gone(s);
		return;
	}
	s->ev->rx(s->ud, s->rx, (size_t)n);
}

static void
event(void *ud, int fd, short revents)
{
	struct sock *s = ud;

	(void)fd;
	if (s->connecting) {
		connected(s);
		return;
	}
	/* While reads are paused a hang-up is still read, to learn of it. */
	if (revents & (POLLIN | POLLERR | POLLHUP)) {
		readable(s);
		if (s->fd == -1)
			return;
	}
	if ((revents & POLLOUT) && s->want_write) {
		s->want_write = 0;
		interest(s);
		if (s->ev->writable(s->ud, s->fd) == -1)
			gone(s);
	}
}

static void
failed_due(struct loop_timer *t)
{
	struct sock *s = LOOP_TIMER_OWNER(t, struct sock, failed_timer);

	s->ev->failed(s->ud, s->connect_err);
}

int
sock_start(struct sock *s, struct dial *d)
{
	int err;

	sock_close(s);
	s->fd = dial_next(d, &err);
	if (s->fd == -1) {
		s->connect_err = err;
		loop_timer_set(s->loop, &s->failed_timer, failed_due, 0);
		return 0;
	}
	s->slot = loop_add(s->loop, s->fd, POLLOUT, event, s);
	if (s->slot == -1) {
		close(s->fd);
		s->fd = -1;
		return -1;
	}
	s->connecting = 1;
	return 0;
}
