/*
 * Option parsing.  One table (options_table.c) describes every option and
 * the commands that take it: getopt_long's arrays, --help (whole or per
 * command, options_usage.c), the check that an option applies and the
 * shell completions (src/gencomp/) are all generated from it, so they
 * cannot drift apart.  The checks of combinations are in options_check.c.
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/io.h"
#include "lib/msg.h"
#include "options.h"
#include "options_suggest.h"
#include "options_profile.h"
#include "options_table.h"

#define DEFAULT_URL "ws://127.0.0.1:8765/chat/ws"

/* Parse a duration in seconds: a finite number from 0 to 1e6. */
static int
parse_secs(const char *name, const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !isfinite(v) ||
	    v < 0 || v > 1e6) {
		msg_error("--%s: invalid number of seconds: '%s'", name, s);
		return -1;
	}
	*out = v;
	return 0;
}

static int
parse_size(const char *name, const char *s, size_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' || v < 1 ||
	    v > (1ULL << 31) - 1) {
		msg_error("--%s: invalid size: '%s'", name, s);
		return -1;
	}
	*out = (size_t)v;
	return 0;
}

/* Take a credential; a second one on the command line is an error. */
static int
set_cred(struct options *o, enum cred_kind kind, const char *value,
    int from_file)
{
	char *v;

	if (o->cred_kind != CRED_NONE) {
		msg_error("give exactly one credential (--token, --token-file,"
		    " --api-key or --api-key-file)");
		return -1;
	}
	if (from_file) {
		v = io_read_secret_file(value);
		if (v == NULL)
			return -1;
	} else {
		v = strdup(value);
		if (v == NULL) {
			msg_error("out of memory");
			return -1;
		}
	}
	o->cred_kind = kind;
	o->cred = v;
	return 0;
}

/*
 * Whether s can go into a request header as it is: no CR, LF or other
 * control character (a tab is allowed), so that it cannot end the header.
 */
static int
header_text_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if ((*s > 0 && *s < 0x20 && *s != '\t') || *s == 0x7f)
			return 0;
	return 1;
}

static int
add_header(struct options *o, const char *h)
{
	const char **n;
	const char *colon = strchr(h, ':');

	if (!header_text_ok(h)) {
		msg_error("--header: a header cannot contain CR, LF or other"
		    " control characters");
		return -1;
	}
	if (colon == NULL || colon == h ||
	    strcspn(h, " \t\"(),/;<=>?@[\\]{}") < (size_t)(colon - h)) {
		msg_error("--header: expected 'Name: value', got '%s'", h);
		return -1;
	}
	n = realloc(o->headers, (o->nheaders + 1) * sizeof(*n));
	if (n == NULL) {
		msg_error("out of memory");
		return -1;
	}
	n[o->nheaders++] = h;
	o->headers = n;
	return 0;
}

/* --origin and --user-agent: a header value of their own. */
static int
set_header_value(const char **dst, const char *opt, const char *v)
{
	if (!header_text_ok(v)) {
		msg_error("--%s: a header cannot contain CR, LF or other"
		    " control characters", opt);
		return -1;
	}
	*dst = v;
	return 0;
}

static int
parse_long(const char *name, const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max) {
		msg_error("--%s: expected a number from %ld to %ld, got '%s'",
		    name, min, max, s);
		return -1;
	}
	*out = v;
	return 0;
}

/* The row of the option getopt_long() returned as c. */
static const struct optdef *
optdef_of(int c)
{
	size_t i;

	for (i = 0; i < options_ntable; i++)
		if (options_table[i].val == c)
			return &options_table[i];
	return NULL;
}

/*
 * --arg NAME VALUE and its kin (c is the OPT_*) take two arguments:
 * getopt gives NAME, and VALUE is the next word, which is consumed here.
 */
static int
add_jq_arg(struct options *o, int c, const char *name, int argc, char **argv)
{
	struct jq_arg *n;
	enum jq_arg_kind kind = c == OPT_ARG ? JQ_ARG_STRING :
	    c == OPT_ARGJSON ? JQ_ARG_JSON :
	    c == OPT_SLURPFILE ? JQ_ARG_SLURPFILE : JQ_ARG_RAWFILE;

	if (optind >= argc) {
		msg_error("--%s %s: a second argument is needed",
		    optdef_of(c)->name, name);
		return -1;
	}
	n = realloc(o->jq_args, (o->njq_args + 1) * sizeof(*n));
	if (n == NULL) {
		msg_error("out of memory");
		return -1;
	}
	n[o->njq_args++] = (struct jq_arg){ kind, name, argv[optind++] };
	o->jq_args = n;
	return 0;
}

/* --sync MODE: normal or full. */
static int
set_sync(struct options *o, const char *arg)
{
	if (strcmp(arg, "normal") == 0 || strcmp(arg, "full") == 0) {
		o->sync_full = arg[0] == 'f';
		return 0;
	}
	msg_error("--sync: expected normal or full, got '%s'", arg);
	return -1;
}

/*
 * --jq and --until: a filter that looks like a flag (--jq -r .content) was
 * meant as one; jq's own filters never start with a letter after '-'.
 */
static int
set_filter(const char **dst, const char *opt, const char *arg)
{
	const char *p = arg + (arg[0] == '-') + (arg[0] == '-' && arg[1] == '-');

	if (p > arg && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) {
		msg_error("--%s took '%s' as its filter; put the filter right"
		    " after --%s", opt, arg, opt);
		return -1;
	}
	*dst = arg;
	return 0;
}

/* The options that shape the output: jq's, -t, --until, --count. */
static int
apply_output(struct options *o, int c, const char *arg)
{
	long n;

	switch (c) {
	case OPT_JQ: return set_filter(&o->jq, "jq", arg);
	case 'r': o->raw_output = 1; return 0;
	case 'e': o->jq_exit_status = 1; return 0;
	case 't': o->text_reply = 1; return 0;
	case OPT_JQ_FILE: o->jq_file = arg; return 0;
	case 'j': o->join_output = 1; return 0;
	case 'a': o->ascii = 1; return 0;
	case 'S': o->sort_keys = 1; return 0;
	case 'C': o->color = 1; return 0;
	case 'M': o->color = -1; return 0;
	case 'c': o->indent = 0; o->tab = 0; return 0;
	case OPT_TAB: o->tab = 1; return 0;
	case OPT_INDENT: return parse_long("indent", arg, 0, 7, &n) == -1 ? -1 :
	    (o->indent = (int)n, 0);
	case OPT_UNTIL: return set_filter(&o->until, "until", arg);
	case OPT_COUNT: return parse_long("count", arg, 1, LONG_MAX, &o->count);
	default: return -1;
	}
}

/* Apply one option; -1 after printing an error. */
static int
apply(struct options *o, int c, const char *arg, int argc, char **argv)
{
	switch (c) {
	case OPT_ARG: case OPT_ARGJSON: case OPT_SLURPFILE: case OPT_RAWFILE:
		return add_jq_arg(o, c, arg, argc, argv);
	case 'u': o->url = arg; return 0;
	case OPT_TOKEN: return set_cred(o, CRED_TOKEN, arg, 0);
	case OPT_TOKEN_FILE: return set_cred(o, CRED_TOKEN, arg, 1);
	case OPT_API_KEY: return set_cred(o, CRED_KEY, arg, 0);
	case OPT_API_KEY_FILE: return set_cred(o, CRED_KEY, arg, 1);
	case 'H': return add_header(o, arg);
	case OPT_ORIGIN: return set_header_value(&o->origin, "origin", arg);
	case OPT_USER_AGENT:
		return set_header_value(&o->user_agent, "user-agent", arg);
	case OPT_CACERT: o->cacert = arg; return 0;
	case OPT_CAPATH: o->capath = arg; return 0;
	case OPT_CERT: o->cert = arg; return 0;
	case OPT_CERT_KEY: o->cert_key = arg; return 0;
	case 'k': o->insecure = 1; return 0;
	case OPT_PROXY: o->proxy = arg; return 0;
	case OPT_NOPROXY: o->noproxy = arg; return 0;
	case OPT_CONNECT_TIMEOUT:
		return parse_secs("connect-timeout", arg, &o->connect_timeout);
	case 'W': return parse_secs("timeout", arg, &o->timeout);
	case OPT_IDLE: return parse_secs("idle", arg, &o->idle);
	case OPT_FENCE: o->fence = 1; return 0;
	case OPT_NO_FENCE: o->fence = 0; return 0;
	case OPT_MAX_FRAME: return parse_size("max-frame", arg, &o->max_frame);
	case OPT_BUFFERED: o->buffered = 1; return 0;
	case 'R': o->raw_input = 1; return 0;
	case OPT_STRICT: o->strict = 1; return 0;
	case OPT_FOLLOW: o->follow = 1; return 0;
	case OPT_RECONNECT:
		o->reconnect = 1;
		return arg == NULL ? 0 : parse_long("reconnect", arg, 0,
		    1000000, &o->reconnect_tries);
	case OPT_BACKFILL: o->backfill = 1; return 0;
	case OPT_EVENTS: o->events = arg; return 0;
	case OPT_EVENTS_FD:
		return parse_long("events-fd", arg, 0, INT_MAX, &o->events_fd);
	case OPT_THREAD: o->thread = arg; return 0;
	case OPT_AGENT: o->agent = arg; return 0;
	case OPT_LISTEN: o->listen = arg; return 0;
	case OPT_DB: o->db = arg; return 0;
	case OPT_AUTH_FILE: o->auth_file = arg; return 0;
	case OPT_AGENT_CMD: o->agent_cmd = arg; return 0;
	case OPT_PING_INTERVAL:
		return parse_secs("ping-interval", arg, &o->ping_interval);
	case OPT_PING_TIMEOUT:
		return parse_secs("ping-timeout", arg, &o->ping_timeout);
	case OPT_AGENT_TIMEOUT:
		return parse_secs("agent-timeout", arg, &o->agent_timeout);
	case OPT_SYNC: return set_sync(o, arg);
	case OPT_CONFIG: o->config = arg; return 0;
	case OPT_PROFILE: o->profile_name = arg; return 0;
	case OPT_CONTINUE: o->cont = 1; return 0;
	case OPT_DRY_RUN: o->dry_run = 1; return 0;
	case OPT_MAX_JOBS:
		return parse_long("max-jobs", arg, 1, 100000, &o->max_jobs);
	case OPT_MAX_REPLY:
		return parse_size("max-reply", arg, &o->max_reply);
	case 'v': o->verbose++; return 0;
	case 'q': o->quiet = 1; return 0;
	case 'h': o->command = CMD_HELP; return 0;
	case 'V': o->command = CMD_VERSION; return 0;
	default: return apply_output(o, c, arg);
	}
}

/* apply() for a value of the config file, which has one argument. */
static int
apply_one(struct options *o, int c, const char *arg)
{
	return apply(o, c, arg, 0, NULL);
}

/* Build getopt_long's arrays from the table. */
static void
build_getopt(struct option *longs, char *shorts)
{
	const struct optdef *d;
	size_t i, s = 0;

	shorts[s++] = ':';  /* report a missing argument as ':' */
	for (i = 0; i < options_ntable; i++) {
		d = &options_table[i];
		longs[i].name = d->name;
		longs[i].has_arg = d->arg == NULL ? no_argument :
		    strncmp(d->arg, "[=", 2) == 0 ? optional_argument :
		    required_argument;
		longs[i].flag = NULL;
		longs[i].val = d->val;
		if (d->val < 256) {
			shorts[s++] = (char)d->val;
			if (d->arg)
				shorts[s++] = ':';
		}
	}
	memset(&longs[options_ntable], 0, sizeof(longs[options_ntable]));
	shorts[s] = '\0';
}

/* Fill what the command line left out from the environment. */
static int
apply_env(struct options *o)
{
	const char *tok = getenv("CHATCAT_TOKEN");
	const char *key = getenv("CHATCAT_API_KEY");

	if (o->url == NULL)
		o->url = getenv("CHATCAT_URL");
	if (o->url != NULL && o->url[0] == '\0')
		o->url = NULL;
	if (o->thread == NULL && (o->command == CMD_SEND ||
	    o->command == CMD_PIPE))
		o->thread = getenv("CHATCAT_THREAD");
	if (o->cred_kind != CRED_NONE)
		return 0;
	if (tok != NULL && tok[0] != '\0' && key != NULL && key[0] != '\0') {
		msg_error("both CHATCAT_TOKEN and CHATCAT_API_KEY are set:"
		    " give exactly one credential");
		return -1;
	}
	if (tok != NULL && tok[0] != '\0')
		return set_cred(o, CRED_TOKEN, tok, 0);
	if (key != NULL && key[0] != '\0')
		return set_cred(o, CRED_KEY, key, 0);
	return 0;
}

/* Every option given must apply to the command (the table says). */
static int
check_applies(enum command cmd, const unsigned char *given)
{
	size_t i;

	for (i = 0; i < options_ntable; i++)
		if (given[i] && !(options_table[i].cmds & (1u << cmd))) {
			msg_error("--%s does not apply to %s",
			    options_table[i].name, options_command_name(cmd));
			return -1;
		}
	return 0;
}

int
options_parse(struct options *o, int argc, char **argv)
{
	struct option longs[options_ntable + 1];
	char shorts[2 * options_ntable + 3];
	unsigned char given[options_ntable];
	const struct optdef *d;
	int c, i;

	*o = (struct options){
		.connect_timeout = 10,
		.timeout = -1,
		.fence = -1,
		.max_frame = 16u << 20,
		.agent_timeout = 300,
		.ping_interval = 20,
		.ping_timeout = 10,
		.events_fd = -1,
	};
	memset(given, 0, sizeof(given));
	build_getopt(longs, shorts);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		if (c == '?' || c == ':') {
			options_bad_option(c, optopt, argv[optind - 1]);
			return -1;
		}
		if ((d = optdef_of(c)) != NULL)
			given[d - options_table] = 1;
		if (apply(o, c, optarg, argc, argv) == -1)
			return -1;
	}
	if (o->command != CMD_HELP && optind < argc &&
	    strcmp(argv[optind], "help") == 0) {  /* chatcat help [COMMAND] */
		o->command = CMD_HELP;
		optind++;
		if (optind < argc && options_command(argv[optind]) == CMD_NONE)
			return options_bad_command(argv[optind]);
	}
	if (o->command == CMD_HELP && optind < argc)
		o->help_for = options_command(argv[optind]);
	if (o->command == CMD_HELP || o->command == CMD_VERSION)
		return 0;
	if (optind >= argc) {
		msg_error("no command given: use send, history, pipe, chat or"
		    " serve");
		return -1;
	}
	o->command = options_command(argv[optind]);
	if (o->command == CMD_NONE)
		return options_bad_command(argv[optind]);
	if (check_applies(o->command, given) == -1)
		return -1;
	i = optind + 1;
	o->text = argv + i;
	o->ntext = argc - i;
	if (apply_env(o) == -1 || options_profile(o, given, apply_one) == -1)
		return -1;
	if (o->url == NULL) {
		o->url = DEFAULT_URL;
		o->url_default = 1;
	}
	return options_continue(o, given);
}

void
options_free(struct options *o)
{
	if (o->cred != NULL) {
		memset(o->cred, 0, strlen(o->cred));
		free(o->cred);
	}
	free(o->headers);
	free(o->jq_args);
	profile_free(&o->profile);
	free(o->state_key);
	*o = (struct options){ 0 };
}
