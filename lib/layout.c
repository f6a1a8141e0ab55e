/* SPDX-License-Identifier: MIT */
/*
 * layout.c - does a placement of kernel, zero page, command line, initrd
 * and setup_data obey the boot protocol and the memory map?  Each rule
 * that fails says so with the numbers, so a loader's author can fix it.
 */
#include <zeropage/zeropage.h>
#include "diag.h"
#include "env.h"

#define ULL(v) ((unsigned long long)(v))

struct range {
	const char *name;
	uint64_t addr, size;
	bool low;	/* below 4 GiB unless XLF_CAN_BE_LOADED_ABOVE_4G */
};

static int check_kernel_alignment(const struct zp_bzimage *bz, uint64_t addr,
				  struct zp_diag *diag)
{
	uint64_t align = bz->min_align;	/* a relocatable kernel accepts less than it prefers */

	if (!bz->relocatable) {
		if (addr != bz->pref_address)
			return zp_diag_fail(diag, ZP_ELAYOUT,
					    "kernel at 0x%llx, but it is not relocatable and must be at pref_address 0x%llx",
					    ULL(addr), ULL(bz->pref_address));
		return ZP_OK;
	}
	if (align && (addr & (align - 1)))
		return zp_diag_fail(diag, ZP_ELAYOUT, "kernel at 0x%llx not aligned to 0x%llx",
				    ULL(addr), ULL(align));
	return ZP_OK;
}

static int check_initrd(const struct zp_bzimage *bz, const struct zp_layout *l,
			struct zp_diag *diag)
{
	uint64_t end;

	if (l->initrd_size == 0)
		return ZP_OK;
	end = l->initrd_addr + l->initrd_size;	/* overflow caught by check_ranges */
	if (end - 1 > bz->initrd_max)
		return zp_diag_fail(diag, ZP_ELAYOUT,
				    "initrd 0x%llx-0x%llx ends above initrd_addr_max 0x%x",
				    ULL(l->initrd_addr), ULL(end), bz->initrd_addr_max);
	return ZP_OK;
}

/* The placed ranges; empty ones are left out. */
static unsigned collect_ranges(const struct zp_bzimage *bz, const struct zp_layout *l,
			       struct range *r)
{
	unsigned n = 0;
	/* A relocatable kernel loaded below pref_address (LOAD_PHYSICAL_ADDR)
	 * decompresses at pref_address, not where it was put (boot.rst
	 * "pref_address"; compressed/head_64.S), so its room starts there;
	 * the code as loaded stays until it has been copied. */
	uint64_t run = bz->relocatable && bz->pref_address > l->kernel_addr
		       ? bz->pref_address : l->kernel_addr;

	r[n++] = (struct range){ "kernel", l->kernel_addr,
				 zp_max_u64(run - l->kernel_addr + bz->room, bz->pm_size), true };
	if (l->zero_page_addr)
		r[n++] = (struct range){ "zero page", l->zero_page_addr,
					 sizeof(struct zp_boot_params), true };
	if (l->cmdline_addr)
		r[n++] = (struct range){ "cmdline", l->cmdline_addr, l->cmdline_len + 1, true };
	if (l->initrd_size)	/* initrd_addr_max rules it: check_initrd */
		r[n++] = (struct range){ "initrd", l->initrd_addr, l->initrd_size, false };
	if (l->setup_data_len)	/* 64-bit next pointers: anywhere */
		r[n++] = (struct range){ "setup_data", l->setup_data_addr, l->setup_data_len,
					 false };
	return n;
}

static int check_ranges(const struct range *r, unsigned n, const struct zp_e820_map *map,
			bool above_4g, struct zp_diag *diag)
{
	uint64_t end;

	for (unsigned i = 0; i < n; i++) {
		if (zp_add_overflows_u64(r[i].addr, r[i].size, &end))
			return zp_diag_fail(diag, ZP_ELAYOUT, "%s 0x%llx + 0x%llx overflows",
					    r[i].name, ULL(r[i].addr), ULL(r[i].size));
		/* boot.rst, xloadflags: only XLF_CAN_BE_LOADED_ABOVE_4G lets
		 * "kernel/boot_params/cmdline/ramdisk" be above 4G. */
		if (r[i].low && !above_4g && end > (1ull << 32))
			return zp_diag_fail(diag, ZP_ELAYOUT,
					    "%s 0x%llx-0x%llx ends above 4 GiB without "
					    "XLF_CAN_BE_LOADED_ABOVE_4G",
					    r[i].name, ULL(r[i].addr), ULL(end));
		if (!zp_e820_is_ram(map, r[i].addr, r[i].size))
			return zp_diag_fail(diag, ZP_ELAYOUT,
					    "%s 0x%llx-0x%llx not inside usable e820 RAM",
					    r[i].name, ULL(r[i].addr), ULL(end));
	}
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = i + 1; j < n; j++)
			if (r[i].addr < r[j].addr + r[j].size && r[j].addr < r[i].addr + r[i].size)
				return zp_diag_fail(diag, ZP_ELAYOUT,
						    "%s 0x%llx-0x%llx overlaps %s 0x%llx-0x%llx",
						    r[i].name, ULL(r[i].addr),
						    ULL(r[i].addr + r[i].size), r[j].name,
						    ULL(r[j].addr), ULL(r[j].addr + r[j].size));
	return ZP_OK;
}

int zp_check_layout(const struct zp_bzimage *bz, const struct zp_e820_entry *e820,
		    uint32_t e820_count, const struct zp_layout *layout,
		    struct zp_diag *diag)
{
	/* is_ram only reads the map; the cast lets us reuse the map type. */
	struct zp_e820_map map = { (struct zp_e820_entry *)e820, e820_count, e820_count };
	struct range ranges[5];
	unsigned n;
	int r;

	zp_diag_clear(diag);
	if (!bz || !layout || (e820_count && !e820))
		return zp_diag_fail(diag, ZP_EINVAL, "missing image, map or layout");
	r = check_kernel_alignment(bz, layout->kernel_addr, diag);
	if (r)
		return r;
	if (layout->cmdline_len > bz->cmdline_size)
		return zp_diag_fail(diag, ZP_ELAYOUT, "cmdline of %llu bytes exceeds cmdline_size %u",
				    ULL(layout->cmdline_len), bz->cmdline_size);
	n = collect_ranges(bz, layout, ranges);
	r = check_ranges(ranges, n, &map, bz->above_4g, diag);
	if (!r)
		r = check_initrd(bz, layout, diag);
	return r;
}
