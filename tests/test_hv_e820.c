/* SPDX-License-Identifier: MIT */
/* test_hv_e820: a memory map the hypervisor wrote as raw bytes (Xen's
 * XENMEM_memory_map result: a count and packed 20-byte e820 entries),
 * validated and sorted by zp_e820_from_hypervisor. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <zeropage/zeropage.h>

#define RAM ZP_E820_RAM
#define RES ZP_E820_RESERVED

/* Little-endian, byte by byte: the ABI, not our struct, defines the bytes. */
static void put_entry(uint8_t *buf, unsigned i, uint64_t addr, uint64_t size, uint32_t type)
{
	uint8_t *p = buf + i * 20u;

	for (int k = 0; k < 8; k++) {
		p[k] = (uint8_t)(addr >> (8 * k));
		p[8 + k] = (uint8_t)(size >> (8 * k));
	}
	for (int k = 0; k < 4; k++)
		p[16 + k] = (uint8_t)(type >> (8 * k));
}

static void assert_entry(const struct zp_e820_entry *e, uint64_t addr, uint64_t size,
			 uint32_t type)
{
	assert_int_equal(e->addr, addr);
	assert_int_equal(e->size, size);
	assert_int_equal(e->type, type);
}

/* What Xen 4.17 gives a 1 GiB PVH dom0 on q35, in the order it wrote it. */
static void test_xen_dom0_map_is_sorted(void **state)
{
	uint8_t buf[5 * 20];
	struct zp_e820_entry e[8];
	struct zp_e820_map m = { e, 0, 8 };
	struct zp_diag diag;

	(void)state;
	put_entry(buf, 0, 0x100000, 0x3ff00000, RAM);
	put_entry(buf, 1, 0, 0x9f000, RAM);
	put_entry(buf, 2, 0x9f000, 0x1000, RES);
	put_entry(buf, 3, 0xfee00000, 0x1000, RES);
	put_entry(buf, 4, 0xb0000000, 0x10000000, RES);
	assert_int_equal(zp_e820_from_hypervisor(buf, sizeof(buf), 5, &m, &diag), ZP_OK);
	assert_string_equal(diag.msg, "");
	assert_int_equal(m.count, 5);
	assert_entry(&e[0], 0, 0x9f000, RAM);
	assert_entry(&e[1], 0x9f000, 0x1000, RES);
	assert_entry(&e[2], 0x100000, 0x3ff00000, RAM);
	assert_entry(&e[3], 0xb0000000, 0x10000000, RES);
	assert_entry(&e[4], 0xfee00000, 0x1000, RES);
	assert_true(zp_e820_is_ram(&m, 0x1000000, 0x2000000));
}

static void test_adjacent_entries_merge_and_empty_ones_drop(void **state)
{
	uint8_t buf[4 * 20];
	struct zp_e820_entry e[4];
	struct zp_e820_map m = { e, 0, 4 };

	(void)state;
	put_entry(buf, 0, 0x200000, 0x100000, RAM);
	put_entry(buf, 1, 0x100000, 0x100000, RAM);
	put_entry(buf, 2, 0x5000000, 0, RES);		/* empty: dropped */
	put_entry(buf, 3, 0xfec00000, 0x1000, 99);	/* unknown type: kept, the kernel decides */
	assert_int_equal(zp_e820_from_hypervisor(buf, sizeof(buf), 4, &m, NULL), ZP_OK);
	assert_int_equal(m.count, 2);
	assert_entry(&e[0], 0x100000, 0x200000, RAM);
	assert_entry(&e[1], 0xfec00000, 0x1000, 99);
}

static void test_zero_count(void **state)
{
	uint8_t buf[20] = { 0 };
	struct zp_e820_entry e[4];
	struct zp_e820_map m = { e, 0, 4 };
	struct zp_diag diag;

	(void)state;
	assert_int_equal(zp_e820_from_hypervisor(buf, sizeof(buf), 0, &m, &diag), ZP_ENOMEMMAP);
	assert_non_null(strstr(diag.msg, "no entries"));
	assert_int_equal(m.count, 0);
}

static void test_only_empty_or_no_ram(void **state)
{
	uint8_t buf[2 * 20];
	struct zp_e820_entry e[4];
	struct zp_e820_map m = { e, 0, 4 };
	struct zp_diag diag;

	(void)state;
	put_entry(buf, 0, 0x1000, 0, RAM);
	put_entry(buf, 1, 0x2000, 0, RES);
	assert_int_equal(zp_e820_from_hypervisor(buf, sizeof(buf), 2, &m, &diag), ZP_ENOMEMMAP);
	assert_non_null(strstr(diag.msg, "all empty"));
	put_entry(buf, 0, 0xfee00000, 0x1000, RES);
	put_entry(buf, 1, 0xfec00000, 0x1000, RES);
	assert_int_equal(zp_e820_from_hypervisor(buf, sizeof(buf), 2, &m, &diag), ZP_ENOMEMMAP);
	assert_non_null(strstr(diag.msg, "no RAM"));
	assert_int_equal(m.count, 0);
}

static void test_wrapping_entry(void **state)
{
	uint8_t buf[3 * 20];
	struct zp_e820_entry e[4];
	struct zp_e820_map m = { e, 0, 4 };
	struct zp_diag diag;

	(void)state;
	put_entry(buf, 0, 0, 0x9f000, RAM);
	put_entry(buf, 1, 0x100000, 0x1000000, RAM);
	put_entry(buf, 2, 0xfffffffffffff000ull, 0x1001, RES);	/* ends past 2^64 */
	assert_int_equal(zp_e820_from_hypervisor(buf, sizeof(buf), 3, &m, &diag), ZP_EOVERFLOW);
	assert_non_null(strstr(diag.msg, "entry 2"));
	assert_non_null(strstr(diag.msg, "0xfffffffffffff000"));
	assert_int_equal(m.count, 0);
	put_entry(buf, 2, 0xfffffffffffff000ull, 0xfff, RES);	/* last byte at 2^64 - 1: fine */
	assert_int_equal(zp_e820_from_hypervisor(buf, sizeof(buf), 3, &m, &diag), ZP_OK);
	assert_int_equal(m.count, 3);
}

static void test_too_many_entries(void **state)
{
	size_t len = (ZP_HV_E820_MAX + 1) * 20u;
	uint8_t *buf = calloc(1, len);
	struct zp_e820_entry *e = calloc(ZP_HV_E820_MAX + 1, sizeof(*e));
	struct zp_e820_map m = { e, 0, ZP_HV_E820_MAX + 1 };
	struct zp_diag diag;

	(void)state;
	for (unsigned i = 0; i <= ZP_HV_E820_MAX; i++)
		put_entry(buf, i, (uint64_t)i * 0x200000, 0x100000, RAM);
	assert_int_equal(zp_e820_from_hypervisor(buf, len, ZP_HV_E820_MAX + 1, &m, &diag),
			 ZP_ETOOMANY);
	assert_non_null(strstr(diag.msg, "1025"));
	assert_int_equal(zp_e820_from_hypervisor(buf, len, UINT32_MAX, &m, &diag), ZP_ETOOMANY);
	/* the most Xen writes: accepted, no two entries merge */
	assert_int_equal(zp_e820_from_hypervisor(buf, len, ZP_HV_E820_MAX, &m, &diag), ZP_OK);
	assert_int_equal(m.count, ZP_HV_E820_MAX);
	free(buf);
	free(e);
}

static void test_count_beyond_buffer(void **state)
{
	uint8_t buf[2 * 20 + 19];	/* two entries and a partial third */
	struct zp_e820_entry e[4];
	struct zp_e820_map m = { e, 0, 4 };
	struct zp_diag diag;

	(void)state;
	put_entry(buf, 0, 0, 0x9f000, RAM);
	put_entry(buf, 1, 0x100000, 0x1000000, RAM);
	assert_int_equal(zp_e820_from_hypervisor(buf, sizeof(buf), 3, &m, &diag), ZP_ETRUNCATED);
	assert_non_null(strstr(diag.msg, "3 entries (60 bytes)"));
	assert_non_null(strstr(diag.msg, "59 bytes"));
	assert_int_equal(zp_e820_from_hypervisor(buf, sizeof(buf), 2, &m, &diag), ZP_OK);
}

static void test_map_too_small_and_bad_arguments(void **state)
{
	uint8_t buf[3 * 20];
	struct zp_e820_entry e[2];
	struct zp_e820_map m = { e, 0, 2 };
	struct zp_e820_map no_entries = { NULL, 0, 2 };
	struct zp_diag diag;

	(void)state;
	for (unsigned i = 0; i < 3; i++)
		put_entry(buf, i, i * 0x200000ull, 0x100000, RAM);
	assert_int_equal(zp_e820_from_hypervisor(buf, sizeof(buf), 3, &m, &diag), ZP_ENOSPACE);
	assert_non_null(strstr(diag.msg, "holds 2"));
	assert_int_equal(zp_e820_from_hypervisor(NULL, 0, 1, &m, &diag), ZP_EINVAL);
	assert_int_equal(zp_e820_from_hypervisor(buf, sizeof(buf), 1, NULL, &diag), ZP_EINVAL);
	assert_int_equal(zp_e820_from_hypervisor(buf, sizeof(buf), 1, &no_entries, &diag),
			 ZP_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xen_dom0_map_is_sorted),
		cmocka_unit_test(test_adjacent_entries_merge_and_empty_ones_drop),
		cmocka_unit_test(test_zero_count),
		cmocka_unit_test(test_only_empty_or_no_ram),
		cmocka_unit_test(test_wrapping_entry),
		cmocka_unit_test(test_too_many_entries),
		cmocka_unit_test(test_count_beyond_buffer),
		cmocka_unit_test(test_map_too_small_and_bad_arguments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
