/* SPDX-License-Identifier: MIT */
/*
 * kernel_id.h - what names a kernel image in a report: its file, its
 * content (SHA-256) and the version it says it is.
 *
 * The version is the bzImage's kernel_version string ("6.1.0-57-cloud-amd64
 * (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian ...").  A
 * vmlinux (ELF) has no setup header; its linux_banner ("Linux version REL
 * (BY@HOST) (COMPILER) #1 ...") is read instead and brought to the same
 * form - the prefix and the compiler's group dropped - so that a bzImage
 * and the vmlinux extracted from it name the same source.
 */
#ifndef ZEROPAGE_TOOLS_KERNEL_ID_H
#define ZEROPAGE_TOOLS_KERNEL_ID_H

#include <stddef.h>
#include <stdint.h>
#include "common/tool_err.h"

struct kernel_id {
	const char *file;	/* as given (not copied) */
	char version[256];	/* "" when the image does not say */
	char release[128];	/* the version's first word, "6.1.0-57-cloud-amd64"; "" */
	char sha256[65];	/* of the whole file, hex */
};

/* Reads, hashes and probes the file: 0, or -1 with the reason in err
 * (unreadable; neither a bzImage nor an ELF kernel). */
int kernel_id_read(const char *path, struct kernel_id *id, struct tool_err *err);

/* The same for an image in memory (id->file is left alone). */
int kernel_id_of(const uint8_t *data, size_t len, struct kernel_id *id);

/* The SHA-256 of data[0..len) (nettle's) as the 64 lowercase hex digits
 * sha256sum prints, and a NUL. */
void kernel_id_sha256_hex(const void *data, size_t len, char hex[65]);

/* A linux_banner's text after "Linux version " (up to its newline or NUL,
 * at most len bytes) in the bzImage's form, into out. */
void kernel_id_version_from_banner(const char *banner, size_t len, char *out, size_t cap);

#endif
