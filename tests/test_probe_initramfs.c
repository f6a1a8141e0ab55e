/* SPDX-License-Identifier: MIT */
/* test_probe_initramfs: the probe build a kernel gets (i386 for a 32-bit
 * bzImage or ELF32 vmlinux, x86-64 otherwise), that the embedded builds are
 * static executables of the right class and machine, and that the archive
 * carries the chosen one as /init. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "image/probe_initramfs.h"
#include "synth.h"
#include <zeropage/abi.h>
#include <zeropage/zeropage.h>

static enum probe_arch arch_of(uint8_t *buf, size_t len)
{
	struct zp_image *img = malloc(sizeof(*img));
	assert_non_null(img);
	assert_int_equal(zp_probe(buf, len, img), ZP_OK);
	enum probe_arch a = probe_arch_for_image(img);
	free(img);
	free(buf);
	return a;
}

static enum probe_arch arch_of_bzimage(uint16_t xloadflags)
{
	struct synth_bzimage_opts o = { .protocol = 0x20f, .xloadflags = xloadflags };
	size_t len;
	uint8_t *buf = synth_bzimage(&o, &len);
	return arch_of(buf, len);
}

static void test_choice(void **state)
{
	(void)state;
	size_t len;
	/* a 686 kernel: no XLF_KERNEL_64, whatever else it sets */
	assert_int_equal(arch_of_bzimage(0), PROBE_ARCH_I386);
	assert_int_equal(arch_of_bzimage(ZP_XLF_EFI_HANDOVER_32), PROBE_ARCH_I386);
	assert_int_equal(arch_of_bzimage(ZP_XLF_KERNEL_64 | ZP_XLF_CAN_BE_LOADED_ABOVE_4G),
			 PROBE_ARCH_X86_64);
	uint8_t *elf32 = synth_elf(32, SYNTH_ELF_LOAD_PADDR, NULL, 0, &len);
	assert_int_equal(arch_of(elf32, len), PROBE_ARCH_I386);
	uint8_t *elf64 = synth_elf(64, SYNTH_ELF_LOAD_PADDR, NULL, 0, &len);
	assert_int_equal(arch_of(elf64, len), PROBE_ARCH_X86_64);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* ELF class, little-endian, ET_EXEC, the machine, and static: no
 * PT_INTERP (3) or PT_DYNAMIC (2), since the initramfs has no loader. */
static void assert_static_exec(enum probe_arch arch, int elf_class, uint16_t machine)
{
	size_t len;
	const uint8_t *b = probe_init_binary(arch, &len);
	assert_true(len > 64);
	assert_memory_equal(b, "\177ELF", 4);
	assert_int_equal(b[4], elf_class == 32 ? 1 : 2);
	assert_int_equal(b[5], 1);
	assert_int_equal(le16(b + 16), 2);
	assert_int_equal(le16(b + 18), machine);
	uint64_t phoff = elf_class == 32 ? le32(b + 28) : le32(b + 32) | (uint64_t)le32(b + 36) << 32;
	uint16_t phentsize = le16(b + (elf_class == 32 ? 42 : 54));
	uint16_t phnum = le16(b + (elf_class == 32 ? 44 : 56));
	assert_true(phnum > 0);
	assert_true(phoff + (uint64_t)phentsize * phnum <= len);
	int loads = 0;
	for (unsigned i = 0; i < phnum; i++) {
		uint32_t type = le32(b + phoff + (uint64_t)phentsize * i);
		assert_int_not_equal(type, 2);
		assert_int_not_equal(type, 3);
		loads += type == 1;
	}
	assert_true(loads > 0);
}

static void test_embedded_builds(void **state)
{
	(void)state;
	assert_static_exec(PROBE_ARCH_I386, 32, 3);		/* EM_386 */
	assert_static_exec(PROBE_ARCH_X86_64, 64, 62);		/* EM_X86_64 */
}

/* The newc entry named "init": its data, found by walking the headers. */
static const uint8_t *find_init(const uint8_t *a, size_t len, size_t *size)
{
	size_t at = 0;
	while (at + 110 <= len && !memcmp(a + at, "070701", 6)) {
		char f[9] = { 0 };
		memcpy(f, a + at + 6 + 8 * 6, 8);
		size_t filesize = strtoul(f, NULL, 16);
		memcpy(f, a + at + 6 + 8 * 11, 8);
		size_t namesize = strtoul(f, NULL, 16);
		const char *name = (const char *)a + at + 110;
		size_t data = (at + 110 + namesize + 3) & ~(size_t)3;
		assert_true(data + filesize <= len);
		if (namesize == 5 && !memcmp(name, "init", 5)) {
			*size = filesize;
			return a + data;
		}
		at = (data + filesize + 3) & ~(size_t)3;
	}
	return NULL;
}

static void test_archive_holds_the_build(void **state)
{
	(void)state;
	for (int k = 0; k < 2; k++) {
		enum probe_arch arch = k ? PROBE_ARCH_I386 : PROBE_ARCH_X86_64;
		struct tool_err err = { "" };
		uint8_t *a;
		size_t len, want_len, got_len = 0;
		assert_int_equal(probe_initramfs(arch, &a, &len, &err), 0);
		assert_int_equal(len % PROBE_INITRAMFS_ALIGN, 0);
		const uint8_t *want = probe_init_binary(arch, &want_len);
		const uint8_t *got = find_init(a, len, &got_len);
		assert_non_null(got);
		assert_int_equal(got_len, want_len);
		assert_memory_equal(got, want, want_len);
		free(a);
	}
}

static void test_arch_names(void **state)
{
	(void)state;
	enum probe_arch a = PROBE_ARCH_X86_64;
	assert_int_equal(probe_arch_parse("i386", &a), 0);
	assert_int_equal(a, PROBE_ARCH_I386);
	assert_string_equal(probe_arch_name(a), "i386");
	assert_int_equal(probe_arch_parse("x86_64", &a), 0);
	assert_int_equal(a, PROBE_ARCH_X86_64);
	assert_int_equal(probe_arch_parse("i686", &a), -1);
	assert_int_equal(probe_arch_parse("", &a), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_choice),
		cmocka_unit_test(test_embedded_builds),
		cmocka_unit_test(test_archive_holds_the_build),
		cmocka_unit_test(test_arch_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
