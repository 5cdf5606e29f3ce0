/* A growable byte buffer. */
#ifndef CHATCAT_BUF_H
#define CHATCAT_BUF_H

#include <stddef.h>

/*
 * A buffer marked secret (it may hold a credential) is wiped whenever its
 * bytes move, are dropped (buf_clear()) or freed: the one rule for every
 * copy of a secret.
 */
struct buf {
	char *p;
	size_t len, cap;
	int secret;
};

/* Make room for n more bytes; -1 if out of memory. */
int buf_reserve(struct buf *b, size_t n);
int buf_add(struct buf *b, const void *data, size_t n);
int buf_adds(struct buf *b, const char *s);
void buf_free(struct buf *b);
/* Empty b (wiping what it held if it is secret); it keeps its memory. */
void buf_clear(struct buf *b);
/* Wipe and free a NUL-terminated string that held a secret. */
void secret_free(char *s);

#endif
