/*
 * Jobs: the echo agent and --agent-cmd.
 *
 * An agent command runs in its own process group under /bin/sh, with the
 * message on its stdin and CHATCAT_THREAD_ID, CHATCAT_AGENT_ID and
 * CHATCAT_JOB_ID in its environment.  Both pipes are adopted into the
 * lws loop as raw files: stdin is written as the pipe takes it, stdout
 * becomes reply parts as soon as it is read.  The job ends when stdout is
 * closed and the process has been reaped.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/msg.h"
#include "job.h"
#include "lib/utf8.h"

#define READ_CHUNK 65536
#define REAP_RETRY_US 10000

static void try_reap(struct job *j);

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
	if (out.len > 0) {
		if (buf_add(&j->reply, out.p, out.len) == -1)
			goto oom;
		j->ev->part(j, out.p, out.len, 0);
	}
	buf_free(&in);
	buf_free(&out);
	return;
oom:
	msg_error("job %s: out of memory", j->id);
	buf_free(&in);
	buf_free(&out);
}

/* The echo agent: the content back, in parts that end after spaces. */
static void
echo_run(lws_sorted_usec_list_t *sul)
{
	struct job *j = lws_container_of(sul, struct job, reap_sul);
	const char *p = j->content.p ? j->content.p : "";
	size_t n = j->content.len, start = 0, i;

	if (n == 0)
		j->ev->part(j, "", 0, 1);
	while (start < n) {
		for (i = start; i < n && p[i] != ' ' && p[i] != '\n'; i++)
			;
		while (i < n && (p[i] == ' ' || p[i] == '\n'))
			i++;
		/* The reply is what has been given so far, as for a command. */
		if (buf_add(&j->reply, p + start, i - start) == -1) {
			j->ev->end(j, "out of memory");
			return;
		}
		j->ev->part(j, p + start, i - start, i == n);
		start = i;
	}
	j->ev->end(j, NULL);
}

/* The agent took too long: kill its process group. */
static void
timed_out(lws_sorted_usec_list_t *sul)
{
	struct job *j = lws_container_of(sul, struct job, timeout_sul);

	j->timed_out = 1;
	if (j->pid > 0 && !j->reaped)
		kill(-j->pid, SIGKILL);
}

static void
reap_later(lws_sorted_usec_list_t *sul)
{
	try_reap(lws_container_of(sul, struct job, reap_sul));
}

/* Once stdout is closed: collect the exit status and end the job. */
static void
try_reap(struct job *j)
{
	char why[96];
	pid_t r;

	if (!j->out_done || j->reaped)
		return;
	r = waitpid(j->pid, &j->status, WNOHANG);
	if (r == 0) {
		lws_sul_schedule(j->ctx, 0,
		    &j->reap_sul, reap_later, REAP_RETRY_US);
		return;
	}
	j->reaped = 1;
	lws_sul_cancel(&j->timeout_sul);
	if (j->tail_len > 0)
		emit(j, "", 0, 0);  /* a cut-off character becomes U+FFFD */
	if (j->timed_out)
		snprintf(why, sizeof(why), "agent timed out after %g s",
		    j->timeout);
	else if (r < 0)
		snprintf(why, sizeof(why), "agent lost: %s", strerror(errno));
	else if (WIFSIGNALED(j->status))
		snprintf(why, sizeof(why), "agent killed by signal %d",
		    WTERMSIG(j->status));
	else if (WEXITSTATUS(j->status) != 0)
		snprintf(why, sizeof(why), "agent exited with status %d",
		    WEXITSTATUS(j->status));
	else {
		j->ev->part(j, "", 0, 1);
		j->ev->end(j, NULL);
		return;
	}
	j->ev->end(j, why);
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
	if (n > 0)
		emit(j, buf, (size_t)n, 1);
	return n;
}

static int
agent_callback(struct lws *wsi, enum lws_callback_reasons reason,
    void *user, void *in, size_t len)
{
	struct job *j = lws_get_opaque_user_data(wsi);
	int fd = lws_get_socket_fd(wsi);
	ssize_t n;

	(void)user;
	(void)in;
	(void)len;
	if (j == NULL)
		return 0;
	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		if (wsi != j->out_wsi)
			return 0;
		n = read_out(j, fd);
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
		if (wsi != j->out_wsi)
			return 0;
		/* lws closes at POLLHUP before the last read: drain first. */
		while (read_out(j, fd) > 0)
			;
		j->out_wsi = NULL;
		j->out_done = 1;
		try_reap(j);
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
child(struct job *j, const char *cmd, int in, int out)
{
	setpgid(0, 0);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	if (dup2(in, 0) == -1 || dup2(out, 1) == -1)
		_exit(126);
	close_range(3, ~0U, 0);
	setenv("CHATCAT_THREAD_ID", j->thread, 1);
	setenv("CHATCAT_AGENT_ID", j->agent, 1);
	setenv("CHATCAT_JOB_ID", j->id, 1);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

/* Adopt one end of a pipe into the loop. */
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
	return wsi;
}

static int
spawn(struct job *j, const char *cmd)
{
	int in[2], out[2];

	if (pipe2(in, O_CLOEXEC) == -1)
		goto fail;
	if (pipe2(out, O_CLOEXEC) == -1) {
		close(in[0]);
		close(in[1]);
		goto fail;
	}
	j->pid = fork();
	if (j->pid == 0)
		child(j, cmd, in[0], out[1]);
	close(in[0]);
	close(out[1]);
	if (j->pid < 0) {
		close(in[1]);
		close(out[0]);
		goto fail;
	}
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	j->out_wsi = adopt(j, out[0]);
	if (j->out_wsi == NULL)
		close(out[0]);
	j->in_wsi = adopt(j, in[1]);
	if (j->in_wsi == NULL)
		close(in[1]);
	else
		lws_callback_on_writable(j->in_wsi);
	if (j->out_wsi == NULL) {
		/* Nothing can be read: stop the agent and end the job. */
		kill(-j->pid, SIGKILL);
		j->out_done = 1;
		try_reap(j);
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
}

void
job_kill(struct job *j)
{
	if (j->pid > 0 && !j->reaped)
		kill(-j->pid, SIGTERM);
}

void
job_free(struct job *j)
{
	if (j->pid > 0 && !j->reaped) {
		kill(-j->pid, SIGKILL);
		waitpid(j->pid, NULL, 0);
		j->reaped = 1;
	}
	lws_sul_cancel(&j->timeout_sul);
	lws_sul_cancel(&j->reap_sul);
	if (j->in_wsi != NULL)
		lws_set_opaque_user_data(j->in_wsi, NULL);
	if (j->out_wsi != NULL)
		lws_set_opaque_user_data(j->out_wsi, NULL);
	buf_free(&j->content);
	buf_free(&j->reply);
}
