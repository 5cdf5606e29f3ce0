/* Fences still out and types sent as they are (fence.h). */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/random.h"
#include "fence.h"
#include "lib/buf.h"
#include "lib/json.h"
#include "lib/uuid.h"

int
fence_new(char type[FENCE_LEN + 1], char *frame, size_t size)
{
	if (random_hex(type + 6, 16) != 0)
		return -1;
	memcpy(type, "fence-", 6);
	snprintf(frame, size, "{\"type\":\"%s\"}", type);
	return 0;
}

int
fence_named(const char **p, char type[FENCE_LEN + 1])
{
	size_t i;

	while ((*p = strstr(*p, "fence-")) != NULL) {
		for (i = 6; i < FENCE_LEN && isxdigit((unsigned char)(*p)[i]);
		    i++)
			;
		*p += 6;
		if (i == FENCE_LEN) {
			memcpy(type, *p - 6, FENCE_LEN);
			type[FENCE_LEN] = '\0';
			return 1;
		}
	}
	return 0;
}

/* A ring, oldest first: a server answers fences in the order sent. */
void
fence_stale_add(struct fences *f, const char *type)
{
	if (f->nstale == f->stalecap) {
		size_t cap = f->stalecap ? f->stalecap * 2 : 8, k;
		char (*n)[FENCE_LEN + 1] = malloc(cap * sizeof(*n));

		if (n == NULL)
			return;
		for (k = 0; k < f->nstale; k++)
			memcpy(n[k], f->stale[(f->shead + k) % f->stalecap],
			    sizeof(n[k]));
		free(f->stale);
		f->stale = n;
		f->stalecap = cap;
		f->shead = 0;
	}
	memcpy(f->stale[(f->shead + f->nstale++) % f->stalecap], type,
	    FENCE_LEN + 1);
}

int
fence_stale_take(struct fences *f, const char *type)
{
	size_t k, j;

	for (k = 0; k < f->nstale; k++)
		if (memcmp(f->stale[(f->shead + k) % f->stalecap], type,
		    FENCE_LEN) == 0)
			break;
	if (k == f->nstale)
		return 0;
	for (j = k; j > 0; j--)  /* usually k is 0 */
		memcpy(f->stale[(f->shead + j) % f->stalecap],
		    f->stale[(f->shead + j - 1) % f->stalecap],
		    sizeof(f->stale[0]));
	return fence_stale_pop(f);
}

int
fence_stale_pop(struct fences *f)
{
	if (f->nstale == 0)
		return 0;
	f->shead = (f->shead + 1) % f->stalecap;
	f->nstale--;
	return 1;
}

void
fence_forget(struct fences *f)
{
	f->nstale = f->shead = 0;
}

/* The last FENCE_OTHERS types are kept. */
void
fence_other_sent(struct fences *f, const char *frame, size_t len)
{
	struct json_info fi;
	struct buf t = { 0 };

	if (json_scan(frame, len, &fi) == JSON_INVALID ||
	    !fi.type.is_string || json_span_text(&fi.type, &t) == -1 ||
	    t.len == 0 || t.len >= sizeof(f->others[0])) {
		buf_free(&t);
		return;
	}
	memcpy(f->others[(f->ohead + f->nothers) % FENCE_OTHERS], t.p,
	    t.len + 1);
	if (f->nothers < FENCE_OTHERS)
		f->nothers++;
	else
		f->ohead = (f->ohead + 1) % FENCE_OTHERS;
	buf_free(&t);
}

int
fence_other_named(struct fences *f, const char *m, int take)
{
	size_t k, mlen = strlen(m), tlen;

	for (k = 0; k < f->nothers; k++) {
		char *t = f->others[(f->ohead + k) % FENCE_OTHERS];

		tlen = strlen(t);
		if (tlen >= mlen || memcmp(m + mlen - tlen, t, tlen) != 0 ||
		    m[mlen - tlen - 1] != ' ')
			continue;
		if (!take)
			return 1;
		/* Forget it: the older ones move up one place. */
		for (; k > 0; k--)
			memcpy(f->others[(f->ohead + k) % FENCE_OTHERS],
			    f->others[(f->ohead + k - 1) % FENCE_OTHERS],
			    sizeof(f->others[0]));
		f->ohead = (f->ohead + 1) % FENCE_OTHERS;
		f->nothers--;
		return 1;
	}
	return 0;
}

void
fence_free(struct fences *f)
{
	free(f->stale);
	*f = (struct fences){ 0 };
}
