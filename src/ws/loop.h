/*
 * The client's event loop: poll(2) over a few descriptors (the socket,
 * stdin, stdout, the signal pipe) and a handful of timers, all in one
 * thread.  Callbacks may add, change or remove descriptors and timers;
 * a descriptor removed or replaced during a round hears nothing more of
 * that round.
 */
#ifndef CHATCAT_LOOP_H
#define CHATCAT_LOOP_H

#include <stddef.h>
#include <stdint.h>

#define LOOP_FDS 8

typedef int64_t loop_usec;  /* microseconds, CLOCK_MONOTONIC */

struct loop_timer {
	loop_usec at;                      /* when it fires; 0: not armed */
	void (*fire)(struct loop_timer *t);
	uint64_t seq;                      /* arming order, for fairness */
	struct loop_timer *next;           /* the armed list */
};

/* In a fire callback: the struct of type that holds t as member. */
#define LOOP_TIMER_OWNER(t, type, member) \
	((type *)(void *)((char *)(t) - offsetof(type, member)))

/* revents: POLLIN, POLLOUT, POLLERR, POLLHUP as poll(2) gave them. */
typedef void (*loop_fd_cb)(void *ud, int fd, short revents);

struct loop_slot {
	int fd;          /* -1: free */
	short events;
	int paused;      /* not polled at all (not even for POLLHUP) */
	unsigned gen;    /* changes when the slot is reused */
	loop_fd_cb cb;
	void *ud;
};

struct loop {
	struct loop_slot slot[LOOP_FDS];
	struct loop_timer *timers;
	uint64_t seq;
};

loop_usec loop_now(void);
void loop_init(struct loop *l);
/* Watch fd for events; the slot's id, or -1 when all are taken. */
int loop_add(struct loop *l, int fd, short events, loop_fd_cb cb, void *ud);
/* What to wait for (POLLERR and POLLHUP always come). */
void loop_events(struct loop *l, int id, short events);
/* Leave the descriptor out of poll(2) altogether, or put it back. */
void loop_pause(struct loop *l, int id, int paused);
/* Stop watching (the descriptor is not closed); id < 0 is ignored. */
void loop_remove(struct loop *l, int id);
/* Arm (or re-arm) t to call fire after delay microseconds (>= 0). */
void loop_timer_set(struct loop *l, struct loop_timer *t,
    void (*fire)(struct loop_timer *t), loop_usec delay);
void loop_timer_cancel(struct loop *l, struct loop_timer *t);
/*
 * Wait for the next event or timer and call what is due: the descriptors
 * first, then the timers due (armed before the round).  -1 when poll(2)
 * failed (reported).
 */
int loop_once(struct loop *l);

#endif
