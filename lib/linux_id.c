/* SPDX-License-Identifier: MIT */
/*
 * linux_id.c - is this bzImage Linux?  The x86 boot protocol is a format
 * any program can use (memtest86+ and iPXE's .lkrn do); a loader boots
 * them alike, but what only Linux does (its decompressor's KASLR, a
 * vmlinux in the payload, an init that reports) must not be claimed for
 * them.  The evidence is in the image (zeropage.h, enum zp_linux_evidence).
 */
#include <zeropage/zeropage.h>
#include "env.h"

/* The form arch/x86/boot/version.c gives kernel_version:
 *   UTS_RELEASE " (" LINUX_COMPILE_BY "@" LINUX_COMPILE_HOST ") " UTS_VERSION
 * A release without spaces, " (", user@host, ") ", a version.  With
 * `maybe_cut` the string may end anywhere after the '@' (our copy of it
 * is bounded, and user and host are up to 64 bytes each). */
static bool linux_form(const char *s, bool maybe_cut)
{
	size_t i = 0;
	bool at = false;

	while (s[i] && s[i] != ' ')
		i++;
	if (i == 0 || s[i] != ' ' || s[i + 1] != '(')
		return false;
	for (i += 2; s[i]; i++) {
		if (s[i] == '@' && !at && s[i - 1] != '(')
			at = true;
		else if (at && s[i] == ')' && s[i - 1] != '@' && s[i + 1] == ' ')
			return s[i + 2] != '\0';
	}
	return maybe_cut && at;
}

bool zp_is_linux_version_string(const char *s)
{
	return s && linux_form(s, false);
}

enum zp_linux_evidence zp_bzimage_linux_evidence(const struct zp_bzimage *bz)
{
	size_t n = 0;

	while (n < sizeof(bz->version) && bz->version[n])
		n++;
	if (n > 0)
		return linux_form(bz->version, n == sizeof(bz->version) - 1) ?
		       ZP_LINUX_VERSION : ZP_NOT_LINUX_VERSION;
	/* Linux's payload (2.08+) is its vmlinux, compressed or not
	 * (CONFIG_KERNEL_UNCOMPRESSED): NONE here means an ELF. */
	if (bz->has_payload && bz->compression != ZP_COMP_UNKNOWN)
		return ZP_LINUX_PAYLOAD;
	return ZP_NOT_LINUX_NO_EVIDENCE;
}

bool zp_bzimage_is_linux(const struct zp_bzimage *bz)
{
	enum zp_linux_evidence e = zp_bzimage_linux_evidence(bz);

	return e == ZP_LINUX_VERSION || e == ZP_LINUX_PAYLOAD;
}

const char *zp_linux_evidence_name(enum zp_linux_evidence e)
{
	switch (e) {
	case ZP_LINUX_VERSION: return "version";
	case ZP_LINUX_PAYLOAD: return "payload";
	case ZP_NOT_LINUX_VERSION: return "version";
	case ZP_NOT_LINUX_NO_EVIDENCE: return "none";
	}
	return "none";
}
