/*
 * The errors for a mistyped command or option, with a did-you-mean
 * (options_suggest.c).
 */
#ifndef CHATCAT_OPTIONS_SUGGEST_H
#define CHATCAT_OPTIONS_SUGGEST_H

/*
 * getopt_long() returned c ('?' unknown, ':' no argument) for word, with
 * opt its optopt: say so, naming the long option that was likely meant.
 */
void options_bad_option(int c, int opt, const char *word);

/* word is no command: say so, naming the likely one; returns -1. */
int options_bad_command(const char *word);

#endif
