/*
 * --help, whole or for one command (chatcat help COMMAND, chatcat COMMAND
 * --help), printed from the option table (options_table.h); the synopses
 * and examples of each command are here.
 */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "options.h"
#include "options_table.h"

/* A command's synopsis (after "chatcat [options] ") and two examples. */
static const struct cmdhelp {
	enum command cmd;
	const char *synopsis;
	const char *examples[2];
} cmdhelp[] = {
	{ CMD_SEND, "send [--thread UUID] [--agent UUID] [--] [TEXT...]", {
	    "chatcat send 'What is on the agenda?'",
	    "chatcat send --thread \"$THREAD\" -- what does -v mean" } },
	{ CMD_HISTORY, "history [--thread UUID | THREAD]", {
	    "chatcat history \"$THREAD\"",
	    "chatcat history \"$THREAD\" --jq .content -r" } },
	{ CMD_PIPE, "pipe [-R] [--thread UUID] [--agent UUID] [--follow]"
	    " [--reconnect[=N]] [--backfill]", {
	    "jq -c '{type: \"message\", content: .}' q.json |"
	    " chatcat --thread \"$THREAD\" pipe",
	    "tail -f questions.ndjson | chatcat --reconnect --backfill pipe" } },
	{ CMD_CHAT, "chat [--thread UUID] [--agent UUID]", {
	    "chatcat chat",
	    "chatcat --thread \"$THREAD\" chat" } },
	{ CMD_SERVE, "serve [--listen [ADDR:]PORT] [--db FILE]"
	    " [--auth-file FILE] [--agent-cmd CMD]", {
	    "chatcat serve --listen 0 >server.line &",
	    "chatcat serve --listen 0.0.0.0:8765 --auth-file principals" } },
};

#define NCMDHELP (sizeof(cmdhelp) / sizeof(cmdhelp[0]))

static const struct cmdhelp *
cmdhelp_of(enum command cmd)
{
	size_t i;

	for (i = 0; i < NCMDHELP; i++)
		if (cmdhelp[i].cmd == cmd)
			return &cmdhelp[i];
	return NULL;
}

/* "usage: chatcat [options] SYNOPSIS" for one command. */
static void
synopsis(const char *lead, const struct cmddef *c)
{
	const struct cmdhelp *h = cmdhelp_of(c->cmd);

	if (h != NULL)
		printf("%s chatcat [options] %s\n", lead, h->synopsis);
	else
		printf("%s chatcat [options] %s%s\n", lead, c->name,
		    c->operands);
}

/* One line of the table: "  -u, --url URL    server URL ...". */
static void
usage_line(const struct optdef *d)
{
	char left[64];
	const char *sep = d->arg == NULL ||
	    strncmp(d->arg, "[=", 2) == 0 ? "" : " ";

	if (d->val < 256)
		snprintf(left, sizeof(left), "-%c, --%s%s%s", d->val,
		    d->name, sep, d->arg ? d->arg : "");
	else
		snprintf(left, sizeof(left), "    --%s%s%s", d->name,
		    sep, d->arg ? d->arg : "");
	printf("  %-30s %s\n", left, d->help);
}

/* "Options of send and pipe:": the commands of a set, in words. */
static void
heading(unsigned cmds)
{
	const char *sep = "";
	size_t i, k = 0, n = 0;

	if (cmds == C_ALL) {
		printf("\nOptions of every command:\n");
		return;
	}
	for (i = 0; i < options_ncommands; i++)
		n += (cmds & (1u << options_commands[i].cmd)) != 0;
	printf("\nOptions of ");
	for (i = 0; i < options_ncommands; i++) {
		if (!(cmds & (1u << options_commands[i].cmd)))
			continue;
		k++;
		printf("%s%s", sep, options_commands[i].name);
		sep = k + 1 == n ? " and " : ", ";
	}
	printf(":\n");
}

/* Every option, grouped by the commands that take them. */
static void
all_options(void)
{
	unsigned seen[sizeof(unsigned) * 8], mask = 0, m;
	size_t i, j, k, nseen = 0;

	for (i = 0; i < options_ncommands; i++)  /* not C_FILE and such */
		mask |= 1u << options_commands[i].cmd;
	for (i = 0; i < options_ntable; i++) {
		m = options_table[i].cmds & mask;
		for (k = 0; k < nseen; k++)
			if (seen[k] == m)
				break;
		if (m == 0 || k < nseen ||
		    nseen == sizeof(seen) / sizeof(seen[0]))
			continue;
		seen[nseen++] = m;
		heading(m);
		for (j = i; j < options_ntable; j++)
			if ((options_table[j].cmds & mask) == m)
				usage_line(&options_table[j]);
	}
}

static void
whole(void)
{
	size_t i;

	for (i = 0; i < options_ncommands; i++)
		synopsis(i == 0 ? "usage:" : "      ", &options_commands[i]);
	printf("       chatcat help [COMMAND] | chatcat COMMAND --help\n"
	    "       chatcat --help | --version\n\n"
	    "Send messages to a WebSocket Chat API server and print"
	    " its frames as NDJSON.\n\nCommands:\n");
	for (i = 0; i < options_ncommands; i++)
		printf("  %-9s %s\n", options_commands[i].name,
		    options_commands[i].help);
	all_options();
	printf("\nOptions may come before or after the command; after -- every"
	    " word is TEXT.\n"
	    "Environment: CHATCAT_URL, CHATCAT_TOKEN, CHATCAT_API_KEY,"
	    " CHATCAT_THREAD,\n  http_proxy, https_proxy, all_proxy,"
	    " no_proxy, NO_COLOR.\nExit status: 0 done, 1 server error, 2 usage,"
	    " 3-5 jq, 10-15 connection, 20-21 completion,\n  124 timeout.\n"
	    "See chatcat(1).\n");
}

/* chatcat help COMMAND: its synopsis, options and examples. */
static void
one(enum command only)
{
	const struct cmdhelp *h = cmdhelp_of(only);
	size_t i;

	for (i = 0; i < options_ncommands; i++)
		if (options_commands[i].cmd == only) {
			synopsis("usage:", &options_commands[i]);
			printf("\n%c%s.\n\nOptions:\n",
			    toupper((unsigned char)options_commands[i].help[0]),
			    options_commands[i].help + 1);
		}
	for (i = 0; i < options_ntable; i++)
		if (options_table[i].cmds & (1u << only))
			usage_line(&options_table[i]);
	if (only != CMD_SERVE && only != CMD_CHAT)  /* no operands */
		printf("\nOptions may come before or after the command; after"
		    " -- every word is an operand.\n");
	if (h != NULL)
		printf("\nExamples:\n  %s\n  %s\n", h->examples[0],
		    h->examples[1]);
	printf("\nSee chatcat(1).\n");
}

void
options_usage(enum command only)
{
	if (only == CMD_NONE)
		whole();
	else
		one(only);
}
