/* SPDX-License-Identifier: MIT */
/*
 * test_pe: PE/COFF images and Unified Kernel Images (lib/pe.c, lib/uki.c):
 * UKIs built in memory (around a synthetic bzImage, and, when
 * ZEROPAGE_KERNEL and Debian's systemd-stub are there, the real kernel in the
 * real stub, added as ukify adds sections), and crafted bad PEs: a section
 * past the end, overlapping sections, no .linux, truncated headers, bad
 * magics; the section-size rule; the command line and os-release readers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zeropage/zeropage.h>
#include "realkernel.h"
#include "synth.h"
#include "synth_pe.h"

#define STUB "/usr/lib/systemd/boot/efi/linuxx64.efi.stub"

static const char osrel[] =
	"# a comment\n"
	"NAME=\"Synthetic Linux\"\n"
	"PRETTY_NAME='Synthetic Linux 1 (test)'\n"
	"ID=synth\n"
	"\n"
	"VERSION_ID=\"1\"\n";
static const char cmdline[] = "  console=ttyS0\tquiet\n\0\0";	/* as a file with padding */
static const char uname_r[] = "6.9.0-synth\n";
static const uint8_t initrd[] = "070701 pretend this is a cpio archive";

static uint8_t *synth_kernel(size_t *len)
{
	static const uint8_t gzip[] = { 0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 2, 3 };
	struct synth_bzimage_opts o = {
		.protocol = 0x20f, .version = "6.9.0-synth (test@example) #1",
		.payload = gzip, .payload_len = sizeof(gzip),
		.xloadflags = ZP_XLF_KERNEL_64, .relocatable = true,
	};
	return synth_bzimage(&o, len);
}

/* A UKI as ukify lays one out, around a synthetic kernel. */
static uint8_t *synth_uki(size_t *len, uint8_t **kernel, size_t *klen)
{
	*kernel = synth_kernel(klen);
	struct synth_pe_section s[] = {
		{ .name = ".text", .data = "\xc3", .len = 1 },
		{ .name = ".osrel", .data = osrel, .len = sizeof(osrel) - 1 },
		{ .name = ".cmdline", .data = cmdline, .len = sizeof(cmdline) - 1 },
		{ .name = ".uname", .data = uname_r, .len = sizeof(uname_r) - 1 },
		{ .name = ".initrd", .data = initrd, .len = sizeof(initrd) },
		{ .name = ".linux", .data = *kernel, .len = *klen },
	};
	return synth_pe(s, 6, len);
}

static void test_synthetic_uki(void **state)
{
	static struct zp_pe pe;
	static struct zp_image img;
	struct zp_diag d = { { 0 } };
	struct zp_uki u;
	uint8_t *kernel;
	size_t len, klen;
	uint8_t *uki = synth_uki(&len, &kernel, &klen);
	char text[64];

	(void)state;
	assert_int_equal(zp_probe_pe(uki, len, &pe, &d), ZP_OK);
	assert_string_equal(d.msg, "");
	assert_int_equal(pe.machine, ZP_PE_MACHINE_AMD64);
	assert_int_equal(pe.opt_magic, ZP_PE_OPT_MAGIC_PE32PLUS);
	assert_int_equal(pe.subsystem, ZP_PE_SUBSYSTEM_EFI_APPLICATION);
	assert_int_equal(pe.section_alignment, SYNTH_PE_SECT_ALIGN);
	assert_int_equal(pe.file_alignment, SYNTH_PE_FILE_ALIGN);
	assert_int_equal(pe.nsections, 6);
	assert_int_equal(pe.headers_end, SYNTH_PE_SECTION(6));
	assert_string_equal(pe.sections[0].name, ".text");
	assert_string_equal(pe.sections[2].name, ".cmdline");	/* 8 characters, no NUL */
	assert_int_equal(pe.sections[0].offset, SYNTH_PE_HEADERS);
	assert_int_equal(pe.sections[0].vaddr, SYNTH_PE_SECT_ALIGN);
	assert_int_equal(pe.sections[0].raw_size, SYNTH_PE_FILE_ALIGN);
	assert_int_equal(pe.sections[0].vsize, 1);
	assert_int_equal(pe.sections[0].size, 1);
	assert_int_equal(pe.sections[5].vsize, klen);
	assert_int_equal(pe.cert_size, 0);
	assert_ptr_equal(zp_pe_find_section(&pe, ".linux"), &pe.sections[5]);
	assert_null(zp_pe_find_section(&pe, ".linu"));
	assert_null(zp_pe_find_section(&pe, ".splash"));

	assert_int_equal(zp_uki_parts(&pe, &u, &d), ZP_OK);
	assert_int_equal(u.kernel.size, klen);
	assert_memory_equal(u.kernel.data, kernel, klen);
	assert_int_equal(u.kernel.offset, pe.sections[5].offset);
	assert_int_equal(u.initrd.size, sizeof(initrd));
	assert_memory_equal(u.initrd.data, initrd, sizeof(initrd));
	assert_int_equal(u.osrel.size, sizeof(osrel) - 1);
	assert_null(u.splash.data);
	assert_null(u.ucode.data);
	assert_int_equal(u.profiles, 0);
	assert_int_equal(zp_uki_text(&u.cmdline, text, sizeof(text)), 19);
	assert_string_equal(text, "console=ttyS0 quiet");
	assert_int_equal(zp_uki_text(&u.uname, text, sizeof(text)), 11);
	assert_string_equal(text, "6.9.0-synth");

	/* zp_probe: a UKI, and u.bz is the kernel in it */
	assert_int_equal(zp_identify(uki, len), ZP_FORMAT_UKI);
	assert_int_equal(zp_probe(uki, len, &img), ZP_OK);
	assert_int_equal(img.format, ZP_FORMAT_UKI);
	assert_ptr_equal(img.u.bz.image, uki + pe.sections[5].offset);
	assert_int_equal(img.u.bz.image_len, klen);
	assert_string_equal(img.u.bz.version, "6.9.0-synth (test@example) #1");
	assert_int_equal(img.u.uki.pe.nsections, 6);
	assert_int_equal(img.u.uki.parts.initrd.size, sizeof(initrd));
	free(uki);
	free(kernel);
}

/* A section's data is min(VirtualSize, SizeOfRawData), or SizeOfRawData
 * when VirtualSize is 0: what EDK II's loader copies. */
static void test_section_size_rule(void **state)
{
	static const uint8_t data[0x400];
	struct synth_pe_section s[] = {
		{ .name = ".a", .data = data, .len = 0x400, .vsize = 0x123 },	/* vsize < raw */
		{ .name = ".b", .data = data, .len = 0x200, .vsize = 0x5000 },	/* vsize > raw (zero fill) */
		{ .name = ".c", .data = data, .len = 0x200, .vsize = 0 },	/* no vsize */
	};
	static struct zp_pe pe;
	size_t len;
	uint8_t *img;

	(void)state;
	s[2].vsize = 0;
	img = synth_pe(s, 3, &len);
	/* synth_pe takes vsize 0 as "len": make .c's VirtualSize really 0 */
	synth_put32(img + SYNTH_PE_SECTION(2) + 8, 0);
	assert_int_equal(zp_probe_pe(img, len, &pe, NULL), ZP_OK);
	assert_int_equal(pe.sections[0].size, 0x123);
	assert_int_equal(pe.sections[1].size, 0x200);
	assert_int_equal(pe.sections[1].vsize, 0x5000);
	assert_int_equal(pe.sections[2].vsize, 0);
	assert_int_equal(pe.sections[2].size, 0x200);
	free(img);
}

static uint8_t *two_sections(size_t *len)
{
	static const uint8_t data[0x600];
	struct synth_pe_section s[] = {
		{ .name = ".initrd", .data = data, .len = 0x600 },
		{ .name = ".linux", .data = data, .len = 0x400 },
	};
	return synth_pe(s, 2, len);
}

static void expect_fail(const uint8_t *img, size_t len, int err, const char *words)
{
	static struct zp_pe pe;
	static struct zp_image any;
	struct zp_diag d = { { 0 } };

	assert_int_equal(zp_probe_pe(img, len, &pe, &d), err);
	print_message("  %d: %s\n", err, d.msg);
	assert_non_null(strstr(d.msg, words));
	assert_int_equal(zp_probe_pe(img, len, &pe, NULL), err);	/* diag optional */
	/* zp_probe, once it has seen "MZ" and "PE\0\0", keeps the PE's error */
	uint32_t lfanew = len >= 0x40 ? synth_get32(img + ZP_PE_LFANEW_OFFSET) : 0;
	if (len >= 0x40 && img[0] == 'M' && img[1] == 'Z' && lfanew <= len && len - lfanew >= 4 &&
	    synth_get32(img + lfanew) == ZP_PE_SIGNATURE)
		assert_int_equal(zp_probe(img, len, &any), err);
	else
		assert_int_equal(zp_probe(img, len, &any), ZP_EUNKNOWN);
}

static void test_section_past_end(void **state)
{
	size_t len;
	uint8_t *img = two_sections(&len);

	(void)state;
	/* the file cut inside .linux's raw data */
	expect_fail(img, len - 1, ZP_EPESECTION, "section .linux: file range 0xa00-0xe00 lies "
		    "past the end of the file (3583 bytes)");
	/* an offset so large that offset + size wraps 32 bits */
	synth_put32(img + SYNTH_PE_SECTION(0) + 20, 0xffffff00);
	expect_fail(img, len, ZP_EPESECTION, "section .initrd: file range 0xffffff00-0x100000500");
	/* a size past the end */
	synth_put32(img + SYNTH_PE_SECTION(0) + 20, 0x400);
	synth_put32(img + SYNTH_PE_SECTION(0) + 16, 0x7fffffff);
	expect_fail(img, len, ZP_EPESECTION, "section .initrd");
	free(img);
}

static void test_overlapping_sections(void **state)
{
	size_t len;
	uint8_t *img = two_sections(&len);

	(void)state;
	/* .linux's raw data starts inside .initrd's */
	synth_put32(img + SYNTH_PE_SECTION(1) + 20, 0x800);
	expect_fail(img, len, ZP_EPEOVERLAP, "sections .initrd (file 0x400-0xa00) and .linux "
		    "(file 0x800-0xc00) overlap");
	synth_put32(img + SYNTH_PE_SECTION(1) + 20, 0xa00);
	/* in memory: .linux's VirtualAddress inside .initrd's span */
	synth_put32(img + SYNTH_PE_SECTION(1) + 12, 0x1400);
	expect_fail(img, len, ZP_EPEOVERLAP, "sections .initrd (memory 0x1000-0x1600) and .linux "
		    "(memory 0x1400-0x1800) overlap");
	synth_put32(img + SYNTH_PE_SECTION(1) + 12, 0x2000);
	/* raw data inside the headers */
	synth_put32(img + SYNTH_PE_SECTION(0) + 20, 0x100);
	expect_fail(img, len, ZP_EPEOVERLAP, "overlaps the headers, which end at 0x1d8");
	free(img);
}

/* The Arch wiki's old objcopy recipe put .linux at 0x2000000 and .initrd at
 * 0x3000000: a kernel over 16 MiB then runs into the initrd in memory. */
static void test_fixed_vma_recipe_overlap(void **state)
{
	static const uint8_t data[0x200];
	struct synth_pe_section s[] = {
		{ .name = ".linux", .data = data, .len = 0x200, .vsize = 0x1000200,
		  .vaddr = 0x2000000 },
		{ .name = ".initrd", .data = data, .len = 0x200, .vaddr = 0x3000000 },
	};
	size_t len;
	uint8_t *img = synth_pe(s, 2, &len);

	(void)state;
	expect_fail(img, len, ZP_EPEOVERLAP, "sections .linux (memory 0x2000000-0x3000200) and "
		    ".initrd (memory 0x3000000-0x3000200) overlap");
	free(img);
}

static void test_not_a_uki(void **state)
{
	struct synth_pe_section s[] = {
		{ .name = ".text", .data = "\xc3", .len = 1 },
		{ .name = ".sbat", .data = "sbat,1\n", .len = 7 },
		{ .name = ".kernel", .data = "x", .len = 1 },	/* no stub's .linux */
	};
	static struct zp_pe pe;
	static struct zp_image img;
	struct zp_diag d = { { 0 } };
	struct zp_uki u;
	size_t len;
	uint8_t *p = synth_pe(s, 3, &len);

	(void)state;
	assert_int_equal(zp_probe_pe(p, len, &pe, &d), ZP_OK);
	assert_int_equal(zp_uki_parts(&pe, &u, &d), ZP_ENOTUKI);
	assert_string_equal(d.msg, "no .linux section; its 3 sections: .text .sbat .kernel");
	assert_int_equal(zp_probe(p, len, &img), ZP_ENOTUKI);
	assert_int_equal(img.format, ZP_FORMAT_UNKNOWN);
	assert_int_equal(zp_identify(p, len), ZP_FORMAT_UKI);	/* a PE: its errors are the UKI's */
	/* an empty .linux is none */
	memcpy(p + SYNTH_PE_SECTION(2), ".linux\0", 8);
	synth_put32(p + SYNTH_PE_SECTION(2) + 16, 0);
	assert_int_equal(zp_probe_pe(p, len, &pe, &d), ZP_OK);
	assert_int_equal(zp_uki_parts(&pe, &u, &d), ZP_ENOTUKI);
	assert_non_null(strstr(d.msg, "an empty .linux section"));
	free(p);
}

/* .linux that is not a bzImage: zp_probe says what the bzImage probe says. */
static void test_linux_not_a_bzimage(void **state)
{
	static const uint8_t arm64_image[0x400] = { 0x4d, 0x5a };	/* an arm64 Image starts "MZ" */
	struct synth_pe_section s[] = { { .name = ".linux", .data = arm64_image, .len = 0x400 } };
	static struct zp_image img;
	size_t len;
	uint8_t *p = synth_pe(s, 1, &len);

	(void)state;
	assert_int_equal(zp_probe(p, len, &img), ZP_EBADMAGIC);
	free(p);
}

/* Every cut inside the headers is ZP_ETRUNCATED, whatever header it cuts. */
static void test_truncated_headers(void **state)
{
	static struct zp_pe pe;
	static struct zp_image img;
	struct zp_diag d;
	size_t len;
	uint8_t *p = two_sections(&len);

	(void)state;
	for (size_t cut = 0; cut < (size_t)SYNTH_PE_SECTION(2); cut++) {
		assert_int_equal(zp_probe_pe(p, cut, &pe, &d), ZP_ETRUNCATED);
		int r = zp_probe(p, cut, &img);
		/* before "PE\0\0" is whole, zp_probe does not know it is a PE */
		assert_int_equal(r, cut < SYNTH_PE_LFANEW + 4 ? ZP_EUNKNOWN : ZP_ETRUNCATED);
	}
	assert_int_equal(zp_probe_pe(p, SYNTH_PE_COFF + 10, &pe, &d), ZP_ETRUNCATED);
	assert_string_equal(d.msg, "file of 142 bytes ends inside the COFF header at 0x84");
	assert_int_equal(zp_probe_pe(p, SYNTH_PE_OPT + 100, &pe, &d), ZP_ETRUNCATED);
	assert_string_equal(d.msg, "file of 252 bytes ends inside the 240-byte optional header "
			    "at 0x98");
	assert_int_equal(zp_probe_pe(p, SYNTH_PE_SECTION(1) + 5, &pe, &d), ZP_ETRUNCATED);
	assert_string_equal(d.msg, "file of 437 bytes ends inside the table of 2 sections at "
			    "0x188-0x1d8");
	assert_int_equal(zp_probe_pe(p, 0x3f, &pe, &d), ZP_ETRUNCATED);
	assert_string_equal(d.msg, "file of 63 bytes ends inside the MS-DOS header (64 bytes)");
	free(p);
}

static void test_bad_magic(void **state)
{
	static struct zp_pe pe;
	static struct zp_image img;
	size_t len;
	uint8_t *p = two_sections(&len);

	(void)state;
	p[0] = 'Z';
	expect_fail(p, len, ZP_EBADMAGIC, "no \"MZ\" at the start");
	assert_int_equal(zp_probe(p, len, &img), ZP_EUNKNOWN);
	assert_int_equal(zp_identify(p, len), ZP_FORMAT_UNKNOWN);
	p[0] = 'M';
	/* an MS-DOS program: MZ, but no PE signature where e_lfanew points */
	p[SYNTH_PE_LFANEW + 2] = 'X';
	expect_fail(p, len, ZP_EPESIG, "no \"PE\\0\\0\" at e_lfanew 0x80");
	assert_int_equal(zp_probe(p, len, &img), ZP_EUNKNOWN);
	p[SYNTH_PE_LFANEW + 2] = 0;
	synth_put32(p + ZP_PE_LFANEW_OFFSET, 0xfffffffe);
	expect_fail(p, len, ZP_ETRUNCATED, "e_lfanew 0xfffffffe");
	synth_put32(p + ZP_PE_LFANEW_OFFSET, SYNTH_PE_LFANEW);
	/* the optional header: a magic neither PE32 nor PE32+, too small */
	synth_put16(p + SYNTH_PE_OPT, 0x107);
	expect_fail(p, len, ZP_EPEHDR, "optional header magic 0x107 is neither");
	synth_put16(p + SYNTH_PE_OPT, ZP_PE_OPT_MAGIC_PE32PLUS);
	synth_put16(p + SYNTH_PE_COFF + 16, 100);
	expect_fail(p, len, ZP_EPEHDR, "optional header of 100 bytes: PE32+ needs 112");
	synth_put16(p + SYNTH_PE_COFF + 16, 1);
	expect_fail(p, len, ZP_EPEHDR, "optional header of 1 bytes: no room for its magic");
	synth_put16(p + SYNTH_PE_COFF + 16, 240);
	synth_put32(p + SYNTH_PE_OPT + 108, 17);	/* one data directory too many */
	expect_fail(p, len, ZP_EPEHDR, "17 data directories do not fit the 240-byte");
	synth_put32(p + SYNTH_PE_OPT + 108, 16);
	/* section counts */
	synth_put16(p + SYNTH_PE_COFF + 2, 0);
	expect_fail(p, len, ZP_EPEHDR, "no sections");
	synth_put16(p + SYNTH_PE_COFF + 2, 97);
	expect_fail(p, len, ZP_ETOOMANY, "97 sections, more than 96");
	synth_put16(p + SYNTH_PE_COFF + 2, 2);
	assert_int_equal(zp_probe_pe(p, len, &pe, NULL), ZP_OK);
	free(p);
}

/* A PE32 (not PE32+) image reads too; the certificate table is found. */
static void test_pe32_and_certificate(void **state)
{
	static struct zp_pe pe;
	struct zp_diag d;
	size_t len;
	uint8_t *p = two_sections(&len);

	(void)state;
	synth_put32(p + SYNTH_PE_OPT + 112 + 8 * ZP_PE_DIR_SECURITY, 0x400);	/* offset */
	synth_put32(p + SYNTH_PE_OPT + 112 + 8 * ZP_PE_DIR_SECURITY + 4, 0x100);
	assert_int_equal(zp_probe_pe(p, len, &pe, &d), ZP_OK);
	assert_int_equal(pe.cert_offset, 0x400);
	assert_int_equal(pe.cert_size, 0x100);
	synth_put32(p + SYNTH_PE_OPT + 112 + 8 * ZP_PE_DIR_SECURITY, (uint32_t)len - 0x80);
	assert_int_equal(zp_probe_pe(p, len, &pe, &d), ZP_ETRUNCATED);
	assert_non_null(strstr(d.msg, "certificate table"));
	synth_put32(p + SYNTH_PE_OPT + 112 + 8 * ZP_PE_DIR_SECURITY + 4, 0);

	/* PE32: BaseOfData, 32-bit ImageBase, 96-byte fixed part; 16
	 * directories then fit in 224 bytes, and the table moves up 16 */
	uint8_t *q = calloc(1, len);
	memcpy(q, p, len);
	synth_put16(q + SYNTH_PE_OPT, ZP_PE_OPT_MAGIC_PE32);
	synth_put16(q + SYNTH_PE_COFF + 16, 224);
	synth_put32(q + SYNTH_PE_OPT + 28, 0x400000);	/* ImageBase */
	synth_put32(q + SYNTH_PE_OPT + 92, 16);
	memmove(q + SYNTH_PE_TABLE - 16, p + SYNTH_PE_TABLE, 80);
	assert_int_equal(zp_probe_pe(q, len, &pe, &d), ZP_OK);
	assert_int_equal(pe.opt_magic, ZP_PE_OPT_MAGIC_PE32);
	assert_int_equal(pe.image_base, 0x400000);
	assert_int_equal(pe.nsections, 2);
	assert_string_equal(pe.sections[1].name, ".linux");
	free(q);
	free(p);
}

/* A bzImage with the EFI stub starts "MZ" and has "PE\0\0" too: zp_probe
 * reads it as the bzImage it is, and as a PE it is no UKI. */
static void test_bzimage_first(void **state)
{
	static struct zp_image img;
	static struct zp_pe pe;
	struct zp_uki u;
	size_t len;
	uint8_t *bz = synth_kernel(&len);

	(void)state;
	/* a PE header in the boot sector, as the EFI stub's: MZ, e_lfanew
	 * 0x80, one section covering the protected-mode code */
	synth_put16(bz, ZP_MZ_MAGIC);
	synth_put32(bz + ZP_PE_LFANEW_OFFSET, 0x80);
	synth_put32(bz + 0x80, ZP_PE_SIGNATURE);
	synth_put16(bz + 0x84, ZP_PE_MACHINE_AMD64);
	synth_put16(bz + 0x86, 1);
	synth_put16(bz + 0x94, 112);
	synth_put16(bz + 0x98, ZP_PE_OPT_MAGIC_PE32PLUS);
	memcpy(bz + 0x108, ".text", 5);
	synth_put32(bz + 0x108 + 8, (uint32_t)len - 0x200);
	synth_put32(bz + 0x108 + 12, 0x1000);
	synth_put32(bz + 0x108 + 16, (uint32_t)len - 5 * 512);
	synth_put32(bz + 0x108 + 20, 5 * 512);
	assert_int_equal(zp_identify(bz, len), ZP_FORMAT_BZIMAGE);
	assert_int_equal(zp_probe(bz, len, &img), ZP_OK);
	assert_int_equal(img.format, ZP_FORMAT_BZIMAGE);
	assert_true(img.u.bz.has_pe_header);
	assert_int_equal(zp_probe_pe(bz, len, &pe, NULL), ZP_OK);
	assert_int_equal(zp_uki_parts(&pe, &u, NULL), ZP_ENOTUKI);
	free(bz);

	const char *path = realk_path();
	if (!path)
		return;
	uint8_t *k = realk_read(path, &len);
	assert_int_equal(zp_probe(k, len, &img), ZP_OK);
	assert_int_equal(img.format, ZP_FORMAT_BZIMAGE);
	assert_int_equal(zp_probe_pe(k, len, &pe, NULL), ZP_OK);
	assert_int_equal(zp_uki_parts(&pe, &u, NULL), ZP_ENOTUKI);
	free(k);
}

/* zp_uki_parts on the n sections s: its code, its diag, and (when it
 * succeeds) the command line and initrd it took. */
struct pick_case {
	const char *what;
	struct synth_pe_section s[8];
	unsigned n;
	int zero_vsize;			/* this section's VirtualSize patched to 0, or -1 */
	int code;
	const char *msg;		/* the diag, whole, when code is not ZP_OK */
	const char *cmdline;		/* what was taken, when ZP_OK (NULL: none) */
	const char *initrd;
};

#define K { .name = ".linux", .data = "k", .len = 1 }
#define SEC(n, d) { .name = (n), .data = (d), .len = sizeof(d) - 1 }

static const struct pick_case pick_cases[] = {
	{ ".initrd then .initrdX: <= v256 boots the last prefix match",
	  { K, SEC(".initrd", "good"), SEC(".initrdX", "evil") }, 3, -1, ZP_EUKIAMBIG,
	  ".initrd: systemd-stub <= v256 boots section 2 .initrdX (the last name starting "
	  ".initrd), >= v257 section 1 .initrd (the first named .initrd)", NULL, NULL },
	{ ".initrdX then .initrd: both boot .initrd",
	  { K, SEC(".initrdX", "evil"), SEC(".initrd", "good") }, 3, -1, ZP_OK, NULL, NULL, "good" },
	{ "two .linux",
	  { K, SEC(".cmdline", "c"), K }, 3, -1, ZP_EUKIAMBIG,
	  ".linux: systemd-stub <= v256 boots section 2 .linux (the last name starting .linux), "
	  ">= v257 section 0 .linux (the first named .linux)", NULL, NULL },
	{ "two .cmdline",
	  { K, SEC(".cmdline", "one"), SEC(".cmdline", "two") }, 3, -1, ZP_EUKIAMBIG,
	  ".cmdline: systemd-stub <= v256 boots section 2 .cmdline (the last name starting "
	  ".cmdline), >= v257 section 1 .cmdline (the first named .cmdline)", NULL, NULL },
	{ ".linuxx alone: a .linux to <= v256, none to >= v257",
	  { SEC(".text", "\xc3"), SEC(".linuxx", "x") }, 2, -1, ZP_EUKIAMBIG,
	  ".linux: systemd-stub <= v256 boots section 1 .linuxx (the last name starting .linux), "
	  ">= v257 none (the first named .linux)", NULL, NULL },
	{ "an emptied .initrdX hides .initrd from <= v256",
	  { K, SEC(".initrd", "good"), SEC(".initrdX", "evil") }, 3, 2, ZP_EUKIAMBIG,
	  ".initrd: systemd-stub <= v256 boots none (section 2 .initrdX has VirtualSize 0) (the "
	  "last name starting .initrd), >= v257 section 1 .initrd (the first named .initrd)", NULL, NULL },
	{ "an .initrd of VirtualSize 0 is none to both",
	  { K, SEC(".initrd", "data") }, 2, 1, ZP_OK, NULL, NULL, NULL },
	{ "one profile: profile 0's .cmdline over the base's, for both",
	  { SEC(".cmdline", "base"), K, SEC(".profile", "ID=a"), SEC(".cmdline", "profile a") },
	  4, -1, ZP_OK, NULL, "profile a", NULL },
	{ "a profile without .cmdline: the base's, for both",
	  { SEC(".cmdline", "base"), K, SEC(".profile", "ID=a"), SEC(".initrd", "i") },
	  4, -1, ZP_OK, NULL, "base", "i" },
	{ "two profiles with .cmdline: <= v256 boots the last, >= v257 profile 0's",
	  { SEC(".cmdline", "base"), K, SEC(".profile", "ID=a"), SEC(".cmdline", "a"),
	    SEC(".profile", "ID=b"), SEC(".cmdline", "b") }, 6, -1, ZP_EUKIAMBIG,
	  ".cmdline: systemd-stub <= v256 boots section 5 .cmdline (the last name starting "
	  ".cmdline), >= v257 section 3 .cmdline (the first named .cmdline)", NULL, NULL },
	{ "an .initrdX in profile 1: <= v256 boots it, >= v257 the base's .initrd",
	  { K, SEC(".initrd", "i"), SEC(".profile", "ID=a"), SEC(".profile", "ID=b"),
	    SEC(".initrdX", "x") }, 5, -1, ZP_EUKIAMBIG,
	  ".initrd: systemd-stub <= v256 boots section 4 .initrdX (the last name starting "
	  ".initrd), >= v257 section 1 .initrd (the first named .initrd)", NULL, NULL },
};

static void check_pick(const struct pick_case *c)
{
	static struct zp_pe pe;
	struct zp_diag d = { { 0 } };
	struct zp_uki u;
	char text[32];
	size_t len;
	uint8_t *p = synth_pe(c->s, c->n, &len);

	print_message("%s\n", c->what);
	assert_non_null(p);
	if (c->zero_vsize >= 0)
		synth_put32(p + SYNTH_PE_SECTION(c->zero_vsize) + 8, 0);
	assert_int_equal(zp_probe_pe(p, len, &pe, NULL), ZP_OK);
	assert_int_equal(zp_uki_parts(&pe, &u, &d), c->code);
	if (c->code) {
		assert_string_equal(d.msg, c->msg);
		assert_null(u.kernel.data);	/* nothing half-filled is left */
		free(p);
		return;
	}
	assert_int_equal(zp_uki_text(&u.cmdline, text, sizeof(text)),
			 c->cmdline ? (int)strlen(c->cmdline) : 0);
	assert_string_equal(text, c->cmdline ? c->cmdline : "");
	if (c->initrd) {
		assert_non_null(u.initrd.data);
		assert_memory_equal(u.initrd.data, c->initrd, strlen(c->initrd));
		assert_int_equal(u.initrd.size, strlen(c->initrd));
	} else {
		assert_null(u.initrd.data);
	}
	free(p);
}

/* The sections a default boot takes, by both generations of systemd-stub,
 * or the refusal naming the section each would boot. */
static void test_stub_section_rules(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(pick_cases) / sizeof(pick_cases[0]); i++)
		check_pick(&pick_cases[i]);
}

static void test_cmdline_text(void **state)
{
	char out[16];
	struct zp_uki_part pt = { (const uint8_t *)"\n\t a\x01" "b  c \r\n\0ignored", 0, 21 };
	struct zp_uki_part none = { NULL, 0, 0 };
	struct zp_uki_part spaces = { (const uint8_t *)" \n\t ", 0, 4 };
	struct zp_uki_part del = { (const uint8_t *)"x\x7fy", 0, 3 };
	struct zp_uki_part unterminated = { (const uint8_t *)"abc", 0, 2 };

	(void)state;
	assert_int_equal(zp_uki_text(&pt, out, sizeof(out)), 6);
	assert_string_equal(out, "a b  c");
	assert_int_equal(zp_uki_text(&none, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(zp_uki_text(&spaces, out, sizeof(out)), 0);
	assert_int_equal(zp_uki_text(&del, out, sizeof(out)), 3);
	assert_string_equal(out, "x y");
	assert_int_equal(zp_uki_text(&unterminated, out, sizeof(out)), 2);
	assert_string_equal(out, "ab");
	assert_int_equal(zp_uki_text(&pt, out, 4), ZP_ENOSPACE);
	assert_int_equal(strlen(out), 3);
	assert_int_equal(zp_uki_text(&pt, out, 0), ZP_EINVAL);
}

static void test_osrel(void **state)
{
	static const char text[] =
		"# comment=no\n"
		"NAME=\"Debian GNU/Linux\"\n"
		"  VERSION_ID='12'\r\n"
		"ID=debian   \n"
		"not an assignment\n"
		"=novalue\n"
		"BAD-KEY=x\n"
		"ESC=\"a \\\"q\\\" \\\\ \\$HOME \\x\"\n"
		"EMPTY=\n"
		"LONG_VALUE_KEY=0123456789abcdef\n"
		"LAST=unterminated";
	char k[8], v[12];
	struct zp_osrel_iter it;

	(void)state;
	zp_osrel_begin(&it, text, sizeof(text) - 1);
	assert_int_equal(zp_osrel_next(&it, k, sizeof(k), v, sizeof(v)), 1);
	assert_string_equal(k, "NAME");
	assert_string_equal(v, "Debian GNU/");	/* truncated to the buffer */
	assert_int_equal(zp_osrel_next(&it, k, sizeof(k), v, sizeof(v)), 1);
	assert_string_equal(k, "VERSION");	/* VERSION_ID, truncated */
	assert_string_equal(v, "12");
	assert_int_equal(zp_osrel_next(&it, k, sizeof(k), v, sizeof(v)), 1);
	assert_string_equal(k, "ID");
	assert_string_equal(v, "debian");
	char k2[32], v2[32];
	assert_int_equal(zp_osrel_next(&it, k2, sizeof(k2), v2, sizeof(v2)), 1);
	assert_string_equal(k2, "ESC");
	assert_string_equal(v2, "a \"q\" \\ $HOME \\x");
	assert_int_equal(zp_osrel_next(&it, k2, sizeof(k2), v2, sizeof(v2)), 1);
	assert_string_equal(k2, "EMPTY");
	assert_string_equal(v2, "");
	assert_int_equal(zp_osrel_next(&it, k2, sizeof(k2), v2, sizeof(v2)), 1);
	assert_string_equal(k2, "LONG_VALUE_KEY");
	assert_int_equal(zp_osrel_next(&it, k2, sizeof(k2), v2, sizeof(v2)), 1);
	assert_string_equal(k2, "LAST");
	assert_string_equal(v2, "unterminated");
	assert_int_equal(zp_osrel_next(&it, k2, sizeof(k2), v2, sizeof(v2)), 0);
	assert_int_equal(zp_osrel_next(&it, k2, sizeof(k2), v2, sizeof(v2)), 0);

	/* a NUL ends the text: the section's padding */
	zp_osrel_begin(&it, "A=1\n\0B=2\n", 9);
	assert_int_equal(zp_osrel_next(&it, k, sizeof(k), v, sizeof(v)), 1);
	assert_int_equal(zp_osrel_next(&it, k, sizeof(k), v, sizeof(v)), 0);
	zp_osrel_begin(&it, NULL, 0);
	assert_int_equal(zp_osrel_next(&it, k, sizeof(k), v, sizeof(v)), 0);
}

/* The real kernel in Debian's systemd-stub, sections added as ukify adds
 * them: zp_probe finds the very kernel, byte for byte. */
static void test_real_uki(void **state)
{
	const char *path = realk_path();
	static struct zp_image img;
	static struct zp_bzimage plain;
	size_t klen, slen, len;

	(void)state;
	if (!path || access(STUB, R_OK)) {
		print_message("skipped: %s\n", !path ? "ZEROPAGE_KERNEL unset" :
			      STUB " missing (install systemd-boot-efi)");
		skip();
	}
	uint8_t *k = realk_read(path, &klen), *stub = realk_read(STUB, &slen);
	struct synth_pe_section s[] = {
		{ .name = ".osrel", .data = osrel, .len = sizeof(osrel) - 1 },
		{ .name = ".cmdline", .data = "console=ttyS0", .len = 13 },
		{ .name = ".uname", .data = "6.1.0-test", .len = 10 },
		{ .name = ".initrd", .data = initrd, .len = sizeof(initrd) },
		{ .name = ".linux", .data = k, .len = klen },
	};
	uint8_t *uki = synth_uki_from_stub(stub, slen, s, 5, &len);
	assert_non_null(uki);
	assert_int_equal(zp_probe(uki, len, &img), ZP_OK);
	assert_int_equal(img.format, ZP_FORMAT_UKI);
	assert_int_equal(img.u.uki.parts.kernel.size, klen);
	assert_memory_equal(img.u.uki.parts.kernel.data, k, klen);
	assert_int_equal(zp_probe_bzimage(k, klen, &plain), ZP_OK);
	assert_string_equal(img.u.bz.version, plain.version);
	assert_int_equal(img.u.bz.payload_size, plain.payload_size);
	assert_int_equal(img.u.bz.payload_offset, plain.payload_offset);
	assert_int_equal(img.u.bz.compression, plain.compression);
	assert_string_equal(zp_pe_machine_name(img.u.uki.pe.machine), "x86-64");
	/* the stub's own sections come first, untouched */
	assert_non_null(zp_pe_find_section(&img.u.uki.pe, ".sdmagic"));
	assert_int_equal(img.u.uki.pe.nsections, 13);
	free(uki);
	/* Debian's stub (252) would boot an .initrdX added after .initrd */
	struct synth_pe_section evil = { .name = ".initrdX", .data = "evil", .len = 4 };
	struct synth_pe_section s6[6] = { s[0], s[1], s[2], s[3], evil, s[4] };
	uki = synth_uki_from_stub(stub, slen, s6, 6, &len);
	assert_non_null(uki);
	assert_int_equal(zp_probe(uki, len, &img), ZP_EUKIAMBIG);
	free(uki);
	free(stub);
	free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_synthetic_uki),
		cmocka_unit_test(test_section_size_rule),
		cmocka_unit_test(test_section_past_end),
		cmocka_unit_test(test_overlapping_sections),
		cmocka_unit_test(test_fixed_vma_recipe_overlap),
		cmocka_unit_test(test_not_a_uki),
		cmocka_unit_test(test_linux_not_a_bzimage),
		cmocka_unit_test(test_truncated_headers),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_pe32_and_certificate),
		cmocka_unit_test(test_bzimage_first),
		cmocka_unit_test(test_stub_section_rules),
		cmocka_unit_test(test_cmdline_text),
		cmocka_unit_test(test_osrel),
		cmocka_unit_test(test_real_uki),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
