/*
 * The connection: chatcat's own poll() loop (loop.c), a TCP connection,
 * TLS from tls.c for wss://, and the WebSocket protocol from wsproto.c on
 * top of it.  The client needs no WebSocket library: a one-shot send loads
 * only libc (and OpenSSL for wss://, when it is first needed).
 */
#ifndef CHATCAT_WS_H
#define CHATCAT_WS_H

#include <stddef.h>

#include "ws_types.h"


struct ws;

/* Make the event loop; NULL after printing an error. */
struct ws *ws_new(const struct ws_config *cfg, const struct ws_events *ev,
    void *ud);
/* Resolve the host and start connecting; an error has been reported. */
enum ws_outcome ws_connect(struct ws *w);
/* Queue one text message. */
int ws_send_text(struct ws *w, const char *data, size_t len);
/*
 * Start the closing handshake with code; the connection ends when the
 * server answers or after a short wait.  Before the connection is open it
 * is dropped at once.
 */
void ws_close(struct ws *w, int code, const char *reason);
/* The run ends in secs seconds (0: no end): the wait for the server's
 * close frame never goes past it. */
void ws_deadline(struct ws *w, double secs);
/* Arm timer id (0 <= id < WS_TIMERS) for secs seconds; 0 disarms it. */
void ws_timer(struct ws *w, int id, double secs);
/*
 * Watch fd for input (stdin) in the loop, with back-pressure: pause it
 * while the send queue is long.  Its end is reported even while paused.
 */
int ws_watch_input(struct ws *w, int fd);
void ws_input_pause(struct ws *w, int pause);
/* Bytes queued for the socket and not yet written. */
size_t ws_queued(const struct ws *w);
/* Watch fd (stdout, non-blocking) so that on_output says when it can
 * take more; ws_output_wait() asks for one such call. */
int ws_watch_output(struct ws *w, int fd);
void ws_output_wait(struct ws *w);
/* Stop or restart reading the socket (stdout cannot keep up). */
void ws_read_pause(struct ws *w, int pause);
/*
 * After on_end: make a new connection in delay seconds, with everything
 * per connection reset (queued frames are dropped: the owner sends again
 * what it wants sent).  on_open or on_end follows.  -1 if impossible.
 */
int ws_restart(struct ws *w, double delay);
/* What made the last connection fail or end, "" if nothing. */
const char *ws_why(const struct ws *w);
/* Run the loop until the connection has ended and no restart is due. */
void ws_run(struct ws *w);
void ws_free(struct ws *w);

#endif
