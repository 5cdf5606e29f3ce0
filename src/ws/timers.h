/*
 * The owner's timers (ws_timer()): WS_TIMERS of them on lws' loop, each
 * armed, re-armed or disarmed by id.
 */
#ifndef CHATCAT_TIMERS_H
#define CHATCAT_TIMERS_H

#include <libwebsockets.h>

#include "ws_types.h"

struct timers;

struct timer_slot {
	lws_sorted_usec_list_t sul;  /* first: the callback casts back */
	struct timers *t;
	int id;
};

struct timers {
	struct lws_context *ctx;
	void (*expired)(void *ud, int id);
	void *ud;
	struct timer_slot slot[WS_TIMERS];
};

void timers_init(struct timers *t, struct lws_context *ctx,
    void (*expired)(void *ud, int id), void *ud);
/* Arm timer id (0 <= id < WS_TIMERS) for secs seconds; 0 disarms it. */
void timers_set(struct timers *t, int id, double secs);

#endif
