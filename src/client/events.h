/*
 * --events FILE / --events-fd N: one JSON object a line for each thing
 * that happens to the connection (chatcat(1), EVENTS), for scripts and
 * dashboards that follow a run without parsing stderr.  Every call takes
 * a NULL events and then does nothing.  Nothing secret goes in: URLs are
 * the redacted ones.
 */
#ifndef CHATCAT_EVENTS_H
#define CHATCAT_EVENTS_H

struct events;

/*
 * Open path (created or truncated) or use fd (left open).  NULL when path
 * is NULL and fd is -1 (no events), and NULL with *failed set after an
 * error, which has been reported.
 */
struct events *events_open(const char *path, int fd, int *failed);
void events_close(struct events *e);

/* {"event":NAME,"time":...,"elapsed":...  then members, then the end. */
void ev_begin(struct events *e, const char *name);
void ev_str(struct events *e, const char *key, const char *value);
void ev_strn(struct events *e, const char *key, const char *value,
    unsigned long len);
void ev_int(struct events *e, const char *key, long long value);
void ev_num(struct events *e, const char *key, double value);
void ev_bool(struct events *e, const char *key, int value);
void ev_end(struct events *e);

#endif
