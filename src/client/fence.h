/*
 * Fences and what their answers look like (chatcat(1), COMPLETION): the
 * fences still out whose request completed first, and the types of values
 * pipe sent as they are, so that an error frame answering either is not
 * taken for the answer to a request.  Data only: rules.c decides.
 */
#ifndef CHATCAT_FENCE_H
#define CHATCAT_FENCE_H

#include <stddef.h>

/* A fence's type: "fence-" and 32 hex digits. */
#define FENCE_LEN 38
#define FENCE_OTHERS 16

struct fences {
	char (*stale)[FENCE_LEN + 1]; /* a ring, oldest first */
	size_t shead, nstale, stalecap;
	char others[FENCE_OTHERS][64]; /* a ring: the last types sent */
	size_t ohead, nothers;
};

/* Make a new fence type in type and its frame in frame (size >= 64);
 * -1 without randomness. */
int fence_new(char type[FENCE_LEN + 1], char *frame, size_t size);

/* The next fence type named in an error message after *p; *p moves past
 * it.  0 when there is none. */
int fence_named(const char **p, char type[FENCE_LEN + 1]);

/* Remember a fence whose request completed before its answer (dropped
 * when out of memory: its answer is then shown as an error). */
void fence_stale_add(struct fences *f, const char *type);

/* Whether type is a stale fence; it is then forgotten. */
int fence_stale_take(struct fences *f, const char *type);

/* Forget the oldest stale fence, if any; whether there was one. */
int fence_stale_pop(struct fences *f);

/* A new connection: fences sent on the old one are never answered. */
void fence_forget(struct fences *f);

/* pipe: a value of another type was sent as it is (frame: its JSON). */
void fence_other_sent(struct fences *f, const char *frame, size_t len);

/* Whether an error message ends by naming a type sent as it is (after a
 * space); with take, that type is then forgotten. */
int fence_other_named(struct fences *f, const char *m, int take);

void fence_free(struct fences *f);

#endif
