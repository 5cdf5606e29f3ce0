/* A growable byte buffer. */
#ifndef CHATCAT_BUF_H
#define CHATCAT_BUF_H

#include <stddef.h>

struct buf {
	char *p;
	size_t len, cap;
};

/* Make room for n more bytes; -1 if out of memory. */
int buf_reserve(struct buf *b, size_t n);
int buf_add(struct buf *b, const void *data, size_t n);
int buf_adds(struct buf *b, const char *s);
void buf_free(struct buf *b);

#endif
