/* SPDX-License-Identifier: MIT */
/* test_e820: editing memory maps (set/normalise/is_ram). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <zeropage/zeropage.h>

#define RAM ZP_E820_RAM
#define RES ZP_E820_RESERVED

/* Sorted, non-overlapping, and covering the same bytes as before. */
static void assert_well_formed(const struct zp_e820_map *m)
{
	for (uint32_t i = 0; i < m->count; i++) {
		assert_true(m->entries[i].size > 0);
		if (i)
			assert_true(m->entries[i - 1].addr + m->entries[i - 1].size <=
				    m->entries[i].addr);
	}
}

static void assert_entry(const struct zp_e820_entry *e, uint64_t addr, uint64_t size,
			 uint32_t type)
{
	assert_int_equal(e->addr, addr);
	assert_int_equal(e->size, size);
	assert_int_equal(e->type, type);
}

static void test_set_splits_an_entry(void **state)
{
	struct zp_e820_entry e[4] = { { 0, 0x40000000, RAM } };
	struct zp_e820_map m = { e, 1, 4 };

	(void)state;
	assert_int_equal(zp_e820_set(&m, 0x1000000, 0x200000, RES), ZP_OK);
	assert_int_equal(m.count, 3);
	assert_well_formed(&m);
	assert_entry(&e[0], 0, 0x1000000, RAM);
	assert_entry(&e[1], 0x1000000, 0x200000, RES);
	assert_entry(&e[2], 0x1200000, 0x40000000 - 0x1200000, RAM);
}

static void test_set_trims_and_swallows(void **state)
{
	struct zp_e820_entry e[8] = {
		{ 0x0, 0x1000, RAM }, { 0x1000, 0x1000, RES }, { 0x2000, 0x1000, RAM },
		{ 0x3000, 0x1000, RES },
	};
	struct zp_e820_map m = { e, 4, 8 };

	(void)state;
	/* covers the end of entry 0, all of 1 and 2, the start of 3 */
	assert_int_equal(zp_e820_set(&m, 0x800, 0x3000, RAM), ZP_OK);
	assert_well_formed(&m);
	assert_int_equal(m.count, 2);		/* RAM merged, one reserved tail */
	assert_entry(&e[0], 0, 0x3800, RAM);
	assert_entry(&e[1], 0x3800, 0x800, RES);
}

static void test_set_errors(void **state)
{
	struct zp_e820_entry e[2] = { { 0, 0x10000, RAM } };
	struct zp_e820_map m = { e, 1, 2 };

	(void)state;
	assert_int_equal(zp_e820_set(&m, 0x1000, 0x1000, RES), ZP_ENOSPACE);	/* needs 3 */
	assert_int_equal(m.count, 1);
	assert_entry(&e[0], 0, 0x10000, RAM);	/* untouched on failure */
	assert_int_equal(zp_e820_set(&m, UINT64_MAX - 10, 100, RES), ZP_EOVERFLOW);
	assert_int_equal(zp_e820_set(&m, 0x1000, 0, RES), ZP_OK);		/* nothing to do */
	assert_int_equal(m.count, 1);
	assert_int_equal(zp_e820_set(&m, 0, 0x1000, RES), ZP_OK);		/* a trim needs 2 */
	assert_int_equal(m.count, 2);
}

static void test_normalise(void **state)
{
	struct zp_e820_entry e[5] = {
		{ 0x3000, 0x1000, RAM }, { 0x0, 0x1000, RAM }, { 0x1000, 0x2000, RAM },
		{ 0x5000, 0, RES }, { 0x4000, 0x1000, RES },
	};
	struct zp_e820_map m = { e, 5, 5 };

	(void)state;
	zp_e820_normalise(&m);
	assert_int_equal(m.count, 2);
	assert_entry(&e[0], 0, 0x4000, RAM);
	assert_entry(&e[1], 0x4000, 0x1000, RES);
}

static void test_is_ram(void **state)
{
	struct zp_e820_entry e[] = {
		{ 0, 0x9fc00, RAM }, { 0x9fc00, 0x400, RES },
		{ 0x100000, 0x100000, RAM }, { 0x200000, 0x100000, RAM },	/* adjacent */
		{ 0x280000, 0x1000, RES },	/* overlaps RAM: reserved wins */
	};
	struct zp_e820_map m = { e, 5, 5 };

	(void)state;
	assert_true(zp_e820_is_ram(&m, 0x1000, 0x1000));
	assert_true(zp_e820_is_ram(&m, 0x180000, 0x100000));	/* spans two entries */
	assert_false(zp_e820_is_ram(&m, 0x9f000, 0x1000));	/* into reserved */
	assert_false(zp_e820_is_ram(&m, 0xa0000, 0x1000));	/* a hole */
	assert_false(zp_e820_is_ram(&m, 0x27f000, 0x2000));	/* the overlapping reservation */
	assert_false(zp_e820_is_ram(&m, 0x2ff000, 0x2000));	/* off the end */
	assert_false(zp_e820_is_ram(&m, UINT64_MAX, 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_splits_an_entry),
		cmocka_unit_test(test_set_trims_and_swallows),
		cmocka_unit_test(test_set_errors),
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_is_ram),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
