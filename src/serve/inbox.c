/* The requests a connection has read and not handled yet (inbox.h). */
#include <config.h>

#include <string.h>

#include "inbox.h"

#define HEAD 5

int
inbox_push(struct inbox *in, const char *data, size_t len, int binary)
{
	unsigned char head[HEAD];

	if (in->off > 0) {  /* what was taken goes */
		memmove(in->b.p, in->b.p + in->off, in->b.len - in->off);
		in->b.len -= in->off;
		in->off = 0;
	}
	head[0] = (unsigned char)(len >> 24);
	head[1] = (unsigned char)(len >> 16);
	head[2] = (unsigned char)(len >> 8);
	head[3] = (unsigned char)len;
	head[4] = (unsigned char)(binary != 0);
	if (buf_add(&in->b, head, sizeof(head)) == -1 ||
	    buf_add(&in->b, data, len) == -1)
		return -1;
	return 0;
}

int
inbox_peek(const struct inbox *in, const char **data, size_t *len,
    int *binary)
{
	const unsigned char *h;

	if (in->b.len - in->off < HEAD)
		return 0;
	h = (const unsigned char *)in->b.p + in->off;
	*len = (size_t)h[0] << 24 | (size_t)h[1] << 16 | (size_t)h[2] << 8 |
	    h[3];
	*binary = h[4];
	*data = (const char *)h + HEAD;
	return 1;
}

void
inbox_pop(struct inbox *in)
{
	const char *data;
	size_t len;
	int binary;

	if (inbox_peek(in, &data, &len, &binary))
		in->off += HEAD + len;
	if (in->off == in->b.len)
		in->b.len = in->off = 0;
}

size_t
inbox_bytes(const struct inbox *in)
{
	return in->b.len - in->off;
}

void
inbox_free(struct inbox *in)
{
	buf_free(&in->b);
	in->off = 0;
}
