/* SPDX-License-Identifier: MIT */
/* test_boot_entry: which kernel entry a boot went through, from the zero
 * page the guest kept (report/boot_entry.c), with zero pages shaped as the
 * boots measured under QEMU left them; and a row whose evidence
 * contradicts its path's own entry failing (machine/bootpath.c), from a
 * fake probe report. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zeropage/abi.h>

#include "machine/bootpath.h"
#include "report/boot_entry.h"
#include "report/guest_report.h"

/* A zero page: loader, EFI signature ("" none), scratch, EDD entries. */
static void page(struct zp_boot_params *bp, unsigned tol, const char *sig, uint32_t scratch,
		 unsigned edd)
{
	memset(bp, 0, sizeof(*bp));
	bp->hdr.type_of_loader = (uint8_t)tol;
	memcpy(bp->efi_info, sig, strlen(sig));
	bp->scratch = scratch;
	bp->eddbuf_entries = (uint8_t)edd;
}

static enum boot_entry decide(enum boot_entry declared, const struct zp_boot_params *bp,
			      bool efi, bool stub, bool disks, bool *contra, char *why)
{
	struct boot_entry_evidence ev = { .zero_page = (const uint8_t *)bp, .efi = efi,
					  .stub_lines = stub, .bios_disks = disks };
	return boot_entry_decide(declared, &ev, contra, why, 480);
}

static void test_names(void **state)
{
	enum boot_entry e;

	(void)state;
	for (int i = 0; i < BOOT_ENTRY_COUNT; i++) {
		assert_int_equal(boot_entry_parse(boot_entry_name((enum boot_entry)i), &e), 0);
		assert_int_equal(e, i);
	}
	assert_int_equal(boot_entry_parse("efi-handover", &e), -1);
	assert_string_equal(boot_entry_name(BOOT_ENTRY_EFI_PE_MIXED), "efi-pe-mixed");
}

/* The loaders' rows as measured (doc/matrix-and-paths.md). */
static void test_loader_rows(void **state)
{
	struct zp_boot_params bp;
	bool contra;
	char why[480];

	(void)state;
	page(&bp, 0x21, "EL64", 0, 0);		/* ovmf, systemd-boot */
	assert_int_equal(decide(BOOT_ENTRY_NONE, &bp, true, true, false, &contra, why),
			 BOOT_ENTRY_EFI_PE);
	assert_false(contra);
	assert_non_null(strstr(why, "0x21"));
	page(&bp, 0x21, "EL32", 0, 0);		/* a PE start from 32-bit firmware */
	assert_int_equal(decide(BOOT_ENTRY_NONE, &bp, true, false, false, &contra, why),
			 BOOT_ENTRY_EFI_PE_MIXED);
	page(&bp, 0xb0, "EL32", 0, 0);		/* ovmf-ia32: the stub spoke */
	assert_int_equal(decide(BOOT_ENTRY_NONE, &bp, true, true, false, &contra, why),
			 BOOT_ENTRY_EFI_HANDOVER_32);
	/* without the stub's lines it could be a loader's own entry */
	assert_int_equal(decide(BOOT_ENTRY_NONE, &bp, true, false, false, &contra, why),
			 BOOT_ENTRY_UNKNOWN);
	assert_non_null(strstr(why, "efi-handover-32 or boot-protocol-64"));
	page(&bp, 0x72, "EL64", 0x4a0000d, 0);	/* grub-efi */
	assert_int_equal(decide(BOOT_ENTRY_NONE, &bp, true, false, false, &contra, why),
			 BOOT_ENTRY_BOOT_PROTOCOL_32);
	page(&bp, 0x72, "EL64", 0, 0);		/* a 64-bit handover, or a 64-bit entry */
	assert_int_equal(decide(BOOT_ENTRY_NONE, &bp, true, false, false, &contra, why),
			 BOOT_ENTRY_UNKNOWN);
	assert_non_null(strstr(why, "efi-handover-64 or boot-protocol-64"));
	assert_int_equal(decide(BOOT_ENTRY_NONE, &bp, true, true, false, &contra, why),
			 BOOT_ENTRY_EFI_HANDOVER_64);
	page(&bp, 0x72, "", 0x100000d, 0);	/* grub-bios: disks, no EDD */
	assert_int_equal(decide(BOOT_ENTRY_NONE, &bp, false, false, true, &contra, why),
			 BOOT_ENTRY_BOOT_PROTOCOL_32);
	page(&bp, 0x72, "", 0x100000d, 1);	/* a linux16: the setup code asked for EDD */
	assert_int_equal(decide(BOOT_ENTRY_NONE, &bp, false, false, true, &contra, why),
			 BOOT_ENTRY_REAL_MODE_16);
	page(&bp, 0x72, "", 0x100000d, 0);	/* no disks: cannot tell */
	assert_int_equal(decide(BOOT_ENTRY_NONE, &bp, false, false, false, &contra, why),
			 BOOT_ENTRY_UNKNOWN);
}

/* Evidence that cannot be: EFI without a signature, the stub's lines on a
 * 32-bit entry with a loader's efi_info. */
static void test_inconsistent(void **state)
{
	struct zp_boot_params bp;
	bool contra;
	char why[480];

	(void)state;
	page(&bp, 0xb0, "", 0, 0);
	assert_int_equal(decide(BOOT_ENTRY_NONE, &bp, true, false, false, &contra, why),
			 BOOT_ENTRY_UNKNOWN);
	assert_non_null(strstr(why, "no loader signature"));
	page(&bp, 0x72, "EL64", 0x100000d, 0);
	assert_int_equal(decide(BOOT_ENTRY_NONE, &bp, true, true, false, &contra, why),
			 BOOT_ENTRY_UNKNOWN);
	assert_non_null(strstr(why, "yet the EFI stub printed lines"));
}

/* A path's own entry: kept when the evidence allows it, a contradiction
 * when it does not. */
static void test_declared(void **state)
{
	struct zp_boot_params bp;
	bool contra;
	char why[480];

	(void)state;
	page(&bp, 0xff, "", 0x100000d, 0);	/* shim-32 */
	assert_int_equal(decide(BOOT_ENTRY_BOOT_PROTOCOL_32, &bp, false, false, false, &contra, why),
			 BOOT_ENTRY_BOOT_PROTOCOL_32);
	assert_false(contra);
	page(&bp, 0xff, "", 0, 0);		/* shim-64 */
	assert_int_equal(decide(BOOT_ENTRY_BOOT_PROTOCOL_64, &bp, false, false, false, &contra, why),
			 BOOT_ENTRY_BOOT_PROTOCOL_64);
	assert_false(contra);
	/* shim-64 whose kernel passed startup_32 */
	page(&bp, 0xff, "", 0x100000d, 0);
	decide(BOOT_ENTRY_BOOT_PROTOCOL_64, &bp, false, false, false, &contra, why);
	assert_true(contra);
	assert_non_null(strstr(why, "the path enters by boot-protocol-64"));
}

/* The probe's line for zero page bp, as the guest prints it. */
static char *probe_line(const struct zp_boot_params *bp)
{
	size_t cap = 2 * sizeof(*bp) + 256;
	char *line = malloc(cap);
	int n;

	assert_non_null(line);
	n = snprintf(line, cap, "ZEROPAGE-PROBE v=1 cmdline=41 initrd=12288 uptime=1.0 "
		     "memmap=0x0-0x9fbff:System_RAM efi=0 bootparams=");
	for (size_t i = 0; i < sizeof(*bp); i++)
		n += snprintf(line + n, cap - (size_t)n, "%02x", ((const uint8_t *)bp)[i]);
	return line;
}

/* An ok row of shim-64 whose guest reports a zero page startup_32 wrote:
 * a mismatch naming the entry; the same page on shim-32 stays ok. */
static void test_row_contradiction_fails(void **state)
{
	struct zp_boot_params bp;
	struct guest_report *r = malloc(sizeof(*r));
	struct bootpath_outcome o;
	struct bootpath_req req = { .path = BOOTPATH_SHIM_64, .machine = "pc" };
	struct tool_err err;

	(void)state;
	page(&bp, 0xff, "", 0x100000d, 0);
	char *line = probe_line(&bp);
	assert_non_null(r);
	assert_int_equal(guest_report_parse(line, strlen(line), r, &err), 0);
	memset(&o, 0, sizeof(o));
	o.verdict = VERDICT_OK;
	o.has_report = true;
	o.report = r;
	bootpath_find_entry(&req, &o);
	assert_int_equal(o.verdict, VERDICT_MISMATCH);
	assert_non_null(strstr(o.reason, "entry: the path enters by boot-protocol-64"));
	assert_int_equal(o.entry, BOOT_ENTRY_UNKNOWN);	/* real-mode-16 or boot-protocol-32 */

	memset(&o, 0, sizeof(o));
	o.verdict = VERDICT_OK;
	o.has_report = true;
	o.report = r;
	req.path = BOOTPATH_SHIM_32;
	bootpath_find_entry(&req, &o);
	assert_int_equal(o.verdict, VERDICT_OK);
	assert_int_equal(o.entry, BOOT_ENTRY_BOOT_PROTOCOL_32);

	/* a row that never started the kernel: "none" */
	memset(&o, 0, sizeof(o));
	o.verdict = VERDICT_SKIPPED;
	bootpath_find_entry(&req, &o);
	assert_int_equal(o.entry, BOOT_ENTRY_NONE);
	free(line);
	free(r);
}

static void test_stub_lines(void **state)
{
	static const char before[] = "BdsDxe: starting\r\nEFI stub: Loaded initrd from "
				     "LINUX_EFI_INITRD_MEDIA_GUID device path\r\nLinux version 6.1\r\n";
	static const char after[] = "Linux version 6.1\r\nEFI stub: not the stub's\r\n";

	(void)state;
	assert_true(boot_entry_stub_lines(before, sizeof(before) - 1));
	assert_false(boot_entry_stub_lines(after, sizeof(after) - 1));
	assert_false(boot_entry_stub_lines(NULL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_loader_rows),
		cmocka_unit_test(test_inconsistent),
		cmocka_unit_test(test_declared),
		cmocka_unit_test(test_row_contradiction_fails),
		cmocka_unit_test(test_stub_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
