/* SPDX-License-Identifier: MIT */
/*
 * loaders.c - the rules each loader applies to a kernel image, as its own
 * source says, turned into a verdict for one image (zeropage/loaders.h).
 *
 * A rule reads only facts zp_probe* already established: the setup header
 * (protocol, loadflags, xloadflags, handover_offset, code32_start,
 * setup_sects), the EFI stub's PE machine, the ELF's class and machine and
 * its Xen notes.  Each rule names the loader source it comes from; when a
 * loader changes, its rule and its name (the version range) change here.
 * What no rule can see is said in `unknown`: guest memory, where the
 * loader puts the initrd, the kernel's configuration beyond its notes.
 */
#include <zeropage/loaders.h>
#include <zeropage/pe.h>

#include "env.h"

#define PVH_FIX_NAME	"bundle.elf"

/* ---- facts, derived once ---- */

struct facts {
	const struct zp_loader_facts *f;
	const char *img;		/* how fixes name the image */
	bool is_elf, is_uki, is_bz;	/* the file as given */
	const struct zp_bzimage *bz;	/* bzImage or UKI's .linux */
	const struct zp_elf *elf;	/* the ELF itself, or the payload's vmlinux */
	bool elf_known;
	bool elf64;			/* ELFCLASS64, x86-64 */
	bool pvh;			/* XEN_ELFNOTE_PHYS32_ENTRY */
	bool pvh_reloc;			/* XEN_ELFNOTE_PHYS32_RELOC */
	bool xen_pv;			/* XEN_ELFNOTE_ENTRY: a Xen PV entry */
	bool kernel64;			/* bzImage: XLF_KERNEL_64 */
	bool loaded_high;		/* bzImage: LOADED_HIGH, a 32-bit entry at code32_start */
};

static void derive(const struct zp_loader_facts *f, const char *img, struct facts *d)
{
	const struct zp_elf *e = f->elf;

	zp_memset(d, 0, sizeof(*d));
	d->f = f;
	d->img = img ? img : "IMAGE";
	d->is_elf = f->format == ZP_FORMAT_ELF;
	d->is_uki = f->format == ZP_FORMAT_UKI;
	d->is_bz = f->format == ZP_FORMAT_BZIMAGE;
	d->bz = d->is_elf ? NULL : f->bz;
	d->elf = e;
	d->elf_known = e != NULL;
	if (e) {
		d->elf64 = e->elf_class == 64 && e->machine == ZP_EM_X86_64;
		d->pvh = e->has_pvh;
		d->pvh_reloc = zp_elf_find_note(e, ZP_XEN_NOTE_NAME, ZP_XEN_ELFNOTE_PHYS32_RELOC);
		d->xen_pv = zp_elf_find_note(e, ZP_XEN_NOTE_NAME, ZP_XEN_ELFNOTE_ENTRY);
	}
	if (d->bz) {
		d->kernel64 = d->bz->protocol >= 0x20c && (d->bz->hdr.xloadflags & ZP_XLF_KERNEL_64);
		d->loaded_high = d->bz->hdr.loadflags & ZP_LOADED_HIGH;
	}
}

static const char *kind(const struct facts *d)
{
	if (d->is_uki)
		return "a UKI (PE/COFF)";
	if (d->is_bz)
		return "a bzImage";
	if (d->f->bundle)
		return "a zeropage bundle (ELF64 with a PVH note)";
	return d->elf64 ? "an ELF64 x86-64 kernel" : "an ELF32 kernel";
}

/* What the ELF the image is, or holds, says about its PVH entry. */
static const char *payload_note(const struct facts *d)
{
	if (d->is_elf)
		return "";
	if (!d->elf_known)
		return d->f->payload_why ? d->f->payload_why : "its payload was not read";
	return d->pvh ? "its vmlinux has a PVH note" : "its vmlinux has no PVH note";
}

static void say(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	zp_vformat(buf, cap, fmt, ap);
	va_end(ap);
}

/* Where a PVH ELF runs: a plain vmlinux at its link address; a bundle's
 * kernel wherever the shim's decompressor (or, for --entry vmlinux, the
 * shim itself) randomises it. */
static const char *pvh_kaslr(const struct facts *d)
{
	return d->f->bundle ? "the shim enters the kernel inside, which is randomised as "
			      "`zeropage info` on the bundle says"
			    : "at its link address: no KASLR";
}

#define WHY(v, ...)	say((v)->why, sizeof((v)->why), __VA_ARGS__)
/* fix: one command, runnable as it is; note: anything else worth saying
 * (the alternative, or what to do where no command helps). */
#define FIX(v, ...)	say((v)->fix, sizeof((v)->fix), __VA_ARGS__)
#define NOTE(v, ...)	say((v)->fix_note, sizeof((v)->fix_note), __VA_ARGS__)

/* Whether `zeropage bundle`'s shim has an entry to jump to: the 64-bit
 * one, or a 32-bit one at the start of the protected-mode code, which a
 * code32_start below 1 MiB says the image does not have (iPXE's .lkrn
 * sets 0: only its 16-bit setup code starts it). */
static bool bz_shim_can_enter(const struct facts *d)
{
	if (!d->bz || d->kernel64)
		return true;
	return d->loaded_high && d->bz->hdr.code32_start >= 0x100000;
}

/* The fix for a loader that wants a PVH ELF: the vmlinux inside, if it
 * has the note (`zeropage extract`), and is an ELF64 where the loader reads
 * only those (linux-loader); else the shim around the bzImage (`zeropage
 * bundle`, which takes a bzImage or a UKI, and is an ELF64 whatever the
 * kernel inside). */
static void fix_pvh_elf(const struct facts *d, struct zp_loader_verdict *v, bool need64)
{
	if (d->is_elf) {
		if (d->f->bundle)
			return;
		if (d->elf64 || !need64)
			NOTE(v, "none from this ELF: rebuild with CONFIG_PVH=y, or run `zeropage "
			    "bundle --kernel BZIMAGE -o " PVH_FIX_NAME "` on the bzImage it came from");
		else
			NOTE(v, "none from an ELF32: run `zeropage bundle --kernel BZIMAGE -o "
			    PVH_FIX_NAME "` on the bzImage it came from (an ELF64 with a PVH note)");
		return;
	}
	if (d->elf_known && d->pvh && (d->elf64 || !need64)) {
		FIX(v, "zeropage extract %s -o vmlinux", d->img);
		if (bz_shim_can_enter(d))
			NOTE(v, "`zeropage bundle --kernel %s -o " PVH_FIX_NAME "` works too",
			     d->img);
	} else if (bz_shim_can_enter(d)) {
		FIX(v, "zeropage bundle --kernel %s -o " PVH_FIX_NAME, d->img);
	} else if (!d->loaded_high) {
		NOTE(v, "none: a zImage (no LOADED_HIGH) has neither a 32-bit nor a 64-bit entry "
		     "for a shim to enter; its 16-bit setup runs under qemu-bzimage");
	} else {
		NOTE(v, "none: code32_start 0x%x is no 32-bit entry and there is no 64-bit one "
		     "for a shim to enter; its 16-bit setup runs under qemu-bzimage and GRUB's "
		     "linux16", d->bz->hdr.code32_start);
	}
}

/* QEMU and Xen take an ELF32 PVH kernel too; linux-loader's VMMs do not. */
static void fix_pvh(const struct facts *d, struct zp_loader_verdict *v)
{
	fix_pvh_elf(d, v, false);
}

static void fix_pvh64(const struct facts *d, struct zp_loader_verdict *v)
{
	fix_pvh_elf(d, v, true);
}

/* The setup header, as rust-vmm linux-loader's BzImage::load checks it
 * (src/loader/bzimage/mod.rs, v0.14.0; the same in v0.13.2, which Cloud
 * Hypervisor v53 and Firecracker v1.16.1 lock): "HdrS" at 0x202, protocol
 * 2.00+ and LOADED_HIGH (else InvalidBzImage), then, only when the VMM
 * passes a high-memory start, code32_start at or above it (else
 * InvalidKernelStartAddress; Firecracker passes get_kernel_start(), Cloud
 * Hypervisor layout::HIGH_RAM_START, both 1 MiB).  The protected-mode part
 * is then copied to code32_start, which is also kernel_load. */
static bool linux_loader_bz_ok(const struct facts *d, struct zp_loader_verdict *v)
{
	const struct zp_bzimage *bz = d->bz;

	if (!d->loaded_high) {
		WHY(v, "linux-loader's BzImage::load refuses a bzImage without LOADED_HIGH "
		    "(loadflags 0x%x): InvalidBzImage", bz->hdr.loadflags);
		return false;
	}
	if (bz->hdr.code32_start < 0x100000) {
		WHY(v, "code32_start 0x%x lies below 1 MiB, the high-memory start Firecracker and "
		    "Cloud Hypervisor pass to BzImage::load: InvalidKernelStartAddress",
		    bz->hdr.code32_start);
		return false;
	}
	return true;
}

/* The ELF header as linux-loader's Elf::load reads it
 * (src/loader/elf/mod.rs, v0.14.0, validate_header): always as an
 * Elf64_Ehdr, so an ELF32's e_phentsize is not 56:
 * InvalidProgramHeaderSize; e_entry below the VMM's high-memory start is
 * InvalidEntryAddress.  Its parse_elf_note looks for type 18
 * (XEN_ELFNOTE_PHYS32_ENTRY) only: PHYS32_RELOC is never read. */
static bool linux_loader_elf_ok(const struct facts *d, struct zp_loader_verdict *v)
{
	if (d->elf->elf_class != 64) {
		WHY(v, "an ELF32: linux-loader reads every ELF as ELF64 and refuses program "
		    "headers of 32 bytes (InvalidProgramHeaderSize)");
		return false;
	}
	if (d->elf->machine != ZP_EM_X86_64) {
		WHY(v, "ELF machine %u is not x86-64", d->elf->machine);
		return false;
	}
	if (d->elf->entry < 0x100000) {
		WHY(v, "e_entry 0x%llx lies below 1 MiB, the VMM's high-memory start: "
		    "linux-loader's InvalidEntryAddress", (unsigned long long)d->elf->entry);
		return false;
	}
	return true;
}

/* What linux-loader's two loaders make of the image, tried as the VMMs
 * built on it try them: Elf::load, then BzImage::load. */
enum ll_route { LL_REFUSED, LL_ELF, LL_BZIMAGE };

/* The route; for LL_REFUSED the why is written and `fix` gives the fix
 * (the VMM's own: an ELF64, or a PVH one). */
static enum ll_route linux_loader_route(const struct facts *d, struct zp_loader_verdict *v,
					void (*fix)(const struct facts *, struct zp_loader_verdict *))
{
	bool ok;

	if (d->is_uki) {
		WHY(v, "a UKI: linux-loader's Elf::load finds no ELF magic (InvalidElfMagicNumber), "
		    "its BzImage::load no \"HdrS\" at 0x202 (InvalidBzImage)");
		fix(d, v);
		return LL_REFUSED;
	}
	ok = d->is_bz ? linux_loader_bz_ok(d, v) : linux_loader_elf_ok(d, v);
	if (!ok) {
		fix(d, v);
		return LL_REFUSED;
	}
	return d->is_bz ? LL_BZIMAGE : LL_ELF;
}

/* Whether a bzImage's own decompressor may move it: only a relocatable
 * kernel (relocatable_kernel, 2.05+) with a payload to decompress; KASLR
 * then still needs CONFIG_RANDOMIZE_BASE, which the header does not say. */
static const char *bz_kaslr(const struct facts *d)
{
	if (!d->bz->has_payload)
		return "no payload to decompress: it runs where it is loaded (no KASLR)";
	if (!d->bz->relocatable)
		return "not relocatable: it runs where it is loaded (no KASLR)";
	return "relocatable: its decompressor may randomise it (KASLR, if built in)";
}

/* ---- QEMU: hw/i386/x86.c, x86_load_linux() and load_elfboot() (7.2 is
 * installed here; read in the qemu/qemu copy at 00ef48ff0de9, whose
 * initrd logic is the one 7.2 ships; x86-common.c later) ---- */

/* The bzImage loader: "HdrS" at 0x202 makes a Linux kernel of that
 * protocol; without it QEMU tries multiboot, then an ELF with a PVH note
 * (load_elfboot), and else takes the file for a protocol-0 zImage, which
 * refuses -initrd ("linux kernel too old to load a ram disk", the error
 * mkosi #4292 users meet with a UKI).  QEMU keeps the initrd below 4 GiB
 * and below initrd_addr_max: initrd_max is a uint32_t (UINT32_MAX with
 * XLF_CAN_BE_LOADED_ABOVE_4G), capped at the RAM below 4 GiB, since QEMU
 * writes no ext_ramdisk_image. */
static void judge_qemu_bzimage(const struct facts *d, struct zp_loader_verdict *v)
{
	if (d->is_elf) {
		WHY(v, "%s: QEMU's -kernel takes an ELF by its PVH note (loader qemu-pvh), "
		    "never as a bzImage", kind(d));
		return;
	}
	if (d->is_uki) {
		WHY(v, "a UKI has no \"HdrS\" at 0x202: QEMU takes it for a protocol-0 zImage, "
		    "refuses -initrd (\"linux kernel too old to load a ram disk\") and would "
		    "jump into PE/COFF bytes");
		FIX(v, "zeropage bundle --kernel %s -o " PVH_FIX_NAME, d->img);
		NOTE(v, "then qemu -kernel " PVH_FIX_NAME ": the UKI's .linux, .initrd and "
		     ".cmdline, started by the shim");
		return;
	}
	/* zp_probe takes 2.00 and later only: QEMU loads every one of them
	 * (below 2.00, or without LOADED_HIGH, as a zImage at 0x10000). */
	v->boots = true;
	WHY(v, "a bzImage of protocol %u.%02u: QEMU loads its setup and enters the 16-bit "
	    "setup code, which builds the zero page", d->bz->protocol >> 8, d->bz->protocol & 0xff);
}

/* The PVH loader (load_elfboot; QEMU 4.0+): an ELF32 or ELF64 whose
 * XEN_ELFNOTE_PHYS32_ENTRY note gives the entry (load_elf is asked for that
 * note type only, read_pvh_start_addr); without it QEMU exits with "Error
 * loading uncompressed kernel without PVH ELF Note".  Segments go to their
 * p_paddr: PHYS32_RELOC is never read.  The initrd goes at the top of the
 * RAM below 4 GiB. */
static void judge_qemu_pvh(const struct facts *d, struct zp_loader_verdict *v)
{
	if (!d->is_elf) {
		WHY(v, "%s: QEMU's PVH loader takes an ELF only%s%s%s", kind(d),
		    d->is_bz ? " (-kernel with a bzImage uses the bzImage loader, qemu-bzimage)"
		    : "", d->elf_known ? "; " : "", d->elf_known ? payload_note(d) : "");
		fix_pvh(d, v);
		return;
	}
	if (!d->pvh) {
		WHY(v, "%s with no PVH note (XEN_ELFNOTE_PHYS32_ENTRY): QEMU exits with \"Error "
		    "loading uncompressed kernel without PVH ELF Note\"", kind(d));
		fix_pvh(d, v);
		return;
	}
	v->boots = true;
	WHY(v, "%s: entered at its PVH entry 0x%llx in 32-bit protected mode, its segments "
	    "at their link addresses (QEMU reads no PHYS32_RELOC); %s", kind(d),
	    (unsigned long long)d->elf->pvh_entry, pvh_kaslr(d));
}

/* ---- Firecracker: load_kernel in src/vmm/src/arch/x86_64/mod.rs, which
 * calls linux-loader with highmem_start = get_kernel_start()
 * (layout::HIMEM_START, 1 MiB) ---- */

/* An ELF that linux-loader took, as both Firecracker lines enter it: the
 * PVH entry when the note is there (PvhEntryPresent), else the 64-bit
 * Linux boot protocol at e_entry with a zero page Firecracker writes. */
static void firecracker_elf_boots(const struct facts *d, struct zp_loader_verdict *v)
{
	v->boots = true;
	if (d->pvh)
		WHY(v, "%s: its PVH entry 0x%llx (Firecracker prefers PVH when the note is "
		    "there); %s", kind(d), (unsigned long long)d->elf->pvh_entry, pvh_kaslr(d));
	else
		WHY(v, "%s without a PVH note: the 64-bit Linux boot protocol at e_entry "
		    "0x%llx with Firecracker's zero page, at its link address: no KASLR",
		    kind(d), (unsigned long long)d->elf->entry);
}

/* The fix for a loader that takes any x86-64 ELF: the vmlinux inside when
 * it is one, else the bundle. */
static void fix_elf64(const struct facts *d, struct zp_loader_verdict *v)
{
	if (d->elf_known && d->elf64) {
		FIX(v, "zeropage extract %s -o vmlinux", d->img);
		NOTE(v, "%s; `zeropage bundle --kernel %s -o " PVH_FIX_NAME "` works too",
		     payload_note(d), d->img);
	} else {
		fix_pvh64(d, v);
	}
}

/* Firecracker up to 1.16 (v1.16.1, 2026-06-29, the newest release tag):
 * load_kernel calls linux-loader's Elf::load only, so a bzImage fails
 * with InvalidElfMagicNumber ("Kernel Loader: Invalid Elf magic number",
 * reported with 1.14.1 in mvm #2594; mvm #763 wrote its own extractor). */
static void judge_firecracker_116(const struct facts *d, struct zp_loader_verdict *v)
{
	if (d->is_elf) {
		if (linux_loader_route(d, v, fix_pvh64) == LL_ELF)
			firecracker_elf_boots(d, v);
		return;
	}
	WHY(v, "%s: Firecracker 1.16 loads an ELF kernel only (\"Kernel Loader: Invalid Elf "
	    "magic number\")", kind(d));
	fix_elf64(d, v);
}

/* Firecracker main, unreleased (PR #6037, commit 1abe0c97f "feat(kernel):
 * support bzImage direct boot on x86_64", on main since 2026-07-24):
 * Elf::load first, on InvalidElfMagicNumber BzImage::load; a bzImage is
 * entered at kernel_load (code32_start) + 0x200, its 64-bit entry, with
 * the zero page seeded from its setup header, and refused
 * (BzImageMissing64BitEntry) below 2.12 or without XLF_KERNEL_64. */
static void judge_firecracker_main(const struct facts *d, struct zp_loader_verdict *v)
{
	switch (linux_loader_route(d, v, d->is_elf ? fix_pvh64 : fix_elf64)) {
	case LL_REFUSED:
		return;
	case LL_ELF:
		firecracker_elf_boots(d, v);
		return;
	case LL_BZIMAGE:
		break;
	}
	if (!d->kernel64) {
		WHY(v, "a 32-bit kernel (no XLF_KERNEL_64): Firecracker enters a bzImage only at "
		    "its 64-bit entry, code32_start + 0x200 (BzImageMissing64BitEntry)");
		fix_pvh64(d, v);
		return;
	}
	v->boots = true;
	WHY(v, "a 64-bit bzImage: its 64-bit entry 0x%x with the zero page seeded from its "
	    "setup header; %s", d->bz->hdr.code32_start + 0x200, bz_kaslr(d));
}

/* ---- Cloud Hypervisor v53 (2026-07-12): Vm::load_kernel in vmm/src/vm.rs
 * calls Elf::load and, on any error, BzImage::load, both with
 * layout::HIGH_RAM_START (1 MiB) and no kernel_offset ---- */

/* An ELF only by its PVH note (KernelMissingPvhHeader, "Kernel lacks PVH
 * header": the 64-bit Linux boot protocol was removed by PR #2569, fixing
 * #2231); a bzImage by its 32-bit entry at kernel_load (PR #6200, commit
 * 09cf8c311, 2024-02), which any bzImage linux-loader takes has.  With no
 * kernel_offset a PVH kernel stays at its link address; issue #7782 (open)
 * asks for the Linux boot protocol back for KASLR. */
static void judge_cloud_hypervisor(const struct facts *d, struct zp_loader_verdict *v)
{
	enum ll_route r = linux_loader_route(d, v, fix_pvh64);

	if (r == LL_BZIMAGE) {
		v->boots = true;
		WHY(v, "a bzImage: its 32-bit entry 0x%x with a zero page from its setup "
		    "header; %s", d->bz->hdr.code32_start, bz_kaslr(d));
	}
	if (r != LL_ELF)
		return;
	if (!d->pvh) {
		WHY(v, "%s without a PVH note: Cloud Hypervisor boots an ELF only by its "
		    "PHYS32_ENTRY (\"Kernel lacks PVH header\"; the 64-bit Linux boot protocol "
		    "was removed, #2231)", kind(d));
		fix_pvh64(d, v);
		return;
	}
	v->boots = true;
	WHY(v, "%s: its PVH entry 0x%llx; %s", kind(d), (unsigned long long)d->elf->pvh_entry,
	    d->f->bundle ? pvh_kaslr(d) : "at its link address: Cloud Hypervisor passes no "
	    "kernel_offset, so a PVH kernel is not randomised (#7782)");
}

/* ---- rust-vmm linux-loader 0.14, the crate itself ---- */

/* What the crate accepts; the entry and the zero page are its VMM's. */
static void judge_linux_loader(const struct facts *d, struct zp_loader_verdict *v)
{
	enum ll_route r = linux_loader_route(d, v, fix_pvh64);

	if (r == LL_REFUSED)
		return;
	v->boots = true;
	if (r == LL_BZIMAGE)
		WHY(v, "BzImage::load copies it to code32_start 0x%x and hands back its setup "
		    "header; which entry runs is the VMM's choice", d->bz->hdr.code32_start);
	else
		WHY(v, "%s: Elf::load copies its segments to their p_paddr; PVH capability %s "
		    "(it reads PHYS32_ENTRY only, never PHYS32_RELOC, and ignores PVH when the "
		    "VMM asks for a kernel_offset)", kind(d), d->pvh ? "present" : "absent");
}

/* ---- Xen ---- */

/* Both of Xen's bzImage loaders want protocol 2.08+ and a payload to
 * decompress into the vmlinux whose notes they then read:
 *  - dom0: xen/arch/x86/bzimage.c, bzimage_check() ("Cannot load bzImage
 *    v%d.%02d at least v2.08 is required"), then bzimage_parse() takes
 *    payload_offset/payload_length and decompresses it, or takes it as an
 *    ELF; an empty payload is neither;
 *  - domU: tools/libs/guest/xg_dom_bzimageloader.c,
 *    xc_dom_probe_bzimage_kernel() ("boot protocol too old" below 2.08),
 *    then the payload must begin with a compressor's magic ("unknown
 *    compression format"), which an empty one cannot.
 * (Both unchanged from 4.17, installed here, to master of 2026-08.)
 * Neither reads PE/COFF.  False with the verdict written. */
static bool xen_bzimage_ok(const struct facts *d, struct zp_loader_verdict *v, bool pv)
{
	const struct zp_bzimage *bz = d->bz;

	if (bz->protocol >= 0x208 && bz->has_payload)
		return true;
	if (bz->protocol < 0x208)
		WHY(v, "protocol %u.%02u: Xen's bzImage loaders need 2.08 (dom0: \"at least v2.08 "
		    "is required\"; libxenguest: \"boot protocol too old\")",
		    bz->protocol >> 8, bz->protocol & 0xff);
	else
		WHY(v, "no payload (payload_length 0): Xen decompresses the payload to read the "
		    "notes of the ELF inside, and this image has none (libxenguest: \"unknown "
		    "compression format\")");
	if (pv)
		NOTE(v, "none: Xen's PV loaders take only a Linux kernel with a Xen PV entry");
	else if (!bz_shim_can_enter(d))
		fix_pvh(d, v);	/* says why no bundle helps either */
	else
		NOTE(v, "`zeropage bundle --kernel %s -o " PVH_FIX_NAME "` gives Xen a PVH ELF "
		     "whose shim enters the image's own entry (not checked for a non-Linux "
		     "image)", d->img);
	return false;
}

/* The ELF whose notes Xen's builders read: the image's own, or the
 * vmlinux they decompress out of a bzImage (xen_bzimage_ok).  False with
 * the verdict written; where the payload was not read the verdict is not
 * known, not a no. */
static bool xen_elf(const struct facts *d, struct zp_loader_verdict *v, bool pv)
{
	if (d->is_uki) {
		WHY(v, "a UKI: Xen's builders take an ELF or a bzImage, not PE/COFF");
		if (d->elf_known && pv && d->xen_pv) {
			FIX(v, "zeropage extract %s -o vmlinux", d->img);
			NOTE(v, "its vmlinux has a Xen PV entry");
		}
		else if (!pv)
			fix_pvh(d, v);
		return false;
	}
	if (d->is_bz && !xen_bzimage_ok(d, v, pv))
		return false;
	if (!d->elf_known) {
		v->known = false;
		WHY(v, "cannot tell: Xen decompresses the payload and reads the notes of the "
		    "vmlinux inside, and %s", payload_note(d));
		return false;
	}
	return true;
}

/* PV (libelf's elf_xen_parse; the kernel's xen-head.S): a Xen PV entry,
 * XEN_ELFNOTE_ENTRY, which only a kernel built with CONFIG_XEN_PV has.
 * One rule for a domU (xl type="pv") and for dom0
 * (xen/arch/x86/pv/dom0_build.c). */
static void judge_xen_pv(const struct facts *d, struct zp_loader_verdict *v)
{
	if (!xen_elf(d, v, true))
		return;
	if (d->f->bundle) {
		WHY(v, "a zeropage bundle: the shim has a PVH entry only, no Xen PV entry");
		NOTE(v, "none from the bundle: give Xen the bzImage it bundles, if its vmlinux "
		    "has a Xen PV entry");
		return;
	}
	if (!d->xen_pv) {
		WHY(v, "no XEN_ELFNOTE_ENTRY note%s: the kernel has no Xen PV entry (built "
		    "without CONFIG_XEN_PV)", d->is_bz ? " in its vmlinux" : "");
		NOTE(v, "none for PV; boot it as PVH (xen-pvh-domu)");
		return;
	}
	v->boots = true;
	WHY(v, "its Xen PV entry (XEN_ELFNOTE_ENTRY)%s", d->is_bz ?
	    ", in the vmlinux Xen decompresses out of the bzImage" : "");
}

/* PVH: PHYS32_ENTRY is all a PVH guest needs (xen/common/libelf/
 * libelf-dominfo.c, elf_xen_note_check; Xen commit 2dd3e22949
 * "tools/libelf: fix elf notes check for PVH guest", 2018-01, 4.11); the
 * domU builder is xg_dom_elfloader.c under xl type="pvh". */
static bool xen_pvh_common(const struct facts *d, struct zp_loader_verdict *v)
{
	if (!xen_elf(d, v, false))
		return false;
	if (!d->pvh) {
		WHY(v, "no XEN_ELFNOTE_PHYS32_ENTRY note%s: no PVH entry for Xen to start",
		    d->is_bz ? " in its vmlinux" : "");
		fix_pvh(d, v);
		return false;
	}
	v->boots = true;
	return true;
}

static void judge_xen_pvh_domu(const struct facts *d, struct zp_loader_verdict *v)
{
	if (xen_pvh_common(d, v))
		WHY(v, "its PVH entry 0x%llx%s", (unsigned long long)d->elf->pvh_entry,
		    d->is_bz ? ", in the vmlinux libxenguest decompresses out of the bzImage" : "");
}

/* Dom0 before 4.19 (xen/arch/x86/hvm/dom0_build.c, pvh_load_kernel): the
 * kernel goes where its ELF says, or dom0 is not built ("Address conflict"
 * with a reserved region there). */
static void judge_xen_pvh_dom0_old(const struct facts *d, struct zp_loader_verdict *v)
{
	if (xen_pvh_common(d, v))
		WHY(v, "its PVH entry 0x%llx, at its link address only (PHYS32_RELOC is not "
		    "read before 4.19)%s", (unsigned long long)d->elf->pvh_entry,
		    d->is_bz ? "; Xen decompresses the bzImage itself" : "");
}

/* Dom0 from 4.19: xen/arch/x86/hvm/dom0_build.c,
 * check_and_adjust_load_address() and find_kernel_memory(), called by
 * pvh_load_kernel, move a kernel whose link address is not free RAM to a
 * place its XEN_ELFNOTE_PHYS32_RELOC allows (align, min, max); else "Address
 * conflict and not relocatable".  Xen commit dfc9fab003 "x86/PVH: Support
 * relocatable dom0 kernels" (2024-04-08), first in 4.19.0-rc1, not in 4.18. */
static void judge_xen_pvh_dom0_419(const struct facts *d, struct zp_loader_verdict *v)
{
	if (xen_pvh_common(d, v))
		WHY(v, "its PVH entry 0x%llx; %s%s", (unsigned long long)d->elf->pvh_entry,
		    d->pvh_reloc ? "relocated within its PHYS32_RELOC range when its link "
		    "address is taken" : "no PHYS32_RELOC note: at its link address only",
		    d->is_bz ? "; Xen decompresses the bzImage itself" : "");
}

/* ---- UEFI ---- */

/* x64 firmware (OVMF, a firmware boot entry, systemd-boot 252's type #1
 * entries) LoadImages a PE/COFF image of its own machine: the EFI stub's
 * header (Documentation/admin-guide/efi-stub.rst), or a UKI whose
 * systemd-stub then starts its .linux. */
static void judge_ovmf(const struct facts *d, struct zp_loader_verdict *v)
{
	uint16_t m = d->f->pe_machine;

	if (d->is_elf) {
		WHY(v, "%s: UEFI starts PE/COFF images only", kind(d));
		NOTE(v, "none from an ELF: boot the bzImage it came from (its EFI stub)");
		return;
	}
	if (d->is_uki ? m != ZP_PE_MACHINE_AMD64 : !d->bz->has_pe_header) {
		WHY(v, "%s", d->is_uki ? "the UKI's PE machine is not x86-64"
		    : "no PE/COFF header: the kernel was built without CONFIG_EFI_STUB");
		return;
	}
	if (!d->is_uki && (m ? m != ZP_PE_MACHINE_AMD64 : !d->kernel64)) {
		WHY(v, "its EFI stub is %s: x64 firmware's LoadImage refuses it", m ?
		    zp_pe_machine_name(m) : "a 32-bit kernel's");
		return;
	}
	v->boots = true;
	WHY(v, "%s", d->is_uki ? "LoadImage on the UKI: systemd-stub starts its .linux with "
	    "its .initrd and .cmdline" : "LoadImage on its PE/COFF header: the EFI stub runs "
	    "(efi_pe_entry) and builds its own zero page");
}

/* 32-bit firmware: an i386 EFI stub, or a 64-bit kernel's 32-bit EFI
 * handover entry (mixed mode: XLF_EFI_HANDOVER_32 and handover_offset),
 * which OVMF falls back to when LoadImage refuses the x64 image. */
static void judge_ovmf_ia32(const struct facts *d, struct zp_loader_verdict *v)
{
	const struct zp_bzimage *bz = d->bz;

	if (d->is_elf || d->is_uki) {
		WHY(v, "%s", d->is_elf ? "an ELF: UEFI starts PE/COFF images only"
		    : "a UKI's systemd-stub is x86-64 code, which 32-bit firmware cannot run");
		return;
	}
	if (d->f->pe_machine == ZP_PE_MACHINE_I386) {
		v->boots = true;
		WHY(v, "LoadImage on its i386 EFI stub");
		return;
	}
	if (bz->protocol >= 0x20c && (bz->entries & ZP_ENTRY_EFI32)) {
		v->boots = true;
		WHY(v, "mixed mode: its 32-bit EFI handover entry (XLF_EFI_HANDOVER_32, "
		    "handover_offset 0x%x)", bz->hdr.handover_offset);
		return;
	}
	WHY(v, "no i386 EFI stub and no 32-bit EFI handover entry (XLF_EFI_HANDOVER_32): "
	    "nothing 32-bit firmware can start");
}

/* ---- GRUB 2.06: grub-core/loader/i386/linux.c, grub_cmd_linux (tag
 * grub-2.06) ----
 * Its `linux` command on i386-pc and, as Debian 12 builds it, on
 * x86_64-efi too (without Secure Boot; with it, linuxefi takes over):
 * "invalid magic number" without boot_flag 0xaa55, "too many setup
 * sectors" above 64, "version too old for 32-bit boot" without "HdrS" or
 * below 2.03, "zImage doesn't support 32-bit boot" without LOADED_HIGH
 * (on i386-pc both add "try with `linux16'").  It then builds the zero
 * page and grub_linux_boot enters 32-bit code at code32_start, which
 * grub_cmd_linux rebases to where it loaded the kernel: load address +
 * code32_start - 0x100000.  A code32_start below 1 MiB therefore points
 * below the kernel: the image has no 32-bit entry there (iPXE's .lkrn sets
 * 0: its lkrnprefix.S has only the 16-bit setup). */
static bool grub_linux_ok(const struct facts *d, struct zp_loader_verdict *v, bool efi)
{
	const struct zp_bzimage *bz = d->bz;
	const char *try16 = efi ? "" : "; try with `linux16'";

	if (bz->setup_sects > 64)
		WHY(v, "setup_sects %u: GRUB refuses more than 64 (\"too many setup sectors\")",
		    bz->setup_sects);
	else if (bz->protocol < 0x203)
		WHY(v, "protocol %u.%02u: GRUB's linux needs 2.03 (\"version too old for 32-bit "
		    "boot\"%s)", bz->protocol >> 8, bz->protocol & 0xff, try16);
	else if (!d->loaded_high)
		WHY(v, "no LOADED_HIGH: a zImage (\"zImage doesn't support 32-bit boot\"%s)",
		    try16);
	else if (bz->hdr.code32_start < 0x100000)
		WHY(v, "code32_start 0x%x: GRUB's linux enters 32-bit code at the load address "
		    "+ code32_start - 1 MiB, below the kernel: the image has no 32-bit entry%s",
		    bz->hdr.code32_start, try16);
	else
		return true;
	/* what helps where linux does not: GRUB's 16-bit loader, on BIOS only */
	if (efi)
		NOTE(v, "none in GRUB EFI (`linux16` is i386-pc only): boot an EFI build of it "
		     "with `chainloader`, if there is one");
	return false;
}

static void judge_grub(const struct facts *d, struct zp_loader_verdict *v, bool efi)
{
	const struct zp_bzimage *bz = d->bz;

	if (!d->is_bz) {
		WHY(v, "%s: GRUB's linux finds no setup header (\"invalid magic number\")",
		    kind(d));
		if (d->is_uki && efi)
			NOTE(v, "GRUB's `chainloader` on the UKI instead of `linux` (an EFI image)");
		else if (!d->is_uki)
			NOTE(v, "none from an ELF: boot the bzImage it came from");
		return;
	}
	if (!grub_linux_ok(d, v, efi))
		return;
	v->boots = true;
	WHY(v, "protocol %u.%02u: GRUB builds the zero page and enters the 32-bit entry at "
	    "code32_start 0x%x (rebased to where it loads the kernel)", bz->protocol >> 8,
	    bz->protocol & 0xff, bz->hdr.code32_start);
}

static void judge_grub_bios(const struct facts *d, struct zp_loader_verdict *v)
{
	judge_grub(d, v, false);
}

static void judge_grub_efi(const struct facts *d, struct zp_loader_verdict *v)
{
	judge_grub(d, v, true);
}

/* ---- the table ---- */

struct loader_rule {
	const char *name, *versions, *matrix, *machine, *unknown;
	void (*judge)(const struct facts *d, struct zp_loader_verdict *v);
};

#define MEM_INITRD "guest RAM, and whether the initrd fits where the loader puts it"
#define XEN_DOMU_UNKNOWN "the domain's memory; Xen's decompressor for the payload's compression"
#define SECURE_BOOT_UNKNOWN "Secure Boot: whether the image is signed by a key the firmware trusts"

static const struct loader_rule rules[ZP_LOADERS_COUNT] = {
	{ "qemu-bzimage", "QEMU -kernel with a bzImage (checked with 7.2)", "qemu-bios", "pc",
	  "guest RAM for init_size; the initrd must fit in the RAM below 4 GiB and below "
	  "initrd_addr_max (4 GiB with XLF_CAN_BE_LOADED_ABOVE_4G: QEMU has no 64-bit "
	  "initrd fields)", judge_qemu_bzimage },
	{ "qemu-pvh", "QEMU 4.0+ -kernel with an ELF", "qemu-pvh", "pc",
	  "guest RAM at the link address; the initrd is kept below 4 GiB",
	  judge_qemu_pvh },
	{ "firecracker-1.16", "Firecracker releases up to 1.16.1, the newest (ELF only)", NULL, NULL,
	  MEM_INITRD "; the kernel's drivers for Firecracker's devices (virtio-mmio)",
	  judge_firecracker_116 },
	{ "firecracker-main", "Firecracker main since 2026-07-24 (PR #6037), in no release yet",
	  NULL, NULL,
	  MEM_INITRD "; the kernel's drivers for Firecracker's devices (virtio-mmio)",
	  judge_firecracker_main },
	{ "cloud-hypervisor-53", "Cloud Hypervisor 53 (bzImage since v39, PR #6200)", NULL, NULL,
	  MEM_INITRD "; the kernel's virtio drivers", judge_cloud_hypervisor },
	{ "linux-loader-0.14", "rust-vmm linux-loader 0.14, the crate VMMs load with", NULL, NULL,
	  "everything after loading: the entry, the zero page and the memory are the VMM's",
	  judge_linux_loader },
	{ "xen-pv-domu", "Xen libxenguest, xl type=\"pv\" (4.x)", "xen-pv", "xen-domu",
	  XEN_DOMU_UNKNOWN,
	  judge_xen_pv },
	{ "xen-pvh-domu", "Xen libxenguest, xl type=\"pvh\" (4.10+)", "xen-pvh", "xen-domu",
	  XEN_DOMU_UNKNOWN,
	  judge_xen_pvh_domu },
	{ "xen-pv-dom0", "Xen PV dom0 (4.x)", "xen-pv", "xen",
	  "the host's memory map and dom0_mem", judge_xen_pv },
	{ "xen-pvh-dom0-upto-4.18", "Xen PVH dom0 (dom0=pvh) before 4.19", "xen-pvh", "xen",
	  "whether the host's memory map has free RAM at the kernel's link address",
	  judge_xen_pvh_dom0_old },
	{ "xen-pvh-dom0-4.19", "Xen PVH dom0 (dom0=pvh) 4.19 and later", NULL, NULL,
	  "the host's memory map and dom0_mem", judge_xen_pvh_dom0_419 },
	{ "ovmf", "x64 UEFI LoadImage: OVMF, a firmware boot entry, systemd-boot", "ovmf", "pc",
	  SECURE_BOOT_UNKNOWN,
	  judge_ovmf },
	{ "ovmf-ia32", "32-bit UEFI (OVMF ia32) with an x86 kernel", "ovmf-ia32", "q35",
	  SECURE_BOOT_UNKNOWN,
	  judge_ovmf_ia32 },
	{ "grub-bios", "GRUB 2.06 linux on i386-pc", "grub-bios", "pc",
	  "guest RAM and where GRUB finds room for the initrd", judge_grub_bios },
	{ "grub-efi", "GRUB 2.06 linux on x86_64-efi as Debian 12 builds it, Secure Boot off",
	  "grub-efi", "pc", "Secure Boot (GRUB then uses linuxefi and shim's verification)",
	  judge_grub_efi },
};

const char *zp_loader_name(unsigned idx)
{
	return idx < ZP_LOADERS_COUNT ? rules[idx].name : NULL;
}

static bool facts_valid(const struct zp_loader_facts *f)
{
	switch (f->format) {
	case ZP_FORMAT_BZIMAGE:
	case ZP_FORMAT_UKI:
		return f->bz != NULL;
	case ZP_FORMAT_ELF:
		return f->elf != NULL;
	default:
		return false;
	}
}

int zp_loaders_judge(const struct zp_loader_facts *f, const char *image,
		     struct zp_loader_verdict *out, size_t cap)
{
	struct facts d;

	if (!f || !out || !facts_valid(f))
		return ZP_EINVAL;
	if (cap < ZP_LOADERS_COUNT)
		return ZP_ENOSPACE;
	derive(f, image, &d);
	for (unsigned i = 0; i < ZP_LOADERS_COUNT; i++) {
		struct zp_loader_verdict *v = &out[i];

		zp_memset(v, 0, sizeof(*v));
		v->loader = rules[i].name;
		v->versions = rules[i].versions;
		v->matrix_path = rules[i].matrix;
		v->matrix_machine = rules[i].machine;
		v->unknown = rules[i].unknown;
		v->known = true;	/* a rule that cannot tell says so */
		rules[i].judge(&d, v);
		if (!v->known)
			v->boots = false;
		if (v->boots) {
			v->fix[0] = '\0';
			v->fix_note[0] = '\0';
		}
	}
	return ZP_LOADERS_COUNT;
}
