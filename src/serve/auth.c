/* Principals and credential checks for chatcat serve. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "lib/hex.h"
#include "auth.h"
#include "lib/io.h"
#include "lib/msg.h"
#include "lib/uuid.h"

struct principal {
	unsigned char digest[32];
};

struct auth {
	struct principal *p;
	size_t n, cap;
};

struct auth *
auth_new(void)
{
	return calloc(1, sizeof(struct auth));
}

/* SHA-256 of "kind:secret"; the kind keeps a token and a key apart. */
static int
digest(const char *kind, const char *secret, unsigned char out[32])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned int n = 0;
	int ok;

	if (c == NULL)
		return -1;
	ok = EVP_DigestInit_ex(c, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(c, kind, strlen(kind)) == 1 &&
	    EVP_DigestUpdate(c, ":", 1) == 1 &&
	    EVP_DigestUpdate(c, secret, strlen(secret)) == 1 &&
	    EVP_DigestFinal_ex(c, out, &n) == 1 && n == 32;
	EVP_MD_CTX_free(c);
	return ok ? 0 : -1;
}

int
auth_add(struct auth *a, const char *kind, const char *secret)
{
	struct principal *np;

	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 8;

		np = realloc(a->p, cap * sizeof(*np));
		if (np == NULL)
			return -1;
		a->p = np;
		a->cap = cap;
	}
	if (digest(kind, secret, a->p[a->n].digest) == -1)
		return -1;
	a->n++;
	return 0;
}

const char *
auth_secret_why(const char *kind, const char *secret)
{
	if (secret[0] == '\0')
		return "the credential is empty";
	if (strcmp(kind, "key") == 0 && !uuid_valid(secret))
		return "an API key must be a UUID";
	if (strlen(secret) > AUTH_SECRET_MAX)
		return "a token is longer than 4096 bytes";
	return NULL;
}

int
auth_parse_line(struct auth *a, char *line, const char **why)
{
	char *kind, *value, *end;

	line[strcspn(line, "\r\n")] = '\0';
	kind = line + strspn(line, " \t");
	if (*kind == '\0' || *kind == '#')
		return 0;
	value = kind + strcspn(kind, " \t");
	if (*value == '\0') {
		*why = "expected 'token VALUE' or 'key UUID'";
		return -1;
	}
	*value++ = '\0';
	value += strspn(value, " \t");
	for (end = value + strlen(value); end > value && (end[-1] == ' ' ||
	    end[-1] == '\t'); end--)
		end[-1] = '\0';
	if (strcmp(kind, "token") != 0 && strcmp(kind, "key") != 0) {
		*why = "unknown kind (use token or key)";
		return -1;
	}
	if (*value == '\0' || strpbrk(value, " \t") != NULL) {
		*why = "the value is empty or contains white space";
		return -1;
	}
	if ((*why = auth_secret_why(kind, value)) != NULL)
		return -1;
	if (auth_add(a, kind, value) == -1) {
		*why = "out of memory";
		return -1;
	}
	return 1;
}

int
auth_load(struct auth *a, const char *path)
{
	size_t len, lineno = 0;
	char *text, *line, *next;
	const char *why = NULL;
	int fd, r = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		msg_error("%s: %s", path, strerror(errno));
		return -1;
	}
	text = io_read_all(fd, path, &len);
	close(fd);
	if (text == NULL)
		return -1;
	for (line = text; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		if (auth_parse_line(a, line, &why) == -1) {
			msg_error("%s:%zu: %s", path, lineno, why);
			r = -1;
			break;
		}
	}
	explicit_bzero(text, len);
	free(text);
	return r;
}

size_t
auth_count(const struct auth *a)
{
	return a->n;
}

int
auth_check(const struct auth *a, const char *kind, const char *secret,
    char *id)
{
	unsigned char d[32];
	size_t i, found = (size_t)-1;

	if (digest(kind, secret, d) == -1)
		return -1;
	for (i = 0; i < a->n; i++)
		if (CRYPTO_memcmp(d, a->p[i].digest, sizeof(d)) == 0)
			found = i;
	if (found == (size_t)-1)
		return -1;
	hex_encode(id, d, sizeof(d));
	return 0;
}

void
auth_free(struct auth *a)
{
	if (a == NULL)
		return;
	free(a->p);
	free(a);
}
