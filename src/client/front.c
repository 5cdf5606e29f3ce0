/*
 * What a front end (chatcat chat) asks of the run (client.h): requests
 * it makes, muting what answers an abandoned one, holding the input.
 */
#include <config.h>

#include "run.h"

int
client_message(struct chat *c, const char *thread, const char *content,
    size_t len)
{
	c->frame.len = 0;
	if (input_message(&c->frame, thread, c->cfg->agent, content,
	    len) == -1)
		return -1;
	return requests_send(&c->rq, c->frame.p, c->frame.len, REQ_MESSAGE,
	    thread, 0, 0);
}

int
client_history(struct chat *c, const char *thread)
{
	c->frame.len = 0;
	if (input_history(&c->frame, thread) == -1)
		return -1;
	return requests_send(&c->rq, c->frame.p, c->frame.len, REQ_HISTORY,
	    thread, 0, 0);
}

void
client_mute(struct chat *c)
{
	c->muted = c->rules.pending.count;
	output_text_end(&c->op, 0);
	run_flush(c);
}

void
client_input_hold(struct chat *c, int hold)
{
	c->held = hold;
	run_input_flow(c);
}

void
client_flush(struct chat *c)
{
	run_flush(c);
}

void
client_end(struct chat *c, enum exit_status st)
{
	c->input_ended = 1;
	ws_input_pause(c->ws, 1);
	run_stop(c, st, 1000);
}
