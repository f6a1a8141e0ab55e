/* SPDX-License-Identifier: MIT */
/*
 * zeropage/abi.h - the x86 boot ABIs, as facts.
 *
 * Our own definitions of the structures two boot ABIs hand to a kernel:
 *
 *  - the Linux/x86 boot protocol (Documentation/arch/x86/boot.rst and
 *    zero-page.rst): struct zp_setup_header, struct zp_boot_params ("the
 *    zero page"), e820 entries and setup_data;
 *  - the Xen PVH ABI (xen/include/public/arch-x86/hvm/start_info.h and
 *    xen/include/public/elfnote.h): struct zp_hvm_start_info v0/v1, its
 *    module list and memory map, and the ELF note types.
 *
 * Every field offset is pinned with a _Static_assert against the offsets
 * those documents give, so a wrong layout fails the build, not a boot.
 * Multi-byte fields are little-endian, as on every x86 machine.
 */
#ifndef ZEROPAGE_ABI_H
#define ZEROPAGE_ABI_H

#include <stddef.h>
#include <stdint.h>

#define ZP_PACKED __attribute__((packed))
#define ZP_PIN(type, field, off) \
	_Static_assert(offsetof(type, field) == (off), #type "." #field " at " #off)

/* ------------------------------------------------------------------ */
/* Linux boot protocol: the setup header (boot.rst, "THE REAL-MODE KERNEL HEADER") */

#define ZP_SETUP_HEADER_OFFSET	0x1f1	/* in the image file and in the zero page */
#define ZP_BOOT_FLAG		0xaa55
#define ZP_HDRS_MAGIC		0x53726448u	/* "HdrS" */
#define ZP_DEFAULT_SETUP_SECTS	4	/* setup_sects == 0 means 4 */
#define ZP_SECTOR_SIZE		512

/* loadflags */
#define ZP_LOADED_HIGH		0x01
#define ZP_KASLR_FLAG		0x02
#define ZP_QUIET_FLAG		0x20
#define ZP_KEEP_SEGMENTS	0x40
#define ZP_CAN_USE_HEAP		0x80

/* xloadflags (2.12+) */
#define ZP_XLF_KERNEL_64		(1u << 0)
#define ZP_XLF_CAN_BE_LOADED_ABOVE_4G	(1u << 1)
#define ZP_XLF_EFI_HANDOVER_32		(1u << 2)
#define ZP_XLF_EFI_HANDOVER_64		(1u << 3)
#define ZP_XLF_EFI_KEXEC		(1u << 4)
#define ZP_XLF_5LEVEL			(1u << 5)
#define ZP_XLF_5LEVEL_ENABLED		(1u << 6)

/* hardware_subarch (2.07+) */
#define ZP_SUBARCH_PC		0
#define ZP_SUBARCH_LGUEST	1
#define ZP_SUBARCH_XEN		2
#define ZP_SUBARCH_INTEL_MID	3
#define ZP_SUBARCH_CE4100	4

/* type_of_loader: 0xff is "undefined", the right value for an unregistered loader */
#define ZP_LOADER_UNDEFINED	0xff

struct zp_setup_header {
	uint8_t  setup_sects;		/* 0x1f1 */
	uint16_t root_flags;		/* 0x1f2 */
	uint32_t syssize;		/* 0x1f4 */
	uint16_t ram_size;		/* 0x1f8 */
	uint16_t vid_mode;		/* 0x1fa */
	uint16_t root_dev;		/* 0x1fc */
	uint16_t boot_flag;		/* 0x1fe */
	uint16_t jump;			/* 0x200 */
	uint32_t header;		/* 0x202 */
	uint16_t version;		/* 0x206 */
	uint32_t realmode_swtch;	/* 0x208 */
	uint16_t start_sys_seg;		/* 0x20c */
	uint16_t kernel_version;	/* 0x20e */
	uint8_t  type_of_loader;	/* 0x210 */
	uint8_t  loadflags;		/* 0x211 */
	uint16_t setup_move_size;	/* 0x212 */
	uint32_t code32_start;		/* 0x214 */
	uint32_t ramdisk_image;		/* 0x218 */
	uint32_t ramdisk_size;		/* 0x21c */
	uint32_t bootsect_kludge;	/* 0x220 */
	uint16_t heap_end_ptr;		/* 0x224 */
	uint8_t  ext_loader_ver;	/* 0x226 */
	uint8_t  ext_loader_type;	/* 0x227 */
	uint32_t cmd_line_ptr;		/* 0x228 */
	uint32_t initrd_addr_max;	/* 0x22c */
	uint32_t kernel_alignment;	/* 0x230 */
	uint8_t  relocatable_kernel;	/* 0x234 */
	uint8_t  min_alignment;		/* 0x235 */
	uint16_t xloadflags;		/* 0x236 */
	uint32_t cmdline_size;		/* 0x238 */
	uint32_t hardware_subarch;	/* 0x23c */
	uint64_t hardware_subarch_data;	/* 0x240 */
	uint32_t payload_offset;	/* 0x248 */
	uint32_t payload_length;	/* 0x24c */
	uint64_t setup_data;		/* 0x250 */
	uint64_t pref_address;		/* 0x258 */
	uint32_t init_size;		/* 0x260 */
	uint32_t handover_offset;	/* 0x264 */
	uint32_t kernel_info_offset;	/* 0x268 */
} ZP_PACKED;

/* Offsets below are relative to the zero page / image start (0x1f1 + field). */
#define ZP_PIN_HDR(field, off) \
	_Static_assert(ZP_SETUP_HEADER_OFFSET + offsetof(struct zp_setup_header, field) == (off), \
		       "setup_header." #field " at " #off)
ZP_PIN_HDR(setup_sects, 0x1f1);
ZP_PIN_HDR(root_flags, 0x1f2);
ZP_PIN_HDR(syssize, 0x1f4);
ZP_PIN_HDR(ram_size, 0x1f8);
ZP_PIN_HDR(vid_mode, 0x1fa);
ZP_PIN_HDR(root_dev, 0x1fc);
ZP_PIN_HDR(boot_flag, 0x1fe);
ZP_PIN_HDR(jump, 0x200);
ZP_PIN_HDR(header, 0x202);
ZP_PIN_HDR(version, 0x206);
ZP_PIN_HDR(realmode_swtch, 0x208);
ZP_PIN_HDR(start_sys_seg, 0x20c);
ZP_PIN_HDR(kernel_version, 0x20e);
ZP_PIN_HDR(type_of_loader, 0x210);
ZP_PIN_HDR(loadflags, 0x211);
ZP_PIN_HDR(setup_move_size, 0x212);
ZP_PIN_HDR(code32_start, 0x214);
ZP_PIN_HDR(ramdisk_image, 0x218);
ZP_PIN_HDR(ramdisk_size, 0x21c);
ZP_PIN_HDR(bootsect_kludge, 0x220);
ZP_PIN_HDR(heap_end_ptr, 0x224);
ZP_PIN_HDR(ext_loader_ver, 0x226);
ZP_PIN_HDR(ext_loader_type, 0x227);
ZP_PIN_HDR(cmd_line_ptr, 0x228);
ZP_PIN_HDR(initrd_addr_max, 0x22c);
ZP_PIN_HDR(kernel_alignment, 0x230);
ZP_PIN_HDR(relocatable_kernel, 0x234);
ZP_PIN_HDR(min_alignment, 0x235);
ZP_PIN_HDR(xloadflags, 0x236);
ZP_PIN_HDR(cmdline_size, 0x238);
ZP_PIN_HDR(hardware_subarch, 0x23c);
ZP_PIN_HDR(hardware_subarch_data, 0x240);
ZP_PIN_HDR(payload_offset, 0x248);
ZP_PIN_HDR(payload_length, 0x24c);
ZP_PIN_HDR(setup_data, 0x250);
ZP_PIN_HDR(pref_address, 0x258);
ZP_PIN_HDR(init_size, 0x260);
ZP_PIN_HDR(handover_offset, 0x264);
ZP_PIN_HDR(kernel_info_offset, 0x268);
_Static_assert(sizeof(struct zp_setup_header) == 0x26c - 0x1f1, "setup_header size");

/* kernel_info (2.15+), found at kernel_info_offset from the protected-mode code */
#define ZP_KERNEL_INFO_MAGIC	0x506f544cu	/* "LToP" */
struct zp_kernel_info {
	uint32_t header;		/* 0x00 "LToP" */
	uint32_t size;			/* 0x04 size of the fixed part */
	uint32_t size_total;		/* 0x08 size including variable data */
	uint32_t setup_type_max;	/* 0x0c */
} ZP_PACKED;
ZP_PIN(struct zp_kernel_info, header, 0x00);
ZP_PIN(struct zp_kernel_info, size, 0x04);
ZP_PIN(struct zp_kernel_info, size_total, 0x08);
ZP_PIN(struct zp_kernel_info, setup_type_max, 0x0c);

/* ------------------------------------------------------------------ */
/* e820 memory map entries (zero-page.rst: e820_table at 0x2d0) */

#define ZP_E820_RAM		1
#define ZP_E820_RESERVED	2
#define ZP_E820_ACPI		3
#define ZP_E820_NVS		4
#define ZP_E820_UNUSABLE	5
#define ZP_E820_PMEM		7
#define ZP_E820_MAX_ZEROPAGE	128	/* more go in a SETUP_E820_EXT node */

/* The type's short name for reports ("RAM", "reserved", ...), NULL for a
 * type without one.  Inline: only the programs that print it carry it. */
static inline const char *zp_e820_type_name(uint32_t type)
{
	switch (type) {
	case ZP_E820_RAM: return "RAM";
	case ZP_E820_RESERVED: return "reserved";
	case ZP_E820_ACPI: return "ACPI";
	case ZP_E820_NVS: return "NVS";
	case ZP_E820_UNUSABLE: return "unusable";
	case ZP_E820_PMEM: return "PMEM";
	}
	return NULL;
}

struct zp_e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} ZP_PACKED;
ZP_PIN(struct zp_e820_entry, addr, 0x00);
ZP_PIN(struct zp_e820_entry, size, 0x08);
ZP_PIN(struct zp_e820_entry, type, 0x10);
_Static_assert(sizeof(struct zp_e820_entry) == 20, "e820 entry size");

/* ------------------------------------------------------------------ */
/* setup_data: a linked list of typed blobs (boot.rst, "setup_data") */

#define ZP_SETUP_NONE			0
#define ZP_SETUP_E820_EXT		1
#define ZP_SETUP_DTB			2
#define ZP_SETUP_PCI			3
#define ZP_SETUP_EFI			4
#define ZP_SETUP_APPLE_PROPERTIES	5
#define ZP_SETUP_JAILHOUSE		6
#define ZP_SETUP_CC_BLOB		7
#define ZP_SETUP_IMA			8
#define ZP_SETUP_RNG_SEED		9
#define ZP_SETUP_INDIRECT		(1u << 31)

struct zp_setup_data {
	uint64_t next;		/* physical address of the next node, 0 ends the list */
	uint32_t type;
	uint32_t len;		/* bytes of data[] */
	uint8_t  data[];
} ZP_PACKED;
ZP_PIN(struct zp_setup_data, next, 0x00);
ZP_PIN(struct zp_setup_data, type, 0x08);
ZP_PIN(struct zp_setup_data, len, 0x0c);
ZP_PIN(struct zp_setup_data, data, 0x10);

/* ------------------------------------------------------------------ */
/* The zero page: struct boot_params (zero-page.rst) */

#define ZP_EDD_MBR_SIG_MAX	16
#define ZP_EDDMAXNR		6
#define ZP_EDD_INFO_SIZE	82

struct zp_boot_params {
	uint8_t  screen_info[0x40];		/* 0x000 */
	uint8_t  apm_bios_info[0x14];		/* 0x040 */
	uint8_t  _pad2[4];			/* 0x054 */
	uint64_t tboot_addr;			/* 0x058 */
	uint8_t  ist_info[0x10];		/* 0x060 */
	uint64_t acpi_rsdp_addr;		/* 0x070 */
	uint8_t  _pad3[8];			/* 0x078 */
	uint8_t  hd0_info[16];			/* 0x080 */
	uint8_t  hd1_info[16];			/* 0x090 */
	uint8_t  sys_desc_table[0x10];		/* 0x0a0 */
	uint8_t  olpc_ofw_header[0x10];		/* 0x0b0 */
	uint32_t ext_ramdisk_image;		/* 0x0c0 */
	uint32_t ext_ramdisk_size;		/* 0x0c4 */
	uint32_t ext_cmd_line_ptr;		/* 0x0c8 */
	uint8_t  _pad4[112];			/* 0x0cc */
	uint32_t cc_blob_address;		/* 0x13c */
	uint8_t  edid_info[0x80];		/* 0x140 */
	uint8_t  efi_info[0x20];		/* 0x1c0 */
	uint32_t alt_mem_k;			/* 0x1e0 */
	uint32_t scratch;			/* 0x1e4 */
	uint8_t  e820_entries;			/* 0x1e8 */
	uint8_t  eddbuf_entries;		/* 0x1e9 */
	uint8_t  edd_mbr_sig_buf_entries;	/* 0x1ea */
	uint8_t  kbd_status;			/* 0x1eb */
	uint8_t  secure_boot;			/* 0x1ec */
	uint8_t  _pad5[2];			/* 0x1ed */
	uint8_t  sentinel;			/* 0x1ef */
	uint8_t  _pad6[1];			/* 0x1f0 */
	struct zp_setup_header hdr;		/* 0x1f1 */
	uint8_t  _pad7[0x290 - 0x1f1 - sizeof(struct zp_setup_header)];
	uint32_t edd_mbr_sig_buffer[ZP_EDD_MBR_SIG_MAX];	/* 0x290 */
	struct zp_e820_entry e820_table[ZP_E820_MAX_ZEROPAGE];	/* 0x2d0 */
	uint8_t  _pad8[48];			/* 0xcd0 */
	uint8_t  eddbuf[ZP_EDDMAXNR * ZP_EDD_INFO_SIZE];	/* 0xd00 */
	uint8_t  _pad9[276];			/* 0xeec */
} ZP_PACKED;

ZP_PIN(struct zp_boot_params, screen_info, 0x000);
ZP_PIN(struct zp_boot_params, apm_bios_info, 0x040);
ZP_PIN(struct zp_boot_params, tboot_addr, 0x058);
ZP_PIN(struct zp_boot_params, ist_info, 0x060);
ZP_PIN(struct zp_boot_params, acpi_rsdp_addr, 0x070);
ZP_PIN(struct zp_boot_params, hd0_info, 0x080);
ZP_PIN(struct zp_boot_params, hd1_info, 0x090);
ZP_PIN(struct zp_boot_params, sys_desc_table, 0x0a0);
ZP_PIN(struct zp_boot_params, olpc_ofw_header, 0x0b0);
ZP_PIN(struct zp_boot_params, ext_ramdisk_image, 0x0c0);
ZP_PIN(struct zp_boot_params, ext_ramdisk_size, 0x0c4);
ZP_PIN(struct zp_boot_params, ext_cmd_line_ptr, 0x0c8);
ZP_PIN(struct zp_boot_params, cc_blob_address, 0x13c);
ZP_PIN(struct zp_boot_params, edid_info, 0x140);
ZP_PIN(struct zp_boot_params, efi_info, 0x1c0);
ZP_PIN(struct zp_boot_params, alt_mem_k, 0x1e0);
ZP_PIN(struct zp_boot_params, scratch, 0x1e4);
ZP_PIN(struct zp_boot_params, e820_entries, 0x1e8);
ZP_PIN(struct zp_boot_params, eddbuf_entries, 0x1e9);
ZP_PIN(struct zp_boot_params, edd_mbr_sig_buf_entries, 0x1ea);
ZP_PIN(struct zp_boot_params, kbd_status, 0x1eb);
ZP_PIN(struct zp_boot_params, secure_boot, 0x1ec);
ZP_PIN(struct zp_boot_params, sentinel, 0x1ef);
ZP_PIN(struct zp_boot_params, hdr, 0x1f1);
ZP_PIN(struct zp_boot_params, edd_mbr_sig_buffer, 0x290);
ZP_PIN(struct zp_boot_params, e820_table, 0x2d0);
ZP_PIN(struct zp_boot_params, _pad8, 0xcd0);
ZP_PIN(struct zp_boot_params, eddbuf, 0xd00);
ZP_PIN(struct zp_boot_params, _pad9, 0xeec);
_Static_assert(sizeof(struct zp_boot_params) == 4096, "the zero page is one page");

/* ------------------------------------------------------------------ */
/* Xen PVH: struct hvm_start_info (start_info.h) */

#define ZP_HVM_START_MAGIC	0x336ec578u
#define ZP_HVM_SIF_PRIVILEGED	(1u << 0)
#define ZP_HVM_SIF_INITDOMAIN	(1u << 1)

/* Version 0 ends at 0x28; version 1 adds the memory map. */
struct zp_hvm_start_info {
	uint32_t magic;			/* 0x00 */
	uint32_t version;		/* 0x04 */
	uint32_t flags;			/* 0x08 SIF_* */
	uint32_t nr_modules;		/* 0x0c */
	uint64_t modlist_paddr;		/* 0x10 */
	uint64_t cmdline_paddr;		/* 0x18 */
	uint64_t rsdp_paddr;		/* 0x20 */
	/* version 1 */
	uint64_t memmap_paddr;		/* 0x28 */
	uint32_t memmap_entries;	/* 0x30 */
	uint32_t reserved;		/* 0x34 */
} ZP_PACKED;
#define ZP_HVM_START_INFO_V0_SIZE	0x28u
#define ZP_HVM_START_INFO_V1_SIZE	0x38u
ZP_PIN(struct zp_hvm_start_info, magic, 0x00);
ZP_PIN(struct zp_hvm_start_info, version, 0x04);
ZP_PIN(struct zp_hvm_start_info, flags, 0x08);
ZP_PIN(struct zp_hvm_start_info, nr_modules, 0x0c);
ZP_PIN(struct zp_hvm_start_info, modlist_paddr, 0x10);
ZP_PIN(struct zp_hvm_start_info, cmdline_paddr, 0x18);
ZP_PIN(struct zp_hvm_start_info, rsdp_paddr, 0x20);
ZP_PIN(struct zp_hvm_start_info, memmap_paddr, 0x28);
ZP_PIN(struct zp_hvm_start_info, memmap_entries, 0x30);
ZP_PIN(struct zp_hvm_start_info, reserved, 0x34);
_Static_assert(sizeof(struct zp_hvm_start_info) == ZP_HVM_START_INFO_V1_SIZE, "start_info v1 size");

struct zp_hvm_modlist_entry {
	uint64_t paddr;			/* 0x00 */
	uint64_t size;			/* 0x08 */
	uint64_t cmdline_paddr;		/* 0x10 */
	uint64_t reserved;		/* 0x18 */
} ZP_PACKED;
ZP_PIN(struct zp_hvm_modlist_entry, paddr, 0x00);
ZP_PIN(struct zp_hvm_modlist_entry, size, 0x08);
ZP_PIN(struct zp_hvm_modlist_entry, cmdline_paddr, 0x10);
ZP_PIN(struct zp_hvm_modlist_entry, reserved, 0x18);
_Static_assert(sizeof(struct zp_hvm_modlist_entry) == 32, "modlist entry size");

#define ZP_HVM_MEMMAP_RAM	1
#define ZP_HVM_MEMMAP_RESERVED	2
#define ZP_HVM_MEMMAP_ACPI	3
#define ZP_HVM_MEMMAP_NVS	4
#define ZP_HVM_MEMMAP_UNUSABLE	5
#define ZP_HVM_MEMMAP_DISABLED	6
#define ZP_HVM_MEMMAP_PMEM	7

struct zp_hvm_memmap_table_entry {
	uint64_t addr;			/* 0x00 */
	uint64_t size;			/* 0x08 */
	uint32_t type;			/* 0x10 */
	uint32_t reserved;		/* 0x14 */
} ZP_PACKED;
ZP_PIN(struct zp_hvm_memmap_table_entry, addr, 0x00);
ZP_PIN(struct zp_hvm_memmap_table_entry, size, 0x08);
ZP_PIN(struct zp_hvm_memmap_table_entry, type, 0x10);
ZP_PIN(struct zp_hvm_memmap_table_entry, reserved, 0x14);
_Static_assert(sizeof(struct zp_hvm_memmap_table_entry) == 24, "memmap entry size");

/* ------------------------------------------------------------------ */
/* Xen ELF notes (elfnote.h): name "Xen", type below */

#define ZP_XEN_NOTE_NAME		"Xen"
#define ZP_XEN_ELFNOTE_INFO		0
#define ZP_XEN_ELFNOTE_ENTRY		1
#define ZP_XEN_ELFNOTE_HYPERCALL_PAGE	2
#define ZP_XEN_ELFNOTE_VIRT_BASE	3
#define ZP_XEN_ELFNOTE_PADDR_OFFSET	4
#define ZP_XEN_ELFNOTE_XEN_VERSION	5
#define ZP_XEN_ELFNOTE_GUEST_OS		6
#define ZP_XEN_ELFNOTE_GUEST_VERSION	7
#define ZP_XEN_ELFNOTE_LOADER		8
#define ZP_XEN_ELFNOTE_PAE_MODE		9
#define ZP_XEN_ELFNOTE_FEATURES		10
#define ZP_XEN_ELFNOTE_BSD_SYMTAB	11
#define ZP_XEN_ELFNOTE_HV_START_LOW	12
#define ZP_XEN_ELFNOTE_L1_MFN_VALID	13
#define ZP_XEN_ELFNOTE_SUSPEND_CANCEL	14
#define ZP_XEN_ELFNOTE_INIT_P2M		15
#define ZP_XEN_ELFNOTE_MOD_START_PFN	16
#define ZP_XEN_ELFNOTE_SUPPORTED_FEATURES 17
#define ZP_XEN_ELFNOTE_PHYS32_ENTRY	18
/* Xen's elfnote.h: the PVH kernel relocates itself; up to three u32s:
 * alignment (default 2 MiB), lowest start, highest last byte (default
 * 4 GiB - 1).  Linux 6.12+ writes it. */
#define ZP_XEN_ELFNOTE_PHYS32_RELOC	19

/* Linux's own notes in a vmlinux's .notes (PT_NOTE): the build salt
 * (include/linux/build-salt.h, since 4.18, a string, empty unless
 * CONFIG_BUILD_SALT is set) and whether it was built with LTO
 * (include/linux/elfnote-lto.h, a u32; Debian's 6.1, 6.12 and 7.2 have
 * it). */
#define ZP_LINUX_NOTE_NAME		"Linux"
#define ZP_LINUX_ELFNOTE_BUILD_SALT	0x100
#define ZP_LINUX_ELFNOTE_LTO_INFO	0x101

/* ------------------------------------------------------------------ */
/* Xen hypercalls a PVH guest can make before it has any other way to ask
 * (xen/include/public/xen.h, memory.h, arch-x86/cpuid.h), x86_64 ABI */

/* CPUID: leaf 0x40000000 + n*0x100 says "XenVMMXenVMM" in EBX, ECX, EDX;
 * leaf base+2 gives EAX = hypercall pages, EBX = the MSR that installs them. */
#define ZP_XEN_CPUID_SIG_EBX		0x566e6558u	/* "XenV" */
#define ZP_XEN_CPUID_SIG_ECX		0x65584d4du	/* "MMXe" */
#define ZP_XEN_CPUID_SIG_EDX		0x4d4d566eu	/* "nVMM" */
#define ZP_XEN_CPUID_LEAF_HYPERCALL	2
#define ZP_XEN_HYPERCALL_STRIDE		32	/* hypercall N is at page + N*32 */

#define ZP_XEN_HYPERVISOR_MEMORY_OP	12
#define ZP_XEN_HYPERVISOR_CONSOLE_IO	18
#define ZP_XEN_CONSOLEIO_WRITE		0
#define ZP_XEN_XENMEM_MEMORY_MAP	9

/* XENMEM_memory_map's argument: nr_entries is the buffer's capacity on the
 * way in and the number written on the way out; buffer is the guest address
 * of an array of packed 20-byte e820 entries (struct zp_e820_entry). */
struct zp_xen_memory_map {
	uint32_t nr_entries;		/* 0x00 */
	uint32_t pad;			/* 0x04 the guest handle is 8-aligned */
	uint64_t buffer;		/* 0x08 */
} ZP_PACKED;
ZP_PIN(struct zp_xen_memory_map, nr_entries, 0x00);
ZP_PIN(struct zp_xen_memory_map, pad, 0x04);
ZP_PIN(struct zp_xen_memory_map, buffer, 0x08);
_Static_assert(sizeof(struct zp_xen_memory_map) == 16, "xen_memory_map size (x86_64)");

/* ------------------------------------------------------------------ */
/* ELF (System V gABI): only what a kernel loader reads */

#define ZP_ELFCLASS32	1
#define ZP_ELFCLASS64	2
#define ZP_ELFDATA2LSB	1
#define ZP_EM_386	3
#define ZP_EM_X86_64	62
#define ZP_PT_LOAD	1
#define ZP_PT_NOTE	4

struct zp_elf32_ehdr {
	uint8_t  e_ident[16];
	uint16_t e_type, e_machine;
	uint32_t e_version, e_entry, e_phoff, e_shoff, e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} ZP_PACKED;
_Static_assert(sizeof(struct zp_elf32_ehdr) == 52, "Elf32_Ehdr size");
ZP_PIN(struct zp_elf32_ehdr, e_entry, 24);
ZP_PIN(struct zp_elf32_ehdr, e_phoff, 28);
ZP_PIN(struct zp_elf32_ehdr, e_phentsize, 42);
ZP_PIN(struct zp_elf32_ehdr, e_phnum, 44);

struct zp_elf64_ehdr {
	uint8_t  e_ident[16];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} ZP_PACKED;
_Static_assert(sizeof(struct zp_elf64_ehdr) == 64, "Elf64_Ehdr size");
ZP_PIN(struct zp_elf64_ehdr, e_entry, 24);
ZP_PIN(struct zp_elf64_ehdr, e_phoff, 32);
ZP_PIN(struct zp_elf64_ehdr, e_phentsize, 54);
ZP_PIN(struct zp_elf64_ehdr, e_phnum, 56);
ZP_PIN(struct zp_elf64_ehdr, e_shoff, 40);
ZP_PIN(struct zp_elf64_ehdr, e_shentsize, 58);
ZP_PIN(struct zp_elf64_ehdr, e_shnum, 60);

struct zp_elf32_phdr {
	uint32_t p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align;
} ZP_PACKED;
_Static_assert(sizeof(struct zp_elf32_phdr) == 32, "Elf32_Phdr size");

struct zp_elf64_phdr {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
} ZP_PACKED;
_Static_assert(sizeof(struct zp_elf64_phdr) == 56, "Elf64_Phdr size");
ZP_PIN(struct zp_elf64_phdr, p_offset, 8);
ZP_PIN(struct zp_elf64_phdr, p_paddr, 24);

#define ZP_SHT_NOBITS	8	/* a section that takes no bytes in the file (.bss) */

struct zp_elf64_shdr {
	uint32_t sh_name, sh_type;
	uint64_t sh_flags, sh_addr, sh_offset, sh_size;
	uint32_t sh_link, sh_info;
	uint64_t sh_addralign, sh_entsize;
} ZP_PACKED;
_Static_assert(sizeof(struct zp_elf64_shdr) == 64, "Elf64_Shdr size");
ZP_PIN(struct zp_elf64_shdr, sh_type, 4);
ZP_PIN(struct zp_elf64_shdr, sh_offset, 24);
ZP_PIN(struct zp_elf64_shdr, sh_size, 32);

struct zp_elf_nhdr {
	uint32_t n_namesz, n_descsz, n_type;
} ZP_PACKED;

#endif /* ZEROPAGE_ABI_H */
