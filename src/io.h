/*
 * Local input and output: reading files and stdin whole, and the stdout
 * writer that batches frames and notices a reader that went away.
 */
#ifndef CHATCAT_IO_H
#define CHATCAT_IO_H

#include <stddef.h>

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

enum out_state { OUT_OK, OUT_CLOSED, OUT_ERROR };

struct out {
	int fd;
	char *buf;
	size_t len, cap;
	enum out_state state;
	int error;           /* errno of the failed write, OUT_ERROR */
};

/* Set up a writer on fd; -1 if out of memory. */
int out_init(struct out *o, int fd);
/* Append bytes; written out when the buffer fills or on out_flush(). */
int out_write(struct out *o, const void *data, size_t len);
/* Write everything buffered.  -1 when the reader is gone or on error. */
int out_flush(struct out *o);
void out_free(struct out *o);

#endif
