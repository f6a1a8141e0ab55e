/* SPDX-License-Identifier: MIT */
/* test_ram_floor: the least guest RAM an image can start in
 * (zp_image_ram_floor), on synthetic bzImages and ELF kernels. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include <zeropage/zeropage.h>
#include "synth.h"

#define MiB	(1024u * 1024u)

static struct zp_image probe(const uint8_t *buf, size_t len)
{
	struct zp_image img;

	assert_int_equal(zp_probe(buf, len, &img), ZP_OK);
	return img;
}

/* A relocatable 2.15 kernel runs from pref_address and needs init_size. */
static void test_bzimage_init_size_from_pref_address(void **state)
{
	struct synth_bzimage_opts o = { .protocol = 0x20f, .relocatable = true,
					.pref_address = 16 * MiB, .init_size = 0x3378000 };
	struct zp_ram_floor f;
	size_t len;
	uint8_t *k = synth_bzimage(&o, &len);
	struct zp_image img = probe(k, len);

	(void)state;
	assert_int_equal(zp_image_ram_floor(&img, 0, &f), ZP_OK);
	assert_int_equal(f.kernel_start, 16 * MiB);
	assert_int_equal(f.kernel_end, 16 * MiB + 0x3378000);
	assert_int_equal(f.bytes, 16 * MiB + 0x3378000);
	assert_non_null(f.why);
	/* an initrd adds its pages: 1 byte is a page */
	assert_int_equal(zp_image_ram_floor(&img, 1, &f), ZP_OK);
	assert_int_equal(f.initrd, 4096);
	assert_int_equal(f.bytes, 16 * MiB + 0x3378000 + 4096);
	/* more initrd later (the probe's, known once written) adds its pages */
	assert_int_equal(zp_ram_floor_add_initrd(&f, 4097), ZP_OK);
	assert_int_equal(f.initrd, 3 * 4096);
	assert_int_equal(f.bytes, 16 * MiB + 0x3378000 + 3 * 4096);
	assert_int_equal(zp_ram_floor_add_initrd(&f, UINT64_MAX), ZP_EOVERFLOW);
	assert_int_equal(f.initrd, 3 * 4096);	/* unchanged */
	free(k);
}

/* Before 2.10 there is no init_size: the protected-mode code from 1 MiB. */
static void test_bzimage_old_protocol_uses_the_code(void **state)
{
	struct synth_bzimage_opts o = { .protocol = 0x207 };
	struct zp_ram_floor f;
	size_t len;
	uint8_t *k = synth_bzimage(&o, &len);
	struct zp_image img = probe(k, len);

	(void)state;
	assert_int_equal(zp_image_ram_floor(&img, 0, &f), ZP_OK);
	assert_int_equal(f.kernel_start, 0x100000);
	assert_int_equal(f.kernel_end, 0x100000 + img.u.bz.pm_size);
	assert_true(f.bytes >= f.kernel_end && f.bytes % 4096 == 0);
	free(k);
}

/* A vmlinux: its PT_LOAD at its physical address, bss (memsz) included. */
static void test_elf_pt_load_end(void **state)
{
	struct zp_ram_floor f;
	size_t len;
	uint8_t *k = synth_elf(64, 0x1000000, NULL, 0, &len);
	struct zp_image img = probe(k, len);

	(void)state;
	assert_int_equal(zp_image_ram_floor(&img, 0, &f), ZP_OK);
	assert_int_equal(f.kernel_start, SYNTH_ELF_LOAD_PADDR);
	assert_true(f.kernel_end > SYNTH_ELF_LOAD_PADDR);
	free(k);
}

/* Sizes that wrap are refused, not wrapped. */
static void test_overflow(void **state)
{
	struct synth_bzimage_opts o = { .protocol = 0x20f, .relocatable = true };
	struct zp_ram_floor f;
	size_t len;
	uint8_t *k = synth_bzimage(&o, &len);
	struct zp_image img = probe(k, len);

	(void)state;
	assert_int_equal(zp_image_ram_floor(&img, UINT64_MAX - 100, &f), ZP_EOVERFLOW);
	img.u.bz.pref_address = UINT64_MAX - 10;
	assert_int_equal(zp_image_ram_floor(&img, 0, &f), ZP_EOVERFLOW);
	assert_int_equal(zp_image_ram_floor(NULL, 0, &f), ZP_EINVAL);
	free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bzimage_init_size_from_pref_address),
		cmocka_unit_test(test_bzimage_old_protocol_uses_the_code),
		cmocka_unit_test(test_elf_pt_load_end),
		cmocka_unit_test(test_overflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
