/*
 * The completion generator (gencomp.c): what it reads from the option
 * table, and the three shells' writers.
 */
#ifndef CHATCAT_GENCOMP_H
#define CHATCAT_GENCOMP_H

#include <stddef.h>
#include <stdio.h>

#include "options_table.h"

/* How a shell completes an argument (the metavariable says). */
enum argkind { ARG_TEXT, ARG_FILE, ARG_DIR, ARG_CMD, ARG_CHOICE, ARG_PROFILE };

/* Whether d's argument is optional ("[=N]": only after an '='). */
int gencomp_optional(const struct optdef *d);

/* The number of argument words d takes (0 for a flag or an optional). */
int gencomp_nargs(const struct optdef *d);

/* The metavariable of d's argument k (from 1), in buf. */
const char *gencomp_word(const struct optdef *d, int k, char *buf,
    size_t size);

/* How argument k of d is completed. */
enum argkind gencomp_kind(const struct optdef *d, int k);

/* The names of the commands in cmds (C_*), joined by sep, in buf. */
const char *gencomp_cmds(unsigned cmds, const char *sep, char *buf,
    size_t size);

/* A list of words to write; words beyond its room are dropped. */
#define WORDLIST_MAX 160
struct wordlist {
	char buf[WORDLIST_MAX][64];
	const char *w[WORDLIST_MAX];
	size_t n;
};

void wordlist_add(struct wordlist *l, const char *s);

/* Add "-u" (if d has a short form) and "--url". */
void wordlist_spellings(struct wordlist *l, const struct optdef *d);

/*
 * Add the spellings of the options that a command in cmds (C_*) takes and
 * that take nargs argument words (NARGS_ANY: any number; NARGS_OPTIONAL:
 * an optional one).
 */
#define NARGS_ANY (-1)
#define NARGS_OPTIONAL (-2)
void wordlist_options(struct wordlist *l, unsigned cmds, int nargs);

/*
 * Write the words of l joined by sep, starting a new line with wrap
 * instead of sep where a line would grow long.
 */
void wordlist_write(FILE *f, const struct wordlist *l, const char *sep,
    const char *wrap);

void comp_bash(FILE *f);
void comp_zsh(FILE *f);
void comp_fish(FILE *f);

#endif
