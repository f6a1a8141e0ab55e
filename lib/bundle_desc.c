/* SPDX-License-Identifier: MIT */
/*
 * bundle_desc.c - which bundle descriptors can be honoured.
 *
 * The descriptor is written by our own tool, but a bundle is a file, and
 * files get truncated, hand-edited and corrupted.  The shim (before it
 * acts on one) and `zeropage info` (before it describes one) ask the same
 * two questions here, so that nothing the shim would refuse is described as
 * if it were valid, and each refusal names the field and its value:
 *
 *   zp_bundle_desc_check         the fields alone: known magic, version,
 *                                entry, handoff and flags; every range below
 *                                4 GiB (the shim runs in 32-bit addresses)
 *                                and none wrapping; the pieces consistent;
 *   zp_bundle_desc_check_kernel  the fields against the bundled kernel's
 *                                own header, once it has been probed.
 */
#include <zeropage/bundle.h>
#include "diag.h"

#define ULL(v)		((unsigned long long)(v))
#define GIB4		(1ull << 32)
#define SETUP_MIN	1024u	/* the boot sector and the setup header's sector */

static const char *entry_name(uint32_t e)
{
	return e == ZP_BUNDLE_ENTRY_64 ? "64" : e == ZP_BUNDLE_ENTRY_32 ? "32"
	       : e == ZP_BUNDLE_ENTRY_VMLINUX ? "vmlinux" : "none";
}

/* [addr, addr+len) lies below 4 GiB; names the two fields when not. */
static int check_range(const char *addr_field, uint64_t addr, const char *len_field,
		       uint64_t len, struct zp_diag *diag)
{
	if (addr + len < addr)
		return zp_diag_fail(diag, ZP_EBUNDLE, "bundle descriptor: %s 0x%llx + %s 0x%llx "
				    "wraps around", addr_field, ULL(addr), len_field, ULL(len));
	if (addr >= GIB4 || len > GIB4 - addr)
		return zp_diag_fail(diag, ZP_EBUNDLE, "bundle descriptor: %s 0x%llx + %s 0x%llx "
				    "ends above 4 GiB", addr_field, ULL(addr), len_field, ULL(len));
	return ZP_OK;
}

static int check_header(const struct zp_bundle_desc *d, struct zp_diag *diag)
{
	if (d->magic != ZP_BUNDLE_MAGIC)
		return zp_diag_fail(diag, ZP_EBUNDLE, "bundle descriptor is corrupt: magic 0x%x, "
				    "not 0x%x (\"ZBPD\")", d->magic, ZP_BUNDLE_MAGIC);
	if (d->size != sizeof(*d))
		return zp_diag_fail(diag, ZP_EBUNDLE, "bundle descriptor is corrupt: size %u, "
				    "not %u", d->size, (unsigned)sizeof(*d));
	if (d->version != ZP_BUNDLE_VERSION)
		return zp_diag_fail(diag, ZP_EBUNDLE, "bundle descriptor version %u: only "
				    "version %u is known", d->version, ZP_BUNDLE_VERSION);
	if (d->entry != 0 && d->entry != ZP_BUNDLE_ENTRY_64 && d->entry != ZP_BUNDLE_ENTRY_32 &&
	    d->entry != ZP_BUNDLE_ENTRY_VMLINUX)
		return zp_diag_fail(diag, ZP_EBUNDLE, "bundle descriptor: entry %u is none of "
				    "64, 32, 1 (vmlinux) and 0 (the bare shim)", d->entry);
	if (d->handoff > ZP_HANDOFF_SUBARCH)
		return zp_diag_fail(diag, ZP_EBUNDLE, "bundle descriptor: handoff %u (0x%x) is "
				    "neither 0 (native) nor 1 (subarch)", d->handoff, d->handoff);
	if (d->flags & ~ZP_BUNDLE_FLAGS_KNOWN)
		return zp_diag_fail(diag, ZP_EBUNDLE, "bundle descriptor: flags 0x%x has unknown "
				    "bits 0x%x", d->flags, d->flags & ~ZP_BUNDLE_FLAGS_KNOWN);
	return ZP_OK;
}

static int check_ranges(const struct zp_bundle_desc *d, struct zp_diag *diag)
{
	int r;

	if (d->cmdline_len >= GIB4 - 1)	/* before cmdline_len + 1 below can wrap */
		return zp_diag_fail(diag, ZP_EBUNDLE, "bundle descriptor: cmdline_len 0x%llx is "
				    "longer than 4 GiB", ULL(d->cmdline_len));
	r = check_range("image_paddr", d->image_paddr, "image_loaded", d->image_loaded, diag);
	if (!r)
		r = check_range("kernel_addr", d->kernel_addr, "kernel_span", d->kernel_span, diag);
	if (!r)
		r = check_range("initrd_paddr", d->initrd_paddr, "initrd_size", d->initrd_size, diag);
	if (!r)
		r = check_range("cmdline_paddr", d->cmdline_paddr, "cmdline_len + 1",
				d->cmdline_len + 1, diag);
	if (!r)
		r = check_range("relocs_paddr", d->relocs_paddr, "relocs_size", d->relocs_size, diag);
	return r;
}

static int check_vmlinux(const struct zp_bundle_desc *d, struct zp_diag *diag)
{
	if (d->relocs_size && d->entry != ZP_BUNDLE_ENTRY_VMLINUX)
		return zp_diag_fail(diag, ZP_EBUNDLE, "bundle descriptor: relocs_size 0x%llx on "
				    "entry %s: only the vmlinux entry carries a relocation table",
				    ULL(d->relocs_size), entry_name(d->entry));
	if (d->entry != ZP_BUNDLE_ENTRY_VMLINUX)
		return ZP_OK;
	if (d->vmlinux_entry < d->kernel_addr || d->vmlinux_entry - d->kernel_addr >= d->kernel_span)
		return zp_diag_fail(diag, ZP_EBUNDLE, "bundle descriptor: vmlinux_entry 0x%llx "
				    "lies outside the kernel 0x%llx+0x%llx", ULL(d->vmlinux_entry),
				    ULL(d->kernel_addr), ULL(d->kernel_span));
	/* 0: a bundle from before kernel_loaded, whose whole span is copied */
	if (d->kernel_loaded > d->kernel_span)
		return zp_diag_fail(diag, ZP_EBUNDLE, "bundle descriptor: kernel_loaded 0x%llx "
				    "exceeds kernel_span 0x%llx", ULL(d->kernel_loaded),
				    ULL(d->kernel_span));
	return ZP_OK;
}

int zp_bundle_desc_check(const struct zp_bundle_desc *d, struct zp_diag *diag)
{
	int r;

	zp_diag_clear(diag);
	r = check_header(d, diag);
	if (r || d->entry == 0)		/* the bare shim: nothing else is read */
		return r;
	r = check_ranges(d, diag);
	if (r)
		return r;
	if (d->image_loaded < SETUP_MIN)
		return zp_diag_fail(diag, ZP_EBUNDLE, "bundle descriptor: image_loaded 0x%llx is "
				    "less than a setup header's %u bytes", ULL(d->image_loaded),
				    SETUP_MIN);
	if (d->image_loaded > d->image_size)
		return zp_diag_fail(diag, ZP_EBUNDLE, "bundle descriptor: image_loaded 0x%llx "
				    "exceeds image_size 0x%llx", ULL(d->image_loaded),
				    ULL(d->image_size));
	if (d->entry != ZP_BUNDLE_ENTRY_VMLINUX && d->image_loaded != d->image_size)
		return zp_diag_fail(diag, ZP_EBUNDLE, "bundle descriptor: entry %s needs the whole "
				    "bzImage, but image_loaded is 0x%llx of image_size 0x%llx",
				    entry_name(d->entry), ULL(d->image_loaded), ULL(d->image_size));
	return check_vmlinux(d, diag);
}

int zp_bundle_desc_check_kernel(const struct zp_bundle_desc *d, const struct zp_bzimage *bz,
				struct zp_diag *diag)
{
	zp_diag_clear(diag);
	if (d->entry == ZP_BUNDLE_ENTRY_64 && !(bz->entries & ZP_ENTRY_LONG64))
		return zp_diag_fail(diag, ZP_EENTRY, "bundle descriptor: entry 64, but the kernel "
				    "has no XLF_KERNEL_64");
	if (d->entry == ZP_BUNDLE_ENTRY_32 && !(bz->entries & ZP_ENTRY_PROT32))
		return zp_diag_fail(diag, ZP_EENTRY, "bundle descriptor: entry 32, but the kernel "
				    "has no 32-bit entry");
	if (d->kernel_span < bz->room)	/* the probe's one rule: init_size or the code */
		return zp_diag_fail(diag, ZP_EBUNDLE, "bundle descriptor: kernel_span 0x%llx is "
				    "smaller than the kernel (0x%llx bytes, init_size 0x%x)",
				    ULL(d->kernel_span), ULL(bz->pm_size), bz->init_size);
	if (d->entry != ZP_BUNDLE_ENTRY_VMLINUX &&
	    d->kernel_addr != d->image_paddr + bz->setup_size)
		return zp_diag_fail(diag, ZP_EBUNDLE, "bundle descriptor: kernel_addr 0x%llx is "
				    "not image_paddr 0x%llx + the kernel's setup 0x%llx",
				    ULL(d->kernel_addr), ULL(d->image_paddr), ULL(bz->setup_size));
	return ZP_OK;
}

/* Why a kernel has no 32-bit entry: its header's own field. */
static int no_entry_32(const struct zp_bzimage *bz, const char *lead, struct zp_diag *diag)
{
	if (!(bz->hdr.loadflags & ZP_LOADED_HIGH))
		return zp_diag_fail(diag, ZP_EENTRY, "%sno 32-bit entry: loadflags 0x%x lacks "
				    "LOADED_HIGH (a zImage)", lead, bz->hdr.loadflags);
	return zp_diag_fail(diag, ZP_EENTRY, "%sno 32-bit entry: code32_start is 0; only its "
			    "16-bit setup starts it (boot --entry qemu-bios, GRUB's linux16)", lead);
}

int zp_bundle_choose_entry(const struct zp_bzimage *bz, uint32_t asked, uint32_t *entry,
			   bool *fell_back, struct zp_diag *diag)
{
	uint16_t xlf = bz && bz->protocol >= 0x20c ? bz->hdr.xloadflags : 0;

	zp_diag_clear(diag);
	if (!bz || !entry || !fell_back)
		return ZP_EINVAL;
	*fell_back = false;
	*entry = asked;
	if (asked == 0 && (bz->entries & ZP_ENTRY_LONG64)) {
		*entry = ZP_BUNDLE_ENTRY_64;
	} else if (asked == 0) {
		*entry = ZP_BUNDLE_ENTRY_32;
		*fell_back = true;
		if (!(bz->entries & ZP_ENTRY_PROT32))
			return no_entry_32(bz, "no 64-bit entry (no XLF_KERNEL_64) and ", diag);
		zp_diag_fail(diag, ZP_OK, "no 64-bit entry (xloadflags 0x%x lacks XLF_KERNEL_64, "
			     "protocol %u.%02u): the 32-bit entry", xlf, bz->protocol >> 8,
			     bz->protocol & 0xff);
		return ZP_OK;
	} else if (asked == ZP_BUNDLE_ENTRY_64 || asked == ZP_BUNDLE_ENTRY_VMLINUX) {
		if (!(bz->entries & ZP_ENTRY_LONG64))
			return zp_diag_fail(diag, ZP_EENTRY, "no XLF_KERNEL_64 in xloadflags (0x%x, "
					    "protocol %u.%02u)", xlf, bz->protocol >> 8,
					    bz->protocol & 0xff);
		if (asked == ZP_BUNDLE_ENTRY_VMLINUX && !bz->has_payload)
			return zp_diag_fail(diag, ZP_EENTRY, "no payload to extract (protocol "
					    "%u.%02u)", bz->protocol >> 8, bz->protocol & 0xff);
	} else if (asked == ZP_BUNDLE_ENTRY_32) {
		if (!(bz->entries & ZP_ENTRY_PROT32))
			return no_entry_32(bz, "", diag);
	} else {
		return ZP_EINVAL;
	}
	return ZP_OK;
}
