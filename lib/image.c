/* SPDX-License-Identifier: MIT */
/* image.c - telling a bzImage from an ELF kernel from anything else. */
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

int zp_probe(const void *buf, size_t len, struct zp_image *out)
{
	const uint8_t *p = buf;
	int r;

	if (!buf || !out)
		return ZP_EINVAL;
	zp_memset(out, 0, sizeof(*out));
	if (!looks_like_elf(p, len)) {
		r = zp_probe_bzimage(buf, len, &out->u.bz);
		if (r == ZP_OK)
			out->format = ZP_FORMAT_BZIMAGE;
		if (r == ZP_OK || (r != ZP_EBADMAGIC && has_boot_flag(p, len)))
			return r;
		return ZP_EUNKNOWN;
	}
	r = zp_probe_elf(buf, len, &out->u.elf);
	if (r == ZP_OK)
		out->format = ZP_FORMAT_ELF;
	return r;
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
