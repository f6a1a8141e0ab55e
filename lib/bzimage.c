/* SPDX-License-Identifier: MIT */
/*
 * bzimage.c - decoding the setup header of a Linux/x86 bzImage
 * (Documentation/arch/x86/boot.rst).
 *
 * Every field the header grew after 2.00 is read only when the image's
 * protocol version has it; for older images the protocol's documented
 * default stands in, so callers never need to know which version added what.
 */
#include <zeropage/zeropage.h>
#include "env.h"

#define HDR_FILE_OFFSET		ZP_SETUP_HEADER_OFFSET	/* 0x1f1 */
#define HDR_MIN_END		0x208	/* through `version`: what magic checks need */
#define VERSION_STRING_BASE	0x200	/* kernel_version is relative to this */

/* The header's length, from the short jump at 0x200 that skips it. */
static size_t header_length(const uint8_t *img)
{
	size_t end = 0x202 + (size_t)img[0x201];
	size_t len = end - HDR_FILE_OFFSET;

	if (len > sizeof(struct zp_setup_header))
		len = sizeof(struct zp_setup_header);
	if (len < HDR_MIN_END - HDR_FILE_OFFSET)	/* a jump that lies: keep what we checked */
		len = HDR_MIN_END - HDR_FILE_OFFSET;
	return len;
}

static int check_magic_and_size(const uint8_t *img, size_t len, struct zp_bzimage *out)
{
	unsigned sects;

	if (len < HDR_MIN_END)
		return ZP_ETRUNCATED;
	if (zp_le16(img + 0x1fe) != ZP_BOOT_FLAG || zp_le32(img + 0x202) != ZP_HDRS_MAGIC)
		return ZP_EBADMAGIC;
	out->protocol = zp_le16(img + 0x206);
	if (out->protocol < 0x200)
		return ZP_EPROTOCOL;
	sects = img[HDR_FILE_OFFSET];
	out->setup_sects = sects ? sects : ZP_DEFAULT_SETUP_SECTS;
	out->setup_size = (out->setup_sects + 1) * (size_t)ZP_SECTOR_SIZE;
	if (out->setup_size > len)
		return ZP_ESETUP;
	out->pm_offset = out->setup_size;
	out->pm_size = len - out->setup_size;
	return ZP_OK;
}

/* Protocol defaults for fields an older header does not carry. */
static void decode_limits(struct zp_bzimage *bz)
{
	const struct zp_setup_header *h = &bz->hdr;
	uint16_t v = bz->protocol;

	if (v >= 0x20a)
		bz->pref_address = h->pref_address;
	else	/* a zImage (not LOADED_HIGH) is loaded at 64 KiB */
		bz->pref_address = (h->loadflags & ZP_LOADED_HIGH) ? 0x100000 : 0x10000;
	bz->cmdline_size = v >= 0x206 ? h->cmdline_size : 255;
	bz->initrd_addr_max = v >= 0x203 ? h->initrd_addr_max : 0x37ffffff;
	bz->relocatable = v >= 0x205 && h->relocatable_kernel;
	bz->kernel_alignment = v >= 0x205 ? h->kernel_alignment : 0;
	bz->init_size = v >= 0x20a ? h->init_size : 0;
}

/* The rules a loader places the kernel by, derived once from the limits
 * (boot.rst), so that the layout check, the shim and the bundle writer
 * cannot each read the header their own way. */
static void decode_placement(struct zp_bzimage *bz)
{
	const struct zp_setup_header *h = &bz->hdr;
	uint64_t ka = bz->kernel_alignment;

	/* init_size counts from where the kernel runs; a header that claims
	 * less than the code it carries still needs the code's bytes. */
	bz->room = bz->init_size > bz->pm_size ? bz->init_size : bz->pm_size;
	/* kernel_alignment is the unit the kernel prefers (2.10+: "for
	 * optimal performance"); without one, x86-64's default
	 * CONFIG_PHYSICAL_ALIGN.  Not a power of two: no address satisfies it. */
	bz->load_align = ka == 0 ? 0x200000 : (ka & (ka - 1)) ? 0 : ka;
	/* min_alignment (2.10+) is what a relocatable kernel requires,
	 * "as opposed to preferred". */
	bz->min_align = ka;
	if (bz->relocatable && bz->protocol >= 0x20a && h->min_alignment && h->min_alignment < 64)
		bz->min_align = 1ull << h->min_alignment;
	bz->above_4g = bz->protocol >= 0x20c && (h->xloadflags & ZP_XLF_CAN_BE_LOADED_ABOVE_4G);
	bz->initrd_max = bz->above_4g ? UINT64_MAX : bz->initrd_addr_max;
}

static uint32_t decode_entries(const struct zp_bzimage *bz)
{
	const struct zp_setup_header *h = &bz->hdr;
	uint16_t xlf = bz->protocol >= 0x20c ? h->xloadflags : 0;
	bool handover = bz->protocol >= 0x20b && h->handover_offset != 0;
	uint32_t e = ZP_ENTRY_REAL16;

	/* code32_start is "the address to jump to in protected mode"
	 * (boot.rst); 0 says the protected-mode part is not code to enter:
	 * iPXE's .lkrn (lkrnprefix.S) leaves it 0, its 16-bit setup code
	 * unpacks and runs it through BIOS calls. */
	if ((h->loadflags & ZP_LOADED_HIGH) && h->code32_start != 0)
		e |= ZP_ENTRY_PROT32;
	if (xlf & ZP_XLF_KERNEL_64)
		e |= ZP_ENTRY_LONG64;
	if (handover && (xlf & ZP_XLF_EFI_HANDOVER_32))
		e |= ZP_ENTRY_EFI32;
	if (handover && (xlf & ZP_XLF_EFI_HANDOVER_64))
		e |= ZP_ENTRY_EFI64;
	return e;
}

/* The EFI stub's PE/COFF header: "MZ" at 0, and at the offset stored at
 * 0x3c, "PE\0\0", inside the setup part a firmware loads with the image.
 * A UEFI firmware can only LoadImage a kernel that has it. */
static bool has_pe_header(const struct zp_bzimage *bz)
{
	const uint8_t *p = bz->image;
	uint32_t off;

	if (bz->image_len < 0x40 || p[0] != 'M' || p[1] != 'Z')
		return false;
	off = (uint32_t)p[0x3c] | (uint32_t)p[0x3d] << 8 | (uint32_t)p[0x3e] << 16 |
	      (uint32_t)p[0x3f] << 24;
	return off <= bz->setup_size - 4 && off <= bz->image_len - 4 &&
	       p[off] == 'P' && p[off + 1] == 'E' && p[off + 2] == 0 && p[off + 3] == 0;
}

/* The payload (2.08+) is at payload_offset from the protected-mode code.
 * The fields are 32-bit, and so is the kernel's own arithmetic on them. */
static int decode_payload(struct zp_bzimage *bz)
{
	const struct zp_setup_header *h = &bz->hdr;
	uint32_t end32;
	size_t start, end;

	if (bz->protocol < 0x208 || h->payload_length == 0)
		return ZP_OK;
	if (zp_add_overflows_u32(h->payload_offset, h->payload_length, &end32))
		return ZP_EOVERFLOW;
	if (zp_add_overflows_size(bz->setup_size, h->payload_offset, &start) ||
	    zp_add_overflows_size(start, h->payload_length, &end))
		return ZP_EOVERFLOW;
	if (end > bz->image_len)
		return ZP_EPAYLOAD;
	bz->has_payload = true;
	bz->payload_offset = start;
	bz->payload_size = h->payload_length;
	bz->compression = zp_detect_compression(bz->image + start, h->payload_length);
	return ZP_OK;
}

/* kernel_info (2.15+), also relative to the protected-mode code. */
static int decode_kernel_info(struct zp_bzimage *bz)
{
	uint32_t off = bz->hdr.kernel_info_offset;
	size_t start, end;
	struct zp_kernel_info *ki = &bz->kernel_info;

	if (bz->protocol < 0x20f || off == 0)
		return ZP_OK;
	if (zp_add_overflows_size(bz->setup_size, off, &start))
		return ZP_EOVERFLOW;
	if (zp_add_overflows_size(start, sizeof(*ki), &end) || end > bz->image_len)
		return ZP_EKINFO;
	zp_memcpy(ki, bz->image + start, sizeof(*ki));
	if (ki->header != ZP_KERNEL_INFO_MAGIC || ki->size < sizeof(*ki) ||
	    ki->size_total < ki->size)
		return ZP_EKINFO;
	if (zp_add_overflows_size(start, ki->size_total, &end) || end > bz->image_len)
		return ZP_EKINFO;
	bz->has_kernel_info = true;
	return ZP_OK;
}

/* A bad kernel_version pointer costs the string, not the image: the
 * string is informational and the kernel boots without it. */
static void decode_version(struct zp_bzimage *bz)
{
	size_t off = (size_t)bz->hdr.kernel_version + VERSION_STRING_BASE;
	size_t n = 0;

	bz->version[0] = '\0';
	if (bz->hdr.kernel_version == 0 || off >= bz->setup_size)
		return;
	while (n < sizeof(bz->version) - 1 && off + n < bz->setup_size) {
		uint8_t c = bz->image[off + n];
		if (c < 0x20 || c > 0x7e)
			break;
		bz->version[n++] = (char)c;
	}
	bz->version[n] = '\0';
}

/* Everything that lives in the setup part: magic, header, limits, entries,
 * version.  The payload and kernel_info are in the protected-mode code. */
int zp_probe_bzimage_header(const void *buf, size_t len, struct zp_bzimage *out)
{
	const uint8_t *img = buf;
	int r;

	if (!buf || !out)
		return ZP_EINVAL;
	zp_memset(out, 0, sizeof(*out));
	out->image = img;
	out->image_len = len;
	r = check_magic_and_size(img, len, out);
	if (r)
		return r;
	out->hdr_len = header_length(img);
	zp_memcpy(&out->hdr, img + HDR_FILE_OFFSET, out->hdr_len);
	decode_limits(out);
	decode_placement(out);
	out->entries = decode_entries(out);
	out->has_pe_header = has_pe_header(out);
	decode_version(out);
	return ZP_OK;
}

int zp_probe_bzimage(const void *buf, size_t len, struct zp_bzimage *out)
{
	int r = zp_probe_bzimage_header(buf, len, out);

	if (r)
		return r;
	r = decode_payload(out);
	if (r)
		return r;
	return decode_kernel_info(out);
}
