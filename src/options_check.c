/*
 * Option validation: every combination checked in one place, after
 * parsing and before any network work (options.h).  Which command takes
 * an option is the option table's, in options_table.c.
 */
#include <config.h>

#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/msg.h"
#include "lib/uuid.h"
#include "options.h"
#include "ws/wsproto.h"

/* A path option must name a readable file (or directory, dir). */
static int
check_path(const char *opt, const char *path, int dir)
{
	struct stat st;
	int e = 0;

	if (path == NULL)
		return 0;
	if (stat(path, &st) == -1)
		e = errno;
	else if (dir && !S_ISDIR(st.st_mode))
		e = ENOTDIR;
	else if (!dir && S_ISDIR(st.st_mode))
		e = EISDIR;
	else if (access(path, dir ? R_OK | X_OK : R_OK) == -1)
		e = errno;
	if (e == 0)
		return 0;
	msg_error("--%s: %s: %s", opt, path, strerror(e));
	return -1;
}

/* The TLS files must be there; what is in them is checked by tls.c. */
static int
validate_tls(const struct options *o)
{
	if (check_path("cacert", o->cacert, 0) == -1 ||
	    check_path("capath", o->capath, 1) == -1 ||
	    check_path("cert", o->cert, 0) == -1 ||
	    check_path("cert-key", o->cert_key, 0) == -1)
		return -1;
	if ((o->cacert != NULL || o->capath != NULL) && o->insecure) {
		msg_error("--%s and --insecure contradict each other",
		    o->cacert != NULL ? "cacert" : "capath");
		return -1;
	}
	if (o->cert_key != NULL && o->cert == NULL) {
		msg_error("--cert-key needs --cert");
		return -1;
	}
	return 0;
}

/* One way to set each header: -H or its own option, not both. */
static int
validate_headers(const struct options *o)
{
	if (o->origin != NULL && o->origin[0] == '\0') {
		msg_error("--origin: the URL is empty");
		return -1;
	}
	if (o->origin != NULL &&
	    wsp_header_named(o->headers, o->nheaders, "Origin")) {
		msg_error("give --origin or -H 'Origin: ...', not both");
		return -1;
	}
	if (o->user_agent != NULL &&
	    wsp_header_named(o->headers, o->nheaders, "User-Agent")) {
		msg_error("give --user-agent or -H 'User-Agent: ...', not"
		    " both");
		return -1;
	}
	return 0;
}

/* pipe's own options, and those that only pipe takes. */
static int
validate_pipe(const struct options *o)
{
	if (o->command != CMD_PIPE)
		return 0;
	if (o->backfill && !o->reconnect) {
		msg_error("--backfill needs --reconnect");
		return -1;
	}
	if (o->ntext > 0) {
		msg_error("pipe takes no operands: the requests come on stdin");
		return -1;
	}
	if (o->raw_input && o->thread == NULL) {
		msg_error("-R needs --thread (or CHATCAT_THREAD)");
		return -1;
	}
	return 0;
}

/* serve takes no operands (its options are checked by the table). */
static int
validate_serve(const struct options *o)
{
	if (o->ntext > 0) {
		msg_error("serve takes no operands");
		return -1;
	}
	return 0;
}

/* What shapes the output: jq's flags need a filter; -t is not JSON. */
static int
validate_output(const struct options *o)
{
	if ((o->raw_output || o->jq_exit_status || o->join_output) &&
	    o->jq == NULL && o->jq_file == NULL) {
		msg_error("-r, -j and -e need --jq or --jq-file");
		return -1;
	}
	if (o->text_reply && (o->jq != NULL || o->jq_file != NULL)) {
		msg_error("-t prints text, --jq%s prints JSON: give one",
		    o->jq != NULL ? "" : "-file");
		return -1;
	}
	if (o->jq != NULL && o->jq_file != NULL) {
		msg_error("give --jq or --jq-file, not both");
		return -1;
	}
	return 0;
}

int
options_validate(struct options *o)
{
	if (o->command == CMD_SERVE)
		return validate_serve(o);
	if (o->events != NULL && o->events_fd != -1) {
		msg_error("give --events or --events-fd, not both");
		return -1;
	}
	if (o->events_fd == 1) {
		msg_error("--events-fd: 1 is standard output, which is for"
		    " data");
		return -1;
	}
	if (o->command == CMD_HISTORY && o->ntext > 0) {
		if (o->ntext > 1 || o->thread != NULL) {
			msg_error("history takes one thread: --thread UUID"
			    " or THREAD");
			return -1;
		}
		o->thread = o->text[0];
		o->ntext = 0;
	}
	if (o->command == CMD_HISTORY && o->thread == NULL)
		o->thread = getenv("CHATCAT_THREAD");
	if (o->command == CMD_HISTORY && (o->thread == NULL ||
	    o->thread[0] == '\0')) {
		msg_error("history needs a thread: --thread UUID or THREAD");
		return -1;
	}
	if (o->thread != NULL && o->thread[0] != '\0' &&
	    !uuid_valid(o->thread)) {
		msg_error("invalid thread id '%s': expected a UUID", o->thread);
		return -1;
	}
	if (o->agent != NULL && !uuid_valid(o->agent)) {
		msg_error("invalid agent id '%s': expected a UUID", o->agent);
		return -1;
	}
	if (o->cred_kind == CRED_NONE) {
		msg_error("no credential: use --token, --api-key,"
		    " CHATCAT_TOKEN or CHATCAT_API_KEY");
		return -1;
	}
	if (o->cred[0] == '\0') {
		msg_error("the credential is empty");
		return -1;
	}
	if (validate_output(o) == -1 || validate_tls(o) == -1 ||
	    validate_headers(o) == -1 || validate_pipe(o) == -1)
		return -1;
	if (o->command == CMD_CHAT && o->ntext > 0) {
		msg_error("chat takes no operands: type the messages at its"
		    " prompt");
		return -1;
	}
	if ((o->command == CMD_SEND || o->command == CMD_CHAT) &&
	    (o->thread == NULL ||
	    o->thread[0] == '\0')) {
		if (uuid_v4(o->thread_buf) == -1) {
			msg_error("cannot make a thread id: no randomness");
			return -1;
		}
		o->thread = o->thread_buf;
		o->thread_made = 1;
	}
	if (o->timeout < 0)
		o->timeout = o->command == CMD_SEND ? 300 :
		    o->command == CMD_HISTORY ? 60 : 0;
	return 0;
}
