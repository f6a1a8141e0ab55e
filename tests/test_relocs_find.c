/* SPDX-License-Identifier: MIT */
/*
 * test_relocs_find: finding the KASLR relocation table in a decompressed
 * payload the way the kernel's decompressor does (zp_relocs_find), on
 * small synthetic payloads: a vmlinux ELF (one PT_LOAD, section headers
 * last) followed by a table in the layout of kernels up to 6.12 (64-bit,
 * inverse 32-bit and 32-bit lists) or of newer ones (no inverse list), and
 * the payloads that must not be taken for either: stray words between the
 * ELF and the table, ragged or out-of-range tails.  A kernel is named as
 * having no table only when its setup header or its payload proves it.
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

#define LOAD_OFF	0x1000u			/* the PT_LOAD's file offset */
#define LOAD_SIZE	0x1000u
#define LINK_PHYS	0x1000000ull
#define LINK_VIRT	(ZP_START_KERNEL_MAP + LINK_PHYS)	/* 0xffffffff81000000 */
#define SHOFF		0x2000u			/* two section headers, last */
#define ELF_END		(SHOFF + 2 * 64u)
#define CAP		(ELF_END + 256)

struct payload {
	uint8_t b[CAP];
	size_t len;
};

/* The place at offset `off` of the PT_LOAD, as a table entry. */
static uint32_t at(uint32_t off)
{
	return (uint32_t)(LINK_VIRT + off);
}

static void put_elf(struct payload *p)
{
	struct zp_elf64_ehdr h = { .e_type = 2, .e_machine = ZP_EM_X86_64, .e_version = 1,
				   .e_entry = LINK_VIRT, .e_phoff = 64, .e_shoff = SHOFF,
				   .e_ehsize = 64, .e_phentsize = 56, .e_phnum = 1,
				   .e_shentsize = 64, .e_shnum = 2 };
	struct zp_elf64_phdr ph = { ZP_PT_LOAD, 7, LOAD_OFF, LINK_VIRT, LINK_PHYS, LOAD_SIZE,
				    LOAD_SIZE, 0x200000 };
	/* section 0 is SHT_NULL; section 1 the PT_LOAD's bytes.  Its last
	 * word (sh_entsize) is zero, as the real kernels' last one is. */
	struct zp_elf64_shdr text = { .sh_type = 1, .sh_addr = LINK_VIRT, .sh_offset = LOAD_OFF,
				      .sh_size = LOAD_SIZE };

	memset(p, 0, sizeof(*p));
	memcpy(h.e_ident, "\x7f" "ELF\x02\x01\x01", 7);
	memcpy(p->b, &h, sizeof(h));
	memcpy(p->b + 64, &ph, sizeof(ph));
	memcpy(p->b + SHOFF + 64, &text, sizeof(text));
	for (uint32_t i = 0; i < LOAD_SIZE; i++)
		p->b[LOAD_OFF + i] = (uint8_t)(i * 7);
	p->len = ELF_END;
}

static void put_words(struct payload *p, const uint32_t *w, size_t n)
{
	memcpy(p->b + p->len, w, n * 4);
	p->len += n * 4;
}

static struct zp_bzimage kernel(bool relocatable)
{
	struct zp_bzimage bz;

	memset(&bz, 0, sizeof(bz));
	bz.protocol = 0x20f;
	bz.hdr.relocatable_kernel = relocatable;
	bz.relocatable = relocatable;
	bz.entries = ZP_ENTRY_LONG64 | ZP_ENTRY_PROT32 | ZP_ENTRY_REAL16;
	return bz;
}

/* Up to 6.12: 0, 64-bit..., 0, inverse 32-bit..., 0, 32-bit... */
static void three_lists(uint32_t *w)
{
	uint32_t t[] = { 0, at(0x10), at(0x20), 0, at(0x30), 0, at(0x40), at(0x50), at(0x60) };
	memcpy(w, t, sizeof(t));
}

/* Newer kernels: 0, 64-bit..., 0, 32-bit... */
static void two_lists(uint32_t *w)
{
	uint32_t t[] = { 0, at(0x10), at(0x20), at(0x28), 0, at(0x40), at(0x50) };
	memcpy(w, t, sizeof(t));
}

static void test_three_lists_after_the_section_headers(void **state)
{
	struct payload p;
	struct zp_bzimage bz = kernel(true);
	uint32_t w[9];
	struct zp_relocs r;
	struct zp_diag d;

	(void)state;
	put_elf(&p);
	three_lists(w);
	put_words(&p, w, 9);
	assert_int_equal(zp_relocs_find(&bz, p.b, p.len, &r, &d), ZP_OK);
	assert_ptr_equal(r.table, p.b + ELF_END);	/* where the ELF ends */
	assert_int_equal(r.len, sizeof(w));
	assert_int_equal(r.lists, 3);
	assert_int_equal(r.n64, 2);
	assert_int_equal(r.ninv32, 1);
	assert_int_equal(r.n32, 3);
	assert_null(r.absent);
	/* the table alone reads the same */
	struct zp_relocs r2;
	assert_int_equal(zp_relocs_parse(r.table, r.len, &r2, &d), ZP_OK);
	assert_int_equal(r2.lists, 3);
	assert_int_equal(r2.at32, r.at32);
}

/* The 7.x layout, applied: each 64- and 32-bit place moves by delta,
 * nothing is subtracted anywhere. */
static void test_two_lists_as_newer_kernels_write_them(void **state)
{
	struct payload p;
	struct zp_bzimage bz = kernel(true);
	uint32_t w[7];
	struct zp_relocs r;
	struct zp_diag d;
	uint8_t image[LOAD_SIZE], before[LOAD_SIZE];
	const uint64_t delta = 0x3a00000;
	uint64_t a, b;
	uint32_t a32, b32;

	(void)state;
	put_elf(&p);
	two_lists(w);
	put_words(&p, w, 7);
	assert_int_equal(zp_relocs_find(&bz, p.b, p.len, &r, &d), ZP_OK);
	assert_ptr_equal(r.table, p.b + ELF_END);
	assert_int_equal(r.lists, 2);
	assert_int_equal(r.n64, 3);
	assert_int_equal(r.ninv32, 0);
	assert_int_equal(r.n32, 2);

	memcpy(image, p.b + LOAD_OFF, LOAD_SIZE);
	memcpy(before, image, LOAD_SIZE);
	struct zp_relocs_target k = { image, LOAD_SIZE, LINK_VIRT };
	assert_int_equal(zp_relocs_apply(&r, &k, delta, &d), ZP_OK);
	memcpy(&a, before + 0x28, 8);
	memcpy(&b, image + 0x28, 8);
	assert_true(b == a + delta);
	memcpy(&a32, before + 0x50, 4);
	memcpy(&b32, image + 0x50, 4);
	assert_true(b32 == (uint32_t)(a32 + delta));
	/* the byte before the first 64-bit place is untouched */
	assert_int_equal(image[0x0f], before[0x0f]);
}

/* What the decompressor would not read as the build wrote it: refused,
 * with where the reading went wrong, and never named "no table". */
static void test_bad_tails(void **state)
{
	struct payload p;
	struct zp_bzimage bz = kernel(true);
	uint32_t w[7], stray = 0xdeadbeef, zero = 0, far = at(LOAD_SIZE);
	struct zp_relocs r;
	struct zp_diag d;

	(void)state;
	two_lists(w);
	/* a non-zero word between the ELF and the table: the lists read
	 * back never reach a terminator at the ELF's end */
	put_elf(&p);
	put_words(&p, &stray, 1);
	put_words(&p, w, 7);
	assert_int_equal(zp_relocs_find(&bz, p.b, p.len, &r, &d), ZP_ERELOCS);
	assert_non_null(strstr(d.msg, "without their terminating zeros"));
	assert_null(r.table);
	assert_null(r.absent);
	/* a zero there: it reads as three lists, the first empty (what an
	 * ELF end misplaced by a word would give on the 7.x kernel) */
	put_elf(&p);
	put_words(&p, &zero, 1);
	put_words(&p, w, 7);
	assert_int_equal(zp_relocs_find(&bz, p.b, p.len, &r, &d), ZP_ERELOCS);
	assert_non_null(strstr(d.msg, "3 lists of 0, 3 and 2 entries, an empty 64-bit list"));
	/* two zeros: the lists end one word after the ELF's end */
	put_elf(&p);
	put_words(&p, &zero, 1);
	put_words(&p, &zero, 1);
	put_words(&p, w, 7);
	assert_int_equal(zp_relocs_find(&bz, p.b, p.len, &r, &d), ZP_ERELOCS);
	assert_non_null(strstr(d.msg, "end at 0x2084, not at the vmlinux ELF's end 0x2080"));
	/* a ragged tail: two bytes after the table */
	put_elf(&p);
	put_words(&p, w, 7);
	p.len += 2;
	assert_int_equal(zp_relocs_find(&bz, p.b, p.len, &r, &d), ZP_ERELOCS);
	assert_non_null(strstr(d.msg, "not whole 32-bit words"));
	/* a trailing word naming a place past the kernel's bytes */
	put_elf(&p);
	put_words(&p, w, 7);
	put_words(&p, &far, 1);
	assert_int_equal(zp_relocs_find(&bz, p.b, p.len, &r, &d), ZP_ERELOCS);
	assert_non_null(strstr(d.msg, "32-bit relocation 2 (0xffffffff81001000) lies outside"));
	/* a 64-bit place whose last bytes pass the image's end */
	put_elf(&p);
	uint32_t edge[] = { 0, at(LOAD_SIZE - 4), 0, at(0x40) };
	put_words(&p, edge, 4);
	assert_int_equal(zp_relocs_find(&bz, p.b, p.len, &r, &d), ZP_ERELOCS);
	assert_non_null(strstr(d.msg, "64-bit relocation 0"));
	/* an ELF whose section headers lie past the payload */
	put_elf(&p);
	p.len = SHOFF + 64;
	assert_int_equal(zp_relocs_find(&bz, p.b, p.len, &r, &d), ZP_EPHDR);
	assert_non_null(strstr(d.msg, "vmlinux ELF"));
}

/* "No relocation table" only where the image proves it. */
static void test_none_only_when_proven(void **state)
{
	struct payload p;
	struct zp_bzimage bz = kernel(true), fixed = kernel(false);
	uint32_t w[9], stray = 0x1234;
	struct zp_relocs r;
	struct zp_diag d;

	(void)state;
	/* relocatable, nothing after the ELF: the build appended nothing */
	put_elf(&p);
	assert_int_equal(zp_relocs_find(&bz, p.b, p.len, &r, &d), ZP_OK);
	assert_null(r.table);
	assert_non_null(r.absent);
	assert_non_null(strstr(r.absent, "appended no vmlinux.relocs"));
	/* not relocatable (relocatable_kernel 0): none, whatever follows */
	three_lists(w);
	put_words(&p, w, 9);
	assert_int_equal(zp_relocs_find(&fixed, p.b, p.len, &r, &d), ZP_OK);
	assert_null(r.table);
	assert_non_null(strstr(r.absent, "relocatable_kernel 0"));
	/* relocatable with bytes after the ELF that are no table: an error,
	 * not "built without RANDOMIZE_BASE" */
	put_elf(&p);
	put_words(&p, &stray, 1);
	assert_int_equal(zp_relocs_find(&bz, p.b, p.len, &r, &d), ZP_ERELOCS);
	assert_null(r.absent);
	/* a 32-bit kernel's table is not this one */
	bz.entries = ZP_ENTRY_PROT32;
	assert_int_equal(zp_relocs_find(&bz, p.b, p.len, &r, &d), ZP_EELFCLASS);
}

/* The ELF's end counts every part its headers name, wherever it lies. */
static void test_elf_file_end(void **state)
{
	struct payload p;
	uint64_t end;
	struct zp_elf64_shdr tail = { .sh_type = 3, .sh_offset = ELF_END, .sh_size = 13 };

	(void)state;
	put_elf(&p);
	assert_int_equal(zp_elf_file_end(p.b, p.len, &end), ZP_OK);
	assert_int_equal(end, ELF_END);
	/* a string table after the section headers (as a linker may put it) */
	memcpy(p.b + SHOFF, &tail, sizeof(tail));
	p.len = ELF_END + 16;
	assert_int_equal(zp_elf_file_end(p.b, p.len, &end), ZP_OK);
	assert_int_equal(end, ELF_END + 13);
	/* ... that runs past the file */
	p.len = ELF_END + 12;
	assert_int_equal(zp_elf_file_end(p.b, p.len, &end), ZP_ESEGMENT);
	/* a segment whose offset + size wraps */
	put_elf(&p);
	uint64_t huge = UINT64_MAX - 8;
	memcpy(p.b + 64 + 8, &huge, 8);		/* p_offset */
	assert_int_equal(zp_elf_file_end(p.b, p.len, &end), ZP_EOVERFLOW);
	assert_int_equal(zp_elf_file_end(p.b, 63, &end), ZP_ETRUNCATED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_three_lists_after_the_section_headers),
		cmocka_unit_test(test_two_lists_as_newer_kernels_write_them),
		cmocka_unit_test(test_bad_tails),
		cmocka_unit_test(test_none_only_when_proven),
		cmocka_unit_test(test_elf_file_end),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
