/*
 * stdin, stdout and the signal pipe in libwebsockets' loop, each adopted
 * as a raw file.  Signals reach the loop through a self-pipe, so the
 * handlers only write(2) a byte.
 */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "lib/msg.h"
#include "lib/sig.h"
#include "watch.h"

void
watch_init(struct watch *wt, struct lws_vhost *vh, const char *protocol,
    const struct ws_events *ev, void *ud)
{
	memset(wt, 0, sizeof(*wt));
	wt->vh = vh;
	wt->protocol = protocol;
	wt->ev = ev;
	wt->ud = ud;
}

/* Adopt fd into the loop as a raw file. */
static struct lws *
adopt_file(struct watch *wt, int fd)
{
	lws_sock_file_fd_type d;

	d.filefd = fd;
	return lws_adopt_descriptor_vhost(wt->vh, LWS_ADOPT_RAW_FILE_DESC, d,
	    wt->protocol, NULL);
}

int
watch_signals(struct watch *wt)
{
	int fd = sig_open();

	if (fd == -1)
		return -1;
	if (adopt_file(wt, fd) == NULL) {
		close(fd);
		msg_error("cannot watch signals");
		return -1;
	}
	return 0;
}

int
watch_input(struct watch *wt, int fd)
{
	wt->in = adopt_file(wt, fd);
	if (wt->in == NULL) {
		msg_error("cannot watch stdin");
		return -1;
	}
	return 0;
}

void
watch_input_pause(struct watch *wt, int pause)
{
	if (wt->in != NULL)
		lws_rx_flow_control(wt->in, !pause);
}

int
watch_output(struct watch *wt, int fd)
{
	int d = dup(fd);

	/* A duplicate: lws closes what it adopts. */
	if (d == -1 || (wt->out = adopt_file(wt, d)) == NULL) {
		if (d != -1)
			close(d);
		msg_error("cannot watch stdout");
		return -1;
	}
	lws_rx_flow_control(wt->out, 0);  /* only writability matters */
	return 0;
}

void
watch_output_wait(struct watch *wt)
{
	if (wt->out != NULL)
		lws_callback_on_writable(wt->out);
}

/*
 * Read what the input has; 0 if there may be more, 1 at its end (then
 * on_input(NULL, 0) has been called) or on an error.
 */
static int
input_read(struct watch *wt, int fd)
{
	char buf[65536];
	ssize_t n;

	if (wt->input_ended)
		return 1;
	do
		n = read(fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n > 0) {
		wt->ev->on_input(wt->ud, buf, (size_t)n);
		return 0;
	}
	if (n < 0 && errno == EAGAIN)
		return 1;  /* nothing now: lws will call again */
	if (n < 0)
		msg_error("stdin: %s", strerror(errno));
	wt->input_ended = 1;
	wt->ev->on_input(wt->ud, NULL, 0);
	return 1;
}

static void
read_signals(struct watch *wt, struct lws *wsi)
{
	unsigned char sig[16];
	ssize_t n = read(lws_get_socket_fd(wsi), sig, sizeof(sig));
	ssize_t i;

	for (i = 0; i < n; i++)
		wt->ev->on_signal(wt->ud, sig[i]);
	lws_cancel_service(lws_get_context(wsi));
}

int
watch_event(struct watch *wt, struct lws *wsi,
    enum lws_callback_reasons reason)
{
	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		if (wsi == wt->in)
			return input_read(wt, lws_get_socket_fd(wsi)) ? -1 : 0;
		read_signals(wt, wsi);
		return 0;
	case LWS_CALLBACK_RAW_WRITEABLE_FILE:
		if (wsi == wt->out && !wt->stopped)
			wt->ev->on_output(wt->ud, 0);
		return 0;
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		if (wsi == wt->in) {
			/* lws closes at POLLHUP, even paused: drain first. */
			if (!wt->stopped)
				while (input_read(wt, lws_get_socket_fd(wsi)) == 0)
					;
			wt->in = NULL;
		} else if (wsi == wt->out) {
			wt->out = NULL;
			if (!wt->stopped)
				wt->ev->on_output(wt->ud, 1);
		}
		return 0;
	default:
		return 0;
	}
}

void
watch_stop(struct watch *wt)
{
	sig_close();
	wt->stopped = 1;
}
