/* SPDX-License-Identifier: MIT */
/*
 * elf.c - reading an x86 ELF kernel: program headers and the Xen notes
 * (xen/include/public/elfnote.h) that make it PVH-bootable.
 *
 * The ELF32 and ELF64 headers are decoded into one common form first, so
 * the checks that follow are written once.
 */
#include <zeropage/zeropage.h>
#include "env.h"

struct elf_header {
	uint64_t entry, phoff;
	uint16_t phentsize, phnum;
};

static int read_ident(const uint8_t *p, size_t len, struct zp_elf *out)
{
	if (len < 4)
		return ZP_ETRUNCATED;
	if (zp_memcmp(p, "\x7f" "ELF", 4))
		return ZP_EBADMAGIC;
	if (len < 16)
		return ZP_ETRUNCATED;
	if (p[4] == ZP_ELFCLASS32)
		out->elf_class = 32;
	else if (p[4] == ZP_ELFCLASS64)
		out->elf_class = 64;
	else
		return ZP_EELFCLASS;
	if (p[5] != ZP_ELFDATA2LSB)
		return ZP_EELFCLASS;
	return ZP_OK;
}

static int read_header(const uint8_t *p, size_t len, struct zp_elf *out, struct elf_header *eh)
{
	if (out->elf_class == 32) {
		struct zp_elf32_ehdr h;
		if (len < sizeof(h))
			return ZP_ETRUNCATED;
		zp_memcpy(&h, p, sizeof(h));
		out->machine = h.e_machine;
		eh->entry = h.e_entry;
		eh->phoff = h.e_phoff;
		eh->phentsize = h.e_phentsize;
		eh->phnum = h.e_phnum;
	} else {
		struct zp_elf64_ehdr h;
		if (len < sizeof(h))
			return ZP_ETRUNCATED;
		zp_memcpy(&h, p, sizeof(h));
		out->machine = h.e_machine;
		eh->entry = h.e_entry;
		eh->phoff = h.e_phoff;
		eh->phentsize = h.e_phentsize;
		eh->phnum = h.e_phnum;
	}
	if (out->machine != (out->elf_class == 32 ? ZP_EM_386 : ZP_EM_X86_64))
		return ZP_EELFCLASS;
	out->entry = eh->entry;
	return ZP_OK;
}

static void read_phdr(const uint8_t *p, int elf_class, struct zp_elf_segment *s)
{
	if (elf_class == 32) {
		struct zp_elf32_phdr ph;
		zp_memcpy(&ph, p, sizeof(ph));
		*s = (struct zp_elf_segment){ ph.p_type, ph.p_flags, ph.p_offset, ph.p_vaddr,
					      ph.p_paddr, ph.p_filesz, ph.p_memsz, ph.p_align };
	} else {
		struct zp_elf64_phdr ph;
		zp_memcpy(&ph, p, sizeof(ph));
		*s = (struct zp_elf_segment){ ph.p_type, ph.p_flags, ph.p_offset, ph.p_vaddr,
					      ph.p_paddr, ph.p_filesz, ph.p_memsz, ph.p_align };
	}
}

static int read_segments(const uint8_t *p, size_t len, const struct elf_header *eh,
			 struct zp_elf *out)
{
	size_t want = out->elf_class == 32 ? sizeof(struct zp_elf32_phdr)
					   : sizeof(struct zp_elf64_phdr);
	uint64_t table, end;

	if (eh->phnum == 0)
		return ZP_EPHDR;	/* nothing to load */
	if (eh->phentsize != want)
		return ZP_EPHDR;
	if (eh->phnum > ZP_ELF_MAX_SEGMENTS)
		return ZP_ETOOMANY;
	if (zp_mul_overflows_u64(eh->phnum, want, &table) ||
	    zp_add_overflows_u64(eh->phoff, table, &end))
		return ZP_EOVERFLOW;
	if (end > len)
		return ZP_EPHDR;
	for (unsigned i = 0; i < eh->phnum; i++) {
		struct zp_elf_segment *s = &out->segments[i];
		read_phdr(p + eh->phoff + i * want, out->elf_class, s);
		if (zp_add_overflows_u64(s->offset, s->filesz, &end))
			return ZP_EOVERFLOW;
		if (s->filesz && end > len)
			return ZP_ESEGMENT;
	}
	out->nsegments = eh->phnum;
	return ZP_OK;
}

static bool is_xen_number_note(uint32_t type)
{
	return type == ZP_XEN_ELFNOTE_PHYS32_ENTRY || type == ZP_XEN_ELFNOTE_ENTRY ||
	       type == ZP_XEN_ELFNOTE_HYPERCALL_PAGE;
}

/* Name, value and the Xen-specific meaning of one note. */
static int fill_note(struct zp_elf_note *n, const uint8_t *name, uint32_t namesz,
		     struct zp_elf *out)
{
	size_t keep = zp_strnlen((const char *)name, namesz);

	if (keep > sizeof(n->name) - 1)
		keep = sizeof(n->name) - 1;
	zp_memcpy(n->name, name, keep);
	n->name[keep] = '\0';
	if (n->desc_len == 4 || n->desc_len == 8) {
		n->has_value = true;
		n->value = n->desc_len == 4 ? zp_le32(n->desc) : zp_le64(n->desc);
	}
	if (!zp_streq(n->name, ZP_XEN_NOTE_NAME) || !is_xen_number_note(n->type))
		return ZP_OK;
	if (!n->has_value)
		return ZP_ENOTESIZE;	/* an address note that is not an address */
	/* The first PHYS32_ENTRY wins, as zp_elf_find_note() returns it: info
	 * and the loader must never disagree on where the kernel is entered. */
	if (n->type == ZP_XEN_ELFNOTE_PHYS32_ENTRY && !out->has_pvh) {
		out->has_pvh = true;
		out->pvh_entry = n->value;
	}
	return ZP_OK;
}

/* Walks the notes of one PT_NOTE segment (already checked to be in the
 * file).  Name and desc are padded to the segment's alignment: 4 for
 * classic notes, 8 for segments that declare it (gABI). */
static int read_notes(const uint8_t *seg, uint64_t size, uint64_t align, struct zp_elf *out)
{
	uint64_t pos = 0, pad = align == 8 ? 8 : 4;

	while (pos < size) {
		struct zp_elf_nhdr nh;
		uint64_t name_at, desc_at, next;
		struct zp_elf_note *n;
		int r;

		if (size - pos < sizeof(nh))
			return ZP_ENOTE;
		zp_memcpy(&nh, seg + pos, sizeof(nh));
		name_at = pos + sizeof(nh);
		/* 64-bit sums of 32-bit sizes cannot overflow. */
		desc_at = name_at + zp_align_up_u64(nh.n_namesz, pad);
		next = desc_at + zp_align_up_u64(nh.n_descsz, pad);
		if (desc_at + nh.n_descsz > size || name_at + nh.n_namesz > size)
			return ZP_ENOTE;
		if (out->nnotes == ZP_ELF_MAX_NOTES)
			return ZP_ETOOMANY;
		n = &out->notes[out->nnotes++];
		n->type = nh.n_type;
		n->desc = seg + desc_at;
		n->desc_len = nh.n_descsz;
		r = fill_note(n, seg + name_at, nh.n_namesz, out);
		if (r)
			return r;
		pos = next;	/* may pass size only by the final padding */
	}
	return ZP_OK;
}

int zp_probe_elf(const void *buf, size_t len, struct zp_elf *out)
{
	const uint8_t *p = buf;
	struct elf_header eh;
	int r;

	if (!buf || !out)
		return ZP_EINVAL;
	zp_memset(out, 0, sizeof(*out));
	r = read_ident(p, len, out);
	if (!r)
		r = read_header(p, len, out, &eh);
	if (!r)
		r = read_segments(p, len, &eh, out);
	for (unsigned i = 0; !r && i < out->nsegments; i++) {
		const struct zp_elf_segment *s = &out->segments[i];
		if (s->type == ZP_PT_NOTE && s->filesz)
			r = read_notes(p + s->offset, s->filesz, s->align, out);
	}
	if (r)
		return r;
	if (out->has_pvh)
		out->entries |= ZP_ENTRY_PVH;
	if (out->machine == ZP_EM_X86_64)
		out->entries |= ZP_ENTRY_LONG64;
	return ZP_OK;
}

const struct zp_elf_note *zp_elf_find_note(const struct zp_elf *elf, const char *name,
					   uint32_t type)
{
	for (unsigned i = 0; elf && i < elf->nnotes; i++)
		if (elf->notes[i].type == type && zp_streq(elf->notes[i].name, name))
			return &elf->notes[i];
	return NULL;
}

const char *zp_xen_note_name(uint32_t type)
{
	static const char *const names[] = {
		"INFO", "ENTRY", "HYPERCALL_PAGE", "VIRT_BASE", "PADDR_OFFSET",
		"XEN_VERSION", "GUEST_OS", "GUEST_VERSION", "LOADER", "PAE_MODE",
		"FEATURES", "BSD_SYMTAB", "HV_START_LOW", "L1_MFN_VALID",
		"SUSPEND_CANCEL", "INIT_P2M", "MOD_START_PFN", "SUPPORTED_FEATURES",
		"PHYS32_ENTRY", "PHYS32_RELOC",
	};
	return type < sizeof(names) / sizeof(names[0]) ? names[type] : NULL;
}

/* Widens *end to cover [off, off + size), which must lie inside len. */
static int cover(uint64_t off, uint64_t size, size_t len, int err, uint64_t *end)
{
	if (off > len || size > len - off)
		return off + size < off ? ZP_EOVERFLOW : err;
	if (off + size > *end)
		*end = off + size;
	return ZP_OK;
}

int zp_elf_file_end(const void *buf, size_t len, uint64_t *end)
{
	const uint8_t *p = buf;
	struct zp_elf64_ehdr h;
	int r;

	if (!buf || !end)
		return ZP_EINVAL;
	*end = 0;
	if (len < sizeof(h))
		return ZP_ETRUNCATED;
	zp_memcpy(&h, p, sizeof(h));
	if (zp_memcmp(h.e_ident, "\x7f" "ELF", 4))
		return ZP_EBADMAGIC;
	if (h.e_ident[4] != ZP_ELFCLASS64 || h.e_ident[5] != ZP_ELFDATA2LSB ||
	    (h.e_phnum && h.e_phentsize < sizeof(struct zp_elf64_phdr)) ||
	    (h.e_shnum && h.e_shentsize < sizeof(struct zp_elf64_shdr)))
		return ZP_EELFCLASS;
	*end = sizeof(h);
	/* 16-bit counts times 16-bit sizes cannot overflow 64 bits. */
	r = cover(h.e_phoff, (uint64_t)h.e_phnum * h.e_phentsize, len, ZP_EPHDR, end);
	if (!r)
		r = cover(h.e_shoff, (uint64_t)h.e_shnum * h.e_shentsize, len, ZP_EPHDR, end);
	for (unsigned i = 0; !r && i < h.e_phnum; i++) {
		struct zp_elf64_phdr ph;
		zp_memcpy(&ph, p + h.e_phoff + (uint64_t)i * h.e_phentsize, sizeof(ph));
		r = cover(ph.p_offset, ph.p_filesz, len, ZP_ESEGMENT, end);
	}
	for (unsigned i = 0; !r && i < h.e_shnum; i++) {
		struct zp_elf64_shdr sh;
		zp_memcpy(&sh, p + h.e_shoff + (uint64_t)i * h.e_shentsize, sizeof(sh));
		if (sh.sh_type != 0 && sh.sh_type != ZP_SHT_NOBITS)
			r = cover(sh.sh_offset, sh.sh_size, len, ZP_ESEGMENT, end);
	}
	return r;
}
