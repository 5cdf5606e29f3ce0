/*
 * Server URLs: the forms a user may type, the request target with the
 * credential percent-encoded into it, and a redacted form for messages.
 */
#ifndef CHATCAT_URL_H
#define CHATCAT_URL_H

struct url {
	int tls;          /* wss */
	char *host;       /* name or address, without brackets */
	int port;
	char *hostport;   /* the Host header: host, or host:port */
	char *path;       /* path and query from the user, no credential */
};

/* Parse s; -1 after printing an error. */
int url_parse(const char *s, struct url *u);

/* "path?query&token=..." for the request line (malloc'd, holds the secret). */
char *url_target(const struct url *u, int key, const char *cred);

/* "ws://host:port/path?token=***" for messages (malloc'd, no secret). */
char *url_display(const struct url *u, int key);

void url_free(struct url *u);

#endif
