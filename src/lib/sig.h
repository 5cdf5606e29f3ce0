/*
 * SIGINT and SIGTERM as bytes on a pipe, so that an event loop can watch
 * them like any other descriptor; the handler only calls write(2).
 */
#ifndef CHATCAT_SIG_H
#define CHATCAT_SIG_H

/* Install the handlers; returns the pipe's read end, or -1 (reported). */
int sig_open(void);

/* Restore the default handlers and close the write end. */
void sig_close(void);

#endif
