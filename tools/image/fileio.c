/* SPDX-License-Identifier: MIT */
/* fileio.c - whole-file reads and atomic (temp + fsync + rename) writes. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/fileio.h"

#define READ_LIMIT ((size_t)4 << 30)	/* no kernel image is this large */

static int read_all(int fd, uint8_t *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;	/* the file shrank under us: report what we got */
		done += (size_t)n;
	}
	return (int)(done == len ? 0 : 1);
}

/* The file mapped read-only: no copy and no page faults for what is never
 * read (extract reads only the header and the payload). */
int zp_map_file(const char *path, const uint8_t **data, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	void *p;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*data = NULL;
	*len = 0;
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_size == 0 || (uint64_t)st.st_size > READ_LIMIT) {
		close(fd);
		/* the same messages as a read, for the same files */
		uint8_t *buf;
		if (zp_read_file(path, &buf, len, err, errlen) < 0)
			return -1;
		*data = buf;
		return 1;	/* read, not mapped: zp_unmap_file frees it */
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	*data = p;
	*len = (size_t)st.st_size;
	return 0;
}

void zp_unmap_file(const uint8_t *data, size_t len, int how)
{
	if (how == 1)
		free((void *)data);
	else if (data)
		munmap((void *)data, len);
}

int zp_read_file(const char *path, uint8_t **data, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	uint8_t *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*data = NULL;
	*len = 0;
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (S_ISDIR(st.st_mode) || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > READ_LIMIT) {
		snprintf(err, errlen, "%s: %s", path,
			 S_ISDIR(st.st_mode) ? "is a directory" :
			 !S_ISREG(st.st_mode) ? "not a regular file" : "larger than 4 GiB");
		close(fd);
		return -1;
	}
	/* One spare byte so an empty file still gets a non-NULL buffer. */
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		snprintf(err, errlen, "%s: out of memory for %lld bytes", path,
			 (long long)st.st_size);
		close(fd);
		return -1;
	}
	errno = 0;
	if (read_all(fd, buf, (size_t)st.st_size) != 0) {
		snprintf(err, errlen, "%s: %s", path, errno ? strerror(errno) : "short read");
		free(buf);
		close(fd);
		return -1;
	}
	close(fd);
	*data = buf;
	*len = (size_t)st.st_size;
	return 0;
}

static int write_all(int fd, const uint8_t *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A temporary name in the target's own directory, so rename() is atomic. */
static int open_temp(const char *path, char **tmp)
{
	char *copy = strdup(path);
	int fd;

	if (!copy)
		return -1;
	if (asprintf(tmp, "%s/.%s.XXXXXX", dirname(copy), strrchr(path, '/') ?
		     strrchr(path, '/') + 1 : path) < 0) {
		free(copy);
		*tmp = NULL;
		return -1;
	}
	free(copy);
	fd = mkostemp(*tmp, O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		free(*tmp);
		*tmp = NULL;
		errno = e;
	}
	return fd;
}

int zp_atomic_begin(const char *path, unsigned mode, struct zp_atomic_file *f,
		    char *err, size_t errlen)
{
	struct stat st;
	mode_t mask;

	f->tmp = NULL;
	f->fd = -1;
	f->durable = true;
	/* Refuse a directory now, not at the rename after all the work. */
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: cannot create: %s", path, strerror(EISDIR));
		return -1;
	}
	f->fd = open_temp(path, &f->tmp);
	if (f->fd < 0) {
		snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
		return -1;
	}
	/* mkostemp makes the file 0600; give it the mode a plain open() would. */
	mask = umask(0);
	umask(mask);
	if (fchmod(f->fd, (mode_t)mode & ~mask) < 0) {
		snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
		zp_atomic_abort(f);
		return -1;
	}
	return 0;
}

void zp_atomic_abort(struct zp_atomic_file *f)
{
	int e = errno;

	if (f->fd >= 0)
		close(f->fd);
	if (f->tmp) {
		unlink(f->tmp);
		free(f->tmp);
	}
	f->fd = -1;
	f->tmp = NULL;
	errno = e;
}

int zp_atomic_commit(struct zp_atomic_file *f, const char *path, char *err, size_t errlen)
{
	const char *step = "sync";

	if (f->durable && fsync(f->fd) < 0)
		goto fail;
	step = "close";
	if (close(f->fd) < 0) {
		f->fd = -1;
		goto fail;
	}
	f->fd = -1;
	step = "rename";
	if (rename(f->tmp, path) < 0)
		goto fail;
	free(f->tmp);
	f->tmp = NULL;
	return 0;
fail:
	snprintf(err, errlen, "%s: cannot %s: %s", path, step, strerror(errno));
	zp_atomic_abort(f);
	return -1;
}

int zp_write_parts_atomic(const char *path, const struct zp_iovec_part *parts, size_t nparts,
			  unsigned mode, char *err, size_t errlen)
{
	struct zp_atomic_file f;

	if (zp_atomic_begin(path, mode, &f, err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < nparts; i++)
		if (write_all(f.fd, parts[i].data, parts[i].len) < 0) {
			snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
			zp_atomic_abort(&f);
			return -1;
		}
	return zp_atomic_commit(&f, path, err, errlen);
}

int zp_write_file_atomic(const char *path, const void *data, size_t len, unsigned mode,
			 char *err, size_t errlen)
{
	struct zp_iovec_part part = { data, len };

	return zp_write_parts_atomic(path, &part, 1, mode, err, errlen);
}

int zp_check_writable(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);

	if (fd >= 0) {	/* it did not exist: leave nothing behind */
		close(fd);
		unlink(path);
		return 0;
	}
	if (errno == EEXIST)
		fd = open(path, O_WRONLY | O_CLOEXEC);	/* no O_TRUNC: not yet */
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

void zp_cache_dir(char *out, size_t cap)
{
	const char *c = getenv("ZEROPAGE_CACHE"), *x = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");

	if (c && *c)
		snprintf(out, cap, "%s", c);
	else if (x && *x)
		snprintf(out, cap, "%s/zeropage", x);
	else
		snprintf(out, cap, "%s/.cache/zeropage", home && *home ? home : "/tmp");
}

int zp_mkdir_p(const char *dir, char *err, size_t errlen)
{
	char mk[600];

	if ((size_t)snprintf(mk, sizeof(mk), "%s", dir) >= sizeof(mk)) {
		snprintf(err, errlen, "%s: path too long", dir);
		return -1;
	}
	for (char *p = mk + 1;; p++)
		if (*p == '/' || *p == '\0') {
			char c = *p;
			*p = 0;
			if (mkdir(mk, 0755) && errno != EEXIST) {
				snprintf(err, errlen, "mkdir %s: %s", mk, strerror(errno));
				return -1;
			}
			if (!c)
				return 0;
			*p = c;
		}
}
