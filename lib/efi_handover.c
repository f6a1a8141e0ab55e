/* SPDX-License-Identifier: MIT */
/*
 * efi_handover.c - deciding whether, and how, an EFI application enters a
 * bzImage by the EFI handover protocol.  The facts are from Linux
 * Documentation/arch/x86/boot.rst, "EFI Handover Protocol (deprecated)":
 *
 *   "The boot loader is required to load the kernel/initrd(s) from the
 *    boot media and jump to the EFI handover protocol entry point which is
 *    hdr->handover_offset bytes from the beginning of startup_{32,64}."
 *
 * startup_32 is the first byte of the protected-mode code; startup_64 is
 * 0x200 after it (boot.rst, "64-bit BOOT PROTOCOL": "the entry point ... is
 * the loaded kernel's address plus 0x200").  The field exists from
 * protocol 2.11 (boot.rst's field table: handover_offset, 2.11+), and which
 * widths have an entry is said by xloadflags (2.12+): XLF_EFI_HANDOVER_32
 * and XLF_EFI_HANDOVER_64.
 */
#include <zeropage/zeropage.h>
#include "diag.h"
#include "env.h"

#define STARTUP_64_OFFSET	0x200
#define BELOW_4G		0xffffffffull

static int refuse_width(const struct zp_bzimage *bz, unsigned bits, struct zp_diag *diag)
{
	uint16_t xlf = bz->hdr.xloadflags;
	uint16_t want = bits == 64 ? ZP_XLF_EFI_HANDOVER_64 : ZP_XLF_EFI_HANDOVER_32;

	if (bz->protocol < 0x20c)
		return zp_diag_fail(diag, ZP_EENTRY, "protocol %u.%02u has no xloadflags to say "
				    "the handover entry's width (2.12+)",
				    bz->protocol >> 8, bz->protocol & 0xff);
	if (!(xlf & want))
		return zp_diag_fail(diag, ZP_EENTRY, "xloadflags 0x%x lack XLF_EFI_HANDOVER_%u: "
				    "no handover entry for %u-bit firmware", xlf, bits, bits);
	return ZP_OK;
}

int zp_efi_handover_plan(const struct zp_bzimage *bz, unsigned firmware_bits,
			 struct zp_handover_plan *out, struct zp_diag *diag)
{
	uint32_t offset;
	int r;

	zp_diag_clear(diag);
	if (!bz || !out || (firmware_bits != 32 && firmware_bits != 64))
		return zp_diag_fail(diag, ZP_EINVAL, "no image or plan, or firmware of %u bits",
				    firmware_bits);
	zp_memset(out, 0, sizeof(*out));
	if (bz->protocol < 0x20b)
		return zp_diag_fail(diag, ZP_EENTRY, "protocol %u.%02u has no handover_offset "
				    "(2.11+)", bz->protocol >> 8, bz->protocol & 0xff);
	offset = bz->hdr.handover_offset;
	if (offset == 0)
		return zp_diag_fail(diag, ZP_EENTRY, "handover_offset is 0: the kernel has no EFI "
				    "handover entry (CONFIG_EFI_HANDOVER_PROTOCOL off, or no "
				    "EFI stub)");
	r = refuse_width(bz, firmware_bits, diag);
	if (r)
		return r;
	out->entry_offset = offset + (firmware_bits == 64 ? STARTUP_64_OFFSET : 0);
	if (out->entry_offset >= bz->pm_size)
		return zp_diag_fail(diag, ZP_EENTRY, "handover entry 0x%llx lies past the "
				    "protected-mode code (0x%zx bytes)",
				    (unsigned long long)out->entry_offset, bz->pm_size);
	out->room = bz->room;
	out->align = bz->load_align;
	out->pref_address = bz->pref_address;
	/* The handover hands over 32-bit ramdisk_image/cmd_line_ptr as
	 * every loader may fill them (ext_* only with above_4g), and a 32-bit
	 * firmware has nothing higher: below 4 GiB either way. */
	out->initrd_max = bz->initrd_max < BELOW_4G ? bz->initrd_max : BELOW_4G;
	out->cmdline_max = bz->cmdline_size;
	return ZP_OK;
}
