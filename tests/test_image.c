/* SPDX-License-Identifier: MIT */
/* test_image: zp_probe tells a bzImage from an ELF from anything else, and
 * every error code has its own message. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <zeropage/zeropage.h>
#include "synth.h"

static void test_probe_dispatch(void **state)
{
	struct synth_bzimage_opts o = { .protocol = 0x20f, .version = "6.9.0" };
	struct zp_image img;
	size_t len;
	uint8_t *bz = synth_bzimage(&o, &len);
	uint8_t *elf;

	(void)state;
	assert_int_equal(zp_probe(bz, len, &img), ZP_OK);
	assert_int_equal(img.format, ZP_FORMAT_BZIMAGE);
	assert_string_equal(img.u.bz.version, "6.9.0");
	free(bz);
	elf = synth_elf(64, 0x1000000, NULL, 0, &len);
	assert_int_equal(zp_probe(elf, len, &img), ZP_OK);
	assert_int_equal(img.format, ZP_FORMAT_ELF);
	free(elf);
}

static void test_probe_unknown(void **state)
{
	static const char text[] = "#!/bin/sh\necho this is not a kernel\n";
	uint8_t *sector = calloc(1, 4096);
	struct zp_image img;

	(void)state;
	assert_int_equal(zp_probe(text, sizeof(text), &img), ZP_EUNKNOWN);
	assert_int_equal(img.format, ZP_FORMAT_UNKNOWN);
	assert_int_equal(zp_probe(text, 0, &img), ZP_EUNKNOWN);
	/* a boot sector that is not Linux: 0xaa55 but no "HdrS" */
	sector[0x1fe] = 0x55;
	sector[0x1ff] = 0xaa;
	assert_int_equal(zp_probe(sector, 4096, &img), ZP_EUNKNOWN);
	free(sector);
}

/* Once the magics say "bzImage" or "ELF", the specific error comes back. */
static void test_probe_keeps_specific_errors(void **state)
{
	struct synth_bzimage_opts o = { .protocol = 0x20f, .payload = "\x1f\x8b", .payload_len = 2 };
	struct zp_image img;
	size_t len;
	uint8_t *bz = synth_bzimage(&o, &len), *elf;

	(void)state;
	assert_int_equal(zp_probe(bz, len - 5, &img), ZP_EPAYLOAD);
	assert_int_equal(zp_probe(bz, 0x204, &img), ZP_ETRUNCATED);
	free(bz);
	elf = synth_elf(64, 0x1000000, NULL, 0, &len);
	assert_int_equal(zp_probe(elf, 20, &img), ZP_ETRUNCATED);
	free(elf);
}

static void test_every_error_has_its_own_message(void **state)
{
	(void)state;
	for (int a = ZP_ELAST; a <= ZP_OK; a++) {
		assert_string_not_equal(zp_strerror(a), "unknown error");
		for (int b = ZP_ELAST; b < a; b++)
			assert_string_not_equal(zp_strerror(a), zp_strerror(b));
	}
	assert_string_equal(zp_strerror(ZP_ELAST - 1), "unknown error");
}

static void test_entry_names(void **state)
{
	(void)state;
	assert_string_equal(zp_entry_name(ZP_ENTRY_REAL16), "real16");
	assert_string_equal(zp_entry_name(ZP_ENTRY_PROT32), "prot32");
	assert_string_equal(zp_entry_name(ZP_ENTRY_LONG64), "long64");
	assert_string_equal(zp_entry_name(ZP_ENTRY_EFI32), "efi32");
	assert_string_equal(zp_entry_name(ZP_ENTRY_EFI64), "efi64");
	assert_string_equal(zp_entry_name(ZP_ENTRY_PVH), "pvh");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_dispatch),
		cmocka_unit_test(test_probe_unknown),
		cmocka_unit_test(test_probe_keeps_specific_errors),
		cmocka_unit_test(test_every_error_has_its_own_message),
		cmocka_unit_test(test_entry_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
