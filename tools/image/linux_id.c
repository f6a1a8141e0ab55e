/* SPDX-License-Identifier: MIT */
/* linux_id.c - see linux_id.h. */
#include <stdio.h>
#include <string.h>

#include "image/linux_id.h"

void linux_id_describe(const struct zp_bzimage *bz, char *out, size_t cap)
{
	switch (zp_bzimage_linux_evidence(bz)) {
	case ZP_LINUX_VERSION:
		snprintf(out, cap, "Linux: its version string has Linux's form "
			 "(RELEASE (USER@HOST) VERSION)");
		break;
	case ZP_LINUX_PAYLOAD:
		snprintf(out, cap, "Linux: no version string, but its payload is a %s "
			 "stream, as Linux's compressed vmlinux", zp_compression_name(bz->compression));
		break;
	case ZP_NOT_LINUX_VERSION:
		snprintf(out, cap, "not Linux: its version string is '%.100s'", bz->version);
		break;
	case ZP_NOT_LINUX_NO_EVIDENCE:
		snprintf(out, cap, "not Linux: no version string and no compressed payload");
		break;
	default:	/* the ELF's evidence: never a bzImage's */
		snprintf(out, cap, "not Linux: no evidence");
		break;
	}
}

/* The GUEST_OS note's string as printable ASCII: its bytes are the file's,
 * anything else becomes '?' (at most 60 of them, NULs padding it dropped). */
static void guest_os_text(const struct zp_elf_note *n, char *out, size_t cap)
{
	uint32_t len = n->desc_len;
	size_t k = 0;

	while (len > 0 && n->desc[len - 1] == '\0')
		len--;
	for (uint32_t i = 0; i < len && i < 60 && k + 1 < cap; i++)
		out[k++] = n->desc[i] >= 0x20 && n->desc[i] < 0x7f ? (char)n->desc[i] : '?';
	out[k] = '\0';
}

/* The "Linux" notes' types, by name where Linux's headers give one:
 * "BUILD_SALT, LTO_INFO" (a vmlinux has each once). */
static void linux_notes_text(const struct zp_elf *elf, char *out, size_t cap)
{
	size_t k = 0;

	out[0] = '\0';
	for (unsigned i = 0; i < elf->nnotes && k + 1 < cap; i++) {
		uint32_t t = elf->notes[i].type;

		if (strcmp(elf->notes[i].name, ZP_LINUX_NOTE_NAME))
			continue;
		if (t == ZP_LINUX_ELFNOTE_BUILD_SALT)
			snprintf(out + k, cap - k, "%sBUILD_SALT", k ? ", " : "");
		else if (t == ZP_LINUX_ELFNOTE_LTO_INFO)
			snprintf(out + k, cap - k, "%sLTO_INFO", k ? ", " : "");
		else
			snprintf(out + k, cap - k, "%stype 0x%x", k ? ", " : "", t);
		k = strlen(out);
	}
}

void linux_id_describe_elf(const struct zp_elf *elf, char *out, size_t cap)
{
	const struct zp_elf_note *os = zp_elf_find_note(elf, ZP_XEN_NOTE_NAME,
							ZP_XEN_ELFNOTE_GUEST_OS);
	char what[80];

	switch (zp_elf_linux_evidence(elf)) {
	case ZP_LINUX_GUEST_OS:
		snprintf(out, cap, "Linux: its Xen GUEST_OS note says \"linux\"");
		break;
	case ZP_LINUX_NOTE:
		linux_notes_text(elf, what, sizeof(what));
		snprintf(out, cap, "Linux: its \"Linux\" notes (%s), as every vmlinux since "
			 "4.18 has; no Xen GUEST_OS note", what);
		break;
	case ZP_NOT_LINUX_GUEST_OS:
		guest_os_text(os, what, sizeof(what));
		snprintf(out, cap, "not Linux: its Xen GUEST_OS note says '%s'", what);
		break;
	default:
		snprintf(out, cap, "not Linux: no Xen GUEST_OS \"linux\" note and no "
			 "\"Linux\" note");
		break;
	}
}
