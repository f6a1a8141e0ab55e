/* SPDX-License-Identifier: MIT */
/*
 * linux_id.c - is this bzImage, or this ELF kernel, Linux?  The x86 boot
 * protocol is a format any program can use (memtest86+ and iPXE's .lkrn
 * do), and so is PVH's ELF (unikernels, test kernels); a loader boots
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
	return zp_linux_evidence_is_linux(zp_bzimage_linux_evidence(bz));
}

bool zp_linux_evidence_is_linux(enum zp_linux_evidence e)
{
	return e == ZP_LINUX_VERSION || e == ZP_LINUX_PAYLOAD || e == ZP_LINUX_GUEST_OS ||
	       e == ZP_LINUX_NOTE;
}

const char *zp_linux_evidence_name(enum zp_linux_evidence e)
{
	switch (e) {
	case ZP_LINUX_VERSION: return "version";
	case ZP_LINUX_PAYLOAD: return "payload";
	case ZP_NOT_LINUX_VERSION: return "version";
	case ZP_NOT_LINUX_NO_EVIDENCE: return "none";
	case ZP_LINUX_GUEST_OS: return "guest_os";
	case ZP_LINUX_NOTE: return "linux_note";
	case ZP_NOT_LINUX_GUEST_OS: return "guest_os";
	}
	return "none";
}

/* The GUEST_OS note's string: its desc without the NULs Xen's notes are
 * padded with, compared byte for byte (desc lies in the caller's buffer,
 * desc_len bytes of it, as zp_probe_elf checked). */
static bool guest_os_is(const struct zp_elf_note *n, const char *want)
{
	uint32_t len = n->desc_len, i;

	while (len > 0 && n->desc[len - 1] == '\0')
		len--;
	for (i = 0; i < len && want[i]; i++)
		if (n->desc[i] != (uint8_t)want[i])
			return false;
	return i == len && want[i] == '\0';
}

enum zp_linux_evidence zp_elf_linux_evidence(const struct zp_elf *elf)
{
	const struct zp_elf_note *os = zp_elf_find_note(elf, ZP_XEN_NOTE_NAME,
							ZP_XEN_ELFNOTE_GUEST_OS);

	/* the image names its system: Linux writes "linux" when it writes
	 * the note at all (CONFIG_XEN), so another name is not Linux */
	if (os)
		return guest_os_is(os, "linux") ? ZP_LINUX_GUEST_OS : ZP_NOT_LINUX_GUEST_OS;
	for (unsigned i = 0; elf && i < elf->nnotes; i++)
		if (zp_streq(elf->notes[i].name, ZP_LINUX_NOTE_NAME))
			return ZP_LINUX_NOTE;
	return ZP_NOT_LINUX_NO_EVIDENCE;
}

bool zp_elf_is_linux(const struct zp_elf *elf)
{
	return zp_linux_evidence_is_linux(zp_elf_linux_evidence(elf));
}
