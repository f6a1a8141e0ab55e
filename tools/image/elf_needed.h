/* SPDX-License-Identifier: MIT */
/*
 * elf_needed.h - what a host program needs the dynamic loader for: its
 * interpreter (PT_INTERP) and the shared libraries its dynamic section
 * names (DT_NEEDED), read from the ELF64 file itself as ld.so would.  The
 * toolstack dom0 (dom0_initramfs.h) copies exactly these, found in the
 * host's library directories, so that it needs neither ldd nor a package
 * list.
 *
 * The bytes are a host file, but any file may be named: every offset and
 * size is checked against the buffer, a damaged file is an error.
 */
#ifndef ZEROPAGE_TOOLS_ELF_NEEDED_H
#define ZEROPAGE_TOOLS_ELF_NEEDED_H

#include <stddef.h>
#include <stdint.h>
#include "common/tool_err.h"

#define ELF_NEEDED_MAX		32	/* xl needs 19 */
#define ELF_NEEDED_NAME_MAX	128

struct elf_needed {
	char interp[ELF_NEEDED_NAME_MAX];	/* "" for a static program or a library */
	char names[ELF_NEEDED_MAX][ELF_NEEDED_NAME_MAX];
	unsigned count;
};

/* Reads an x86-64 ELF64's needs into out.  0, or -1 with the reason
 * ("not an ELF64 file", "DT_STRTAB outside the file", ...) in err. */
int elf_needed_read(const uint8_t *data, size_t len, struct elf_needed *out,
		    struct tool_err *err);

#endif
