/* SPDX-License-Identifier: MIT */
/*
 * shim_reloc.c - moving the shim to another physical address at bundle time.
 *
 * The shim is linked at 1 MiB, and the ELF's entry (e_entry) is the shim's:
 * Firecracker's and Cloud Hypervisor's ELF loader, rust-vmm's linux-loader,
 * refuses an entry below HIMEM_START, 1 MiB (InvalidEntryAddress; it loads
 * segments below it), and those VMMs write the start_info, memory map and
 * command line into the low megabyte.  For almost every kernel nothing else
 * wants the memory at 1 MiB.  A kernel that is not relocatable and must run at
 * 1 MiB (old kernels, non-Linux images using the boot protocol) does, so
 * for those the bundle writer puts the shim above the kernel's room.
 *
 * The shim runs with paging off or identity mapped and is not position-
 * independent (its 32-bit entry builds page tables and a GDT at absolute
 * addresses), so moving it means relinking it.  The build keeps the link's
 * relocations in the shim (ld --emit-relocs): every place where the link
 * wrote an address, with the symbol it wrote.  Moving by `delta` is then
 * adding delta to each absolute address of a symbol of the shim's own;
 * PC-relative references need nothing, both ends move together.  Anything
 * else is refused: a shim we cannot move exactly is not moved at all.
 */
#include <stdlib.h>
#include <string.h>

#include "common/tool_err.h"
#include "image/shim_reloc.h"

#define ULL(v)		((unsigned long long)(v))

#define SHT_RELA	4
#define SHT_NOBITS	8
#define SHN_UNDEF	0
#define SHN_LORESERVE	0xff00

#define R_X86_64_64	1
#define R_X86_64_PC32	2
#define R_X86_64_PLT32	4
#define R_X86_64_32	10
#define R_X86_64_32S	11
#define R_X86_64_PC64	24

struct shdr {
	uint32_t name, type;
	uint64_t flags, addr, offset, size;
	uint32_t link, info;
	uint64_t addralign, entsize;
};

static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint16_t rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static void wr64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static void wr32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

static bool in_file(size_t len, uint64_t off, uint64_t n)
{
	return off <= len && n <= len - off;
}

/* Section header i, bounds-checked against the file. */
static int section(const uint8_t *f, size_t len, unsigned i, struct shdr *s,
		   struct tool_err *err)
{
	uint64_t shoff = rd64(f + 0x28);
	uint16_t shentsize = rd16(f + 0x3a), shnum = rd16(f + 0x3c);
	uint64_t at = shoff + (uint64_t)i * shentsize;

	if (i >= shnum || shentsize < 64 || !in_file(len, at, 64)) {
		tool_err_set(err, "shim ELF: section header %u past the end", i);
		return -1;
	}
	s->name = rd32(f + at);
	s->type = rd32(f + at + 4);
	s->flags = rd64(f + at + 8);
	s->addr = rd64(f + at + 16);
	s->offset = rd64(f + at + 24);
	s->size = rd64(f + at + 32);
	s->link = rd32(f + at + 40);
	s->info = rd32(f + at + 44);
	s->entsize = rd64(f + at + 56);
	if (s->type != SHT_NOBITS && !in_file(len, s->offset, s->size)) {
		tool_err_set(err, "shim ELF: section %u runs past the end", i);
		return -1;
	}
	return 0;
}

/* The section index symbol `sym` of symtab is defined in. */
static int symbol_section(const uint8_t *f, const struct shdr *symtab, uint64_t sym,
			  uint16_t *shndx, struct tool_err *err)
{
	if (symtab->entsize != 24 || sym >= symtab->size / 24) {
		tool_err_set(err, "shim ELF: relocation names symbol %llu of %llu", ULL(sym),
			 ULL(symtab->size / 24));
		return -1;
	}
	*shndx = rd16(f + symtab->offset + sym * 24 + 6);
	return 0;
}

/* One relocation at P (file bytes of the target section). */
static int apply(uint8_t *p, uint32_t type, bool moves, int64_t delta, uint64_t where,
		 struct tool_err *err)
{
	uint64_t v;

	switch (type) {
	case R_X86_64_PC32: case R_X86_64_PLT32: case R_X86_64_PC64:
		if (moves)
			return 0;	/* both ends move */
		break;
	case R_X86_64_64:
		if (moves)
			wr64(p, rd64(p) + (uint64_t)delta);
		return 0;
	case R_X86_64_32: case R_X86_64_32S:
		if (!moves)
			return 0;	/* an absolute address outside the shim stays */
		v = (uint64_t)rd32(p) + (uint64_t)delta;
		if (v > (type == R_X86_64_32 ? 0xffffffffull : 0x7fffffffull)) {
			tool_err_set(err, "shim moved by 0x%llx: a 32-bit address at 0x%llx "
				 "no longer fits", ULL(delta), ULL(where));
			return -1;
		}
		wr32(p, (uint32_t)v);
		return 0;
	}
	tool_err_set(err, "shim ELF: relocation type %u at 0x%llx%s cannot be moved", type,
		 ULL(where), moves ? "" : " (PC-relative to an absolute symbol)");
	return -1;
}

/* Every entry of one SHT_RELA section into its target's file bytes. */
static int apply_section(uint8_t *f, size_t len, const struct shdr *rela, int64_t delta,
			 struct tool_err *err)
{
	struct shdr target, symtab;

	if (section(f, len, rela->info, &target, err) ||
	    section(f, len, rela->link, &symtab, err))
		return -1;
	if (target.type == SHT_NOBITS || !(target.flags & 2 /* SHF_ALLOC */))
		return 0;		/* debug sections and such: not loaded */
	if (rela->entsize != 24) {
		tool_err_set(err, "shim ELF: RELA entries of %llu bytes", ULL(rela->entsize));
		return -1;
	}
	for (uint64_t i = 0; i < rela->size / 24; i++) {
		const uint8_t *r = f + rela->offset + i * 24;
		uint64_t where = rd64(r), info = rd64(r + 8);
		uint32_t type = (uint32_t)info;
		uint16_t shndx;
		unsigned width = type == R_X86_64_64 || type == R_X86_64_PC64 ? 8 : 4;

		if (where < target.addr || where - target.addr > target.size ||
		    width > target.size - (where - target.addr)) {
			tool_err_set(err, "shim ELF: relocation at 0x%llx outside its section",
				 ULL(where));
			return -1;
		}
		if (symbol_section(f, &symtab, info >> 32, &shndx, err))
			return -1;
		/* A symbol of the shim's own moves with it; an absolute one or
		 * none (index 0) is a fixed address. */
		if (apply(f + target.offset + (where - target.addr), type,
			  shndx != SHN_UNDEF && shndx < SHN_LORESERVE, delta, where, err))
			return -1;
	}
	return 0;
}

/* The program headers and entry point say where the shim now is. */
static int move_headers(uint8_t *f, size_t len, int64_t delta, struct tool_err *err)
{
	uint64_t phoff = rd64(f + 0x20);
	uint16_t phentsize = rd16(f + 0x36), phnum = rd16(f + 0x38);

	if (phentsize < 56 || !in_file(len, phoff, (uint64_t)phnum * phentsize)) {
		tool_err_set(err, "shim ELF: program headers past the end");
		return -1;
	}
	wr64(f + 0x18, rd64(f + 0x18) + (uint64_t)delta);		/* e_entry */
	for (unsigned i = 0; i < phnum; i++) {
		uint8_t *ph = f + phoff + (uint64_t)i * phentsize;
		wr64(ph + 16, rd64(ph + 16) + (uint64_t)delta);		/* p_vaddr */
		wr64(ph + 24, rd64(ph + 24) + (uint64_t)delta);		/* p_paddr */
	}
	return 0;
}

int shim_reloc_apply(const uint8_t *elf, size_t len, int64_t delta, uint8_t **out,
		     struct tool_err *err)
{
	uint8_t *f;
	unsigned nrela = 0;

	*out = NULL;
	if (len < 64 || memcmp(elf, "\177ELF\2\1", 6) || rd16(elf + 0x12) != 62) {
		tool_err_set(err, "shim ELF: not a 64-bit little-endian x86-64 ELF");
		return -1;
	}
	if (delta & 0xfff) {
		tool_err_set(err, "shim can only move by whole pages, not 0x%llx", ULL(delta));
		return -1;
	}
	f = malloc(len);
	if (!f) {
		tool_err_set(err, "out of memory for the shim's %zu bytes", len);
		return -1;
	}
	memcpy(f, elf, len);
	for (unsigned i = 0; i < rd16(f + 0x3c); i++) {
		struct shdr s;
		if (section(f, len, i, &s, err))
			goto fail;
		if (s.type != SHT_RELA)
			continue;
		if (apply_section(f, len, &s, delta, err))
			goto fail;
		nrela++;
	}
	if (!nrela && delta) {
		tool_err_set(err, "shim ELF has no relocations (not linked with --emit-relocs): "
			 "it cannot be moved");
		goto fail;
	}
	if (move_headers(f, len, delta, err))
		goto fail;
	*out = f;
	return 0;
fail:
	free(f);
	return -1;
}
