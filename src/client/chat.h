/*
 * The Chat API client: `send`, `history` and `pipe`.  It sends request
 * frames, prints what the server sends, and decides when each request is
 * complete (the rule in chatcat(1), section COMPLETION).
 */
#ifndef CHATCAT_CHAT_H
#define CHATCAT_CHAT_H

#include <stddef.h>

#include "lib/buf.h"
#include "filter.h"
#include "lib/msg.h"
#include "options.h"

/*
 * Run the command o names.  content is the message for send (UTF-8,
 * checked by the caller).  filter may be NULL.  Returns the exit status.
 */
enum exit_status chat_run(const struct options *o, const char *content,
    size_t content_len, struct filter *filter);

#endif
