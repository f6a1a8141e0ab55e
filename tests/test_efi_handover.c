/* SPDX-License-Identifier: MIT */
/*
 * test_efi_handover: zp_efi_handover_plan, the decision our EFI loader
 * (efi/handover.c) and the efi-handover paths share: which entry a 32- or
 * 64-bit firmware takes into a bzImage by the EFI handover protocol, and
 * the refusals with their reasons.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <zeropage/zeropage.h>
#include "synth.h"

static uint8_t payload[0x2000] = { 0x1f, 0x8b, 0x08 };

static struct synth_bzimage_opts opts(uint16_t protocol, uint16_t xlf, uint32_t handover)
{
	return (struct synth_bzimage_opts){
		.protocol = protocol,
		.xloadflags = xlf,
		.payload = payload,
		.payload_len = sizeof(payload),
		.init_size = 0x800000,
		.pref_address = 0x1000000,
		.kernel_alignment = 0x200000,
		.relocatable = true,
		.handover_offset = handover,
		.cmdline_size = 2047,
	};
}

/* Probes the synthetic image and plans for `bits`; the image stays alive
 * only during the call (the plan holds no pointer into it). */
static int plan_for(struct synth_bzimage_opts o, unsigned bits, struct zp_handover_plan *p,
		    struct zp_diag *d)
{
	struct zp_bzimage bz;
	size_t len;
	uint8_t *img = synth_bzimage(&o, &len);
	int r = zp_probe_bzimage(img, len, &bz);

	assert_int_equal(r, ZP_OK);
	r = zp_efi_handover_plan(&bz, bits, p, d);
	free(img);
	return r;
}

#define BOTH	(ZP_XLF_KERNEL_64 | ZP_XLF_EFI_HANDOVER_32 | ZP_XLF_EFI_HANDOVER_64)

static void test_entries_by_width(void **state)
{
	struct zp_handover_plan p;
	struct zp_diag d;

	(void)state;
	assert_int_equal(plan_for(opts(0x20f, BOTH, 0x190), 64, &p, &d), ZP_OK);
	assert_int_equal(p.entry_offset, 0x190 + 0x200);	/* from startup_64 */
	assert_int_equal(p.room, 0x800000);
	assert_int_equal(p.align, 0x200000);
	assert_int_equal(p.pref_address, 0x1000000);
	assert_int_equal(p.cmdline_max, 2047);
	assert_true(p.initrd_max <= 0xffffffffull);
	assert_int_equal(plan_for(opts(0x20f, BOTH, 0x190), 32, &p, &d), ZP_OK);
	assert_int_equal(p.entry_offset, 0x190);		/* from startup_32 */
}

static void test_refusals(void **state)
{
	struct zp_handover_plan p;
	struct zp_diag d;

	(void)state;
	assert_int_equal(plan_for(opts(0x20f, BOTH, 0), 64, &p, &d), ZP_EENTRY);
	assert_non_null(strstr(d.msg, "handover_offset is 0"));
	assert_int_equal(plan_for(opts(0x20f, ZP_XLF_EFI_HANDOVER_64, 0x190), 32, &p, &d),
			 ZP_EENTRY);
	assert_non_null(strstr(d.msg, "XLF_EFI_HANDOVER_32"));
	assert_int_equal(plan_for(opts(0x20f, ZP_XLF_EFI_HANDOVER_32, 0x190), 64, &p, &d),
			 ZP_EENTRY);
	assert_non_null(strstr(d.msg, "XLF_EFI_HANDOVER_64"));
	assert_int_equal(plan_for(opts(0x20a, BOTH, 0x190), 64, &p, &d), ZP_EENTRY);
	assert_non_null(strstr(d.msg, "2.11"));
	/* an entry past the protected-mode code would be a jump into nowhere */
	assert_int_equal(plan_for(opts(0x20f, BOTH, 0x7fffffff), 64, &p, &d), ZP_EENTRY);
	assert_non_null(strstr(d.msg, "past the protected-mode code"));
	assert_int_equal(plan_for(opts(0x20f, BOTH, 0x190), 16, &p, &d), ZP_EINVAL);
	assert_int_equal(zp_efi_handover_plan(NULL, 64, &p, &d), ZP_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries_by_width),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
