/* SPDX-License-Identifier: MIT */
/*
 * boot_entry.h - which of the kernel's entry points a boot went through,
 * and the evidence for it in what the guest reported (the zero page it
 * kept, /sys/firmware/efi, the EFI stub's console lines).
 *
 * The names (doc/matrix-and-paths.md, "Entry points"):
 *   efi-pe            the EFI stub's PE entry (efi_pe_entry), started by
 *                     x64 firmware's LoadImage/StartImage
 *   efi-pe-mixed      the PE entry of the .compat section, from 32-bit firmware
 *   efi-handover-64   handover_offset + 0x200 from 64-bit firmware
 *   efi-handover-32   handover_offset from 32-bit firmware (mixed mode)
 *   boot-protocol-64  the bzImage's 64-bit entry (startup_64, +0x200)
 *   boot-protocol-32  the bzImage's 32-bit entry (startup_32, code32_start)
 *   real-mode-16      the real-mode setup code (setup segment + 0x200)
 *   vmlinux-64        the decompressed vmlinux's startup_64 with a zero page
 *   pvh               the Xen PVH entry (XEN_ELFNOTE_PHYS32_ENTRY)
 *   xen-pv            the Xen PV entry (XEN_ELFNOTE_ENTRY)
 *   unknown           the evidence does not settle it (boot_entry_decide's why)
 *   none              the kernel was not started (skipped, n/a, error)
 */
#ifndef ZEROPAGE_TOOLS_BOOT_ENTRY_H
#define ZEROPAGE_TOOLS_BOOT_ENTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum boot_entry {
	BOOT_ENTRY_NONE,	/* not started; in a path's definition: the loader chooses */
	BOOT_ENTRY_UNKNOWN,
	BOOT_ENTRY_EFI_PE,
	BOOT_ENTRY_EFI_PE_MIXED,
	BOOT_ENTRY_EFI_HANDOVER_64,
	BOOT_ENTRY_EFI_HANDOVER_32,
	BOOT_ENTRY_BOOT_PROTOCOL_64,
	BOOT_ENTRY_BOOT_PROTOCOL_32,
	BOOT_ENTRY_REAL_MODE_16,
	BOOT_ENTRY_VMLINUX_64,
	BOOT_ENTRY_PVH,
	BOOT_ENTRY_XEN_PV,
	BOOT_ENTRY_COUNT
};

const char *boot_entry_name(enum boot_entry e);
/* The entry of a name (as boot_entry_name gives): 0, or -1. */
int boot_entry_parse(const char *name, enum boot_entry *e);

/* What the guest showed. */
struct boot_entry_evidence {
	const uint8_t *zero_page;	/* the 4096 bytes the probe read */
	bool efi;			/* /sys/firmware/efi was there */
	bool stub_lines;		/* the console has the EFI stub's "EFI stub: " lines */
	bool bios_disks;		/* BIOS disks were attached (EDD would find them) */
};

/* The entries the evidence allows, as a mask of 1u << entry, and why
 * (one sentence naming the facts). */
unsigned boot_entry_possible(const struct boot_entry_evidence *ev, char *why, size_t cap);

/* The row's entry: the path's declared one (NONE: the loader chooses)
 * checked against the evidence.  Returns the entry (UNKNOWN when the
 * evidence leaves more than one and nothing was declared), with why in
 * `why`; *contradicts is set when the evidence excludes the declared entry. */
enum boot_entry boot_entry_decide(enum boot_entry declared, const struct boot_entry_evidence *ev,
				  bool *contradicts, char *why, size_t cap);

/* Whether the console shows the EFI stub's own lines ("EFI stub: ") before
 * the kernel's banner. */
bool boot_entry_stub_lines(const char *console, size_t len);

#endif
