/* SPDX-License-Identifier: MIT */
/*
 * pvh.c - reading a Xen PVH hvm_start_info that someone else wrote.
 *
 * A start_info is a web of guest-physical pointers; every one is checked
 * against the guest memory window before anything follows it, and every
 * count is bounded, so a hostile or corrupt start_info yields an error
 * with the offending field named, never a wild read.
 */
#include <zeropage/zeropage.h>
#include "diag.h"
#include "env.h"

#define ULL(v) ((unsigned long long)(v))

/* [addr, addr + len) must lie in mem; names the field when it does not. */
static int check_range(const struct zp_guest_mem *mem, const char *what, uint64_t addr,
		       uint64_t len, struct zp_pvh_info *out, struct zp_diag *diag)
{
	uint64_t end;

	if (zp_add_overflows_u64(addr, len, &end))
		return zp_diag_fail(diag, ZP_EOVERFLOW, "%s 0x%llx + 0x%llx overflows 64 bits",
				    what, ULL(addr), ULL(len));
	if (!zp_guest_ptr(mem, addr, len))
		return zp_diag_fail(diag, ZP_EBADADDR,
				    "%s 0x%llx-0x%llx outside guest memory 0x%llx-0x%llx",
				    what, ULL(addr), ULL(end), ULL(mem->paddr),
				    ULL(mem->paddr + mem->size));
	if (out && end > out->blob_end)
		out->blob_end = end;
	return ZP_OK;
}

/* A NUL-terminated string at addr: its length, bounded by memory and by
 * ZP_PVH_MAX_CMDLINE. */
static int check_string(const struct zp_guest_mem *mem, const char *what, uint64_t addr,
			uint64_t *len, struct zp_pvh_info *out, struct zp_diag *diag)
{
	const char *s = zp_guest_ptr(mem, addr, 1);
	uint64_t avail, n;

	if (!s)
		return zp_diag_fail(diag, ZP_EBADADDR, "%s 0x%llx outside guest memory", what,
				    ULL(addr));
	avail = mem->paddr + mem->size - addr;
	n = zp_strnlen(s, (size_t)(avail < ZP_PVH_MAX_CMDLINE ? avail : ZP_PVH_MAX_CMDLINE));
	if (n == ZP_PVH_MAX_CMDLINE)
		return zp_diag_fail(diag, ZP_ECMDLINE, "%s at 0x%llx longer than %u bytes",
				    what, ULL(addr), ZP_PVH_MAX_CMDLINE);
	if (n == avail)
		return zp_diag_fail(diag, ZP_EBADADDR,
				    "%s at 0x%llx runs to the end of guest memory without a NUL",
				    what, ULL(addr));
	*len = n;
	return check_range(mem, what, addr, n + 1, out, diag);
}

static int read_header(const struct zp_guest_mem *mem, uint64_t si_paddr,
		       struct zp_hvm_start_info *si, struct zp_pvh_info *out, struct zp_diag *diag)
{
	uint64_t size;
	int r = check_range(mem, "start_info", si_paddr, 8, out, diag);

	if (r)
		return r;
	zp_memcpy(si, zp_guest_ptr(mem, si_paddr, 8), 8);
	if (si->magic != ZP_HVM_START_MAGIC)
		return zp_diag_fail(diag, ZP_ESTARTINFO,
				    "start_info magic 0x%08x, expected 0x%08x",
				    si->magic, ZP_HVM_START_MAGIC);
	/* Xen only ever appends fields: a newer version reads as v1. */
	size = si->version == 0 ? ZP_HVM_START_INFO_V0_SIZE : ZP_HVM_START_INFO_V1_SIZE;
	r = check_range(mem, "start_info", si_paddr, size, out, diag);
	if (r)
		return r;
	zp_memcpy(si, zp_guest_ptr(mem, si_paddr, size), (size_t)size);
	return ZP_OK;
}

static int read_module_entry(const struct zp_guest_mem *mem, uint64_t modlist, uint32_t idx,
			     struct zp_hvm_modlist_entry *m)
{
	const void *p = zp_guest_ptr(mem, modlist + (uint64_t)idx * sizeof(*m), sizeof(*m));
	if (!p)
		return ZP_EBADADDR;
	zp_memcpy(m, p, sizeof(*m));
	return ZP_OK;
}

static int check_modules(const struct zp_guest_mem *mem, struct zp_pvh_info *out,
			 struct zp_diag *diag)
{
	int r;

	if (out->nr_modules > ZP_PVH_MAX_MODULES)
		return zp_diag_fail(diag, ZP_ETOOMANY, "nr_modules %u exceeds %u",
				    out->nr_modules, ZP_PVH_MAX_MODULES);
	if (out->nr_modules == 0)
		return ZP_OK;
	r = check_range(mem, "modlist", out->modlist_paddr,
			(uint64_t)out->nr_modules * sizeof(struct zp_hvm_modlist_entry), out, diag);
	for (uint32_t i = 0; !r && i < out->nr_modules; i++) {
		struct zp_hvm_modlist_entry m;
		uint64_t len;
		r = read_module_entry(mem, out->modlist_paddr, i, &m);	/* in range: checked above */
		/* A module's bytes are the kernel's to read, not ours: they may
		 * lie anywhere in RAM, above 4 GiB too, and the consumer checks
		 * them against the memory map. */
		if (!r && zp_add_overflows_u64(m.paddr, m.size, &len))
			r = zp_diag_fail(diag, ZP_EOVERFLOW, "module %u 0x%llx + 0x%llx overflows "
					 "64 bits", i, ULL(m.paddr), ULL(m.size));
		if (!r && m.cmdline_paddr)
			r = check_string(mem, "module cmdline", m.cmdline_paddr, &len, out, diag);
	}
	return r;
}

static int check_memmap(const struct zp_guest_mem *mem, struct zp_pvh_info *out,
			struct zp_diag *diag)
{
	if (out->memmap_entries > ZP_PVH_MAX_MEMMAP)
		return zp_diag_fail(diag, ZP_ETOOMANY, "memmap_entries %u exceeds %u",
				    out->memmap_entries, ZP_PVH_MAX_MEMMAP);
	if (out->memmap_entries == 0)
		return ZP_OK;
	return check_range(mem, "memmap", out->memmap_paddr,
			   (uint64_t)out->memmap_entries * sizeof(struct zp_hvm_memmap_table_entry),
			   out, diag);
}

int zp_pvh_parse(const struct zp_guest_mem *mem, uint64_t si_paddr,
		 struct zp_pvh_info *out, struct zp_diag *diag)
{
	struct zp_hvm_start_info si = { 0 };
	int r;

	zp_diag_clear(diag);
	if (!mem || !out)
		return zp_diag_fail(diag, ZP_EINVAL, "missing guest memory or output");
	zp_memset(out, 0, sizeof(*out));
	r = read_header(mem, si_paddr, &si, out, diag);
	if (r)
		return r;
	out->paddr = si_paddr;
	out->version = si.version;
	out->flags = si.flags;
	out->nr_modules = si.nr_modules;
	out->modlist_paddr = si.modlist_paddr;
	out->cmdline_paddr = si.cmdline_paddr;
	out->rsdp_paddr = si.rsdp_paddr;
	if (si.version >= 1) {
		out->memmap_paddr = si.memmap_paddr;
		out->memmap_entries = si.memmap_entries;
	}
	r = check_modules(mem, out, diag);
	if (!r)
		r = check_memmap(mem, out, diag);
	if (!r && out->cmdline_paddr)
		r = check_string(mem, "cmdline", out->cmdline_paddr, &out->cmdline_len, out, diag);
	return r;
}

int zp_pvh_module(const struct zp_guest_mem *mem, const struct zp_pvh_info *si,
		  uint32_t idx, struct zp_pvh_module *out)
{
	struct zp_hvm_modlist_entry m;

	if (!mem || !si || !out || idx >= si->nr_modules)
		return ZP_EINVAL;
	uint64_t end;

	if (read_module_entry(mem, si->modlist_paddr, idx, &m))
		return ZP_EBADADDR;
	if (zp_add_overflows_u64(m.paddr, m.size, &end))
		return ZP_EOVERFLOW;
	out->paddr = m.paddr;
	out->size = m.size;
	out->cmdline_paddr = m.cmdline_paddr;
	return ZP_OK;
}

int zp_pvh_memmap_to_e820(const struct zp_guest_mem *mem, const struct zp_pvh_info *si,
			  struct zp_e820_map *map)
{
	const uint8_t *table;

	if (!mem || !si || !map)
		return ZP_EINVAL;
	if (si->version == 0 || si->memmap_entries == 0)
		return ZP_ENOMEMMAP;
	if (si->memmap_entries > map->capacity)
		return ZP_ENOSPACE;
	table = zp_guest_ptr(mem, si->memmap_paddr,
			     (uint64_t)si->memmap_entries * sizeof(struct zp_hvm_memmap_table_entry));
	if (!table)
		return ZP_EBADADDR;
	for (uint32_t i = 0; i < si->memmap_entries; i++) {
		struct zp_hvm_memmap_table_entry e;
		uint64_t end;

		zp_memcpy(&e, table + i * sizeof(e), sizeof(e));
		/* Linux discards a whole map that holds a wrapping entry. */
		if (zp_add_overflows_u64(e.addr, e.size, &end))
			return ZP_EOVERFLOW;
		map->entries[i] = (struct zp_e820_entry){
			e.addr, e.size,
			e.type == ZP_HVM_MEMMAP_DISABLED ? ZP_E820_UNUSABLE : e.type,
		};
	}
	map->count = si->memmap_entries;
	zp_e820_normalise(map);
	return ZP_OK;
}
