/* SPDX-License-Identifier: MIT */
/*
 * pe.c - reading a PE/COFF image: the MS-DOS header's e_lfanew, the
 * "PE\0\0" signature, the COFF file header, the optional header (PE32 or
 * PE32+) and the section table (Microsoft's "PE Format" document).
 *
 * A UKI is one of these, and so is every bzImage with the EFI stub; the
 * sections are what a UKI is made of (uki.c).  Everything comes from the
 * file, so every offset is checked against the file's length before a byte
 * is read, in 64-bit arithmetic that cannot wrap, and a section table that
 * a firmware's loader would trip over is refused with the section named:
 * raw data past the end of the file, or two sections claiming the same
 * bytes in the file or the same addresses in memory.
 *
 * A section's data is min(VirtualSize, SizeOfRawData) bytes, or
 * SizeOfRawData when VirtualSize is 0: what EDK II's PE loader copies
 * (BasePeCoffLib, PeCoffLoaderLoadImage) before it zero-fills up to
 * VirtualSize.  systemd-stub reads a section in the loaded image for
 * VirtualSize bytes, which is the same data plus that zero fill.  ukify
 * writes VirtualSize = the data's length (for .linux, the kernel's own
 * SizeOfImage, its size in memory) and SizeOfRawData = the length rounded
 * up to FileAlignment, so the rule yields the exact data of a text section
 * and the kernel with at most FileAlignment - 1 bytes of zero padding.
 */
#include <zeropage/zeropage.h>
#include "diag.h"
#include "env.h"

#define ULL(v) ((unsigned long long)(v))
#define DOS_HEADER_SIZE	0x40	/* the MS-DOS header, e_lfanew its last field */
#define SIG_SIZE	4

/* The fields PE32 and PE32+ optional headers share, whichever h is (they
 * differ in widths and in BaseOfData, not in names). */
#define TAKE_OPTIONAL_HEADER(out, h, ndirs) do {			\
		(out)->entry = (h).address_of_entry_point;		\
		(out)->image_base = (h).image_base;			\
		(out)->section_alignment = (h).section_alignment;	\
		(out)->file_alignment = (h).file_alignment;		\
		(out)->major_image_version = (h).major_image_version;	\
		(out)->minor_image_version = (h).minor_image_version;	\
		(out)->size_of_image = (h).size_of_image;		\
		(out)->size_of_headers = (h).size_of_headers;		\
		(out)->subsystem = (h).subsystem;			\
		(ndirs) = (h).number_of_rva_and_sizes;			\
	} while (0)

static void section_name(char out[ZP_PE_SECTION_NAME_LEN + 1], const char *in)
{
	size_t n = 0;

	while (n < ZP_PE_SECTION_NAME_LEN && in[n]) {
		out[n] = in[n];
		n++;
	}
	out[n] = '\0';
}

/* Bytes [off, off + size) lie inside a file of len bytes. */
static bool inside(uint64_t off, uint64_t size, size_t len)
{
	return off <= len && size <= len - off;
}

static int read_optional(const uint8_t *p, size_t len, uint64_t opt_off, uint16_t opt_size,
			 struct zp_pe *out, struct zp_diag *diag)
{
	uint32_t ndirs;
	uint64_t fixed;

	if (opt_size < 2)
		return zp_diag_fail(diag, ZP_EPEHDR, "optional header of %u bytes: no room for "
				    "its magic", opt_size);
	out->opt_magic = zp_le16(p + opt_off);
	if (out->opt_magic == ZP_PE_OPT_MAGIC_PE32PLUS) {
		struct zp_pe_opt64 h;

		fixed = sizeof(h);
		if (opt_size < fixed)
			goto small;
		zp_memcpy(&h, p + opt_off, sizeof(h));
		TAKE_OPTIONAL_HEADER(out, h, ndirs);
	} else if (out->opt_magic == ZP_PE_OPT_MAGIC_PE32) {
		struct zp_pe_opt32 h;

		fixed = sizeof(h);
		if (opt_size < fixed)
			goto small;
		zp_memcpy(&h, p + opt_off, sizeof(h));
		TAKE_OPTIONAL_HEADER(out, h, ndirs);
	} else {
		return zp_diag_fail(diag, ZP_EPEHDR, "optional header magic 0x%x is neither PE32 "
				    "(0x10b) nor PE32+ (0x20b)", out->opt_magic);
	}
	if (ndirs > (opt_size - fixed) / sizeof(struct zp_pe_data_dir))
		return zp_diag_fail(diag, ZP_EPEHDR, "%u data directories do not fit the %u-byte "
				    "optional header", ndirs, opt_size);
	if (ndirs > ZP_PE_DIR_SECURITY) {
		uint64_t at = opt_off + fixed + ZP_PE_DIR_SECURITY * sizeof(struct zp_pe_data_dir);

		out->cert_offset = zp_le32(p + at);
		out->cert_size = zp_le32(p + at + 4);
		if (out->cert_size && !inside(out->cert_offset, out->cert_size, len))
			return zp_diag_fail(diag, ZP_ETRUNCATED, "certificate table 0x%x+0x%x lies "
					    "past the end of the file (%zu bytes)", out->cert_offset,
					    out->cert_size, len);
	}
	return ZP_OK;
small:
	return zp_diag_fail(diag, ZP_EPEHDR, "optional header of %u bytes: %s needs %u",
			    opt_size, out->opt_magic == ZP_PE_OPT_MAGIC_PE32 ? "PE32" : "PE32+",
			    (unsigned)fixed);
}

/* Where a section lives in memory: VirtualSize bytes from its RVA (the
 * raw size when VirtualSize is 0, as the loader maps it). */
static uint64_t mem_span(const struct zp_pe_section *s)
{
	return s->vsize ? s->vsize : s->raw_size;
}

static int read_sections(const uint8_t *p, size_t len, uint64_t table, struct zp_pe *out,
			 struct zp_diag *diag)
{
	for (unsigned i = 0; i < out->nsections; i++) {
		struct zp_pe_section_header h;
		struct zp_pe_section *s = &out->sections[i];

		zp_memcpy(&h, p + table + (uint64_t)i * sizeof(h), sizeof(h));
		section_name(s->name, h.name);
		s->vaddr = h.virtual_address;
		s->vsize = h.virtual_size;
		s->offset = h.pointer_to_raw_data;
		s->raw_size = h.size_of_raw_data;
		s->characteristics = h.characteristics;
		s->size = h.virtual_size && h.virtual_size < h.size_of_raw_data ? h.virtual_size
										 : h.size_of_raw_data;
		if (s->raw_size == 0)
			continue;	/* uninitialised data: nothing in the file */
		if (!inside(s->offset, s->raw_size, len))
			return zp_diag_fail(diag, ZP_EPESECTION, "section %s: file range "
					    "0x%x-0x%llx lies past the end of the file (%zu bytes)",
					    s->name, s->offset, ULL((uint64_t)s->offset + s->raw_size),
					    len);
		if (s->offset < out->headers_end)
			return zp_diag_fail(diag, ZP_EPEOVERLAP, "section %s: file range "
					    "0x%x-0x%llx overlaps the headers, which end at 0x%zx",
					    s->name, s->offset, ULL((uint64_t)s->offset + s->raw_size),
					    out->headers_end);
	}
	return ZP_OK;
}

/* No two sections share bytes of the file or addresses of the image. */
static int check_overlaps(const struct zp_pe *pe, struct zp_diag *diag)
{
	for (unsigned i = 0; i < pe->nsections; i++) {
		const struct zp_pe_section *a = &pe->sections[i];
		uint64_t a_end = (uint64_t)a->offset + a->raw_size;
		uint64_t a_vend = (uint64_t)a->vaddr + mem_span(a);

		for (unsigned j = i + 1; j < pe->nsections; j++) {
			const struct zp_pe_section *b = &pe->sections[j];
			uint64_t b_end = (uint64_t)b->offset + b->raw_size;
			uint64_t b_vend = (uint64_t)b->vaddr + mem_span(b);

			if (a->raw_size && b->raw_size && a->offset < b_end && b->offset < a_end)
				return zp_diag_fail(diag, ZP_EPEOVERLAP, "sections %s (file "
						    "0x%x-0x%llx) and %s (file 0x%x-0x%llx) overlap",
						    a->name, a->offset, ULL(a_end), b->name,
						    b->offset, ULL(b_end));
			if (mem_span(a) && mem_span(b) && a->vaddr < b_vend && b->vaddr < a_vend)
				return zp_diag_fail(diag, ZP_EPEOVERLAP, "sections %s (memory "
						    "0x%x-0x%llx) and %s (memory 0x%x-0x%llx) overlap",
						    a->name, a->vaddr, ULL(a_vend), b->name,
						    b->vaddr, ULL(b_vend));
		}
	}
	return ZP_OK;
}

int zp_probe_pe(const void *buf, size_t len, struct zp_pe *out, struct zp_diag *diag)
{
	const uint8_t *p = buf;
	struct zp_coff_header coff;
	uint64_t coff_off, opt_off, table, table_end;
	int r;

	if (!buf || !out)
		return ZP_EINVAL;
	zp_diag_clear(diag);
	zp_memset(out, 0, sizeof(*out));
	out->image = p;
	out->image_len = len;
	if (len < 2 || zp_le16(p) != ZP_MZ_MAGIC)
		return zp_diag_fail(diag, len < 2 ? ZP_ETRUNCATED : ZP_EBADMAGIC,
				    "no \"MZ\" at the start of the file (%zu bytes)", len);
	if (len < DOS_HEADER_SIZE)
		return zp_diag_fail(diag, ZP_ETRUNCATED, "file of %zu bytes ends inside the "
				    "MS-DOS header (64 bytes)", len);
	out->pe_offset = zp_le32(p + ZP_PE_LFANEW_OFFSET);
	coff_off = (uint64_t)out->pe_offset + SIG_SIZE;
	if (!inside(out->pe_offset, SIG_SIZE, len))
		return zp_diag_fail(diag, ZP_ETRUNCATED, "e_lfanew 0x%x: the file (%zu bytes) "
				    "ends before the PE signature", out->pe_offset, len);
	if (zp_le32(p + out->pe_offset) != ZP_PE_SIGNATURE)
		return zp_diag_fail(diag, ZP_EPESIG, "no \"PE\\0\\0\" at e_lfanew 0x%x (0x%08x "
				    "there): an MS-DOS program, not PE/COFF", out->pe_offset,
				    zp_le32(p + out->pe_offset));
	if (!inside(coff_off, sizeof(coff), len))
		return zp_diag_fail(diag, ZP_ETRUNCATED, "file of %zu bytes ends inside the COFF "
				    "header at 0x%llx", len, ULL(coff_off));
	zp_memcpy(&coff, p + coff_off, sizeof(coff));
	out->machine = coff.machine;
	out->characteristics = coff.characteristics;
	opt_off = coff_off + sizeof(coff);
	if (!inside(opt_off, coff.size_of_optional_header, len))
		return zp_diag_fail(diag, ZP_ETRUNCATED, "file of %zu bytes ends inside the %u-byte "
				    "optional header at 0x%llx", len, coff.size_of_optional_header,
				    ULL(opt_off));
	r = read_optional(p, len, opt_off, coff.size_of_optional_header, out, diag);
	if (r)
		return r;
	if (coff.number_of_sections == 0)
		return zp_diag_fail(diag, ZP_EPEHDR, "no sections");
	if (coff.number_of_sections > ZP_PE_MAX_SECTIONS)
		return zp_diag_fail(diag, ZP_ETOOMANY, "%u sections, more than %u",
				    coff.number_of_sections, ZP_PE_MAX_SECTIONS);
	out->nsections = coff.number_of_sections;
	table = opt_off + coff.size_of_optional_header;
	table_end = table + (uint64_t)out->nsections * sizeof(struct zp_pe_section_header);
	if (table_end > len)
		return zp_diag_fail(diag, ZP_ETRUNCATED, "file of %zu bytes ends inside the table "
				    "of %u sections at 0x%llx-0x%llx", len, out->nsections,
				    ULL(table), ULL(table_end));
	out->headers_end = (size_t)table_end;
	r = read_sections(p, len, table, out, diag);
	if (r)
		return r;
	return check_overlaps(out, diag);
}

const struct zp_pe_section *zp_pe_find_section(const struct zp_pe *pe, const char *name)
{
	for (unsigned i = 0; pe && name && i < pe->nsections && i < ZP_PE_MAX_SECTIONS; i++)
		if (zp_streq(pe->sections[i].name, name))
			return &pe->sections[i];
	return NULL;
}

const char *zp_pe_machine_name(uint16_t machine)
{
	switch (machine) {
	case ZP_PE_MACHINE_AMD64: return "x86-64";
	case ZP_PE_MACHINE_I386: return "i386";
	case ZP_PE_MACHINE_ARM64: return "arm64";
	case ZP_PE_MACHINE_ARM: return "arm";
	case ZP_PE_MACHINE_RISCV64: return "riscv64";
	}
	return "unknown";
}
