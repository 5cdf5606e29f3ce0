/*
 * stdin, stdout and the signal pipe on the client's poll() loop.  Signals
 * reach the loop through a self-pipe, so the handlers only write(2) a
 * byte.
 */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <string.h>
#include <unistd.h>

#include "lib/msg.h"
#include "lib/sig.h"
#include "watch.h"

void
watch_init(struct watch *wt, struct loop *loop, const struct ws_events *ev,
    void *ud)
{
	memset(wt, 0, sizeof(*wt));
	wt->loop = loop;
	wt->ev = ev;
	wt->ud = ud;
	wt->sig = wt->in = wt->out = -1;
}

static void
signal_event(void *ud, int fd, short revents)
{
	struct watch *wt = ud;
	unsigned char sig[16];
	ssize_t n = read(fd, sig, sizeof(sig));

	(void)revents;
	for (ssize_t i = 0; i < n && !wt->stopped; i++)
		wt->ev->on_signal(wt->ud, sig[i]);
}

int
watch_signals(struct watch *wt)
{
	int fd = sig_open();

	if (fd == -1)
		return -1;
	wt->sig = loop_add(wt->loop, fd, POLLIN, signal_event, wt);
	if (wt->sig == -1) {
		close(fd);
		return -1;
	}
	return 0;
}

/* Read what the input has; at its end (or an error) tell the owner. */
static void
input_event(void *ud, int fd, short revents)
{
	struct watch *wt = ud;
	char buf[65536];
	ssize_t n;

	if (wt->input_ended || wt->stopped)
		return;
	if (wt->in_paused) {
		int left;

		/* Paused, the input is polled for its hang-up alone: with
		 * nothing left to read it is at its end, said now (a run with
		 * nothing pending ends without waiting for the resume); with
		 * data left, it waits unpolled for the resume. */
		if (!(revents & (POLLHUP | POLLERR)))
			return;
		if (ioctl(fd, FIONREAD, &left) == -1 || left > 0) {
			loop_pause(wt->loop, wt->in, 1);
			return;
		}
	}
	do
		n = read(fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n > 0) {
		wt->ev->on_input(wt->ud, buf, (size_t)n);
		return;
	}
	if (n < 0 && errno == EAGAIN)
		return;  /* nothing now: the loop will call again */
	if (n < 0)
		msg_error("stdin: %s", strerror(errno));
	wt->input_ended = 1;
	loop_remove(wt->loop, wt->in);
	wt->in = -1;
	wt->ev->on_input(wt->ud, NULL, 0);
}

int
watch_input(struct watch *wt, int fd)
{
	wt->in_paused = 0;
	wt->in = loop_add(wt->loop, fd, POLLIN, input_event, wt);
	return wt->in == -1 ? -1 : 0;
}

void
watch_input_pause(struct watch *wt, int pause)
{
	if (wt->in == -1)
		return;
	wt->in_paused = pause;
	loop_events(wt->loop, wt->in, pause ? 0 : POLLIN);
	loop_pause(wt->loop, wt->in, 0);
}

/* Room to write, or (POLLERR, POLLHUP) the reader is gone. */
static void
output_event(void *ud, int fd, short revents)
{
	struct watch *wt = ud;

	(void)fd;
	if (wt->stopped)
		return;
	if (revents & (POLLERR | POLLHUP)) {
		loop_remove(wt->loop, wt->out);
		wt->out = -1;
		wt->ev->on_output(wt->ud, 1);
		return;
	}
	loop_events(wt->loop, wt->out, 0);  /* one call per wait */
	wt->ev->on_output(wt->ud, 0);
}

int
watch_output(struct watch *wt, int fd)
{
	/* Polled for nothing but POLLERR and POLLHUP until a wait. */
	wt->out = loop_add(wt->loop, fd, 0, output_event, wt);
	return wt->out == -1 ? -1 : 0;
}

void
watch_output_wait(struct watch *wt)
{
	loop_events(wt->loop, wt->out, POLLOUT);
}

void
watch_stop(struct watch *wt)
{
	sig_close();
	if (wt->sig != -1) {
		close(wt->loop->slot[wt->sig].fd);
		loop_remove(wt->loop, wt->sig);
		wt->sig = -1;
	}
	wt->stopped = 1;
}
