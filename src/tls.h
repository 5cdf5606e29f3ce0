/*
 * TLS for the client connection, with OpenSSL memory BIOs: ws.c moves
 * ciphertext between the socket and this module, which hands back
 * plaintext.  (libwebsockets 4.1.6 cannot start TLS on a "RAW" client
 * connection: it tries the handshake before the socket exists.)
 */
#ifndef CHATCAT_TLS_H
#define CHATCAT_TLS_H

#include <stddef.h>

#include "buf.h"

struct tls;

/*
 * Make a client session for host.  cacert NULL means the system store;
 * insecure skips verification.  NULL after printing an error.
 */
struct tls *tls_new(const char *host, const char *cacert, int insecure);

enum tls_state { TLS_HANDSHAKE, TLS_OPEN, TLS_FAILED, TLS_CLOSED };

/*
 * Feed ciphertext from the socket (len may be 0 to just make progress);
 * plaintext is appended to plain.  Returns the state afterwards.
 */
enum tls_state tls_input(struct tls *t, const void *data, size_t len,
    struct buf *plain);

/* Encrypt plaintext for sending (only once TLS_OPEN). */
int tls_write(struct tls *t, const void *data, size_t len);

/* Move ciphertext waiting to be sent to out. */
int tls_output(struct tls *t, struct buf *out);

/* Why the session failed: a certificate error or OpenSSL's reason. */
const char *tls_error(const struct tls *t);

void tls_free(struct tls *t);

#endif
