/*
 * libwebsockets, loaded on first use: only `chatcat serve` runs on its
 * loop (the client has its own, src/ws/loop.c), so a one-shot send never
 * maps it nor, through it, OpenSSL, libcap and zlib (lib/lazylib.h).
 * Each function serve calls is defined here under its own name with the
 * prototype of <libwebsockets.h> (the compiler checks the types; callers
 * are unchanged).  A new lws_* call is a link error until it gets its
 * line below.
 */
#include <config.h>

#include <libwebsockets.h>

#include "lib/lazylib.h"

typedef int (*lws_cb)(struct lws *, enum lws_callback_reasons, void *,
    void *, size_t);
typedef void (*lws_log_emit)(int level, const char *line);

/* F(return type, name, (parameters), (arguments)); V for void ones. */
#define LWS_FUNCTIONS(F, V) \
	F(struct lws *, lws_adopt_descriptor_vhost, (struct lws_vhost *vh, lws_adoption_type t, lws_sock_file_fd_type fd, const char *prot, struct lws *parent), (vh, t, fd, prot, parent)) \
	F(struct lws *, lws_adopt_socket_vhost, (struct lws_vhost *vh, lws_sockfd_type fd), (vh, fd)) \
	F(int, lws_callback_http_dummy, (struct lws *wsi, enum lws_callback_reasons r, void *user, void *in, size_t len), (wsi, r, user, in, len)) \
	F(int, lws_callback_on_writable, (struct lws *wsi), (wsi)) \
	V(lws_cancel_service, (struct lws_context *c), (c)) \
	V(lws_close_reason, (struct lws *wsi, enum lws_close_status st, unsigned char *buf, size_t len), (wsi, st, buf, len)) \
	V(lws_context_destroy, (struct lws_context *c), (c)) \
	F(void *, lws_context_user, (struct lws_context *c), (c)) \
	F(struct lws_context *, lws_create_context, (const struct lws_context_creation_info *i), (i)) \
	F(int, lws_frame_is_binary, (struct lws *wsi), (wsi)) \
	F(struct lws_context *, lws_get_context, (const struct lws *wsi), (wsi)) \
	F(void *, lws_get_opaque_user_data, (const struct lws *wsi), (wsi)) \
	F(lws_sockfd_type, lws_get_socket_fd, (struct lws *wsi), (wsi)) \
	F(const char *, lws_get_urlarg_by_name, (struct lws *wsi, const char *name, char *buf, int len), (wsi, name, buf, len)) \
	F(struct lws_vhost *, lws_get_vhost_by_name, (struct lws_context *c, const char *name), (c, name)) \
	F(int, lws_hdr_copy, (struct lws *wsi, char *dest, int len, enum lws_token_indexes h), (wsi, dest, len, h)) \
	F(int, lws_is_final_fragment, (struct lws *wsi), (wsi)) \
	F(lws_usec_t, lws_now_usecs, (void), ()) \
	F(size_t, lws_remaining_packet_payload, (struct lws *wsi), (wsi)) \
	F(int, lws_rx_flow_control, (struct lws *wsi, int enable), (wsi, enable)) \
	F(int, lws_send_pipe_choked, (struct lws *wsi), (wsi)) \
	F(int, lws_service, (struct lws_context *c, int ms), (c, ms)) \
	V(lws_set_log_level, (int level, lws_log_emit emit), (level, emit)) \
	V(lws_set_opaque_user_data, (struct lws *wsi, void *data), (wsi, data)) \
	V(lws_set_timeout, (struct lws *wsi, enum pending_timeout r, int secs), (wsi, r, secs)) \
	V(lws_sul_cancel, (lws_sorted_usec_list_t *sul), (sul)) \
	V(lws_sul_schedule, (struct lws_context *c, int tsi, lws_sorted_usec_list_t *sul, sul_cb_t cb, lws_usec_t us), (c, tsi, sul, cb, us)) \
	F(int, lws_write, (struct lws *wsi, unsigned char *buf, size_t len, enum lws_write_protocol p), (wsi, buf, len, p))

LAZYLIB(liblws, "libwebsockets.so.17", "libwebsockets17", LWS_FUNCTIONS)
#define LAZYLIB_THIS liblws
LWS_FUNCTIONS(LAZYLIB_DEFINE, LAZYLIB_VDEFINE)
