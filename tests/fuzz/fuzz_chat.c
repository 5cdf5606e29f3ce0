/*
 * libFuzzer harness: the client's frame handler and completion rules
 * (chat.c), with the connection and the filter replaced by stubs.  The
 * first byte sets the command, --fence and how many requests are pending;
 * the rest is frames separated by 0xff bytes (which UTF-8 never holds), a
 * frame starting with 0xfe being binary and one that is empty standing for
 * the idle timer firing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat_int.h"
#include "filter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The connection, as chat.c sees it. */
int ws_send_text(struct ws *w, const char *d, size_t n)
{ (void)w; (void)d; (void)n; return 0; }
void ws_timer(struct ws *w, int id, double secs)
{ (void)w; (void)id; (void)secs; }
void ws_close(struct ws *w, int code, const char *reason)
{ (void)w; (void)code; (void)reason; }

/* No --jq: frames are printed as they are. */
void chat_input_flow(struct chat *c) { (void)c; }
int filter_has_program(const struct filter *f) { (void)f; return 0; }
int filter_load(struct filter *f, const char *j, size_t n, unsigned long i)
{ (void)f; (void)j; (void)n; (void)i; return 0; }
long filter_output(struct filter *f, struct out *o)
{ (void)f; (void)o; return 0; }
int filter_until(struct filter *f) { (void)f; return 0; }
int filter_last_truthy(const struct filter *f) { (void)f; return 0; }

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *threads[] = {
		"11111111-1111-4111-8111-111111111111",
		"22222222-2222-4222-8222-222222222222",
	};
	struct options o;
	struct chat c;
	size_t i, start, n;

	if (size < 1)
		return 0;
	memset(&o, 0, sizeof(o));
	o.command = data[0] & 1 ? CMD_PIPE : CMD_SEND;
	o.fence = data[0] & 2;
	o.idle = 1;
	msg_set_verbosity(0, 1);
	memset(&c, 0, sizeof(c));
	c.o = &o;
	c.out = (struct out){ .fd = -1, .saved_flags = -1 };
	n = (size_t)(data[0] >> 2 & 7) + 1;
	for (i = 0; i < n; i++)
		chat_send(&c, "{}", 2, i % 3 == 2 ? REQ_HISTORY : REQ_MESSAGE,
		    threads[i % 2]);
	c.input_ended = 1;
	for (start = i = 1; i <= size; i++) {
		if (i < size && data[i] != 0xff)
			continue;
		if (i == start)
			chat_idle(&c);
		else
			chat_frame(&c, (const char *)data + start + (data[start] == 0xfe),
			    i - start - (data[start] == 0xfe), data[start] == 0xfe);
		c.out.b.len = c.out.off = 0;  /* nothing is written anywhere */
		start = i + 1;
	}
	buf_free(&c.out.b);
	buf_free(&c.scratch);
	chat_free_requests(&c);
	return 0;
}
