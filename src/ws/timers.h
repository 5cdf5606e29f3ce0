/*
 * The owner's timers (ws_timer()): WS_TIMERS of them on the loop, each
 * armed, re-armed or disarmed by id.
 */
#ifndef CHATCAT_TIMERS_H
#define CHATCAT_TIMERS_H

#include "loop.h"
#include "ws_types.h"

struct timers;

struct timer_slot {
	struct loop_timer lt;  /* first: the callback casts back */
	struct timers *t;
	int id;
};

struct timers {
	struct loop *loop;
	void (*expired)(void *ud, int id);
	void *ud;
	struct timer_slot slot[WS_TIMERS];
};

void timers_init(struct timers *t, struct loop *loop,
    void (*expired)(void *ud, int id), void *ud);
/* Arm timer id (0 <= id < WS_TIMERS) for secs seconds; 0 disarms it. */
void timers_set(struct timers *t, int id, double secs);

#endif
