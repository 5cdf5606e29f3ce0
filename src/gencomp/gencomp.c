/*
 * gencomp: print chatcat's bash, zsh or fish completion, made from the
 * option table (options_table.h), so that the completions know every
 * option, the commands that take it and what its argument is.  Not
 * installed: "make completions" writes completions/ with it, and
 * tests/completions.sh checks that the committed files equal its output.
 *
 *	gencomp bash|zsh|fish
 *
 * The shell code around the tables is in comp_bash.c, comp_zsh.c and
 * comp_fish.c; wordlist.c writes lists of words.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "gencomp.h"
#include "options_table.h"

int
gencomp_optional(const struct optdef *d)
{
	return d->arg != NULL && strncmp(d->arg, "[=", 2) == 0;
}

int
gencomp_nargs(const struct optdef *d)
{
	const char *p;
	int n = 1;

	if (d->arg == NULL || gencomp_optional(d))
		return 0;
	if (d->arg[0] == '\'')  /* 'NAME: VALUE' is one word */
		return 1;
	for (p = d->arg; *p != '\0'; p++)
		n += *p == ' ';
	return n;
}

const char *
gencomp_word(const struct optdef *d, int k, char *buf, size_t size)
{
	const char *p = d->arg, *end;

	if (gencomp_optional(d)) {
		snprintf(buf, size, "%.*s", (int)strcspn(p + 2, "]"), p + 2);
		return buf;
	}
	if (gencomp_nargs(d) == 1) {
		snprintf(buf, size, "%s", p);
		return buf;
	}
	while (--k > 0 && (end = strchr(p, ' ')) != NULL)
		p = end + 1;
	snprintf(buf, size, "%.*s", (int)strcspn(p, " "), p);
	return buf;
}

enum argkind
gencomp_kind(const struct optdef *d, int k)
{
	char w[64];

	if (d->choices != NULL)
		return ARG_CHOICE;
	gencomp_word(d, k, w, sizeof(w));
	return strcmp(w, "FILE") == 0 ? ARG_FILE : strcmp(w, "DIR") == 0 ?
	    ARG_DIR : strcmp(w, "CMD") == 0 ? ARG_CMD :
	    strcmp(w, "PROFILE") == 0 ? ARG_PROFILE : ARG_TEXT;
}

const char *
gencomp_cmds(unsigned cmds, const char *sep, char *buf, size_t size)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < options_ncommands; i++)
		if (cmds & (1u << options_commands[i].cmd))
			len += (size_t)snprintf(buf + len, size - len, "%s%s",
			    len > 0 ? sep : "", options_commands[i].name);
	return buf;
}

int
main(int argc, char **argv)
{
	FILE *f = stdout;

	if (argc != 2) {
		fprintf(stderr, "usage: gencomp bash|zsh|fish\n");
		return 2;
	}
	if (strcmp(argv[1], "bash") == 0)
		comp_bash(f);
	else if (strcmp(argv[1], "zsh") == 0)
		comp_zsh(f);
	else if (strcmp(argv[1], "fish") == 0)
		comp_fish(f);
	else {
		fprintf(stderr, "gencomp: unknown shell '%s'\n", argv[1]);
		return 2;
	}
	if (fflush(f) != 0 || ferror(f)) {
		perror("gencomp: stdout");
		return 1;
	}
	return 0;
}
