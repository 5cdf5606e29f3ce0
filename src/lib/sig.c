/* The self-pipe for signals. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "sig.h"

/* The write end; the only state a signal handler may touch. */
static volatile sig_atomic_t sig_fd = -1;

static void
on_signal(int sig)
{
	int saved = errno;
	unsigned char c = (unsigned char)sig;

	if (sig_fd >= 0 && write(sig_fd, &c, 1) < 0) {
		/* The pipe is full: a signal is already pending. */
	}
	errno = saved;
}

int
sig_open(void)
{
	struct sigaction sa;
	int p[2];

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) == -1) {
		msg_error("pipe: %s", strerror(errno));
		return -1;
	}
	sig_fd = p[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	return p[0];
}

void
sig_close(void)
{
	int fd = sig_fd;

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sig_fd = -1;
	if (fd >= 0)
		close(fd);
}
