/*
 * Command-line options: one struct, filled only by options_parse() from one
 * option table that also produces --help.
 */
#ifndef CHATCAT_OPTIONS_H
#define CHATCAT_OPTIONS_H

#include <stddef.h>

enum command { CMD_NONE, CMD_SEND, CMD_HISTORY, CMD_SERVE, CMD_HELP,
    CMD_VERSION };
enum cred_kind { CRED_NONE, CRED_TOKEN, CRED_KEY };

struct options {
	enum command command;
	const char *url;          /* -u, CHATCAT_URL or the default */
	enum cred_kind cred_kind;
	char *cred;               /* owned: token or key, never printed */
	const char **headers;     /* owned array of borrowed argv strings */
	size_t nheaders;
	const char *cacert;
	int insecure;
	double connect_timeout;
	double timeout;           /* < 0: the command's default */
	double idle;              /* < 0: the command's default */
	int fence;
	size_t max_frame;
	const char *jq;
	int raw_output;
	int exit_status;
	const char *thread;       /* NULL: generate one (send) */
	const char *agent;
	int verbose;
	int quiet;
	const char *listen;       /* serve: [ADDR:]PORT */
	const char *db;           /* serve: SQLite file */
	const char *auth_file;    /* serve: principals */
	const char *agent_cmd;    /* serve: NULL for the echo agent */
	double agent_timeout;
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

void options_usage(void);
void options_free(struct options *o);

#endif
