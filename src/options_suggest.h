/* Did-you-mean for a mistyped command or long option (options_suggest.c). */
#ifndef CHATCAT_OPTIONS_SUGGEST_H
#define CHATCAT_OPTIONS_SUGGEST_H

#include <stddef.h>

/* The long option (without "--") that word[0..n) most likely meant, or NULL. */
const char *options_suggest_option(const char *word, size_t n);

/* The command that word most likely meant, or NULL. */
const char *options_suggest_command(const char *word);

#endif
