/*
 * The requests a connection has read and not handled yet, in order (kept
 * whole, with whether each was binary).  Data only.
 */
#ifndef CHATCAT_INBOX_H
#define CHATCAT_INBOX_H

#include <stddef.h>

#include "lib/buf.h"

struct inbox {
	struct buf b;                /* [4-byte length, binary, data]... */
	size_t off;                  /* the next one starts here */
};

/* Keep a request; -1 when out of memory. */
int inbox_push(struct inbox *in, const char *data, size_t len, int binary);

/* The next request, without taking it: 0 when there is none. */
int inbox_peek(const struct inbox *in, const char **data, size_t *len,
    int *binary);

/* Take the request inbox_peek() showed. */
void inbox_pop(struct inbox *in);

/* Bytes kept. */
size_t inbox_bytes(const struct inbox *in);

void inbox_free(struct inbox *in);

#endif
