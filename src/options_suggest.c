/*
 * The errors for a mistyped command or option, with a did-you-mean: the
 * closest name in the option table (options_table.h) by optimal string
 * alignment distance (an insertion, deletion, substitution or swap of two
 * neighbours each count one), when it is close enough to be what was
 * meant.
 */
#include <config.h>

#include <string.h>

#include "lib/msg.h"
#include "options_suggest.h"
#include "options_table.h"

#define LONGEST 64

/* The distance between a[0..n) and b, or LONGEST when either is longer. */
static size_t
distance(const char *a, size_t n, const char *b)
{
	size_t d[3][LONGEST + 1];  /* rows i-2, i-1 and i, kept in turn */
	size_t m = strlen(b), i, j, c, v;

	if (n >= LONGEST || m >= LONGEST)
		return LONGEST;
	for (j = 0; j <= m; j++)
		d[0][j] = j;
	for (i = 1; i <= n; i++) {
		size_t *cur = d[i % 3], *prev = d[(i - 1) % 3],
		    *prev2 = d[(i + 1) % 3];

		cur[0] = i;
		for (j = 1; j <= m; j++) {
			c = a[i - 1] != b[j - 1];
			v = prev[j - 1] + c;
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
		}
	}
	return d[n % 3][m];
}

/* Close enough: one edit in a short word, two in one of 6 or more. */
static int
close_enough(size_t d, size_t n)
{
	return d > 0 && d <= (n >= 6 ? 2u : 1u);
}

static const char *
option_name(size_t i)
{
	return options_table[i].name;
}

static const char *
command_name(size_t i)
{
	return options_commands[i].name;
}

/* The closest of count names to word[0..n), if close enough. */
static const char *
closest(const char *word, size_t n, const char *(*name)(size_t),
    size_t count)
{
	const char *best = NULL;
	size_t i, d, bestd = LONGEST;

	for (i = 0; i < count; i++) {
		d = distance(word, n, name(i));
		if (d < bestd) {
			bestd = d;
			best = name(i);
		}
	}
	return close_enough(bestd, n) ? best : NULL;
}

static const char *
suggest_option(const char *word, size_t n)
{
	return closest(word, n, option_name, options_ntable);
}

static const char *
suggest_command(const char *word)
{
	return closest(word, strlen(word), command_name, options_ncommands);
}

void
options_bad_option(int c, int opt, const char *word)
{
	const char *what = c == ':' ? "option needs an argument" :
	    "unknown option";
	const char *meant;
	size_t n;

	if (opt != 0 && opt < 256) {
		msg_error("%s: -%c", what, opt);
		return;
	}
	/* Never what follows '=': it may be a secret. */
	n = strcspn(word, "=");
	meant = c == '?' && strncmp(word, "--", 2) == 0 ?
	    suggest_option(word + 2, n - 2) : NULL;
	if (meant != NULL)
		msg_error("%s: %.*s (did you mean --%s?)", what, (int)n, word,
		    meant);
	else
		msg_error("%s: %.*s", what, (int)n, word);
}

int
options_bad_command(const char *word)
{
	const char *meant = suggest_command(word);

	if (meant != NULL)
		msg_error("unknown command '%s': did you mean %s?", word, meant);
	else
		msg_error("unknown command '%s': use send, history, pipe,"
		    " chat or serve", word);
	return -1;
}
