/*
 * What waits for the socket of one connection: frames and requests in
 * plaintext and, for wss, the ciphertext TLS made of them.  Frames are
 * masked here, as a client's must be.
 */
#ifndef CHATCAT_TXQ_H
#define CHATCAT_TXQ_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "tls.h"

struct txq {
	struct buf tx;           /* plaintext waiting to be sent */
	size_t tx_off;
	struct buf wire;         /* wss: ciphertext waiting to be sent */
	size_t wire_off;
	uint8_t masks[256];      /* random bytes for frame masks ... */
	size_t masks_left;       /* ... not used yet (at the end) */
	size_t pong_at;          /* a pong in tx not begun; (size_t)-1 none */
	uint8_t pong_next[125];  /* the latest ping's payload, to answer ... */
	size_t pong_next_len;
	int pong_next_due;       /* ... once that pong has begun to go */
};

/* Both buffers are marked secret: requests carry credentials. */
void txq_init(struct txq *q);
/* Append one masked frame; -1 after an error (reported). */
int txq_frame(struct txq *q, int opcode, const void *data, size_t len);
/*
 * Answer a ping.  While an earlier pong waits unsent, only the latest
 * ping's payload is kept, to be answered after it (RFC 6455 5.5.3): a
 * peer that pings and never reads cannot make the queue grow.  -1 after
 * an error (reported).
 */
int txq_pong(struct txq *q, const void *data, size_t len);
/* Where a request goes: through TLS, or (raw) before it, as it is. */
struct buf *txq_text(struct txq *q);
struct buf *txq_raw(struct txq *q, struct tls *tls);

enum txq_sent { TXQ_FAILED, TXQ_MORE, TXQ_DONE };

/*
 * Write what the socket fd takes: plaintext directly, or through tls once
 * tls_up.  TXQ_MORE: some is left; TXQ_DONE: the socket has it all.
 */
enum txq_sent txq_send(struct txq *q, struct tls *tls, int tls_up, int fd);
/* Bytes queued and not yet written; of them, plaintext not yet sent. */
size_t txq_queued(const struct txq *q);
size_t txq_text_left(const struct txq *q);
/* Drop what is queued (a new connection). */
void txq_clear(struct txq *q);
void txq_free(struct txq *q);

#endif
