/* SPDX-License-Identifier: MIT */
/* guest_mem.c - bounds-checked access to a window of guest-physical memory. */
#include <zeropage/zeropage.h>
#include "env.h"

const void *zp_guest_ptr(const struct zp_guest_mem *mem, uint64_t addr, uint64_t len)
{
	uint64_t off, end;

	if (!mem || addr < mem->paddr)
		return NULL;
	off = addr - mem->paddr;
	if (zp_add_overflows_u64(off, len, &end) || end > mem->size)
		return NULL;
	/* Integer arithmetic: in the shim base is 0, and NULL + off is not C. */
	return (const void *)((uintptr_t)mem->base + (uintptr_t)off);
}
