/* send's content: the TEXT arguments or stdin (content.h). */
#include <config.h>

#include <string.h>
#include <unistd.h>

#include "content.h"
#include "lib/io.h"
#include "lib/msg.h"
#include "lib/utf8.h"

int
content_from_stdin(char **text, int ntext)
{
	return ntext == 0 || (ntext == 1 && strcmp(text[0], "-") == 0);
}

int
content_read(char **text, int ntext, struct buf *b)
{
	int i, in_stdin = content_from_stdin(text, ntext);
	const char *from = in_stdin ? "stdin" : "TEXT";
	size_t len, at;
	char *in;

	if (in_stdin) {
		if (isatty(0))  /* not a silent wait */
			msg_notice("reading the message from the terminal:"
			    " type it, then Ctrl-D on a line of its own");
		in = io_read_all(0, "stdin", &len);
		if (in == NULL)
			return -1;
		b->p = in;
		b->len = len;
		b->cap = len + 1;
	} else {
		for (i = 0; i < ntext; i++)
			if ((i > 0 && buf_add(b, " ", 1) == -1) ||
			    buf_adds(b, text[i]) == -1) {
				msg_error("out of memory");
				return -1;
			}
	}
	if (b->p == NULL && buf_add(b, "", 0) == -1) {
		msg_error("out of memory");
		return -1;
	}
	if (!utf8_valid(b->p, b->len, &at)) {
		msg_error("%s: invalid UTF-8 at byte %zu", from, at);
		return -1;
	}
	if (b->len == 0) {
		msg_error("%s: the message is empty: nothing to send", from);
		return -1;
	}
	return 0;
}
