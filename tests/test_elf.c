/* SPDX-License-Identifier: MIT */
/* test_elf: ELF32/ELF64 kernels, their segments and Xen notes, and the ways
 * a malformed ELF is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <zeropage/zeropage.h>
#include "realkernel.h"
#include "synth.h"

static const uint8_t phys32_entry[4] = { 0x40, 0x00, 0x00, 0x01 };	/* 0x1000040 */
static const uint8_t entry64[8] = { 0x00, 0x00, 0x00, 0x81, 0xff, 0xff, 0xff, 0xff };
static const uint8_t hypercall64[8] = { 0x00, 0x10, 0x00, 0x81, 0xff, 0xff, 0xff, 0xff };

/* The notes a Linux vmlinux built with CONFIG_XEN_PVH carries. */
static const struct synth_note xen_notes[] = {
	{ "Xen", ZP_XEN_ELFNOTE_GUEST_OS, "linux", 6 },
	{ "Xen", ZP_XEN_ELFNOTE_XEN_VERSION, "xen-3.0", 8 },
	{ "Xen", ZP_XEN_ELFNOTE_LOADER, "generic", 8 },
	{ "Xen", ZP_XEN_ELFNOTE_FEATURES, "!writable_page_tables", 22 },
	{ "Xen", ZP_XEN_ELFNOTE_ENTRY, entry64, 8 },
	{ "Xen", ZP_XEN_ELFNOTE_HYPERCALL_PAGE, hypercall64, 8 },
	{ "Xen", ZP_XEN_ELFNOTE_PHYS32_ENTRY, phys32_entry, 4 },
	{ "GNU", 3, "0123456789abcdefghij", 20 },	/* build id: not a number */
};
#define NXEN (sizeof(xen_notes) / sizeof(xen_notes[0]))

static void test_elf64_with_xen_notes(void **state)
{
	size_t len;
	uint8_t *img = synth_elf(64, 0x1000000, xen_notes, NXEN, &len);
	struct zp_elf elf;
	const struct zp_elf_note *n;

	(void)state;
	assert_int_equal(zp_probe_elf(img, len, &elf), ZP_OK);
	assert_int_equal(elf.elf_class, 64);
	assert_int_equal(elf.machine, ZP_EM_X86_64);
	assert_int_equal(elf.entry, 0x1000000);
	assert_int_equal(elf.nsegments, 2);
	assert_int_equal(elf.segments[0].type, ZP_PT_LOAD);
	assert_int_equal(elf.segments[0].paddr, SYNTH_ELF_LOAD_PADDR);
	assert_true(elf.segments[0].offset + elf.segments[0].filesz <= len);
	assert_int_equal(img[elf.segments[0].offset], 0x90);
	assert_int_equal(elf.segments[1].type, ZP_PT_NOTE);
	assert_int_equal(elf.nnotes, NXEN);
	for (unsigned i = 0; i < NXEN; i++) {
		n = zp_elf_find_note(&elf, xen_notes[i].name, xen_notes[i].type);
		assert_non_null(n);
		assert_int_equal(n->desc_len, xen_notes[i].desc_len);
		assert_memory_equal(n->desc, xen_notes[i].desc, n->desc_len);
	}
	n = zp_elf_find_note(&elf, "Xen", ZP_XEN_ELFNOTE_GUEST_OS);
	assert_string_equal((const char *)n->desc, "linux");
	assert_false(n->has_value);
	n = zp_elf_find_note(&elf, "Xen", ZP_XEN_ELFNOTE_ENTRY);
	assert_true(n->has_value);
	assert_int_equal(n->value, 0xffffffff81000000ull);
	assert_int_equal(zp_elf_find_note(&elf, "Xen", ZP_XEN_ELFNOTE_HYPERCALL_PAGE)->value,
			 0xffffffff81001000ull);
	assert_false(zp_elf_find_note(&elf, "GNU", 3)->has_value);
	assert_null(zp_elf_find_note(&elf, "Xen", ZP_XEN_ELFNOTE_PAE_MODE));
	assert_true(elf.has_pvh);
	assert_int_equal(elf.pvh_entry, 0x1000040);
	assert_int_equal(elf.entries, ZP_ENTRY_PVH | ZP_ENTRY_LONG64);
	free(img);
}

static void test_elf32_pvh(void **state)
{
	static const uint8_t entry8[8] = { 0x00, 0x20, 0x10, 0x00, 0, 0, 0, 0 };
	const struct synth_note notes[] = {
		{ "Xen", ZP_XEN_ELFNOTE_PHYS32_ENTRY, entry8, 8 },	/* the 8-byte form */
	};
	size_t len;
	uint8_t *img = synth_elf(32, 0x100000, notes, 1, &len);
	struct zp_elf elf;

	(void)state;
	assert_int_equal(zp_probe_elf(img, len, &elf), ZP_OK);
	assert_int_equal(elf.elf_class, 32);
	assert_int_equal(elf.machine, ZP_EM_386);
	assert_int_equal(elf.entry, 0x100000);
	assert_int_equal(elf.segments[0].paddr, SYNTH_ELF_LOAD_PADDR);
	assert_true(elf.has_pvh);
	assert_int_equal(elf.pvh_entry, 0x102000);
	assert_int_equal(elf.entries, ZP_ENTRY_PVH);
	free(img);
}

static void test_elf_without_notes(void **state)
{
	size_t len;
	uint8_t *img = synth_elf(64, 0x1000000, NULL, 0, &len);
	struct zp_elf elf;
	struct zp_image any;

	(void)state;
	assert_int_equal(zp_probe_elf(img, len, &elf), ZP_OK);
	assert_int_equal(elf.nnotes, 0);
	assert_false(elf.has_pvh);
	assert_int_equal(elf.entries, ZP_ENTRY_LONG64);
	assert_int_equal(zp_probe(img, len, &any), ZP_OK);
	assert_int_equal(any.format, ZP_FORMAT_ELF);
	free(img);
}

/* Two PVH entry notes: the loader and `info` must agree on the first. */
static void test_duplicate_pvh_note_first_wins(void **state)
{
	static const uint8_t first[4] = { 0x50, 0x08, 0x00, 0x01 };
	static const uint8_t second[4] = { 0x00, 0x00, 0x00, 0x02 };
	const struct synth_note notes[] = {
		{ "Xen", ZP_XEN_ELFNOTE_PHYS32_ENTRY, first, 4 },
		{ "Xen", ZP_XEN_ELFNOTE_PHYS32_ENTRY, second, 4 },
	};
	size_t len;
	uint8_t *img = synth_elf(64, 0x1000000, notes, 2, &len);
	struct zp_elf elf;

	(void)state;
	assert_int_equal(zp_probe_elf(img, len, &elf), ZP_OK);
	assert_true(elf.has_pvh);
	assert_int_equal(elf.pvh_entry, 0x1000850);
	assert_int_equal(zp_elf_find_note(&elf, "Xen", ZP_XEN_ELFNOTE_PHYS32_ENTRY)->value,
			 elf.pvh_entry);
	free(img);
}

static void test_xen_note_names(void **state)
{
	(void)state;
	assert_string_equal(zp_xen_note_name(ZP_XEN_ELFNOTE_PHYS32_ENTRY), "PHYS32_ENTRY");
	assert_string_equal(zp_xen_note_name(ZP_XEN_ELFNOTE_ENTRY), "ENTRY");
	assert_string_equal(zp_xen_note_name(ZP_XEN_ELFNOTE_GUEST_OS), "GUEST_OS");
	assert_string_equal(zp_xen_note_name(ZP_XEN_ELFNOTE_HYPERCALL_PAGE), "HYPERCALL_PAGE");
	assert_string_equal(zp_xen_note_name(ZP_XEN_ELFNOTE_PHYS32_RELOC), "PHYS32_RELOC");
	assert_null(zp_xen_note_name(20));
}

/* ---- malformed ELF ---- */

static uint8_t *pvh64(size_t *len)
{
	return synth_elf(64, 0x1000000, xen_notes, NXEN, len);
}

#define PHDR64(img, i) ((img) + 64 + 56 * (i))

static void test_truncated(void **state)
{
	size_t len;
	uint8_t *img = pvh64(&len);
	struct zp_elf elf;

	(void)state;
	assert_int_equal(zp_probe_elf(img, 3, &elf), ZP_ETRUNCATED);
	assert_int_equal(zp_probe_elf(img, 10, &elf), ZP_ETRUNCATED);
	assert_int_equal(zp_probe_elf(img, 63, &elf), ZP_ETRUNCATED);
	free(img);
}

static void test_bad_magic_and_class(void **state)
{
	size_t len;
	uint8_t *img = pvh64(&len);
	struct zp_elf elf;

	(void)state;
	img[1] = 'e';
	assert_int_equal(zp_probe_elf(img, len, &elf), ZP_EBADMAGIC);
	img[1] = 'E';
	img[4] = 3;				/* no such class */
	assert_int_equal(zp_probe_elf(img, len, &elf), ZP_EELFCLASS);
	img[4] = 2;
	img[5] = 2;				/* big-endian */
	assert_int_equal(zp_probe_elf(img, len, &elf), ZP_EELFCLASS);
	img[5] = 1;
	synth_put16(img + 18, 40);		/* EM_ARM */
	assert_int_equal(zp_probe_elf(img, len, &elf), ZP_EELFCLASS);
	synth_put16(img + 18, ZP_EM_386);	/* 64-bit class, 32-bit machine */
	assert_int_equal(zp_probe_elf(img, len, &elf), ZP_EELFCLASS);
	free(img);
}

static void test_phdrs_past_end(void **state)
{
	size_t len;
	uint8_t *img = pvh64(&len);
	struct zp_elf elf;

	(void)state;
	synth_put64(img + 32, len - 56);	/* e_phoff: second header hangs off */
	assert_int_equal(zp_probe_elf(img, len, &elf), ZP_EPHDR);
	synth_put64(img + 32, 64);
	synth_put16(img + 54, 32);		/* e_phentsize of ELF32 in an ELF64 */
	assert_int_equal(zp_probe_elf(img, len, &elf), ZP_EPHDR);
	synth_put16(img + 54, 56);
	synth_put16(img + 56, 0);		/* no program headers */
	assert_int_equal(zp_probe_elf(img, len, &elf), ZP_EPHDR);
	synth_put16(img + 56, ZP_ELF_MAX_SEGMENTS + 1);
	assert_int_equal(zp_probe_elf(img, len, &elf), ZP_ETOOMANY);
	free(img);
}

static void test_phoff_overflow(void **state)
{
	size_t len;
	uint8_t *img = pvh64(&len);
	struct zp_elf elf;

	(void)state;
	synth_put64(img + 32, UINT64_MAX - 8);
	assert_int_equal(zp_probe_elf(img, len, &elf), ZP_EOVERFLOW);
	free(img);
}

static void test_segment_past_end(void **state)
{
	size_t len;
	uint8_t *img = pvh64(&len);
	struct zp_elf elf;

	(void)state;
	synth_put64(PHDR64(img, 0) + 32, len);	/* PT_LOAD p_filesz: the whole file */
	assert_int_equal(zp_probe_elf(img, len, &elf), ZP_ESEGMENT);
	synth_put64(PHDR64(img, 0) + 32, UINT64_MAX);
	assert_int_equal(zp_probe_elf(img, len, &elf), ZP_EOVERFLOW);
	free(img);
}

static void test_notes_past_end(void **state)
{
	size_t len;
	uint8_t *img = pvh64(&len);
	struct zp_elf elf;

	(void)state;
	assert_int_equal(zp_probe_elf(img, len, &elf), ZP_OK);
	/* the note segment claims 2 bytes more than its notes: a partial header */
	synth_put64(PHDR64(img, 1) + 32, elf.segments[1].filesz + 2);
	assert_int_equal(zp_probe_elf(img, len, &elf), ZP_ENOTE);
	/* and a segment cut inside the first note */
	synth_put64(PHDR64(img, 1) + 32, 14);
	assert_int_equal(zp_probe_elf(img, len, &elf), ZP_ENOTE);
	free(img);
}

static void test_note_sizes_that_lie(void **state)
{
	size_t len;
	uint8_t *img = pvh64(&len);
	struct zp_elf elf;
	uint8_t *first;

	(void)state;
	assert_int_equal(zp_probe_elf(img, len, &elf), ZP_OK);
	first = img + elf.segments[1].offset;
	synth_put32(first + 4, 0x7ffffff0);	/* descsz far past the segment */
	assert_int_equal(zp_probe_elf(img, len, &elf), ZP_ENOTE);
	synth_put32(first + 4, 6);
	synth_put32(first, 0xffffffff);		/* namesz: 4 GiB */
	assert_int_equal(zp_probe_elf(img, len, &elf), ZP_ENOTE);
	free(img);
}

/* Xen reads these notes as addresses: a size other than 4 or 8 is a lie. */
static void test_xen_address_note_wrong_size(void **state)
{
	static const uint32_t types[] = {
		ZP_XEN_ELFNOTE_PHYS32_ENTRY, ZP_XEN_ELFNOTE_ENTRY, ZP_XEN_ELFNOTE_HYPERCALL_PAGE,
	};
	(void)state;
	for (size_t i = 0; i < 3; i++) {
		const struct synth_note bad = { "Xen", types[i], "\x00\x00\x00\x01\x00\x00", 6 };
		size_t len;
		uint8_t *img = synth_elf(64, 0x1000000, &bad, 1, &len);
		struct zp_elf elf;
		assert_int_equal(zp_probe_elf(img, len, &elf), ZP_ENOTESIZE);
		free(img);
	}
}

static void test_too_many_notes(void **state)
{
	struct synth_note many[ZP_ELF_MAX_NOTES + 1];
	size_t len;
	uint8_t *img;
	struct zp_elf elf;

	(void)state;
	for (unsigned i = 0; i <= ZP_ELF_MAX_NOTES; i++)
		many[i] = (struct synth_note){ "Xen", ZP_XEN_ELFNOTE_GUEST_OS, "linux", 6 };
	img = synth_elf(64, 0x1000000, many, ZP_ELF_MAX_NOTES, &len);
	assert_int_equal(zp_probe_elf(img, len, &elf), ZP_OK);
	assert_int_equal(elf.nnotes, ZP_ELF_MAX_NOTES);
	free(img);
	img = synth_elf(64, 0x1000000, many, ZP_ELF_MAX_NOTES + 1, &len);
	assert_int_equal(zp_probe_elf(img, len, &elf), ZP_ETOOMANY);
	free(img);
}

/* ---- the real kernel's vmlinux ---- */

static bool inside_load_segment(const struct zp_elf *elf, uint64_t addr, bool physical)
{
	for (unsigned i = 0; i < elf->nsegments; i++) {
		const struct zp_elf_segment *s = &elf->segments[i];
		uint64_t base = physical ? s->paddr : s->vaddr;
		if (s->type == ZP_PT_LOAD && addr >= base && addr - base < s->memsz)
			return true;
	}
	return false;
}

/* The bzImage's payload, decompressed by the compressor's own tool, is a
 * vmlinux; a PVH-capable one names an entry inside its own code. */
static void test_real_vmlinux(void **state)
{
	const char *path = realk_path();
	const struct zp_elf_note *n;
	struct zp_bzimage bz;
	struct zp_elf elf;
	uint8_t *buf, *vmlinux;
	size_t len, vlen;

	(void)state;
	if (!path)
		skip();
	buf = realk_read(path, &len);
	assert_int_equal(zp_probe_bzimage(buf, len, &bz), ZP_OK);
	vmlinux = realk_decompress(bz.compression, buf + bz.payload_offset, bz.payload_size, &vlen);
	assert_non_null(vmlinux);
	assert_int_equal(zp_probe_elf(vmlinux, vlen, &elf), ZP_OK);
	assert_int_equal(elf.elf_class, 64);
	assert_int_equal(elf.machine, ZP_EM_X86_64);
	assert_true(inside_load_segment(&elf, elf.entry, true));
	n = zp_elf_find_note(&elf, "Xen", ZP_XEN_ELFNOTE_GUEST_OS);
	if (n)
		assert_string_equal((const char *)n->desc, "linux");
	if (!elf.has_pvh) {		/* a kernel without CONFIG_XEN_PVH */
		assert_int_equal(elf.entries, ZP_ENTRY_LONG64);
	} else {
		print_message("PVH entry 0x%llx, %u notes\n",
			      (unsigned long long)elf.pvh_entry, elf.nnotes);
		assert_int_equal(elf.entries, ZP_ENTRY_PVH | ZP_ENTRY_LONG64);
		assert_true(inside_load_segment(&elf, elf.pvh_entry, true));
	}
	n = zp_elf_find_note(&elf, "Xen", ZP_XEN_ELFNOTE_ENTRY);
	if (n)
		assert_true(inside_load_segment(&elf, n->value, false));
	free(vmlinux);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elf64_with_xen_notes),
		cmocka_unit_test(test_elf32_pvh),
		cmocka_unit_test(test_elf_without_notes),
		cmocka_unit_test(test_duplicate_pvh_note_first_wins),
		cmocka_unit_test(test_xen_note_names),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_magic_and_class),
		cmocka_unit_test(test_phdrs_past_end),
		cmocka_unit_test(test_phoff_overflow),
		cmocka_unit_test(test_segment_past_end),
		cmocka_unit_test(test_notes_past_end),
		cmocka_unit_test(test_note_sizes_that_lie),
		cmocka_unit_test(test_xen_address_note_wrong_size),
		cmocka_unit_test(test_too_many_notes),
		cmocka_unit_test(test_real_vmlinux),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
