/* SPDX-License-Identifier: MIT */
/* cache.c - see cache.h. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "common/tool_err.h"
#include "image/cache.h"
#include "common/fileio.h"

#define SUM_MAX	128	/* "size N\nsha256 HEX\n" */

int cache_lock(const char *entry, struct tool_err *err)
{
	char lock[700], dir[700];
	int fd;

	if ((size_t)snprintf(lock, sizeof(lock), "%s.lock", entry) >= sizeof(lock)) {
		tool_err_set(err, "%.200s: cache path too long", entry);
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s", entry);
	if (fileio_mkdir_p(dirname(dir), err))
		return -1;
	fd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		tool_err_set(err, "%s: %s", lock, strerror(errno));
		return -1;
	}
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR) {
			tool_err_set(err, "%s: cannot lock: %s", lock, strerror(errno));
			close(fd);
			return -1;
		}
	return fd;
}

/* "size N\nsha256 HEX\n" of the open file fd, read to its end. */
static int sum_of(int fd, char *out, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t buf[1 << 16], digest[SHA256_DIGEST_SIZE];
	char text[2 * SHA256_DIGEST_SIZE + 1];
	struct sha256_ctx ctx;
	unsigned long long size = 0;
	ssize_t n;

	sha256_init(&ctx);
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		sha256_update(&ctx, (size_t)n, buf);
		size += (unsigned long long)n;
	}
	sha256_digest(&ctx, sizeof(digest), digest);
	for (size_t i = 0; i < sizeof(digest); i++) {
		text[2 * i] = hex[digest[i] >> 4];
		text[2 * i + 1] = hex[digest[i] & 15];
	}
	text[sizeof(text) - 1] = 0;
	return snprintf(out, cap, "size %llu\nsha256 %s\n", size, text) < (int)cap ? 0 : -1;
}

bool cache_valid(const char *entry)
{
	char sum[700], want[SUM_MAX + 1], have[SUM_MAX];
	struct stat st;
	ssize_t n;
	int fd;

	if ((size_t)snprintf(sum, sizeof(sum), "%s.sum", entry) >= sizeof(sum))
		return false;
	fd = open(sum, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, want, sizeof(want) - 1);
	close(fd);
	if (n <= 0)
		return false;
	want[n] = 0;
	fd = open(entry, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
		  sum_of(fd, have, sizeof(have)) == 0 && !strcmp(want, have);
	close(fd);
	return ok;
}

int cache_seal(const char *entry, struct tool_err *err)
{
	char sum[700], text[SUM_MAX];
	int fd = open(entry, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0 || sum_of(fd, text, sizeof(text))) {
		tool_err_set(err, "%s: %s", entry, strerror(errno ? errno : EIO));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	if ((size_t)snprintf(sum, sizeof(sum), "%s.sum", entry) >= sizeof(sum)) {
		tool_err_set(err, "%.200s: cache path too long", entry);
		return -1;
	}
	return fileio_write_atomic(sum, text, strlen(text), 0644, err);
}
