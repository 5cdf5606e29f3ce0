/*
 * Option parsing.  One static table describes every option and the
 * commands that take it: getopt_long's arrays, --help (whole or per
 * command) and the check that an option applies are all generated from
 * it, so they cannot drift apart.  The checks of combinations are in
 * options_check.c.
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

#define DEFAULT_URL "ws://127.0.0.1:8765/chat/ws"

enum {
	OPT_TOKEN = 256, OPT_TOKEN_FILE, OPT_API_KEY, OPT_API_KEY_FILE,
	OPT_CACERT, OPT_CONNECT_TIMEOUT, OPT_IDLE, OPT_FENCE, OPT_NO_FENCE, OPT_MAX_FRAME,
	OPT_JQ, OPT_THREAD, OPT_AGENT, OPT_LISTEN, OPT_DB, OPT_AUTH_FILE,
	OPT_AGENT_CMD, OPT_AGENT_TIMEOUT, OPT_JQ_FILE, OPT_TAB, OPT_INDENT,
	OPT_ARG, OPT_ARGJSON, OPT_SLURPFILE, OPT_RAWFILE, OPT_UNTIL, OPT_COUNT,
	OPT_BUFFERED, OPT_STRICT, OPT_FOLLOW, OPT_PING_INTERVAL, OPT_PROXY,
	OPT_NOPROXY, OPT_PING_TIMEOUT, OPT_RECONNECT, OPT_BACKFILL, OPT_ORIGIN,
	OPT_USER_AGENT, OPT_CAPATH, OPT_CERT, OPT_CERT_KEY, OPT_EVENTS,
	OPT_EVENTS_FD,
	OPT_SYNC
};

/* The commands an option applies to. */
#define C_SEND (1u << CMD_SEND)
#define C_HISTORY (1u << CMD_HISTORY)
#define C_PIPE (1u << CMD_PIPE)
#define C_SERVE (1u << CMD_SERVE)
#define C_CLIENT (C_SEND | C_HISTORY | C_PIPE)
#define C_ALL (C_CLIENT | C_SERVE)

struct optdef {
	const char *name;
	int val;          /* short option character or OPT_* */
	const char *arg;  /* metavariable, NULL for a flag; "[=X]" optional */
	const char *help;
	unsigned cmds;    /* C_*: the commands that take it */
};

static const struct optdef optdefs[] = {
	{ "url", 'u', "URL", "server URL (ws, wss, http, https or host[:port])",
	    C_CLIENT },
	{ "token", OPT_TOKEN, "TOKEN", "bearer token, sent as ?token=",
	    C_ALL },
	{ "token-file", OPT_TOKEN_FILE, "FILE", "read the token from FILE",
	    C_ALL },
	{ "api-key", OPT_API_KEY, "KEY", "API key, sent as ?key=",
	    C_ALL },
	{ "api-key-file", OPT_API_KEY_FILE, "FILE", "read the API key from FILE",
	    C_ALL },
	{ "header", 'H', "'NAME: VALUE'", "extra upgrade request header (repeatable)",
	    C_CLIENT },
	{ "origin", OPT_ORIGIN, "URL", "send an Origin header in the upgrade request",
	    C_CLIENT },
	{ "user-agent", OPT_USER_AGENT, "STRING", "User-Agent header (chatcat/VERSION; '' none)",
	    C_CLIENT },
	{ "cacert", OPT_CACERT, "FILE", "CA certificates to verify a wss server",
	    C_CLIENT },
	{ "capath", OPT_CAPATH, "DIR", "hashed directory of CA certificates (openssl rehash)",
	    C_CLIENT },
	{ "cert", OPT_CERT, "FILE", "client certificate (PEM; may hold the chain and key)",
	    C_CLIENT },
	{ "cert-key", OPT_CERT_KEY, "FILE", "the client certificate's private key (PEM)",
	    C_CLIENT },
	{ "insecure", 'k', NULL, "do not verify the server certificate",
	    C_CLIENT },
	{ "proxy", OPT_PROXY, "URL", "HTTP proxy http://[USER:PASS@]HOST[:PORT] ('' none)",
	    C_CLIENT },
	{ "noproxy", OPT_NOPROXY, "LIST", "hosts to reach without a proxy (overrides no_proxy)",
	    C_CLIENT },
	{ "connect-timeout", OPT_CONNECT_TIMEOUT, "SECS", "connect and upgrade deadline (10)",
	    C_CLIENT },
	{ "timeout", 'W', "SECS", "whole-run deadline (send 300, history 60; 0 none)",
	    C_CLIENT },
	{ "idle", OPT_IDLE, "SECS", "last resort: SECS of silence end a reply (exit 20)",
	    C_CLIENT },
	{ "fence", OPT_FENCE, NULL, "a fence after every request (default: until not needed)",
	    C_CLIENT },
	{ "no-fence", OPT_NO_FENCE, NULL, "never send a fence frame",
	    C_CLIENT },
	{ "max-frame", OPT_MAX_FRAME, "BYTES", "largest message or input value accepted (16777216)",
	    C_ALL },
	{ "jq", OPT_JQ, "EXPR", "jq filter applied to every frame",
	    C_CLIENT },
	{ "jq-file", OPT_JQ_FILE, "FILE", "read the jq filter from FILE",
	    C_CLIENT },
	{ "raw-output", 'r', NULL, "with --jq: write strings without quotes",
	    C_CLIENT },
	{ "join-output", 'j', NULL, "with --jq: like -r, and no newline after outputs",
	    C_CLIENT },
	{ "ascii-output", 'a', NULL, "with --jq: escape all non-ASCII characters",
	    C_CLIENT },
	{ "sort-keys", 'S', NULL, "with --jq: sort the keys of objects",
	    C_CLIENT },
	{ "color-output", 'C', NULL, "with --jq: colour, even when not a terminal",
	    C_CLIENT },
	{ "monochrome-output", 'M', NULL, "with --jq: no colour",
	    C_CLIENT },
	{ "tab", OPT_TAB, NULL, "with --jq: indent with tabs",
	    C_CLIENT },
	{ "indent", OPT_INDENT, "N", "with --jq: indent with N spaces (0-7; 0 compact)",
	    C_CLIENT },
	{ "arg", OPT_ARG, "NAME VALUE", "$NAME is the string VALUE in the filters",
	    C_CLIENT },
	{ "argjson", OPT_ARGJSON, "NAME JSON", "$NAME is the JSON value in the filters",
	    C_CLIENT },
	{ "slurpfile", OPT_SLURPFILE, "NAME FILE", "$NAME is the array of FILE's JSON values",
	    C_CLIENT },
	{ "rawfile", OPT_RAWFILE, "NAME FILE", "$NAME is FILE's text",
	    C_CLIENT },
	{ "exit-status", 'e', NULL, "with --jq: exit 4 if the last output was false, null or none",
	    C_CLIENT },
	{ "until", OPT_UNTIL, "EXPR", "stop after the first frame for which EXPR is true",
	    C_CLIENT },
	{ "count", OPT_COUNT, "N", "stop after N output values",
	    C_CLIENT },
	{ "buffered", OPT_BUFFERED, NULL, "batch writes to stdout (not per frame)",
	    C_CLIENT },
	{ "raw-input", 'R', NULL, "pipe: each stdin line is a message's content",
	    C_PIPE },
	{ "strict", OPT_STRICT, NULL, "pipe: stop at the first bad input value",
	    C_PIPE },
	{ "follow", OPT_FOLLOW, NULL, "pipe: keep printing frames after the replies",
	    C_PIPE },
	{ "reconnect", OPT_RECONNECT, "[=N]", "pipe: reconnect after a drop (N tries, 0 forever)",
	    C_PIPE },
	{ "backfill", OPT_BACKFILL, NULL, "pipe: after a reconnect, finish cut replies from history",
	    C_PIPE },
	{ "thread", OPT_THREAD, "UUID", "thread id (send, history)",
	    C_CLIENT },
	{ "agent", OPT_AGENT, "UUID", "agent id (send)",
	    C_SEND | C_PIPE },
	{ "listen", OPT_LISTEN, "[ADDR:]PORT", "serve: where (127.0.0.1:8765; port 0 picks one)",
	    C_SERVE },
	{ "db", OPT_DB, "FILE", "serve: SQLite database (~/.local/state/chatcat/chat.db)",
	    C_SERVE },
	{ "auth-file", OPT_AUTH_FILE, "FILE", "serve: principals, 'token VALUE' or 'key UUID' lines",
	    C_SERVE },
	{ "agent-cmd", OPT_AGENT_CMD, "CMD", "serve: run CMD for each message (default: echo)",
	    C_SERVE },
	{ "agent-timeout", OPT_AGENT_TIMEOUT, "SECS", "serve: agent deadline (300; 0 none)",
	    C_SERVE },
	{ "sync", OPT_SYNC, "MODE", "serve: normal (survive a crash) or full (and a power loss)",
	    C_SERVE },
	{ "ping-interval", OPT_PING_INTERVAL, "SECS", "send a ping every SECS (20; 0 none)",
	    C_ALL },
	{ "ping-timeout", OPT_PING_TIMEOUT, "SECS", "no pong within SECS: the connection is lost (10)",
	    C_ALL },
	{ "events", OPT_EVENTS, "FILE", "write lifecycle events to FILE as JSON lines",
	    C_CLIENT },
	{ "events-fd", OPT_EVENTS_FD, "N", "... or to file descriptor N",
	    C_CLIENT },
	{ "verbose", 'v', NULL, "more messages on stderr (-vv: libwebsockets log too)",
	    C_ALL },
	{ "quiet", 'q', NULL, "no notices on stderr",
	    C_ALL },
	{ "help", 'h', NULL, "show this help and exit",
	    C_ALL },
	{ "version", 'V', NULL, "show the version and exit",
	    C_ALL },
};

#define NOPTS (sizeof(optdefs) / sizeof(optdefs[0]))

static const char *
command_name(enum command cmd)
{
	return cmd == CMD_SEND ? "send" : cmd == CMD_HISTORY ? "history" :
	    cmd == CMD_PIPE ? "pipe" : "serve";
}

void
options_usage(enum command only)
{
	char left[64];
	size_t i;

	if (only != CMD_NONE) {  /* chatcat COMMAND --help */
		printf("usage: chatcat [options] %s%s\n\nOptions of %s:\n",
		    command_name(only), only == CMD_SEND ? " [--] [TEXT...]" :
		    only == CMD_HISTORY ? " [THREAD]" : "", command_name(only));
		goto table;
	}
	printf("usage: chatcat [options] send [--thread UUID] [--agent UUID]"
	    " [--] [TEXT...]\n"
	    "       chatcat [options] history [--thread UUID | THREAD]\n"
	    "       chatcat [options] pipe [-R] [--thread UUID] [--agent UUID]"
	    " [--follow]\n"
	    "       chatcat [options] serve [--listen [ADDR:]PORT] [--db FILE]"
	    " [--auth-file FILE]\n"
	    "               [--agent-cmd CMD]\n"
	    "       chatcat --help | --version\n\n"
	    "Send messages to a WebSocket Chat API server and print its frames"
	    " as NDJSON.\n\nOptions:\n");
table:
	for (i = 0; i < NOPTS; i++) {
		const struct optdef *d = &optdefs[i];

		if (only != CMD_NONE && !(d->cmds & (1u << only)))
			continue;
		const char *sep = d->arg == NULL ||
		    strncmp(d->arg, "[=", 2) == 0 ? "" : " ";

		if (d->val < 256)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", d->val,
			    d->name, sep, d->arg ? d->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", d->name,
			    sep, d->arg ? d->arg : "");
		printf("  %-30s %s\n", left, d->help);
	}
	printf("\nEnvironment: CHATCAT_URL, CHATCAT_TOKEN, CHATCAT_API_KEY,"
	    " CHATCAT_THREAD,\n  http_proxy, https_proxy, all_proxy,"
	    " no_proxy.\nExit status: 0 done, 1 server error, 2 usage,"
	    " 3-5 jq, 10-15 connection, 20-21 completion,\n  124 timeout.\nSee chatcat(1).\n");
}

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

/*
 * --arg NAME VALUE and its kin take two arguments: getopt gives NAME, and
 * VALUE is the next word, which is consumed here.
 */
static int
add_jq_arg(struct options *o, enum jq_arg_kind kind, const char *opt,
    const char *name, int argc, char **argv)
{
	struct jq_arg *n;

	if (optind >= argc) {
		msg_error("--%s %s: a second argument is needed", opt, name);
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

/* Apply one option; -1 after printing an error. */
static int
apply(struct options *o, int c, const char *arg, int argc, char **argv)
{
	long n;

	switch (c) {
	case OPT_ARG:
		return add_jq_arg(o, JQ_ARG_STRING, "arg", arg, argc, argv);
	case OPT_ARGJSON:
		return add_jq_arg(o, JQ_ARG_JSON, "argjson", arg, argc, argv);
	case OPT_SLURPFILE:
		return add_jq_arg(o, JQ_ARG_SLURPFILE, "slurpfile", arg, argc,
		    argv);
	case OPT_RAWFILE:
		return add_jq_arg(o, JQ_ARG_RAWFILE, "rawfile", arg, argc, argv);
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
	case OPT_JQ: o->jq = arg; return 0;
	case 'r': o->raw_output = 1; return 0;
	case 'e': o->jq_exit_status = 1; return 0;
	case OPT_JQ_FILE: o->jq_file = arg; return 0;
	case 'j': o->join_output = 1; return 0;
	case 'a': o->ascii = 1; return 0;
	case 'S': o->sort_keys = 1; return 0;
	case 'C': o->color = 1; return 0;
	case 'M': o->color = -1; return 0;
	case OPT_TAB: o->tab = 1; return 0;
	case OPT_INDENT: return parse_long("indent", arg, 0, 7, &n) == -1 ? -1 :
	    (o->indent = (int)n, 0);
	case OPT_UNTIL: o->until = arg; return 0;
	case OPT_COUNT: return parse_long("count", arg, 1, LONG_MAX, &o->count);
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
	case OPT_SYNC:
		if (strcmp(arg, "normal") == 0 || strcmp(arg, "full") == 0) {
			o->sync_full = arg[0] == 'f';
			return 0;
		}
		msg_error("--sync: expected normal or full, got '%s'", arg);
		return -1;
	case 'v': o->verbose++; return 0;
	case 'q': o->quiet = 1; return 0;
	case 'h': o->command = CMD_HELP; return 0;
	case 'V': o->command = CMD_VERSION; return 0;
	default: return -1;
	}
}

/* Build getopt_long's arrays from the table. */
static void
build_getopt(struct option *longs, char *shorts)
{
	size_t i, s = 0;

	shorts[s++] = ':';  /* report a missing argument as ':' */
	for (i = 0; i < NOPTS; i++) {
		longs[i].name = optdefs[i].name;
		longs[i].has_arg = optdefs[i].arg == NULL ? no_argument :
		    strncmp(optdefs[i].arg, "[=", 2) == 0 ? optional_argument :
		    required_argument;
		longs[i].flag = NULL;
		longs[i].val = optdefs[i].val;
		if (optdefs[i].val < 256) {
			shorts[s++] = (char)optdefs[i].val;
			if (optdefs[i].arg)
				shorts[s++] = ':';
		}
	}
	memset(&longs[NOPTS], 0, sizeof(longs[NOPTS]));
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
	if (o->url == NULL || o->url[0] == '\0')
		o->url = DEFAULT_URL;
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

/* The row of the option getopt_long() returned as c. */
static const struct optdef *
optdef_of(int c)
{
	size_t i;

	for (i = 0; i < NOPTS; i++)
		if (optdefs[i].val == c)
			return &optdefs[i];
	return NULL;
}

/* Every option given must apply to the command (the table says). */
static int
check_applies(enum command cmd, const unsigned char *given)
{
	size_t i;

	for (i = 0; i < NOPTS; i++)
		if (given[i] && !(optdefs[i].cmds & (1u << cmd))) {
			msg_error("--%s does not apply to %s", optdefs[i].name,
			    command_name(cmd));
			return -1;
		}
	return 0;
}

int
options_parse(struct options *o, int argc, char **argv)
{
	struct option longs[NOPTS + 1];
	char shorts[2 * NOPTS + 3];
	unsigned char given[NOPTS] = { 0 };
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
	build_getopt(longs, shorts);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		if (c == '?' || c == ':') {
			if (optopt != 0 && optopt < 256)
				msg_error("%s: -%c",
				    c == ':' ? "option needs an argument" :
				    "unknown option", optopt);
			else	/* never what follows '=': it may be a secret */
				msg_error("%s: %.*s",
				    c == ':' ? "option needs an argument" :
				    "unknown option",
				    (int)strcspn(argv[optind - 1], "="),
				    argv[optind - 1]);
			return -1;
		}
		if ((d = optdef_of(c)) != NULL)
			given[d - optdefs] = 1;
		if (apply(o, c, optarg, argc, argv) == -1)
			return -1;
	}
	if (o->command == CMD_HELP && optind < argc)
		o->help_for = strcmp(argv[optind], "send") == 0 ? CMD_SEND :
		    strcmp(argv[optind], "history") == 0 ? CMD_HISTORY :
		    strcmp(argv[optind], "pipe") == 0 ? CMD_PIPE :
		    strcmp(argv[optind], "serve") == 0 ? CMD_SERVE : CMD_NONE;
	if (o->command == CMD_HELP || o->command == CMD_VERSION)
		return 0;
	if (optind >= argc) {
		msg_error("no command given: use send, history, pipe or serve");
		return -1;
	}
	if (strcmp(argv[optind], "send") == 0)
		o->command = CMD_SEND;
	else if (strcmp(argv[optind], "history") == 0)
		o->command = CMD_HISTORY;
	else if (strcmp(argv[optind], "serve") == 0)
		o->command = CMD_SERVE;
	else if (strcmp(argv[optind], "pipe") == 0)
		o->command = CMD_PIPE;
	else {
		msg_error("unknown command '%s': use send, history, pipe or"
		    " serve",
		    argv[optind]);
		return -1;
	}
	if (check_applies(o->command, given) == -1)
		return -1;
	i = optind + 1;
	o->text = argv + i;
	o->ntext = argc - i;
	return apply_env(o);
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
	*o = (struct options){ 0 };
}
