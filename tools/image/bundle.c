/* SPDX-License-Identifier: MIT */
/*
 * bundle.c - the bundle writer (the reader is bundle_read.c).
 *
 * A bundle is an ELF64 file that a PVH loader (QEMU -kernel, Firecracker,
 * Cloud Hypervisor, Xen type="pvh") loads segment by segment at each
 * PT_LOAD's physical address and then starts at the XEN_ELFNOTE_PHYS32_ENTRY
 * note.  Every placement is decided here, at bundle time, so that in the
 * common case the shim moves nothing:
 *
 *   0x100000      the shim (text, data with the descriptor, bss)
 *   after it      the default command line, NUL-terminated
 *   below kernel  the initrd, when it fits between the command line and the
 *                 kernel; else above the kernel's init_size room
 *   pref_address  the kernel: the whole bzImage file placed so that its
 *   - setup_size  protected-mode part starts exactly at the load address
 *                 (pref_address, honouring kernel_alignment), so the shim
 *                 probes it in place and the decompressor runs where it is;
 *                 for the vmlinux entry, the bzImage's setup part there and
 *                 the vmlinux's own PT_LOADs at their physical addresses.
 */
#include <stdlib.h>
#include <string.h>

#include "common/tool_err.h"
#include "image/bundle_file.h"
#include "image/shim_reloc.h"

#define ULL(v)		((unsigned long long)(v))
#define PAGE		0x1000ull
#define MAX_PIECES	(ZP_ELF_MAX_SEGMENTS + 8)
#define NOTES_SIZE	(24 + 32)	/* Xen PHYS32_ENTRY note + ZeroPage note */

extern const uint8_t shim_elf_start[], shim_elf_end[];

const uint8_t *embedded_shim_elf(size_t *len)
{
	*len = (size_t)(shim_elf_end - shim_elf_start);
	return shim_elf_start;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static const char *entry_word(uint32_t entry)
{
	return entry == ZP_BUNDLE_ENTRY_64 ? "64" : entry == ZP_BUNDLE_ENTRY_32 ? "32" :
	       entry == ZP_BUNDLE_ENTRY_VMLINUX ? "vmlinux" : "64 or 32 (the default)";
}

int bundle_choose_entry(const struct zp_bzimage *bz, uint32_t asked, uint32_t *entry,
			char *note, size_t cap, struct tool_err *err)
{
	struct zp_diag diag;
	bool fell_back;
	int r = zp_bundle_choose_entry(bz, asked, entry, &fell_back, &diag);	/* the core decides */

	if (note && cap)
		note[0] = 0;
	if (r) {
		tool_err_set(err, "kernel cannot take entry %s: %s", entry_word(asked),
			     diag.msg[0] ? diag.msg : zp_strerror(r));
		return -1;
	}
	if (fell_back && note && cap)
		snprintf(note, cap, "%s", diag.msg);
	return 0;
}

int bundle_check_entry(const struct zp_bzimage *bz, uint32_t entry, struct tool_err *err)
{
	uint32_t chosen;

	return bundle_choose_entry(bz, entry, &chosen, NULL, 0, err);
}

/* One PT_LOAD of the bundle. */
struct piece {
	const char *what;
	uint64_t paddr, memsz;
	const uint8_t *data;
	uint64_t filesz;
	uint32_t flags;		/* PF_R 4, PF_W 2, PF_X 1 */
	uint64_t offset;	/* in the bundle file, set by the writer */
};

struct plan {
	struct piece p[MAX_PIECES];
	unsigned n;
	struct zp_bundle_desc desc;
	uint64_t desc_paddr, pvh_entry;
	unsigned shim_data;	/* index of the shim piece that holds the descriptor */
	uint8_t *moved_shim;	/* the shim moved out of the kernel's way, or NULL */
	uint64_t run_addr;	/* where the kernel runs (kernel_addr unless moved) */
};

static int add_piece(struct plan *pl, const char *what, uint64_t paddr, uint64_t memsz,
		     const uint8_t *data, uint64_t filesz, uint32_t flags, struct tool_err *err)
{
	if (pl->n == MAX_PIECES) {
		tool_err_set(err, "too many segments (more than %u)", MAX_PIECES);
		return -1;
	}
	if (paddr >= (1ull << 32) || memsz > (1ull << 32) - paddr) {
		tool_err_set(err, "%s at 0x%llx+0x%llx does not fit below 4 GiB, where a PVH "
			 "guest starts with paging off", what, ULL(paddr), ULL(memsz));
		return -1;
	}
	for (unsigned i = 0; i < pl->n; i++) {
		const struct piece *q = &pl->p[i];
		if (paddr < q->paddr + q->memsz && q->paddr < paddr + memsz) {
			tool_err_set(err, "%s 0x%llx-0x%llx would overlap %s 0x%llx-0x%llx", what,
				 ULL(paddr), ULL(paddr + memsz), q->what, ULL(q->paddr),
				 ULL(q->paddr + q->memsz));
			return -1;
		}
	}
	pl->p[pl->n++] = (struct piece){ what, paddr, memsz, data, filesz, flags, 0 };
	return 0;
}

/* The shim: its PT_LOADs as they are, and where its descriptor is. */
static int plan_shim(struct plan *pl, const uint8_t *shim, size_t shim_len, uint64_t *shim_end,
		     struct tool_err *err)
{
	static struct zp_elf elf;
	const struct zp_elf_note *note;
	int r = zp_probe_elf(shim, shim_len, &elf);

	if (r || elf.elf_class != 64 || !elf.has_pvh) {
		tool_err_set(err, "embedded shim is not a 64-bit PVH ELF (%s)",
			 r ? zp_strerror(r) : "no PHYS32_ENTRY note");
		return -1;
	}
	note = zp_elf_find_note(&elf, ZP_NOTE_NAME, ZP_NOTE_BUNDLE);
	if (!note || !note->has_value) {
		tool_err_set(err, "embedded shim has no \"%s\" note", ZP_NOTE_NAME);
		return -1;
	}
	pl->desc_paddr = note->value;
	pl->pvh_entry = elf.pvh_entry;
	pl->shim_data = MAX_PIECES;
	*shim_end = 0;
	for (unsigned i = 0; i < elf.nsegments; i++) {
		const struct zp_elf_segment *s = &elf.segments[i];
		if (s->type != ZP_PT_LOAD)
			continue;
		if (add_piece(pl, "shim", s->paddr, s->memsz, shim + s->offset, s->filesz,
			      s->flags, err))
			return -1;
		if (pl->desc_paddr >= s->paddr &&
		    pl->desc_paddr + sizeof(struct zp_bundle_desc) <= s->paddr + s->filesz)
			pl->shim_data = pl->n - 1;
		if (s->paddr + s->memsz > *shim_end)
			*shim_end = s->paddr + s->memsz;
	}
	if (pl->shim_data == MAX_PIECES) {
		tool_err_set(err, "embedded shim's descriptor 0x%llx is not in its data",
			 ULL(pl->desc_paddr));
		return -1;
	}
	return 0;
}

/* The vmlinux's PT_LOADs at their physical addresses; [low, high). */
static int plan_vmlinux(struct plan *pl, const struct bundle_opts *o, uint64_t low_limit,
			uint64_t *low, uint64_t *high, uint64_t *entry, struct tool_err *err)
{
	static struct zp_elf elf;
	int r = zp_probe_elf(o->vmlinux, o->vmlinux_len, &elf);

	if (r || elf.elf_class != 64 || elf.machine != ZP_EM_X86_64) {
		tool_err_set(err, "extracted payload is not a 64-bit x86 vmlinux ELF (%s)",
			 r ? zp_strerror(r) : "wrong class or machine");
		return -1;
	}
	*low = UINT64_MAX;
	*high = 0;
	for (unsigned i = 0; i < elf.nsegments; i++) {
		const struct zp_elf_segment *s = &elf.segments[i];
		if (s->type != ZP_PT_LOAD || s->memsz == 0)
			continue;
		if (s->paddr < low_limit) {
			tool_err_set(err, "vmlinux segment at 0x%llx is below 0x%llx, where the shim, "
				 "command line and setup header live", ULL(s->paddr), ULL(low_limit));
			return -1;
		}
		if (add_piece(pl, "vmlinux segment", s->paddr, s->memsz, o->vmlinux + s->offset,
			      s->filesz, s->flags, err))
			return -1;
		if (s->paddr < *low)
			*low = s->paddr;
		if (s->paddr + s->memsz > *high)
			*high = s->paddr + s->memsz;
		if (s->paddr + s->filesz > pl->desc.kernel_loaded)
			pl->desc.kernel_loaded = s->paddr + s->filesz;	/* an end, for now */
	}
	/* e_entry of a vmlinux is the physical startup_64 (vmlinux.lds: ENTRY(phys_startup_64)). */
	*entry = elf.entry;
	if (*low == UINT64_MAX || *entry < *low || *entry >= *high) {
		tool_err_set(err, "vmlinux entry 0x%llx is not inside its PT_LOADs", ULL(*entry));
		return -1;
	}
	return 0;
}

/* The kernel's init_size room is the loader's business too: a loader puts
 * what it adds (Xen's PVH dom0 builder: the initrd, start_info and command
 * line) right after the highest PT_LOAD, and anything there is overwritten
 * by the decompressor or the kernel's own bss and brk.  So the kernel's
 * PT_LOAD claims the whole room as memsz (zero-filled, which is all the
 * room needs): for entries 64 and 32 the bzImage piece runs from the image
 * to kernel_addr + span; for the vmlinux entry the highest vmlinux segment
 * is stretched to it.  Every ELF loader then keeps clear of it. */
static void claim_room(struct plan *pl, uint64_t room_end)
{
	struct piece *top = NULL;

	for (unsigned i = 0; i < pl->n; i++)
		if (!strcmp(pl->p[i].what, "vmlinux segment") &&
		    (!top || pl->p[i].paddr + pl->p[i].memsz > top->paddr + top->memsz))
			top = &pl->p[i];
	if (top && top->paddr + top->memsz < room_end)
		top->memsz = room_end - top->paddr;	/* nothing is planned above it yet */
}

/* The highest byte + 1 any piece planned so far claims. */
static uint64_t bundle_plan_end(const struct plan *pl)
{
	uint64_t end = 0;

	for (unsigned i = 0; i < pl->n; i++)
		if (pl->p[i].paddr + pl->p[i].memsz > end)
			end = pl->p[i].paddr + pl->p[i].memsz;
	return end;
}

/* The initrd: between the command line and the kernel if it fits (no
 * extra RAM needed), else above everything else (the kernel's room). */
static int plan_initrd(struct plan *pl, const struct bundle_opts *o,
		       const struct zp_bzimage *bz, uint64_t low, struct tool_err *err)
{
	struct zp_bundle_desc *d = &pl->desc;
	uint64_t a;

	if (!o->initrd_len)
		return 0;
	a = d->image_paddr > o->initrd_len ? (d->image_paddr - o->initrd_len) & ~(PAGE - 1) : 0;
	if (a < low)
		a = align_up(bundle_plan_end(pl), 0x200000);
	if (a + o->initrd_len - 1 > bz->initrd_max) {
		tool_err_set(err, "initrd of %zu bytes at 0x%llx would end above the kernel's "
			 "initrd_addr_max 0x%x", o->initrd_len, ULL(a), bz->initrd_addr_max);
		return -1;
	}
	d->initrd_paddr = a;
	d->initrd_size = o->initrd_len;
	return add_piece(pl, "initrd", a, o->initrd_len, o->initrd, o->initrd_len, 4, err);
}

/* [start, end) of the shim's PT_LOADs as linked. */
static int shim_extent(const uint8_t *shim, size_t len, uint64_t *start, uint64_t *end,
		       struct tool_err *err)
{
	static struct zp_elf elf;

	if (zp_probe_elf(shim, len, &elf)) {
		tool_err_set(err, "embedded shim is not an ELF we can read");
		return -1;
	}
	*start = UINT64_MAX;
	*end = 0;
	for (unsigned i = 0; i < elf.nsegments; i++) {
		const struct zp_elf_segment *sg = &elf.segments[i];
		if (sg->type != ZP_PT_LOAD)
			continue;
		if (sg->paddr < *start)
			*start = sg->paddr;
		if (sg->paddr + sg->memsz > *end)
			*end = sg->paddr + sg->memsz;
	}
	return *end ? 0 : (tool_err_set(err, "embedded shim has no PT_LOAD"), -1);
}

/* The room a decompressed kernel needs from its lowest PT_LOAD: its
 * segments, and init_size (which counts the bss and brk the kernel's
 * early code uses past them).  bundle_file.h says who else asks. */
uint64_t bundle_vmlinux_span(const struct zp_bzimage *bz, uint64_t low, uint64_t high)
{
	return high - low > bz->init_size ? high - low : bz->init_size;
}

/* The lowest and highest byte + 1 of the vmlinux's PT_LOADs. */
static void vmlinux_extent(const struct bundle_opts *o, uint64_t *low, uint64_t *high)
{
	static struct zp_elf elf;

	*low = UINT64_MAX;
	*high = 0;
	if (zp_probe_elf(o->vmlinux, o->vmlinux_len, &elf))
		return;		/* plan_vmlinux says why */
	for (unsigned i = 0; i < elf.nsegments; i++) {
		const struct zp_elf_segment *sg = &elf.segments[i];
		if (sg->type != ZP_PT_LOAD || !sg->memsz)
			continue;
		if (sg->paddr < *low)
			*low = sg->paddr;
		if (sg->paddr + sg->memsz > *high)
			*high = sg->paddr + sg->memsz;
	}
}

/* Where the shim goes: at its link address (1 MiB), unless the kernel must
 * run where the shim, the command line and the setup header would be (a
 * kernel that is not relocatable, linked at 1 MiB); then above the kernel's
 * whole room.  Returns how far to move it (0: not at all). */
static int shim_delta(const struct bundle_opts *o, const struct zp_bzimage *bz,
		      const uint8_t *shim, size_t shim_len, size_t clen, int64_t *delta,
		      struct tool_err *err)
{
	uint64_t s0, s1, run, room_end, need_end;

	*delta = 0;
	if (shim_extent(shim, shim_len, &s0, &s1, err))
		return -1;
	need_end = align_up(s1, PAGE) + (clen ? align_up(clen + 1, PAGE) : 0) + bz->setup_size;
	if (o->entry == ZP_BUNDLE_ENTRY_VMLINUX) {
		vmlinux_extent(o, &run, &room_end);
		if (run == UINT64_MAX)
			return 0;
		room_end = run + bundle_vmlinux_span(bz, run, room_end);
	} else {
		if (bz->relocatable)
			return 0;	/* it moves up instead: plan_bundle */
		run = bz->pref_address;
		room_end = run + bz->room;
	}
	if (run >= need_end || room_end <= s0)
		return 0;
	*delta = (int64_t)(align_up(room_end, 0x100000) - s0);
	return 0;
}

/* The kernel's pieces.  Where the shim stayed at 1 MiB the bzImage lies so
 * that its protected-mode part is where it runs (the decompressor starts
 * in place), and its PT_LOAD claims the room; where the shim had to move,
 * the bzImage lies after the shim, the shim copies the protected-mode part
 * to pref_address, and an empty PT_LOAD claims the room there. */
static int plan_kernel(struct plan *pl, const struct bundle_opts *o, const struct zp_bzimage *bz,
		       uint64_t low, bool moved, struct tool_err *err)
{
	struct zp_bundle_desc *d = &pl->desc;
	uint64_t kaddr, span, setup = bz->setup_size, align = bz->load_align;

	if (o->entry == ZP_BUNDLE_ENTRY_VMLINUX) {
		uint64_t high, entry;
		if (plan_vmlinux(pl, o, moved ? 0x100000 : low + setup, &kaddr, &high, &entry,
				 err))
			return -1;
		span = bundle_vmlinux_span(bz, kaddr, high);
		d->kernel_loaded -= kaddr;		/* the end, as a length */
		d->vmlinux_entry = entry;
		d->image_loaded = setup;
		d->image_paddr = moved ? low : kaddr - setup;
		pl->run_addr = kaddr;
	} else {
		if (!align) {
			tool_err_set(err, "kernel_alignment 0x%x is not a power of two",
				 bz->kernel_alignment);
			return -1;
		}
		kaddr = bz->relocatable ? align_up(bz->pref_address, align) : bz->pref_address;
		if (bz->relocatable && kaddr < low + setup)
			kaddr = align_up(low + setup, align);
		span = bz->room;
		d->image_loaded = bz->image_len;
		pl->run_addr = kaddr;
		if (moved)
			kaddr = low + setup;	/* the shim copies it to run_addr */
		else if (kaddr < low + setup) {
			tool_err_set(err, "kernel is not relocatable and must load at 0x%llx, "
				 "below 0x%llx where the shim ends", ULL(kaddr), ULL(low + setup));
			return -1;
		}
		d->image_paddr = kaddr - setup;
	}
	d->image_size = bz->image_len;
	d->kernel_addr = kaddr;
	d->kernel_span = span;
	if (o->entry == ZP_BUNDLE_ENTRY_VMLINUX) {
		if (add_piece(pl, "setup header", d->image_paddr, d->image_loaded, o->kernel,
			      d->image_loaded, 5, err))
			return -1;
		claim_room(pl, pl->run_addr + span);
		return 0;
	}
	if (!moved)
		return add_piece(pl, "kernel", d->image_paddr, setup + span, o->kernel,
				 d->image_loaded, 5, err);
	if (add_piece(pl, "kernel", d->image_paddr, d->image_loaded, o->kernel, d->image_loaded,
		      5, err))
		return -1;
	return add_piece(pl, "kernel room", pl->run_addr, span, NULL, 0, 6, err);
}

/* KASLR for the vmlinux entry: the relocation table the kernel build
 * appended to the payload, found as the kernel's decompressor finds it
 * (zp_relocs_find), checked against the kernel now and carried in its own
 * PT_LOAD for the shim.  A kernel without one is bundled at its link
 * address, and the caller is told why (or refused with --kaslr=require);
 * a table that is there but unreadable is an error. */
static int plan_relocs(struct plan *pl, const struct bundle_opts *o, const struct zp_bzimage *bz,
		       struct tool_err *err)
{
	struct zp_bundle_desc *d = &pl->desc;
	struct zp_relocs r;
	struct zp_relocs_target k = { NULL, d->kernel_loaded, ZP_START_KERNEL_MAP + d->kernel_addr };
	struct zp_diag diag;
	uint64_t at;

	d->flags = o->kaslr_flags;
	if (o->entry != ZP_BUNDLE_ENTRY_VMLINUX || (o->kaslr_flags & ZP_BUNDLE_KASLR_OFF))
		return 0;
	if (zp_relocs_find(bz, o->vmlinux, o->vmlinux_len, &r, &diag)) {
		tool_err_set(err, "the kernel's relocation table: %s (--no-kaslr bundles it at "
			 "its link address)", diag.msg);
		return -1;
	}
	if (!r.table && (o->kaslr_flags & ZP_BUNDLE_KASLR_REQUIRE)) {
		tool_err_set(err, "--kaslr=require, but %s", r.absent);
		return -1;
	}
	if (!r.table) {
		if (o->note)
			snprintf(o->note, o->note_cap, "the bundle cannot randomise the kernel's "
				 "base (KASLR): %s; it runs at its link address", r.absent);
		return 0;
	}
	/* Against where the bundle puts the kernel, too: the same link
	 * address, but its room as planned. */
	if (zp_relocs_check(&r, &k, &diag)) {
		tool_err_set(err, "the kernel's relocation table: %s", diag.msg);
		return -1;
	}
	at = align_up(bundle_plan_end(pl), PAGE);
	d->relocs_paddr = at;
	d->relocs_size = r.len;
	return add_piece(pl, "relocation table", at, r.len, r.table, r.len, 4, err);
}

static int plan_bundle(struct plan *pl, const struct bundle_opts *o, const struct zp_bzimage *bz,
		       const uint8_t *shim, size_t shim_len, struct tool_err *err)
{
	struct zp_bundle_desc *d = &pl->desc;
	size_t clen = o->cmdline ? strlen(o->cmdline) : 0;
	uint64_t shim_end, low;
	int64_t delta;

	memset(d, 0, sizeof(*d));
	d->magic = ZP_BUNDLE_MAGIC;
	d->version = ZP_BUNDLE_VERSION;
	d->size = sizeof(*d);
	d->entry = o->entry;
	d->handoff = o->handoff;
	if (clen > bz->cmdline_size) {
		tool_err_set(err, "command line of %zu bytes exceeds the kernel's cmdline_size %u",
			 clen, bz->cmdline_size);
		return -1;
	}
	if (clen >= ZP_SHIM_CMDLINE_CAP) {
		tool_err_set(err, "command line of %zu bytes exceeds the shim's buffer of %u "
			 "bytes with its NUL", clen, ZP_SHIM_CMDLINE_CAP);
		return -1;
	}
	if (shim_delta(o, bz, shim, shim_len, clen, &delta, err))
		return -1;
	if (delta) {
		if (shim_reloc_apply(shim, shim_len, delta, &pl->moved_shim, err))
			return -1;
		shim = pl->moved_shim;
	}
	if (plan_shim(pl, shim, shim_len, &shim_end, err))
		return -1;

	low = align_up(shim_end, PAGE);
	if (clen) {
		d->cmdline_paddr = low;
		d->cmdline_len = clen;
		if (add_piece(pl, "command line", low, clen + 1, (const uint8_t *)o->cmdline,
			      clen + 1, 4, err))
			return -1;
		low = align_up(low + clen + 1, PAGE);
	}
	if (plan_kernel(pl, o, bz, low, delta != 0, err) ||
	    plan_relocs(pl, o, bz, err))
		return -1;
	return plan_initrd(pl, o, bz, low, err);
}

/* QEMU takes a file for a bzImage when "HdrS" is at 0x202, and for a
 * multiboot kernel when the multiboot magic is in its first 8 KiB; only
 * otherwise does it try the PVH note.  Make sure neither can happen. */
static int check_not_mistaken(const uint8_t *f, size_t len, struct tool_err *err)
{
	uint32_t v;

	if (len >= 0x206 && (memcpy(&v, f + 0x202, 4), v == ZP_HDRS_MAGIC))
		goto bad;
	for (size_t i = 0; i + 4 <= len && i < 8192; i += 4)
		if (memcpy(&v, f + i, 4), v == 0x1badb002)
			goto bad;
	return 0;
bad:
	tool_err_set(err, "bundle header would look like a bzImage or multiboot kernel to QEMU");
	return -1;
}

static void put_note(uint8_t *p, const char *name, uint32_t type, uint64_t value)
{
	uint32_t namesz = (uint32_t)strlen(name) + 1;

	put32(p, namesz);
	put32(p + 4, 8);
	put32(p + 8, type);
	memcpy(p + 12, name, namesz);
	put64(p + 12 + align_up(namesz, 4), value);
}

/* The ELF header and program headers (the notes, then one PT_LOAD per
 * piece), and each piece's bytes, into the file image f. */
static void write_headers(uint8_t *f, const struct plan *pl, uint64_t phoff, uint64_t notes)
{
	unsigned nph = pl->n + 1;

	struct zp_elf64_ehdr eh = { 0 };
	memcpy(eh.e_ident, "\177ELF", 4);
	eh.e_ident[4] = ZP_ELFCLASS64;
	eh.e_ident[5] = ZP_ELFDATA2LSB;
	eh.e_ident[6] = 1;			/* EV_CURRENT */
	eh.e_type = 2;				/* ET_EXEC */
	eh.e_machine = ZP_EM_X86_64;
	eh.e_version = 1;
	eh.e_entry = pl->pvh_entry;
	eh.e_phoff = phoff;
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(struct zp_elf64_phdr);
	eh.e_phnum = (uint16_t)nph;
	memcpy(f, &eh, sizeof(eh));

	struct zp_elf64_phdr ph = { 0 };
	ph.p_type = ZP_PT_NOTE;
	ph.p_flags = 4;
	ph.p_offset = notes;
	ph.p_filesz = NOTES_SIZE;
	ph.p_align = 4;		/* QEMU aligns note names to p_align: 4, as the gABI says */
	memcpy(f + phoff, &ph, sizeof(ph));
	for (unsigned i = 0; i < pl->n; i++) {
		const struct piece *p = &pl->p[i];
		ph = (struct zp_elf64_phdr){ ZP_PT_LOAD, p->flags, p->offset, p->paddr, p->paddr,
					     p->filesz, p->memsz, PAGE };
		memcpy(f + phoff + (i + 1) * sizeof(ph), &ph, sizeof(ph));
		if (p->filesz)
			memcpy(f + p->offset, p->data, p->filesz);
	}
}

static int build(struct plan *pl, const struct bundle_opts *o, const uint8_t *shim,
		 size_t shim_len, struct decompress_buf *out, struct tool_err *err);

int bundle_build(const struct bundle_opts *o, const uint8_t *shim, size_t shim_len,
		    struct decompress_buf *out, struct tool_err *err)
{
	static struct plan pl;
	int r = build(&pl, o, shim, shim_len, out, err);

	free(pl.moved_shim);	/* the pieces pointed into it: the file is written */
	pl.moved_shim = NULL;
	return r;
}

static int build(struct plan *pl, const struct bundle_opts *o, const uint8_t *shim,
		 size_t shim_len, struct decompress_buf *out, struct tool_err *err)
{
	struct zp_bzimage bz;
	uint64_t phoff = sizeof(struct zp_elf64_ehdr), notes, cur, total;
	unsigned nph;
	uint8_t *f;
	int r;

	memset(pl, 0, sizeof(*pl));
	out->data = NULL;
	out->len = 0;
	if (o->note && o->note_cap)
		o->note[0] = '\0';
	r = zp_probe_bzimage(o->kernel, o->kernel_len, &bz);
	if (r) {
		tool_err_set(err, "kernel is not a bzImage we can boot: %s", zp_strerror(r));
		return -1;
	}
	if (bundle_check_entry(&bz, o->entry, err))
		return -1;
	if (o->entry == ZP_BUNDLE_ENTRY_VMLINUX && !o->vmlinux) {
		tool_err_set(err, "entry vmlinux needs the extracted vmlinux");
		return -1;
	}
	if (plan_bundle(pl, o, &bz, shim, shim_len, err))
		return -1;

	/* File layout: ELF header, program headers, notes, then each piece at
	 * an offset congruent to its address modulo the page size. */
	nph = pl->n + 1;
	notes = phoff + (uint64_t)nph * sizeof(struct zp_elf64_phdr);
	cur = align_up(notes + NOTES_SIZE, PAGE);
	for (unsigned i = 0; i < pl->n; i++) {
		struct piece *p = &pl->p[i];
		p->offset = align_up(cur, PAGE) + (p->paddr & (PAGE - 1));
		cur = p->offset + p->filesz;
	}
	total = cur;
	f = calloc(1, total);
	if (!f) {
		tool_err_set(err, "out of memory for a %llu-byte bundle", ULL(total));
		return -1;
	}

	write_headers(f, pl, phoff, notes);
	put_note(f + notes, ZP_XEN_NOTE_NAME, ZP_XEN_ELFNOTE_PHYS32_ENTRY, pl->pvh_entry);
	put_note(f + notes + 24, ZP_NOTE_NAME, ZP_NOTE_BUNDLE, pl->desc_paddr);

	/* The descriptor goes into our copy of the shim's data. */
	const struct piece *sd = &pl->p[pl->shim_data];
	uint8_t *dp = f + sd->offset + (pl->desc_paddr - sd->paddr);
	uint32_t magic;
	memcpy(&magic, dp, 4);
	if (magic != ZP_BUNDLE_MAGIC) {
		free(f);
		tool_err_set(err, "embedded shim's descriptor at 0x%llx has no magic",
			 ULL(pl->desc_paddr));
		return -1;
	}
	memcpy(dp, &pl->desc, sizeof(pl->desc));
	if (check_not_mistaken(f, total, err)) {
		free(f);
		return -1;
	}
	out->data = f;
	out->len = total;
	return 0;
}
