/* SPDX-License-Identifier: MIT */
/*
 * translate.c - start_info -> boot_params: what a PVH stub does to enter an
 * unmodified bzImage.  The memory map, initrd, RSDP and command line move
 * from Xen's form into the zero page; with the subarch handoff, the kernel
 * also learns where the original start_info is.  A start_info without a
 * memory map (Xen's PVH dom0 gives v0) takes the hypervisor's instead.
 */
#include <zeropage/zeropage.h>
#include "diag.h"
#include "env.h"

/* The memory map: the start_info's own (v1), else the one the hypervisor
 * gave the stub (Xen's XENMEM_memory_map for a v0 start_info). */
static int read_map(const struct zp_guest_mem *mem, const struct zp_pvh_info *si,
		    const struct zp_translate_opts *opts, struct zp_e820_map *map,
		    struct zp_diag *diag)
{
	int r = zp_pvh_memmap_to_e820(mem, si, map);

	if (r == ZP_ENOMEMMAP && opts->hv_e820)
		return zp_e820_from_hypervisor(opts->hv_e820, opts->hv_e820_len,
					       opts->hv_e820_entries, map, diag);
	if (r == ZP_ENOMEMMAP)
		return zp_diag_fail(diag, r, opts->on_xen
			? "start_info v%u has no memory map, and no XENMEM_memory_map result was given"
			: "start_info v%u has no memory map", si->version);
	if (r == ZP_ENOSPACE)
		return zp_diag_fail(diag, r, "memmap has %u entries, e820 scratch holds %u",
				    si->memmap_entries, map->capacity);
	if (r)
		return zp_diag_fail(diag, r, "memmap 0x%llx unreadable",
				    (unsigned long long)si->memmap_paddr);
	return ZP_OK;
}

static int build_e820(const struct zp_guest_mem *mem, const struct zp_pvh_info *si,
		      const struct zp_translate_opts *opts, struct zp_e820_map *map,
		      struct zp_diag *diag)
{
	int r = read_map(mem, si, opts, map, diag);

	if (r)
		return r;
	for (uint32_t i = 0; i < opts->nr_extra_reserved; i++) {
		const struct zp_e820_entry *e = &opts->extra_reserved[i];
		r = zp_e820_set(map, e->addr, e->size, ZP_E820_RESERVED);
		if (r)
			return zp_diag_fail(diag, r, "reserving 0x%llx+0x%llx: %s",
					    (unsigned long long)e->addr,
					    (unsigned long long)e->size, zp_strerror(r));
	}
	return ZP_OK;
}

static int choose_initrd(const struct zp_guest_mem *mem, const struct zp_pvh_info *si,
			 const struct zp_translate_opts *opts, struct zp_boot_config *cfg,
			 struct zp_diag *diag)
{
	struct zp_pvh_module m;
	int r;

	if (opts->initrd_size) {
		cfg->initrd_addr = opts->initrd_addr;
		cfg->initrd_size = opts->initrd_size;
		return ZP_OK;
	}
	if (si->nr_modules == 0)
		return ZP_OK;
	r = zp_pvh_module(mem, si, 0, &m);
	if (r)
		return zp_diag_fail(diag, r, "module 0 of %u unreadable", si->nr_modules);
	cfg->initrd_addr = m.paddr;
	cfg->initrd_size = m.size;
	return ZP_OK;
}

int zp_start_info_to_boot_params(const struct zp_guest_mem *mem, const struct zp_pvh_info *si,
				 const struct zp_bzimage *bz, const struct zp_translate_opts *opts,
				 struct zp_boot_params *bp, size_t *setup_data_len,
				 struct zp_diag *diag)
{
	struct zp_e820_map map;
	struct zp_boot_config cfg = { 0 };
	int r;

	zp_diag_clear(diag);
	if (!mem || !si || !bz || !opts || !bp)
		return zp_diag_fail(diag, ZP_EINVAL, "missing argument");
	if (opts->nr_extra_reserved && !opts->extra_reserved)
		return zp_diag_fail(diag, ZP_EINVAL, "nr_extra_reserved without ranges");
	map = (struct zp_e820_map){ opts->e820_scratch, 0,
				    opts->e820_scratch ? opts->e820_scratch_cap : 0 };
	r = build_e820(mem, si, opts, &map, diag);
	if (!r)
		r = choose_initrd(mem, si, opts, &cfg, diag);
	if (r)
		return r;
	cfg.e820 = map.entries;
	cfg.e820_count = map.count;
	cfg.cmdline = opts->cmdline;
	cfg.cmdline_addr = opts->cmdline_addr;
	cfg.rsdp_addr = si->rsdp_paddr;
	cfg.kernel_addr = opts->kernel_addr;
	cfg.type_of_loader = ZP_LOADER_UNDEFINED;
	if (opts->handoff == ZP_HANDOFF_SUBARCH) {
		cfg.hardware_subarch = opts->on_xen ? ZP_SUBARCH_XEN : ZP_SUBARCH_PC;
		cfg.hardware_subarch_data = opts->start_info_copy;
	}
	cfg.setup_data_buf = opts->setup_data_buf;
	cfg.setup_data_cap = opts->setup_data_cap;
	cfg.setup_data_addr = opts->setup_data_addr;
	return zp_build_boot_params(bz, &cfg, bp, setup_data_len, diag);
}
