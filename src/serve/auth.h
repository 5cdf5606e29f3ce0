/*
 * The server's principals: who may connect, from --auth-file, --token,
 * --api-key or a token generated at start.  Only SHA-256 digests of the
 * secrets are kept, and they are compared in constant time.
 */
#ifndef CHATCAT_AUTH_H
#define CHATCAT_AUTH_H

#include <stddef.h>

#define AUTH_ID_LEN 64  /* a principal's id: hex SHA-256 of kind and secret */
#define AUTH_SECRET_MAX 4096  /* the longest token (bytes) */

struct auth;

struct auth *auth_new(void);

/* Add a principal; kind is "token" or "key".  -1 if out of memory. */
int auth_add(struct auth *a, const char *kind, const char *secret);

/* Why kind/secret cannot be a principal (empty, a key that is not a
 * UUID, a token over AUTH_SECRET_MAX bytes), or NULL if it can. */
const char *auth_secret_why(const char *kind, const char *secret);

/*
 * Read FILE: one "token VALUE" or "key UUID" per line; blank lines and
 * lines starting with # are ignored.  -1 after printing "FILE:LINE: why".
 */
int auth_load(struct auth *a, const char *path);

/* Parse one auth-file line into a; 1 if it added a principal, 0 if
 * blank or a comment, -1 (why set) if malformed.  For the fuzzer too. */
int auth_parse_line(struct auth *a, char *line, const char **why);

size_t auth_count(const struct auth *a);

/*
 * Which principal presents kind/secret: copies its id (AUTH_ID_LEN + 1
 * bytes) to id and returns 0; -1 if none.  Every principal is compared,
 * in constant time.
 */
int auth_check(const struct auth *a, const char *kind, const char *secret,
    char *id);

void auth_free(struct auth *a);

#endif
