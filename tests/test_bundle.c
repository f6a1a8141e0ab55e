/* SPDX-License-Identifier: MIT */
/*
 * test_bundle: the bundle writer's layout and refusals, read back the way
 * a PVH loader and the shim read them; and the shim's start_info path
 * (parse, memmap, subarch translation) run on the host through the same
 * core code the shim links.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/tool_err.h"
#include "image/bundle_file.h"
#include "synth.h"

static const uint8_t payload[] = { 0x02, 0x21, 0x4c, 0x18, 1, 2, 3, 4, 5, 6, 7, 8 };	/* lz4 magic */

static uint8_t *kernel(uint16_t xlf, bool relocatable, uint64_t pref, uint32_t init_size,
		       size_t *len)
{
	struct synth_bzimage_opts o = {
		.protocol = 0x20f, .xloadflags = xlf, .payload = payload,
		.payload_len = sizeof(payload), .version = "6.99-test", .init_size = init_size,
		.pref_address = pref, .relocatable = relocatable,
	};
	return synth_bzimage(&o, len);
}

struct built {
	struct decompress_buf out;
	struct zp_elf elf;
	struct bundle_view v;
	struct tool_err err;
};

static int build(struct built *b, const struct bundle_opts *o)
{
	size_t shim_len;
	const uint8_t *shim = embedded_shim_elf(&shim_len);
	int r;

	memset(b, 0, sizeof(*b));
	r = bundle_build(o, shim, shim_len, &b->out, &b->err);
	if (r)
		return r;
	assert_int_equal(zp_probe_elf(b->out.data, b->out.len, &b->elf), ZP_OK);
	assert_true(bundle_is_ours(&b->elf));
	assert_int_equal(bundle_read(b->out.data, b->out.len, &b->elf, &b->v, &b->err), 0);
	return 0;
}

/* What every bundle must satisfy for a PVH loader: a PVH note, PT_LOADs that
 * do not overlap and sit below 4 GiB, file offsets congruent to addresses,
 * and nothing in the first 8 KiB that QEMU would take for another format. */
static void assert_loadable(const struct built *b)
{
	const struct zp_elf *e = &b->elf;
	uint32_t v;

	assert_int_equal(e->elf_class, 64);
	assert_true(e->has_pvh);
	assert_int_equal(e->pvh_entry, 0x100000);
	for (unsigned i = 0; i < e->nsegments; i++) {
		const struct zp_elf_segment *s = &e->segments[i];
		if (s->type != ZP_PT_LOAD)
			continue;
		assert_true(s->paddr + s->memsz <= (1ull << 32));
		assert_int_equal(s->offset % 4096, s->paddr % 4096);
		for (unsigned k = i + 1; k < e->nsegments; k++) {
			const struct zp_elf_segment *t = &e->segments[k];
			if (t->type == ZP_PT_LOAD)
				assert_false(s->paddr < t->paddr + t->memsz && t->paddr < s->paddr + s->memsz);
		}
	}
	memcpy(&v, b->out.data + 0x202, 4);
	assert_int_not_equal(v, ZP_HDRS_MAGIC);
	for (size_t i = 0; i + 4 <= 8192 && i + 4 <= b->out.len; i += 4) {
		memcpy(&v, b->out.data + i, 4);
		assert_int_not_equal(v, 0x1badb002);
	}
}

/* The kernel's init_size room is claimed by a PT_LOAD (as zero-filled
 * memsz), so a loader that puts its own things after the highest segment,
 * as Xen's PVH dom0 builder does, keeps clear of it. */
static void assert_room_claimed(const struct built *b)
{
	const struct zp_bundle_desc *d = &b->v.desc;
	uint64_t cur = d->kernel_addr, end = d->kernel_addr + d->kernel_span;
	bool grew = true;

	while (cur < end && grew) {	/* PT_LOADs chaining from kernel_addr to the room's end */
		grew = false;
		for (unsigned i = 0; i < b->elf.nsegments; i++) {
			const struct zp_elf_segment *s = &b->elf.segments[i];
			if (s->type == ZP_PT_LOAD && s->paddr <= cur && cur < s->paddr + s->memsz) {
				cur = s->paddr + s->memsz;
				grew = true;
			}
		}
	}
	assert_true(cur >= end);
}

static void test_entry64_layout(void **state)
{
	size_t klen;
	uint8_t *k = kernel(ZP_XLF_KERNEL_64, true, 0x1000000, 0x2000000, &klen);
	uint8_t initrd[10000];
	struct built *b = calloc(1, sizeof(*b));
	struct bundle_opts o = { .kernel = k, .kernel_len = klen, .initrd = initrd,
				    .initrd_len = sizeof(initrd), .cmdline = "console=ttyS0 x=1",
				    .entry = ZP_BUNDLE_ENTRY_64 };
	const struct zp_bundle_desc *d = &b->v.desc;
	(void)state;

	memset(initrd, 0xa5, sizeof(initrd));
	assert_int_equal(build(b, &o), 0);
	assert_loadable(b);
	assert_room_claimed(b);
	assert_int_equal(d->entry, ZP_BUNDLE_ENTRY_64);
	assert_int_equal(d->handoff, ZP_HANDOFF_NATIVE);
	/* The protected-mode code lands exactly on pref_address: no copy. */
	assert_int_equal(d->kernel_addr, 0x1000000);
	assert_int_equal(d->image_paddr, 0x1000000 - b->v.bz.setup_size);
	assert_int_equal(d->image_loaded, klen);
	assert_int_equal(d->image_size, klen);
	assert_int_equal(d->kernel_span, 0x2000000);
	assert_memory_equal(b->v.setup, k, klen);
	/* The initrd fits below the kernel, page aligned, bytes intact. */
	assert_true(d->initrd_paddr + d->initrd_size <= d->image_paddr);
	assert_int_equal(d->initrd_paddr % 4096, 0);
	assert_int_equal(d->initrd_size, sizeof(initrd));
	assert_string_equal(b->v.cmdline, "console=ttyS0 x=1");
	assert_string_equal(b->v.bz.version, "6.99-test");
	free(b->out.data);
	free(b);
	free(k);
}

static void test_default_entry_and_refusals(void **state)
{
	size_t klen;
	uint8_t *k64 = kernel(ZP_XLF_KERNEL_64, true, 0, 0, &klen);
	uint8_t *k32 = kernel(0, true, 0, 0, &klen);
	struct zp_bzimage bz;
	struct built *b = calloc(1, sizeof(*b));
	struct bundle_opts o = { .kernel = k32, .kernel_len = klen, .entry = ZP_BUNDLE_ENTRY_64 };
	struct tool_err err;
	(void)state;

	uint32_t entry;
	char note[200];

	assert_int_equal(zp_probe_bzimage(k64, klen, &bz), ZP_OK);
	assert_int_equal(bundle_choose_entry(&bz, 0, &entry, note, sizeof(note), &err), 0);
	assert_int_equal(entry, ZP_BUNDLE_ENTRY_64);
	assert_string_equal(note, "");
	assert_int_equal(zp_probe_bzimage(k32, klen, &bz), ZP_OK);
	/* the default falls back to 32, and says why */
	assert_int_equal(bundle_choose_entry(&bz, 0, &entry, note, sizeof(note), &err), 0);
	assert_int_equal(entry, ZP_BUNDLE_ENTRY_32);
	assert_non_null(strstr(note, "lacks XLF_KERNEL_64"));
	assert_int_equal(bundle_check_entry(&bz, ZP_BUNDLE_ENTRY_64, &err), -1);
	assert_non_null(strstr(err.msg, "no XLF_KERNEL_64"));

	assert_int_equal(build(b, &o), -1);
	assert_non_null(strstr(b->err.msg, "cannot take entry 64"));
	assert_null(b->out.data);

	k32[0x211] &= (uint8_t)~ZP_LOADED_HIGH;	/* a zImage: no 32-bit entry */
	o.entry = ZP_BUNDLE_ENTRY_32;
	assert_int_equal(build(b, &o), -1);
	assert_non_null(strstr(b->err.msg, "cannot take entry 32"));

	o.kernel = k64;
	o.entry = ZP_BUNDLE_ENTRY_VMLINUX;	/* without the extracted vmlinux */
	assert_int_equal(build(b, &o), -1);
	assert_non_null(strstr(b->err.msg, "vmlinux"));
	free(b);
	free(k64);
	free(k32);
}

static void test_placement_rules(void **state)
{
	size_t klen;
	uint8_t *fixed = kernel(ZP_XLF_KERNEL_64, false, 0x100000, 0, &klen);
	uint8_t *low = kernel(ZP_XLF_KERNEL_64, true, 0x100000, 0x1000000, &klen);
	struct built *b = calloc(1, sizeof(*b));
	struct bundle_opts o = { .kernel = fixed, .kernel_len = klen, .entry = ZP_BUNDLE_ENTRY_64 };
	static uint8_t big[40 << 20];
	(void)state;

	/* Not relocatable and wanting the shim's own megabyte: the shim moves
	 * above the kernel's room, the bzImage lies after it, and an empty
	 * PT_LOAD claims the room at 1 MiB, where the shim will copy it. */
	assert_int_equal(build(b, &o), 0);
	assert_true(b->v.pvh_entry >= 0x100000 + b->v.bz.init_size);
	assert_true(b->v.desc_paddr > b->v.pvh_entry);
	assert_true(b->v.desc.image_paddr > b->v.desc_paddr);
	assert_int_equal(b->v.desc.kernel_addr, b->v.desc.image_paddr + b->v.bz.setup_size);
	{
		bool room = false;
		for (unsigned i = 0; i < b->elf.nsegments; i++) {
			const struct zp_elf_segment *sg = &b->elf.segments[i];
			room |= sg->type == ZP_PT_LOAD && sg->paddr == 0x100000 && sg->filesz == 0 &&
				sg->memsz >= b->v.bz.pm_size;
		}
		assert_true(room);
	}
	free(b->out.data);

	/* Relocatable with an old pref_address: moved up, aligned. */
	o.kernel = low;
	assert_int_equal(build(b, &o), 0);
	assert_true(b->v.desc.image_paddr >= 0x100000 + 0x30000);
	assert_int_equal(b->v.desc.kernel_addr % 0x200000, 0);
	free(b->out.data);

	/* An initrd too big for the gap below the kernel goes above its room. */
	o.initrd = big;
	o.initrd_len = sizeof(big);
	assert_int_equal(build(b, &o), 0);
	assert_loadable(b);
	assert_true(b->v.desc.initrd_paddr >= b->v.desc.kernel_addr + b->v.desc.kernel_span);
	assert_int_equal(b->v.desc.initrd_paddr % 0x200000, 0);
	free(b->out.data);

	/* A command line the kernel cannot take. */
	char longline[3000];
	memset(longline, 'x', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	o.initrd = NULL;
	o.initrd_len = 0;
	o.cmdline = longline;
	assert_int_equal(build(b, &o), -1);
	assert_non_null(strstr(b->err.msg, "cmdline_size"));
	free(b);
	free(fixed);
	free(low);
}

static void test_vmlinux_layout(void **state)
{
	size_t klen, vlen;
	uint8_t *k = kernel(ZP_XLF_KERNEL_64, true, 0x1000000, 0x3000000, &klen);
	uint8_t *vm = synth_elf(64, SYNTH_ELF_LOAD_PADDR, NULL, 0, &vlen);
	struct built *b = calloc(1, sizeof(*b));
	struct bundle_opts o = { .kernel = k, .kernel_len = klen, .vmlinux = vm,
				    .vmlinux_len = vlen, .entry = ZP_BUNDLE_ENTRY_VMLINUX,
				    .handoff = ZP_HANDOFF_SUBARCH };
	(void)state;

	assert_int_equal(build(b, &o), 0);
	assert_loadable(b);
	assert_room_claimed(b);
	assert_int_equal(b->v.desc.entry, ZP_BUNDLE_ENTRY_VMLINUX);
	assert_int_equal(b->v.desc.handoff, ZP_HANDOFF_SUBARCH);
	assert_int_equal(b->v.desc.kernel_addr, SYNTH_ELF_LOAD_PADDR);
	assert_int_equal(b->v.desc.vmlinux_entry, SYNTH_ELF_LOAD_PADDR);
	/* Only the setup part of the bzImage travels: the header's source. */
	assert_int_equal(b->v.desc.image_loaded, b->v.bz.setup_size);
	assert_int_equal(b->v.desc.image_size, klen);
	assert_int_equal(b->v.desc.kernel_span, 0x3000000);

	/* The header-only probe the shim uses on that setup part: the same
	 * header and limits as the full probe, where the full probe cannot. */
	struct zp_bzimage full, part;
	assert_int_equal(zp_probe_bzimage(k, klen, &full), ZP_OK);
	assert_int_equal(zp_probe_bzimage(k, full.setup_size, &part), ZP_EPAYLOAD);
	assert_int_equal(zp_probe_bzimage_header(k, full.setup_size, &part), ZP_OK);
	assert_memory_equal(&part.hdr, &full.hdr, sizeof(full.hdr));
	assert_int_equal(part.entries, full.entries);
	assert_int_equal(part.init_size, full.init_size);
	assert_string_equal(part.version, full.version);
	assert_int_equal(zp_probe_bzimage_header(k, 0x100, &part), ZP_ETRUNCATED);
	free(b->out.data);
	free(b);
	free(vm);
	free(k);
}

/* ---- descriptors that cannot be honoured ---- */

/* One field of the descriptor overwritten in a copy of a good bundle. */
struct desc_poke {
	size_t offset;		/* in struct zp_bundle_desc */
	unsigned width;		/* 4 or 8 */
	uint64_t value;		/* absolute, or added to the field when relative */
	bool relative;
	const char *want;	/* in the reader's message */
	bool core;		/* zp_bundle_desc_check (the fields alone) refuses it */
};

#define DF(field)	offsetof(struct zp_bundle_desc, field), \
			(unsigned)sizeof(((struct zp_bundle_desc *)0)->field)

/* The file offset of the descriptor: where its PT_LOAD holds desc_paddr. */
static size_t desc_offset(const struct built *b)
{
	for (unsigned i = 0; i < b->elf.nsegments; i++) {
		const struct zp_elf_segment *s = &b->elf.segments[i];
		if (s->type == ZP_PT_LOAD && b->v.desc_paddr >= s->paddr &&
		    b->v.desc_paddr - s->paddr < s->filesz)
			return (size_t)(s->offset + (b->v.desc_paddr - s->paddr));
	}
	fail_msg("descriptor not in the bundle's file");
	return 0;
}

/* Each poke alone: the reader refuses the bundle naming the field and its
 * value, and (for the fields alone) the core's rule says the same words,
 * so `info` and the shim cannot disagree about a descriptor. */
static void assert_refused(const struct built *good, const struct desc_poke *p, size_t n)
{
	size_t at = desc_offset(good);
	static struct zp_elf elf;
	static struct bundle_view v;

	for (size_t i = 0; i < n; i++) {
		uint8_t *f = malloc(good->out.len);
		struct zp_bundle_desc d;
		struct zp_diag diag;
		uint64_t val = 0;
		struct tool_err err;

		memcpy(f, good->out.data, good->out.len);
		memcpy(&val, f + at + p[i].offset, p[i].width);
		val = p[i].relative ? val + p[i].value : p[i].value;
		memcpy(f + at + p[i].offset, &val, p[i].width);
		assert_int_equal(zp_probe_elf(f, good->out.len, &elf), ZP_OK);
		assert_int_equal(bundle_read(f, good->out.len, &elf, &v, &err), -1);
		if (!strstr(err.msg, p[i].want))
			fail_msg("poke %zu: \"%s\" lacks \"%s\"", i, err.msg, p[i].want);
		assert_null(v.setup);
		assert_null(v.cmdline);
		memcpy(&d, f + at, sizeof(d));
		if (p[i].core) {
			assert_int_equal(zp_bundle_desc_check(&d, &diag), ZP_EBUNDLE);
			assert_string_equal(diag.msg, err.msg);
		} else {
			assert_int_equal(zp_bundle_desc_check(&d, &diag), ZP_OK);
		}
		free(f);
	}
}

static void test_descriptor_refusals(void **state)
{
	size_t klen;
	uint8_t *k = kernel(ZP_XLF_KERNEL_64, true, 0x1000000, 0x2000000, &klen);
	uint8_t initrd[10000] = { 0 };
	struct built *b = calloc(1, sizeof(*b));
	struct bundle_opts o = { .kernel = k, .kernel_len = klen, .initrd = initrd,
				    .initrd_len = sizeof(initrd), .cmdline = "console=ttyS0 x=1",
				    .entry = ZP_BUNDLE_ENTRY_64 };
	const struct desc_poke pokes[] = {
		{ DF(magic), 0x12345678, false, "magic 0x12345678", true },
		{ DF(version), 9, false, "descriptor version 9", true },
		{ DF(size), 0x40, false, "size 64", true },
		{ DF(entry), 2, false, "entry 2 is none of", true },
		{ DF(handoff), 0xffffffff, false, "handoff 4294967295 (0xffffffff)", true },
		{ DF(flags), 0x80, false, "flags 0x80 has unknown bits 0x80", true },
		{ DF(cmdline_len), UINT64_MAX, false, "cmdline_len 0xffffffffffffffff", true },
		{ DF(cmdline_paddr), 0xffffffff, false,
		  "cmdline_paddr 0xffffffff + cmdline_len + 1 0x12 ends above 4 GiB", true },
		{ DF(initrd_paddr), 0xfffffffffffff000ull, false,
		  "initrd_paddr 0xfffffffffffff000 + initrd_size 0x2710 wraps around", true },
		{ DF(initrd_size), 1ull << 32, false, "initrd_size 0x100000000 ends above 4 GiB",
		  true },
		{ DF(kernel_addr), 0xffffffff00000000ull, false,
		  "kernel_addr 0xffffffff00000000 + kernel_span 0x2000000 ends above", true },
		{ DF(image_paddr), UINT64_MAX, false, "image_paddr 0xffffffffffffffff", true },
		{ DF(image_size), 1, true, "needs the whole bzImage", true },
		{ DF(image_loaded), 1, true, "exceeds image_size", true },
		{ DF(image_loaded), 100, false, "image_loaded 0x64 is less than", true },
		{ DF(relocs_size), 0x10, false, "relocs_size 0x10 on entry 64", true },
		/* in range, but not in the file or not what the kernel needs */
		{ DF(initrd_size), 0x1000000, false,
		  "initrd_size 0x1000000 lies past the end of the file", false },
		{ DF(cmdline_len), 5, false, "not NUL-terminated at cmdline_len 5", false },
		{ DF(kernel_addr), 0x1000, true, "kernel_addr 0x1001000 is not image_paddr", false },
		{ DF(kernel_span), 0x10, false, "kernel_span 0x10 is smaller than the kernel",
		  false },
	};
	(void)state;

	assert_int_equal(build(b, &o), 0);
	assert_refused(b, pokes, sizeof(pokes) / sizeof(pokes[0]));
	free(b->out.data);
	free(b);
	free(k);
}

static void test_vmlinux_descriptor_refusals(void **state)
{
	size_t klen, vlen;
	uint8_t *k = kernel(ZP_XLF_KERNEL_64, true, 0x1000000, 0x3000000, &klen);
	uint8_t *vm = synth_elf(64, SYNTH_ELF_LOAD_PADDR, NULL, 0, &vlen);
	struct built *b = calloc(1, sizeof(*b));
	struct bundle_opts o = { .kernel = k, .kernel_len = klen, .vmlinux = vm,
				    .vmlinux_len = vlen, .entry = ZP_BUNDLE_ENTRY_VMLINUX };
	const struct desc_poke pokes[] = {
		{ DF(vmlinux_entry), 0, false, "vmlinux_entry 0x0 lies outside the kernel", true },
		{ DF(vmlinux_entry), 0x3000000, true, "lies outside the kernel", true },
		{ DF(kernel_loaded), 0x3000001, false,
		  "kernel_loaded 0x3000001 exceeds kernel_span 0x3000000", true },
		{ DF(relocs_paddr), 0xfffffffffffffff0ull, false, "relocs_paddr 0xfffffffffffffff0",
		  true },
		{ DF(relocs_size), 0x1000000, false,
		  "relocs_size 0x1000000 lies past the end of the file", false },
	};
	(void)state;

	assert_int_equal(build(b, &o), 0);
	assert_int_equal(b->v.desc.kernel_span, 0x3000000);
	assert_refused(b, pokes, sizeof(pokes) / sizeof(pokes[0]));
	free(b->out.data);
	free(b);
	free(vm);
	free(k);
}

/* ---- the shim's start_info path, on the host ---- */

#define GUEST_BASE	0x80000u

static void test_start_info_path(void **state)
{
	static uint8_t mem[64 << 10];
	struct zp_guest_mem g = { mem, GUEST_BASE, sizeof(mem) };
	struct zp_hvm_memmap_table_entry mm[2] = {
		{ 0, 0x9fc00, ZP_HVM_MEMMAP_RAM, 0 },
		{ 0x100000, 0x7f00000, ZP_HVM_MEMMAP_RAM, 0 },
	};
	struct zp_pvh_config cfg = { .version = 1, .cmdline = "from-the-vmm", .memmap = mm,
				     .memmap_entries = 2 };
	struct zp_pvh_info si;
	struct zp_diag diag;
	size_t used, klen, sd;
	uint8_t *k = kernel(ZP_XLF_KERNEL_64, true, 0x1000000, 0x2000000, &klen);
	struct zp_bzimage bz;
	struct zp_e820_entry scratch[16], keep = { 0x113000, 0x1000, ZP_E820_RESERVED };
	struct zp_translate_opts opts = { .handoff = ZP_HANDOFF_SUBARCH, .start_info_copy = 0x113000,
					  .kernel_addr = 0x1000000, .cmdline = "a b",
					  .cmdline_addr = 0x120000, .extra_reserved = &keep,
					  .nr_extra_reserved = 1, .e820_scratch = scratch,
					  .e820_scratch_cap = 16 };
	static struct zp_boot_params bp;
	bool reserved = false;
	(void)state;

	assert_int_equal(zp_probe_bzimage(k, klen, &bz), ZP_OK);
	assert_int_equal(zp_build_start_info(&cfg, mem, sizeof(mem), GUEST_BASE, &used), ZP_OK);
	assert_int_equal(zp_pvh_parse(&g, GUEST_BASE, &si, &diag), ZP_OK);
	assert_int_equal(zp_start_info_to_boot_params(&g, &si, &bz, &opts, &bp, &sd, &diag), ZP_OK);
	assert_int_equal(bp.hdr.hardware_subarch, ZP_SUBARCH_PC);
	assert_int_equal(bp.hdr.hardware_subarch_data, 0x113000);
	assert_int_equal(bp.hdr.type_of_loader, ZP_LOADER_UNDEFINED);
	for (unsigned i = 0; i < bp.e820_entries; i++)
		if (bp.e820_table[i].type == ZP_E820_RESERVED && bp.e820_table[i].addr <= 0x113000 &&
		    bp.e820_table[i].addr + bp.e820_table[i].size >= 0x114000)
			reserved = true;
	assert_true(reserved);
	opts.on_xen = true;
	assert_int_equal(zp_start_info_to_boot_params(&g, &si, &bz, &opts, &bp, &sd, &diag), ZP_OK);
	assert_int_equal(bp.hdr.hardware_subarch, ZP_SUBARCH_XEN);

	/* What the shim refuses: each a specific error, never a guess. */
	mem[0] ^= 0xff;
	assert_int_not_equal(zp_pvh_parse(&g, GUEST_BASE, &si, &diag), ZP_OK);
	assert_non_null(strstr(diag.msg, "magic"));
	mem[0] ^= 0xff;
	synth_put32(mem + 0x0c, 1000);	/* nr_modules */
	assert_int_not_equal(zp_pvh_parse(&g, GUEST_BASE, &si, &diag), ZP_OK);
	synth_put32(mem + 0x0c, 0);
	assert_int_not_equal(zp_pvh_parse(&g, GUEST_BASE + sizeof(mem), &si, &diag), ZP_OK);
	cfg.version = 0;	/* v0: no memory map, which the shim cannot do without */
	cfg.memmap = NULL;
	cfg.memmap_entries = 0;
	assert_int_equal(zp_build_start_info(&cfg, mem, sizeof(mem), GUEST_BASE, &used), ZP_OK);
	assert_int_equal(zp_pvh_parse(&g, GUEST_BASE, &si, &diag), ZP_OK);
	struct zp_e820_map map = { scratch, 0, 16 };
	assert_int_equal(zp_pvh_memmap_to_e820(&g, &si, &map), ZP_ENOMEMMAP);
	free(k);
}

static void test_shim_is_embedded(void **state)
{
	size_t len;
	const uint8_t *shim = embedded_shim_elf(&len);
	static struct zp_elf elf;
	const struct zp_elf_note *n;
	(void)state;

	assert_int_equal(zp_probe_elf(shim, len, &elf), ZP_OK);
	assert_true(elf.has_pvh);
	n = zp_elf_find_note(&elf, ZP_NOTE_NAME, ZP_NOTE_BUNDLE);
	assert_non_null(n);
	assert_true(n->has_value);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shim_is_embedded),
		cmocka_unit_test(test_entry64_layout),
		cmocka_unit_test(test_default_entry_and_refusals),
		cmocka_unit_test(test_placement_rules),
		cmocka_unit_test(test_vmlinux_layout),
		cmocka_unit_test(test_descriptor_refusals),
		cmocka_unit_test(test_vmlinux_descriptor_refusals),
		cmocka_unit_test(test_start_info_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
