/* SPDX-License-Identifier: MIT */
/* pvh_map.h - the PVH decisions translate.c owns (which memory map, which
 * initrd) that the shim's plan (shim_plan.c) also needs before it has a
 * zero page to build.  Private to lib/. */
#ifndef ZEROPAGE_LIB_PVH_MAP_H
#define ZEROPAGE_LIB_PVH_MAP_H

#include <zeropage/zeropage.h>

/* Legacy ISA range that Linux's own PVH entry (init_pvh_bootparams in
 * arch/x86/platform/pvh/enlighten.c) adds to every map as reserved: the
 * VGA window, option ROMs and BIOS, 640 KiB-1 MiB. */
#define ZP_ISA_START	0xa0000ull
#define ZP_ISA_END	0x100000ull

/* Which memory map rules: the start_info's v1 memmap, else the
 * hypervisor's (o->hv_e820), else ZP_ENOMEMMAP with the reason. */
int zp_pvh_memmap_source(const struct zp_pvh_info *si, const struct zp_translate_opts *o,
			 enum zp_memmap_source *src, struct zp_diag *diag);

/* That map into *map, sorted, with the ISA range reserved as Linux's PVH
 * entry reserves it; *src says which it was.  Needs capacity for the
 * entries plus 2 (the ISA range may split one).  Of o, only the
 * hypervisor's map and on_xen are read. */
int zp_pvh_memory_map(const struct zp_guest_mem *mem, const struct zp_pvh_info *si,
		      const struct zp_translate_opts *o, struct zp_e820_map *map,
		      enum zp_memmap_source *src, struct zp_diag *diag);

struct zp_pvh_initrd {
	uint64_t addr, size;		/* 0/0 for none */
	bool from_module;		/* the loader's module 0 */
};

/* The initrd: o's own, else module 0, else o's fallback. */
int zp_pvh_choose_initrd(const struct zp_guest_mem *mem, const struct zp_pvh_info *si,
			 const struct zp_translate_opts *o, struct zp_pvh_initrd *out,
			 struct zp_diag *diag);

#endif
