/* SPDX-License-Identifier: MIT */
/* elf_needed.c - see elf_needed.h.  Field offsets: the System V gABI's
 * ELF64 header (e_phoff at 32, e_phentsize at 54, e_phnum at 56), program
 * header (p_type 0, p_offset 8, p_vaddr 16, p_filesz 32) and Elf64_Dyn
 * (d_tag, d_val: 8 bytes each). */
#include <stdio.h>
#include <string.h>

#include "image/elf_needed.h"

#define PT_LOAD		1
#define PT_DYNAMIC	2
#define PT_INTERP	3
#define DT_NULL		0
#define DT_NEEDED	1
#define DT_STRTAB	5
#define DT_STRSZ	10
#define PHDR_SIZE	56
#define EM_X86_64	62

static uint64_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = n; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

/* The whole of [off, off+n) lies inside a buffer of len bytes. */
static int inside(uint64_t off, uint64_t n, size_t len)
{
	return off <= len && n <= len - off;
}

/* The file offset of virtual address va, through the PT_LOAD holding it
 * (DT_STRTAB is an address, not an offset). */
static int va_to_off(const uint8_t *d, uint64_t phoff, unsigned phnum,
		     uint64_t va, uint64_t *off)
{
	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *ph = d + phoff + (uint64_t)i * PHDR_SIZE;
		uint64_t o = le(ph + 8, 8), v = le(ph + 16, 8), fs = le(ph + 32, 8);
		if (le(ph, 4) == PT_LOAD && va >= v && va - v < fs) {
			*off = o + (va - v);
			return 0;
		}
	}
	return -1;
}

/* A NUL-terminated string at off inside [0, limit) copied to out. */
static int copy_str(const uint8_t *d, uint64_t off, uint64_t limit, char *out, size_t cap)
{
	const uint8_t *nul = off < limit ? memchr(d + off, 0, limit - off) : NULL;
	if (!nul || (size_t)(nul - (d + off)) >= cap)
		return -1;
	memcpy(out, d + off, (size_t)(nul - (d + off)) + 1);
	return 0;
}

/* DT_NEEDED names from the dynamic section at [off, off+size). */
static int read_dynamic(const uint8_t *d, size_t len, uint64_t phoff, unsigned phnum,
			uint64_t off, uint64_t size, struct elf_needed *out, struct tool_err *err)
{
	uint64_t strtab = 0, strsz = 0, stroff, n = size / 16;

	for (uint64_t i = 0; i < n; i++) {
		uint64_t tag = le(d + off + i * 16, 8), val = le(d + off + i * 16 + 8, 8);
		if (tag == DT_NULL)
			break;
		if (tag == DT_STRTAB)
			strtab = val;
		else if (tag == DT_STRSZ)
			strsz = val;
	}
	if (!strtab || va_to_off(d, phoff, phnum, strtab, &stroff) ||
	    !inside(stroff, strsz, len)) {
		tool_err_set(err, "DT_STRTAB missing or outside the file");
		return -1;
	}
	for (uint64_t i = 0; i < n; i++) {
		uint64_t tag = le(d + off + i * 16, 8), val = le(d + off + i * 16 + 8, 8);
		if (tag == DT_NULL)
			break;
		if (tag != DT_NEEDED)
			continue;
		if (out->count == ELF_NEEDED_MAX) {
			tool_err_set(err, "more than %d DT_NEEDED entries", ELF_NEEDED_MAX);
			return -1;
		}
		if (val >= strsz || copy_str(d, stroff + val, stroff + strsz,
					     out->names[out->count], ELF_NEEDED_NAME_MAX)) {
			tool_err_set(err, "DT_NEEDED name outside DT_STRTAB or too long");
			return -1;
		}
		out->count++;
	}
	return 0;
}

int elf_needed_read(const uint8_t *d, size_t len, struct elf_needed *out, struct tool_err *err)
{
	memset(out, 0, sizeof(*out));
	/* ELF magic, ELFCLASS64, ELFDATA2LSB, e_machine x86-64 */
	if (len < 64 || memcmp(d, "\177ELF", 4) || d[4] != 2 || d[5] != 1 ||
	    le(d + 18, 2) != EM_X86_64) {
		tool_err_set(err, "not an x86-64 ELF64 file");
		return -1;
	}
	uint64_t phoff = le(d + 32, 8);
	unsigned phentsize = (unsigned)le(d + 54, 2), phnum = (unsigned)le(d + 56, 2);
	if (phentsize != PHDR_SIZE || !inside(phoff, (uint64_t)phnum * PHDR_SIZE, len)) {
		tool_err_set(err, "program headers outside the file");
		return -1;
	}
	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *ph = d + phoff + (uint64_t)i * PHDR_SIZE;
		uint64_t type = le(ph, 4), off = le(ph + 8, 8), fs = le(ph + 32, 8);
		if ((type == PT_INTERP || type == PT_DYNAMIC) && !inside(off, fs, len)) {
			tool_err_set(err, "segment %u outside the file", i);
			return -1;
		}
		if (type == PT_INTERP && copy_str(d, off, off + fs, out->interp, sizeof(out->interp))) {
			tool_err_set(err, "PT_INTERP is not a short NUL-terminated path");
			return -1;
		}
		if (type == PT_DYNAMIC && read_dynamic(d, len, phoff, phnum, off, fs, out, err))
			return -1;
	}
	return 0;
}
