/* bench/floor.c: the floor for bench/startup (in the source tarball with
 * the other benchmarks; never built by make nor installed).
 *
 *     floor ws://HOST:PORT/PATH?QUERY THREAD TEXT
 *
 * The least a program can do to make the exchange of `chatcat send`: one
 * blocking TCP connect to an IPv4 literal, the upgrade with a fixed key (the
 * answer's accept value is not checked), one masked text frame with the
 * message request, then every frame printed on stdout, one line each, until
 * the one with "status":"complete" (or "end"), then a close frame and a wait
 * for the server's close (or EOF). libc only: no event loop, no TLS, no JSON
 * parser. Exit 0 when the reply is complete, 1 otherwise. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int fd;
static unsigned char in[1 << 16];
static size_t have;

static int fill(void)
{
	if (have == sizeof(in))
		return -1;
	ssize_t n = read(fd, in + have, sizeof(in) - have);
	if (n <= 0)
		return -1;
	have += (size_t)n;
	return 0;
}

static void consume(size_t n)
{
	memmove(in, in + n, have - n);
	have -= n;
}

static int put(const void *p, size_t n)
{
	return write(fd, p, n) == (ssize_t)n ? 0 : -1;
}

/* One masked client frame (mask 0: the XOR is a no-op, which RFC 6455
 * allows). */
static int frame(int op, const char *p, size_t n)
{
	unsigned char h[8];
	size_t hl = 2;
	h[0] = (unsigned char)(0x80 | op);
	if (n < 126) {
		h[1] = (unsigned char)(0x80 | n);
	} else {
		h[1] = 0x80 | 126;
		h[2] = (unsigned char)(n >> 8);
		h[3] = (unsigned char)n;
		hl = 4;
	}
	memset(h + hl, 0, 4);
	hl += 4;
	return put(h, hl) || put(p, n) ? -1 : 0;
}

/* The next whole server frame: its opcode, payload at *p (valid until the
 * next call), length *n, after consume(*used). */
static int next(const unsigned char **p, size_t *n, size_t *used)
{
	for (;;) {
		if (have >= 2) {
			size_t len = in[1] & 0x7f, hl = 2;
			if (len == 126 && have >= 4) {
				len = (size_t)in[2] << 8 | in[3];
				hl = 4;
			} else if (len == 127 && have >= 10) {
				len = 0;
				for (int i = 2; i < 10; i++)
					len = len << 8 | in[i];
				hl = 10;
			} else if (len >= 126) {
				hl = 0;
			}
			if (hl && have >= hl + len) {
				*p = in + hl;
				*n = len;
				*used = hl + len;
				return in[0] & 0x0f;
			}
		}
		if (fill())
			return -1;
	}
}

int main(int argc, char **argv)
{
	if (argc != 4 || strncmp(argv[1], "ws://", 5)) {
		fprintf(stderr, "usage: floor ws://HOST:PORT/PATH THREAD TEXT\n");
		return 2;
	}
	char host[64];
	const char *hp = argv[1] + 5, *path = strchr(hp, '/');
	const char *colon = memchr(hp, ':', path ? (size_t)(path - hp) : 0);
	if (!path || !colon || (size_t)(colon - hp) >= sizeof(host))
		return 2;
	memcpy(host, hp, (size_t)(colon - hp));
	host[colon - hp] = '\0';
	struct sockaddr_in sa = {.sin_family = AF_INET,
				 .sin_port = htons((unsigned short)atoi(colon + 1))};
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		return 2;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("floor: connect");
		return 1;
	}
	char req[4096];
	int n = snprintf(req, sizeof(req),
			 "GET %s HTTP/1.1\r\nHost: %.*s\r\nUpgrade: websocket\r\n"
			 "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
			 "Sec-WebSocket-Version: 13\r\n\r\n",
			 path, (int)(path - hp), hp);
	if (n < 0 || (size_t)n >= sizeof(req) || put(req, (size_t)n))
		return 1;
	for (;;) {
		unsigned char *end = memmem(in, have, "\r\n\r\n", 4);
		if (end) {
			if (have < 12 || memcmp(in + 9, "101", 3)) {
				fprintf(stderr, "floor: upgrade refused\n");
				return 1;
			}
			consume((size_t)(end + 4 - in));
			break;
		}
		if (fill())
			return 1;
	}
	n = snprintf(req, sizeof(req),
		     "{\"type\":\"message\",\"thread_id\":\"%s\",\"agent_id\":null,\"content\":\"%s\"}",
		     argv[2], argv[3]);
	if (n < 0 || (size_t)n >= sizeof(req) || frame(1, req, (size_t)n))
		return 1;
	int done = 0;
	while (!done) {
		const unsigned char *p;
		size_t len, used;
		int op = next(&p, &len, &used);
		if (op < 0 || op == 8)
			return 1;
		if (op == 1) {
			fwrite(p, 1, len, stdout);
			putchar('\n');
			done = memmem(p, len, "\"status\":\"complete\"", 19) ||
			       memmem(p, len, "\"status\":\"end\"", 14);
		}
		consume(used);
	}
	fflush(stdout);
	if (frame(8, "\x03\xe8", 2))
		return 1;
	for (;;) {
		const unsigned char *p;
		size_t len, used;
		int op = next(&p, &len, &used);
		if (op < 0 || op == 8)
			break;
		consume(used);
	}
	close(fd);
	return 0;
}
