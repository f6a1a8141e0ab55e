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
#include "pvh_map.h"

/* The memory map: the start_info's own (v1), else the one the hypervisor
 * gave the stub (Xen's XENMEM_memory_map for a v0 start_info). */
static int read_map(const struct zp_guest_mem *mem, const struct zp_pvh_info *si,
		    const void *hv_e820, size_t hv_len, uint32_t hv_entries, bool on_xen,
		    struct zp_e820_map *map, struct zp_diag *diag)
{
	int r = zp_pvh_memmap_to_e820(mem, si, map);

	if (r == ZP_ENOMEMMAP && hv_e820)
		return zp_e820_from_hypervisor(hv_e820, hv_len, hv_entries, map, diag);
	if (r == ZP_ENOMEMMAP)
		return zp_diag_fail(diag, r, on_xen
			? "start_info v%u has no memory map, and no XENMEM_memory_map result was given"
			: "start_info v%u has no memory map", si->version);
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

int zp_pvh_memory_map(const struct zp_guest_mem *mem, const struct zp_pvh_info *si,
		      const void *hv_e820, size_t hv_len, uint32_t hv_entries, bool on_xen,
		      struct zp_e820_map *map, struct zp_diag *diag)
{
	int r;

	if (map->capacity < 2)
		return zp_diag_fail(diag, ZP_ENOSPACE, "e820 space of %u entries", map->capacity);
	map->capacity -= 2;	/* room for the ISA range below */
	r = read_map(mem, si, hv_e820, hv_len, hv_entries, on_xen, map, diag);
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
 * itself (init_pvh_bootparams, arch/x86/platform/pvh/enlighten.c): the
 * loader's entries verbatim and in its order (start_info memmap, else the
 * hypervisor's), then the ISA range as reserved, then our own reserved
 * ranges.  The kernel sorts the table and resolves overlaps itself (the
 * higher type, reserved over RAM, wins), so a kernel entered through the
 * shim sees the very table it would have built.  The map must already
 * have passed zp_pvh_memory_map (readable, nothing wrapping). */
int zp_pvh_handover_e820(const struct zp_guest_mem *mem, const struct zp_pvh_info *si,
			 const void *hv_e820, uint32_t hv_entries,
			 const struct zp_e820_entry *extra, uint32_t nr_extra,
			 struct zp_e820_map *out, struct zp_diag *diag)
{
	const uint8_t *raw = NULL;
	uint32_t n = 0, stride = 20;

	if (si->version >= 1 && si->memmap_entries) {
		n = si->memmap_entries;
		stride = sizeof(struct zp_hvm_memmap_table_entry);
		raw = zp_guest_ptr(mem, si->memmap_paddr, (uint64_t)n * stride);
	} else if (hv_e820) {
		n = hv_entries;
		raw = hv_e820;
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
		out->entries[n++] = (struct zp_e820_entry){ extra[i].addr, extra[i].size,
							    ZP_E820_RESERVED };
	out->count = n;
	return ZP_OK;
}

/* Checked (and sorted) first, then handed over in Linux's own form. */
static int build_e820(const struct zp_guest_mem *mem, const struct zp_pvh_info *si,
		      const struct zp_translate_opts *opts, struct zp_e820_map *map,
		      struct zp_diag *diag)
{
	int r = zp_pvh_memory_map(mem, si, opts->hv_e820, opts->hv_e820_len,
				  opts->hv_e820_entries, opts->on_xen, map, diag);

	if (r)
		return r;
	return zp_pvh_handover_e820(mem, si, opts->hv_e820, opts->hv_e820_entries,
				    opts->extra_reserved, opts->nr_extra_reserved, map, diag);
}

int zp_pvh_initrd(const struct zp_guest_mem *mem, const struct zp_pvh_info *si,
		  uint64_t *addr, uint64_t *size, struct zp_diag *diag)
{
	struct zp_pvh_module m;
	int r;

	*addr = *size = 0;
	if (si->nr_modules == 0)
		return ZP_OK;
	r = zp_pvh_module(mem, si, 0, &m);
	if (r)
		return zp_diag_fail(diag, r, "module 0 of %u unreadable", si->nr_modules);
	*addr = m.paddr;
	*size = m.size;
	return ZP_OK;
}

static int choose_initrd(const struct zp_guest_mem *mem, const struct zp_pvh_info *si,
			 const struct zp_translate_opts *opts, struct zp_boot_config *cfg,
			 struct zp_diag *diag)
{
	if (opts->initrd_size) {
		cfg->initrd_addr = opts->initrd_addr;
		cfg->initrd_size = opts->initrd_size;
		return ZP_OK;
	}
	return zp_pvh_initrd(mem, si, &cfg->initrd_addr, &cfg->initrd_size, diag);
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
