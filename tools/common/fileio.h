/* SPDX-License-Identifier: MIT */
/*
 * fileio.h - whole files in, whole files out.
 *
 * Reading never waits: an input is opened non-blocking and must be a
 * regular file or a block device ("PATH: is a FIFO, not a regular file").
 *
 * Writing is decided here, once, for every output:
 *   - a regular file, or a path that does not exist yet, is replaced
 *     atomically: bytes go to a temporary file beside it (beside the file
 *     a symbolic link names: the link is kept), fsync'ed and renamed over
 *     it only when everything succeeded, so a failure never leaves a
 *     partial or truncated output behind;
 *   - a character or block device, a FIFO or a socket, and "-",
 *     /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N (also through a
 *     symbolic link), are written into, never replaced: the bytes are
 *     gathered in an unnamed temporary file and copied into the target at
 *     commit, so a failure before commit sends nothing;
 *   - a directory is refused.
 */
#ifndef ZEROPAGE_TOOLS_FILEIO_H
#define ZEROPAGE_TOOLS_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "common/tool_err.h"

/* A file's bytes as fileio_map gave them. */
struct fileio_mapped {
	const uint8_t *data;
	size_t len;
	bool copied;		/* read into malloc'ed memory (an empty file), not mapped */
};

/* PATH mapped read-only into m (an empty file, which mmap refuses, read
 * as fileio_read_all does): 0, or -1 with the message.  Only the pages a
 * caller touches are read.  fileio_unmap releases it (and a zeroed m). */
int fileio_map(const char *path, struct fileio_mapped *m, struct tool_err *err);
void fileio_unmap(struct fileio_mapped *m);

/* Reads all of `path` into a malloc'ed buffer (free with free()).  Returns 0,
 * or -1 with "PATH: <strerror>" (or "PATH: is a FIFO, not a regular file",
 * or a size complaint) in err. */
int fileio_read_all(const char *path, uint8_t **data, size_t *len, struct tool_err *err);

/* Whether PATH is an input fileio_read_all would accept (opened without
 * waiting, a regular file or block device), for a file another program
 * will read (QEMU's -initrd).  0, or -1 with the message. */
int fileio_check_input(const char *path, struct tool_err *err);

/* "FIFO", "character device", "directory", ... for a st_mode. */
const char *fileio_kind_name(unsigned mode);

/* Writes len bytes to `path` (see above) with permissions `mode` (before
 * umask) when it makes a file.  Returns 0, or -1 with a message in err;
 * on failure a file target is untouched and no temporary file remains. */
int fileio_write_atomic(const char *path, const void *data, size_t len, unsigned mode,
			struct tool_err *err);

/* The same for output produced in pieces. */
struct fileio_part {
	const void *data;
	size_t len;
};
/* Writing an output piece by piece: begin gives a temporary file, f->fd,
 * which the caller writes (and may seek in, pwrite, read back); commit
 * renames it over the target, or copies it into a target written into;
 * abort drops it.  0, or -1 with the message. */
struct fileio_atomic {
	int fd;
	char *tmp;		/* its name beside the target, NULL when unnamed */
	char *target;		/* what commit renames over (links followed) */
	int stream_fd;		/* >= 0: the target written into at commit */
	bool stream_owned;	/* stream_fd opened by begin (closed by commit) */
	bool durable;	/* fsync before the rename (begin sets it; a caller whose
			   output can be made again may clear it) */
};
int fileio_atomic_begin(const char *path, unsigned mode, struct fileio_atomic *f,
			struct tool_err *err);
int fileio_atomic_commit(struct fileio_atomic *f, const char *path, struct tool_err *err);
void fileio_atomic_abort(struct fileio_atomic *f);

int fileio_write_parts_atomic(const char *path, const struct fileio_part *parts, size_t nparts,
			      unsigned mode, struct tool_err *err);

/* The same as a stdio stream, for the reports: fileio_atomic_fopen begins
 * (NULL and the message on failure); fileio_atomic_fclose flushes, closes and
 * commits if every write succeeded, else aborts (0, or -1 and the
 * message). */
FILE *fileio_atomic_fopen(const char *path, unsigned mode, struct fileio_atomic *f,
			  struct tool_err *err);
int fileio_atomic_fclose(FILE *fp, struct fileio_atomic *f, const char *path, struct tool_err *err);

/* The descriptor an output path names ("-", /dev/stdout: 1), or -1 when
 * it names a file: a command whose output is its stdout says what it did
 * on stderr instead. */
int fileio_output_fd(const char *path);

/* An output that is one of the inputs (the same device and inode, through
 * any symbolic or hard link) would be destroyed by the writing: -1 with
 * "OPTION OUTPUT is the same file as INPUT-OPTION INPUT: refusing to
 * overwrite an input"; 0 otherwise.  Entries with a NULL path are skipped. */
struct fileio_named_path {
	const char *option;	/* "--kernel", or "" for an operand */
	const char *path;
};
int fileio_check_output_not_input(const char *option, const char *output,
				  const struct fileio_named_path *inputs, size_t n,
				  struct tool_err *err);

/* Whether `path` can be written as fileio_atomic_begin will, found out before a
 * long job (a boot) rather than after it.  Creates nothing that stays,
 * truncates nothing, opens no FIFO.  Returns 0, or -1 with "PATH: <strerror>"
 * in err. */
int fileio_check_writable(const char *path, struct tool_err *err);

/* The cache outside git: $ZEROPAGE_CACHE, $XDG_CACHE_HOME/zeropage or
 * ~/.cache/zeropage (as scripts/fetch-kernel.sh). */
void fileio_cache_dir(char *out, size_t cap);
/* mkdir -p: 0, or -1 with the directory that could not be made. */
int fileio_mkdir_p(const char *dir, struct tool_err *err);

#endif
