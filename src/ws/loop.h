/*
 * libwebsockets' context as chatcat's client wants it: no listener, lws'
 * log at -vv only, $http_proxy not obeyed behind our back.
 */
#ifndef CHATCAT_LOOP_H
#define CHATCAT_LOOP_H

#include <libwebsockets.h>

/*
 * Make the context for protocols, with user as its user pointer; NULL
 * after printing an error.
 */
struct lws_context *loop_new(const struct lws_protocols *protocols,
    void *user, int verbose);

#endif
