/* SPDX-License-Identifier: MIT */
/*
 * fileio.h - whole files in, whole files out.
 *
 * Writing is atomic: bytes go to a temporary file beside the target, which
 * is fsync'ed and renamed over it only when everything succeeded, so a
 * failure never leaves a partial or truncated output behind.
 */
#ifndef ZEROPAGE_TOOLS_FILEIO_H
#define ZEROPAGE_TOOLS_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Reads all of `path` into a malloc'ed buffer (free with free()).  Returns 0,
 * or -1 with "PATH: <strerror>" (or a size complaint) in err. */
/* PATH mapped read-only into *data (0), or, for what cannot be mapped (an
 * empty or special file), read as zp_read_file does (1); -1 with the
 * message.  zp_unmap_file(data, len, that return value) releases it. */
int zp_map_file(const char *path, const uint8_t **data, size_t *len, char *err, size_t errlen);
void zp_unmap_file(const uint8_t *data, size_t len, int how);

int zp_read_file(const char *path, uint8_t **data, size_t *len, char *err, size_t errlen);

/* Writes len bytes atomically to `path` with permissions `mode` (before
 * umask).  "-" is not special.  Returns 0, or -1 with a message in err;
 * on failure the target is untouched and no temporary file remains. */
int zp_write_file_atomic(const char *path, const void *data, size_t len, unsigned mode,
			 char *err, size_t errlen);

/* The same for output produced in pieces. */
struct zp_iovec_part {
	const void *data;
	size_t len;
};
/* Writing a file atomically piece by piece: a temporary file beside PATH
 * (begin), written through f->fd by the caller, then fsync'ed and renamed
 * over PATH (commit), or removed (abort).  0, or -1 with the message. */
struct zp_atomic_file {
	int fd;
	char *tmp;
	bool durable;	/* fsync before the rename (begin sets it; a caller whose
			   output can be made again may clear it) */
};
int zp_atomic_begin(const char *path, unsigned mode, struct zp_atomic_file *f,
		    char *err, size_t errlen);
int zp_atomic_commit(struct zp_atomic_file *f, const char *path, char *err, size_t errlen);
void zp_atomic_abort(struct zp_atomic_file *f);

int zp_write_parts_atomic(const char *path, const struct zp_iovec_part *parts, size_t nparts,
			  unsigned mode, char *err, size_t errlen);

/* Whether `path` can be opened for writing, found out before a long job
 * (a boot) rather than after it.  Creates nothing, truncates nothing.
 * Returns 0, or -1 with "PATH: <strerror>" in err. */
int zp_check_writable(const char *path, char *err, size_t errlen);

/* The cache outside git: $ZEROPAGE_CACHE, $XDG_CACHE_HOME/zeropage or
 * ~/.cache/zeropage (as scripts/fetch-kernel.sh). */
void zp_cache_dir(char *out, size_t cap);
/* mkdir -p: 0, or -1 with the directory that could not be made. */
int zp_mkdir_p(const char *dir, char *err, size_t errlen);

#endif
