/*
 * Local input and output: reading files and stdin whole, and the stdout
 * writer that batches frames and notices a reader that went away.
 */
#ifndef CHATCAT_IO_H
#define CHATCAT_IO_H

#include <stddef.h>

#include "buf.h"

/*
 * Open /dev/null on whichever of stdin, stdout and stderr is closed, so
 * that no socket or file of ours takes their numbers (and gets our error
 * messages); returns which were closed (bit fd).
 */
unsigned io_std_open(void);

/*
 * Read the first line of FILE (a token or key), without its line ending.
 * Returns a malloc'd string, or NULL after printing an error.
 */
char *io_read_secret_file(const char *path);

/*
 * Read all of fd into a malloc'd, NUL-terminated buffer (*len excludes the
 * NUL).  NULL after printing an error naming `name`.
 */
char *io_read_all(int fd, const char *name, size_t *len);

/*
 * Make a regular file that others may read private (0600): path, or fd
 * when path is NULL; name is how messages call it.  0 when done or not
 * needed, -1 after the error when it cannot be done (someone else's).
 */
int io_make_private(const char *path, int fd, const char *name);

/*
 * Append chatcat's state directory to b: $XDG_STATE_HOME/chatcat, or
 * $HOME/.local/state/chatcat when XDG_STATE_HOME is not an absolute path;
 * with make, every missing directory of it is made, private (0700), as
 * XDG tools do.  0, or -1 with errno: ENOENT when neither names an
 * absolute directory (b unchanged), ENOMEM, or what mkdir(2) said (b then
 * holds the whole path).  Says nothing: the caller knows what it is for.
 */
int io_state_dir(struct buf *b, int make);

enum out_state { OUT_OK, OUT_CLOSED, OUT_ERROR };

/*
 * The stdout writer.  Output is collected and written in batches; a pipe
 * or socket is put in non-blocking mode (restored by out_free()), and
 * what it cannot take yet stays pending: the caller watches for it.
 */
struct out {
	int fd;
	struct buf b;
	size_t off;          /* b.p[off..len) is still to be written */
	int nonblock;
	int saved_flags;     /* the descriptor's flags before, or -1 */
	enum out_state state;
	int error;           /* errno of the failed write, OUT_ERROR */
};

/* Set up a writer on fd; -1 if out of memory. */
int out_init(struct out *o, int fd);
/* Append bytes; written once a batch has gathered. */
int out_write(struct out *o, const void *data, size_t len);
/* Write what is pending: 0 all written, 1 some must wait (non-blocking),
 * -1 the reader is gone (OUT_CLOSED) or an error (OUT_ERROR). */
int out_flush(struct out *o);
/* Bytes waiting to be written. */
size_t out_pending(const struct out *o);
/* Restore the descriptor, write what is left (blocking), release. */
void out_free(struct out *o);

#endif
