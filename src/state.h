/*
 * The record of the last thread each profile (or URL) used, for
 * --continue: "THREAD KEY" lines in $XDG_STATE_HOME/chatcat/threads
 * (~/.local/state/chatcat/threads), mode 0600, missing directories made
 * 0700.  It holds thread ids and profile names or URLs without their
 * query, never a credential.
 */
#ifndef CHATCAT_STATE_H
#define CHATCAT_STATE_H

#include "lib/uuid.h"

/* The thread recorded for key: 1 and out filled, 0 none, -1 an error
 * (reported). */
int state_thread(const char *key, char out[UUID_LEN + 1]);

/* Record thread as key's last; -1 after an error (reported). */
int state_record(const char *key, const char *thread);

#endif
