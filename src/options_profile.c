/*
 * The config file's profile and --continue, applied to the options
 * (options_profile.h) below what the command line and environment set.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/msg.h"
#include "options_profile.h"
#include "state.h"

static size_t
row_of(int val)
{
	size_t i;

	for (i = 0; i < options_ntable; i++)
		if (options_table[i].val == val)
			break;
	return i;
}

/*
 * Whether the command line set what the option val sets: --fence and
 * --no-fence, -C and -M are one setting each.
 */
static int
given_setting(const unsigned char *given, int val)
{
	static const int pairs[][2] = { { OPT_FENCE, OPT_NO_FENCE },
	    { 'C', 'M' } };
	size_t i;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		if (val == pairs[i][0] || val == pairs[i][1])
			return given[row_of(pairs[i][0])] ||
			    given[row_of(pairs[i][1])];
	return given[row_of(val)];
}

/* Whether the environment (or the command line) set it already. */
static int
set_before(const struct options *o, int val)
{
	const char *t = getenv("CHATCAT_THREAD");

	switch (val) {
	case 'u':
		return o->url != NULL;
	case OPT_TOKEN: case OPT_TOKEN_FILE: case OPT_API_KEY:
	case OPT_API_KEY_FILE:
		return o->cred_kind != CRED_NONE;
	case OPT_THREAD:
		return o->thread != NULL || (t != NULL && t[0] != '\0') ||
		    o->cont || (o->command == CMD_HISTORY && o->ntext > 0);
	default:
		return 0;
	}
}

int
options_profile(struct options *o, const unsigned char *given,
    options_apply_fn apply)
{
	const struct profile_entry *e;
	size_t i;

	if (o->command == CMD_SERVE)
		return 0;
	msg_set_verbosity(o->verbose, o->quiet);
	if (profile_load(&o->profile, o->config, o->profile_name) == -1)
		return -1;
	if (o->profile.name == NULL)
		return 0;
	msg_info("profile [%s] from %s", o->profile.name, o->profile.file);
	for (i = 0; i < o->profile.n; i++) {
		e = &o->profile.v[i];
		if (!(e->def->cmds & (1u << o->command)) ||
		    given_setting(given, e->def->val) ||
		    set_before(o, e->def->val))
			continue;
		if (strcmp(e->value, "false") == 0 && (e->def->arg == NULL ||
		    e->def->arg[0] == '['))
			continue;  /* a flag off: the built-in default */
		if (apply(o, e->def->val, e->def->arg == NULL ||
		    profile_true(e) ? NULL : e->value) == -1) {
			msg_error("%s:%lu: in profile [%s]", o->profile.file,
			    e->line, o->profile.name);
			return -1;
		}
	}
	return 0;
}

int
options_continue(struct options *o, const unsigned char *given)
{
	struct buf b = { 0 };
	int r;

	if (o->command == CMD_SERVE)
		return 0;
	/* The profile's name, or the URL without its query. */
	if ((o->profile.name != NULL ? buf_adds(&b, "profile ") |
	    buf_adds(&b, o->profile.name) : buf_adds(&b, "url ") |
	    buf_add(&b, o->url, strcspn(o->url, "?#"))) != 0) {
		buf_free(&b);
		msg_error("out of memory");
		return -1;
	}
	o->state_key = b.p;
	if (!o->cont)
		return 0;
	if (given[row_of(OPT_THREAD)] || (o->command == CMD_HISTORY &&
	    o->ntext > 0)) {
		msg_error("give --thread (or THREAD) or --continue, not both");
		return -1;
	}
	if ((r = state_thread(o->state_key, o->thread_buf)) == -1)
		return -1;
	if (r == 0) {
		msg_error("--continue: no thread recorded for %s%s%s yet",
		    o->profile.name != NULL ? "profile [" : "",
		    o->state_key + (o->profile.name != NULL ? 8 : 4),
		    o->profile.name != NULL ? "]" : "");
		return -1;
	}
	o->thread = o->thread_buf;
	return 0;
}
