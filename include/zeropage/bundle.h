/* SPDX-License-Identifier: MIT */
/*
 * zeropage/bundle.h - the bundle descriptor: what `zeropage bundle` tells
 * the PVH shim.
 *
 * A bundle is one ELF64 file that any PVH loader can start: the shim's own
 * segments, the kernel (a whole bzImage, or for the vmlinux entry the
 * decompressed vmlinux's segments plus the bzImage's setup part), the
 * default command line and the initrd, each in a PT_LOAD at the guest
 * physical address the bundle writer chose.  The loader copies them there;
 * the shim then only needs to know where everything is, which is this
 * descriptor.  It lives in the shim's data segment; the writer patches the
 * copy it puts into the bundle.
 *
 * Both the writer (host) and the shim (guest) find the descriptor through
 * an ELF note of our own, name "ZeroPage", type ZP_NOTE_BUNDLE, whose
 * 8-byte desc is the descriptor's guest-physical address.  The same note in
 * a bundle is how `zeropage info` recognises one.
 *
 * All fields are little-endian; offsets are pinned below because the shim
 * and the writer are separate programs that must agree byte for byte.
 */
#ifndef ZEROPAGE_BUNDLE_H
#define ZEROPAGE_BUNDLE_H

#include <stddef.h>
#include <stdint.h>
#include <zeropage/abi.h>
#include <zeropage/zeropage.h>

#define ZP_NOTE_NAME		"ZeroPage"
#define ZP_NOTE_BUNDLE		1	/* desc: u64 paddr of struct zp_bundle_desc */

#define ZP_BUNDLE_MAGIC		0x4450425au	/* "ZBPD" */
#define ZP_BUNDLE_VERSION	1

/* How the shim enters the kernel. */
#define ZP_BUNDLE_ENTRY_64	64	/* long mode, load address + 0x200 */
#define ZP_BUNDLE_ENTRY_32	32	/* protected mode, paging off, load address */
#define ZP_BUNDLE_ENTRY_VMLINUX	1	/* decompressed vmlinux, its 64-bit startup */

/* Handoff: ZP_HANDOFF_NATIVE (0) or ZP_HANDOFF_SUBARCH (1), as in zeropage.h. */

/* flags: KASLR on the vmlinux entry, which has no decompressor to do it. */
#define ZP_BUNDLE_KASLR_OFF	0x1	/* bundled with --no-kaslr: the link address */
#define ZP_BUNDLE_KASLR_REQUIRE	0x2	/* --kaslr=require: halt rather than not randomise */
#define ZP_BUNDLE_FLAGS_KNOWN	0x3

/* The shim's hand-over buffers (its .bss, shim/main.c), sized once here:
 * the bundle writer must keep within them too, and the tests hand
 * zp_shim_plan buffers of the same size. */
#define ZP_SHIM_CMDLINE_CAP	4096	/* bundled + " " + the loader's, with the NUL;
					   the kernel's cmdline_size rules within it */
#define ZP_SHIM_E820_CAP	(ZP_PVH_MAX_MEMMAP + 16)	/* memmap + our reserved ranges */
#define ZP_SHIM_SETUP_DATA_CAP	(24 * 1024)	/* SETUP_E820_EXT for a full memmap */
#define ZP_SHIM_PRESERVE_CAP	(64 * 1024)	/* the start_info copy (subarch handoff) */

/* What the shim adds on Xen to a command line that names no console: hvc0
 * is Xen's console as Linux's hvc_xen driver serves it to a guest that
 * Xen runs in an HVM container (a PVH domU entered natively is one; the
 * ring xenconsoled reads, which `xl console` and the toolstack show). */
#define ZP_SHIM_XEN_CONSOLE	"console=hvc0"
/* And on dom0, where hvc0 is the console_io hypercall, which Linux uses
 * for a kernel entered natively only when told (xen_console_io, Linux 7). */
#define ZP_SHIM_XEN_DOM0_CONSOLE_IO	"xen_console_io=1"

struct zp_bundle_desc {
	uint32_t magic;			/* 0x00 ZP_BUNDLE_MAGIC */
	uint32_t version;		/* 0x04 ZP_BUNDLE_VERSION */
	uint32_t size;			/* 0x08 sizeof(struct zp_bundle_desc) */
	uint32_t entry;			/* 0x0c ZP_BUNDLE_ENTRY_*; 0: no kernel (bare shim) */
	uint32_t handoff;		/* 0x10 enum zp_handoff */
	uint32_t flags;			/* 0x14 ZP_BUNDLE_KASLR_* */
	uint64_t image_paddr;		/* 0x18 where the bzImage file's first byte is */
	uint64_t image_size;		/* 0x20 bytes of the original bzImage file */
	uint64_t image_loaded;		/* 0x28 bytes of it at image_paddr (all, or the
					 *      setup part for the vmlinux entry) */
	uint64_t kernel_addr;		/* 0x30 protected-mode code / vmlinux lowest paddr */
	uint64_t kernel_span;		/* 0x38 bytes from kernel_addr the kernel needs */
	uint64_t vmlinux_entry;		/* 0x40 physical startup_64 (vmlinux entry only) */
	uint64_t initrd_paddr;		/* 0x48 bundled initrd, 0/0 for none */
	uint64_t initrd_size;		/* 0x50 */
	uint64_t cmdline_paddr;		/* 0x58 bundled command line, NUL-terminated */
	uint64_t cmdline_len;		/* 0x60 without the NUL */
	uint64_t relocs_paddr;		/* 0x68 the kernel's KASLR relocation table */
	uint64_t relocs_size;		/* 0x70 (vmlinux entry; 0/0 when it has none) */
	uint64_t kernel_loaded;		/* 0x78 vmlinux: bytes from kernel_addr holding its
					 *      segments' contents (the rest of kernel_span
					 *      is room); what a KASLR move copies */
} ZP_PACKED;

ZP_PIN(struct zp_bundle_desc, magic, 0x00);
ZP_PIN(struct zp_bundle_desc, version, 0x04);
ZP_PIN(struct zp_bundle_desc, size, 0x08);
ZP_PIN(struct zp_bundle_desc, entry, 0x0c);
ZP_PIN(struct zp_bundle_desc, handoff, 0x10);
ZP_PIN(struct zp_bundle_desc, flags, 0x14);
ZP_PIN(struct zp_bundle_desc, image_paddr, 0x18);
ZP_PIN(struct zp_bundle_desc, image_size, 0x20);
ZP_PIN(struct zp_bundle_desc, image_loaded, 0x28);
ZP_PIN(struct zp_bundle_desc, kernel_addr, 0x30);
ZP_PIN(struct zp_bundle_desc, kernel_span, 0x38);
ZP_PIN(struct zp_bundle_desc, vmlinux_entry, 0x40);
ZP_PIN(struct zp_bundle_desc, initrd_paddr, 0x48);
ZP_PIN(struct zp_bundle_desc, initrd_size, 0x50);
ZP_PIN(struct zp_bundle_desc, cmdline_paddr, 0x58);
ZP_PIN(struct zp_bundle_desc, cmdline_len, 0x60);
ZP_PIN(struct zp_bundle_desc, relocs_paddr, 0x68);
ZP_PIN(struct zp_bundle_desc, relocs_size, 0x70);
ZP_PIN(struct zp_bundle_desc, kernel_loaded, 0x78);
_Static_assert(sizeof(struct zp_bundle_desc) == 0x80, "bundle descriptor size");

/* Can a descriptor be honoured?  The one rule, for the shim and for
 * `zeropage info` alike: zp_bundle_desc_check on the fields alone (magic,
 * version, entry, handoff, flags known; every range below 4 GiB and none
 * wrapping; the pieces consistent; entry 0, the bare shim, passes with
 * nothing else read), then, once the bundled setup header is probed,
 * zp_bundle_desc_check_kernel against it (the entry allowed, kernel_span
 * large enough, the kernel right after its setup).  ZP_OK, or ZP_EBUNDLE /
 * ZP_EENTRY with a diag naming the field and its value. */
int zp_bundle_desc_check(const struct zp_bundle_desc *d, struct zp_diag *diag);
/* The entry a bundle of bz gets, the one rule `zeropage bundle` and the
 * matrix's shim paths follow.  `asked` is ZP_BUNDLE_ENTRY_64, _32 or
 * _VMLINUX, or 0 for the default: 64 where the kernel has a 64-bit entry
 * (XLF_KERNEL_64), else 32, and then *fell_back is true and diag says why.
 * The 32-bit entry needs LOADED_HIGH and a code32_start that is not 0:
 * iPXE's .lkrn has code32_start 0, its protected-mode part being no code
 * to enter (only its 16-bit setup starts it: QEMU's -kernel, GRUB's
 * linux16); the vmlinux entry needs a payload.
 * returns: ZP_OK with *entry; ZP_EINVAL (NULL, an unknown `asked`);
 *   ZP_EENTRY, why in diag (the header field that says so). */
int zp_bundle_choose_entry(const struct zp_bzimage *bz, uint32_t asked, uint32_t *entry,
			   bool *fell_back, struct zp_diag *diag);

int zp_bundle_desc_check_kernel(const struct zp_bundle_desc *d, const struct zp_bzimage *bz,
				struct zp_diag *diag);

/* ------------------------------------------------------------------ */
/* The shim's decision, made by the core.
 *
 * Between the PVH entry and the jump into the kernel the shim decides a
 * dozen things: is the descriptor sane, which memory map rules, is every
 * structure the loader gave inside guest memory, where the kernel runs,
 * which initrd and which command line the kernel gets, what is reserved.
 * All of it is zp_shim_plan's: the shim only gathers what the loader gave
 * (the start_info address, on Xen the hypercall's memory map, its own
 * footprint and hand-over buffers) and acts on the plan (moves the kernel,
 * loads the registers, jumps).  The host builds the same function, so
 * tests and a fuzz target drive exactly the code the guest runs. */

struct zp_shim_input {
	const struct zp_guest_mem *mem;		/* what the shim may read: the low 4 GiB */
	const struct zp_bundle_desc *desc;	/* the bundle's descriptor */
	uint64_t start_info;			/* %ebx at the PVH entry */
	bool on_xen;
	/* The hypervisor's raw memory map (Xen's XENMEM_memory_map), used
	 * only when the start_info has none; hv_error is the hypercall's
	 * error when it failed (0 otherwise, NULL map). */
	const void *hv_e820;
	size_t hv_e820_len;
	uint32_t hv_e820_entries;
	long hv_error;
	uint64_t shim_start, shim_end;		/* the shim's own footprint */
	/* Hand-over buffers: host pointer, the guest address it stands for,
	 * capacity.  In the shim they are its .bss and pointer == address. */
	struct zp_boot_params *zero_page;
	uint64_t zero_page_addr;
	char *cmdline;
	uint64_t cmdline_addr;
	uint32_t cmdline_cap;
	uint8_t *setup_data;
	uint64_t setup_data_addr;
	size_t setup_data_cap;
	uint8_t *preserve;			/* the start_info copy (subarch handoff) */
	uint64_t preserve_addr;
	size_t preserve_cap;
	const uint64_t *entropy;		/* random words for KASLR (RDSEED, RDRAND, TSC) */
	unsigned nentropy;
	struct zp_e820_entry *ram_entries;	/* working space, e820_cap each */
	struct zp_e820_entry *scratch_entries;
	uint32_t e820_cap;
};

struct zp_shim_plan {
	uint32_t entry;				/* ZP_BUNDLE_ENTRY_* */
	uint64_t entry_addr;			/* where to jump */
	uint64_t zero_page_addr;		/* %rsi (64) / %esi (32) */
	uint64_t kernel_addr;			/* where the kernel runs */
	/* Before the jump: memmove(kernel_addr, move_from, move_len) when
	 * move_len != 0 (the kernel was bundled elsewhere). */
	uint64_t move_from, move_len;
	uint64_t initrd_addr, initrd_size;
	bool initrd_from_module;		/* the loader's module 0, not the bundled one */
	bool link_room_busy;			/* vmlinux: its room at the link address is in use */
	uint32_t cmdline_len;
	/* On Xen a command line that names no console (no kernel parameter
	 * console=) gets ZP_SHIM_XEN_CONSOLE appended, and on dom0 also
	 * ZP_SHIM_XEN_DOM0_CONSOLE_IO unless it names xen_console_io:
	 * console_added is what was appended (the tail of the command line
	 * buffer), or NULL; console_skipped says why not, when on Xen it was
	 * wanted but did not fit (NULL otherwise). */
	const char *console_added;
	const char *console_skipped;
	uint32_t e820_entries;			/* in the zero page */
	enum zp_memmap_source memmap_source;
	uint32_t memmap_entries;		/* as the loader gave them */
	uint64_t preserved_addr, preserved_size;	/* subarch: the reserved copy */
	/* KASLR (vmlinux entry): after the move, the shim applies the
	 * relocation table for virt_delta (zp_relocs_apply on `relocs`,
	 * `target` with its image pointer set to where the kernel now is). */
	bool kaslr;
	const char *kaslr_why;			/* why not, when !kaslr on a vmlinux bundle */
	uint64_t virt_delta;			/* virtual base - the link's */
	uint64_t phys_slots, virt_slots;
	struct zp_relocs relocs;
	struct zp_relocs_target target;
	struct zp_pvh_info si;
};

/* The whole decision, into *plan and the input's buffers (the zero page
 * by zp_start_info_to_boot_params itself).  diag's one line is what the
 * shim prints before it halts.
 * returns: ZP_OK;
 *   ZP_EINVAL: a missing input or buffer (e820_cap below 4);
 *   ZP_EBUNDLE: the descriptor is corrupt, of another version, the bare
 *     shim's, or inconsistent with itself or the kernel's header;
 *   ZP_ESTARTINFO: %ebx is 0, or the start_info's magic is wrong;
 *   the codes of zp_pvh_parse, and of zp_start_info_to_boot_params for the
 *     memory map (ZP_ENOMEMMAP, ZP_ETOOMANY, ZP_ETRUNCATED, ZP_ENOSPACE,
 *     ZP_EOVERFLOW) and the zero page;
 *   ZP_EBADADDR: a start_info structure outside the memory map, a bundled
 *     piece, the initrd or the relocation table not in (readable) RAM;
 *   the codes of zp_probe_bzimage(_header) for the bundled kernel;
 *   ZP_EENTRY: the kernel has no such entry, or KASLR was required and
 *     cannot be had;
 *   ZP_ELAYOUT: an initrd the kernel cannot reach, a non-relocatable
 *     kernel's or the vmlinux's room in use, or zp_check_layout's refusal;
 *   ZP_ENOSPACE: no room for the kernel, or the start_info copy does not
 *     fit preserve_cap;
 *   ZP_ECMDLINE: the bundled command line is not NUL-terminated, or
 *     bundled + loader's exceed the kernel's cmdline_size or cmdline_cap;
 *   ZP_ERELOCS (and ZP_EINVAL): the relocation table, as zp_relocs_parse and
 *     zp_relocs_check. */
int zp_shim_plan(const struct zp_shim_input *in, struct zp_shim_plan *plan,
		 struct zp_diag *diag);

#endif /* ZEROPAGE_BUNDLE_H */
