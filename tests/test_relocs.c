/* SPDX-License-Identifier: MIT */
/*
 * test_relocs: the KASLR relocation table, found, read and applied the way
 * the kernel's decompressor would, on a real Debian kernel (6.1 by
 * default; ZEROPAGE_KERNEL=... for 6.12, whose table has three lists as
 * 6.1's, or 7.x, whose table has two).
 *
 * The payload is decompressed by the compressor's own program
 * (realk_decompress); the table is what follows the vmlinux ELF, whose end
 * this test computes its own way.  Our finder (zp_relocs_find) goes
 * backwards from the payload's end, as handle_relocations() does, and must
 * land on the same bytes; this test reads them forwards, its own way (a
 * list after each zero word), and after zp_relocs_apply checks that every
 * named place moved by exactly the delta (minus it for the inverse list)
 * and that no other byte of the image changed.  Then the bad tables: an
 * entry outside the image writes nothing, a missing terminator and a
 * ragged length are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <zeropage/zeropage.h>
#include "realkernel.h"

#define LINK_PHYS	0x1000000ull
#define DELTA		0x1a600000ull	/* a 2 MiB multiple, as KASLR picks */

struct fixture {
	struct zp_bzimage bz;
	uint8_t *vmlinux;
	size_t len;
	const uint8_t *table;		/* inside vmlinux */
	size_t table_len;
	uint8_t *image;			/* the PT_LOADs laid out from LINK_PHYS */
	uint64_t image_len;
};

/* The PT_LOADs at their physical offsets from LINK_PHYS, as a loader
 * (our bundle's PT_LOADs, the decompressor's parse_elf) lays them out. */
static void lay_out(struct fixture *f)
{
	static struct zp_elf elf;
	uint64_t end = 0, file_end = 0;

	assert_int_equal(zp_probe_elf(f->vmlinux, f->len, &elf), ZP_OK);
	for (unsigned i = 0; i < elf.nsegments; i++) {
		const struct zp_elf_segment *s = &elf.segments[i];
		if (s->type == ZP_PT_LOAD && s->paddr + s->memsz - LINK_PHYS > end)
			end = s->paddr + s->memsz - LINK_PHYS;
		if (s->offset + s->filesz > file_end)
			file_end = s->offset + s->filesz;
	}
	f->image = calloc(1, end);
	f->image_len = end;
	for (unsigned i = 0; i < elf.nsegments; i++) {
		const struct zp_elf_segment *s = &elf.segments[i];
		if (s->type == ZP_PT_LOAD)
			memcpy(f->image + (s->paddr - LINK_PHYS), f->vmlinux + s->offset, s->filesz);
	}
	/* The table starts after the ELF: its section headers come last. */
	uint64_t shoff;
	uint16_t shnum;
	memcpy(&shoff, f->vmlinux + 0x28, 8);
	memcpy(&shnum, f->vmlinux + 0x3c, 2);
	if (shoff + shnum * 64ull > file_end)
		file_end = shoff + shnum * 64ull;
	f->table = f->vmlinux + file_end;
	f->table_len = f->len - file_end;
}

static int setup(void **state)
{
	static struct fixture f;
	struct zp_bzimage bz;
	const char *path = realk_path();
	size_t klen;
	uint8_t *k;

	if (!path)
		return 0;
	k = realk_read(path, &klen);
	assert_int_equal(zp_probe_bzimage(k, klen, &bz), ZP_OK);
	f.vmlinux = realk_decompress(bz.compression, k + bz.payload_offset, bz.payload_size, &f.len);
	assert_non_null(f.vmlinux);
	free(k);
	f.bz = bz;		/* its pointers into k are not used */
	lay_out(&f);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	if (f) {
		free(f->vmlinux);
		free(f->image);
	}
	return 0;
}

static int32_t word(const uint8_t *t, size_t i)
{
	int32_t v;
	memcpy(&v, t + 4 * i, 4);
	return v;
}

/* Our own forward reading: the lists are what follows each zero word
 * (entries are never zero).  Returns how many; z[i] is list i's zero. */
static size_t zeros(const uint8_t *t, size_t words, size_t *z, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < words; i++)
		if (word(t, i) == 0) {
			assert_true(n < cap);
			z[n++] = i;
		}
	return n;
}

static void check_place(const uint8_t *before, const uint8_t *after, int32_t e, unsigned width,
			int64_t sign, uint8_t *touched)
{
	uint64_t off = (uint64_t)(int64_t)e - (ZP_START_KERNEL_MAP + LINK_PHYS), a = 0, b = 0;

	memcpy(&a, before + off, width);
	memcpy(&b, after + off, width);
	if (width == 8)
		assert_true(b == a + (uint64_t)(sign * (int64_t)DELTA));
	else
		assert_true((uint32_t)b == (uint32_t)(a + (uint64_t)(sign * (int64_t)DELTA)));
	memset(touched + off, 1, width);
}

static void test_find_on_the_real_kernel(void **state)
{
	struct fixture *f = *state;
	struct zp_relocs r;
	struct zp_diag diag;
	size_t z[4];

	if (!f)
		skip();
	assert_int_equal(zp_relocs_find(&f->bz, f->vmlinux, f->len, &r, &diag), ZP_OK);
	assert_ptr_equal(r.table, f->table);		/* right after the ELF */
	assert_int_equal(r.len, f->table_len);		/* to the payload's end */
	assert_int_equal(r.lists, zeros(f->table, f->table_len / 4, z, 4));
	assert_null(r.absent);
	printf("# %s: %u lists, %zu 64-bit, %zu inverse, %zu 32-bit entries, table at 0x%zx "
	       "of 0x%zx\n", f->bz.version, r.lists, r.n64, r.ninv32, r.n32,
	       (size_t)(f->table - f->vmlinux), f->len);
}

static void test_apply_on_the_real_kernel(void **state)
{
	struct fixture *f = *state;
	struct zp_relocs r;
	struct zp_diag diag;
	size_t words, z[4] = { 0 }, lists, n = 0;
	uint8_t *before, *touched;

	if (!f)
		skip();
	assert_int_equal(zp_relocs_parse(f->table, f->table_len, &r, &diag), ZP_OK);
	words = f->table_len / 4;
	lists = zeros(f->table, words, z, 4);
	assert_int_equal(z[0], 0);
	assert_int_equal(r.lists, lists);
	assert_int_equal(r.n64, z[1] - 1);
	assert_int_equal(r.ninv32, lists == 3 ? z[2] - z[1] - 1 : 0);
	assert_int_equal(r.n32, words - z[lists - 1] - 1);
	assert_true(r.n64 > 1000 && r.n32 > 1000);	/* a real kernel has many */

	before = malloc(f->image_len);
	touched = calloc(1, f->image_len);
	memcpy(before, f->image, f->image_len);
	struct zp_relocs_target k = { f->image, f->image_len, ZP_START_KERNEL_MAP + LINK_PHYS };
	assert_int_equal(zp_relocs_apply(&r, &k, DELTA, &diag), ZP_OK);
	for (size_t i = 1; i < z[1]; i++)
		check_place(before, f->image, word(f->table, i), 8, 1, touched);
	for (size_t i = z[1] + 1; lists == 3 && i < z[2]; i++)
		check_place(before, f->image, word(f->table, i), 4, -1, touched);
	for (size_t i = z[lists - 1] + 1; i < words; i++)
		check_place(before, f->image, word(f->table, i), 4, 1, touched);
	for (uint64_t i = 0; i < f->image_len; i++)
		if (!touched[i] && before[i] != f->image[i])
			n++;
	assert_int_equal(n, 0);		/* nothing else moved */
	memcpy(f->image, before, f->image_len);
	free(before);
	free(touched);
}

static void test_bad_tables(void **state)
{
	struct fixture *f = *state;
	struct zp_relocs r;
	struct zp_diag diag;
	uint8_t *t, *before;
	size_t len;

	if (!f)
		skip();
	len = f->table_len;
	t = malloc(len);
	memcpy(t, f->table, len);
	/* one 32-bit entry pointing past the image: refused, nothing written */
	int32_t far = (int32_t)(ZP_START_KERNEL_MAP + LINK_PHYS + f->image_len);
	memcpy(t + len - 4, &far, 4);
	assert_int_equal(zp_relocs_parse(t, len, &r, &diag), ZP_OK);
	before = malloc(f->image_len);
	memcpy(before, f->image, f->image_len);
	struct zp_relocs_target k = { f->image, f->image_len, ZP_START_KERNEL_MAP + LINK_PHYS };
	assert_int_equal(zp_relocs_apply(&r, &k, DELTA, &diag), ZP_ERELOCS);
	assert_non_null(strstr(diag.msg, "outside the kernel image"));
	assert_memory_equal(before, f->image, f->image_len);
	/* the 64-bit list's terminator gone: the table does not start with it */
	memcpy(t, f->table, len);
	memset(t, 0xff, 4);
	assert_int_equal(zp_relocs_parse(t, len, &r, &diag), ZP_ERELOCS);
	/* a ragged length, and too short */
	assert_int_equal(zp_relocs_parse(f->table, len - 2, &r, &diag), ZP_ERELOCS);
	assert_int_equal(zp_relocs_parse(f->table, 8, &r, &diag), ZP_ERELOCS);
	free(before);
	free(t);
}

static void test_kaslr_choice(void **state)
{
	struct zp_e820_entry e[] = { { 0, 0x9fc00, ZP_E820_RAM },
				     { 0x100000, 0x1ff00000, ZP_E820_RAM } };	/* 512 MiB */
	struct zp_e820_map ram = { e, 2, 2 };
	struct zp_kaslr_range avoid[] = { { 0x100000, 0x40000 }, { 0x1ffd0000, 0x3000 } };
	uint64_t words[2] = { 1, 2 };
	struct zp_kaslr_request rq = { .ram = &ram, .avoid = avoid, .navoid = 2,
				       .image_size = 0x3400000, .align = 0x200000,
				       .link_phys = LINK_PHYS, .phys_limit = 1ull << 32,
				       .entropy = words, .nentropy = 2 };
	struct zp_kaslr_choice c, c2;
	struct zp_diag diag;
	unsigned distinct = 0;

	(void)state;
	for (uint64_t i = 0; i < 64; i++) {
		words[0] = i * 0x9e3779b97f4a7c15ull;
		assert_int_equal(zp_kaslr_choose(&rq, &c, &diag), ZP_OK);
		assert_int_equal(c.phys % 0x200000, 0);
		assert_true(c.phys >= LINK_PHYS && c.phys + rq.image_size <= 0x1ffd0000);
		assert_int_equal(c.virt % 0x200000, 0);
		assert_true(c.virt >= LINK_PHYS && c.virt + rq.image_size <= ZP_KERNEL_IMAGE_SIZE);
		/* the kernel's own slot counts (kaslr.c) */
		assert_int_equal(c.virt_slots, 1 + (ZP_KERNEL_IMAGE_SIZE - LINK_PHYS - 0x3400000) / 0x200000);
		assert_int_equal(c.phys_slots, (0x1ffd0000 - 0x3400000 - LINK_PHYS) / 0x200000 + 1);
		if (i && (c.phys != c2.phys || c.virt != c2.virt))
			distinct++;
		c2 = c;
	}
	assert_true(distinct > 50);
	/* no room: refused with the numbers */
	rq.image_size = 0x40000000;
	assert_int_equal(zp_kaslr_choose(&rq, &c, &diag), ZP_ENOSPACE);
	assert_non_null(strstr(diag.msg, "no aligned room"));
	assert_true(zp_cmdline_has_word("console=ttyS0 nokaslr quiet", "nokaslr"));
	assert_false(zp_cmdline_has_word("console=ttyS0 nokaslr=1 xnokaslr", "nokaslr"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_on_the_real_kernel),
		cmocka_unit_test(test_apply_on_the_real_kernel),
		cmocka_unit_test(test_bad_tables),
		cmocka_unit_test(test_kaslr_choice),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
