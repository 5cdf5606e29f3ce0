/*
 * The option table: every option, the commands that take it and what its
 * argument is.  Read by the parser (options.c), --help (options_usage.c)
 * and the generator of the shell completions (src/gencomp/); none writes
 * it.
 */
#ifndef CHATCAT_OPTIONS_TABLE_H
#define CHATCAT_OPTIONS_TABLE_H

#include <stddef.h>

/* The commands, in the order of the table's bits. */
enum command { CMD_NONE, CMD_SEND, CMD_HISTORY, CMD_PIPE, CMD_SERVE,
    CMD_CHAT, CMD_HELP, CMD_VERSION };

/* getopt_long's values of the options without a short form. */
enum {
	OPT_TOKEN = 256, OPT_TOKEN_FILE, OPT_API_KEY, OPT_API_KEY_FILE,
	OPT_CACERT, OPT_CONNECT_TIMEOUT, OPT_IDLE, OPT_FENCE, OPT_NO_FENCE,
	OPT_MAX_FRAME,
	OPT_JQ, OPT_THREAD, OPT_AGENT, OPT_LISTEN, OPT_DB, OPT_AUTH_FILE,
	OPT_AGENT_CMD, OPT_AGENT_TIMEOUT, OPT_JQ_FILE, OPT_TAB, OPT_INDENT,
	OPT_ARG, OPT_ARGJSON, OPT_SLURPFILE, OPT_RAWFILE, OPT_UNTIL, OPT_COUNT,
	OPT_BUFFERED, OPT_STRICT, OPT_FOLLOW, OPT_PING_INTERVAL, OPT_PROXY,
	OPT_NOPROXY, OPT_PING_TIMEOUT, OPT_RECONNECT, OPT_BACKFILL, OPT_ORIGIN,
	OPT_USER_AGENT, OPT_CAPATH, OPT_CERT, OPT_CERT_KEY, OPT_EVENTS,
	OPT_EVENTS_FD,
	OPT_SYNC, OPT_CONFIG, OPT_PROFILE, OPT_CONTINUE, OPT_DRY_RUN,
	OPT_MAX_JOBS, OPT_MAX_REPLY
};

/* The commands an option applies to. */
#define C_SEND (1u << CMD_SEND)
#define C_HISTORY (1u << CMD_HISTORY)
#define C_PIPE (1u << CMD_PIPE)
#define C_SERVE (1u << CMD_SERVE)
#define C_CHAT (1u << CMD_CHAT)
#define C_CLIENT (C_SEND | C_HISTORY | C_PIPE)
#define C_NET (C_CLIENT | C_CHAT)   /* the connection's options */
#define C_ALL (C_NET | C_SERVE)
/* Not commands: a key of the config file (profile.h), and one that may be
 * given more than once in a profile. */
#define C_FILE (1u << 14)
#define C_MANY (1u << 15)

/*
 * One option.  The metavariable also tells a shell how to complete the
 * argument: FILE a file name, DIR a directory, CMD a command, PROFILE a
 * section of the config file (profile.h); any other
 * is free text unless choices lists the only words it takes.  "NAME FILE"
 * names two arguments; "[=N]" an optional one, only after an '='.
 */
struct optdef {
	const char *name;
	int val;              /* short option character or OPT_* */
	const char *arg;      /* metavariable, NULL for a flag */
	unsigned cmds;        /* C_*: the commands that take it */
	const char *choices;  /* the words it takes, space-separated; or NULL */
	const char *help;
};

/* A command: its name, its operands in --help, what it does. */
struct cmddef {
	enum command cmd;
	const char *name;
	const char *operands;  /* "" none */
	const char *help;
};

extern const struct optdef options_table[];
extern const size_t options_ntable;
extern const struct cmddef options_commands[];
extern const size_t options_ncommands;

/* The command named s, or CMD_NONE. */
enum command options_command(const char *s);

/* The name of a command (CMD_SEND to CMD_SERVE). */
const char *options_command_name(enum command cmd);

#endif
