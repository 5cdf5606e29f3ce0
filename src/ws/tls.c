/*
 * Client TLS over memory BIOs.  Verification uses the CA file and/or
 * directory (the system bundle by default) and checks the host name, or
 * the IP address when the host is a literal.  A client certificate is
 * offered when one is configured.
 */
#include <config.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "lib/msg.h"
#include "tls.h"

#define CA_BUNDLE "/etc/ssl/certs/ca-certificates.crt"

struct tls {
	SSL_CTX *ctx;
	SSL *ssl;
	BIO *in, *out;           /* socket -> ssl, ssl -> socket */
	enum tls_state state;
	int has_cert;            /* a client certificate is offered */
	int ticket;              /* the server sent a session ticket */
	char error[256];
};

static int
is_ip_literal(const char *host)
{
	unsigned char a[16];

	return inet_pton(AF_INET, host, a) == 1 ||
	    inet_pton(AF_INET6, host, a) == 1;
}

/*
 * Set up verification of the peer's name and chain: against --cacert
 * and/or --capath when given, the system bundle otherwise.
 */
static int
verify_setup(struct tls *t, const char *host, const struct tls_config *cfg)
{
	X509_VERIFY_PARAM *p = SSL_get0_param(t->ssl);
	const char *file = cfg->cacert;

	if (file == NULL && cfg->capath == NULL)
		file = CA_BUNDLE;
	SSL_set_verify(t->ssl, SSL_VERIFY_PEER, NULL);
	if (SSL_CTX_load_verify_locations(t->ctx, file, cfg->capath) != 1) {
		msg_error("%s: cannot load CA certificates",
		    file ? file : cfg->capath);
		return -1;
	}
	if (is_ip_literal(host))
		return X509_VERIFY_PARAM_set1_ip_asc(p, host) == 1 ? 0 : -1;
	X509_VERIFY_PARAM_set_hostflags(p,
	    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	return X509_VERIFY_PARAM_set1_host(p, host, 0) == 1 ? 0 : -1;
}

/*
 * OpenSSL's password callback: there is no password, so an encrypted key
 * fails to load instead of OpenSSL asking on the terminal.
 */
static int
no_password(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

/* Read the first PEM private key in file; NULL if there is none. */
static EVP_PKEY *
read_key(const char *file, int *encrypted)
{
	BIO *b = BIO_new_file(file, "r");
	EVP_PKEY *key;
	unsigned long e;

	*encrypted = 0;
	if (b == NULL)
		return NULL;
	key = PEM_read_bio_PrivateKey(b, NULL, no_password, NULL);
	BIO_free(b);
	while (key == NULL && (e = ERR_get_error()) != 0)
		if (ERR_GET_REASON(e) == PEM_R_BAD_PASSWORD_READ)
			*encrypted = 1;
	return key;
}

/*
 * Load the client certificate (--cert, with its chain) and its key
 * (--cert-key, or the same file), and check that they belong together.
 * Messages name the files, never what is in them.
 */
static int
identity_setup(struct tls *t, const struct tls_config *cfg)
{
	const char *keyfile = cfg->cert_key ? cfg->cert_key : cfg->cert;
	const char *keyopt = cfg->cert_key ? "--cert-key" : "--cert";
	EVP_PKEY *key;
	int encrypted, ok;

	if (SSL_use_certificate_chain_file(t->ssl, cfg->cert) != 1) {
		msg_error("--cert: %s: no PEM certificate in it", cfg->cert);
		return -1;
	}
	key = read_key(keyfile, &encrypted);
	if (key == NULL) {
		msg_error("%s: %s: %s", keyopt, keyfile, encrypted ?
		    "the private key is encrypted (not supported)" :
		    cfg->cert_key ? "no PEM private key in it" :
		    "no PEM private key in it (see --cert-key)");
		return -1;
	}
	ok = X509_check_private_key(SSL_get_certificate(t->ssl), key) == 1;
	if (ok && SSL_use_PrivateKey(t->ssl, key) != 1)
		ok = 0;
	EVP_PKEY_free(key);
	if (!ok) {
		if (cfg->cert_key)
			msg_error("--cert-key: %s: not the key of the"
			    " certificate in %s", keyfile, cfg->cert);
		else
			msg_error("--cert: %s: the private key is not the"
			    " certificate's", keyfile);
		return -1;
	}
	t->has_cert = 1;
	return 0;
}

/*
 * A session ticket arrived.  A TLS 1.3 server sends tickets once it has
 * accepted the handshake, our certificate included: chatcat keeps none.
 */
static int
new_session(SSL *ssl, SSL_SESSION *sess)
{
	struct tls *t = SSL_get_app_data(ssl);

	(void)sess;
	t->ticket = 1;
	return 0;  /* no reference taken */
}

struct tls *
tls_new(const char *host, const struct tls_config *cfg)
{
	struct tls *t = calloc(1, sizeof(*t));

	if (t == NULL)
		goto oom;
	t->ctx = SSL_CTX_new(TLS_client_method());
	if (t->ctx == NULL)
		goto oom;
	SSL_CTX_set_min_proto_version(t->ctx, TLS1_2_VERSION);
	SSL_CTX_set_session_cache_mode(t->ctx, SSL_SESS_CACHE_CLIENT |
	    SSL_SESS_CACHE_NO_INTERNAL_STORE);
	SSL_CTX_sess_set_new_cb(t->ctx, new_session);
	t->ssl = SSL_new(t->ctx);
	t->in = BIO_new(BIO_s_mem());
	t->out = BIO_new(BIO_s_mem());
	if (t->ssl == NULL || t->in == NULL || t->out == NULL) {
		BIO_free(t->in);
		BIO_free(t->out);
		t->in = t->out = NULL;
		goto oom;
	}
	SSL_set_bio(t->ssl, t->in, t->out);  /* the SSL owns both now */
	SSL_set_connect_state(t->ssl);
	SSL_set_app_data(t->ssl, t);
	if (!is_ip_literal(host) && SSL_set_tlsext_host_name(t->ssl, host) != 1)
		goto oom;
	if ((!cfg->insecure && verify_setup(t, host, cfg) == -1) ||
	    (cfg->cert != NULL && identity_setup(t, cfg) == -1)) {
		tls_free(t);
		return NULL;
	}
	ERR_clear_error();  /* loading may leave notes behind */
	return t;
oom:
	msg_error("cannot set up TLS: out of memory");
	tls_free(t);
	return NULL;
}

/* Whether an alert from the server is about the client certificate. */
static int
cert_alert(int reason)
{
	switch (reason) {
	case SSL_R_SSLV3_ALERT_BAD_CERTIFICATE:
	case SSL_R_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE:
	case SSL_R_SSLV3_ALERT_CERTIFICATE_REVOKED:
	case SSL_R_SSLV3_ALERT_CERTIFICATE_EXPIRED:
	case SSL_R_SSLV3_ALERT_CERTIFICATE_UNKNOWN:
	case SSL_R_TLSV1_ALERT_UNKNOWN_CA:
	case SSL_R_TLSV1_ALERT_ACCESS_DENIED:
		return 1;
	default:
		return 0;
	}
}

/*
 * Record why the session failed: our verification of the server, or the
 * server's refusal (an alert), or OpenSSL's reason.
 */
static void
failed(struct tls *t)
{
	long v = SSL_get_verify_result(t->ssl);
	unsigned long e = ERR_get_error();
	const char *r = e != 0 ? ERR_reason_error_string(e) : NULL;

	if (v != X509_V_OK)
		snprintf(t->error, sizeof(t->error),
		    "certificate verification failed: %s",
		    X509_verify_cert_error_string(v));
	else if (e != 0 && ERR_GET_REASON(e) ==
	    SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED)
		snprintf(t->error, sizeof(t->error), "the server requires a"
		    " client certificate (--cert)");
	else if (e != 0 && ERR_GET_REASON(e) == SSL_R_WRONG_VERSION_NUMBER)
		/* The answer is no TLS record: a plain HTTP server's text. */
		snprintf(t->error, sizeof(t->error), "%s: the server does not"
		    " seem to speak TLS (ws:// may be meant)", r);
	else if (e != 0 && t->has_cert && cert_alert(ERR_GET_REASON(e)))
		snprintf(t->error, sizeof(t->error), "the server refused the"
		    " client certificate: %s", r ? r : "bad certificate");
	else
		snprintf(t->error, sizeof(t->error), "%s",
		    r ? r : "handshake failed");
	ERR_clear_error();
	t->state = TLS_FAILED;
}

enum tls_state
tls_input(struct tls *t, const void *data, size_t len, struct buf *plain)
{
	char tmp[16384];
	int n, e;

	if (t->state == TLS_FAILED || t->state == TLS_CLOSED)
		return t->state;
	if (len > 0 && BIO_write(t->in, data, (int)len) != (int)len) {
		snprintf(t->error, sizeof(t->error), "out of memory");
		t->state = TLS_FAILED;
		return t->state;
	}
	if (t->state == TLS_HANDSHAKE) {
		n = SSL_do_handshake(t->ssl);
		if (n != 1) {
			e = SSL_get_error(t->ssl, n);
			if (e != SSL_ERROR_WANT_READ &&
			    e != SSL_ERROR_WANT_WRITE)
				failed(t);
			return t->state;
		}
		t->state = TLS_OPEN;
	}
	for (;;) {
		n = SSL_read(t->ssl, tmp, sizeof(tmp));
		if (n <= 0)
			break;
		if (buf_add(plain, tmp, (size_t)n) == -1) {
			snprintf(t->error, sizeof(t->error), "out of memory");
			t->state = TLS_FAILED;
			return t->state;
		}
	}
	e = SSL_get_error(t->ssl, n);
	if (e == SSL_ERROR_ZERO_RETURN)
		t->state = TLS_CLOSED;
	else if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
		failed(t);
	return t->state;
}

int
tls_write(struct tls *t, const void *data, size_t len)
{
	size_t n;

	/* A memory BIO takes everything, so SSL_write never waits. */
	while (len > 0) {
		n = len > (1u << 30) ? (1u << 30) : len;
		if (SSL_write(t->ssl, data, (int)n) != (int)n)
			return -1;
		data = (const char *)data + n;
		len -= n;
	}
	return 0;
}

int
tls_output(struct tls *t, struct buf *out)
{
	size_t pending = BIO_ctrl_pending(t->out);

	if (pending == 0)
		return 0;
	if (buf_reserve(out, pending) == -1)
		return -1;
	if (BIO_read(t->out, out->p + out->len, (int)pending) != (int)pending)
		return -1;
	out->len += pending;
	out->p[out->len] = '\0';
	return 0;
}

const char *
tls_dropped(const struct tls *t)
{
	if (SSL_version(t->ssl) != TLS1_3_VERSION || t->ticket ||
	    t->state != TLS_OPEN)
		return NULL;
	return t->has_cert ? "the server closed the connection after the"
	    " handshake (did it refuse the client certificate?)" :
	    "the server closed the connection after the handshake (does it"
	    " require a client certificate? see --cert)";
}

const char *
tls_error(const struct tls *t)
{
	return t->error[0] ? t->error : "handshake failed";
}

void
tls_free(struct tls *t)
{
	if (t == NULL)
		return;
	SSL_free(t->ssl);  /* frees the BIOs too */
	SSL_CTX_free(t->ctx);
	free(t);
}
