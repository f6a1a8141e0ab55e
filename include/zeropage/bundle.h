/* SPDX-License-Identifier: MIT */
/*
 * zeropage/bundle.h - the bundle descriptor: what `zeropage bundle` tells
 * the PVH shim.
 *
 * A bundle is one ELF64 file that any PVH loader can start: the shim's own
 * segments, the kernel (a whole bzImage, or for the vmlinux entry the
 * decompressed vmlinux's segments plus the bzImage's setup part), the
 * default command line and the initrd, each in a PT_LOAD at the guest
 * physical address the bundle writer chose.  The loader copies them there;
 * the shim then only needs to know where everything is, which is this
 * descriptor.  It lives in the shim's data segment; the writer patches the
 * copy it puts into the bundle.
 *
 * Both the writer (host) and the shim (guest) find the descriptor through
 * an ELF note of our own, name "ZeroPage", type ZP_NOTE_BUNDLE, whose
 * 8-byte desc is the descriptor's guest-physical address.  The same note in
 * a bundle is how `zeropage info` recognises one.
 *
 * All fields are little-endian; offsets are pinned below because the shim
 * and the writer are separate programs that must agree byte for byte.
 */
#ifndef ZEROPAGE_BUNDLE_H
#define ZEROPAGE_BUNDLE_H

#include <stddef.h>
#include <stdint.h>
#include <zeropage/abi.h>

#define ZP_NOTE_NAME		"ZeroPage"
#define ZP_NOTE_BUNDLE		1	/* desc: u64 paddr of struct zp_bundle_desc */

#define ZP_BUNDLE_MAGIC		0x4450425au	/* "ZBPD" */
#define ZP_BUNDLE_VERSION	1

/* How the shim enters the kernel. */
#define ZP_BUNDLE_ENTRY_64	64	/* long mode, load address + 0x200 */
#define ZP_BUNDLE_ENTRY_32	32	/* protected mode, paging off, load address */
#define ZP_BUNDLE_ENTRY_VMLINUX	1	/* decompressed vmlinux, its 64-bit startup */

/* Handoff: ZP_HANDOFF_NATIVE (0) or ZP_HANDOFF_SUBARCH (1), as in zeropage.h. */

struct zp_bundle_desc {
	uint32_t magic;			/* 0x00 ZP_BUNDLE_MAGIC */
	uint32_t version;		/* 0x04 ZP_BUNDLE_VERSION */
	uint32_t size;			/* 0x08 sizeof(struct zp_bundle_desc) */
	uint32_t entry;			/* 0x0c ZP_BUNDLE_ENTRY_*; 0: no kernel (bare shim) */
	uint32_t handoff;		/* 0x10 enum zp_handoff */
	uint32_t flags;			/* 0x14 none defined, must be 0 */
	uint64_t image_paddr;		/* 0x18 where the bzImage file's first byte is */
	uint64_t image_size;		/* 0x20 bytes of the original bzImage file */
	uint64_t image_loaded;		/* 0x28 bytes of it at image_paddr (all, or the
					 *      setup part for the vmlinux entry) */
	uint64_t kernel_addr;		/* 0x30 protected-mode code / vmlinux lowest paddr */
	uint64_t kernel_span;		/* 0x38 bytes from kernel_addr the kernel needs */
	uint64_t vmlinux_entry;		/* 0x40 physical startup_64 (vmlinux entry only) */
	uint64_t initrd_paddr;		/* 0x48 bundled initrd, 0/0 for none */
	uint64_t initrd_size;		/* 0x50 */
	uint64_t cmdline_paddr;		/* 0x58 bundled command line, NUL-terminated */
	uint64_t cmdline_len;		/* 0x60 without the NUL */
	uint64_t reserved[3];		/* 0x68 zero */
} ZP_PACKED;

ZP_PIN(struct zp_bundle_desc, magic, 0x00);
ZP_PIN(struct zp_bundle_desc, version, 0x04);
ZP_PIN(struct zp_bundle_desc, size, 0x08);
ZP_PIN(struct zp_bundle_desc, entry, 0x0c);
ZP_PIN(struct zp_bundle_desc, handoff, 0x10);
ZP_PIN(struct zp_bundle_desc, flags, 0x14);
ZP_PIN(struct zp_bundle_desc, image_paddr, 0x18);
ZP_PIN(struct zp_bundle_desc, image_size, 0x20);
ZP_PIN(struct zp_bundle_desc, image_loaded, 0x28);
ZP_PIN(struct zp_bundle_desc, kernel_addr, 0x30);
ZP_PIN(struct zp_bundle_desc, kernel_span, 0x38);
ZP_PIN(struct zp_bundle_desc, vmlinux_entry, 0x40);
ZP_PIN(struct zp_bundle_desc, initrd_paddr, 0x48);
ZP_PIN(struct zp_bundle_desc, initrd_size, 0x50);
ZP_PIN(struct zp_bundle_desc, cmdline_paddr, 0x58);
ZP_PIN(struct zp_bundle_desc, cmdline_len, 0x60);
ZP_PIN(struct zp_bundle_desc, reserved, 0x68);
_Static_assert(sizeof(struct zp_bundle_desc) == 0x80, "bundle descriptor size");

#endif /* ZEROPAGE_BUNDLE_H */
