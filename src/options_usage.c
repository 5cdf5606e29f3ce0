/*
 * --help, whole or for one command, printed from the option table
 * (options_table.h).
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "options.h"
#include "options_table.h"

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

void
options_usage(enum command only)
{
	const char *name;
	size_t i;

	if (only != CMD_NONE) {  /* chatcat COMMAND --help */
		name = options_command_name(only);
		for (i = 0; i < options_ncommands; i++)
			if (options_commands[i].cmd == only)
				printf("usage: chatcat [options] %s%s\n\n"
				    "Options of %s:\n", name,
				    options_commands[i].operands, name);
	} else
		printf("usage: chatcat [options] send [--thread UUID]"
		    " [--agent UUID] [--] [TEXT...]\n"
		    "       chatcat [options] history [--thread UUID |"
		    " THREAD]\n"
		    "       chatcat [options] pipe [-R] [--thread UUID]"
		    " [--agent UUID] [--follow]\n"
		    "       chatcat [options] chat [--thread UUID]"
		    " [--agent UUID]\n"
		    "       chatcat [options] serve [--listen [ADDR:]PORT]"
		    " [--db FILE] [--auth-file FILE]\n"
		    "               [--agent-cmd CMD]\n"
		    "       chatcat --help | --version\n\n"
		    "Send messages to a WebSocket Chat API server and print"
		    " its frames as NDJSON.\n\nOptions:\n");
	for (i = 0; i < options_ntable; i++)
		if (only == CMD_NONE ||
		    (options_table[i].cmds & (1u << only)))
			usage_line(&options_table[i]);
	printf("\nEnvironment: CHATCAT_URL, CHATCAT_TOKEN, CHATCAT_API_KEY,"
	    " CHATCAT_THREAD,\n  http_proxy, https_proxy, all_proxy,"
	    " no_proxy.\nExit status: 0 done, 1 server error, 2 usage,"
	    " 3-5 jq, 10-15 connection, 20-21 completion,\n  124 timeout.\n"
	    "See chatcat(1).\n");
}
