/*
 * chatcat chat: an interactive chat on a terminal, one thread, the
 * replies streamed as text (chatcat(1), CHAT).
 */
#ifndef CHATCAT_CHAT_H
#define CHATCAT_CHAT_H

#include "client/client.h"

/* Run the chat; cfg's thread is the one to start on.  Returns the exit
 * status. */
enum exit_status chat_run(const struct client_config *cfg);

#endif
