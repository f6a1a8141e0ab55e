/* SPDX-License-Identifier: MIT */
/*
 * shim_preserve.c - zp_shim_plan's copy of the start_info for the subarch
 * handoff.
 */
#include <zeropage/bundle.h>
#include "diag.h"
#include "env.h"
#include "shim_plan.h"

/* The subarch handoff points the kernel at the start_info.  The loader's
 * copy lives wherever the loader liked (QEMU's pvh.bin: its static data in
 * low RAM; qboot: below 1 MiB),
 * memory the kernel may reuse, so the kernel gets our own: start_info,
 * modlist, memmap and every command line, with the pointers inside
 * rewritten to the copy, reserved in the e820 map. */
struct preserve {
	const struct zp_shim_input *in;
	size_t off;
};

static int append(struct preserve *p, uint64_t src, uint64_t len, size_t align,
		  uint64_t *at_addr, struct zp_diag *diag)
{
	size_t at = (size_t)zp_align_up_u64(p->off, align);
	const void *from = zp_guest_ptr(p->in->mem, src, len);

	if (!from)
		return zp_diag_fail(diag, ZP_EBADADDR, "start_info piece 0x%llx+0x%llx unreadable",
				    ULL(src), ULL(len));
	if (at > p->in->preserve_cap || len > p->in->preserve_cap - at)
		return zp_diag_fail(diag, ZP_ENOSPACE, "start_info with its memmap, modules and "
				    "command lines needs more than the %llu bytes the shim preserves",
				    ULL(p->in->preserve_cap));
	zp_memcpy(p->in->preserve + at, from, (size_t)len);
	p->off = at + (size_t)len;
	*at_addr = p->in->preserve_addr + at;
	return ZP_OK;
}

static int preserve_modules(struct preserve *p, uint64_t list_addr, uint32_t n,
			    struct zp_diag *diag)
{
	for (uint32_t i = 0; i < n; i++) {
		uint8_t *me = p->in->preserve + (list_addr - p->in->preserve_addr) + i * MODLIST_ENTRY;
		uint64_t s, at;
		const char *str;
		size_t len;
		int r;

		zp_memcpy(&s, me + 16, 8);		/* cmdline_paddr */
		if (!s)
			continue;
		str = zp_guest_ptr(p->in->mem, s, 1);	/* checked by zp_pvh_parse */
		len = str ? zp_strnlen(str, ZP_PVH_MAX_CMDLINE) : 0;
		r = append(p, s, len + 1, 1, &at, diag);
		if (r)
			return r;
		zp_memcpy(me + 16, &at, 8);
	}
	return ZP_OK;
}

int zp_shim_preserve_start_info(const struct zp_shim_input *in, struct zp_shim_plan *plan,
				struct zp_diag *diag)
{
	const struct zp_pvh_info *si = &plan->si;
	struct zp_hvm_start_info copy = { 0 };
	struct preserve p = { in, 0 };
	uint64_t hdr_at, at = 0;
	size_t hdr = si->version >= 1 ? ZP_HVM_START_INFO_V1_SIZE : ZP_HVM_START_INFO_V0_SIZE;
	int r = append(&p, si->paddr, sizeof(copy), 8, &hdr_at, diag);

	if (r)
		return r;
	zp_memset(&copy, 0, sizeof(copy));
	zp_memcpy(&copy, zp_guest_ptr(in->mem, si->paddr, hdr), hdr);
	if (!r && si->cmdline_paddr) {
		r = append(&p, si->cmdline_paddr, si->cmdline_len + 1, 1, &at, diag);
		copy.cmdline_paddr = at;
	}
	if (!r && si->version >= 1 && si->memmap_entries) {
		r = append(&p, si->memmap_paddr, (uint64_t)si->memmap_entries * MEMMAP_ENTRY, 8,
			   &at, diag);
		copy.memmap_paddr = at;
	}
	at = 0;
	if (!r && si->nr_modules) {
		r = append(&p, si->modlist_paddr, (uint64_t)si->nr_modules * MODLIST_ENTRY, 8, &at,
			   diag);
		copy.modlist_paddr = at;
	}
	if (!r)
		r = preserve_modules(&p, at, si->nr_modules, diag);
	if (r)
		return r;
	zp_memcpy(in->preserve + (hdr_at - in->preserve_addr), &copy, sizeof(copy));
	plan->preserved_addr = in->preserve_addr;
	plan->preserved_size = zp_align_up_u64(p.off, 4096);
	return ZP_OK;
}

