/* SPDX-License-Identifier: MIT */
/* pvh_map.h - the one start_info -> e820 conversion, shared by the public
 * translation (translate.c) and the shim's plan (shim_plan.c).  Private. */
#ifndef ZEROPAGE_LIB_PVH_MAP_H
#define ZEROPAGE_LIB_PVH_MAP_H

#include <zeropage/zeropage.h>

/* Legacy ISA range that Linux's own PVH entry (init_pvh_bootparams in
 * arch/x86/platform/pvh/enlighten.c) adds to every map as reserved: the
 * VGA window, option ROMs and BIOS, 640 KiB-1 MiB. */
#define ZP_ISA_START	0xa0000ull
#define ZP_ISA_END	0x100000ull

/* The start_info's v1 memmap, else the hypervisor's raw map (hv_e820,
 * hv_len bytes, hv_entries entries; NULL for none), into *map, sorted,
 * with the ISA range reserved as Linux's PVH entry reserves it.  Needs
 * capacity for the entries plus 2 (the ISA range may split one). */
int zp_pvh_memory_map(const struct zp_guest_mem *mem, const struct zp_pvh_info *si,
		      const void *hv_e820, size_t hv_len, uint32_t hv_entries, bool on_xen,
		      struct zp_e820_map *map, struct zp_diag *diag);

/* The e820 table handed to the kernel, as Linux's PVH entry builds it:
 * the loader's entries verbatim, the ISA range, then `extra` reserved. */
int zp_pvh_handover_e820(const struct zp_guest_mem *mem, const struct zp_pvh_info *si,
			 const void *hv_e820, uint32_t hv_entries,
			 const struct zp_e820_entry *extra, uint32_t nr_extra,
			 struct zp_e820_map *out, struct zp_diag *diag);

/* Module 0 as the initrd, 0/0 when there is none. */
int zp_pvh_initrd(const struct zp_guest_mem *mem, const struct zp_pvh_info *si,
		  uint64_t *addr, uint64_t *size, struct zp_diag *diag);

#endif
