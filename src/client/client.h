/*
 * The Chat API client: `send`, `history` and `pipe`.  It sends request
 * frames, prints what the server sends, and ends when every request is
 * complete by the rules in chatcat(1), COMPLETION.
 */
#ifndef CHATCAT_CLIENT_H
#define CHATCAT_CLIENT_H

#include <stddef.h>

#include "filter.h"
#include "lib/msg.h"
#include "retry.h"
#include "ws/ws.h"

enum client_command { CLIENT_SEND, CLIENT_HISTORY, CLIENT_PIPE, CLIENT_CHAT };

struct chat;  /* a run (run.c) */

/*
 * chat's front end (src/chat/): in place of stdin's requests, the run
 * hands it the terminal's bytes and tells it how the requests it made
 * through client_message() and client_history() go.
 */
struct client_front {
	void *ud;
	void (*open)(void *ud, struct chat *c, int first); /* connected */
	void (*input)(void *ud, const char *data, size_t len); /* 0: EOF */
	void (*settled)(void *ud);      /* nothing is pending any more */
	void (*interrupt)(void *ud);    /* SIGINT */
	void (*dropped)(void *ud, int during_reply); /* reconnecting */
};

struct client_config {
	enum client_command command;
	const char *url;          /* as given: parsed by the run */
	const char *proxy, *noproxy; /* --proxy, --noproxy (NULL: environment) */
	const char *cred;         /* token or API key, or NULL */
	int cred_is_key;
	const char *thread;       /* send, history: the thread */
	int thread_made;          /* ... made up here: say which */
	const char *agent;
	const char *content;      /* send: the message (checked UTF-8) */
	size_t content_len;
	int raw_input;            /* pipe -R */
	size_t max_value;         /* pipe: the largest stdin value */
	const char *events;       /* --events FILE, or NULL */
	int events_fd;            /* --events-fd N, or -1 */
	double timeout;           /* the whole run; 0 none */
	double idle;              /* --idle; 0 never */
	int fence;                /* -1 while needed, 1 --fence, 0 --no-fence */
	long count;               /* --count; 0 never */
	int follow, strict, buffered;
	int jq_exit_status;       /* jq's -e */
	int text;                 /* -t: the reply as text */
	struct retry_config retry;
	const struct client_front *front; /* chat, or NULL */
	/* The connection's settings but for url, proxy, target, display and
	 * events, which the run fills in. */
	struct ws_config ws;
};

/* Run the command; filter may be NULL.  Returns the exit status. */
enum exit_status client_run(const struct client_config *cfg,
    struct filter *filter);

/* For the front end: a message or a history request on thread (-1 if it
 * could not be sent, reported). */
int client_message(struct chat *c, const char *thread, const char *content,
    size_t len);
int client_history(struct chat *c, const char *thread);

/* Stop printing what answers the pending requests (they stay pending so
 * that their frames are told from the next ones'). */
void client_mute(struct chat *c);

/* Hold the terminal's input (a reply streams), or take it again. */
void client_input_hold(struct chat *c, int hold);

/* Write what stdout holds now (before a prompt). */
void client_flush(struct chat *c);

/* End the run with status st. */
void client_end(struct chat *c, enum exit_status st);

#endif
