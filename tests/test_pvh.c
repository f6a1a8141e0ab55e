/* SPDX-License-Identifier: MIT */
/* test_pvh: validating a start_info someone else wrote, and translating it
 * into a zero page (the PVH stub's job), with the subarch handoff. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <zeropage/zeropage.h>
#include "synth.h"

/* 1 MiB of guest memory at guest address 0x100000 (not 0, so addresses
 * below the window are out of bounds too). */
#define GUEST_BASE	0x100000u
#define GUEST_SIZE	(1u << 20)
#define SI_PADDR	(GUEST_BASE + 0x1000)
#define MOD0_PADDR	(GUEST_BASE + 0x40000)

struct guest {
	uint8_t *ram;
	struct zp_guest_mem mem;
	struct zp_hvm_start_info si;	/* as written, for tests to corrupt */
};

static const struct zp_hvm_memmap_table_entry memmap[] = {
	{ 0, 0x9fc00, ZP_HVM_MEMMAP_RAM, 0 },
	{ 0x9fc00, 0x400, ZP_HVM_MEMMAP_RESERVED, 0 },
	{ 0x100000, 0x3ff00000, ZP_HVM_MEMMAP_RAM, 0 },
	{ 0xfc000000, 0x1000, ZP_HVM_MEMMAP_DISABLED, 0 },
};

static void guest_setup(struct guest *g, uint32_t version)
{
	static const struct zp_pvh_module mod = { MOD0_PADDR, 0x2000, 0 };
	struct zp_pvh_config cfg = {
		.version = version, .cmdline = "console=hvc0", .rsdp_paddr = 0xf5a20,
		.modules = &mod, .nr_modules = 1,
		.memmap = version ? memmap : NULL, .memmap_entries = version ? 4 : 0,
	};
	g->ram = calloc(1, GUEST_SIZE);
	g->mem = (struct zp_guest_mem){ g->ram, GUEST_BASE, GUEST_SIZE };
	assert_int_equal(zp_build_start_info(&cfg, g->ram + (SI_PADDR - GUEST_BASE), 0x1000,
					     SI_PADDR, NULL), ZP_OK);
	memcpy(&g->si, g->ram + (SI_PADDR - GUEST_BASE), sizeof(g->si));
}

static void guest_rewrite(struct guest *g)
{
	memcpy(g->ram + (SI_PADDR - GUEST_BASE), &g->si, sizeof(g->si));
}

static int parse(struct guest *g, struct zp_diag *diag)
{
	struct zp_pvh_info info;
	return zp_pvh_parse(&g->mem, SI_PADDR, &info, diag);
}

static void test_bad_magic(void **state)
{
	struct guest g;
	struct zp_diag diag;

	(void)state;
	guest_setup(&g, 1);
	g.si.magic = 0x12345678;
	guest_rewrite(&g);
	assert_int_equal(parse(&g, &diag), ZP_ESTARTINFO);
	assert_non_null(strstr(diag.msg, "0x12345678"));
	assert_non_null(strstr(diag.msg, "0x336ec578"));
	free(g.ram);
}

static void test_start_info_outside_memory(void **state)
{
	struct guest g;
	struct zp_pvh_info info;
	struct zp_diag diag;

	(void)state;
	guest_setup(&g, 1);
	assert_int_equal(zp_pvh_parse(&g.mem, 0x1000, &info, &diag), ZP_EBADADDR);
	/* a valid magic, but the v1 fields hang off the end of memory */
	memcpy(g.ram + GUEST_SIZE - 0x30, &g.si, 8);
	assert_int_equal(zp_pvh_parse(&g.mem, GUEST_BASE + GUEST_SIZE - 0x30, &info, &diag),
			 ZP_EBADADDR);
	free(g.ram);
}

/* Xen only appends fields: a newer version is read as v1. */
static void test_newer_version_reads_as_v1(void **state)
{
	struct guest g;
	struct zp_pvh_info info;

	(void)state;
	guest_setup(&g, 1);
	g.si.version = 7;
	guest_rewrite(&g);
	assert_int_equal(zp_pvh_parse(&g.mem, SI_PADDR, &info, NULL), ZP_OK);
	assert_int_equal(info.version, 7);
	assert_int_equal(info.memmap_entries, 4);
	free(g.ram);
}

static void test_modlist_outside_memory(void **state)
{
	struct guest g;
	struct zp_diag diag;

	(void)state;
	guest_setup(&g, 1);
	g.si.modlist_paddr = GUEST_BASE + GUEST_SIZE - 16;	/* half an entry inside */
	guest_rewrite(&g);
	assert_int_equal(parse(&g, &diag), ZP_EBADADDR);
	assert_non_null(strstr(diag.msg, "modlist"));
	assert_non_null(strstr(diag.msg, "0x1ffff0"));
	free(g.ram);
}

static void test_module_bytes_anywhere(void **state)
{
	struct guest g;
	struct zp_hvm_modlist_entry m;
	struct zp_diag diag;
	uint8_t *entry;

	(void)state;
	guest_setup(&g, 1);
	entry = g.ram + (g.si.modlist_paddr - GUEST_BASE);
	memcpy(&m, entry, sizeof(m));
	/* A module's bytes are the kernel's to read: past the window the core
	 * reads (above 4 GiB, say) is fine; the shim checks them against RAM. */
	m.size = GUEST_SIZE;
	memcpy(entry, &m, sizeof(m));
	assert_int_equal(parse(&g, &diag), ZP_OK);
	m.paddr = UINT64_MAX - 0x10;		/* but one that wraps is refused */
	memcpy(entry, &m, sizeof(m));
	assert_int_equal(parse(&g, &diag), ZP_EOVERFLOW);
	assert_non_null(strstr(diag.msg, "module 0"));
	free(g.ram);
}

static void test_too_many_modules(void **state)
{
	struct guest g;
	struct zp_diag diag;

	(void)state;
	guest_setup(&g, 1);
	g.si.nr_modules = ZP_PVH_MAX_MODULES + 1;
	guest_rewrite(&g);
	assert_int_equal(parse(&g, &diag), ZP_ETOOMANY);
	assert_non_null(strstr(diag.msg, "65"));
	free(g.ram);
}

static void test_memmap_count_too_large(void **state)
{
	struct guest g;
	struct zp_diag diag;

	(void)state;
	guest_setup(&g, 1);
	g.si.memmap_entries = ZP_PVH_MAX_MEMMAP + 1;
	guest_rewrite(&g);
	assert_int_equal(parse(&g, &diag), ZP_ETOOMANY);
	assert_non_null(strstr(diag.msg, "1025"));
	g.si.memmap_entries = 500;		/* bounded, but past the end */
	g.si.memmap_paddr = GUEST_BASE + GUEST_SIZE - 1000;
	guest_rewrite(&g);
	assert_int_equal(parse(&g, &diag), ZP_EBADADDR);
	assert_non_null(strstr(diag.msg, "memmap"));
	free(g.ram);
}

static void test_cmdline_not_terminated(void **state)
{
	struct guest g;
	struct zp_diag diag;

	(void)state;
	guest_setup(&g, 1);
	g.si.cmdline_paddr = GUEST_BASE + GUEST_SIZE - 64;
	guest_rewrite(&g);
	memset(g.ram + GUEST_SIZE - 64, 'a', 64);	/* no NUL before the end */
	assert_int_equal(parse(&g, &diag), ZP_EBADADDR);
	assert_non_null(strstr(diag.msg, "cmdline"));
	g.ram[GUEST_SIZE - 1] = '\0';
	assert_int_equal(parse(&g, &diag), ZP_OK);
	free(g.ram);
}

/* ---- translation ---- */

struct translation {
	uint8_t *img;
	struct zp_bzimage bz;
	struct zp_e820_entry scratch[16];
	uint8_t setup_data[256];
	struct zp_translate_opts opts;
};

static void translation_setup(struct translation *t)
{
	static const struct zp_e820_entry shim_range = { 0x1000000, 0x200000, 0 };
	struct synth_bzimage_opts o = { .protocol = 0x20f, .xloadflags = ZP_XLF_KERNEL_64,
					.relocatable = true };
	size_t len;

	t->img = synth_bzimage(&o, &len);
	assert_int_equal(zp_probe_bzimage(t->img, len, &t->bz), ZP_OK);
	t->opts = (struct zp_translate_opts){
		.handoff = ZP_HANDOFF_SUBARCH, .on_xen = true, .start_info_copy = 0x7000,
		.kernel_addr = 0x2000000, .cmdline = "console=hvc0 extra", .cmdline_addr = 0x8000,
		.extra_reserved = &shim_range, .nr_extra_reserved = 1,
		.e820_scratch = t->scratch, .e820_scratch_cap = 16,
		.setup_data_buf = t->setup_data, .setup_data_cap = sizeof(t->setup_data),
		.setup_data_addr = 0x9000,
	};
}

static void test_translate_with_subarch_handoff(void **state)
{
	struct guest g;
	struct translation t;
	struct zp_pvh_info info;
	struct zp_boot_params bp;
	struct zp_diag diag;
	size_t used;

	(void)state;
	guest_setup(&g, 1);
	translation_setup(&t);
	assert_int_equal(zp_pvh_parse(&g.mem, SI_PADDR, &info, &diag), ZP_OK);
	assert_int_equal(zp_start_info_to_boot_params(&g.mem, &info, &t.bz, &t.opts, &bp,
						      &used, &diag), ZP_OK);
	assert_int_equal(bp.hdr.hardware_subarch, ZP_SUBARCH_XEN);
	assert_int_equal(bp.hdr.hardware_subarch_data, 0x7000);
	assert_int_equal(bp.hdr.ramdisk_image, MOD0_PADDR);
	assert_int_equal(bp.hdr.ramdisk_size, 0x2000);
	assert_int_equal(bp.acpi_rsdp_addr, 0xf5a20);
	assert_int_equal(bp.hdr.cmd_line_ptr, 0x8000);
	assert_int_equal(bp.hdr.code32_start, 0x2000000);
	assert_int_equal(bp.hdr.type_of_loader, 0xff);
	/* Linux's own PVH form: the memmap verbatim and in order (DISABLED
	 * too), then the ISA range, then the shim's range, reserved; the
	 * kernel sorts it and lets reserved win over RAM. */
	assert_int_equal(bp.e820_entries, 6);
	assert_int_equal(bp.e820_table[2].addr, 0x100000);
	assert_int_equal(bp.e820_table[2].size, 0x3ff00000);
	assert_int_equal(bp.e820_table[3].type, ZP_HVM_MEMMAP_DISABLED);
	assert_int_equal(bp.e820_table[4].addr, 0xa0000);
	assert_int_equal(bp.e820_table[4].size, 0x60000);
	assert_int_equal(bp.e820_table[4].type, ZP_E820_RESERVED);
	assert_int_equal(bp.e820_table[5].addr, 0x1000000);
	assert_int_equal(bp.e820_table[5].size, 0x200000);
	assert_int_equal(bp.e820_table[5].type, ZP_E820_RESERVED);
	assert_int_equal(used, 0);
	free(g.ram);
	free(t.img);
}

static void test_translate_handoff_variants(void **state)
{
	struct guest g;
	struct translation t;
	struct zp_pvh_info info;
	struct zp_boot_params bp;

	(void)state;
	guest_setup(&g, 1);
	translation_setup(&t);
	assert_int_equal(zp_pvh_parse(&g.mem, SI_PADDR, &info, NULL), ZP_OK);
	t.opts.on_xen = false;			/* PVH under QEMU/KVM: subarch PC */
	assert_int_equal(zp_start_info_to_boot_params(&g.mem, &info, &t.bz, &t.opts, &bp,
						      NULL, NULL), ZP_OK);
	assert_int_equal(bp.hdr.hardware_subarch, ZP_SUBARCH_PC);
	assert_int_equal(bp.hdr.hardware_subarch_data, 0x7000);
	t.opts.handoff = ZP_HANDOFF_NATIVE;
	t.opts.initrd_addr = 0x3000000;		/* the caller's own initrd wins */
	t.opts.initrd_size = 0x5000;
	assert_int_equal(zp_start_info_to_boot_params(&g.mem, &info, &t.bz, &t.opts, &bp,
						      NULL, NULL), ZP_OK);
	assert_int_equal(bp.hdr.hardware_subarch, ZP_SUBARCH_PC);
	assert_int_equal(bp.hdr.hardware_subarch_data, 0);
	assert_int_equal(bp.hdr.ramdisk_image, 0x3000000);
	assert_int_equal(bp.hdr.ramdisk_size, 0x5000);
	free(g.ram);
	free(t.img);
}

static void test_translate_v0_has_no_memory_map(void **state)
{
	struct guest g;
	struct translation t;
	struct zp_pvh_info info;
	struct zp_boot_params bp;
	struct zp_diag diag;

	(void)state;
	guest_setup(&g, 0);
	translation_setup(&t);
	assert_int_equal(zp_pvh_parse(&g.mem, SI_PADDR, &info, NULL), ZP_OK);
	assert_int_equal(zp_start_info_to_boot_params(&g.mem, &info, &t.bz, &t.opts, &bp,
						      NULL, &diag), ZP_ENOMEMMAP);
	assert_non_null(strstr(diag.msg, "XENMEM_memory_map"));
	t.opts.on_xen = false;
	assert_int_equal(zp_start_info_to_boot_params(&g.mem, &info, &t.bz, &t.opts, &bp,
						      NULL, &diag), ZP_ENOMEMMAP);
	assert_non_null(strstr(diag.msg, "v0"));
	free(g.ram);
	free(t.img);
}

/* Xen's PVH dom0 (4.17) gives a v0 start_info; the map comes from
 * XENMEM_memory_map as raw packed e820 entries, handed to the core. */
static const struct zp_e820_entry xen_map[] = {		/* as Xen wrote it: unsorted */
	{ 0x100000, 0x3ff00000, ZP_E820_RAM },
	{ 0, 0x9f000, ZP_E820_RAM },
	{ 0xfee00000, 0x1000, ZP_E820_RESERVED },
};

static void test_translate_v0_with_hypervisor_map(void **state)
{
	struct guest g;
	struct translation t;
	struct zp_pvh_info info;
	struct zp_boot_params bp;
	struct zp_diag diag;

	(void)state;
	guest_setup(&g, 0);
	translation_setup(&t);
	t.opts.hv_e820 = xen_map;
	t.opts.hv_e820_len = sizeof(xen_map);
	t.opts.hv_e820_entries = 3;
	assert_int_equal(zp_pvh_parse(&g.mem, SI_PADDR, &info, NULL), ZP_OK);
	assert_int_equal(zp_start_info_to_boot_params(&g.mem, &info, &t.bz, &t.opts, &bp,
						      NULL, &diag), ZP_OK);
	/* Xen's entries as Xen wrote them, then the ISA range and the shim's
	 * range, reserved: what Linux's PVH entry (mem_map_via_hcall) builds */
	assert_int_equal(bp.e820_entries, 5);
	assert_int_equal(bp.e820_table[0].addr, 0x100000);
	assert_int_equal(bp.e820_table[1].addr, 0);
	assert_int_equal(bp.e820_table[1].size, 0x9f000);
	assert_int_equal(bp.e820_table[2].addr, 0xfee00000);
	assert_int_equal(bp.e820_table[3].addr, 0xa0000);
	assert_int_equal(bp.e820_table[3].type, ZP_E820_RESERVED);
	assert_int_equal(bp.e820_table[4].addr, 0x1000000);
	assert_int_equal(bp.e820_table[4].type, ZP_E820_RESERVED);
	/* the subarch handoff on Xen: XEN, and the preserved (v0) copy */
	assert_int_equal(bp.hdr.hardware_subarch, ZP_SUBARCH_XEN);
	assert_int_equal(bp.hdr.hardware_subarch_data, 0x7000);
	assert_int_equal(bp.hdr.ramdisk_image, MOD0_PADDR);
	free(g.ram);
	free(t.img);
}

static void test_translate_v1_memmap_wins_over_hypervisor_map(void **state)
{
	struct guest g;
	struct translation t;
	struct zp_pvh_info info;
	struct zp_boot_params bp;

	(void)state;
	guest_setup(&g, 1);
	translation_setup(&t);
	t.opts.hv_e820 = xen_map;
	t.opts.hv_e820_len = sizeof(xen_map);
	t.opts.hv_e820_entries = 3;
	assert_int_equal(zp_pvh_parse(&g.mem, SI_PADDR, &info, NULL), ZP_OK);
	assert_int_equal(zp_start_info_to_boot_params(&g.mem, &info, &t.bz, &t.opts, &bp,
						      NULL, NULL), ZP_OK);
	assert_int_equal(bp.e820_entries, 6);		/* the start_info's 4, as above */
	assert_int_equal(bp.e820_table[3].type, ZP_HVM_MEMMAP_DISABLED);
	free(g.ram);
	free(t.img);
}

static void test_translate_bad_hypervisor_map(void **state)
{
	struct guest g;
	struct translation t;
	struct zp_pvh_info info;
	struct zp_boot_params bp;
	struct zp_diag diag;
	struct zp_e820_entry wraps[2] = { { 0, 0x9f000, ZP_E820_RAM },
					  { 0xfffff000, UINT64_MAX, ZP_E820_RESERVED } };

	(void)state;
	guest_setup(&g, 0);
	translation_setup(&t);
	assert_int_equal(zp_pvh_parse(&g.mem, SI_PADDR, &info, NULL), ZP_OK);
	t.opts.hv_e820 = wraps;
	t.opts.hv_e820_len = sizeof(wraps);
	t.opts.hv_e820_entries = 2;
	assert_int_equal(zp_start_info_to_boot_params(&g.mem, &info, &t.bz, &t.opts, &bp,
						      NULL, &diag), ZP_EOVERFLOW);
	assert_non_null(strstr(diag.msg, "entry 1"));
	t.opts.hv_e820_entries = 0;			/* the hypercall wrote nothing */
	assert_int_equal(zp_start_info_to_boot_params(&g.mem, &info, &t.bz, &t.opts, &bp,
						      NULL, &diag), ZP_ENOMEMMAP);
	assert_non_null(strstr(diag.msg, "no entries"));
	t.opts.hv_e820_entries = 3;			/* more than the buffer holds */
	assert_int_equal(zp_start_info_to_boot_params(&g.mem, &info, &t.bz, &t.opts, &bp,
						      NULL, &diag), ZP_ETRUNCATED);
	t.opts.hv_e820 = xen_map;
	t.opts.hv_e820_len = sizeof(xen_map);
	t.opts.e820_scratch_cap = 2;			/* the caller's map is too small */
	assert_int_equal(zp_start_info_to_boot_params(&g.mem, &info, &t.bz, &t.opts, &bp,
						      NULL, &diag), ZP_ENOSPACE);
	free(g.ram);
	free(t.img);
}

static void test_translate_scratch_too_small(void **state)
{
	struct guest g;
	struct translation t;
	struct zp_pvh_info info;
	struct zp_boot_params bp;
	struct zp_diag diag;

	(void)state;
	guest_setup(&g, 1);
	translation_setup(&t);
	assert_int_equal(zp_pvh_parse(&g.mem, SI_PADDR, &info, NULL), ZP_OK);
	t.opts.e820_scratch_cap = 3;
	assert_int_equal(zp_start_info_to_boot_params(&g.mem, &info, &t.bz, &t.opts, &bp,
						      NULL, &diag), ZP_ENOSPACE);
	assert_non_null(strstr(diag.msg, "4"));
	free(g.ram);
	free(t.img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_start_info_outside_memory),
		cmocka_unit_test(test_newer_version_reads_as_v1),
		cmocka_unit_test(test_modlist_outside_memory),
		cmocka_unit_test(test_module_bytes_anywhere),
		cmocka_unit_test(test_too_many_modules),
		cmocka_unit_test(test_memmap_count_too_large),
		cmocka_unit_test(test_cmdline_not_terminated),
		cmocka_unit_test(test_translate_with_subarch_handoff),
		cmocka_unit_test(test_translate_handoff_variants),
		cmocka_unit_test(test_translate_v0_has_no_memory_map),
		cmocka_unit_test(test_translate_scratch_too_small),
		cmocka_unit_test(test_translate_v0_with_hypervisor_map),
		cmocka_unit_test(test_translate_v1_memmap_wins_over_hypervisor_map),
		cmocka_unit_test(test_translate_bad_hypervisor_map),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
