/* SPDX-License-Identifier: MIT */
/*
 * cpio.h - a writer for the "newc" cpio format (SVR4 without CRC), the
 * format the kernel unpacks as an initramfs (Documentation/driver-api/
 * early-userspace/buffer-format.rst).
 *
 * Each entry is a 110-byte ASCII header ("070701" then 13 fields of 8 hex
 * digits), the NUL-terminated name, padding to a multiple of 4, the data,
 * and padding to a multiple of 4 again.  The archive ends with an entry
 * named "TRAILER!!!".  Timestamps and owners are fixed at 0 so that the
 * same inputs always give the same bytes.
 */
#ifndef ZEROPAGE_TOOLS_CPIO_H
#define ZEROPAGE_TOOLS_CPIO_H

#include <stddef.h>
#include <stdint.h>
#include "common/tool_err.h"

#define CPIO_HEADER_SIZE	110
#define CPIO_NEWC_MAGIC		"070701"
#define CPIO_TRAILER		"TRAILER!!!"
#define CPIO_NAME_MAX	4096	/* PATH_MAX, as the kernel's unpacker */

/* File type bits of the mode field (as in <sys/stat.h>, which the format
 * copies; spelled out here so the format does not depend on the host). */
#define CPIO_S_IFREG		0100000u
#define CPIO_S_IFDIR		0040000u
#define CPIO_S_IFCHR		0020000u
#define CPIO_S_IFLNK		0120000u

struct cpio_archive {
	uint8_t *data;		/* malloc'ed; the archive so far */
	size_t len, cap;
	uint32_t next_ino;
	int finished;
	struct tool_err err;		/* why the last call failed */
};

void cpio_init(struct cpio_archive *c);
void cpio_free(struct cpio_archive *c);

/* Adds one entry.  mode includes the file type bits.  rdev_* are for
 * device nodes, data/len for regular files and symlink targets.  Returns
 * 0, or -1 with c->err set (bad name, data on a directory, no memory,
 * archive already finished). */
int cpio_add(struct cpio_archive *c, const char *name, uint32_t mode,
	     uint32_t rdev_major, uint32_t rdev_minor,
	     const void *data, size_t len);

int cpio_dir(struct cpio_archive *c, const char *name, uint32_t perm);
int cpio_file(struct cpio_archive *c, const char *name, uint32_t perm,
	      const void *data, size_t len);
int cpio_chardev(struct cpio_archive *c, const char *name, uint32_t perm,
		 uint32_t major, uint32_t minor);

/* Appends the trailer, then zero bytes up to a multiple of `align` (0 or 1
 * for none; the kernel skips zero padding between archives). */
int cpio_finish(struct cpio_archive *c, size_t align);

#endif
