/*
 * The option table (options_table.h): the one place that says which
 * options exist, which commands take them and what their arguments are.
 */
#include <config.h>

#include <string.h>

#include "options_table.h"

const struct optdef options_table[] = {
	{ "url", 'u', "URL", C_NET | C_FILE, NULL,
	    "server URL (ws, wss, http, https or host[:port])" },
	{ "token", OPT_TOKEN, "TOKEN", C_ALL | C_FILE, NULL,
	    "bearer token, sent as ?token=" },
	{ "token-file", OPT_TOKEN_FILE, "FILE", C_ALL | C_FILE, NULL,
	    "read the token from FILE" },
	{ "api-key", OPT_API_KEY, "KEY", C_ALL | C_FILE, NULL,
	    "API key, sent as ?key=" },
	{ "api-key-file", OPT_API_KEY_FILE, "FILE", C_ALL | C_FILE, NULL,
	    "read the API key from FILE" },
	{ "header", 'H', "'NAME: VALUE'", C_NET | C_FILE | C_MANY, NULL,
	    "extra upgrade request header (repeatable)" },
	{ "origin", OPT_ORIGIN, "URL", C_NET | C_FILE, NULL,
	    "send an Origin header in the upgrade request" },
	{ "user-agent", OPT_USER_AGENT, "STRING", C_NET | C_FILE, NULL,
	    "User-Agent header (chatcat/VERSION; '' none)" },
	{ "cacert", OPT_CACERT, "FILE", C_NET | C_FILE, NULL,
	    "CA certificates to verify a wss server" },
	{ "capath", OPT_CAPATH, "DIR", C_NET | C_FILE, NULL,
	    "hashed directory of CA certificates (openssl rehash)" },
	{ "cert", OPT_CERT, "FILE", C_NET | C_FILE, NULL,
	    "client certificate (PEM; may hold the chain and key)" },
	{ "cert-key", OPT_CERT_KEY, "FILE", C_NET | C_FILE, NULL,
	    "the client certificate's private key (PEM)" },
	{ "insecure", 'k', NULL, C_NET | C_FILE, NULL,
	    "do not verify the server certificate" },
	{ "proxy", OPT_PROXY, "URL", C_NET | C_FILE, NULL,
	    "HTTP proxy http://[USER:PASS@]HOST[:PORT] ('' none)" },
	{ "noproxy", OPT_NOPROXY, "LIST", C_NET | C_FILE, NULL,
	    "hosts to reach without a proxy (overrides no_proxy)" },
	{ "connect-timeout", OPT_CONNECT_TIMEOUT, "SECS", C_NET | C_FILE, NULL,
	    "connect and upgrade deadline (10)" },
	{ "timeout", 'W', "SECS", C_CLIENT | C_FILE, NULL,
	    "whole-run deadline (send 300, history 60; 0 none)" },
	{ "idle", OPT_IDLE, "SECS", C_NET | C_FILE, NULL,
	    "last resort: SECS of silence end a reply (exit 20)" },
	{ "fence", OPT_FENCE, NULL, C_NET | C_FILE, NULL,
	    "a fence after every request (default: until not needed)" },
	{ "no-fence", OPT_NO_FENCE, NULL, C_NET | C_FILE, NULL,
	    "never send a fence frame" },
	{ "max-frame", OPT_MAX_FRAME, "BYTES", C_ALL | C_FILE, NULL,
	    "largest message or input value accepted (16777216)" },
	{ "jq", OPT_JQ, "EXPR", C_CLIENT, NULL,
	    "jq filter applied to every frame" },
	{ "jq-file", OPT_JQ_FILE, "FILE", C_CLIENT, NULL,
	    "read the jq filter from FILE" },
	{ "raw-output", 'r', NULL, C_CLIENT, NULL,
	    "with --jq: write strings without quotes" },
	{ "join-output", 'j', NULL, C_CLIENT, NULL,
	    "with --jq: like -r, and no newline after outputs" },
	{ "ascii-output", 'a', NULL, C_CLIENT | C_FILE, NULL,
	    "with --jq: escape all non-ASCII characters" },
	{ "sort-keys", 'S', NULL, C_CLIENT | C_FILE, NULL,
	    "with --jq: sort the keys of objects" },
	{ "color-output", 'C', NULL, C_CLIENT | C_FILE, NULL,
	    "colour, even when not a terminal" },
	{ "monochrome-output", 'M', NULL, C_CLIENT | C_FILE, NULL,
	    "no colour (nor with NO_COLOR set)" },
	{ "tab", OPT_TAB, NULL, C_CLIENT | C_FILE, NULL,
	    "with --jq: indent with tabs" },
	{ "indent", OPT_INDENT, "N", C_CLIENT | C_FILE, NULL,
	    "with --jq: indent with N spaces (0-7; 0 compact)" },
	{ "compact-output", 'c', NULL, C_CLIENT | C_FILE, NULL,
	    "compact output (the default; as in jq)" },
	{ "arg", OPT_ARG, "NAME VALUE", C_CLIENT, NULL,
	    "$NAME is the string VALUE in the filters" },
	{ "argjson", OPT_ARGJSON, "NAME JSON", C_CLIENT, NULL,
	    "$NAME is the JSON value in the filters" },
	{ "slurpfile", OPT_SLURPFILE, "NAME FILE", C_CLIENT, NULL,
	    "$NAME is the array of FILE's JSON values" },
	{ "rawfile", OPT_RAWFILE, "NAME FILE", C_CLIENT, NULL,
	    "$NAME is FILE's text" },
	{ "exit-status", 'e', NULL, C_CLIENT, NULL,
	    "with --jq: exit 4 if the last output was false, null or none" },
	{ "text", 't', NULL, C_CLIENT, NULL,
	    "print the reply's text (history: a transcript)" },
	{ "until", OPT_UNTIL, "EXPR", C_CLIENT, NULL,
	    "stop after the first frame for which EXPR is true" },
	{ "count", OPT_COUNT, "N", C_CLIENT, NULL,
	    "stop after N output values" },
	{ "buffered", OPT_BUFFERED, NULL, C_CLIENT, NULL,
	    "batch writes to stdout (not per frame)" },
	{ "raw-input", 'R', NULL, C_PIPE, NULL,
	    "pipe: each stdin line is a message's content" },
	{ "strict", OPT_STRICT, NULL, C_PIPE, NULL,
	    "pipe: stop at the first bad input value" },
	{ "follow", OPT_FOLLOW, NULL, C_PIPE, NULL,
	    "pipe: keep printing frames after the replies" },
	{ "reconnect", OPT_RECONNECT, "[=N]", C_PIPE | C_FILE, NULL,
	    "pipe: reconnect after a drop (N tries, 0 forever)" },
	{ "backfill", OPT_BACKFILL, NULL, C_PIPE | C_FILE, NULL,
	    "pipe: after a reconnect, finish cut replies from history" },
	{ "thread", OPT_THREAD, "UUID", C_NET | C_FILE, NULL,
	    "thread id (send: a new one when not given)" },
	{ "agent", OPT_AGENT, "UUID", C_SEND | C_PIPE | C_CHAT | C_FILE, NULL,
	    "agent id" },
	{ "listen", OPT_LISTEN, "[ADDR:]PORT", C_SERVE, NULL,
	    "serve: where (127.0.0.1:8765; port 0 picks one)" },
	{ "db", OPT_DB, "FILE", C_SERVE, NULL,
	    "serve: SQLite database (~/.local/state/chatcat/chat.db)" },
	{ "auth-file", OPT_AUTH_FILE, "FILE", C_SERVE, NULL,
	    "serve: principals, 'token VALUE' or 'key UUID' lines" },
	{ "agent-cmd", OPT_AGENT_CMD, "CMD", C_SERVE, NULL,
	    "serve: run CMD for each message (default: echo)" },
	{ "agent-timeout", OPT_AGENT_TIMEOUT, "SECS", C_SERVE, NULL,
	    "serve: agent deadline (300; 0 none)" },
	{ "sync", OPT_SYNC, "MODE", C_SERVE, "normal full",
	    "serve: normal (survive a crash) or full (and a power loss)" },
	{ "max-jobs", OPT_MAX_JOBS, "N", C_SERVE, NULL,
	    "serve: agents at once, the rest wait (4 per core)" },
	{ "max-reply", OPT_MAX_REPLY, "BYTES", C_SERVE, NULL,
	    "serve: cut a reply there (what one history frame holds)" },
	{ "ping-interval", OPT_PING_INTERVAL, "SECS", C_ALL | C_FILE, NULL,
	    "send a ping every SECS (20; 0 none)" },
	{ "ping-timeout", OPT_PING_TIMEOUT, "SECS", C_ALL | C_FILE, NULL,
	    "no pong within SECS: the connection is lost (10)" },
	{ "events", OPT_EVENTS, "FILE", C_NET, NULL,
	    "write lifecycle events to FILE as JSON lines" },
	{ "events-fd", OPT_EVENTS_FD, "N", C_NET, NULL,
	    "... or to file descriptor N" },
	{ "config", OPT_CONFIG, "FILE", C_NET, NULL,
	    "config file (~/.config/chatcat/config)" },
	{ "profile", OPT_PROFILE, "PROFILE", C_NET, NULL,
	    "use the config file's [PROFILE] (default: [default])" },
	{ "continue", OPT_CONTINUE, NULL, C_NET, NULL,
	    "use the last thread this profile or URL used" },
	{ "dry-run", OPT_DRY_RUN, NULL, C_CLIENT, NULL,
	    "print what would be sent; connect nowhere" },
	{ "verbose", 'v', NULL, C_ALL, NULL,
	    "more messages on stderr (serve -vv: libwebsockets log too)" },
	{ "quiet", 'q', NULL, C_ALL, NULL,
	    "no notices on stderr" },
	{ "help", 'h', NULL, C_ALL, NULL,
	    "show this help and exit" },
	{ "version", 'V', NULL, C_ALL, NULL,
	    "show the version and exit" },
};

const size_t options_ntable = sizeof(options_table) / sizeof(options_table[0]);

const struct cmddef options_commands[] = {
	{ CMD_SEND, "send", " [--] [TEXT...]",
	    "send a message to a thread and print the reply" },
	{ CMD_HISTORY, "history", " [THREAD]",
	    "print the stored messages of a thread as NDJSON" },
	{ CMD_PIPE, "pipe", "",
	    "send the requests read on stdin and print the frames" },
	{ CMD_CHAT, "chat", "",
	    "chat with an agent on a terminal (the replies as text)" },
	{ CMD_SERVE, "serve", "",
	    "run the reference Chat API server" },
};

const size_t options_ncommands =
    sizeof(options_commands) / sizeof(options_commands[0]);

enum command
options_command(const char *s)
{
	size_t i;

	for (i = 0; i < options_ncommands; i++)
		if (strcmp(s, options_commands[i].name) == 0)
			return options_commands[i].cmd;
	return CMD_NONE;
}

const char *
options_command_name(enum command cmd)
{
	size_t i;

	for (i = 0; i < options_ncommands; i++)
		if (options_commands[i].cmd == cmd)
			return options_commands[i].name;
	return "";
}
