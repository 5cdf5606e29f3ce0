/*
 * The send queue of one client connection, written with send(2).
 */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/msg.h"
#include "lib/random.h"
#include "txq.h"
#include "wsproto.h"

void
txq_init(struct txq *q)
{
	memset(q, 0, sizeof(*q));
	q->tx.secret = q->wire.secret = 1;
	q->pong_at = (size_t)-1;
}

int
txq_frame(struct txq *q, int opcode, const void *data, size_t len)
{
	const uint8_t *mask;

	/* One getrandom(2) for 64 frames, not one per frame. */
	if (q->masks_left < 4) {
		if (random_bytes(q->masks, sizeof(q->masks)) == -1) {
			msg_error("cannot make a frame mask");
			return -1;
		}
		q->masks_left = sizeof(q->masks);
	}
	mask = q->masks + sizeof(q->masks) - q->masks_left;
	q->masks_left -= 4;
	if (wsp_encode(&q->tx, opcode, data, len, mask) == -1) {
		msg_error("out of memory");
		return -1;
	}
	return 0;
}

/* Whether a pong in tx has not begun to go. */
static int
pong_waits(const struct txq *q)
{
	return q->pong_at != (size_t)-1 && q->pong_at >= q->tx_off &&
	    q->pong_at < q->tx.len;
}

int
txq_pong(struct txq *q, const void *data, size_t len)
{
	if (len > sizeof(q->pong_next))
		len = sizeof(q->pong_next);  /* a ping's payload is <= 125 */
	if (pong_waits(q)) {
		memcpy(q->pong_next, data, len);
		q->pong_next_len = len;
		q->pong_next_due = 1;
		return 0;
	}
	q->pong_at = q->tx.len;
	return txq_frame(q, WSP_PONG, data, len);
}

/* tx moved on: the kept ping is answered once the pong before it went. */
static int
pong_next(struct txq *q)
{
	if (q->pong_at != (size_t)-1 && q->pong_at >= q->tx.len)
		q->pong_at = (size_t)-1;  /* tx was emptied */
	if (!q->pong_next_due || pong_waits(q))
		return 0;
	q->pong_next_due = 0;
	return txq_pong(q, q->pong_next, q->pong_next_len);
}

struct buf *
txq_text(struct txq *q)
{
	return &q->tx;
}

struct buf *
txq_raw(struct txq *q, struct tls *tls)
{
	return tls != NULL ? &q->wire : &q->tx;
}

/*
 * wss: encrypt queued plaintext once TLS is up and the ciphertext before
 * it has gone (so what waits stays plaintext, where pongs coalesce), and
 * collect ciphertext.
 */
static int
tls_pump(struct txq *q, struct tls *tls, int tls_up)
{
	if (q->tx.len > q->tx_off && tls_up && q->wire_off == q->wire.len) {
		if (tls_write(tls, q->tx.p + q->tx_off,
		    q->tx.len - q->tx_off) == -1)
			return -1;
		buf_clear(&q->tx);
		q->tx_off = 0;
		q->pong_at = (size_t)-1;  /* it is with TLS now */
	}
	if (q->wire_off == q->wire.len) {
		buf_clear(&q->wire);
		q->wire_off = 0;
	}
	return tls_output(tls, &q->wire);
}

/*
 * send(2) what the socket takes now; the rest waits for the next
 * writable() (reading goes on meanwhile, so a server that waits for us to
 * read before it reads cannot stall us).
 */
enum txq_sent
txq_send(struct txq *q, struct tls *tls, int tls_up, int fd)
{
	struct buf *b = tls ? &q->wire : &q->tx;
	size_t *off = tls ? &q->wire_off : &q->tx_off;
	ssize_t n;

	if (pong_next(q) == -1)
		return TXQ_FAILED;
	if (tls != NULL && tls_pump(q, tls, tls_up) == -1)
		return TXQ_FAILED;
	if (*off < b->len) {
		n = send(fd, b->p + *off, b->len - *off,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n == -1 && errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != EINTR) {
			msg_info("cannot write to the server: %s",
			    strerror(errno));
			return TXQ_FAILED;
		}
		if (n > 0)
			*off += (size_t)n;
	}
	if (*off < b->len)
		return TXQ_MORE;
	buf_clear(b);
	*off = 0;
	if (b == &q->tx)
		q->pong_at = (size_t)-1;
	else if (tls_up && q->tx.len > q->tx_off)
		return TXQ_MORE;  /* plaintext waited for this ciphertext */
	if (q->pong_next_due)
		return pong_next(q) == -1 ? TXQ_FAILED : TXQ_MORE;
	return TXQ_DONE;
}

size_t
txq_queued(const struct txq *q)
{
	return (q->tx.len - q->tx_off) + (q->wire.len - q->wire_off);
}

size_t
txq_text_left(const struct txq *q)
{
	return q->tx.len - q->tx_off;
}

void
txq_clear(struct txq *q)
{
	buf_clear(&q->tx);
	buf_clear(&q->wire);
	q->tx_off = q->wire_off = 0;
	q->pong_at = (size_t)-1;
	q->pong_next_due = 0;
}

void
txq_free(struct txq *q)
{
	buf_free(&q->tx);
	buf_free(&q->wire);
}
