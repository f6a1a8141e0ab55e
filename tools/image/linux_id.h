/* SPDX-License-Identifier: MIT */
/*
 * linux_id.h - the core's word on whether a bzImage is Linux
 * (zp_bzimage_linux_evidence) or ELF kernel is Linux (zp_elf_linux_evidence),
 * as the one sentence every command says it in: `info`, `bundle`, `boot`
 * and `matrix` on memtest86+, iPXE or a PVH ELF that is not Linux.
 */
#ifndef ZEROPAGE_TOOLS_LINUX_ID_H
#define ZEROPAGE_TOOLS_LINUX_ID_H

#include <stddef.h>

#include <zeropage/zeropage.h>

/* "Linux: its version string has Linux's form", "not Linux: its version
 * string is 'Memtest86+ v6.10'", ...: NUL-terminated in out (cap bytes);
 * the version string's bytes are printable ASCII (lib/bzimage.c keeps
 * nothing else), quoted as they are. */
void linux_id_describe(const struct zp_bzimage *bz, char *out, size_t cap);

/* The same of an ELF kernel (zp_elf_linux_evidence): "Linux: its Xen
 * GUEST_OS note says \"linux\"", "not Linux: its Xen GUEST_OS note says
 * 'Mini-OS'" (the note's bytes made printable ASCII), ... */
void linux_id_describe_elf(const struct zp_elf *elf, char *out, size_t cap);

#endif
