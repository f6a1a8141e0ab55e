/* SPDX-License-Identifier: MIT */
/*
 * cpio_guard.h - a bounds check on a newc cpio stream (an RPM's payload)
 * before libarchive's cpio reader sees it.
 *
 * Why: libarchive's reader (archive_read_support_format_cpio.c, 3.6 and
 * later) asks its read-ahead for a member's whole name, namesize bytes as
 * the header declares them (8 hex digits, up to 4 GiB), before it has read
 * a byte of it, and the read-ahead mallocs a copy buffer of that size; so a
 * package of a few hundred bytes makes it allocate gigabytes.  Its other
 * header-driven sizes are bounded there already (a symbolic link's target
 * to 1 MiB) or streamed (a member's data).
 *
 * The guard walks the same headers, in the same layout, as the bytes pass
 * from the decompressor to libarchive, chunk by chunk, and refuses a chunk
 * holding a header libarchive would not take as it is (its reader would
 * then search onward for one, in bytes the guard did not walk as headers)
 * or whose name size is over CPIO_GUARD_NAME_MAX.  A refused chunk never
 * reaches libarchive, so every header libarchive parses is one the guard
 * passed.  Its state is a header's bytes and a few counters: the stream is
 * never buffered.
 *
 * The layout (newc, "070701", or with a checksum, "070702"): a 110-byte
 * header of ASCII hex fields, the name (namesize bytes with its NUL),
 * padding to 4 bytes counting the header, the data (filesize bytes),
 * padding to 4; the member named "TRAILER!!!" ends the archive (libarchive
 * reads no header past it).
 */
#ifndef ZEROPAGE_TOOLS_CPIO_GUARD_H
#define ZEROPAGE_TOOLS_CPIO_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common/tool_err.h"

/* The longest name taken, its NUL counted: Linux's PATH_MAX. */
#define CPIO_GUARD_NAME_MAX	4096u
#define CPIO_GUARD_HEADER	110u

struct cpio_guard {
	uint64_t offset;		/* bytes of the stream walked */
	uint64_t skip;			/* name, data, padding before the next header */
	unsigned long member;		/* headers seen, this one counted */
	uint8_t header[CPIO_GUARD_HEADER];
	size_t have;			/* of header[] */
	uint8_t name[11];		/* a name of 11 bytes: "TRAILER!!!" and NUL? */
	size_t name_have, name_want;	/* name_want 11 when gathering it, else 0 */
	bool ended;			/* past the trailer: nothing more is parsed */
	bool refused;
};

void cpio_guard_init(struct cpio_guard *g);

/* The next len bytes of the stream: 0 when every header begun or ended in
 * them is one libarchive takes with a name of at most CPIO_GUARD_NAME_MAX;
 * -1 with err naming the member (counted from 1), its offset and why.  Once
 * refused, keep refusing: the stream is not to be read on. */
int cpio_guard_check(struct cpio_guard *g, const uint8_t *buf, size_t len, struct tool_err *err);

#endif
