/*
 * Command-line options: one struct, filled only by options_parse() from one
 * option table that also produces --help.
 */
#ifndef CHATCAT_OPTIONS_H
#define CHATCAT_OPTIONS_H

#include <stddef.h>

#include "client/filter.h"  /* struct jq_arg */
#include "options_table.h"  /* enum command */
#include "profile.h"

enum cred_kind { CRED_NONE, CRED_TOKEN, CRED_KEY };

struct options {
	enum command command;
	enum command help_for;    /* chatcat COMMAND --help: that one only */
	const char *url;          /* -u, CHATCAT_URL or the default */
	int url_default;          /* ... the default: nothing said where */
	enum cred_kind cred_kind;
	char *cred;               /* owned: token or key, never printed */
	const char **headers;     /* owned array of borrowed argv strings */
	size_t nheaders;
	const char *origin;       /* --origin: an Origin header */
	const char *user_agent;   /* NULL: chatcat's own; "": none */
	const char *cacert;
	const char *capath;       /* hashed CA directory */
	const char *cert;         /* client certificate (PEM) */
	const char *cert_key;     /* its key; NULL: in the cert file */
	int insecure;
	const char *proxy;        /* --proxy URL, "" for none; NULL: environment */
	const char *noproxy;      /* --noproxy LIST; NULL: no_proxy, NO_PROXY */
	double connect_timeout;
	double timeout;           /* < 0: the command's default */
	double idle;              /* --idle: silence ends a reply; 0 never */
	int fence;                /* -1 while needed, 1 --fence, 0 --no-fence */
	size_t max_frame;
	const char *jq;
	const char *jq_file;
	int raw_output, join_output, ascii, sort_keys, tab;
	int indent;               /* 0 compact (the default), 1-7 pretty */
	int color;                /* -1 -M, 0 when a terminal, 1 -C */
	struct jq_arg *jq_args;   /* owned array */
	size_t njq_args;
	const char *until;
	long count;               /* --count: stop after N outputs, 0 never */
	int buffered;
	int jq_exit_status;        /* -e: the last output decides */
	int text_reply;           /* -t: the reply as text */
	int raw_input;            /* pipe -R */
	int strict;               /* pipe --strict */
	int follow;               /* pipe --follow */
	int reconnect;            /* pipe --reconnect */
	long reconnect_tries;     /* ... =N: failed attempts in a row, 0 no limit */
	int backfill;             /* pipe --backfill */
	const char *events;       /* --events FILE */
	long events_fd;           /* --events-fd N, -1 none */
	const char *thread;       /* send: made up when not given */
	char thread_buf[37];      /* ... here */
	int thread_made;
	const char *agent;
	int verbose;
	int quiet;
	const char *listen;       /* serve: [ADDR:]PORT */
	const char *db;           /* serve: SQLite file */
	const char *auth_file;    /* serve: principals */
	const char *agent_cmd;    /* serve: NULL for the echo agent */
	double agent_timeout;
	int sync_full;            /* serve --sync full (else normal) */
	long max_jobs;            /* serve: 0 for the default */
	size_t max_reply;         /* serve: 0 for the default */
	double ping_interval;     /* seconds between pings, 0 none */
	double ping_timeout;      /* client: the wait for each pong, 0 none */
	const char *config;       /* --config FILE */
	const char *profile_name; /* --profile NAME */
	struct profile profile;   /* owned: the profile read (profile.h) */
	int cont;                 /* --continue */
	int dry_run;              /* --dry-run */
	char *state_key;          /* owned: the profile or URL --continue
				     and the record of the thread use */
	char **text;              /* send: TEXT arguments (borrowed argv) */
	int ntext;
};

/*
 * Parse argv and the environment into o.  Returns 0, or -1 after printing
 * a usage error.  Call options_free() in both cases.
 */
int options_parse(struct options *o, int argc, char **argv);

/* Check combinations and apply per-command defaults; -1 after an error. */
int options_validate(struct options *o);

/* --help: every option, or only those of one command (CMD_NONE: all). */
void options_usage(enum command only);
void options_free(struct options *o);

#endif
