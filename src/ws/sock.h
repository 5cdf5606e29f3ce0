/*
 * The client's TCP socket on the loop: connected without blocking (dial.c
 * picks the address), read 64 KiB at a time, written when the stream has
 * bytes, closed or dropped.  It reports up through struct sock_events.
 */
#ifndef CHATCAT_SOCK_H
#define CHATCAT_SOCK_H

#include <stddef.h>

#include "dial.h"
#include "loop.h"

struct sock_events {
	/* connect(2) succeeded. */
	void (*connected)(void *ud);
	/* The attempt failed (err: its errno; 0 when dropped meanwhile). */
	void (*failed)(void *ud, int err);
	/* Bytes read. */
	void (*rx)(void *ud, const char *data, size_t len);
	/* The socket can take more: write to fd; -1 to close it. */
	int (*writable)(void *ud, int fd);
	/* A connected socket has closed (its end, an error or a drop). */
	void (*closed)(void *ud);
};

struct sock {
	struct loop *loop;
	const struct sock_events *ev;
	void *ud;
	int fd;                  /* -1 when none */
	int slot;                /* its slot in the loop */
	int connecting;          /* connect(2) under way */
	int connect_err;         /* the error of an attempt that failed at once */
	int read_paused;
	int want_write;
	struct loop_timer drop_timer;    /* sock_drop(): in the next round */
	struct loop_timer failed_timer;  /* an attempt that failed at once */
	char rx[64 * 1024];      /* one read */
};

void sock_init(struct sock *s, struct loop *loop,
    const struct sock_events *ev, void *ud);
/*
 * Connect to dial's next address.  An attempt that fails at once is
 * reported (failed()) in the loop's next round, like one that fails
 * later; -1 only when the loop has no room.
 */
int sock_start(struct sock *s, struct dial *d);
/* Whether there is a socket (connecting or connected). */
int sock_open(const struct sock *s);
/* Call writable() once when the socket can take more. */
void sock_want_write(struct sock *s);
/* Stop or resume reading (a hang-up is still read, to learn of it). */
void sock_read_pause(struct sock *s, int pause);
/* Hear nothing more from the socket (not even what this round polled);
 * close it in the loop's next round, then report failed() or closed(). */
void sock_drop(struct sock *s);
/* Close now; nothing more is reported. */
void sock_close(struct sock *s);

#endif
