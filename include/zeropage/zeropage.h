/* SPDX-License-Identifier: MIT */
/*
 * zeropage/zeropage.h - the libzeropage API.
 *
 * libzeropage is freestanding: no libc, no malloc, no global state.  Every
 * function works on caller-owned memory, reads untrusted bytes only through
 * bounds checks against the length it was given, and reports failure as a
 * negative ZP_E* code (zp_strerror() names it).  Functions that can say more
 * than a code take a `struct zp_diag`, a caller-owned buffer that receives a
 * one-line message with the numbers involved.
 *
 * The same sources are compiled into the host tools and into the PVH shim.
 *
 * Each function's comment ends with "returns:", the codes it can give (as
 * libfdt's do); a code not listed there is a bug.  Passing NULL where an
 * argument is required is ZP_EINVAL wherever it is listed.
 */
#ifndef ZEROPAGE_ZEROPAGE_H
#define ZEROPAGE_ZEROPAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zeropage/abi.h>
#include <zeropage/pe.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Errors */

enum zp_error {
	ZP_OK = 0,
	ZP_ETRUNCATED = -1,	/* input shorter than a header needs */
	ZP_EUNKNOWN = -2,	/* not a kernel image we know */
	ZP_EBADMAGIC = -3,	/* boot_flag / HdrS / ELF magic wrong (LToP: ZP_EKINFO) */
	ZP_EPROTOCOL = -4,	/* boot protocol version we do not support */
	ZP_ESETUP = -5,		/* setup_sects points past the end */
	ZP_EPAYLOAD = -6,	/* payload_offset/length point past the end */
	ZP_EOVERFLOW = -7,	/* offset + size arithmetic overflows */
	ZP_EELFCLASS = -8,	/* ELF class, data encoding or machine unsupported */
	ZP_EPHDR = -9,		/* program headers past the end or malformed */
	ZP_ESEGMENT = -10,	/* a segment's bytes lie past the end */
	ZP_ENOTE = -11,		/* a note runs past its segment */
	ZP_ENOTESIZE = -12,	/* a note's desc size lies (wrong for its type) */
	ZP_ETOOMANY = -13,	/* more segments/notes/entries than we hold */
	ZP_ECMDLINE = -14,	/* command line longer than cmdline_size */
	ZP_ENOSPACE = -15,	/* caller's buffer too small */
	ZP_EINVAL = -16,	/* invalid argument */
	ZP_ELAYOUT = -17,	/* placement violates the boot protocol (see diag) */
	ZP_ESTARTINFO = -18,	/* start_info magic, version or fields bad */
	ZP_ENOMEMMAP = -19,	/* start_info v0 without memory map */
	ZP_EBADADDR = -20,	/* a guest-physical address outside known memory */
	ZP_EENTRY = -21,	/* kernel cannot be entered this way */
	ZP_EKINFO = -22,	/* kernel_info points past the end or is malformed */
	ZP_EBUNDLE = -23,	/* zeropage bundle descriptor malformed */
	ZP_ERELOCS = -24,	/* KASLR relocation table malformed or out of the image */
	ZP_EPESIG = -25,	/* MZ header, but no "PE\0\0" where e_lfanew points */
	ZP_EPEHDR = -26,	/* PE/COFF optional header or section count malformed */
	ZP_EPESECTION = -27,	/* a PE section's file range lies past the end */
	ZP_EPEOVERLAP = -28,	/* PE sections overlap (in the file or in memory) */
	ZP_ENOTUKI = -29,	/* a PE/COFF image, but no .linux section: not a UKI */
	ZP_EUKIAMBIG = -30,	/* UKI sections systemd-stub versions would boot differently */
};
#define ZP_ELAST ZP_EUKIAMBIG	/* the lowest code: zp_strerror names every one above */

/* A static sentence for any int ("unknown error" outside the enum). */
const char *zp_strerror(int err);

/* A caller-owned buffer for a one-line diagnostic with numbers in it. */
struct zp_diag {
	char msg[192];
};

/* ------------------------------------------------------------------ */
/* Probing: what kind of image is this? */

enum zp_format {
	ZP_FORMAT_UNKNOWN = 0,
	ZP_FORMAT_BZIMAGE,
	ZP_FORMAT_ELF,
	ZP_FORMAT_UKI,		/* a PE/COFF Unified Kernel Image whose .linux is a bzImage */
};

enum zp_compression {
	ZP_COMP_NONE = 0,	/* no payload, or an uncompressed (ELF) one */
	ZP_COMP_GZIP,
	ZP_COMP_BZIP2,
	ZP_COMP_LZMA,
	ZP_COMP_XZ,
	ZP_COMP_LZO,
	ZP_COMP_LZ4,
	ZP_COMP_ZSTD,
	ZP_COMP_UNKNOWN,	/* a payload that matches no magic */
};
const char *zp_compression_name(enum zp_compression c);	/* "gzip", ..., "none" */
/* By magic: NONE for empty input or an ELF, UNKNOWN for bytes matching no
 * compressor.  lz4 means the legacy frame (02 21 4c 18) Linux uses. */
enum zp_compression zp_detect_compression(const void *buf, size_t len);

/* Entry points an image supports, as a bit set. */
enum zp_entry {
	ZP_ENTRY_REAL16 = 1u << 0,	/* 16-bit real-mode setup code */
	ZP_ENTRY_PROT32 = 1u << 1,	/* 32-bit protected mode (code32_start) */
	ZP_ENTRY_LONG64 = 1u << 2,	/* 64-bit at load address + 0x200 */
	ZP_ENTRY_EFI32 = 1u << 3,	/* EFI handover, 32-bit */
	ZP_ENTRY_EFI64 = 1u << 4,	/* EFI handover, 64-bit */
	ZP_ENTRY_PVH = 1u << 5,		/* XEN_ELFNOTE_PHYS32_ENTRY */
};
const char *zp_entry_name(enum zp_entry e);	/* "real16", "prot32", ... */

/* A probed bzImage.  Pointers point into the caller's buffer. */
struct zp_bzimage {
	const uint8_t *image;
	size_t image_len;
	uint16_t protocol;		/* e.g. 0x020f */
	struct zp_setup_header hdr;	/* as in the image; fields past the
					   header's own length read as zero */
	size_t hdr_len;			/* bytes of header the image has, from 0x1f1 */
	unsigned setup_sects;		/* with 0 already turned into 4 */
	size_t setup_size;		/* (setup_sects + 1) * 512: real-mode part */
	size_t pm_offset, pm_size;	/* protected-mode code in the file */
	bool has_payload;		/* protocol 2.08+ */
	size_t payload_offset;		/* in the file */
	size_t payload_size;
	enum zp_compression compression;
	char version[128];		/* kernel_version string, "" if none */
	uint32_t entries;		/* ZP_ENTRY_* bits */
	bool has_pe_header;		/* the EFI stub's PE/COFF header: UEFI can LoadImage it */
	bool relocatable;
	uint64_t pref_address;		/* 0x100000 for protocols without it */
	uint32_t kernel_alignment;
	uint32_t init_size;		/* 0 when the protocol has no init_size */
	uint32_t cmdline_size;		/* 255 before 2.06 */
	uint32_t initrd_addr_max;	/* 0x37ffffff before 2.03 */
	/* The placement rules every loader of ours follows, derived here once
	 * (zp_probe_bzimage*) from the fields above and boot.rst: */
	uint64_t room;			/* bytes from where it runs: max(init_size, pm_size) */
	uint64_t load_align;		/* where a loader puts it: kernel_alignment, 2 MiB
					   (CONFIG_PHYSICAL_ALIGN's default) when 0; 0 when
					   not a power of two (no address is aligned) */
	uint64_t min_align;		/* the least it boots at: 1 << min_alignment for a
					   relocatable 2.10+ kernel that sets it, else
					   kernel_alignment (0: none) */
	bool above_4g;			/* XLF_CAN_BE_LOADED_ABOVE_4G (2.12+): kernel, zero
					   page, command line and initrd may lie above 4 GiB */
	uint64_t initrd_max;		/* the initrd's last byte at most: initrd_addr_max,
					   or 2^64 - 1 with above_4g */
	bool has_kernel_info;
	struct zp_kernel_info kernel_info;
};

/* The whole bzImage: the header (as zp_probe_bzimage_header), the payload
 * and kernel_info.
 * returns: ZP_OK; the codes of zp_probe_bzimage_header; ZP_EOVERFLOW when
 * payload_offset + payload_length (or kernel_info_offset) wraps,
 * ZP_EPAYLOAD when the payload runs past len, ZP_EKINFO when kernel_info
 * runs past len or lacks its magic and sizes. */
int zp_probe_bzimage(const void *buf, size_t len, struct zp_bzimage *out);

/* Only the setup part (at least (setup_sects + 1) * 512 bytes): everything
 * above except the payload and kernel_info, which lie in the protected-mode
 * code.  For a loader that carries the kernel already decompressed (the
 * shim's vmlinux entry) and needs the header for the zero page.
 * returns: ZP_OK; ZP_EINVAL (NULL); ZP_ETRUNCATED when len ends before the
 * header's `version`; ZP_EBADMAGIC without boot_flag 0xaa55 and "HdrS";
 * ZP_EPROTOCOL below 2.00; ZP_ESETUP when setup_sects point past len. */
int zp_probe_bzimage_header(const void *buf, size_t len, struct zp_bzimage *out);

/* Whether a bzImage is Linux, from evidence in the image.  Other programs
 * use the x86 boot protocol too (memtest86+, iPXE's .lkrn): a loader
 * boots them alike, but nothing Linux-only (a decompressor's KASLR, a
 * vmlinux, an init that reports) can be expected of them.
 *   ZP_LINUX_VERSION: the setup header's kernel_version string has the form
 *     Linux writes (arch/x86/boot/version.c: UTS_RELEASE " (" user "@" host
 *     ") " UTS_VERSION, and the same in setup.S before 2.6.23);
 *   ZP_LINUX_PAYLOAD: no version string, but a payload (2.08+) that is an
 *     ELF or a stream of a compressor Linux uses, as Linux's compressed
 *     vmlinux is (only zp_probe_bzimage sees the payload);
 *   ZP_NOT_LINUX_VERSION: a version string not of that form ("Memtest86+
 *     v6.10"): Linux always writes one of its form;
 *   ZP_NOT_LINUX_NO_EVIDENCE: neither a version string nor such a payload. */
enum zp_linux_evidence {
	ZP_LINUX_VERSION = 0,
	ZP_LINUX_PAYLOAD,
	ZP_NOT_LINUX_VERSION,
	ZP_NOT_LINUX_NO_EVIDENCE,	/* bzImage or ELF: none of the evidence */
	ZP_LINUX_GUEST_OS,		/* ELF: see zp_elf_linux_evidence */
	ZP_LINUX_NOTE,
	ZP_NOT_LINUX_GUEST_OS,
};
enum zp_linux_evidence zp_bzimage_linux_evidence(const struct zp_bzimage *bz);
bool zp_bzimage_is_linux(const struct zp_bzimage *bz);	/* evidence ZP_LINUX_* */
/* True when s (NUL-terminated) has the form of Linux's kernel_version. */
bool zp_is_linux_version_string(const char *s);
/* True for the ZP_LINUX_* values, false for the ZP_NOT_LINUX_* ones. */
bool zp_linux_evidence_is_linux(enum zp_linux_evidence e);
/* "version", "payload", "version", "none", "guest_os", "linux_note",
 * "guest_os": the evidence's key word (JSON). */
const char *zp_linux_evidence_name(enum zp_linux_evidence e);

#define ZP_ELF_MAX_SEGMENTS	32
#define ZP_ELF_MAX_NOTES	64

struct zp_elf_segment {
	uint32_t type;			/* PT_LOAD / PT_NOTE / ... */
	uint32_t flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct zp_elf_note {
	char name[16];			/* NUL-terminated, truncated if longer */
	uint32_t type;
	const uint8_t *desc;		/* into the caller's buffer */
	uint32_t desc_len;
	bool has_value;			/* desc is a 4- or 8-byte number */
	uint64_t value;
};

struct zp_elf {
	int elf_class;			/* 32 or 64 */
	uint16_t machine;		/* EM_386 or EM_X86_64 */
	uint64_t entry;			/* e_entry */
	unsigned nsegments;		/* all program headers, PT_LOAD and others */
	struct zp_elf_segment segments[ZP_ELF_MAX_SEGMENTS];
	unsigned nnotes;		/* notes from every PT_NOTE segment */
	struct zp_elf_note notes[ZP_ELF_MAX_NOTES];
	bool has_pvh;
	uint64_t pvh_entry;		/* XEN_ELFNOTE_PHYS32_ENTRY */
	uint32_t entries;		/* ZP_ENTRY_PVH and/or ZP_ENTRY_LONG64 */
};

/* ELF32/ELF64, its program headers and every note of its PT_NOTEs.
 * returns: ZP_OK; ZP_EINVAL (NULL); ZP_ETRUNCATED when len ends inside the
 * ELF header; ZP_EBADMAGIC without "\177ELF"; ZP_EELFCLASS for a class,
 * byte order or machine we do not read; ZP_EPHDR for no program
 * headers or a table past len; ZP_ETOOMANY beyond ZP_ELF_MAX_SEGMENTS or
 * ZP_ELF_MAX_NOTES; ZP_EOVERFLOW when an offset + size wraps; ZP_ESEGMENT
 * for a segment's bytes past len; ZP_ENOTE for a note past its segment;
 * ZP_ENOTESIZE for a Xen address note whose desc is not 4 or 8 bytes. */
int zp_probe_elf(const void *buf, size_t len, struct zp_elf *out);

/* The ELF note of type `type` with name `name`, or NULL. */
const struct zp_elf_note *zp_elf_find_note(const struct zp_elf *elf,
					   const char *name, uint32_t type);
const char *zp_xen_note_name(uint32_t type);	/* "PHYS32_ENTRY", ... or NULL */

/* Whether an ELF kernel (a vmlinux, any PVH ELF) is Linux, from its notes
 * (zp_probe_elf collects them).  PVH is a format any kernel can use
 * (unikernels, test kernels); nothing Linux-only (an init that reports)
 * can be expected of the others.
 *   ZP_LINUX_GUEST_OS: a Xen GUEST_OS note (public/elfnote.h, type 6) that
 *     says "linux", as arch/x86/xen/xen-head.S writes it (CONFIG_XEN);
 *   ZP_LINUX_NOTE: no GUEST_OS note, but a note named "Linux": every
 *     vmlinux since 4.18 has LINUX_ELFNOTE_BUILD_SALT (0x100,
 *     include/linux/build-salt.h, even with an empty salt), later ones
 *     LINUX_ELFNOTE_LTO_INFO (0x101) too (abi.h);
 *   ZP_NOT_LINUX_GUEST_OS: a GUEST_OS note naming another system
 *     ("Mini-OS", "NetBSD"): the image says what it is;
 *   ZP_NOT_LINUX_NO_EVIDENCE: neither (zp_elf_find_note finds the notes
 *     a caller wants to quote). */
enum zp_linux_evidence zp_elf_linux_evidence(const struct zp_elf *elf);
bool zp_elf_is_linux(const struct zp_elf *elf);	/* evidence ZP_LINUX_* */

/* The byte after every part of an ELF64 file that its headers account for:
 * the ELF header, the program and section header tables, each segment's
 * and each section's file bytes.  What a build appended to the file (the
 * kernel's relocation table after its vmlinux) starts there.
 * returns: ZP_OK; ZP_EINVAL (NULL); ZP_ETRUNCATED (no whole ELF64 header);
 * ZP_EBADMAGIC; ZP_EELFCLASS (not ELF64 little-endian, or header entries
 * too small); ZP_EPHDR when the program or section header table lies past
 * len; ZP_ESEGMENT when a segment's or section's bytes do; ZP_EOVERFLOW
 * when an offset + size wraps. */
int zp_elf_file_end(const void *buf, size_t len, uint64_t *end);

/* ------------------------------------------------------------------ */
/* PE/COFF images (lib/pe.c) and Unified Kernel Images (lib/uki.c).
 * The on-disk structures and the UKI's section names are in pe.h. */

struct zp_pe_section {
	char name[ZP_PE_SECTION_NAME_LEN + 1];	/* NUL-terminated */
	uint32_t vaddr, vsize;		/* VirtualAddress (RVA), VirtualSize */
	uint32_t offset, raw_size;	/* PointerToRawData, SizeOfRawData */
	uint32_t size;			/* its data: min(vsize, raw_size), or raw_size
					   when vsize is 0 (what a PE loader copies) */
	uint32_t characteristics;
};

/* A probed PE/COFF image.  Every section's raw data lies inside the file,
 * and no two sections overlap, in the file or in memory. */
struct zp_pe {
	const uint8_t *image;
	size_t image_len;
	uint32_t pe_offset;		/* e_lfanew: the "PE\0\0" signature */
	uint16_t machine;		/* ZP_PE_MACHINE_* */
	uint16_t characteristics;	/* COFF header's */
	uint16_t opt_magic;		/* ZP_PE_OPT_MAGIC_PE32 or _PE32PLUS */
	uint16_t subsystem;		/* 10: EFI application */
	uint32_t entry;			/* AddressOfEntryPoint (RVA) */
	uint64_t image_base;
	uint32_t section_alignment, file_alignment;
	uint32_t size_of_image, size_of_headers;
	uint16_t major_image_version, minor_image_version;
	uint32_t cert_offset, cert_size;	/* Authenticode certificate table; 0/0: unsigned */
	size_t headers_end;		/* the end of the section table in the file */
	unsigned nsections;
	struct zp_pe_section sections[ZP_PE_MAX_SECTIONS];
};

/* MZ, "PE\0\0" at e_lfanew, the COFF and optional headers (PE32 or PE32+)
 * and the section table.  ZP_ETRUNCATED when the file ends inside them,
 * ZP_EBADMAGIC without "MZ", ZP_EPESIG without the signature, ZP_EPEHDR for
 * an optional header of an unknown magic or too small for it, no sections,
 * ZP_ETOOMANY beyond ZP_PE_MAX_SECTIONS, ZP_EPESECTION for a section whose
 * raw data runs past the end, ZP_EPEOVERLAP for sections that overlap each
 * other or the headers.  diag (may be NULL) says which, with the numbers.
 * returns: ZP_OK; ZP_EINVAL (NULL); ZP_ETRUNCATED (also for a certificate
 * table past the end); ZP_EBADMAGIC; ZP_EPESIG; ZP_EPEHDR; ZP_ETOOMANY;
 * ZP_EPESECTION; ZP_EPEOVERLAP, each as above. */
int zp_probe_pe(const void *buf, size_t len, struct zp_pe *out, struct zp_diag *diag);

/* The first section named exactly `name` (".linux"), or NULL. */
const struct zp_pe_section *zp_pe_find_section(const struct zp_pe *pe, const char *name);
const char *zp_pe_machine_name(uint16_t machine);	/* "x86-64", "i386", ..., "unknown" */

/* One UKI section's bytes, inside the probed image; data NULL when absent. */
struct zp_uki_part {
	const uint8_t *data;
	size_t offset, size;		/* in the file */
};

/* The sections systemd-stub acts on, as it boots them by default: in a
 * multi-profile UKI (.profile sections) profile 0's over the base's. */
struct zp_uki {
	struct zp_uki_part kernel;	/* .linux (always there) */
	struct zp_uki_part initrd, ucode, cmdline, osrel, uname;
	struct zp_uki_part splash, dtb, sbat, pcrsig, pcrpkey;
	unsigned profiles;		/* how many .profile sections */
};

/* The UKI's parts of a probed PE.
 * returns: ZP_OK; ZP_EINVAL (NULL); ZP_ENOTUKI (naming the sections it has)
 * when there is no .linux or it is empty; ZP_EUKIAMBIG (naming the section
 * each would boot) when systemd-stub up to v256 (last section whose name
 * starts with the part's, whole table) and from v257 (first named exactly
 * so, profile 0 over the base) would take different sections for a part.
 * A section whose VirtualSize is 0 is absent, as for both. */
int zp_uki_parts(const struct zp_pe *pe, struct zp_uki *out, struct zp_diag *diag);

/* A text section (.cmdline, .uname) as systemd-stub reads it: up to its
 * first NUL, every control character a space, no leading or trailing
 * whitespace.  Writes at most cap bytes with the NUL.
 * returns: the length (>= 0); ZP_EINVAL (NULL part or out, or cap 0);
 * ZP_ENOSPACE when it does not fit (size + 1 always does). */
int zp_uki_text(const struct zp_uki_part *part, char *out, size_t cap);

/* os-release(5) assignments, one at a time: comment, blank and malformed
 * lines are skipped; a quoted value loses its quotes and, in double quotes,
 * its backslash escapes.  A NUL ends the text (section padding). */
struct zp_osrel_iter {
	const uint8_t *p, *end;
};
void zp_osrel_begin(struct zp_osrel_iter *it, const void *buf, size_t len);
/* The next KEY and its value (each truncated to its buffer, and
 * NUL-terminated).
 * returns: 1 with one; 0 at the end; ZP_EINVAL (NULL, or a buffer of 0). */
int zp_osrel_next(struct zp_osrel_iter *it, char *key, size_t key_cap, char *value,
		  size_t value_cap);

struct zp_image {
	enum zp_format format;
	union {
		struct zp_bzimage bz;
		struct zp_elf elf;
		/* ZP_FORMAT_UKI.  Its first member is the embedded kernel, so
		 * u.bz reads it for a UKI too: code written for a bzImage's
		 * header (version, entries, pref_address) sees the kernel
		 * the UKI boots, and its image pointer is the .linux data. */
		struct {
			struct zp_bzimage bz;	/* .linux, probed */
			struct zp_pe pe;
			struct zp_uki parts;
		} uki;
	} u;
};

/* ELF by its magic; else bzImage (boot_flag and "HdrS": a bzImage with the
 * EFI stub starts with "MZ" too, and is a bzImage first); else a PE/COFF
 * image ("MZ" and "PE\0\0"), which must be a UKI whose .linux is a bzImage;
 * ZP_EUNKNOWN for anything else.  Once the magics identify a format, that
 * format's specific error is returned (for a UKI, the PE's, ZP_ENOTUKI, or
 * that of its .linux as a bzImage).
 * returns: ZP_OK; ZP_EINVAL (NULL); ZP_EUNKNOWN; or the codes of
 * zp_probe_elf, zp_probe_bzimage, zp_probe_pe and zp_uki_parts. */
int zp_probe(const void *buf, size_t len, struct zp_image *out);

/* Which format's magics buf carries, in zp_probe's order (ELF; a bzImage's
 * boot_flag and "HdrS", or a boot_flag with a header cut short; "MZ" and
 * "PE\0\0"): the format whose specific error zp_probe returns, or
 * ZP_FORMAT_UNKNOWN for ZP_EUNKNOWN. */
enum zp_format zp_identify(const void *buf, size_t len);

/* ------------------------------------------------------------------ */
/* Guest memory: a window of guest-physical memory the core may read.
 * On the host it is a buffer; in the shim it is RAM itself (base = 0). */

struct zp_guest_mem {
	const uint8_t *base;		/* host pointer for guest address `paddr` */
	uint64_t paddr;
	uint64_t size;
};

/* Pointer to [addr, addr+len) if wholly inside mem, else NULL. */
const void *zp_guest_ptr(const struct zp_guest_mem *mem, uint64_t addr, uint64_t len);

/* ------------------------------------------------------------------ */
/* e820 helpers */

struct zp_e820_map {
	struct zp_e820_entry *entries;	/* caller's array */
	uint32_t count;
	uint32_t capacity;
};

/* Mark [addr, addr+size) as `type`, splitting and trimming entries so that
 * the map stays sorted and non-overlapping (size 0 changes nothing).
 * returns: ZP_OK; ZP_EINVAL (NULL map, or entries NULL with a capacity);
 * ZP_EOVERFLOW when addr + size wraps; ZP_ENOSPACE when the result may not
 * fit the map's capacity (the map is then unchanged). */
int zp_e820_set(struct zp_e820_map *map, uint64_t addr, uint64_t size, uint32_t type);

/* Sort by address and merge adjacent entries of one type. */
void zp_e820_normalise(struct zp_e820_map *map);

/* True when [addr, addr+size) lies entirely in entries of type RAM. */
bool zp_e820_is_ram(const struct zp_e820_map *map, uint64_t addr, uint64_t size);

/* A memory map the hypervisor handed over as raw bytes, e.g. the result of
 * Xen's XENMEM_memory_map: `nr_entries` packed 20-byte e820 entries (u64
 * addr, u64 size, u32 type) at buf, of which buf_len bytes are readable.
 * Validated and sorted into *map: an empty map (no entries, or none with a
 * size), one without RAM (ZP_ENOMEMMAP), more than ZP_HV_E820_MAX entries
 * (ZP_ETOOMANY), a count the buffer cannot hold (ZP_ETRUNCATED), more than
 * map->capacity (ZP_ENOSPACE) and an entry that wraps past 2^64
 * (ZP_EOVERFLOW) are refused, with the numbers in diag.
 * returns: ZP_OK; ZP_EINVAL (NULL buffer or map); ZP_ENOMEMMAP;
 * ZP_ETOOMANY; ZP_ETRUNCATED; ZP_ENOSPACE; ZP_EOVERFLOW, as above. */
#define ZP_HV_E820_MAX		1024	/* Xen's own E820MAX */
int zp_e820_from_hypervisor(const void *buf, size_t buf_len, uint32_t nr_entries,
			    struct zp_e820_map *map, struct zp_diag *diag);

/* ------------------------------------------------------------------ */
/* Builder: the zero page for a bzImage */

struct zp_boot_config {
	const struct zp_e820_entry *e820;	/* the memory map to hand over */
	uint32_t e820_count;
	const char *cmdline;			/* NUL-terminated, may be NULL */
	uint64_t cmdline_addr;			/* where the loader put it */
	uint64_t initrd_addr, initrd_size;	/* 0/0 for none */
	uint64_t rsdp_addr;			/* ACPI RSDP, 0 for none */
	uint64_t kernel_addr;			/* load address of protected-mode code */
	const uint8_t *rng_seed;		/* optional SETUP_RNG_SEED bytes */
	uint32_t rng_seed_len;
	uint8_t type_of_loader;			/* 0 means ZP_LOADER_UNDEFINED */
	uint32_t hardware_subarch;		/* ZP_SUBARCH_* */
	uint64_t hardware_subarch_data;
	/* setup_data nodes (E820_EXT, RNG_SEED) are written into this buffer,
	 * which the loader places at guest address setup_data_addr. */
	uint8_t *setup_data_buf;
	size_t setup_data_cap;
	uint64_t setup_data_addr;
};

/* Fills *bp; *setup_data_len receives the bytes used in setup_data_buf
 * (0 when no node was needed).
 * returns: ZP_OK; ZP_EINVAL (NULL; e820_count without entries; a
 * setup_data node needed but setup_data_addr 0 or wrapping); ZP_ECMDLINE
 * when the command line is longer than the kernel's cmdline_size;
 * ZP_EPROTOCOL when the header is too old for cmd_line_ptr (2.02),
 * hardware_subarch (2.07) or SETUP_RNG_SEED (2.09); ZP_ETOOMANY for more
 * than 128 e820 entries before 2.09; ZP_ENOSPACE when the setup_data nodes
 * do not fit setup_data_cap; ZP_EOVERFLOW for a node over 4 GiB. */
int zp_build_boot_params(const struct zp_bzimage *bz, const struct zp_boot_config *cfg,
			 struct zp_boot_params *bp, size_t *setup_data_len,
			 struct zp_diag *diag);

/* ------------------------------------------------------------------ */
/* The EFI handover protocol (boot.rst, "EFI Handover Protocol
 * (deprecated)"): a loader running as an EFI application loads the
 * kernel's protected-mode code and jumps, without ExitBootServices, to the
 * entry handover_offset bytes from startup_32 (32-bit firmware) or from
 * startup_64, 0x200 further (64-bit firmware), with the image handle, the
 * system table and a zero page it allocated. */
struct zp_handover_plan {
	uint64_t entry_offset;		/* the entry, from where the protected-mode code lies */
	uint64_t room;			/* bytes to reserve there: the file's part, then zeroes */
	uint64_t align;			/* kernel_alignment (load_align); 0: none */
	uint64_t pref_address;		/* where the kernel would rather run */
	uint64_t initrd_max;		/* the initrd's last byte at most, below 4 GiB */
	uint32_t cmdline_max;		/* the command line's bytes at most (cmdline_size) */
};

/* Whether firmware of firmware_bits (32 or 64) can enter bz by the
 * handover, and how.  The header must say so: protocol 2.11+ with a
 * handover_offset (kernels built without CONFIG_EFI_HANDOVER_PROTOCOL have
 * none) and XLF_EFI_HANDOVER_64 or _32 for the firmware's width (2.12+).
 * returns: ZP_OK; ZP_EINVAL (NULL, or bits neither 32 nor 64); ZP_EENTRY
 * with the reason in diag. */
int zp_efi_handover_plan(const struct zp_bzimage *bz, unsigned firmware_bits,
			 struct zp_handover_plan *out, struct zp_diag *diag);

/* ------------------------------------------------------------------ */
/* Builder: a PVH hvm_start_info */

struct zp_pvh_module {
	uint64_t paddr, size;
	uint64_t cmdline_paddr;
};

struct zp_pvh_config {
	uint32_t version;			/* 0 or 1 */
	uint32_t flags;
	const char *cmdline;			/* copied into the blob, may be NULL */
	uint64_t rsdp_paddr;
	const struct zp_pvh_module *modules;
	uint32_t nr_modules;
	const struct zp_hvm_memmap_table_entry *memmap;	/* v1 only */
	uint32_t memmap_entries;
};

/* Writes start_info, modlist, memmap and cmdline contiguously into buf,
 * which will sit at guest address buf_paddr.  *used receives its size.
 * returns: ZP_OK; ZP_EINVAL (NULL cfg or buf, version above 1, counts
 * without arrays, a memmap with version 0); ZP_ETOOMANY beyond
 * ZP_PVH_MAX_MODULES or ZP_PVH_MAX_MEMMAP; ZP_ENOSPACE when it does not
 * fit cap; ZP_EOVERFLOW when buf_paddr + its size wraps. */
int zp_build_start_info(const struct zp_pvh_config *cfg, void *buf, size_t cap,
			uint64_t buf_paddr, size_t *used);

/* ------------------------------------------------------------------ */
/* Reading a start_info: validation and translation to boot_params */

/* A start_info validated against guest memory: magic, version, counts,
 * and every structure it names inside `mem`.  Modules are the exception:
 * their bytes are the kernel's to read, so they may lie anywhere (above
 * 4 GiB too) and only must not wrap; check them against the memory map. */
struct zp_pvh_info {
	uint64_t paddr;				/* of the start_info itself */
	uint32_t version, flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;			/* 0 for none */
	uint64_t cmdline_len;			/* without the NUL */
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;			/* 0 for v0 */
	uint32_t memmap_entries;
	uint64_t blob_end;			/* highest byte any of it uses + 1 */
};

#define ZP_PVH_MAX_MODULES	64
#define ZP_PVH_MAX_MEMMAP	1024
#define ZP_PVH_MAX_CMDLINE	(1u << 20)

/* returns: ZP_OK; ZP_EINVAL (NULL mem or out); ZP_EBADADDR when the
 * start_info, modlist, memmap or a command line lies outside mem (or a
 * command line has no NUL inside it); ZP_EOVERFLOW when one of those
 * ranges, or a module's, wraps; ZP_ESTARTINFO for a wrong magic;
 * ZP_ETOOMANY beyond ZP_PVH_MAX_MODULES or ZP_PVH_MAX_MEMMAP; ZP_ECMDLINE
 * for a command line longer than ZP_PVH_MAX_CMDLINE. */
int zp_pvh_parse(const struct zp_guest_mem *mem, uint64_t si_paddr,
		 struct zp_pvh_info *out, struct zp_diag *diag);

/* Module `idx` (its entry inside mem; its bytes anywhere, not wrapping).
 * returns: ZP_OK; ZP_EINVAL (NULL, or idx >= nr_modules); ZP_EBADADDR
 * when its entry is outside mem; ZP_EOVERFLOW when paddr + size wraps. */
int zp_pvh_module(const struct zp_guest_mem *mem, const struct zp_pvh_info *si,
		  uint32_t idx, struct zp_pvh_module *out);

/* The v1 memmap as e820 (types map 1:1; DISABLED becomes UNUSABLE),
 * sorted and merged (zp_e820_normalise).
 * returns: ZP_OK; ZP_EINVAL (NULL); ZP_ENOMEMMAP for v0 or no entries;
 * ZP_ENOSPACE beyond map->capacity; ZP_EBADADDR when the memmap is
 * outside mem; ZP_EOVERFLOW for an entry that wraps (Linux would discard
 * the whole map). */
int zp_pvh_memmap_to_e820(const struct zp_guest_mem *mem, const struct zp_pvh_info *si,
			  struct zp_e820_map *map);

/* Which memory map a PVH boot hands the kernel (zp_start_info_to_boot_params
 * decides it as Linux's own PVH entry does). */
enum zp_memmap_source {
	ZP_MEMMAP_START_INFO = 0,		/* start_info v1 memmap */
	ZP_MEMMAP_HYPERVISOR,			/* hv_e820 (Xen's hypercall) */
};

enum zp_handoff {
	ZP_HANDOFF_NATIVE = 0,	/* plain zero page */
	ZP_HANDOFF_SUBARCH,	/* also hardware_subarch(_data) -> start_info */
};

struct zp_translate_opts {
	enum zp_handoff handoff;
	bool on_xen;			/* subarch XEN rather than PC */
	uint64_t start_info_copy;	/* paddr of the preserved start_info (subarch) */
	uint64_t kernel_addr;
	const char *cmdline;		/* final command line (bundled + appended) */
	uint64_t cmdline_addr;
	/* The initrd: the caller's own (size != 0) wins; else the loader's
	 * module 0; else the fallback (the shim's bundled one), if any. */
	uint64_t initrd_addr, initrd_size;
	uint64_t fallback_initrd_addr, fallback_initrd_size;
	/* The hypervisor's memory map, raw (zp_e820_from_hypervisor): used
	 * only when the start_info has none (v0, or v1 with 0 entries), as
	 * under Xen, where it comes from XENMEM_memory_map.  NULL for none. */
	const void *hv_e820;
	size_t hv_e820_len;		/* bytes readable at hv_e820 */
	uint32_t hv_e820_entries;	/* entries the hypervisor says it wrote */
	long hv_error;			/* the hypercall's error, when it failed: for the message */
	const struct zp_e820_entry *extra_reserved;	/* ranges to mark reserved */
	uint32_t nr_extra_reserved;
	struct zp_e820_entry *e820_scratch;	/* working space for the map */
	uint32_t e820_scratch_cap;
	uint8_t *setup_data_buf;
	size_t setup_data_cap;
	uint64_t setup_data_addr;
};

/* start_info -> boot_params: the translation a PVH stub performs, and the
 * very one the shim's zp_shim_plan runs.  The memory map is the
 * start_info's v1 memmap, else the hypervisor's (hv_e820), else there is
 * none, as Linux's own PVH entry decides (init_pvh_bootparams); it is
 * checked and sorted in e820_scratch, then handed over in Linux's own
 * form: the loader's entries as given, the ISA range 640 KiB-1 MiB and
 * extra_reserved, reserved.
 * returns: ZP_OK; ZP_EINVAL (NULL; nr_extra_reserved without ranges);
 * ZP_ENOMEMMAP when there is no map (diag says which and, on Xen, the
 * hypercall's error), or the hypervisor's has no RAM or no entries;
 * ZP_ENOSPACE when the map does not fit e820_scratch_cap; ZP_EBADADDR when
 * the memmap or module 0's entry is unreadable; ZP_EOVERFLOW for a map
 * entry or module 0 that wraps; ZP_ETOOMANY, ZP_ETRUNCATED for a
 * hypervisor map of more entries than ZP_HV_E820_MAX or its buffer holds;
 * and the codes of zp_build_boot_params. */
int zp_start_info_to_boot_params(const struct zp_guest_mem *mem, const struct zp_pvh_info *si,
				 const struct zp_bzimage *bz, const struct zp_translate_opts *opts,
				 struct zp_boot_params *bp, size_t *setup_data_len,
				 struct zp_diag *diag);

/* ------------------------------------------------------------------ */
/* Layout check */

struct zp_layout {
	uint64_t kernel_addr;		/* protected-mode code load address */
	uint64_t zero_page_addr;	/* 0 if not placed yet */
	uint64_t cmdline_addr, cmdline_len;	/* len without NUL */
	uint64_t initrd_addr, initrd_size;
	uint64_t setup_data_addr, setup_data_len;
};

/* Kernel aligned to kernel_alignment (or min_alignment when relocatable),
 * at pref_address when not relocatable, with init_size room from
 * max(kernel_addr, pref_address) (where the decompressor really runs);
 * initrd under initrd_addr_max, and kernel, zero page and command line below
 * 4 GiB, unless XLF_CAN_BE_LOADED_ABOVE_4G; command line within
 * cmdline_size; nothing overlapping; all inside RAM.  The rules are the
 * probe's (struct zp_bzimage: min_align, room, above_4g, initrd_max).
 * returns: ZP_OK; ZP_EINVAL (NULL bz or layout, or a count without a
 * map); ZP_ELAYOUT naming the first rule broken. */
int zp_check_layout(const struct zp_bzimage *bz, const struct zp_e820_entry *e820,
		    uint32_t e820_count, const struct zp_layout *layout,
		    struct zp_diag *diag);

/* ------------------------------------------------------------------ */
/* KASLR: the kernel's relocation table and the choice of its bases */

/* The table arch/x86/tools/relocs appends to an x86-64 kernel built with
 * RANDOMIZE_BASE (lib/relocs.c has the format): three lists (64-bit,
 * inverse 32-bit, 32-bit) up to Linux 6.12, two (no inverse list) in newer
 * kernels.  Indices count 32-bit words from the table's start. */
struct zp_relocs {
	const uint8_t *table;		/* NULL: none */
	size_t len;
	unsigned lists;			/* 2 or 3 */
	size_t n64, ninv32, n32;	/* ninv32 is 0 with two lists */
	size_t at64, atinv32, at32;
	/* zp_relocs_find: why the kernel has no table, when its image proves
	 * it has none (a static sentence), else NULL */
	const char *absent;
};

/* The table alone (len bytes, its words exactly): two or three lists, each
 * after its zero, that fill it.
 * returns: ZP_OK; ZP_EINVAL (NULL); ZP_ERELOCS with the reason. */
int zp_relocs_parse(const void *table, size_t len, struct zp_relocs *out, struct zp_diag *diag);

/* The table in a bzImage's decompressed payload, found as the kernel's
 * decompressor finds it: read backwards from the payload's end, list by
 * list; it must start exactly where the vmlinux ELF ends (vmlinux.bin +
 * vmlinux.relocs), and every entry must name a place in the ELF's PT_LOADs.
 * ZP_OK with out->table set; or ZP_OK with out->table NULL and out->absent
 * saying why when the image proves there is none (the setup header says the
 * kernel is not relocatable, or nothing follows the ELF).
 * returns: ZP_OK; ZP_EINVAL (NULL); ZP_EELFCLASS for a 32-bit kernel;
 * the codes of zp_elf_file_end for the payload's ELF; ZP_EOVERFLOW for a
 * PT_LOAD whose paddr + memsz wraps; ZP_ERELOCS with the reason. */
int zp_relocs_find(const struct zp_bzimage *bz, const void *payload, size_t len,
		   struct zp_relocs *out, struct zp_diag *diag);

/* The kernel the table applies to: image_len bytes that belong at kernel-
 * virtual address link_vaddr (__START_KERNEL_map + LOAD_PHYSICAL_ADDR,
 * i.e. _text as linked). */
struct zp_relocs_target {
	uint8_t *image;			/* NULL: check only */
	uint64_t image_len;
	uint64_t link_vaddr;
};

/* Every entry names a place inside the image.
 * returns: ZP_OK; ZP_EINVAL (NULL); ZP_ERELOCS naming the first that does
 * not. */
int zp_relocs_check(const struct zp_relocs *r, const struct zp_relocs_target *k,
		    struct zp_diag *diag);

/* Moves the kernel's virtual base by delta: checks every entry first (a
 * corrupt table writes nothing), then adds delta to each 64- and 32-bit
 * place and subtracts it from each inverse 32-bit one.
 * returns: ZP_OK; ZP_EINVAL (NULL, or no image); ZP_ERELOCS as
 * zp_relocs_check. */
int zp_relocs_apply(const struct zp_relocs *r, const struct zp_relocs_target *k,
		    uint64_t delta, struct zp_diag *diag);

#define ZP_START_KERNEL_MAP	0xffffffff80000000ull	/* x86-64 __START_KERNEL_map */
#define ZP_KERNEL_IMAGE_SIZE	(1ull << 30)	/* x86-64 KERNEL_IMAGE_SIZE with RANDOMIZE_BASE */

/* Where a randomised kernel goes.  The rules are the kernel's own KASLR
 * (arch/x86/boot/compressed/kaslr.c): the physical base anywhere in RAM
 * from min(link address, 512 MiB) that holds the whole image, aligned, and
 * clear of everything still needed; the virtual offset a multiple of the
 * alignment from the link address such that the image ends below
 * KERNEL_IMAGE_SIZE. */
struct zp_kaslr_range {
	uint64_t addr, size;
};

struct zp_kaslr_request {
	const struct zp_e820_map *ram;		/* sorted (zp_e820_normalise) */
	const struct zp_kaslr_range *avoid;
	unsigned navoid;
	uint64_t image_size;			/* the room the kernel needs */
	uint64_t align;				/* kernel_alignment, a power of two */
	uint64_t link_phys;			/* LOAD_PHYSICAL_ADDR (pref_address) */
	uint64_t phys_limit;			/* no byte at or above (what is mapped) */
	const uint64_t *entropy;		/* whatever random words were gathered */
	unsigned nentropy;
};

struct zp_kaslr_choice {
	uint64_t phys;				/* physical base */
	uint64_t virt;				/* virtual base - __START_KERNEL_map */
	uint64_t phys_slots, virt_slots;	/* how many there were to choose from */
};

/* returns: ZP_OK; ZP_EINVAL (NULL, no RAM map, an image of 0 bytes, an
 * alignment of 0 or not a power of two, navoid without ranges); ZP_ENOSPACE when no aligned room
 * holds the image, or the image cannot fit below KERNEL_IMAGE_SIZE. */
int zp_kaslr_choose(const struct zp_kaslr_request *rq, struct zp_kaslr_choice *out,
		    struct zp_diag *diag);

/* True when the command line has the word `nokaslr`. */
bool zp_cmdline_has_word(const char *cmdline, const char *word);

/* ------------------------------------------------------------------ */
/* The least guest RAM an image can start in (lib/ram_floor.c) */

struct zp_ram_floor {
	uint64_t bytes;			/* the floor: kernel_end + initrd, page-rounded */
	uint64_t kernel_start, kernel_end;	/* where the kernel runs, and needs room to */
	uint64_t initrd;		/* the initrd's pages */
	const char *why;		/* how kernel_end follows from the image (static) */
};

/* For a bzImage or UKI: pref_address + init_size (or the protected-mode
 * code's size before protocol 2.10); for an ELF: the end of its highest
 * PT_LOAD in physical memory; plus initrd_len in whole pages.  A bound
 * below which no loader can start the image, not a size it boots in.
 * returns: ZP_OK; ZP_EINVAL (NULL, a format without a placement);
 * ZP_ESEGMENT for an ELF without a PT_LOAD; ZP_EOVERFLOW. */
int zp_image_ram_floor(const struct zp_image *img, uint64_t initrd_len, struct zp_ram_floor *out);

/* f's floor with initrd_len more bytes of initrd (in whole pages).
 * returns: ZP_OK; ZP_EINVAL (NULL); ZP_EOVERFLOW (f unchanged). */
int zp_ram_floor_add_initrd(struct zp_ram_floor *f, uint64_t initrd_len);

/* ------------------------------------------------------------------ */
/* Small formatter, for diagnostics in host and shim alike:
 * %s %c %d %i %u %x %X %p %%, length l/ll/z, width, flags '0' and '-'.
 * Like snprintf: always NUL-terminates when cap > 0 and returns the length
 * the whole output would have. */
#include <stdarg.h>
size_t zp_vformat(char *buf, size_t cap, const char *fmt, va_list ap);
size_t zp_format(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif
#endif /* ZEROPAGE_ZEROPAGE_H */
