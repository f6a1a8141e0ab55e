/* SPDX-License-Identifier: MIT */
/*
 * boot_entry.c - which entry a kernel was started through, from what it
 * kept.  See boot_entry.h for the names.  The facts the rules rest on (the
 * kernel's own code, Linux 6.1 to 7.x):
 *
 *  - type_of_loader 0x21 is written only by the EFI stub's PE entry
 *    (efi_pe_entry in drivers/firmware/efi/libstub/x86-stub.c), which
 *    builds its own zero page; the handover entries keep the loader's
 *    zero page and so its type_of_loader.
 *  - efi_info's efi_loader_signature "EL64"/"EL32" says the firmware's
 *    bitness; the stub writes it, and so may a loader that fills efi_info
 *    itself (GRUB's own Linux loader on UEFI does).
 *  - startup_32 (arch/x86/boot/compressed/head_64.S) uses the zero page's
 *    `scratch` field as a one-word stack to find where it runs (call/pop),
 *    leaving its own address + 0xd there.  So scratch != 0 means the
 *    kernel passed startup_32: the 32-bit boot protocol, the real-mode
 *    setup code (which jumps to code32_start), or, in kernels before the
 *    stub's mixed mode moved to efi_mixed.S, the mixed-mode handover.
 *    The 64-bit entries (startup_64, efi64_stub_entry, the PE entry on
 *    x64) never write it.  Measured under QEMU: qemu-bios 0x10000d,
 *    grub-bios 0x100000d, grub-efi 0x4a0000d; ovmf, systemd-boot, the PVH
 *    entry and Debian 6.1's mixed-mode handover (ovmf-ia32) 0.
 *  - only the real-mode setup code asks the BIOS for EDD (query_edd in
 *    arch/x86/boot/edd.c, built with CONFIG_EDD, which distributions set):
 *    with disks attached, a real-mode entry leaves eddbuf_entries or
 *    edd_mbr_sig_buf_entries nonzero, the 32-bit entry leaves them as the
 *    loader did (0: no loader we know fills them).
 *  - the stub prints "EFI stub: " lines (as its initrd loading) only when
 *    it runs: they exclude the entries that bypass it.
 */
#include <stdio.h>
#include <string.h>

#include "report/boot_entry.h"
#include "report/zero_page.h"

#define BIT(e)	(1u << (e))
#define STUB_ENTRIES	(BIT(BOOT_ENTRY_EFI_PE) | BIT(BOOT_ENTRY_EFI_PE_MIXED) | \
			 BIT(BOOT_ENTRY_EFI_HANDOVER_64) | BIT(BOOT_ENTRY_EFI_HANDOVER_32))

static const char *const names[BOOT_ENTRY_COUNT] = {
	[BOOT_ENTRY_NONE] = "none",
	[BOOT_ENTRY_UNKNOWN] = "unknown",
	[BOOT_ENTRY_EFI_PE] = "efi-pe",
	[BOOT_ENTRY_EFI_PE_MIXED] = "efi-pe-mixed",
	[BOOT_ENTRY_EFI_HANDOVER_64] = "efi-handover-64",
	[BOOT_ENTRY_EFI_HANDOVER_32] = "efi-handover-32",
	[BOOT_ENTRY_BOOT_PROTOCOL_64] = "boot-protocol-64",
	[BOOT_ENTRY_BOOT_PROTOCOL_32] = "boot-protocol-32",
	[BOOT_ENTRY_REAL_MODE_16] = "real-mode-16",
	[BOOT_ENTRY_VMLINUX_64] = "vmlinux-64",
	[BOOT_ENTRY_PVH] = "pvh",
	[BOOT_ENTRY_XEN_PV] = "xen-pv",
};

const char *boot_entry_name(enum boot_entry e)
{
	return (unsigned)e < BOOT_ENTRY_COUNT ? names[e] : "?";
}

int boot_entry_parse(const char *name, enum boot_entry *e)
{
	for (unsigned i = 0; i < BOOT_ENTRY_COUNT; i++)
		if (!strcmp(name, names[i])) {
			*e = (enum boot_entry)i;
			return 0;
		}
	return -1;
}

bool boot_entry_stub_lines(const char *console, size_t len)
{
	const char *banner = console ? memmem(console, len, "Linux version ", 14) : NULL;

	if (!console)
		return false;
	return memmem(console, banner ? (size_t)(banner - console) : len, "EFI stub: ", 10) != NULL;
}

/* A zero page with an EFI loader signature. */
static unsigned efi_possible(const uint8_t *bp, bool el32, char *why, size_t cap)
{
	unsigned tol = (unsigned)zero_page_get(bp, "type_of_loader");
	uint64_t scratch = zero_page_get(bp, "scratch");
	const char *sig = el32 ? "EL32" : "EL64";

	if (tol == 0x21) {
		snprintf(why, cap, "type_of_loader 0x21 (only the EFI stub's PE entry writes it) and %s",
			 sig);
		return BIT(el32 ? BOOT_ENTRY_EFI_PE_MIXED : BOOT_ENTRY_EFI_PE);
	}
	if (el32) {
		/* the mixed-mode handover passes startup_32 in older kernels
		 * (efi32_stub_entry jumped there), not in newer ones (efi_mixed.S
		 * enters long mode itself): scratch does not tell it from a
		 * loader's own entry, the stub's lines do */
		snprintf(why, cap, "%s, the loader's type_of_loader 0x%02x, startup_32 %s (scratch "
			 "0x%llx)", sig, tol, scratch ? "ran" : "did not run",
			 (unsigned long long)scratch);
		return BIT(BOOT_ENTRY_EFI_HANDOVER_32) |
		       BIT(scratch ? BOOT_ENTRY_BOOT_PROTOCOL_32 : BOOT_ENTRY_BOOT_PROTOCOL_64);
	}
	if (scratch) {
		snprintf(why, cap, "%s, the loader's type_of_loader 0x%02x, startup_32 ran (scratch "
			 "0x%llx), which no 64-bit EFI entry passes: the loader filled efi_info and "
			 "entered the 32-bit boot protocol", sig, tol, (unsigned long long)scratch);
		return BIT(BOOT_ENTRY_BOOT_PROTOCOL_32);
	}
	snprintf(why, cap, "%s, the loader's type_of_loader 0x%02x, startup_32 did not run (scratch 0)",
		 sig, tol);
	return BIT(BOOT_ENTRY_EFI_HANDOVER_64) | BIT(BOOT_ENTRY_BOOT_PROTOCOL_64);
}

/* A zero page without one. */
static unsigned bios_possible(const struct boot_entry_evidence *ev, char *why, size_t cap)
{
	const uint8_t *bp = ev->zero_page;
	uint64_t scratch = zero_page_get(bp, "scratch");
	unsigned edd = (unsigned)(zero_page_get(bp, "eddbuf_entries") +
				  zero_page_get(bp, "edd_mbr_sig_buf_entries"));

	if (!scratch) {
		snprintf(why, cap, "no EFI loader signature, startup_32 did not run (scratch 0): a "
			 "64-bit entry");
		return BIT(BOOT_ENTRY_BOOT_PROTOCOL_64) | BIT(BOOT_ENTRY_VMLINUX_64) |
		       BIT(BOOT_ENTRY_PVH) | BIT(BOOT_ENTRY_XEN_PV);
	}
	if (edd) {
		snprintf(why, cap, "no EFI loader signature, startup_32 ran (scratch 0x%llx), EDD "
			 "entries the real-mode setup code asked the BIOS for", (unsigned long long)scratch);
		return BIT(BOOT_ENTRY_REAL_MODE_16);
	}
	if (ev->bios_disks) {
		snprintf(why, cap, "no EFI loader signature, startup_32 ran (scratch 0x%llx), no EDD "
			 "entries though disks were attached: the setup code did not run",
			 (unsigned long long)scratch);
		return BIT(BOOT_ENTRY_BOOT_PROTOCOL_32);
	}
	snprintf(why, cap, "no EFI loader signature, startup_32 ran (scratch 0x%llx), no disks for "
		 "EDD to tell the setup code's run", (unsigned long long)scratch);
	return BIT(BOOT_ENTRY_REAL_MODE_16) | BIT(BOOT_ENTRY_BOOT_PROTOCOL_32);
}

unsigned boot_entry_possible(const struct boot_entry_evidence *ev, char *why, size_t cap)
{
	char sig[5];
	unsigned m;

	zero_page_efi_signature(ev->zero_page, sig);
	if (!strcmp(sig, "EL64") || !strcmp(sig, "EL32"))
		m = efi_possible(ev->zero_page, !strcmp(sig, "EL32"), why, cap);
	else if (ev->efi) {
		snprintf(why, cap, "the kernel ran on EFI, but efi_info has no loader signature ('%s')",
			 sig);
		return 0;
	} else
		m = bios_possible(ev, why, cap);
	if (ev->stub_lines) {
		size_t n = strlen(why);
		if (!(m & STUB_ENTRIES)) {
			snprintf(why + n, cap - n, "; yet the EFI stub printed lines");
			return 0;
		}
		m &= STUB_ENTRIES;
		snprintf(why + n, cap - n, "; the EFI stub printed lines");
	}
	return m;
}

/* "a or b or c" of the entries in m. */
static void list_entries(unsigned m, char *out, size_t cap)
{
	size_t n = 0;

	out[0] = 0;
	for (unsigned i = 0; i < BOOT_ENTRY_COUNT && n < cap; i++)
		if (m & BIT(i))
			n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? " or " : "", names[i]);
}

enum boot_entry boot_entry_decide(enum boot_entry declared, const struct boot_entry_evidence *ev,
				  bool *contradicts, char *why, size_t cap)
{
	char facts[320], list[160];
	unsigned m = boot_entry_possible(ev, facts, sizeof(facts));
	enum boot_entry only = BOOT_ENTRY_UNKNOWN;

	*contradicts = false;
	if (m && !(m & (m - 1)))
		only = (enum boot_entry)__builtin_ctz(m);
	list_entries(m, list, sizeof(list));
	if (declared != BOOT_ENTRY_NONE && (m & BIT(declared))) {
		snprintf(why, cap, "the path's own, and the evidence allows it: %s", facts);
		return declared;
	}
	if (declared != BOOT_ENTRY_NONE && m) {
		*contradicts = true;
		snprintf(why, cap, "the path enters by %s, the evidence says %s: %s",
			 names[declared], list, facts);
		return only;
	}
	if (only != BOOT_ENTRY_UNKNOWN)
		snprintf(why, cap, "%s", facts);
	else if (m)
		snprintf(why, cap, "%s could be: %s", list, facts);
	else
		snprintf(why, cap, "no entry fits: %s", facts);
	return only;
}
