/* SPDX-License-Identifier: MIT */
/*
 * test_shim_reloc: moving the shim at bundle time is relinking it.
 *
 * The build links the same shim objects a second time at 8 MiB
 * (build/tests/zeropage-shim-8m.elf).  Moving the embedded 1 MiB shim by
 * 7 MiB with shim_reloc_apply must give byte for byte what the linker
 * itself wrote at 8 MiB: every loaded byte, the entry point and the program
 * headers.  A moved shim that differed anywhere would jump or write into
 * the kernel it was moved away from.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/tool_err.h"
#include "image/bundle_file.h"
#include "common/fileio.h"
#include "image/shim_reloc.h"

#define MOVE	(0x800000 - 0x100000)

static void load_segments(const uint8_t *f, size_t len, struct zp_elf *elf)
{
	assert_int_equal(zp_probe_elf(f, len, elf), ZP_OK);
}

static void test_moved_equals_linked_there(void **state)
{
	const char *b = getenv("BUILD") ? getenv("BUILD") : "build";
	struct tool_err err;
	char path[512];
	uint8_t *linked, *moved;
	size_t linked_len, shim_len;
	const uint8_t *shim = embedded_shim_elf(&shim_len);
	static struct zp_elf a, m;
	unsigned loads = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/zeropage-shim-8m.elf", b);
	assert_int_equal(fileio_read_all(path, &linked, &linked_len, &err), 0);
	assert_int_equal(shim_reloc_apply(shim, shim_len, MOVE, &moved, &err), 0);
	load_segments(linked, linked_len, &a);
	load_segments(moved, shim_len, &m);
	assert_int_equal(m.entry, a.entry);
	assert_int_equal(m.pvh_entry, a.pvh_entry);
	assert_int_equal(m.nsegments, a.nsegments);
	for (unsigned i = 0; i < a.nsegments; i++) {
		const struct zp_elf_segment *x = &a.segments[i], *y = &m.segments[i];
		assert_int_equal(y->type, x->type);
		assert_int_equal(y->paddr, x->paddr);
		assert_int_equal(y->memsz, x->memsz);
		assert_int_equal(y->filesz, x->filesz);
		assert_memory_equal(moved + y->offset, linked + x->offset, x->filesz);
		loads += x->type == ZP_PT_LOAD;
	}
	assert_true(loads >= 2);
	/* and the shim's own note says where its descriptor moved to */
	assert_non_null(zp_elf_find_note(&m, ZP_NOTE_NAME, ZP_NOTE_BUNDLE));
	assert_int_equal(zp_elf_find_note(&m, ZP_NOTE_NAME, ZP_NOTE_BUNDLE)->value,
			 zp_elf_find_note(&a, ZP_NOTE_NAME, ZP_NOTE_BUNDLE)->value);
	free(moved);
	free(linked);
}

static void test_refusals(void **state)
{
	size_t shim_len;
	const uint8_t *shim = embedded_shim_elf(&shim_len);
	uint8_t *out, *copy;
	struct tool_err err;

	(void)state;
	/* not by a part of a page: the page tables must stay aligned */
	assert_int_equal(shim_reloc_apply(shim, shim_len, 0x800, &out, &err), -1);
	assert_non_null(strstr(err.msg, "whole pages"));
	/* not past 4 GiB: its 32-bit entry addresses itself in 32 bits */
	assert_int_equal(shim_reloc_apply(shim, shim_len, 0x100000000ll, &out, &err), -1);
	assert_non_null(strstr(err.msg, "no longer fits"));
	/* a truncated ELF: its section headers are past the end */
	assert_int_equal(shim_reloc_apply(shim, 4096, MOVE, &out, &err), -1);
	assert_non_null(strstr(err.msg, "past the end"));
	assert_null(out);
	/* not an x86-64 ELF at all */
	copy = malloc(shim_len);
	memcpy(copy, shim, shim_len);
	copy[0x12] = 3;		/* e_machine EM_386 */
	assert_int_equal(shim_reloc_apply(copy, shim_len, MOVE, &out, &err), -1);
	assert_non_null(strstr(err.msg, "x86-64"));
	free(copy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_moved_equals_linked_there),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
