/* SPDX-License-Identifier: MIT */
/* shim_reloc.h - moving the embedded shim to another physical address. */
#ifndef ZEROPAGE_TOOLS_SHIM_RELOC_H
#define ZEROPAGE_TOOLS_SHIM_RELOC_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "common/tool_err.h"

/* A copy of the shim ELF (linked with --emit-relocs) moved by delta bytes
 * (a multiple of the page size): every absolute address of its own
 * relocated, its program headers and entry point moved.  *out is malloc'ed.
 * 0, or -1 with the reason in err (the shim is then not moved at all). */
int shim_reloc_apply(const uint8_t *elf, size_t len, int64_t delta, uint8_t **out,
		     struct tool_err *err);

#endif
