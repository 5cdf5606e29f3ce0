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

enum client_command { CLIENT_SEND, CLIENT_HISTORY, CLIENT_PIPE };

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
	/* The connection's settings but for url, proxy, target, display and
	 * events, which the run fills in. */
	struct ws_config ws;
};

/* Run the command; filter may be NULL.  Returns the exit status. */
enum exit_status client_run(const struct client_config *cfg,
    struct filter *filter);

#endif
