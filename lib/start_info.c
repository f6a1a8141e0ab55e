/* SPDX-License-Identifier: MIT */
/*
 * start_info.c - building a Xen PVH hvm_start_info (start_info.h) as one
 * contiguous blob: the start_info, then the module list, then (v1) the
 * memory map, then the command line, each 8-byte aligned.  Every address
 * inside points back into the blob, at buf_paddr + offset.
 */
#include <zeropage/zeropage.h>
#include "env.h"

struct blob_plan {
	uint64_t si_size, modlist_off, memmap_off, cmdline_off, cmdline_len, total;
};

static void plan_blob(const struct zp_pvh_config *cfg, struct blob_plan *p)
{
	uint64_t modlist_size = (uint64_t)cfg->nr_modules * sizeof(struct zp_hvm_modlist_entry);
	uint64_t memmap_size = (uint64_t)cfg->memmap_entries *
			       sizeof(struct zp_hvm_memmap_table_entry);

	p->si_size = cfg->version == 0 ? ZP_HVM_START_INFO_V0_SIZE : ZP_HVM_START_INFO_V1_SIZE;
	p->modlist_off = zp_align_up_u64(p->si_size, 8);
	p->memmap_off = zp_align_up_u64(p->modlist_off + modlist_size, 8);
	p->cmdline_off = zp_align_up_u64(p->memmap_off + memmap_size, 8);
	p->cmdline_len = cfg->cmdline ? zp_strlen(cfg->cmdline) + 1 : 0;
	p->total = p->cmdline_off + p->cmdline_len;
}

static int check_config(const struct zp_pvh_config *cfg)
{
	if (cfg->version > 1)
		return ZP_EINVAL;
	if (cfg->nr_modules > ZP_PVH_MAX_MODULES || cfg->memmap_entries > ZP_PVH_MAX_MEMMAP)
		return ZP_ETOOMANY;
	if ((cfg->nr_modules && !cfg->modules) || (cfg->memmap_entries && !cfg->memmap))
		return ZP_EINVAL;
	if (cfg->version == 0 && cfg->memmap_entries)
		return ZP_EINVAL;	/* v0 has nowhere to say where a memmap is */
	return ZP_OK;
}

static void write_modules(const struct zp_pvh_config *cfg, uint8_t *dst)
{
	for (uint32_t i = 0; i < cfg->nr_modules; i++) {
		struct zp_hvm_modlist_entry m = {
			cfg->modules[i].paddr, cfg->modules[i].size,
			cfg->modules[i].cmdline_paddr, 0,
		};
		zp_memcpy(dst + i * sizeof(m), &m, sizeof(m));
	}
}

int zp_build_start_info(const struct zp_pvh_config *cfg, void *buf, size_t cap,
			uint64_t buf_paddr, size_t *used)
{
	struct zp_hvm_start_info si = { 0 };
	struct blob_plan p;
	uint8_t *out = buf;
	uint64_t last;
	int r;

	if (!cfg || !buf)
		return ZP_EINVAL;
	r = check_config(cfg);
	if (r)
		return r;
	plan_blob(cfg, &p);
	if (p.total > cap)
		return ZP_ENOSPACE;
	if (zp_add_overflows_u64(buf_paddr, p.total, &last))
		return ZP_EOVERFLOW;
	zp_memset(buf, 0, (size_t)p.total);
	si.magic = ZP_HVM_START_MAGIC;
	si.version = cfg->version;
	si.flags = cfg->flags;
	si.nr_modules = cfg->nr_modules;
	si.modlist_paddr = cfg->nr_modules ? buf_paddr + p.modlist_off : 0;
	si.cmdline_paddr = cfg->cmdline ? buf_paddr + p.cmdline_off : 0;
	si.rsdp_paddr = cfg->rsdp_paddr;
	si.memmap_paddr = cfg->memmap_entries ? buf_paddr + p.memmap_off : 0;
	si.memmap_entries = cfg->memmap_entries;
	zp_memcpy(out, &si, (size_t)p.si_size);	/* v0 stops before the memmap fields */
	write_modules(cfg, out + p.modlist_off);
	if (cfg->memmap_entries)
		zp_memcpy(out + p.memmap_off, cfg->memmap,
			  cfg->memmap_entries * sizeof(cfg->memmap[0]));
	if (cfg->cmdline)
		zp_memcpy(out + p.cmdline_off, cfg->cmdline, (size_t)p.cmdline_len);
	if (used)
		*used = (size_t)p.total;
	return ZP_OK;
}
