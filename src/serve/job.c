/*
 * Jobs: the echo agent and --agent-cmd.
 *
 * An agent command runs in its own process group under /bin/sh, with the
 * message on its stdin and CHATCAT_THREAD_ID, CHATCAT_AGENT_ID and
 * CHATCAT_JOB_ID in its environment, and without the server's
 * credentials (CHATCAT_TOKEN, CHATCAT_API_KEY).  It dies with the server
 * (PR_SET_PDEATHSIG).  Both pipes and a pidfd of the agent are adopted
 * into the lws loop as raw files: stdin is written as the pipe takes it,
 * stdout becomes reply parts as soon as it is read.
 *
 * The job ends when the agent has exited and its stdout is read: once the
 * agent exits (or times out, or its reply passes the cap), the rest of
 * its process group is killed, what the pipe holds is read, and the pipe
 * is closed, so a descendant that keeps stdout open cannot hold the job.
 * Descendants that left the group come back to the server (a child
 * subreaper) and are killed by strays_sweep() (strays.c).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/jstring.h"
#include "lib/msg.h"
#include "job.h"
#include "lib/utf8.h"

#define READ_CHUNK 65536
#define READ_TURN (1024 * 1024)  /* read per turn of the loop, at most: */
                                 /* each commit rewrites the reply */
#define DRAIN_MAX (1024 * 1024)  /* read after the agent's exit, at most */
#define REAP_POLL_US 50000       /* without pidfds: how often to look */
#define ECHO_PARTS 1024          /* the echo reply comes in about so many */

static void finish(struct job *j);

size_t
job_escaped_len(const char *s, size_t len)
{
	size_t i = 0, n = 0, run;
	unsigned char c;

	for (;;) {
		run = jstring_plain(s + i, len - i);
		n += run;
		i += run;
		if (i == len)
			return n;
		c = (unsigned char)s[i++];
		n += c == '"' || c == '\\' || c == '\n' || c == '\r' ||
		    c == '\t' ? 2 : 6;
	}
}

/* How much of data[0..len) fits in room escaped bytes, whole characters
 * only. */
static size_t
fits(const char *data, size_t len, size_t room)
{
	size_t i = 0, used = 0, e;

	while (i < len) {
		e = job_escaped_len(data + i, 1);
		if (used + e > room)
			break;
		used += e;
		i++;
	}
	while (i > 0 && i < len && ((unsigned char)data[i] & 0xc0) == 0x80)
		i--;  /* not inside a character */
	return i;
}

/* Kill what is left of the agent's process group. */
static void
kill_group(struct job *j, int sig)
{
	if (j->pid > 0)
		kill(-j->pid, sig);
}

/*
 * Give a part: it goes into the reply and to the server, up to the cap;
 * past it, the reply is cut there and the agent stopped.  0, or -1 once
 * the reply is capped (nothing more is given).
 */
static int
give(struct job *j, const char *data, size_t len, int last)
{
	size_t e, keep;

	if (j->capped)
		return -1;
	e = job_escaped_len(data, len);
	if (j->reply_esc + e > j->cap) {
		keep = fits(data, len, j->cap - j->reply_esc);
		j->capped = 1;
		kill_group(j, SIGKILL);
		if (keep == 0)
			return -1;
		len = keep;
		e = job_escaped_len(data, len);
		last = 0;
	}
	if (buf_add(&j->reply, data, len) == -1) {
		msg_error("job %s: out of memory", j->id);
		return -1;
	}
	j->reply_esc += e;
	j->ev->part(j, data, len, last);
	return j->capped ? -1 : 0;
}

/* Why the reply stopped early: the cap, or memory. */
static const char *
cap_why(struct job *j)
{
	if (!j->capped)
		return "out of memory";
	snprintf(j->cap_why, sizeof(j->cap_why), "reply too large: cut at"
	    " %zu bytes", j->reply.len);
	return j->cap_why;
}

/* Stream bytes read from the agent as a part, keeping characters whole. */
static void
emit(struct job *j, const char *data, size_t len, int partial)
{
	struct buf in = { 0 }, out = { 0 };
	size_t used;

	if (buf_add(&in, j->utf8_tail, j->tail_len) == -1 ||
	    buf_add(&in, data, len) == -1)
		goto oom;
	used = utf8_sanitize(in.p, in.len, partial, &out);
	if (used == (size_t)-1)
		goto oom;
	j->tail_len = in.len - used;
	memcpy(j->utf8_tail, in.p + used, j->tail_len);
	if (out.len > 0)
		give(j, out.p, out.len, 0);
	buf_free(&in);
	buf_free(&out);
	return;
oom:
	msg_error("job %s: out of memory", j->id);
	buf_free(&in);
	buf_free(&out);
}

/*
 * The echo agent: the content back, in parts that end after a run of
 * spaces and newlines, each at least 1/ECHO_PARTS of the content.  Parts
 * are made while the client's queue has room (job_pause()).
 */
static void
echo_run(lws_sorted_usec_list_t *sul)
{
	struct job *j = lws_container_of(sul, struct job, reap_sul);
	const char *p = j->content.p ? j->content.p : "";
	size_t n = j->content.len, min = n / ECHO_PARTS, start, i;

	if (n == 0) {
		j->ev->end(j, give(j, "", 0, 1) == 0 ? NULL : cap_why(j));
		return;
	}
	while (!j->paused && j->echo_off < n) {
		start = i = j->echo_off;
		do {
			while (i < n && p[i] != ' ' && p[i] != '\n')
				i++;
			while (i < n && (p[i] == ' ' || p[i] == '\n'))
				i++;
		} while (i < n && i - start < min);
		j->echo_off = i;
		if (give(j, p + start, i - start, i == n) == -1) {
			j->ev->end(j, cap_why(j));
			return;
		}
		if (i == n) {
			j->ev->end(j, NULL);
			return;
		}
	}
}

/* The agent took too long: kill its process group. */
static void
timed_out(lws_sorted_usec_list_t *sul)
{
	struct job *j = lws_container_of(sul, struct job, timeout_sul);

	j->timed_out = 1;
	if (j->pid > 0 && !j->reaped)
		kill_group(j, SIGKILL);
}

/* Read what the agent wrote; 0 at end of file or error. */
static ssize_t
read_out(struct job *j, int fd)
{
	char buf[READ_CHUNK];
	ssize_t n;

	do
		n = read(fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n > 0 && !j->capped)
		emit(j, buf, (size_t)n, 1);
	return n;
}

/* Let go of one of the job's descriptors in the loop. */
static void
let_go(struct lws **wsi)
{
	if (*wsi == NULL)
		return;
	lws_set_opaque_user_data(*wsi, NULL);
	lws_set_timeout(*wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
	*wsi = NULL;
}

/* The agent's stdout is done with: read what is left (bounded: a
 * descendant may still write), then close it. */
static void
out_close(struct job *j)
{
	size_t got = 0;
	ssize_t n;

	if (j->out_wsi != NULL) {
		int fd = lws_get_socket_fd(j->out_wsi);

		while (got < DRAIN_MAX && !j->capped &&
		    (n = read_out(j, fd)) > 0)
			got += (size_t)n;
		let_go(&j->out_wsi);
	}
	j->out_done = 1;
}

/*
 * Collect the agent's exit status; 1 once it is reaped.  What is left of
 * its process group is killed first, while the unreaped agent still holds
 * the group's id.
 */
static int
reap(struct job *j)
{
	siginfo_t si;

	if (j->reaped)
		return 1;
	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)j->pid, &si, WEXITED | WNOHANG | WNOWAIT) ==
	    0 && si.si_pid == 0)
		return 0;  /* still running */
	kill_group(j, SIGKILL);
	if (waitpid(j->pid, &j->status, 0) != j->pid)
		j->status = -1;
	j->reaped = 1;
	return 1;
}

static void
reap_poll(lws_sorted_usec_list_t *sul)
{
	struct job *j = lws_container_of(sul, struct job, reap_sul);

	if (!reap(j)) {
		lws_sul_schedule(j->ctx, 0, &j->reap_sul, reap_poll,
		    REAP_POLL_US);
		return;
	}
	finish(j);
}

/*
 * The agent exited (or its stdout closed): once both, kill what is left
 * of its group, read the pipe's rest and end the job with its status.
 */
static void
finish(struct job *j)
{
	char why[96];

	if (j->finished || !j->reaped)
		return;
	j->finished = 1;
	lws_sul_cancel(&j->timeout_sul);
	lws_sul_cancel(&j->reap_sul);
	let_go(&j->exit_wsi);
	out_close(j);
	let_go(&j->in_wsi);
	if (j->tail_len > 0 && !j->capped)
		emit(j, "", 0, 0);  /* a cut-off character becomes U+FFFD */
	if (j->capped)
		snprintf(why, sizeof(why), "%s", cap_why(j));
	else if (j->timed_out)
		snprintf(why, sizeof(why), "agent timed out after %g s",
		    j->timeout);
	else if (j->status == -1)
		snprintf(why, sizeof(why), "agent lost");
	else if (WIFSIGNALED(j->status))
		snprintf(why, sizeof(why), "agent killed by signal %d",
		    WTERMSIG(j->status));
	else if (WEXITSTATUS(j->status) != 0)
		snprintf(why, sizeof(why), "agent exited with status %d",
		    WEXITSTATUS(j->status));
	else {
		if (give(j, "", 0, 1) == 0) {
			j->ev->end(j, NULL);
			return;
		}
		snprintf(why, sizeof(why), "%s", cap_why(j));
	}
	j->ev->end(j, why);
}

static int
agent_callback(struct lws *wsi, enum lws_callback_reasons reason,
    void *user, void *in, size_t len)
{
	struct job *j = lws_get_opaque_user_data(wsi);
	int fd = lws_get_socket_fd(wsi);
	size_t got;
	ssize_t n;

	(void)user;
	(void)in;
	(void)len;
	if (j == NULL)
		return 0;
	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		if (wsi == j->exit_wsi) {
			j->exit_wsi = NULL;
			lws_set_opaque_user_data(wsi, NULL);
			if (reap(j))
				finish(j);
			else  /* cannot be: a pidfd is readable at exit */
				reap_poll(&j->reap_sul);
			return -1;
		}
		if (wsi != j->out_wsi)
			return 0;
		for (got = 0; (n = read_out(j, fd)) > 0 && !j->capped &&
		    !j->paused && got < READ_TURN; got += (size_t)n)
			;
		if (j->capped) {
			/* Past the cap: nothing more is read. */
			lws_set_opaque_user_data(wsi, NULL);
			j->out_wsi = NULL;
			j->out_done = 1;
			if (j->exit_wsi == NULL)
				reap_poll(&j->reap_sul);
			return -1;
		}
		return n > 0 || (n < 0 && errno == EAGAIN) ? 0 : -1;
	case LWS_CALLBACK_RAW_WRITEABLE_FILE:
		if (wsi != j->in_wsi)
			return 0;
		n = write(fd, j->content.p + j->in_off,
		    j->content.len - j->in_off);
		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			lws_callback_on_writable(wsi);
			return 0;
		}
		if (n < 0)
			return -1;  /* EPIPE: the agent does not read */
		j->in_off += (size_t)n;
		if (j->in_off < j->content.len) {
			lws_callback_on_writable(wsi);
			return 0;
		}
		return -1;  /* all written: close, the agent sees EOF */
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		if (wsi == j->in_wsi)
			j->in_wsi = NULL;
		if (wsi == j->exit_wsi)
			j->exit_wsi = NULL;
		if (wsi != j->out_wsi)
			return 0;
		/* lws closes at POLLHUP before the last read: drain first. */
		while (!j->capped && read_out(j, fd) > 0)
			;
		j->out_wsi = NULL;
		j->out_done = 1;
		if (j->capped || j->exit_wsi == NULL)
			reap_poll(&j->reap_sul);  /* no pidfd to wait for */
		return 0;
	default:
		return 0;
	}
}

const struct lws_protocols job_protocol = {
	"chatcat-agent", agent_callback, 0, 0, 0, NULL, 0
};

/* In the child: wire the pipes and run the command through /bin/sh. */
static void
child(struct job *j, const char *cmd, int in, int out, pid_t server)
{
	setpgid(0, 0);
	/* Dies with the server, even by SIGKILL; it may have died already. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != server)
		_exit(126);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	if (dup2(in, 0) == -1 || dup2(out, 1) == -1)
		_exit(126);
	close_range(3, ~0U, 0);
	unsetenv("CHATCAT_TOKEN");
	unsetenv("CHATCAT_API_KEY");
	setenv("CHATCAT_THREAD_ID", j->thread, 1);
	setenv("CHATCAT_AGENT_ID", j->agent, 1);
	setenv("CHATCAT_JOB_ID", j->id, 1);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

/* Adopt a descriptor into the loop. */
static struct lws *
adopt(struct job *j, int fd)
{
	lws_sock_file_fd_type d;
	struct lws *wsi;

	d.filefd = fd;
	wsi = lws_adopt_descriptor_vhost(j->vh, LWS_ADOPT_RAW_FILE_DESC, d,
	    job_protocol.name, NULL);
	if (wsi != NULL)
		lws_set_opaque_user_data(wsi, j);
	else
		close(fd);
	return wsi;
}

static int
spawn(struct job *j, const char *cmd)
{
	pid_t server = getpid();
	int in[2], out[2], pfd;

	if (pipe2(in, O_CLOEXEC) == -1)
		goto fail;
	if (pipe2(out, O_CLOEXEC) == -1) {
		close(in[0]);
		close(in[1]);
		goto fail;
	}
	j->pid = fork();
	if (j->pid == 0)
		child(j, cmd, in[0], out[1], server);
	close(in[0]);
	close(out[1]);
	if (j->pid < 0) {
		close(in[1]);
		close(out[0]);
		goto fail;
	}
	setpgid(j->pid, j->pid);  /* before any kill(-pid) */
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	fcntl(out[0], F_SETPIPE_SZ, READ_TURN);  /* fewer, larger reads */
	j->out_wsi = adopt(j, out[0]);
	j->in_wsi = adopt(j, in[1]);
	if (j->in_wsi != NULL)
		lws_callback_on_writable(j->in_wsi);
	/* Its exit wakes the loop; without pidfds (Linux < 5.3), a timer
	 * looks for it once stdout has closed. */
	pfd = (int)syscall(SYS_pidfd_open, j->pid, 0);
	if (pfd >= 0)
		j->exit_wsi = adopt(j, pfd);
	if (j->out_wsi == NULL) {
		/* Nothing can be read: stop the agent and end the job. */
		kill_group(j, SIGKILL);
		j->out_done = 1;
		let_go(&j->exit_wsi);
		reap_poll(&j->reap_sul);
	}
	return 0;
fail:
	msg_error("job %s: cannot start the agent: %s", j->id,
	    strerror(errno));
	return -1;
}

int
job_start(struct job *j, struct lws_context *ctx, struct lws_vhost *vh,
    const char *cmd, double timeout, const struct job_events *ev)
{
	j->ctx = ctx;
	j->vh = vh;
	j->ev = ev;
	j->timeout = timeout;
	j->started = 1;
	if (cmd == NULL) {
		/* Deliver from the loop, never from inside the caller. */
		lws_sul_schedule(ctx, 0, &j->reap_sul, echo_run, 1);
		return 0;
	}
	if (timeout > 0)
		lws_sul_schedule(ctx, 0, &j->timeout_sul, timed_out,
		    (lws_usec_t)(timeout * 1e6));
	if (spawn(j, cmd) == -1) {
		lws_sul_cancel(&j->timeout_sul);
		return -1;
	}
	return 0;
}

void
job_pause(struct job *j, int pause)
{
	if (j->paused == pause)
		return;
	j->paused = pause;
	if (j->out_wsi != NULL)
		lws_rx_flow_control(j->out_wsi, !pause);
	else if (!pause && j->started && j->pid == 0 &&
	    j->echo_off < j->content.len)
		lws_sul_schedule(j->ctx, 0, &j->reap_sul, echo_run, 1);
}

void
job_kill(struct job *j, int sig)
{
	if (j->pid > 0 && !j->reaped)
		kill_group(j, sig);
}

void
job_free(struct job *j)
{
	if (j->pid > 0 && !j->reaped) {
		kill_group(j, SIGKILL);
		waitpid(j->pid, NULL, 0);
		j->reaped = 1;
	}
	lws_sul_cancel(&j->timeout_sul);
	lws_sul_cancel(&j->reap_sul);
	if (j->in_wsi != NULL)
		lws_set_opaque_user_data(j->in_wsi, NULL);
	if (j->out_wsi != NULL)
		lws_set_opaque_user_data(j->out_wsi, NULL);
	if (j->exit_wsi != NULL)
		lws_set_opaque_user_data(j->exit_wsi, NULL);
	buf_free(&j->content);
	buf_free(&j->reply);
}
