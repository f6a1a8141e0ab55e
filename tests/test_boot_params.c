/* SPDX-License-Identifier: MIT */
/* test_boot_params: the zero page built for a bzImage. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <zeropage/zeropage.h>
#include "synth.h"

struct fixture {
	uint8_t *img;
	size_t len;
	struct zp_bzimage bz;
};

static void probe(struct fixture *f, uint16_t protocol, uint8_t loadflags_extra)
{
	struct synth_bzimage_opts o = {
		.protocol = protocol, .xloadflags = ZP_XLF_KERNEL_64, .relocatable = true,
		.version = "6.9.0", .payload = "\x1f\x8b\x08", .payload_len = 3,
	};
	f->img = synth_bzimage(&o, &f->len);
	f->img[0x211] |= loadflags_extra;
	assert_int_equal(zp_probe_bzimage(f->img, f->len, &f->bz), ZP_OK);
}

static const struct zp_e820_entry small_map[] = {
	{ 0, 0x9fc00, ZP_E820_RAM },
	{ 0xf0000, 0x10000, ZP_E820_RESERVED },
	{ 0x100000, 0x7ff00000, ZP_E820_RAM },
};

static void test_loader_fields(void **state)
{
	struct fixture f;
	struct zp_boot_params bp;
	struct zp_diag diag;
	struct zp_boot_config cfg = {
		.e820 = small_map, .e820_count = 3,
		.cmdline = "console=ttyS0 quiet", .cmdline_addr = 0x123456000ull,
		.initrd_addr = 0x187654000ull, .initrd_size = 0x2345678,
		.rsdp_addr = 0xf5a20, .kernel_addr = 0x1000000,
	};
	size_t used = 99;

	(void)state;
	probe(&f, 0x20f, ZP_QUIET_FLAG);
	assert_int_equal(zp_build_boot_params(&f.bz, &cfg, &bp, &used, &diag), ZP_OK);
	/* the image's own header, as the kernel wrote it */
	assert_memory_equal(&bp.hdr, f.img + 0x1f1, 0x210 - 0x1f1);
	assert_int_equal(bp.hdr.header, ZP_HDRS_MAGIC);
	assert_int_equal(bp.hdr.boot_flag, ZP_BOOT_FLAG);
	assert_int_equal(bp.hdr.version, 0x20f);
	assert_int_equal(bp.hdr.xloadflags, ZP_XLF_KERNEL_64);
	assert_int_equal(bp.hdr.init_size, f.bz.init_size);
	/* what a loader writes */
	assert_int_equal(bp.hdr.type_of_loader, 0xff);
	assert_true(bp.hdr.loadflags & ZP_LOADED_HIGH);
	assert_true(bp.hdr.loadflags & ZP_CAN_USE_HEAP);
	assert_false(bp.hdr.loadflags & ZP_QUIET_FLAG);
	assert_int_equal(bp.hdr.heap_end_ptr, 0xfe00 - 0x200);
	assert_int_equal(bp.hdr.cmd_line_ptr, 0x23456000);
	assert_int_equal(bp.ext_cmd_line_ptr, 0x1);
	assert_int_equal(bp.hdr.ramdisk_image, 0x87654000);
	assert_int_equal(bp.ext_ramdisk_image, 0x1);
	assert_int_equal(bp.hdr.ramdisk_size, 0x2345678);
	assert_int_equal(bp.ext_ramdisk_size, 0);
	assert_int_equal(bp.acpi_rsdp_addr, 0xf5a20);
	assert_int_equal(bp.hdr.code32_start, 0x1000000);
	assert_int_equal(bp.e820_entries, 3);
	assert_memory_equal(bp.e820_table, small_map, sizeof(small_map));
	assert_int_equal(bp.hdr.setup_data, 0);
	assert_int_equal(used, 0);
	free(f.img);
}

static void test_registered_loader_id_kept(void **state)
{
	struct fixture f;
	struct zp_boot_params bp;
	struct zp_boot_config cfg = { .type_of_loader = 0x72 };	/* a registered ID */

	(void)state;
	probe(&f, 0x20f, 0);
	assert_int_equal(zp_build_boot_params(&f.bz, &cfg, &bp, NULL, NULL), ZP_OK);
	assert_int_equal(bp.hdr.type_of_loader, 0x72);
	assert_int_equal(bp.hdr.ramdisk_image, 0);
	assert_int_equal(bp.hdr.cmd_line_ptr, 0);
	free(f.img);
}

/* acpi_rsdp_addr exists from 2.14; an older kernel must not get one. */
static void test_rsdp_only_from_2_14(void **state)
{
	struct zp_boot_config cfg = { .rsdp_addr = 0xf5a20 };

	(void)state;
	for (uint16_t v = 0x20c; v <= 0x20f; v++) {
		struct fixture f;
		struct zp_boot_params bp;
		probe(&f, v, 0);
		assert_int_equal(zp_build_boot_params(&f.bz, &cfg, &bp, NULL, NULL), ZP_OK);
		assert_int_equal(bp.acpi_rsdp_addr, v >= 0x20e ? 0xf5a20 : 0);
		free(f.img);
	}
}

/* A kernel placed on min_alignment only: the zero page must say so, or the
 * decompressor rounds the address up to kernel_alignment (boot.rst). */
static void test_min_alignment_updates_kernel_alignment(void **state)
{
	struct fixture f;
	struct zp_boot_params bp;
	struct zp_boot_config cfg = { .kernel_addr = 0x1200000 };

	(void)state;
	probe(&f, 0x20f, 0);
	synth_put32(f.img + 0x230, 0x1000000);	/* kernel_alignment: 16 MiB */
	f.img[0x235] = 21;			/* min_alignment: 2 MiB */
	assert_int_equal(zp_probe_bzimage(f.img, f.len, &f.bz), ZP_OK);
	assert_int_equal(zp_build_boot_params(&f.bz, &cfg, &bp, NULL, NULL), ZP_OK);
	assert_int_equal(bp.hdr.kernel_alignment, 0x200000);
	cfg.kernel_addr = 0x2000000;		/* aligned: the kernel's own value stays */
	assert_int_equal(zp_build_boot_params(&f.bz, &cfg, &bp, NULL, NULL), ZP_OK);
	assert_int_equal(bp.hdr.kernel_alignment, 0x1000000);
	free(f.img);
}

static void test_subarch(void **state)
{
	struct fixture f;
	struct zp_boot_params bp;
	struct zp_diag diag;
	struct zp_boot_config cfg = {
		.hardware_subarch = ZP_SUBARCH_XEN, .hardware_subarch_data = 0x7000,
	};

	(void)state;
	probe(&f, 0x207, 0);
	assert_int_equal(zp_build_boot_params(&f.bz, &cfg, &bp, NULL, &diag), ZP_OK);
	assert_int_equal(bp.hdr.hardware_subarch, ZP_SUBARCH_XEN);
	assert_int_equal(bp.hdr.hardware_subarch_data, 0x7000);
	free(f.img);
	probe(&f, 0x206, 0);
	assert_int_equal(zp_build_boot_params(&f.bz, &cfg, &bp, NULL, &diag), ZP_EPROTOCOL);
	assert_non_null(strstr(diag.msg, "2.07"));
	assert_non_null(strstr(diag.msg, "2.06"));
	free(f.img);
}

static struct zp_e820_entry *many_entries(uint32_t n)
{
	struct zp_e820_entry *e = calloc(n, sizeof(*e));
	for (uint32_t i = 0; i < n; i++)	/* alternating RAM and reserved, 1 MiB each */
		e[i] = (struct zp_e820_entry){ (uint64_t)i << 20, 1 << 20,
					       i % 2 ? ZP_E820_RESERVED : ZP_E820_RAM };
	return e;
}

static void test_e820_beyond_128_goes_to_setup_data(void **state)
{
	const uint32_t n = 200;
	struct zp_e820_entry *map = many_entries(n);
	uint8_t buf[8192];
	struct zp_setup_data node;
	struct fixture f;
	struct zp_boot_params bp;
	struct zp_diag diag;
	struct zp_boot_config cfg = {
		.e820 = map, .e820_count = n,
		.setup_data_buf = buf, .setup_data_cap = sizeof(buf), .setup_data_addr = 0x90000,
	};
	size_t used;

	(void)state;
	probe(&f, 0x20f, 0);
	assert_int_equal(zp_build_boot_params(&f.bz, &cfg, &bp, &used, &diag), ZP_OK);
	assert_int_equal(bp.e820_entries, 128);
	assert_memory_equal(bp.e820_table, map, 128 * sizeof(*map));
	assert_int_equal(bp.hdr.setup_data, 0x90000);
	memcpy(&node, buf, sizeof(node));
	assert_int_equal(node.type, ZP_SETUP_E820_EXT);
	assert_int_equal(node.len, (n - 128) * sizeof(*map));
	assert_int_equal(node.next, 0);
	assert_memory_equal(buf + sizeof(node), map + 128, (n - 128) * sizeof(*map));
	assert_int_equal(used, sizeof(node) + (n - 128) * sizeof(*map));
	free(f.img);
	free(map);
}

static void test_rng_seed_chained_after_e820_ext(void **state)
{
	const uint32_t n = 131;
	struct zp_e820_entry *map = many_entries(n);
	uint8_t seed[32], buf[512];
	struct zp_setup_data first, second;
	struct fixture f;
	struct zp_boot_params bp;
	struct zp_boot_config cfg = {
		.e820 = map, .e820_count = n, .rng_seed = seed, .rng_seed_len = sizeof(seed),
		.setup_data_buf = buf, .setup_data_cap = sizeof(buf), .setup_data_addr = 0x90000,
	};
	size_t used, second_off;

	(void)state;
	for (size_t i = 0; i < sizeof(seed); i++)
		seed[i] = (uint8_t)(i * 37 + 1);
	probe(&f, 0x20f, 0);
	assert_int_equal(zp_build_boot_params(&f.bz, &cfg, &bp, &used, NULL), ZP_OK);
	memcpy(&first, buf, sizeof(first));
	assert_int_equal(first.type, ZP_SETUP_E820_EXT);
	assert_int_equal(first.len, 3 * sizeof(*map));
	/* next is a guest address, 8-byte aligned, inside the buffer */
	assert_int_equal(first.next % 8, 0);
	second_off = first.next - 0x90000;
	assert_true(second_off >= sizeof(first) + first.len);
	memcpy(&second, buf + second_off, sizeof(second));
	assert_int_equal(second.type, ZP_SETUP_RNG_SEED);
	assert_int_equal(second.len, sizeof(seed));
	assert_int_equal(second.next, 0);
	assert_memory_equal(buf + second_off + sizeof(second), seed, sizeof(seed));
	assert_int_equal(used, second_off + sizeof(second) + sizeof(seed));
	free(f.img);
	free(map);
}

static void test_rng_seed_alone(void **state)
{
	uint8_t seed[16] = { 1, 2, 3 }, buf[64];
	struct zp_setup_data node;
	struct fixture f;
	struct zp_boot_params bp;
	struct zp_boot_config cfg = {
		.e820 = small_map, .e820_count = 3, .rng_seed = seed, .rng_seed_len = 16,
		.setup_data_buf = buf, .setup_data_cap = sizeof(buf), .setup_data_addr = 0x20000,
	};
	size_t used;

	(void)state;
	probe(&f, 0x20f, 0);
	assert_int_equal(zp_build_boot_params(&f.bz, &cfg, &bp, &used, NULL), ZP_OK);
	assert_int_equal(bp.hdr.setup_data, 0x20000);
	memcpy(&node, buf, sizeof(node));
	assert_int_equal(node.type, ZP_SETUP_RNG_SEED);
	assert_int_equal(node.len, 16);
	assert_memory_equal(buf + 16, seed, 16);
	assert_int_equal(used, 32);
	free(f.img);
}

static void test_setup_data_buffer_too_small(void **state)
{
	uint8_t seed[64] = { 0 }, buf[40];
	struct fixture f;
	struct zp_boot_params bp;
	struct zp_diag diag;
	struct zp_boot_config cfg = {
		.rng_seed = seed, .rng_seed_len = 64,
		.setup_data_buf = buf, .setup_data_cap = sizeof(buf), .setup_data_addr = 0x20000,
	};

	(void)state;
	probe(&f, 0x20f, 0);
	assert_int_equal(zp_build_boot_params(&f.bz, &cfg, &bp, NULL, &diag), ZP_ENOSPACE);
	assert_non_null(strstr(diag.msg, "80"));	/* 16 + 64 needed */
	assert_non_null(strstr(diag.msg, "40"));
	cfg.setup_data_buf = NULL;
	assert_int_equal(zp_build_boot_params(&f.bz, &cfg, &bp, NULL, &diag), ZP_ENOSPACE);
	free(f.img);
}

/* setup_data is 2.09+: an older kernel cannot take the extra entries. */
static void test_e820_beyond_128_on_old_protocol(void **state)
{
	struct zp_e820_entry *map = many_entries(129);
	uint8_t buf[256];
	struct fixture f;
	struct zp_boot_params bp;
	struct zp_diag diag;
	struct zp_boot_config cfg = {
		.e820 = map, .e820_count = 129,
		.setup_data_buf = buf, .setup_data_cap = sizeof(buf), .setup_data_addr = 0x20000,
	};

	(void)state;
	probe(&f, 0x208, 0);
	assert_int_equal(zp_build_boot_params(&f.bz, &cfg, &bp, NULL, &diag), ZP_ETOOMANY);
	assert_non_null(strstr(diag.msg, "129"));
	free(f.img);
	free(map);
}

static void test_cmdline_longer_than_cmdline_size(void **state)
{
	char line[301];
	struct fixture f;
	struct zp_boot_params bp;
	struct zp_diag diag;
	struct zp_boot_config cfg = { .cmdline = line, .cmdline_addr = 0x20000 };

	(void)state;
	memset(line, 'x', 300);
	line[300] = '\0';
	probe(&f, 0x205, 0);			/* before 2.06: cmdline_size is 255 */
	assert_int_equal(f.bz.cmdline_size, 255);
	assert_int_equal(zp_build_boot_params(&f.bz, &cfg, &bp, NULL, &diag), ZP_ECMDLINE);
	assert_non_null(strstr(diag.msg, "300"));
	assert_non_null(strstr(diag.msg, "255"));
	line[255] = '\0';			/* exactly cmdline_size fits */
	assert_int_equal(zp_build_boot_params(&f.bz, &cfg, &bp, NULL, &diag), ZP_OK);
	assert_int_equal(bp.hdr.cmd_line_ptr, 0x20000);
	free(f.img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loader_fields),
		cmocka_unit_test(test_registered_loader_id_kept),
		cmocka_unit_test(test_rsdp_only_from_2_14),
		cmocka_unit_test(test_min_alignment_updates_kernel_alignment),
		cmocka_unit_test(test_subarch),
		cmocka_unit_test(test_e820_beyond_128_goes_to_setup_data),
		cmocka_unit_test(test_rng_seed_chained_after_e820_ext),
		cmocka_unit_test(test_rng_seed_alone),
		cmocka_unit_test(test_setup_data_buffer_too_small),
		cmocka_unit_test(test_e820_beyond_128_on_old_protocol),
		cmocka_unit_test(test_cmdline_longer_than_cmdline_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
