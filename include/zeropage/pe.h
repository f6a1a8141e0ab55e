/* SPDX-License-Identifier: MIT */
/*
 * zeropage/pe.h - PE/COFF and the Unified Kernel Image, as facts.
 *
 * Our own definitions of the on-disk structures of a PE/COFF image
 * (Microsoft's "PE Format" document: the MS-DOS stub's e_lfanew, the "PE\0\0"
 * signature, the COFF file header, the optional header's PE32 and PE32+
 * forms, the section table) and the section names of a Unified Kernel Image
 * (the UAPI group's "Unified Kernel Image (UKI)" specification; systemd's
 * ukify and systemd-stub write and read them).  A UKI is a systemd-stub EFI
 * application with the kernel (.linux, a bzImage on x86), its initrd and
 * command line and a description of the OS added as sections.
 *
 * Every field offset is pinned with a _Static_assert against the PE Format
 * document's offsets, as in abi.h.  Multi-byte fields are little-endian.
 */
#ifndef ZEROPAGE_PE_H
#define ZEROPAGE_PE_H

#include <stddef.h>
#include <stdint.h>
#include <zeropage/abi.h>	/* ZP_PACKED, ZP_PIN */

/* ------------------------------------------------------------------ */
/* The MS-DOS stub: "MZ", and at 0x3c the file offset of the signature */

#define ZP_MZ_MAGIC		0x5a4d		/* "MZ" */
#define ZP_PE_LFANEW_OFFSET	0x3c		/* e_lfanew: u32 file offset of "PE\0\0" */
#define ZP_PE_SIGNATURE		0x00004550u	/* "PE\0\0" */

/* ------------------------------------------------------------------ */
/* COFF file header, right after the signature ("PE Format", "COFF File Header") */

struct zp_coff_header {
	uint16_t machine;
	uint16_t number_of_sections;
	uint32_t time_date_stamp;
	uint32_t pointer_to_symbol_table;
	uint32_t number_of_symbols;
	uint16_t size_of_optional_header;
	uint16_t characteristics;
} ZP_PACKED;
_Static_assert(sizeof(struct zp_coff_header) == 20, "COFF file header size");
ZP_PIN(struct zp_coff_header, number_of_sections, 2);
ZP_PIN(struct zp_coff_header, size_of_optional_header, 16);
ZP_PIN(struct zp_coff_header, characteristics, 18);

/* machine */
#define ZP_PE_MACHINE_I386	0x014c
#define ZP_PE_MACHINE_AMD64	0x8664
#define ZP_PE_MACHINE_ARM	0x01c2
#define ZP_PE_MACHINE_ARM64	0xaa64
#define ZP_PE_MACHINE_RISCV64	0x5064

/* ------------------------------------------------------------------ */
/* Optional header ("Optional Header Standard Fields", "Windows-Specific
 * Fields"): PE32 and PE32+ differ in BaseOfData and the width of ImageBase
 * and the four stack/heap sizes; the data directories follow. */

#define ZP_PE_OPT_MAGIC_PE32		0x10b
#define ZP_PE_OPT_MAGIC_PE32PLUS	0x20b

struct zp_pe_opt32 {
	uint16_t magic;
	uint8_t  major_linker_version, minor_linker_version;
	uint32_t size_of_code, size_of_initialized_data, size_of_uninitialized_data;
	uint32_t address_of_entry_point;
	uint32_t base_of_code;
	uint32_t base_of_data;			/* PE32 only */
	uint32_t image_base;
	uint32_t section_alignment, file_alignment;
	uint16_t major_os_version, minor_os_version;
	uint16_t major_image_version, minor_image_version;
	uint16_t major_subsystem_version, minor_subsystem_version;
	uint32_t win32_version_value;
	uint32_t size_of_image, size_of_headers, checksum;
	uint16_t subsystem, dll_characteristics;
	uint32_t size_of_stack_reserve, size_of_stack_commit;
	uint32_t size_of_heap_reserve, size_of_heap_commit;
	uint32_t loader_flags;
	uint32_t number_of_rva_and_sizes;
	/* data directories follow */
} ZP_PACKED;
_Static_assert(sizeof(struct zp_pe_opt32) == 96, "PE32 optional header size");
ZP_PIN(struct zp_pe_opt32, address_of_entry_point, 16);
ZP_PIN(struct zp_pe_opt32, image_base, 28);
ZP_PIN(struct zp_pe_opt32, section_alignment, 32);
ZP_PIN(struct zp_pe_opt32, file_alignment, 36);
ZP_PIN(struct zp_pe_opt32, major_image_version, 44);
ZP_PIN(struct zp_pe_opt32, size_of_image, 56);
ZP_PIN(struct zp_pe_opt32, size_of_headers, 60);
ZP_PIN(struct zp_pe_opt32, subsystem, 68);
ZP_PIN(struct zp_pe_opt32, number_of_rva_and_sizes, 92);

struct zp_pe_opt64 {
	uint16_t magic;
	uint8_t  major_linker_version, minor_linker_version;
	uint32_t size_of_code, size_of_initialized_data, size_of_uninitialized_data;
	uint32_t address_of_entry_point;
	uint32_t base_of_code;
	uint64_t image_base;
	uint32_t section_alignment, file_alignment;
	uint16_t major_os_version, minor_os_version;
	uint16_t major_image_version, minor_image_version;
	uint16_t major_subsystem_version, minor_subsystem_version;
	uint32_t win32_version_value;
	uint32_t size_of_image, size_of_headers, checksum;
	uint16_t subsystem, dll_characteristics;
	uint64_t size_of_stack_reserve, size_of_stack_commit;
	uint64_t size_of_heap_reserve, size_of_heap_commit;
	uint32_t loader_flags;
	uint32_t number_of_rva_and_sizes;
	/* data directories follow */
} ZP_PACKED;
_Static_assert(sizeof(struct zp_pe_opt64) == 112, "PE32+ optional header size");
ZP_PIN(struct zp_pe_opt64, address_of_entry_point, 16);
ZP_PIN(struct zp_pe_opt64, image_base, 24);
ZP_PIN(struct zp_pe_opt64, section_alignment, 32);
ZP_PIN(struct zp_pe_opt64, file_alignment, 36);
ZP_PIN(struct zp_pe_opt64, major_image_version, 44);
ZP_PIN(struct zp_pe_opt64, size_of_image, 56);
ZP_PIN(struct zp_pe_opt64, size_of_headers, 60);
ZP_PIN(struct zp_pe_opt64, subsystem, 68);
ZP_PIN(struct zp_pe_opt64, number_of_rva_and_sizes, 108);

struct zp_pe_data_dir {
	uint32_t virtual_address, size;
} ZP_PACKED;
_Static_assert(sizeof(struct zp_pe_data_dir) == 8, "PE data directory size");

/* Data directory 4, the certificate table (Authenticode), is the one
 * whose "virtual address" is a file offset. */
#define ZP_PE_DIR_SECURITY	4

/* subsystem */
#define ZP_PE_SUBSYSTEM_EFI_APPLICATION	10

/* ------------------------------------------------------------------ */
/* Section table: number_of_sections entries right after the optional
 * header (at e_lfanew + 4 + 20 + size_of_optional_header). */

#define ZP_PE_SECTION_NAME_LEN	8	/* NUL-padded; not terminated when 8 long */
#define ZP_PE_MAX_SECTIONS	96	/* "the Windows loader limits the number of
					   sections to 96"; systemd-stub's limit too */

struct zp_pe_section_header {
	char     name[ZP_PE_SECTION_NAME_LEN];
	uint32_t virtual_size;
	uint32_t virtual_address;		/* RVA: from the image base */
	uint32_t size_of_raw_data;		/* bytes in the file, FileAlignment-rounded */
	uint32_t pointer_to_raw_data;		/* file offset */
	uint32_t pointer_to_relocations;
	uint32_t pointer_to_linenumbers;
	uint16_t number_of_relocations;
	uint16_t number_of_linenumbers;
	uint32_t characteristics;
} ZP_PACKED;
_Static_assert(sizeof(struct zp_pe_section_header) == 40, "PE section header size");
ZP_PIN(struct zp_pe_section_header, virtual_size, 8);
ZP_PIN(struct zp_pe_section_header, virtual_address, 12);
ZP_PIN(struct zp_pe_section_header, size_of_raw_data, 16);
ZP_PIN(struct zp_pe_section_header, pointer_to_raw_data, 20);
ZP_PIN(struct zp_pe_section_header, characteristics, 36);

/* characteristics */
#define ZP_PE_SCN_CNT_CODE		0x00000020u
#define ZP_PE_SCN_CNT_INITIALIZED_DATA	0x00000040u
#define ZP_PE_SCN_CNT_UNINITIALIZED	0x00000080u
#define ZP_PE_SCN_MEM_DISCARDABLE	0x02000000u
#define ZP_PE_SCN_MEM_EXECUTE		0x20000000u
#define ZP_PE_SCN_MEM_READ		0x40000000u
#define ZP_PE_SCN_MEM_WRITE		0x80000000u

/* ------------------------------------------------------------------ */
/* The UKI's sections (UKI specification, "UKI Sections"; ukify's list) */

#define ZP_UKI_LINUX	".linux"	/* the kernel: a bzImage on x86 (required) */
#define ZP_UKI_OSREL	".osrel"	/* os-release(5) of the OS it belongs to */
#define ZP_UKI_CMDLINE	".cmdline"	/* the kernel command line */
#define ZP_UKI_INITRD	".initrd"	/* the initrd (concatenated cpio archives) */
#define ZP_UKI_UCODE	".ucode"	/* microcode cpio, placed before the initrd */
#define ZP_UKI_UNAME	".uname"	/* `uname -r` of the kernel */
#define ZP_UKI_SPLASH	".splash"	/* boot splash image (BMP) */
#define ZP_UKI_DTB	".dtb"		/* devicetree */
#define ZP_UKI_SBAT	".sbat"		/* SBAT revocation metadata (CSV) */
#define ZP_UKI_PCRSIG	".pcrsig"	/* signed expected TPM PCR 11 values (JSON) */
#define ZP_UKI_PCRPKEY	".pcrpkey"	/* the public key for .pcrsig (PEM) */
#define ZP_UKI_PROFILE	".profile"	/* starts a profile of a multi-profile UKI */

#endif /* ZEROPAGE_PE_H */
