/* SPDX-License-Identifier: MIT */
/* test_layout: placements that obey the boot protocol pass; each rule that
 * a placement breaks is reported with its numbers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <zeropage/zeropage.h>
#include "realkernel.h"
#include "synth.h"

static const struct zp_e820_entry ram_1g[] = {
	{ 0, 0x9fc00, ZP_E820_RAM },
	{ 0x9fc00, 0x60400, ZP_E820_RESERVED },
	{ 0x100000, 0x3ff00000, ZP_E820_RAM },		/* up to 1 GiB */
	{ 0x100000000ull, 0x40000000, ZP_E820_RAM },	/* 1 GiB above 4 GiB */
};
#define NMAP 4

struct fixture {
	uint8_t *img;
	size_t len;
	struct zp_bzimage bz;
	struct zp_layout layout;
};

static void setup_image(struct fixture *f, uint16_t xloadflags, bool relocatable)
{
	struct synth_bzimage_opts o = {
		.protocol = 0x20f, .xloadflags = xloadflags, .relocatable = relocatable,
		.init_size = 0x2000000, .pref_address = 0x1000000, .kernel_alignment = 0x200000,
		.cmdline_size = 2047,
	};
	f->img = synth_bzimage(&o, &f->len);
	assert_int_equal(zp_probe_bzimage(f->img, f->len, &f->bz), ZP_OK);
	f->layout = (struct zp_layout){
		.kernel_addr = 0x1000000,
		.zero_page_addr = 0x7000,
		.cmdline_addr = 0x20000, .cmdline_len = 100,
		.initrd_addr = 0x30000000, .initrd_size = 0x1000000,
		.setup_data_addr = 0x8000, .setup_data_len = 0x100,
	};
}

static int check(struct fixture *f, struct zp_diag *diag)
{
	return zp_check_layout(&f->bz, ram_1g, NMAP, &f->layout, diag);
}

static void test_good_layout(void **state)
{
	struct fixture f;
	struct zp_diag diag;

	(void)state;
	setup_image(&f, ZP_XLF_KERNEL_64, true);
	assert_int_equal(check(&f, &diag), ZP_OK);
	assert_string_equal(diag.msg, "");
	f.layout.kernel_addr = 0x2200000;	/* any 2 MiB boundary will do */
	assert_int_equal(check(&f, &diag), ZP_OK);
	free(f.img);
}

static void test_kernel_misaligned(void **state)
{
	struct fixture f;
	struct zp_diag diag;

	(void)state;
	setup_image(&f, ZP_XLF_KERNEL_64, true);
	f.layout.kernel_addr = 0x1100000;
	assert_int_equal(check(&f, &diag), ZP_ELAYOUT);
	assert_non_null(strstr(diag.msg, "0x1100000"));
	assert_non_null(strstr(diag.msg, "0x200000"));
	free(f.img);
}

/* A relocatable kernel may go below its preferred alignment, down to
 * 1 << min_alignment. */
static void test_min_alignment(void **state)
{
	struct fixture f;
	struct zp_diag diag;
	size_t len;
	struct synth_bzimage_opts o = {
		.protocol = 0x20f, .relocatable = true, .kernel_alignment = 0x1000000,
		.init_size = 0x100000,
	};

	(void)state;
	setup_image(&f, 0, true);
	free(f.img);
	f.img = synth_bzimage(&o, &len);
	f.img[0x235] = 21;			/* min_alignment: 2 MiB */
	assert_int_equal(zp_probe_bzimage(f.img, len, &f.bz), ZP_OK);
	f.layout.kernel_addr = 0x1200000;
	assert_int_equal(check(&f, &diag), ZP_OK);
	f.layout.kernel_addr = 0x1280000;
	assert_int_equal(check(&f, &diag), ZP_ELAYOUT);
	assert_non_null(strstr(diag.msg, "0x200000"));
	free(f.img);
}

static void test_non_relocatable_not_at_pref_address(void **state)
{
	struct fixture f;
	struct zp_diag diag;

	(void)state;
	setup_image(&f, ZP_XLF_KERNEL_64, false);
	assert_int_equal(check(&f, &diag), ZP_OK);
	f.layout.kernel_addr = 0x2000000;
	assert_int_equal(check(&f, &diag), ZP_ELAYOUT);
	assert_non_null(strstr(diag.msg, "0x2000000"));
	assert_non_null(strstr(diag.msg, "pref_address 0x1000000"));
	free(f.img);
}

/* init_size, not the file size, is what the kernel needs at its address. */
static void test_kernel_init_size_past_ram(void **state)
{
	struct fixture f;
	struct zp_diag diag;

	(void)state;
	setup_image(&f, ZP_XLF_KERNEL_64, true);
	f.layout.kernel_addr = 0x3f000000;	/* 16 MiB left, init_size is 32 */
	f.layout.initrd_addr = 0x10000000;
	assert_int_equal(check(&f, &diag), ZP_ELAYOUT);
	assert_non_null(strstr(diag.msg, "kernel 0x3f000000-0x41000000"));
	free(f.img);
}

static void test_initrd_above_initrd_addr_max(void **state)
{
	struct fixture f;
	struct zp_diag diag;

	(void)state;
	setup_image(&f, ZP_XLF_KERNEL_64, true);
	synth_put32(f.img + 0x22c, 0x37ffffff);	/* the limit before 2.03 */
	assert_int_equal(zp_probe_bzimage(f.img, f.len, &f.bz), ZP_OK);
	f.layout.initrd_addr = 0x37f00000;
	f.layout.initrd_size = 0x200000;
	assert_int_equal(check(&f, &diag), ZP_ELAYOUT);
	assert_string_equal(diag.msg,
			    "initrd 0x37f00000-0x38100000 ends above initrd_addr_max 0x37ffffff");
	f.layout.initrd_size = 0x100000;	/* ends exactly at the limit */
	assert_int_equal(check(&f, &diag), ZP_OK);
	free(f.img);
}

static void test_initrd_above_4g(void **state)
{
	struct fixture f;
	struct zp_diag diag;

	(void)state;
	setup_image(&f, ZP_XLF_KERNEL_64, true);
	f.layout.initrd_addr = 0x100000000ull;
	assert_int_equal(check(&f, &diag), ZP_ELAYOUT);
	assert_non_null(strstr(diag.msg, "initrd_addr_max"));
	free(f.img);
	setup_image(&f, ZP_XLF_KERNEL_64 | ZP_XLF_CAN_BE_LOADED_ABOVE_4G, true);
	f.layout.initrd_addr = 0x100000000ull;
	assert_int_equal(check(&f, &diag), ZP_OK);
	free(f.img);
}

/* Loaded below pref_address, a relocatable kernel decompresses at
 * pref_address: its init_size room starts there (boot.rst pref_address). */
static void test_kernel_below_pref_address(void **state)
{
	struct fixture f;
	struct zp_diag diag;

	(void)state;
	setup_image(&f, ZP_XLF_KERNEL_64, true);
	f.layout.kernel_addr = 0x400000;
	f.layout.initrd_addr = 0x2800000;	/* past 0x400000 + init_size only */
	assert_int_equal(check(&f, &diag), ZP_ELAYOUT);
	assert_non_null(strstr(diag.msg, "kernel 0x400000-0x3000000 overlaps initrd"));
	f.layout.initrd_addr = 0x3000000;
	assert_int_equal(check(&f, &diag), ZP_OK);
	free(f.img);
}

/* Without XLF_CAN_BE_LOADED_ABOVE_4G the kernel, zero page and command
 * line stay below 4 GiB (boot.rst, xloadflags). */
static void test_above_4g_needs_xlf(void **state)
{
	struct fixture f;
	struct zp_diag diag;

	(void)state;
	setup_image(&f, ZP_XLF_KERNEL_64, true);
	f.layout.cmdline_addr = 0x100001000ull;
	assert_int_equal(check(&f, &diag), ZP_ELAYOUT);
	assert_non_null(strstr(diag.msg, "cmdline 0x100001000"));
	assert_non_null(strstr(diag.msg, "XLF_CAN_BE_LOADED_ABOVE_4G"));
	f.layout.cmdline_addr = 0x20000;
	f.layout.kernel_addr = 0x100000000ull;
	assert_int_equal(check(&f, &diag), ZP_ELAYOUT);
	assert_non_null(strstr(diag.msg, "kernel 0x100000000"));
	free(f.img);
	setup_image(&f, ZP_XLF_KERNEL_64 | ZP_XLF_CAN_BE_LOADED_ABOVE_4G, true);
	f.layout.cmdline_addr = 0x100001000ull;
	f.layout.kernel_addr = 0x102000000ull;
	f.layout.zero_page_addr = 0x100000000ull;
	assert_int_equal(check(&f, &diag), ZP_OK);
	free(f.img);
}

static void test_cmdline_too_long(void **state)
{
	struct fixture f;
	struct zp_diag diag;

	(void)state;
	setup_image(&f, ZP_XLF_KERNEL_64, true);
	f.layout.cmdline_len = 2048;
	assert_int_equal(check(&f, &diag), ZP_ELAYOUT);
	assert_non_null(strstr(diag.msg, "2048"));
	assert_non_null(strstr(diag.msg, "2047"));
	free(f.img);
}

static void test_overlap(void **state)
{
	struct fixture f;
	struct zp_diag diag;

	(void)state;
	setup_image(&f, ZP_XLF_KERNEL_64, true);
	f.layout.initrd_addr = 0x2000000;	/* inside the kernel's init_size */
	assert_int_equal(check(&f, &diag), ZP_ELAYOUT);
	assert_non_null(strstr(diag.msg, "kernel 0x1000000-0x3000000 overlaps initrd"));
	f.layout.initrd_addr = 0x30000000;
	f.layout.setup_data_addr = 0x7800;	/* into the zero page */
	assert_int_equal(check(&f, &diag), ZP_ELAYOUT);
	assert_non_null(strstr(diag.msg, "zero page"));
	assert_non_null(strstr(diag.msg, "setup_data"));
	free(f.img);
}

static void test_outside_ram(void **state)
{
	struct fixture f;
	struct zp_diag diag;

	(void)state;
	setup_image(&f, ZP_XLF_KERNEL_64, true);
	f.layout.cmdline_addr = 0x9fc00;	/* the reserved EBDA */
	assert_int_equal(check(&f, &diag), ZP_ELAYOUT);
	assert_non_null(strstr(diag.msg, "cmdline 0x9fc00"));
	f.layout.cmdline_addr = 0x20000;
	f.layout.initrd_addr = 0x3ff00000;	/* runs into the hole below 4 GiB */
	f.layout.initrd_size = 0x200000;
	assert_int_equal(check(&f, &diag), ZP_ELAYOUT);
	assert_non_null(strstr(diag.msg, "initrd 0x3ff00000-0x40100000"));
	free(f.img);
}

/* The real kernel at its preferred address, with the usual companions,
 * fits a 1 GiB machine, and its zero page carries its own header. */
static void test_real_kernel_layout(void **state)
{
	const char *path = realk_path();
	struct zp_bzimage bz;
	struct zp_boot_params bp;
	struct zp_diag diag;
	struct zp_layout l = {
		.zero_page_addr = 0x7000, .cmdline_addr = 0x20000, .cmdline_len = 20,
		.initrd_addr = 0x30000000, .initrd_size = 0x2000000,
	};
	struct zp_boot_config cfg = {
		.e820 = ram_1g, .e820_count = NMAP, .cmdline = "console=ttyS0 quiet",
		.cmdline_addr = 0x20000, .initrd_addr = 0x30000000, .initrd_size = 0x2000000,
	};
	uint8_t *buf;
	size_t len;

	(void)state;
	if (!path)
		skip();
	buf = realk_read(path, &len);
	assert_int_equal(zp_probe_bzimage(buf, len, &bz), ZP_OK);
	l.kernel_addr = bz.pref_address;
	cfg.kernel_addr = bz.pref_address;
	assert_int_equal(zp_check_layout(&bz, ram_1g, NMAP, &l, &diag), ZP_OK);
	l.initrd_addr = bz.pref_address + bz.init_size - 0x1000;	/* inside init_size */
	assert_int_equal(zp_check_layout(&bz, ram_1g, NMAP, &l, &diag), ZP_ELAYOUT);
	assert_non_null(strstr(diag.msg, "overlaps initrd"));
	assert_int_equal(zp_build_boot_params(&bz, &cfg, &bp, NULL, &diag), ZP_OK);
	assert_memory_equal(&bp.hdr.header, buf + 0x202, 4);
	assert_int_equal(bp.hdr.init_size, bz.init_size);
	assert_int_equal(bp.hdr.kernel_info_offset, bz.hdr.kernel_info_offset);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_layout),
		cmocka_unit_test(test_kernel_misaligned),
		cmocka_unit_test(test_min_alignment),
		cmocka_unit_test(test_non_relocatable_not_at_pref_address),
		cmocka_unit_test(test_kernel_init_size_past_ram),
		cmocka_unit_test(test_initrd_above_initrd_addr_max),
		cmocka_unit_test(test_initrd_above_4g),
		cmocka_unit_test(test_kernel_below_pref_address),
		cmocka_unit_test(test_above_4g_needs_xlf),
		cmocka_unit_test(test_cmdline_too_long),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_outside_ram),
		cmocka_unit_test(test_real_kernel_layout),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
