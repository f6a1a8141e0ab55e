/* SPDX-License-Identifier: MIT */
/* test_across: `report --across`'s comparison (report/zeropage_across.c):
 * which fields of several zero pages differ, the e820 tables lined up by
 * address, columns without a zero page, and the shim's start_info line
 * read from a console and from Xen's log in 199-character pieces. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <zeropage/abi.h>

#include "report/zeropage_across.h"

static struct across_line lines[512];

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

static void put_e820(uint8_t *zp, unsigned k, uint64_t addr, uint64_t size, uint32_t type)
{
	uint8_t *e = zp + offsetof(struct zp_boot_params, e820_table) + k * sizeof(struct zp_e820_entry);

	put_le(e, addr, 8);
	put_le(e + 8, size, 8);
	put_le(e + 16, type, 4);
}

static const struct across_line *find(const char *name, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(lines[i].name, name))
			return &lines[i];
	return NULL;
}

/* Two zero pages alike but for type_of_loader: one line, the rest counted. */
static void test_one_field_differs(void **state)
{
	static uint8_t a[4096], b[4096];
	const uint8_t *zp[2] = { a, b };
	size_t same, n;

	(void)state;
	a[offsetof(struct zp_boot_params, hdr.type_of_loader)] = 0xff;
	b[offsetof(struct zp_boot_params, hdr.type_of_loader)] = 0xff;
	n = across_compare(zp, 2, lines, 512, &same);
	assert_int_equal(n, 0);
	size_t all = same;
	b[offsetof(struct zp_boot_params, hdr.type_of_loader)] = 0xb0;
	n = across_compare(zp, 2, lines, 512, &same);
	assert_int_equal(n, 1);
	assert_int_equal(same, all - 1);
	assert_string_equal(lines[0].name, "type_of_loader");
	assert_string_equal(lines[0].value[0], "0xff");
	assert_string_equal(lines[0].value[1], "0xb0");
}

/* The same ranges in another order line up; a range only one has shows
 * against "none"; a column without a zero page is "-" and not compared. */
static void test_e820_by_address(void **state)
{
	static uint8_t a[4096], b[4096];
	const uint8_t *zp[3] = { a, NULL, b };
	size_t same, n;
	const struct across_line *l;

	(void)state;
	a[offsetof(struct zp_boot_params, e820_entries)] = 2;
	put_e820(a, 0, 0, 0x9fc00, ZP_E820_RAM);
	put_e820(a, 1, 0x100000, 0xff00000, ZP_E820_RAM);
	b[offsetof(struct zp_boot_params, e820_entries)] = 3;
	put_e820(b, 0, 0x100000, 0xff00000, ZP_E820_RAM);	/* libxc's order: not sorted */
	put_e820(b, 1, 0xfc000000, 0x1000, ZP_E820_ACPI);
	put_e820(b, 2, 0, 0x9fc00, ZP_E820_RAM);
	n = across_compare(zp, 3, lines, 512, &same);
	assert_non_null(find("e820_entries", n));
	assert_null(find("e820[0]", n));	/* the same range, sorted */
	assert_null(find("e820[1]", n));
	l = find("e820[2]", n);
	assert_non_null(l);
	assert_string_equal(l->value[0], "none");
	assert_string_equal(l->value[1], "-");
	assert_string_equal(l->value[2], "0xfc000000+0x1000 ACPI");
	assert_int_equal(n, 2);	/* e820_entries and e820[2] */
}

/* A blob reads as how many bytes are set and their hash. */
static void test_blob(void **state)
{
	static uint8_t a[4096], b[4096];
	const uint8_t *zp[2] = { a, b };
	size_t same, n;
	const struct across_line *l;

	(void)state;
	b[offsetof(struct zp_boot_params, screen_info) + 3] = 7;
	n = across_compare(zp, 2, lines, 512, &same);
	l = find("screen_info", n);
	assert_non_null(l);
	assert_string_equal(l->value[0], "0");
	assert_non_null(strstr(l->value[1], "1 bytes set #"));
}

static const char shim[] = "zeropage-shim: entry 64, kernel 0x1000000, zero page 0x135000, "
	"cmdline 21 bytes (console=hvc0 added), initrd 0x4378000+0x3000 (module 0), e820 6, "
	"subarch pc data 0x0, start_info v1 at 0x437b000, memmap from start_info (5 entries), "
	"kaslr by the decompressor";

/* The line in a console (CRLF) and in Xen's log, cut at 199 characters
 * behind "(d1) " as Xen's hvm_print_line cuts it. */
static void test_shim_line(void **state)
{
	char con[1024], xen[1024], out[ACROSS_SHIM_LINE];
	struct across_start_info si;

	(void)state;
	snprintf(con, sizeof(con), "SeaBIOS\r\n%s\r\n[    0.000000] Linux version\r\n", shim);
	assert_true(across_shim_line(con, strlen(con), out, sizeof(out)));
	assert_string_equal(out, shim);
	snprintf(xen, sizeof(xen), "(XEN) d1v0 ...\n(d1) %.199s\n(d1) %s\n(XEN) d1v0: upcall\n",
		 shim, shim + 199);
	assert_true(across_shim_line(xen, strlen(xen), out, sizeof(out)));
	assert_string_equal(out, shim);
	assert_int_equal(across_start_info_parse(out, &si), 0);
	assert_true(si.seen);
	assert_int_equal(si.version, 1);
	assert_int_equal(si.paddr, 0x437b000);
	assert_string_equal(si.memmap_from, "start_info");
	assert_int_equal(si.memmap_entries, 5);
	/* the first piece alone is not the whole line */
	snprintf(xen, sizeof(xen), "(d1) %.199s\n(d2) %s\n", shim, shim + 199);
	assert_true(across_shim_line(xen, strlen(xen), out, sizeof(out)));
	assert_int_equal(strlen(out), 199);
	assert_int_equal(across_start_info_parse(out, &si), -1);
	/* domain 12: a longer prefix */
	snprintf(xen, sizeof(xen), "(d12) %.199s\n(d12) %s\n", shim, shim + 199);
	assert_true(across_shim_line(xen, strlen(xen), out, sizeof(out)));
	assert_string_equal(out, shim);
	assert_false(across_shim_line("no shim here\n", 13, out, sizeof(out)));
}

static void test_start_info_parse(void **state)
{
	struct across_start_info si;

	(void)state;
	assert_int_equal(across_start_info_parse("start_info v0 at 0x1000, memmap from "
						 "XENMEM_memory_map (12 entries), kaslr", &si), 0);
	assert_int_equal(si.version, 0);
	assert_string_equal(si.memmap_from, "XENMEM_memory_map");
	assert_int_equal(si.memmap_entries, 12);
	/* a source we do not know is not echoed */
	assert_int_equal(across_start_info_parse("start_info v1 at 0x1, memmap from \x1b[2J "
						 "(1 entries)", &si), 0);
	assert_string_equal(si.memmap_from, "?");
	assert_int_equal(across_start_info_parse("start_info vX at 0x1, memmap from start_info "
						 "(1 entries)", &si), -1);
	assert_int_equal(across_start_info_parse("start_info v1 at 0x1, memmap from start_info "
						 "(many entries)", &si), -1);
	assert_false(si.seen);
}

static void test_expected_loader(void **state)
{
	(void)state;
	assert_int_equal(across_expected_loader("pc")->start_info_version, 1);
	assert_int_equal(across_expected_loader("xen")->start_info_version, 0);
	assert_string_equal(across_expected_loader("xen")->memmap_from, "XENMEM_memory_map");
	assert_int_equal(across_expected_loader("xen-domu")->start_info_version, 1);
	assert_null(across_expected_loader("sparc"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_field_differs),
		cmocka_unit_test(test_e820_by_address),
		cmocka_unit_test(test_blob),
		cmocka_unit_test(test_shim_line),
		cmocka_unit_test(test_start_info_parse),
		cmocka_unit_test(test_expected_loader),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
