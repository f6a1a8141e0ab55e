/* SPDX-License-Identifier: MIT */
/*
 * ram_floor.c - the least guest RAM an image can start in, whoever loads
 * it.  A guest given less fails in ways that say nothing of the cause: the
 * decompressor finds no room and the machine stops before the first byte
 * on the console, or the firmware itself has nowhere to run (QEMU 7.2
 * asserts with 1 MiB).  So the commands check --mem against this before
 * a boot, and say what the image needs.
 */
#include <zeropage/zeropage.h>
#include "env.h"

#define PAGE	4096u

/* A bzImage runs from pref_address (boot.rst: the decompressor of a
 * relocatable kernel moves below-LOAD_PHYSICAL_ADDR loads up to it, and
 * one that is not relocatable must be loaded there) and needs `room`
 * bytes from there: init_size, or the protected-mode code where the
 * protocol has no init_size. */
static int bzimage_floor(const struct zp_bzimage *bz, struct zp_ram_floor *out)
{
	out->kernel_start = bz->pref_address;
	if (zp_add_overflows_u64(bz->pref_address, bz->room, &out->kernel_end))
		return ZP_EOVERFLOW;
	out->why = bz->init_size ? "init_size from pref_address" :
		   "its protected-mode code from pref_address (no init_size in this protocol)";
	return ZP_OK;
}

/* A vmlinux is loaded at its PT_LOADs' physical addresses, bss included. */
static int elf_floor(const struct zp_elf *elf, struct zp_ram_floor *out)
{
	bool any = false;

	for (unsigned i = 0; i < elf->nsegments && i < ZP_ELF_MAX_SEGMENTS; i++) {
		const struct zp_elf_segment *s = &elf->segments[i];
		uint64_t end;
		if (s->type != ZP_PT_LOAD || !s->memsz)
			continue;
		if (zp_add_overflows_u64(s->paddr, s->memsz, &end))
			return ZP_EOVERFLOW;
		if (!any || s->paddr < out->kernel_start)
			out->kernel_start = s->paddr;
		if (!any || end > out->kernel_end)
			out->kernel_end = end;
		any = true;
	}
	out->why = "the ELF's PT_LOAD segments at their physical addresses";
	return any ? ZP_OK : ZP_ESEGMENT;
}

int zp_ram_floor_add_initrd(struct zp_ram_floor *f, uint64_t initrd_len)
{
	uint64_t initrd, end;

	if (!f)
		return ZP_EINVAL;
	/* loaders put the initrd in its own pages, away from the kernel */
	initrd = zp_align_up_u64(initrd_len, PAGE);
	if (initrd < initrd_len || zp_add_overflows_u64(f->kernel_end, f->initrd + initrd, &end) ||
	    f->initrd + initrd < initrd)
		return ZP_EOVERFLOW;
	if (zp_align_up_u64(end, PAGE) < end)
		return ZP_EOVERFLOW;
	f->initrd += initrd;
	f->bytes = zp_align_up_u64(end, PAGE);
	return ZP_OK;
}

int zp_image_ram_floor(const struct zp_image *img, uint64_t initrd_len, struct zp_ram_floor *out)
{
	int rc;

	if (!img || !out)
		return ZP_EINVAL;
	zp_memset(out, 0, sizeof(*out));
	if (img->format == ZP_FORMAT_BZIMAGE || img->format == ZP_FORMAT_UKI)
		rc = bzimage_floor(&img->u.bz, out);
	else if (img->format == ZP_FORMAT_ELF)
		rc = elf_floor(&img->u.elf, out);
	else
		return ZP_EINVAL;
	return rc ? rc : zp_ram_floor_add_initrd(out, initrd_len);
}
