/* SPDX-License-Identifier: MIT */
/*
 * translate.c - start_info -> boot_params: what a PVH stub does to enter an
 * unmodified bzImage.  The memory map, initrd, RSDP and command line move
 * from Xen's form into the zero page; with the subarch handoff, the kernel
 * also learns where the original start_info is.  A start_info without a
 * memory map (Xen's PVH dom0 gives v0) takes the hypervisor's instead.
 * The shim's plan (shim_plan.c) runs this very translation for its zero
 * page, and the decisions here (which map, which initrd) for its own.
 */
#include <zeropage/zeropage.h>
#include "diag.h"
#include "env.h"
#include "pvh_map.h"

/* Which map rules, decided once for every PVH path (the shim's plan and
 * this translation), with the one if / else if / else of Linux's own PVH
 * entry (init_pvh_bootparams, arch/x86/platform/pvh/enlighten.c): the
 * start_info's v1 memmap when it has entries, else the hypervisor's (Xen's
 * XENMEM_memory_map), else there is none to boot with. */
int zp_pvh_memmap_source(const struct zp_pvh_info *si, const struct zp_translate_opts *o,
			 enum zp_memmap_source *src, struct zp_diag *diag)
{
	if (si->version >= 1 && si->memmap_entries)
		*src = ZP_MEMMAP_START_INFO;
	else if (o->hv_e820)
		*src = ZP_MEMMAP_HYPERVISOR;
	else if (o->on_xen && o->hv_error)
		return zp_diag_fail(diag, ZP_ENOMEMMAP, "start_info v%u has no memory map, and "
				    "Xen's XENMEM_memory_map failed with error %ld", si->version,
				    o->hv_error);
	else if (o->on_xen)
		return zp_diag_fail(diag, ZP_ENOMEMMAP, "start_info v%u has no memory map, and no "
				    "XENMEM_memory_map result was given", si->version);
	else
		return zp_diag_fail(diag, ZP_ENOMEMMAP, "start_info v%u has no memory map; a PVH "
				    "stub needs PVH start_info v1 (or Xen's XENMEM_memory_map)",
				    si->version);
	return ZP_OK;
}

static int read_start_info_map(const struct zp_guest_mem *mem, const struct zp_pvh_info *si,
			       struct zp_e820_map *map, struct zp_diag *diag)
{
	int r = zp_pvh_memmap_to_e820(mem, si, map);

	if (r == ZP_ENOSPACE)
		return zp_diag_fail(diag, r, "memmap has %u entries, e820 space holds %u",
				    si->memmap_entries, map->capacity);
	if (r == ZP_EOVERFLOW)
		return zp_diag_fail(diag, r, "memmap (%u entries at 0x%llx) has an entry that "
				    "wraps past 2^64", si->memmap_entries,
				    (unsigned long long)si->memmap_paddr);
	if (r)
		return zp_diag_fail(diag, r, "memmap (%u entries at 0x%llx) unreadable",
				    si->memmap_entries, (unsigned long long)si->memmap_paddr);
	return ZP_OK;
}

static int read_hypervisor_map(const struct zp_translate_opts *o, struct zp_e820_map *map,
			       struct zp_diag *diag)
{
	int r = zp_e820_from_hypervisor(o->hv_e820, o->hv_e820_len, o->hv_e820_entries, map, diag);

	if (r) {
		struct zp_diag why = *diag;
		return zp_diag_fail(diag, r, "Xen's memory map (XENMEM_memory_map): %s", why.msg);
	}
	return ZP_OK;
}

int zp_pvh_memory_map(const struct zp_guest_mem *mem, const struct zp_pvh_info *si,
		      const struct zp_translate_opts *o, struct zp_e820_map *map,
		      enum zp_memmap_source *src, struct zp_diag *diag)
{
	int r = zp_pvh_memmap_source(si, o, src, diag);

	if (r)
		return r;
	if (map->capacity < 2)
		return zp_diag_fail(diag, ZP_ENOSPACE, "e820 space of %u entries", map->capacity);
	map->capacity -= 2;	/* room for the ISA range below */
	r = *src == ZP_MEMMAP_HYPERVISOR ? read_hypervisor_map(o, map, diag)
					 : read_start_info_map(mem, si, map, diag);
	map->capacity += 2;
	if (r)
		return r;
	/* The kernel must see the machine it sees through its own PVH entry,
	 * which reserves the ISA range whatever the loader's map says. */
	r = zp_e820_set(map, ZP_ISA_START, ZP_ISA_END - ZP_ISA_START, ZP_E820_RESERVED);
	if (r)
		return zp_diag_fail(diag, r, "reserving the ISA range: %s", zp_strerror(r));
	return ZP_OK;
}

/* The table the kernel is handed, in the form Linux's own PVH entry hands
 * itself (init_pvh_bootparams): the loader's entries verbatim and in its
 * order (from the source zp_pvh_memory_map chose), then the ISA range as
 * reserved, then the caller's reserved ranges.  The kernel sorts the
 * table and resolves overlaps itself (the higher type, reserved over RAM,
 * wins), so a kernel entered through the shim sees the very table it would
 * have built.  The map must already have passed zp_pvh_memory_map
 * (readable, nothing wrapping). */
static int handover_e820(const struct zp_guest_mem *mem, const struct zp_pvh_info *si,
			 const struct zp_translate_opts *o, enum zp_memmap_source src,
			 struct zp_e820_map *out, struct zp_diag *diag)
{
	const uint8_t *raw = o->hv_e820;
	uint32_t n = o->hv_e820_entries, stride = 20, nr_extra = o->nr_extra_reserved;

	if (src == ZP_MEMMAP_START_INFO) {
		n = si->memmap_entries;
		stride = sizeof(struct zp_hvm_memmap_table_entry);
		raw = zp_guest_ptr(mem, si->memmap_paddr, (uint64_t)n * stride);
	}
	if (n && !raw)
		return zp_diag_fail(diag, ZP_EBADADDR, "memmap unreadable");
	if ((uint64_t)n + 1 + nr_extra > out->capacity)
		return zp_diag_fail(diag, ZP_ENOSPACE, "%u map entries + %u reserved ranges, e820 "
				    "space holds %u", n, nr_extra + 1, out->capacity);
	for (uint32_t i = 0; i < n; i++)
		out->entries[i] = (struct zp_e820_entry){ zp_le64(raw + i * stride),
							  zp_le64(raw + i * stride + 8),
							  zp_le32(raw + i * stride + 16) };
	out->entries[n++] = (struct zp_e820_entry){ ZP_ISA_START, ZP_ISA_END - ZP_ISA_START,
						    ZP_E820_RESERVED };
	for (uint32_t i = 0; i < nr_extra; i++)
		out->entries[n++] = (struct zp_e820_entry){ o->extra_reserved[i].addr,
							    o->extra_reserved[i].size,
							    ZP_E820_RESERVED };
	out->count = n;
	return ZP_OK;
}

/* Checked (and sorted) first, then handed over in Linux's own form. */
static int build_e820(const struct zp_guest_mem *mem, const struct zp_pvh_info *si,
		      const struct zp_translate_opts *opts, struct zp_e820_map *map,
		      struct zp_diag *diag)
{
	enum zp_memmap_source src;
	int r = zp_pvh_memory_map(mem, si, opts, map, &src, diag);

	if (r)
		return r;
	return handover_e820(mem, si, opts, src, map, diag);
}

/* Which initrd the kernel gets, decided once for every PVH path: the
 * caller's own, else the loader's module 0 (a loader's -initrd replaces
 * what was bundled), else the fallback (the shim's bundled one). */
int zp_pvh_choose_initrd(const struct zp_guest_mem *mem, const struct zp_pvh_info *si,
			 const struct zp_translate_opts *o, struct zp_pvh_initrd *out,
			 struct zp_diag *diag)
{
	struct zp_pvh_module m;
	int r;

	*out = (struct zp_pvh_initrd){ o->initrd_addr, o->initrd_size, false };
	if (o->initrd_size)
		return ZP_OK;
	if (si->nr_modules == 0) {
		*out = (struct zp_pvh_initrd){ o->fallback_initrd_addr, o->fallback_initrd_size,
					       false };
		return ZP_OK;
	}
	r = zp_pvh_module(mem, si, 0, &m);
	if (r)
		return zp_diag_fail(diag, r, "module 0 of %u unreadable", si->nr_modules);
	*out = (struct zp_pvh_initrd){ m.paddr, m.size, true };
	return ZP_OK;
}

/* The zero page's loader fields, from the start_info and the caller's
 * choices: the one config fill every PVH path uses. */
static void fill_config(const struct zp_pvh_info *si, const struct zp_translate_opts *opts,
			const struct zp_e820_map *map, const struct zp_pvh_initrd *initrd,
			struct zp_boot_config *cfg)
{
	*cfg = (struct zp_boot_config){ 0 };
	cfg->e820 = map->entries;
	cfg->e820_count = map->count;
	cfg->cmdline = opts->cmdline;
	cfg->cmdline_addr = opts->cmdline_addr;
	cfg->initrd_addr = initrd->addr;
	cfg->initrd_size = initrd->size;
	cfg->rsdp_addr = si->rsdp_paddr;
	cfg->kernel_addr = opts->kernel_addr;
	cfg->type_of_loader = ZP_LOADER_UNDEFINED;
	if (opts->handoff == ZP_HANDOFF_SUBARCH) {
		cfg->hardware_subarch = opts->on_xen ? ZP_SUBARCH_XEN : ZP_SUBARCH_PC;
		cfg->hardware_subarch_data = opts->start_info_copy;
	}
	cfg->setup_data_buf = opts->setup_data_buf;
	cfg->setup_data_cap = opts->setup_data_cap;
	cfg->setup_data_addr = opts->setup_data_addr;
}

int zp_start_info_to_boot_params(const struct zp_guest_mem *mem, const struct zp_pvh_info *si,
				 const struct zp_bzimage *bz, const struct zp_translate_opts *opts,
				 struct zp_boot_params *bp, size_t *setup_data_len,
				 struct zp_diag *diag)
{
	struct zp_e820_map map;
	struct zp_boot_config cfg;
	struct zp_pvh_initrd initrd;
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
		r = zp_pvh_choose_initrd(mem, si, opts, &initrd, diag);
	if (r)
		return r;
	fill_config(si, opts, &map, &initrd, &cfg);
	return zp_build_boot_params(bz, &cfg, bp, setup_data_len, diag);
}
