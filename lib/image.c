/* SPDX-License-Identifier: MIT */
/* image.c - telling a bzImage from an ELF kernel from a UKI from anything else. */
#include <zeropage/zeropage.h>
#include "env.h"

static bool looks_like_elf(const uint8_t *p, size_t len)
{
	return len >= 4 && !zp_memcmp(p, "\x7f" "ELF", 4);
}

/* Enough of a boot sector to blame a failure on the bzImage rather than
 * call the file unknown. */
static bool has_boot_flag(const uint8_t *p, size_t len)
{
	return len >= 0x200 && zp_le16(p + 0x1fe) == ZP_BOOT_FLAG;
}

/* "MZ" and, where e_lfanew points, "PE\0\0": enough to blame a failure on
 * the PE/COFF image rather than call the file unknown. */
static bool has_pe_signature(const uint8_t *p, size_t len)
{
	uint32_t off;

	if (len < 0x40 || zp_le16(p) != ZP_MZ_MAGIC)
		return false;
	off = zp_le32(p + ZP_PE_LFANEW_OFFSET);
	return off <= len && len - off >= 4 && zp_le32(p + off) == ZP_PE_SIGNATURE;
}

enum zp_format zp_identify(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	struct zp_bzimage bz;
	int r;

	if (!buf)
		return ZP_FORMAT_UNKNOWN;
	if (looks_like_elf(p, len))
		return ZP_FORMAT_ELF;
	/* bzImage first: one with the EFI stub is a PE too */
	r = zp_probe_bzimage_header(buf, len, &bz);
	if (r == ZP_OK || (r != ZP_EBADMAGIC && has_boot_flag(p, len)))
		return ZP_FORMAT_BZIMAGE;
	if (has_pe_signature(p, len))
		return ZP_FORMAT_UKI;
	return ZP_FORMAT_UNKNOWN;
}

/* A UKI: the PE, its parts, and its .linux as the bzImage it must be. */
static int probe_uki(const uint8_t *p, size_t len, struct zp_image *out)
{
	int r = zp_probe_pe(p, len, &out->u.uki.pe, NULL);

	if (r == ZP_OK)
		r = zp_uki_parts(&out->u.uki.pe, &out->u.uki.parts, NULL);
	if (r == ZP_OK)
		r = zp_probe_bzimage(out->u.uki.parts.kernel.data, out->u.uki.parts.kernel.size,
				     &out->u.uki.bz);
	if (r == ZP_OK)
		out->format = ZP_FORMAT_UKI;
	return r;
}

int zp_probe(const void *buf, size_t len, struct zp_image *out)
{
	int r;

	if (!buf || !out)
		return ZP_EINVAL;
	zp_memset(out, 0, sizeof(*out));
	switch (zp_identify(buf, len)) {
	case ZP_FORMAT_ELF:
		r = zp_probe_elf(buf, len, &out->u.elf);
		if (r == ZP_OK)
			out->format = ZP_FORMAT_ELF;
		return r;
	case ZP_FORMAT_BZIMAGE:
		r = zp_probe_bzimage(buf, len, &out->u.bz);
		if (r == ZP_OK)
			out->format = ZP_FORMAT_BZIMAGE;
		return r;
	case ZP_FORMAT_UKI:
		return probe_uki(buf, len, out);
	case ZP_FORMAT_UNKNOWN:
		break;
	}
	return ZP_EUNKNOWN;
}

const char *zp_entry_name(enum zp_entry e)
{
	switch (e) {
	case ZP_ENTRY_REAL16: return "real16";
	case ZP_ENTRY_PROT32: return "prot32";
	case ZP_ENTRY_LONG64: return "long64";
	case ZP_ENTRY_EFI32: return "efi32";
	case ZP_ENTRY_EFI64: return "efi64";
	case ZP_ENTRY_PVH: return "pvh";
	}
	return "unknown";
}
