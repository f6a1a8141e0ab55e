/* SPDX-License-Identifier: MIT */
/*
 * relocs.c - the relocation table an x86-64 kernel carries for KASLR.
 *
 * Where it is.  arch/x86/boot/compressed/Makefile compresses
 * vmlinux.bin.all = vmlinux.bin + vmlinux.relocs when the kernel needs
 * relocations (CONFIG_X86_NEED_RELOCS: x86-64 with RANDOMIZE_BASE):
 * vmlinux.bin is the vmlinux ELF (objcopy -R .comment -S), vmlinux.relocs
 * the output of arch/x86/tools/relocs.  mkpiggy passes the decompressed
 * length (z_output_len, the payload's 4-byte size trailer) to the
 * decompressor as output_len, and handle_relocations() in
 * arch/x86/boot/compressed/misc.c reads the table BACKWARDS from
 * output + output_len - 4.  It never looks for the table's start: it reads
 * zero-terminated lists of 32-bit words until it has read them all.  So
 * do we (zp_relocs_find), and the table's start is where that reading
 * ends; that it is exactly where the ELF ends proves the lists were read
 * as the build wrote them.
 *
 * What it holds, from its first word to its last (the payload's last):
 *
 *   0, then the 64-bit entries
 *   0, then the inverse 32-bit entries    (6.12 and older; see below)
 *   0, then the 32-bit entries
 *
 * Brian Gerst's "x86/boot/64: Remove inverse relocations" (with the
 * per-CPU section no longer linked at address 0) dropped the middle list:
 * handle_relocations() reads the 32-bit list, then the 64-bit one, and
 * relocs.c writes two lists.  The 6.1 and 6.12 Debian kernels carry three,
 * 7.2 carries two.  The decompressor knows which from how it was built; a
 * reader of the bytes alone tells them apart by where the lists end: with
 * the wrong count the last terminator read is not the table's first word
 * (it lies inside the ELF, or a list is left over).  Exactly one count
 * ends there, since each list consumes at least its terminator.
 *
 * Each entry is the kernel-virtual address (a 32-bit value, sign-extended:
 * 0xffffffff8xxxxxxx) of a place that holds an address of the kernel's own.
 * Moving the kernel's virtual base by delta adds delta to each 32- and
 * 64-bit place and subtracts it from each inverse one (per-CPU offsets,
 * which were relative to the kernel).  Every entry is checked against the
 * image before any is applied: a corrupt table is an error, never a write
 * outside the kernel.
 */
#include <zeropage/zeropage.h>
#include "diag.h"
#include "env.h"

#define ULL(v) ((unsigned long long)(v))

static int32_t entry_at(const uint8_t *t, size_t i)
{
	return (int32_t)zp_le32(t + i * 4);
}

/* Counts entries backwards from word `from` (exclusive) down to word
 * `floor` to the next zero; *zero_at is its index, or SIZE_MAX when there
 * is none at or above floor. */
static size_t run_back(const uint8_t *t, size_t floor, size_t from, size_t *zero_at)
{
	size_t i = from;

	while (i > floor && entry_at(t, i - 1) != 0)
		i--;
	*zero_at = i > floor ? i - 1 : SIZE_MAX;
	return from - i;
}

/* The lists read backwards from word `words`, as handle_relocations()
 * does, stopping at word `floor`: the 32-bit list, then one more (two
 * lists) or two more (three).  Fills out for the count whose last
 * terminator is word `floor`; otherwise returns the count that read
 * furthest and the word where its reading ended in *stop (SIZE_MAX: a
 * list ran past floor without its terminator). */
static int read_lists(const uint8_t *t, size_t floor, size_t words, struct zp_relocs *out,
		      size_t *stop)
{
	size_t z32, zb, zc, n32, nb, nc;

	n32 = run_back(t, floor, words, &z32);
	*stop = z32;
	if (z32 == SIZE_MAX)
		return ZP_ERELOCS;
	nb = run_back(t, floor, z32, &zb);
	*stop = zb;
	if (zb == floor) {		/* 0, 64-bit..., 0, 32-bit... */
		out->lists = 2;
		out->n64 = nb;
		out->at64 = zb + 1;
		out->atinv32 = out->at32 = z32 + 1;
		out->n32 = n32;
		return ZP_OK;
	}
	if (zb == SIZE_MAX)
		return ZP_ERELOCS;
	nc = run_back(t, floor, zb, &zc);
	*stop = zc;
	if (zc != floor)
		return ZP_ERELOCS;
	out->lists = 3;			/* 0, 64-bit..., 0, inverse..., 0, 32-bit... */
	out->n64 = nc;
	out->at64 = zc + 1;
	out->ninv32 = nb;
	out->atinv32 = zb + 1;
	out->n32 = n32;
	out->at32 = z32 + 1;
	return ZP_OK;
}

int zp_relocs_parse(const void *table, size_t len, struct zp_relocs *out, struct zp_diag *diag)
{
	const uint8_t *t = table;
	size_t words = len / 4, stop;

	zp_diag_clear(diag);
	if (!table || !out)
		return zp_diag_fail(diag, ZP_EINVAL, "missing relocation table or output");
	zp_memset(out, 0, sizeof(*out));
	if (len % 4 || words < 2)
		return zp_diag_fail(diag, ZP_ERELOCS, "relocation table of %zu bytes: not two or "
				    "three zero-terminated lists of 32-bit words", len);
	if (read_lists(t, 0, words, out, &stop)) {
		zp_memset(out, 0, sizeof(*out));
		if (stop == SIZE_MAX)
			return zp_diag_fail(diag, ZP_ERELOCS, "relocation table of %zu words: a list "
					    "without its terminating zero", words);
		return zp_diag_fail(diag, ZP_ERELOCS, "relocation table: its lists, read back "
				    "from the end, leave %zu words before the 64-bit list's "
				    "terminator (it must start the table)", stop);
	}
	out->table = t;
	out->len = len;
	return ZP_OK;
}

/* The offset into the image of the place entry e names, if width bytes
 * there lie inside it. */
static bool place(const struct zp_relocs_target *k, int32_t e, unsigned width, uint64_t *off)
{
	uint64_t va = (uint64_t)(int64_t)e;

	if (va < k->link_vaddr)
		return false;
	*off = va - k->link_vaddr;
	return *off <= k->image_len && width <= k->image_len - *off;
}

static int check_list(const struct zp_relocs *r, const struct zp_relocs_target *k, size_t at,
		      size_t n, unsigned width, const char *what, struct zp_diag *diag)
{
	uint64_t off;

	for (size_t i = 0; i < n; i++)
		if (!place(k, entry_at(r->table, at + i), width, &off))
			return zp_diag_fail(diag, ZP_ERELOCS, "%s relocation %zu (0x%llx) lies "
					    "outside the kernel image 0x%llx+0x%llx", what, i,
					    ULL((uint64_t)(int64_t)entry_at(r->table, at + i)),
					    ULL(k->link_vaddr), ULL(k->image_len));
	return ZP_OK;
}

int zp_relocs_check(const struct zp_relocs *r, const struct zp_relocs_target *k,
		    struct zp_diag *diag)
{
	int rc;

	zp_diag_clear(diag);
	if (!r || !r->table || !k)
		return zp_diag_fail(diag, ZP_EINVAL, "missing relocation table or kernel");
	rc = check_list(r, k, r->at64, r->n64, 8, "64-bit", diag);
	if (!rc)
		rc = check_list(r, k, r->atinv32, r->ninv32, 4, "inverse 32-bit", diag);
	if (!rc)
		rc = check_list(r, k, r->at32, r->n32, 4, "32-bit", diag);
	return rc;
}

static void add32(uint8_t *p, uint32_t v)
{
	uint32_t x;

	zp_memcpy(&x, p, 4);
	x += v;
	zp_memcpy(p, &x, 4);
}

int zp_relocs_apply(const struct zp_relocs *r, const struct zp_relocs_target *k,
		    uint64_t delta, struct zp_diag *diag)
{
	uint64_t off = 0, x;
	int rc = zp_relocs_check(r, k, diag);

	if (rc)
		return rc;
	if (!k->image)
		return zp_diag_fail(diag, ZP_EINVAL, "no kernel image to relocate");
	for (size_t i = 0; i < r->n64; i++) {
		place(k, entry_at(r->table, r->at64 + i), 8, &off);
		zp_memcpy(&x, k->image + off, 8);
		x += delta;
		zp_memcpy(k->image + off, &x, 8);
	}
	for (size_t i = 0; i < r->ninv32; i++) {
		place(k, entry_at(r->table, r->atinv32 + i), 4, &off);
		add32(k->image + off, (uint32_t)-delta);
	}
	for (size_t i = 0; i < r->n32; i++) {
		place(k, entry_at(r->table, r->at32 + i), 4, &off);
		add32(k->image + off, (uint32_t)delta);
	}
	return ZP_OK;
}

/* The link address and file-backed extent of the kernel's PT_LOADs: the
 * places a relocation may name (the decompressor allows _text up to
 * __bss_start).  Program headers already bounds-checked by
 * zp_elf_file_end. */
static int elf_target(const uint8_t *p, struct zp_relocs_target *k, struct zp_diag *diag)
{
	struct zp_elf64_ehdr h;
	uint64_t low = UINT64_MAX, high = 0;

	zp_memcpy(&h, p, sizeof(h));
	for (unsigned i = 0; i < h.e_phnum; i++) {
		struct zp_elf64_phdr ph;
		zp_memcpy(&ph, p + h.e_phoff + (uint64_t)i * h.e_phentsize, sizeof(ph));
		if (ph.p_type != ZP_PT_LOAD || !ph.p_filesz)
			continue;
		if (ph.p_paddr + ph.p_filesz < ph.p_paddr)
			return zp_diag_fail(diag, ZP_EOVERFLOW, "vmlinux PT_LOAD %u: paddr 0x%llx "
					    "+ filesz 0x%llx wraps", i, ULL(ph.p_paddr),
					    ULL(ph.p_filesz));
		low = ph.p_paddr < low ? ph.p_paddr : low;
		high = ph.p_paddr + ph.p_filesz > high ? ph.p_paddr + ph.p_filesz : high;
	}
	if (low == UINT64_MAX || low >= ZP_KERNEL_IMAGE_SIZE)
		return zp_diag_fail(diag, ZP_ERELOCS, "vmlinux: no PT_LOAD below 0x%llx to relocate",
				    ULL(ZP_KERNEL_IMAGE_SIZE));
	*k = (struct zp_relocs_target){ NULL, high - low, ZP_START_KERNEL_MAP + low };
	return ZP_OK;
}

/* A kernel without a table, when its image proves it: static reasons,
 * for a caller to print. */
static const char NOT_RELOCATABLE[] =
	"the kernel is not relocatable (relocatable_kernel 0 in its setup header): "
	"RANDOMIZE_BASE needs RELOCATABLE, and its decompressor applies no relocations";
static const char NOTHING_APPENDED[] =
	"the payload ends where its vmlinux ELF ends: the build appended no "
	"vmlinux.relocs (built without RANDOMIZE_BASE)";

int zp_relocs_find(const struct zp_bzimage *bz, const void *payload, size_t len,
		   struct zp_relocs *out, struct zp_diag *diag)
{
	const uint8_t *p = payload;
	struct zp_relocs_target k;
	uint64_t elf_end;
	size_t words, stop;
	int r;

	zp_diag_clear(diag);
	if (!bz || !payload || !out)
		return zp_diag_fail(diag, ZP_EINVAL, "missing kernel, payload or output");
	zp_memset(out, 0, sizeof(*out));
	if (bz->protocol >= 0x205 && !bz->hdr.relocatable_kernel) {
		out->absent = NOT_RELOCATABLE;
		return ZP_OK;
	}
	if (!(bz->entries & ZP_ENTRY_LONG64))
		return zp_diag_fail(diag, ZP_EELFCLASS, "a 32-bit kernel (no XLF_KERNEL_64): its "
				    "relocation table is not the x86-64 one read here");
	r = zp_elf_file_end(p, len, &elf_end);
	if (r)
		return zp_diag_fail(diag, r, "the payload's vmlinux ELF (%zu bytes): %s", len,
				    zp_strerror(r));
	if (elf_end == len) {
		out->absent = NOTHING_APPENDED;
		return ZP_OK;
	}
	if ((len - elf_end) % 4)
		return zp_diag_fail(diag, ZP_ERELOCS, "0x%llx bytes follow the vmlinux ELF (it ends "
				    "at 0x%llx of 0x%zx): not whole 32-bit words of a relocation "
				    "table", ULL(len - elf_end), ULL(elf_end), len);
	/* The decompressor reads from the end and stops at the last list's
	 * zero; read_lists does the same and checks that zero is the first
	 * word after the ELF. */
	p += elf_end;
	words = (size_t)((len - elf_end) / 4);
	if (read_lists(p, 0, words, out, &stop)) {
		zp_memset(out, 0, sizeof(*out));
		if (stop == SIZE_MAX)
			return zp_diag_fail(diag, ZP_ERELOCS, "relocation lists read back from the "
					    "payload's end (0x%zx) reach the vmlinux ELF's end "
					    "0x%llx without their terminating zeros", len,
					    ULL(elf_end));
		return zp_diag_fail(diag, ZP_ERELOCS, "relocation lists read back from the "
				    "payload's end (0x%zx) end at 0x%llx, not at the vmlinux ELF's "
				    "end 0x%llx where the table must start", len,
				    ULL(elf_end + (uint64_t)stop * 4), ULL(elf_end));
	}
	/* A stray zero word before the table reads as an empty 64-bit list
	 * (three lists where there are two): no kernel has one, nor an empty
	 * 32-bit list (-mcmodel=kernel code is full of R_X86_64_32S). */
	if (!out->n64 || !out->n32) {
		size_t n64 = out->n64, ninv = out->ninv32, n32 = out->n32;
		unsigned lists = out->lists;
		zp_memset(out, 0, sizeof(*out));
		return zp_diag_fail(diag, ZP_ERELOCS, "relocation lists after the vmlinux ELF "
				    "(0x%llx): %u lists of %zu, %zu and %zu entries, an empty "
				    "%s list; no kernel has one", ULL(elf_end), lists, n64, ninv,
				    n32, n64 ? "32-bit" : "64-bit");
	}
	out->table = p;
	out->len = words * 4;
	r = elf_target(payload, &k, diag);
	if (!r)
		r = zp_relocs_check(out, &k, diag);
	if (r)
		zp_memset(out, 0, sizeof(*out));
	return r;
}
