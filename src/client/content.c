/* send's content: the TEXT arguments or stdin (content.h). */
#include <config.h>

#include <string.h>

#include "content.h"
#include "lib/io.h"
#include "lib/msg.h"
#include "lib/utf8.h"

int
content_read(char **text, int ntext, struct buf *b)
{
	size_t len, at;
	char *in;
	int i;

	if (ntext == 0 || (ntext == 1 && strcmp(text[0], "-") == 0)) {
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
		msg_error("%s: invalid UTF-8 at byte %zu", ntext == 0 ||
		    strcmp(text[0], "-") == 0 ? "stdin" : "TEXT", at);
		return -1;
	}
	return 0;
}
