/*
 * Profiles: named sections of the INI-style config file
 * ($XDG_CONFIG_HOME/chatcat/config, --config or CHATCAT_CONFIG) whose keys
 * are the long options the option table marks C_FILE.  The whole file is
 * checked (unknown key, value of the wrong type, a section or key given
 * twice: "FILE:LINE: reason"), and a file holding a token or API key
 * itself is refused when group or others may read it.  Only the chosen
 * section is kept; options.c applies it below the command line and the
 * environment.
 */
#ifndef CHATCAT_PROFILE_H
#define CHATCAT_PROFILE_H

#include <stddef.h>

#include "options_table.h"

/* One "key = value" line of the chosen section. */
struct profile_entry {
	const struct optdef *def;  /* the option the key names */
	char *value;               /* owned; a flag's is "true" or "false" */
	unsigned long line;
};

struct profile {
	char *file;                /* owned: the file read, or NULL */
	char *name;                /* owned: the section used, or NULL */
	struct profile_entry *v;   /* owned */
	size_t n;
};

/*
 * Read the profile called name (NULL: CHATCAT_PROFILE, or else "default",
 * which may be missing) from file (NULL: CHATCAT_CONFIG, or else the
 * default place, which may be missing).  0 with p->name NULL when there is none to use; -1 after an
 * error, which has been reported.  Call profile_free() in both cases.
 */
int profile_load(struct profile *p, const char *file, const char *name);

/* Whether a flag's value (as profile_load() stored it) turns it on. */
int profile_true(const struct profile_entry *e);

void profile_free(struct profile *p);

#endif
