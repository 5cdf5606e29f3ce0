/*
 * The options below the command line and the environment: the config
 * file's profile (profile.h), and the thread --continue takes from the
 * record of the last one used (state.h).  Called by options_parse() only.
 */
#ifndef CHATCAT_OPTIONS_PROFILE_H
#define CHATCAT_OPTIONS_PROFILE_H

#include "options.h"

/* How options.c applies one option (c as getopt_long gives it). */
typedef int (*options_apply_fn)(struct options *o, int c, const char *arg);

/*
 * Read the profile and apply each of its settings that the command takes
 * and that neither the command line (given: by table row) nor the
 * environment set.  -1 after an error.
 */
int options_profile(struct options *o, const unsigned char *given,
    options_apply_fn apply);

/* Set o->state_key; --continue: take the thread recorded for it. */
int options_continue(struct options *o, const unsigned char *given);

#endif
