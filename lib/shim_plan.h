/* SPDX-License-Identifier: MIT */
/* shim_plan.h - what the parts of zp_shim_plan share (shim_plan.c,
 * shim_kaslr.c, shim_preserve.c).  Private to lib/. */
#ifndef ZEROPAGE_LIB_SHIM_PLAN_H
#define ZEROPAGE_LIB_SHIM_PLAN_H

#include <zeropage/bundle.h>

#define ULL(v)		((unsigned long long)(v))
#define GIB4		(1ull << 32)
#define MEMMAP_ENTRY	24u	/* sizeof(struct zp_hvm_memmap_table_entry) */
#define MODLIST_ENTRY	32u	/* sizeof(struct zp_hvm_modlist_entry) */

#define ZP_SHIM_IN_USE_MAX	9

/* What every placement of the kernel keeps clear of (shim_plan.c). */
unsigned zp_shim_in_use(const struct zp_shim_input *in, const struct zp_shim_plan *plan,
			uint64_t setup_size, struct zp_kaslr_range *r);

/* KASLR for the vmlinux entry: decided into plan (shim_kaslr.c). */
int zp_shim_plan_kaslr(const struct zp_shim_input *in, const struct zp_bzimage *bz,
		       const struct zp_e820_map *ram, struct zp_shim_plan *plan,
		       struct zp_diag *diag);

/* The subarch handoff's copy of the start_info (shim_preserve.c). */
int zp_shim_preserve_start_info(const struct zp_shim_input *in, struct zp_shim_plan *plan,
				struct zp_diag *diag);

#endif
