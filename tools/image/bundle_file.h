/* SPDX-License-Identifier: MIT */
/*
 * bundle_file.h - writing and reading zeropage bundles: the PVH shim, a kernel,
 * an initrd and a default command line in one ELF that any PVH loader boots.
 * The descriptor the shim reads is in <zeropage/bundle.h>.
 */
#ifndef ZEROPAGE_TOOLS_BUNDLE_FILE_H
#define ZEROPAGE_TOOLS_BUNDLE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <zeropage/bundle.h>
#include <zeropage/zeropage.h>

#include "common/tool_err.h"
#include "image/decompress.h"		/* struct decompress_buf */

struct bundle_opts {
	const uint8_t *kernel;		/* the bzImage (always: the zero page's header) */
	size_t kernel_len;
	const uint8_t *vmlinux;		/* entry vmlinux: the decompressed payload */
	size_t vmlinux_len;
	const uint8_t *initrd;		/* NULL/0 for none */
	size_t initrd_len;
	const char *cmdline;		/* default command line, NULL for none */
	uint32_t entry;			/* ZP_BUNDLE_ENTRY_64 / _32 / _VMLINUX */
	enum zp_handoff handoff;
	uint32_t kaslr_flags;		/* ZP_BUNDLE_KASLR_OFF / _REQUIRE (vmlinux entry) */
	/* Out: what the user should know although the bundle was written
	 * (a vmlinux bundle that cannot randomise, and why); "" when nothing.
	 * May be NULL. */
	char *note;
	size_t note_cap;
};

/* The shim embedded in this program (shim/embed.S). */
const uint8_t *embedded_shim_elf(size_t *len);

/* The entry for `asked` (ZP_BUNDLE_ENTRY_*, or 0 for the default), as the
 * core chooses it (zp_bundle_choose_entry): 0 with *entry, and in note (cap
 * bytes, may be NULL) why the default fell back to 32, else ""; or -1
 * with "kernel cannot take entry N: why" in err. */
int bundle_choose_entry(const struct zp_bzimage *bz, uint32_t asked, uint32_t *entry,
			char *note, size_t cap, struct tool_err *err);

/* Can this kernel be entered this way?  0, or -1 with the reason in err. */
int bundle_check_entry(const struct zp_bzimage *bz, uint32_t entry, struct tool_err *err);

/* The room a vmlinux bundle gives the kernel from its lowest PT_LOAD
 * (desc.kernel_span): the PT_LOADs [low, high) or bz's init_size, the
 * larger.  The rule lives here alone; bench/relocs sizes its image by it. */
uint64_t bundle_vmlinux_span(const struct zp_bzimage *bz, uint64_t low, uint64_t high);

/* Lays out and writes a bundle into out->data (malloc'ed).  Returns 0, or
 * -1 with a specific message in err. */
int bundle_build(const struct bundle_opts *o, const uint8_t *shim, size_t shim_len,
		    struct decompress_buf *out, struct tool_err *err);

/* What a bundle holds, read back from the file (bundle_read.c). */
struct bundle_view {
	struct zp_bundle_desc desc;
	uint64_t desc_paddr;
	uint64_t pvh_entry;
	const uint8_t *setup;		/* the bzImage bytes in the file (setup part at least) */
	size_t setup_len;
	struct zp_bzimage bz;		/* its header, probed */
	const char *cmdline;		/* NUL-terminated in the file, NULL if none */
	unsigned nload;			/* PT_LOADs */
	uint64_t shim_start, shim_end;	/* the shim's segments */
	uint64_t run_addr;		/* where the kernel runs (the shim may copy it there) */
	uint64_t ram_needed;		/* guest RAM the bundle needs: end of its highest PT_LOAD */
};

/* True when elf carries the "ZeroPage" bundle note. */
bool bundle_is_ours(const struct zp_elf *elf);

/* Reads a bundle's descriptor and pieces.  0, or -1 with err. */
int bundle_read(const uint8_t *buf, size_t len, const struct zp_elf *elf,
		   struct bundle_view *v, struct tool_err *err);

#endif
