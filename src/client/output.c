/*
 * Printing frames: through the filter, as they came, or compacted when
 * they hold a line break (one frame, one line).
 */
#include <config.h>

#include <stdio.h>
#include <unistd.h>

#include "colour.h"
#include "lib/msg.h"
#include "output.h"

int
output_init(struct output *op, struct filter *filter, long count,
    enum text_mode text)
{
	*op = (struct output){ .filter = filter, .count = count };
	text_init(&op->text, text, text != TEXT_OFF && isatty(1));
	return out_init(&op->out, 1);
}

void
output_text_end(struct output *op, int separate)
{
	if (op->text.mode != TEXT_OFF)
		text_end(&op->text, &op->out, separate);
}

int
output_frame(struct output *op, const char *data, size_t len,
    const struct json_info *fi, unsigned long n)
{
	long outputs = 1;
	int until, loaded = op->filter != NULL &&
	    filter_load(op->filter, data, len, n) == 0;

	if (op->filter != NULL && !loaded)
		op->jq_failed = 1;
	if (filter_has_program(op->filter)) {
		outputs = loaded ? filter_output(op->filter, &op->out) : 0;
		if (outputs < 0) {
			op->jq_failed = 1;
			outputs = 0;
		}
	} else if (op->text.mode != TEXT_OFF) {
		if (text_frame(&op->text, fi, &op->out) == -1)
			msg_error("frame %lu: out of memory", n);
	} else {
		if (fi->has_newline) {
			op->scratch.len = 0;
			if (json_compact(data, len, &op->scratch) == 0) {
				data = op->scratch.p;
				len = op->scratch.len;
			}
		}
		if ((colour_on() ? colour_write(&op->out, data, len) :
		    out_write(&op->out, data, len)) == 0)
			out_write(&op->out, "\n", 1);
	}
	op->outputs += outputs;
	until = loaded ? filter_until(op->filter) : 0;
	if (until < 0)
		op->jq_failed = 1;
	if (until > 0) {
		msg_info("frame %lu: --until holds: done", n);
		return 1;
	}
	if (op->count > 0 && op->outputs >= op->count) {
		msg_info("%ld outputs: done", op->outputs);
		return 1;
	}
	return 0;
}

void
output_unprintable(unsigned long n, const char *what, const char *data,
    size_t len)
{
	char shown[80];

	msg_escape(shown, sizeof(shown), data, len, 32, 0);
	msg_warn("frame %lu: %s, not printed (%zu bytes: \"%s%s\")", n, what,
	    len, shown, len > 32 ? "..." : "");
}

int
output_flush(struct output *op, size_t high, int *lag_changed)
{
	int r = out_flush(&op->out);
	size_t left = out_pending(&op->out);

	*lag_changed = 0;
	if (r == -1)
		return -1;
	if (!op->lagging && left > high)
		*lag_changed = op->lagging = 1;
	else if (op->lagging && left < high / 2) {
		op->lagging = 0;
		*lag_changed = 1;
	}
	return r;
}

void
output_free(struct output *op)
{
	out_free(&op->out);
	buf_free(&op->scratch);
	text_free(&op->text);
}
