/*
 * Strays (strays.h): the server's children are read from
 * /proc/self/task/PID/children; an agent's environment names its job.
 */
#include <config.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "strays.h"

/* Read a small file (under /proc) whole into buf, NUL-terminated: the
 * bytes read, or 0 or -1 when there is nothing to read. */
static ssize_t
read_small(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd == -1)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n > 0)
		buf[n] = '\0';
	return n;
}

/* Whether the environment of process pid names a job on the list that
 * is still running. */
static int
belongs_to_running(pid_t pid, const struct job *jobs)
{
	char path[64], env[16384];
	const struct job *j;
	ssize_t n;
	size_t i;

	snprintf(path, sizeof(path), "/proc/%d/environ", (int)pid);
	if ((n = read_small(path, env, sizeof(env))) <= 0)
		return 0;
	for (i = 0; i < (size_t)n; i += strlen(env + i) + 1) {
		if (strncmp(env + i, "CHATCAT_JOB_ID=", 15) != 0)
			continue;
		for (j = jobs; j != NULL; j = j->next)
			if (j->pid > 0 && !j->reaped &&
			    strcmp(env + i + 15, j->id) == 0)
				return 1;
	}
	return 0;
}

/* Whether pid is the agent of a job on the list. */
static int
is_agent(pid_t pid, const struct job *jobs)
{
	const struct job *j;

	for (j = jobs; j != NULL; j = j->next)
		if (j->pid == pid && !j->reaped)
			return 1;
	return 0;
}

int
strays_sweep(const struct job *jobs)
{
	char path[64], list[8192], *p, *end;
	pid_t me = getpid(), pid;
	ssize_t n;
	int found = 0;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)me,
	    (int)me);
	if ((n = read_small(path, list, sizeof(list))) <= 0)
		return 0;
	for (p = list; *p != '\0'; p = end) {
		pid = (pid_t)strtol(p, &end, 10);
		if (end == p)
			break;
		if (pid <= 0 || is_agent(pid, jobs) ||
		    belongs_to_running(pid, jobs))
			continue;
		kill(-pid, SIGKILL);  /* it may lead a group (setsid) */
		kill(pid, SIGKILL);
		waitpid(pid, NULL, WNOHANG);
		found++;
	}
	return found;
}

