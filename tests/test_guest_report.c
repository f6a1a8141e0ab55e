/* SPDX-License-Identifier: MIT */
/* test_guest_report: the ZEROPAGE-PROBE line parser, the zero page's
 * fields by name, and the by-name diff.  Lines are built here from values
 * the test chooses, through struct zp_boot_params, then parsed back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zeropage/abi.h>

#include "common/json.h"
#include "common/tool_err.h"
#include "report/kaslr_seen.h"
#include "report/guest_report.h"

static char *hex(const void *p, size_t n)
{
	char *s = malloc(2 * n + 1);
	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		sprintf(s + 2 * i, "%02x", ((const uint8_t *)p)[i]);
	s[2 * n] = 0;
	return s;
}

static void sample_bp(struct zp_boot_params *bp)
{
	memset(bp, 0, sizeof(*bp));
	bp->hdr.type_of_loader = 0xb0;
	bp->hdr.hardware_subarch = 0;
	bp->hdr.hardware_subarch_data = 0;
	bp->hdr.ramdisk_size = 12288;
	bp->hdr.version = 0x020f;
	bp->acpi_rsdp_addr = 0xf59d0;
	bp->e820_entries = 2;
	bp->e820_table[0] = (struct zp_e820_entry){ 0, 0x9fc00, ZP_E820_RAM };
	bp->e820_table[1] = (struct zp_e820_entry){ 0x100000, 0xfee0000, ZP_E820_RAM };
}

/* A line as the probe prints it, with `extra` spliced in before bootparams. */
static char *make_line(const char *cmdline, const struct zp_boot_params *bp, const char *extra)
{
	char *ch = hex(cmdline, strlen(cmdline)), *bh = hex(bp, sizeof(*bp));
	size_t cap = strlen(ch) + strlen(bh) + 512 + (extra ? strlen(extra) : 0);
	char *line = malloc(cap);
	assert_non_null(line);
	snprintf(line, cap,
		 "ZEROPAGE-PROBE v=1 cmdline=%s initrd=12288 uptime=1.42 "
		 "memmap=0x0-0x9fbff:System_RAM,0xd0000-0xeffff:ACPI_Non-volatile_Storage %s"
		 "bootparams=%s\r\n", ch, extra ? extra : "", bh);
	free(ch);
	free(bh);
	return line;
}

static void test_parse_good(void **state)
{
	(void)state;
	struct zp_boot_params bp;
	sample_bp(&bp);
	char *line = make_line("console=ttyS0 zp.test=1", &bp, "future=field ");
	struct guest_report *r = malloc(sizeof(*r));
	struct tool_err err;
	assert_int_equal(guest_report_parse(line, strlen(line), r, &err), 0);
	assert_int_equal(r->version, 1);
	assert_string_equal(r->cmdline, "console=ttyS0 zp.test=1");
	assert_int_equal(r->initrd, 12288);
	assert_true(r->uptime > 1.41 && r->uptime < 1.43);
	assert_int_equal(r->nmemmap, 2);
	assert_int_equal(r->memmap[0].start, 0);
	assert_int_equal(r->memmap[0].end, 0x9fbff);
	assert_string_equal(r->memmap[0].type, "System_RAM");
	assert_int_equal(r->memmap[1].start, 0xd0000);
	assert_string_equal(r->memmap[1].type, "ACPI_Non-volatile_Storage");
	assert_true(r->has_bootparams);
	assert_memory_equal(r->bootparams, &bp, sizeof(bp));
	assert_int_equal(zero_page_get(r->bootparams, "type_of_loader"), 0xb0);
	assert_int_equal(zero_page_get(r->bootparams, "ramdisk_size"), 12288);
	assert_int_equal(zero_page_get(r->bootparams, "version"), 0x020f);
	assert_int_equal(zero_page_get(r->bootparams, "acpi_rsdp_addr"), 0xf59d0);
	assert_int_equal(zero_page_get(r->bootparams, "no_such_field"), 0);
	assert_int_equal(r->efi, -1);	/* an older probe: unknown */
	assert_true(r->kernel_phys == 0 && r->kernel_text == 0);	/* likewise */
	free(line);

	/* efi= and the loader signature the EFI stub writes into efi_info */
	char sig[5];
	memcpy(bp.efi_info, "EL64", 4);
	line = make_line("x", &bp, "efi=1 ");
	assert_int_equal(guest_report_parse(line, strlen(line), r, &err), 0);
	assert_int_equal(r->efi, 1);
	zero_page_efi_signature(r->bootparams, sig);
	assert_string_equal(sig, "EL64");
	free(line);
	memset(bp.efi_info, 0, 4);
	line = make_line("x", &bp, "efi=0 ");
	assert_int_equal(guest_report_parse(line, strlen(line), r, &err), 0);
	assert_int_equal(r->efi, 0);
	zero_page_efi_signature(r->bootparams, sig);
	assert_string_equal(sig, "");
	free(line);
	free(r);
}

static void test_find_in_console(void **state)
{
	(void)state;
	const char console[] = "[    1.4] Run /init as init process\r\n\r\n"
			       "ZEROPAGE-PROBE v=1 cmdline=41 initrd=-1\r\n[    1.5] reboot\r\n";
	size_t len;
	const char *p = guest_report_find(console, strlen(console), &len);
	assert_non_null(p);
	assert_int_equal(len, strlen("ZEROPAGE-PROBE v=1 cmdline=41 initrd=-1"));
	assert_memory_equal(p, "ZEROPAGE-PROBE v=1", 18);
	/* a line cut off by the guest's death is not a report */
	const char cut[] = "boot\nZEROPAGE-PROBE v=1 cmdline=41 ini";
	assert_null(guest_report_find(cut, strlen(cut), &len));
	assert_null(guest_report_find("no probe here\n", 14, &len));
}

/* The report sent through the kernel log in parts (zeropage.probe=kmsg):
 * timestamps before each part, Xen's lines between them, parts repeated
 * or missing. */
static void test_extract_parts(void **state)
{
	(void)state;
	const char console[] =
		"[    9.61] ZEROPAGE-PROBE-PART 1/3 ZEROPAGE-PROBE v=1 cmd\n"
		"(XEN) d0v0: something\n"
		"[    9.62] ZEROPAGE-PROBE-PART 2/3 line=41 in\r\n"
		"[    9.62] ZEROPAGE-PROBE-PART 2/3 REPEATED\n"
		"[    9.63] ZEROPAGE-PROBE-PART 3/3 itrd=-1\n";
	char *line = guest_report_extract(console, strlen(console));
	assert_non_null(line);
	assert_string_equal(line, "ZEROPAGE-PROBE v=1 cmdline=41 initrd=-1");
	free(line);

	const char missing[] = "ZEROPAGE-PROBE-PART 1/2 ZEROPAGE-PROBE v=1 a\n";
	assert_null(guest_report_extract(missing, strlen(missing)));
	const char cut[] = "ZEROPAGE-PROBE-PART 1/2 ZEROPAGE-PROBE v=1 a\nZEROPAGE-PROBE-PART 2/2 b";
	assert_null(guest_report_extract(cut, strlen(cut)));
	const char mixed_n[] = "ZEROPAGE-PROBE-PART 1/2 a\nZEROPAGE-PROBE-PART 2/3 b\n";
	assert_null(guest_report_extract(mixed_n, strlen(mixed_n)));
	const char bad[] = "ZEROPAGE-PROBE-PART 0/1 a\nZEROPAGE-PROBE-PART x/1 b\n"
			   "ZEROPAGE-PROBE-PART 2/1 c\nZEROPAGE-PROBE-PART 1/999 d\n";
	assert_null(guest_report_extract(bad, strlen(bad)));

	/* a line of its own wins over parts, and is not mistaken for one */
	const char both[] = "ZEROPAGE-PROBE-PART 1/1 ZEROPAGE-PROBE v=1 part\n"
			    "ZEROPAGE-PROBE v=1 whole\r\n";
	line = guest_report_extract(both, strlen(both));
	assert_non_null(line);
	assert_string_equal(line, "ZEROPAGE-PROBE v=1 whole");
	free(line);
}

/* Replaces the first occurrence of `from` in line with `to`. */
static char *edit(const char *line, const char *from, const char *to)
{
	const char *p = strstr(line, from);
	assert_non_null(p);
	size_t cap = strlen(line) + strlen(to) + 1;
	char *out = malloc(cap);
	assert_non_null(out);
	snprintf(out, cap, "%.*s%s%s", (int)(p - line), line, to, p + strlen(from));
	return out;
}

static void expect_error(const char *line, const char *needle)
{
	struct guest_report *r = malloc(sizeof(*r));
	struct tool_err err = { "" };
	assert_int_equal(guest_report_parse(line, strlen(line), r, &err), -1);
	if (!strstr(err.msg, needle)) {
		print_error("error '%s' lacks '%s'\n", err.msg, needle);
		fail();
	}
	free(r);
}

static void test_parse_malformed(void **state)
{
	(void)state;
	struct zp_boot_params bp;
	sample_bp(&bp);
	char *good = make_line("a b", &bp, NULL);
	struct { const char *from, *to, *err; } cases[] = {
		{ "ZEROPAGE-PROBE", "ZEROPAGE-PROBX", "not a ZEROPAGE-PROBE line" },
		{ "v=1", "v=2", "unsupported probe version" },
		{ "v=1 ", "", "missing field 'v'" },
		{ "initrd=12288", "initrd=12k", "initrd:" },
		{ "initrd=12288 ", "", "missing field 'initrd'" },
		{ "uptime=1.42", "uptime=soon", "uptime:" },
		{ "cmdline=612062", "cmdline=61206", "odd number of hex digits" },
		{ "cmdline=612062", "cmdline=6120zz", "invalid hex digit at offset 4" },
		{ "cmdline=612062", "cmdline=610062", "NUL" },
		{ "memmap=0x0-", "memmap=0x0+", "expected START-END:TYPE" },
		{ "0x9fbff:", "0xzz:", "bad hex address" },
		{ "0xd0000-0xeffff", "0xd0000-0x100", "below start" },
		{ ":System_RAM", ":", "type of 0 characters" },
		{ "Storage ", "Storage, ", "trailing ','" },
		{ "bootparams=", "bootparams=00", "hex digits, expected 8192" },
		{ "initrd=12288", "initrd=1 initrd=2", "appears twice" },
		{ "uptime=1.42", "uptime", "has no '='" },
		{ "uptime=1.42", "uptime=1.42 efi=2", "efi: '2' is not 0 or 1" },
		{ "uptime=1.42", "uptime=1.42 efi=1 efi=1", "appears twice" },
		{ "uptime=1.42", "uptime=1.42 kernel_phys=0xzz", "kernel_phys: '0xzz' is not a hex address" },
		{ "uptime=1.42", "uptime=1.42 kernel_phys=", "kernel_phys: '' is not" },
		{ "uptime=1.42", "uptime=1.42 kernel_phys=-0x1000", "kernel_phys:" },
		{ "uptime=1.42", "uptime=1.42 kernel_text=0x", "kernel_text: '0x' is not" },
		{ "uptime=1.42", "uptime=1.42 kernel_text=0x1ffffffff81000000", "kernel_text:" },
		{ "uptime=1.42", "uptime=1.42 kernel_text=0xffffffff81000000,", "kernel_text:" },
		{ "uptime=1.42", "uptime=1.42 kernel_text=0x1 kernel_text=0x1", "appears twice" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *bad = edit(good, cases[i].from, cases[i].to);
		expect_error(bad, cases[i].err);
		free(bad);
	}
	/* an empty bootparams= means the probe could not read it: not an error */
	char *empty = malloc(strlen(good) + 1);
	strcpy(empty, good);
	*strstr(empty, "bootparams=") = 0;
	strcat(empty, "bootparams=");
	struct guest_report *r = malloc(sizeof(*r));
	struct tool_err err;
	assert_int_equal(guest_report_parse(empty, strlen(empty), r, &err), 0);
	assert_false(r->has_bootparams);
	/* and a line cut anywhere before the end is rejected, never misread */
	for (size_t cut = 0; cut < strlen(good) - 4; cut += 97) {
		int rc = guest_report_parse(good, cut, r, &err);
		assert_int_equal(rc, -1);
	}
	free(r);
	free(empty);
	free(good);
}

/* The limits probe/report_line.h sets for both sides: a report at each
 * limit parses whole, one item past it is refused by name (the probe sends
 * one item more rather than cut a report short). */
static void test_limits(void **state)
{
	(void)state;
	struct zp_boot_params bp;
	struct guest_report *r = malloc(sizeof(*r));
	struct tool_err err = { "" };

	_Static_assert(REPORT_LINE_MAX_CMDLINE >= 2048, "x86's COMMAND_LINE_SIZE fits");
	sample_bp(&bp);
	char *cmd = malloc(REPORT_LINE_MAX_CMDLINE + 2);
	memset(cmd, 'x', REPORT_LINE_MAX_CMDLINE);
	cmd[REPORT_LINE_MAX_CMDLINE] = 0;
	char *line = make_line(cmd, &bp, NULL);
	assert_int_equal(guest_report_parse(line, strlen(line), r, &err), 0);
	assert_int_equal(r->cmdline_len, REPORT_LINE_MAX_CMDLINE);
	free(line);
	strcat(cmd, "y");
	line = make_line(cmd, &bp, NULL);
	expect_error(line, "cmdline: 4097 bytes, more than 4096");
	free(line);
	free(cmd);

	/* memmap: the limit's entries, then one more; a type at its limit */
	size_t cap = (REPORT_LINE_MAX_MEMMAP + 1) * 80 + 8192;
	char *mm = malloc(cap), type[REPORT_LINE_MAX_MEMMAP_TYPE + 2];
	memset(type, 't', REPORT_LINE_MAX_MEMMAP_TYPE);
	type[REPORT_LINE_MAX_MEMMAP_TYPE] = 0;
	size_t used = (size_t)snprintf(mm, cap, "memmap=");
	for (unsigned i = 0; i < REPORT_LINE_MAX_MEMMAP; i++)
		used += (size_t)snprintf(mm + used, cap - used, "%s0x%x-0x%x:%s", i ? "," : "",
					 i << 12, (i << 12) + 0xfff, type);
	char *good = make_line("a", &bp, NULL);
	line = edit(good, "memmap=0x0-0x9fbff:System_RAM,0xd0000-0xeffff:ACPI_Non-volatile_Storage",
		    mm);
	assert_int_equal(guest_report_parse(line, strlen(line), r, &err), 0);
	assert_int_equal(r->nmemmap, REPORT_LINE_MAX_MEMMAP);
	assert_string_equal(r->memmap[0].type, type);
	free(line);
	char *longer = malloc(cap + 64);
	snprintf(longer, cap + 64, "%s,0xfff000-0xffffff:RAM", mm);
	line = edit(good, "memmap=0x0-0x9fbff:System_RAM,0xd0000-0xeffff:ACPI_Non-volatile_Storage",
		    longer);
	expect_error(line, "memmap: more than 128 entries");
	free(line);
	strcat(type, "t");
	snprintf(longer, cap + 64, "memmap=0x0-0xfff:%s", type);
	line = edit(good, "memmap=0x0-0x9fbff:System_RAM,0xd0000-0xeffff:ACPI_Non-volatile_Storage",
		    longer);
	expect_error(line, "memmap entry 0: type of 48 characters");
	free(line);
	free(longer);
	free(good);
	free(mm);
	free(r);
}

/* kernel_phys= and kernel_text=, as the probe prints them, in a whole
 * line and in one joined from kernel-log parts. */
static void test_parse_kernel_addrs(void **state)
{
	(void)state;
	struct zp_boot_params bp;
	sample_bp(&bp);
	char *line = make_line("x", &bp, "efi=0 kernel_phys=0xc200000 kernel_text=0xffffffff82c00000 ");
	struct guest_report *r = malloc(sizeof(*r));
	struct tool_err err;
	assert_int_equal(guest_report_parse(line, strlen(line), r, &err), 0);
	assert_true(r->kernel_phys == 0xc200000);
	assert_true(r->kernel_text == 0xffffffff82c00000ull);

	/* the same line in 700-character parts between kernel messages */
	size_t n = strlen(line) - 2, cap = 2 * n + 4096, len = 0;	/* without \r\n */
	char *console = malloc(cap);
	size_t parts = (n + 699) / 700;
	for (size_t i = 0; i < parts; i++) {
		size_t take = n - i * 700 > 700 ? 700 : n - i * 700;
		len += (size_t)snprintf(console + len, cap - len,
					"[    3.02] ZEROPAGE-PROBE-PART %zu/%zu %.*s\r\n(XEN) x\n",
					i + 1, parts, (int)take, line + i * 700);
	}
	char *joined = guest_report_extract(console, len);
	assert_non_null(joined);
	assert_int_equal(guest_report_parse(joined, strlen(joined), r, &err), 0);
	assert_true(r->kernel_phys == 0xc200000);
	assert_true(r->kernel_text == 0xffffffff82c00000ull);
	free(joined);
	free(console);
	free(line);

	/* 0: the probe could not tell (kallsyms hidden by kptr_restrict) */
	line = make_line("x", &bp, "kernel_phys=0x1000000 kernel_text=0x0 ");
	assert_int_equal(guest_report_parse(line, strlen(line), r, &err), 0);
	assert_true(r->kernel_phys == 0x1000000 && r->kernel_text == 0);
	free(line);
	free(r);
}

/* The offsets from the link address, and how boot and matrix show them. */
static void test_kaslr_offsets(void **state)
{
	(void)state;
	struct kernel_link l = kernel_link_from_pref(0x1000000, true);
	assert_true(l.phys == 0x1000000 && l.virt == 0xffffffff81000000ull);

	struct guest_report *r = calloc(1, sizeof(*r));
	struct kaslr_seen_offsets k;
	char cell[64], *out = NULL;
	size_t outlen;

	r->kernel_phys = 0xc200000;
	r->kernel_text = 0xffffffff82c00000ull;
	kaslr_seen_offsets_of(r, &l, &k);
	assert_true(k.has_phys && k.has_virt);
	assert_int_equal(k.phys_offset, 0xb200000);
	assert_int_equal(k.virt_offset, 0x1c00000);
	kaslr_seen_cell(cell, sizeof(cell), r, &l);
	assert_string_equal(cell, "p+0xb200000,v+0x1c00000");
	FILE *f = open_memstream(&out, &outlen);
	kaslr_seen_print(f, r, &l);
	fclose(f);
	assert_string_equal(out, "kernel runs at phys 0xc200000, virt 0xffffffff82c00000 "
				 "(offset +0xb200000 / +0x1c00000)\n");
	free(out);

	/* an i386 kernel links at __PAGE_OFFSET + pref_address, and its KASLR
	 * moves both together (Debian's 686 kernel, seen at 0xe000000 /
	 * 0xce000000) */
	struct kernel_link l32 = kernel_link_from_pref(0x1000000, false);
	assert_true(l32.phys == 0x1000000 && l32.virt == 0xc1000000ull);
	r->kernel_phys = 0xe000000;
	r->kernel_text = 0xce000000ull;
	kaslr_seen_cell(cell, sizeof(cell), r, &l32);
	assert_string_equal(cell, "p+0xd000000,v+0xd000000");

	/* at the link address: "-"; below it (a loader's choice): negative */
	r->kernel_phys = 0x1000000;
	r->kernel_text = 0xffffffff81000000ull;
	kaslr_seen_cell(cell, sizeof(cell), r, &l);
	assert_string_equal(cell, "-");
	assert_false(kaslr_seen_lost(r, &l));
	/* ... where the shim was to randomise it: marked, not passed over */
	struct kernel_link shim = l;
	shim.expect_random = true;
	kaslr_seen_cell(cell, sizeof(cell), r, &shim);
	assert_string_equal(cell, "- LOST");
	assert_true(kaslr_seen_lost(r, &shim));
	assert_false(kaslr_seen_lost(NULL, &shim));	/* no report: unknown, not lost */
	f = open_memstream(&out, &outlen);
	struct json jl;
	json_init(&jl, f);
	json_object_begin(&jl, NULL);
	kaslr_seen_json(&jl, r, &shim);
	json_object_end(&jl);
	json_finish(&jl);
	fclose(f);
	assert_non_null(strstr(out, "\"expected\": true"));
	assert_non_null(strstr(out, "\"lost\": true"));
	free(out);
	r->kernel_phys = 0x200000;
	kaslr_seen_offsets_of(r, &l, &k);
	assert_int_equal(k.phys_offset, -0xe00000);
	kaslr_seen_cell(cell, sizeof(cell), r, &l);
	assert_string_equal(cell, "p-0xe00000,v+0x0");

	/* unknown halves, and no report at all */
	r->kernel_text = 0;
	kaslr_seen_cell(cell, sizeof(cell), r, &l);
	assert_string_equal(cell, "p-0xe00000,v?");
	r->kernel_phys = 0;
	kaslr_seen_cell(cell, sizeof(cell), r, &l);
	assert_string_equal(cell, "?");
	kaslr_seen_offsets_of(NULL, &l, &k);
	assert_false(k.has_phys || k.has_virt);
	f = open_memstream(&out, &outlen);
	kaslr_seen_print(f, r, &l);
	fclose(f);
	assert_string_equal(out, "kernel runs at phys ?, virt ? (offset ? / ?)\n");
	free(out);
	free(r);
}

/* JSON: addresses as hex strings (jq 1.6 reads numbers as doubles),
 * offsets as numbers, null for what is unknown. */
static void test_kaslr_json(void **state)
{
	(void)state;
	struct kernel_link l = kernel_link_from_pref(0x1000000, true);
	struct guest_report *r = calloc(1, sizeof(*r));
	char *out = NULL;
	size_t outlen;
	struct json j;

	r->kernel_phys = 0xc200000;
	r->kernel_text = 0xffffffff82c00000ull;
	for (int pass = 0; pass < 2; pass++) {
		FILE *f = open_memstream(&out, &outlen);
		json_init(&j, f);
		json_object_begin(&j, NULL);
		kaslr_seen_json(&j, pass ? NULL : r, &l);
		json_object_end(&j);
		json_finish(&j);
		fclose(f);
		if (!pass) {
			assert_non_null(strstr(out, "\"kernel_phys\": \"0xc200000\""));
			assert_non_null(strstr(out, "\"kernel_text\": \"0xffffffff82c00000\""));
			assert_non_null(strstr(out, "\"phys_offset\": 186646528"));
			assert_non_null(strstr(out, "\"virt_offset\": 29360128"));
		} else {
			assert_non_null(strstr(out, "\"kernel_text\": null"));
			assert_non_null(strstr(out, "\"virt_offset\": null"));
		}
		assert_non_null(strstr(out, "\"link_virt\": \"0xffffffff81000000\""));
		free(out);
	}
	free(r);
}

static void test_field_offsets(void **state)
{
	(void)state;
	/* offsets from Documentation/arch/x86/zero-page.rst and boot.rst */
	struct { const char *name; unsigned off, size; } want[] = {
		{ "acpi_rsdp_addr", 0x070, 8 }, { "ext_ramdisk_size", 0x0c4, 4 },
		{ "e820_entries", 0x1e8, 1 }, { "setup_sects", 0x1f1, 1 },
		{ "type_of_loader", 0x210, 1 }, { "ramdisk_size", 0x21c, 4 },
		{ "cmd_line_ptr", 0x228, 4 }, { "hardware_subarch", 0x23c, 4 },
		{ "hardware_subarch_data", 0x240, 8 }, { "kernel_info_offset", 0x268, 4 },
		{ "e820_table", 0x2d0, 20 * 128 }, { "eddbuf", 0xd00, 6 * 82 },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct zero_page_field *f = zero_page_field(want[i].name);
		assert_non_null(f);
		assert_int_equal(f->offset, want[i].off);
		assert_int_equal(f->size, want[i].size);
	}
	assert_null(zero_page_field("_pad8"));
	/* no two fields overlap */
	for (size_t i = 0; i < zero_page_nfields; i++)
		for (size_t k = i + 1; k < zero_page_nfields; k++) {
			const struct zero_page_field *a = &zero_page_fields[i], *b = &zero_page_fields[k];
			assert_true(a->offset + a->size <= b->offset || b->offset + b->size <= a->offset);
		}
}

static void test_diff_by_name(void **state)
{
	(void)state;
	struct zp_boot_params a, b;
	sample_bp(&a);
	sample_bp(&b);
	struct zero_page_diff d[16];
	assert_int_equal(zero_page_diff((uint8_t *)&a, (uint8_t *)&b, d, 16), 0);

	b.hdr.type_of_loader = 0xff;
	b.hdr.hardware_subarch_data = 0x113000;
	b.edid_info[5] = 1;
	b.e820_entries = 3;
	b.e820_table[2] = (struct zp_e820_entry){ 0x113000, 0x1000, ZP_E820_RESERVED };
	size_t n = zero_page_diff((uint8_t *)&a, (uint8_t *)&b, d, 16);
	assert_int_equal(n, 5);
	/* scalars first, then the e820 table, then byte blobs */
	assert_string_equal(d[0].name, "e820_entries");
	assert_string_equal(d[0].text, "e820_entries 0x2->0x3");
	assert_string_equal(d[1].name, "type_of_loader");
	assert_string_equal(d[1].text, "type_of_loader 0xb0->0xff");
	assert_string_equal(d[2].text, "hardware_subarch_data 0x0->0x113000");
	assert_string_equal(d[3].name, "e820_table[2]");
	assert_string_equal(d[3].text, "e820_table[2] none->0x113000+0x1000:2");
	assert_string_equal(d[4].text, "edid_info 1 byte differ from +0x5");

	/* fewer slots than differences: the count is still the total */
	assert_int_equal(zero_page_diff((uint8_t *)&a, (uint8_t *)&b, d, 2), 5);

	char sum[256];
	n = zero_page_diff((uint8_t *)&a, (uint8_t *)&b, d, 16);
	zero_page_diff_summary(d, n, 2, sum, sizeof(sum));
	assert_string_equal(sum, "e820_entries 0x2->0x3, type_of_loader 0xb0->0xff +3 more");
	zero_page_diff_summary(d, 0, 2, sum, sizeof(sum));
	assert_string_equal(sum, "-");
	/* a tiny buffer truncates, never overflows */
	char tiny[8];
	zero_page_diff_summary(d, n, 5, tiny, sizeof(tiny));
	assert_int_equal(strlen(tiny), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_find_in_console),
		cmocka_unit_test(test_extract_parts),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_parse_kernel_addrs),
		cmocka_unit_test(test_kaslr_offsets),
		cmocka_unit_test(test_kaslr_json),
		cmocka_unit_test(test_field_offsets),
		cmocka_unit_test(test_diff_by_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
