/*
 * The HTTP side of chatcat serve: which upgrade requests are accepted
 * (the path, the credential in the query) and how others are refused
 * (an HTTP status with a JSON detail).
 */
#ifndef CHATCAT_SERVE_UPGRADE_H
#define CHATCAT_SERVE_UPGRADE_H

#include <libwebsockets.h>

#include "auth.h"

/* Whether to accept the upgrade: 0, or what the callback returns after
 * a refusal was written. */
int upgrade_check(const struct auth *a, struct lws *wsi);

/* Who the request's credential names: 0 and id, or -1 with why. */
int upgrade_owner(const struct auth *a, struct lws *wsi, char *id,
    const char **why);

/* Refuse with an HTTP status and {"detail":DETAIL}: 1, or -1. */
int upgrade_refuse(struct lws *wsi, unsigned int status, const char *detail);

#endif
