/* SPDX-License-Identifier: MIT */
/* test_start_info: building hvm_start_info v0/v1 and reading it back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <zeropage/zeropage.h>

/* A small guest: 1 MiB of "RAM" at guest address 0. */
#define GUEST_SIZE	(1u << 20)
#define SI_PADDR	0x6000u

static const struct zp_pvh_module two_modules[] = {
	{ 0x20000, 0x1800, 0 },
	{ 0x30000, 0x400, 0 },
};

static const struct zp_hvm_memmap_table_entry memmap3[] = {
	{ 0, 0x9fc00, ZP_HVM_MEMMAP_RAM, 0 },
	{ 0xf0000, 0x10000, ZP_HVM_MEMMAP_RESERVED, 0 },
	{ 0x100000, 0x3ff00000, ZP_HVM_MEMMAP_RAM, 0 },
};

static struct zp_pvh_config v1_config(void)
{
	return (struct zp_pvh_config){
		.version = 1, .flags = ZP_HVM_SIF_PRIVILEGED,
		.cmdline = "console=hvc0 root=/dev/vda",
		.rsdp_paddr = 0xf5a20,
		.modules = two_modules, .nr_modules = 2,
		.memmap = memmap3, .memmap_entries = 3,
	};
}

static void test_v1_round_trip(void **state)
{
	uint8_t *guest = calloc(1, GUEST_SIZE);
	struct zp_guest_mem mem = { guest, 0, GUEST_SIZE };
	struct zp_pvh_config cfg = v1_config();
	struct zp_pvh_info info;
	struct zp_pvh_module m;
	struct zp_diag diag;
	size_t used;

	(void)state;
	assert_int_equal(zp_build_start_info(&cfg, guest + SI_PADDR, 0x1000, SI_PADDR, &used),
			 ZP_OK);
	assert_int_equal(zp_pvh_parse(&mem, SI_PADDR, &info, &diag), ZP_OK);
	assert_int_equal(info.paddr, SI_PADDR);
	assert_int_equal(info.version, 1);
	assert_int_equal(info.flags, ZP_HVM_SIF_PRIVILEGED);
	assert_int_equal(info.nr_modules, 2);
	assert_int_equal(info.rsdp_paddr, 0xf5a20);
	assert_int_equal(info.memmap_entries, 3);
	assert_int_equal(info.cmdline_len, strlen(cfg.cmdline));
	assert_string_equal((const char *)guest + info.cmdline_paddr, cfg.cmdline);
	assert_memory_equal(guest + info.memmap_paddr, memmap3, sizeof(memmap3));
	assert_int_equal(info.blob_end, SI_PADDR + used);
	for (uint32_t i = 0; i < 2; i++) {
		assert_int_equal(zp_pvh_module(&mem, &info, i, &m), ZP_OK);
		assert_int_equal(m.paddr, two_modules[i].paddr);
		assert_int_equal(m.size, two_modules[i].size);
	}
	assert_int_equal(zp_pvh_module(&mem, &info, 2, &m), ZP_EINVAL);
	free(guest);
}

/* Each piece 8-byte aligned, in order, every address inside the blob. */
static void test_blob_layout(void **state)
{
	uint8_t buf[0x400];
	struct zp_pvh_config cfg = v1_config();
	struct zp_hvm_start_info si;
	size_t used;
	const uint64_t base = 0x1000000;

	(void)state;
	assert_int_equal(zp_build_start_info(&cfg, buf, sizeof(buf), base, &used), ZP_OK);
	memcpy(&si, buf, sizeof(si));
	assert_int_equal(si.magic, ZP_HVM_START_MAGIC);
	assert_int_equal(si.modlist_paddr, base + ZP_HVM_START_INFO_V1_SIZE);
	assert_int_equal(si.memmap_paddr, si.modlist_paddr + 2 * 32);
	assert_int_equal(si.cmdline_paddr, si.memmap_paddr + 3 * 24);
	assert_int_equal(si.cmdline_paddr % 8, 0);
	assert_int_equal(used, si.cmdline_paddr - base + strlen(cfg.cmdline) + 1);
	assert_int_equal(zp_build_start_info(&cfg, buf, used - 1, base, &used), ZP_ENOSPACE);
}

static void test_v0_has_no_memmap(void **state)
{
	uint8_t *guest = calloc(1, GUEST_SIZE);
	struct zp_guest_mem mem = { guest, 0, GUEST_SIZE };
	struct zp_pvh_config cfg = v1_config();
	struct zp_e820_entry e[8];
	struct zp_e820_map map = { e, 0, 8 };
	struct zp_pvh_info info;
	struct zp_hvm_modlist_entry first;
	size_t used;

	(void)state;
	cfg.version = 0;
	assert_int_equal(zp_build_start_info(&cfg, guest + SI_PADDR, 0x1000, SI_PADDR, &used),
			 ZP_EINVAL);		/* a v0 start_info cannot carry a memmap */
	cfg.memmap = NULL;
	cfg.memmap_entries = 0;
	assert_int_equal(zp_build_start_info(&cfg, guest + SI_PADDR, 0x1000, SI_PADDR, &used),
			 ZP_OK);
	/* the module list starts right after the 0x28-byte v0 structure */
	memcpy(&first, guest + SI_PADDR + ZP_HVM_START_INFO_V0_SIZE, sizeof(first));
	assert_int_equal(first.paddr, two_modules[0].paddr);
	assert_int_equal(zp_pvh_parse(&mem, SI_PADDR, &info, NULL), ZP_OK);
	assert_int_equal(info.version, 0);
	assert_int_equal(info.memmap_entries, 0);
	assert_int_equal(info.nr_modules, 2);
	assert_int_equal(zp_pvh_memmap_to_e820(&mem, &info, &map), ZP_ENOMEMMAP);
	free(guest);
}

static void test_memmap_to_e820(void **state)
{
	static const struct zp_hvm_memmap_table_entry unsorted[] = {
		{ 0x100000, 0x100000, ZP_HVM_MEMMAP_RAM, 0 },
		{ 0, 0x9fc00, ZP_HVM_MEMMAP_RAM, 0 },
		{ 0xfee00000, 0x1000, ZP_HVM_MEMMAP_DISABLED, 0 },
	};
	uint8_t *guest = calloc(1, GUEST_SIZE);
	struct zp_guest_mem mem = { guest, 0, GUEST_SIZE };
	struct zp_pvh_config cfg = { .version = 1, .memmap = unsorted, .memmap_entries = 3 };
	struct zp_e820_entry e[3];
	struct zp_e820_map map = { e, 0, 3 }, tiny = { e, 0, 2 };
	struct zp_pvh_info info;

	(void)state;
	assert_int_equal(zp_build_start_info(&cfg, guest + SI_PADDR, 0x1000, SI_PADDR, NULL), ZP_OK);
	assert_int_equal(zp_pvh_parse(&mem, SI_PADDR, &info, NULL), ZP_OK);
	assert_int_equal(zp_pvh_memmap_to_e820(&mem, &info, &tiny), ZP_ENOSPACE);
	assert_int_equal(zp_pvh_memmap_to_e820(&mem, &info, &map), ZP_OK);
	assert_int_equal(map.count, 3);
	assert_int_equal(e[0].addr, 0);
	assert_int_equal(e[1].addr, 0x100000);
	assert_int_equal(e[1].type, ZP_E820_RAM);
	assert_int_equal(e[2].type, ZP_E820_UNUSABLE);	/* DISABLED has no e820 twin */
	free(guest);
}

/* An entry whose end wraps past 2^64 would make Linux throw away the whole
 * map; the translation must refuse it instead of passing it on. */
static void test_memmap_entry_that_wraps(void **state)
{
	static const struct zp_hvm_memmap_table_entry wrapping[] = {
		{ 0, 0x9fc00, ZP_HVM_MEMMAP_RAM, 0 },
		{ 0xffffffffffff0000ull, 0x20000, ZP_HVM_MEMMAP_RAM, 0 },
	};
	uint8_t *guest = calloc(1, GUEST_SIZE);
	struct zp_guest_mem mem = { guest, 0, GUEST_SIZE };
	struct zp_pvh_config cfg = { .version = 1, .memmap = wrapping, .memmap_entries = 2 };
	struct zp_e820_entry e[2];
	struct zp_e820_map map = { e, 0, 2 };
	struct zp_pvh_info info;

	(void)state;
	assert_int_equal(zp_build_start_info(&cfg, guest + SI_PADDR, 0x1000, SI_PADDR, NULL), ZP_OK);
	assert_int_equal(zp_pvh_parse(&mem, SI_PADDR, &info, NULL), ZP_OK);
	assert_int_equal(zp_pvh_memmap_to_e820(&mem, &info, &map), ZP_EOVERFLOW);
	free(guest);
}

static void test_bad_config(void **state)
{
	uint8_t buf[0x400];
	struct zp_pvh_config cfg = v1_config();

	(void)state;
	cfg.version = 2;
	assert_int_equal(zp_build_start_info(&cfg, buf, sizeof(buf), 0, NULL), ZP_EINVAL);
	cfg = v1_config();
	cfg.nr_modules = ZP_PVH_MAX_MODULES + 1;
	assert_int_equal(zp_build_start_info(&cfg, buf, sizeof(buf), 0, NULL), ZP_ETOOMANY);
	cfg = v1_config();
	cfg.modules = NULL;
	assert_int_equal(zp_build_start_info(&cfg, buf, sizeof(buf), 0, NULL), ZP_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v1_round_trip),
		cmocka_unit_test(test_blob_layout),
		cmocka_unit_test(test_v0_has_no_memmap),
		cmocka_unit_test(test_memmap_to_e820),
		cmocka_unit_test(test_memmap_entry_that_wraps),
		cmocka_unit_test(test_bad_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
