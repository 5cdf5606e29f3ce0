/*
 * TLS for the client connection, with OpenSSL memory BIOs: ws_stream.c moves
 * ciphertext between the socket and this module, which hands back
 * plaintext, so that TLS sits on the client's own socket (sock.c) between
 * the proxy's tunnel and the upgrade.  OpenSSL is loaded on first use
 * (lib/ssllib.c).
 */
#ifndef CHATCAT_TLS_H
#define CHATCAT_TLS_H

#include <stddef.h>

#include "lib/buf.h"

struct tls;

/* Trust and identity, from the command line; every path may be NULL. */
struct tls_config {
	const char *cacert;    /* CA file; with capath NULL too: the system's */
	const char *capath;    /* hashed CA directory (openssl rehash) */
	const char *cert;      /* client certificate chain (PEM) */
	const char *cert_key;  /* its private key; NULL: in the cert file */
	int insecure;          /* do not verify the server */
};

/*
 * Make a client session for host.  NULL after printing an error, which
 * names the file (never its contents) when one cannot be used.
 */
struct tls *tls_new(const char *host, const struct tls_config *cfg);

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

/*
 * The server dropped the connection before sending anything: with TLS 1.3
 * its side of the handshake ends after ours, so if it sent no session
 * ticket either it most likely refused the handshake (some servers drop
 * the connection without an alert).  Returns why, or NULL when the
 * handshake is known to have been accepted.
 */
const char *tls_dropped(const struct tls *t);

void tls_free(struct tls *t);

#endif
