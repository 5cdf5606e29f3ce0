/*
 * OpenSSL (libcrypto and libssl), loaded on first use: only wss://, a
 * client certificate or serve's token check map them (lazylib.h).  Each
 * function chatcat calls is defined here under its own name with the
 * prototype of OpenSSL's headers (the compiler checks the types; callers
 * are unchanged), hidden so that OpenSSL's own calls never land here.
 * A new OpenSSL call is a link error until it gets its line below.  (The
 * fuzzers link libcrypto directly instead of this file.)
 */
#include <config.h>

#pragma GCC visibility push(hidden)
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#pragma GCC visibility pop

#include "lazylib.h"

typedef int (*ssl_new_session_cb)(SSL *, SSL_SESSION *);

/* F(return type, name, (parameters), (arguments)); V for void ones. */
#define CRYPTO_FUNCTIONS(F, V) \
	F(size_t, BIO_ctrl_pending, (BIO *b), (b)) \
	F(int, BIO_free, (BIO *a), (a)) \
	F(BIO *, BIO_new, (const BIO_METHOD *type), (type)) \
	F(BIO *, BIO_new_file, (const char *f, const char *mode), (f, mode)) \
	F(int, BIO_read, (BIO *b, void *data, int n), (b, data, n)) \
	F(const BIO_METHOD *, BIO_s_mem, (void), ()) \
	F(int, BIO_write, (BIO *b, const void *data, int n), (b, data, n)) \
	F(int, CRYPTO_memcmp, (const void *a, const void *b, size_t n), (a, b, n)) \
	V(ERR_clear_error, (void), ()) \
	F(unsigned long, ERR_get_error, (void), ()) \
	F(const char *, ERR_reason_error_string, (unsigned long e), (e)) \
	F(int, EVP_DigestInit_ex, (EVP_MD_CTX *c, const EVP_MD *t, ENGINE *e), (c, t, e)) \
	F(int, EVP_DigestUpdate, (EVP_MD_CTX *c, const void *d, size_t n), (c, d, n)) \
	F(int, EVP_DigestFinal_ex, (EVP_MD_CTX *c, unsigned char *md, unsigned int *s), (c, md, s)) \
	V(EVP_MD_CTX_free, (EVP_MD_CTX *c), (c)) \
	F(EVP_MD_CTX *, EVP_MD_CTX_new, (void), ()) \
	V(EVP_PKEY_free, (EVP_PKEY *k), (k)) \
	F(const EVP_MD *, EVP_sha256, (void), ()) \
	F(EVP_PKEY *, PEM_read_bio_PrivateKey, (BIO *b, EVP_PKEY **x, pem_password_cb *cb, void *u), (b, x, cb, u)) \
	F(int, X509_VERIFY_PARAM_set1_host, (X509_VERIFY_PARAM *p, const char *n, size_t len), (p, n, len)) \
	F(int, X509_VERIFY_PARAM_set1_ip_asc, (X509_VERIFY_PARAM *p, const char *ip), (p, ip)) \
	V(X509_VERIFY_PARAM_set_hostflags, (X509_VERIFY_PARAM *p, unsigned int fl), (p, fl)) \
	F(int, X509_check_private_key, (const X509 *x, const EVP_PKEY *k), (x, k)) \
	F(const char *, X509_verify_cert_error_string, (long n), (n))

#define SSL_FUNCTIONS(F, V) \
	F(long, SSL_CTX_ctrl, (SSL_CTX *c, int cmd, long l, void *p), (c, cmd, l, p)) \
	V(SSL_CTX_free, (SSL_CTX *c), (c)) \
	F(int, SSL_CTX_load_verify_locations, (SSL_CTX *c, const char *f, const char *d), (c, f, d)) \
	F(SSL_CTX *, SSL_CTX_new, (const SSL_METHOD *m), (m)) \
	V(SSL_CTX_sess_set_new_cb, (SSL_CTX *c, ssl_new_session_cb cb), (c, cb)) \
	F(long, SSL_ctrl, (SSL *s, int cmd, long l, void *p), (s, cmd, l, p)) \
	F(int, SSL_do_handshake, (SSL *s), (s)) \
	V(SSL_free, (SSL *s), (s)) \
	F(X509_VERIFY_PARAM *, SSL_get0_param, (SSL *s), (s)) \
	F(X509 *, SSL_get_certificate, (const SSL *s), (s)) \
	F(int, SSL_get_error, (const SSL *s, int r), (s, r)) \
	F(void *, SSL_get_ex_data, (const SSL *s, int i), (s, i)) \
	F(long, SSL_get_verify_result, (const SSL *s), (s)) \
	F(SSL *, SSL_new, (SSL_CTX *c), (c)) \
	F(int, SSL_read, (SSL *s, void *buf, int n), (s, buf, n)) \
	V(SSL_set_bio, (SSL *s, BIO *r, BIO *w), (s, r, w)) \
	V(SSL_set_connect_state, (SSL *s), (s)) \
	F(int, SSL_set_ex_data, (SSL *s, int i, void *d), (s, i, d)) \
	V(SSL_set_verify, (SSL *s, int mode, SSL_verify_cb cb), (s, mode, cb)) \
	F(int, SSL_use_PrivateKey, (SSL *s, EVP_PKEY *k), (s, k)) \
	F(int, SSL_use_certificate_chain_file, (SSL *s, const char *f), (s, f)) \
	F(int, SSL_version, (const SSL *s), (s)) \
	F(int, SSL_write, (SSL *s, const void *buf, int n), (s, buf, n)) \
	F(const SSL_METHOD *, TLS_client_method, (void), ())

LAZYLIB(libcrypto, "libcrypto.so.3", "libssl3", CRYPTO_FUNCTIONS)
#define LAZYLIB_THIS libcrypto
CRYPTO_FUNCTIONS(LAZYLIB_DEFINE, LAZYLIB_VDEFINE)
#undef LAZYLIB_THIS

LAZYLIB(libssl, "libssl.so.3", "libssl3", SSL_FUNCTIONS)
#define LAZYLIB_THIS libssl
SSL_FUNCTIONS(LAZYLIB_DEFINE, LAZYLIB_VDEFINE)
