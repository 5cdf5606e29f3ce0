/*
 * libFuzzer harness: the config file reader (profile.c).  The input is
 * the file, handed over as a memfd; the first byte picks the profile
 * asked for, by name or none ([default], which may be missing).  Every
 * entry it keeps must name a key of the config file and hold a value.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { NULL, "default", "a", "b-1" };
	struct profile p;
	char path[64];
	size_t i;
	int fd;

	if (size < 1)
		return 0;
	fd = memfd_create("config", 0);
	if (fd == -1 || write(fd, data + 1, size - 1) != (ssize_t)(size - 1))
		abort();
	fchmod(fd, data[0] & 0x80 ? 0644 : 0600);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (profile_load(&p, path, names[data[0] & 3]) == 0)
		for (i = 0; i < p.n; i++)
			if (p.v[i].value == NULL || !(p.v[i].def->cmds & C_FILE))
				abort();
	profile_free(&p);
	close(fd);
	return 0;
}
