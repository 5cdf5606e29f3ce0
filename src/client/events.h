/*
 * --events FILE / --events-fd N: one JSON object a line for each thing
 * that happens to the connection (chatcat(1), EVENTS), for scripts and
 * dashboards that follow a run without parsing stderr.  Every call takes
 * a NULL events and then does nothing.  Nothing secret goes in: URLs are
 * the redacted ones.
 */
#ifndef CHATCAT_EVENTS_H
#define CHATCAT_EVENTS_H

#include "ws/ws.h"

struct events;

/*
 * Open path (created or truncated) or use fd (left open).  NULL when path
 * is NULL and fd is -1 (no events), and NULL with *failed set after an
 * error, which has been reported.
 */
struct events *events_open(const char *path, int fd, int *failed);
void events_close(struct events *e);

/* The events the client writes (chatcat(1), EVENTS, the schema). */
/* A request went out (line 0: from the command line; again: resent on a
 * new connection). */
void event_sent(struct events *e, const char *kind, const char *thread,
    unsigned long line, unsigned long col, int again);
/* A request is complete by rule. */
void event_complete(struct events *e, const char *kind, const char *thread,
    unsigned long line, const char *rule);
/* --reconnect: a new connection in delay seconds. */
void event_reconnect(struct events *e, const char *cause, double delay,
    unsigned attempt);
/* An address is tried. */
void event_connecting(struct events *e, const struct ws_attempt *a);
/* The upgrade was accepted. */
void event_open(struct events *e, int http_status);
/* Our ping was answered. */
void event_pong(struct events *e, double rtt);
/* The connection ended; retry: the reconnect policy finds it worth one. */
void event_close(struct events *e, const struct ws_end *end, int retry);
/* The run is over. */
void event_exit(struct events *e, int status, const char *reason);

#endif
