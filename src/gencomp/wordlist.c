/*
 * gencomp's lists of words (option spellings, mostly), written joined and
 * wrapped.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "gencomp.h"

void
wordlist_add(struct wordlist *l, const char *s)
{
	if (l->n == WORDLIST_MAX)
		return;
	snprintf(l->buf[l->n], sizeof(l->buf[0]), "%s", s);
	l->w[l->n] = l->buf[l->n];
	l->n++;
}

void
wordlist_spellings(struct wordlist *l, const struct optdef *d)
{
	char s[64];

	if (d->val < 256) {
		snprintf(s, sizeof(s), "-%c", d->val);
		wordlist_add(l, s);
	}
	snprintf(s, sizeof(s), "--%s", d->name);
	wordlist_add(l, s);
}

void
wordlist_options(struct wordlist *l, unsigned cmds, int nargs)
{
	const struct optdef *d;
	size_t i;

	for (i = 0; i < options_ntable; i++) {
		d = &options_table[i];
		if ((d->cmds & cmds) && (nargs == NARGS_ANY ||
		    (nargs == NARGS_OPTIONAL ? gencomp_optional(d) :
		    !gencomp_optional(d) && gencomp_nargs(d) == nargs)))
			wordlist_spellings(l, d);
	}
}

void
wordlist_write(FILE *f, const struct wordlist *l, const char *sep,
    const char *wrap)
{
	size_t i, col = 0;

	for (i = 0; i < l->n; i++) {
		if (i > 0 && col + strlen(sep) + strlen(l->w[i]) > 64) {
			fputs(wrap, f);
			col = 0;
		} else if (i > 0) {
			fputs(sep, f);
			col += strlen(sep);
		}
		fputs(l->w[i], f);
		col += strlen(l->w[i]);
	}
}
