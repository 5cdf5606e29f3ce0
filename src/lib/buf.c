/* A growable byte buffer, always with room for a terminating NUL. */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

int
buf_reserve(struct buf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 256;
	char *p;

	if (n > SIZE_MAX / 2 - b->len)
		return -1;
	if (b->len + n + 1 <= b->cap)
		return 0;
	while (cap < b->len + n + 1)
		cap *= 2;
	if (b->secret) {  /* realloc() would leave the old bytes behind */
		p = malloc(cap);
		if (p == NULL)
			return -1;
		if (b->p != NULL) {
			memcpy(p, b->p, b->len + 1);
			explicit_bzero(b->p, b->cap);
			free(b->p);
		}
	} else if ((p = realloc(b->p, cap)) == NULL)
		return -1;
	b->p = p;
	b->cap = cap;
	return 0;
}

int
buf_add(struct buf *b, const void *data, size_t n)
{
	if (buf_reserve(b, n) == -1)
		return -1;
	if (n > 0)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

int
buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

void
buf_free(struct buf *b)
{
	int secret = b->secret;

	if (secret && b->p != NULL)
		explicit_bzero(b->p, b->cap);
	free(b->p);
	*b = (struct buf){ .secret = secret };
}

void
buf_clear(struct buf *b)
{
	if (b->secret && b->p != NULL)
		explicit_bzero(b->p, b->len);
	b->len = 0;
}

void
secret_free(char *s)
{
	if (s != NULL) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}
