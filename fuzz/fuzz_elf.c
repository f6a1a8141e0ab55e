/* SPDX-License-Identifier: MIT */
/*
 * fuzz_elf: zp_probe_elf over arbitrary bytes.  Beyond "no crash", it holds
 * the parser to what the API promises: counts within their arrays, every
 * note descriptor inside the input, the PVH entry present exactly when the
 * PHYS32_ENTRY note is.  Also the host-side reader of a program's
 * PT_INTERP and DT_NEEDED (tools/image/elf_needed.c, for the toolstack
 * dom0): its names are NUL-terminated and within their arrays.  And the
 * input as a bzImage's decompressed payload, where zp_relocs_find looks for
 * the KASLR table after the ELF (`bundle` does, on the user's kernel): a
 * table found lies in the input, its lists within it.  And the core's word
 * on whether the ELF is Linux (zp_elf_linux_evidence) with the sentence
 * tools/image/linux_id.c makes of it: one of the ELF's answers, agreeing
 * with zp_elf_is_linux, the sentence printable ASCII within its buffer.
 */
#include <string.h>

#include <zeropage/zeropage.h>
#include "image/elf_needed.h"
#include "image/linux_id.h"
#include "fuzz.h"

static void check_elf(const struct zp_elf *elf, const uint8_t *data, size_t size)
{
	FUZZ_CHECK(elf->elf_class == 32 || elf->elf_class == 64);
	FUZZ_CHECK(elf->machine == ZP_EM_386 || elf->machine == ZP_EM_X86_64);
	FUZZ_CHECK(elf->nsegments <= ZP_ELF_MAX_SEGMENTS);
	FUZZ_CHECK(elf->nnotes <= ZP_ELF_MAX_NOTES);

	for (unsigned i = 0; i < elf->nsegments; i++) {
		const struct zp_elf_segment *s = &elf->segments[i];
		/* Only bytes a loader copies must lie in the file; an empty
		 * segment's offset is never used. */
		if ((s->type == ZP_PT_LOAD || s->type == ZP_PT_NOTE) && s->filesz)
			FUZZ_CHECK(s->offset <= size && s->filesz <= size - s->offset);
	}
	for (unsigned i = 0; i < elf->nnotes; i++) {
		const struct zp_elf_note *n = &elf->notes[i];
		FUZZ_CHECK(memchr(n->name, 0, sizeof(n->name)) != NULL);
		if (n->desc_len) {
			FUZZ_CHECK(fuzz_inside(n->desc, n->desc_len, data, size));
			fuzz_touch(n->desc, n->desc_len);
		}
		if (!strcmp(n->name, ZP_XEN_NOTE_NAME))
			(void)zp_xen_note_name(n->type);
	}

	const struct zp_elf_note *pvh =
		zp_elf_find_note(elf, ZP_XEN_NOTE_NAME, ZP_XEN_ELFNOTE_PHYS32_ENTRY);
	FUZZ_CHECK(elf->has_pvh == (pvh != NULL));
	FUZZ_CHECK(elf->has_pvh == !!(elf->entries & ZP_ENTRY_PVH));
	/* The entry `info` shows (first note) must be the one a boot uses. */
	if (pvh)
		FUZZ_CHECK(pvh->has_value && pvh->value == elf->pvh_entry);
}

static void check_linux_id(const struct zp_elf *elf)
{
	enum zp_linux_evidence e = zp_elf_linux_evidence(elf);
	char why[200];

	FUZZ_CHECK(e == ZP_LINUX_GUEST_OS || e == ZP_LINUX_NOTE || e == ZP_NOT_LINUX_GUEST_OS ||
		   e == ZP_NOT_LINUX_NO_EVIDENCE);
	FUZZ_CHECK(zp_elf_is_linux(elf) == zp_linux_evidence_is_linux(e));
	linux_id_describe_elf(elf, why, sizeof(why));
	FUZZ_CHECK(memchr(why, 0, sizeof(why)) != NULL);
	for (size_t i = 0; why[i]; i++)
		FUZZ_CHECK(why[i] >= 0x20 && why[i] < 0x7f);
}

static void check_relocs_find(const uint8_t *data, size_t size)
{
	static struct zp_bzimage bz;	/* a relocatable 64-bit kernel's header */
	struct zp_relocs r;
	struct zp_diag diag = { { 0 } };

	bz.protocol = 0x20f;
	bz.hdr.relocatable_kernel = 1;
	bz.relocatable = true;
	bz.entries = ZP_ENTRY_LONG64;
	int rc = zp_relocs_find(&bz, data, size, &r, &diag);
	FUZZ_CHECK(rc <= 0 && zp_strerror(rc) != NULL);
	if (rc != 0 || !r.table) {
		FUZZ_CHECK(rc != 0 || r.absent != NULL);
		return;
	}
	FUZZ_CHECK(fuzz_inside(r.table, r.len, data, size));
	FUZZ_CHECK(r.lists == 2 || r.lists == 3);
	FUZZ_CHECK((r.n64 + r.ninv32 + r.n32 + r.lists) * 4 <= r.len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct zp_elf elf;	/* ~3 KiB: keep it off the fuzzer's stack */
	int rc = zp_probe_elf(data, size, &elf);
	FUZZ_CHECK(rc <= 0 && zp_strerror(rc) != NULL);
	if (rc == 0) {
		check_elf(&elf, data, size);
		check_linux_id(&elf);
	}

	static struct zp_image img;
	int rc2 = zp_probe(data, size, &img);
	FUZZ_CHECK(rc2 <= 0);
	if (rc == 0)
		FUZZ_CHECK(rc2 == 0);
	if (rc2 == 0 && img.format == ZP_FORMAT_ELF)
		check_elf(&img.u.elf, data, size);
	if (rc2 == 0)
		fuzz_check_loaders(&img);

	check_relocs_find(data, size);

	static struct elf_needed need;
	struct tool_err err;
	if (elf_needed_read(data, size, &need, &err) == 0) {
		FUZZ_CHECK(need.count <= ELF_NEEDED_MAX);
		FUZZ_CHECK(memchr(need.interp, 0, sizeof(need.interp)) != NULL);
		for (unsigned i = 0; i < need.count; i++)
			FUZZ_CHECK(memchr(need.names[i], 0, ELF_NEEDED_NAME_MAX) != NULL);
	} else {
		FUZZ_CHECK(err.msg[0] != 0);
	}
	return 0;
}
