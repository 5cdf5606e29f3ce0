/*
 * Validation of the frames a client sends to chatcat serve.  Pure: no
 * I/O, so it can be fuzzed on its own.
 */
#ifndef CHATCAT_SERVE_REQ_H
#define CHATCAT_SERVE_REQ_H

#include <stddef.h>

#include "lib/buf.h"
#include "lib/uuid.h"

/* What a client asks for (not the client's own enum req_kind). */
enum req_type { SERVE_HISTORY, SERVE_MESSAGE };

struct req {
	enum req_type type;
	char thread[UUID_LEN + 1];   /* lower case */
	char agent[UUID_LEN + 1];    /* "" when null or absent */
	struct buf content;          /* message: unescaped, NUL-terminated */
	char why[160];               /* the error message when invalid */
};

/*
 * Check one text frame.  0: r describes a valid request; -1: r->why is
 * the message for the error frame.  Call req_free() in both cases.
 */
int req_parse(const char *data, size_t len, struct req *r);

void req_free(struct req *r);

#endif
