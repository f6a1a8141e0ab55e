/* SPDX-License-Identifier: MIT */
/*
 * main.c - the PVH shim: start_info in, zero page out, kernel entered.
 *
 * entry.S has put us in long mode with the low 4 GiB identity mapped.  From
 * here the boot path is, in order:
 *
 *   1. trust nothing: the bundle descriptor and the VMM's start_info are
 *      both checked (magic, version, counts, every address inside the
 *      guest's memory) before anything is written or jumped to;
 *   2. find the kernel the bundle writer placed and probe its setup header
 *      in place (the whole bzImage for entries 64 and 32, only the setup
 *      part for the vmlinux entry);
 *   3. check it has room in *this* guest's RAM: move it if a relocatable
 *      kernel fits elsewhere, otherwise say how much it needs;
 *   4. build the final command line (bundled + " " + the VMM's), choose the
 *      initrd (the VMM's module 0, else the bundled one), and for the
 *      subarch handoff keep a reserved copy of the start_info;
 *   5. let the core (zp_start_info_to_boot_params) write the zero page,
 *      check the result with zp_check_layout, and enter the kernel.
 *
 * Any failure prints one line on COM1 (on Xen also on Xen's console) and
 * halts (console.c).
 */
#include "shim.h"

#define ULL(v)		((unsigned long long)(v))
#define MIB		(1024ull * 1024)
#define GIB4		(1ull << 32)

#define CMDLINE_MAX	4096		/* our buffer; the kernel's cmdline_size rules */
#define E820_MAX	(ZP_PVH_MAX_MEMMAP + 16)	/* memmap + our reserved ranges */
#define SETUP_DATA_MAX	(24 * 1024)	/* SETUP_E820_EXT for a full memmap */
#define PRESERVE_MAX	(64 * 1024)	/* the start_info copy for the subarch handoff */

/* The descriptor `zeropage bundle` fills in; a bare shim has entry 0. */
__attribute__((section(".bundle"), used, aligned(16)))
struct zp_bundle_desc zp_bundle = {
	.magic = ZP_BUNDLE_MAGIC,
	.version = ZP_BUNDLE_VERSION,
	.size = sizeof(struct zp_bundle_desc),
};

/* Everything we hand the kernel lives in our own .bss: page aligned, in RAM
 * at 1 MiB, below anything the kernel or its decompressor writes to before
 * it has copied the zero page and the command line. */
static struct zp_boot_params zero_page __attribute__((aligned(4096)));
static char cmdline[CMDLINE_MAX] __attribute__((aligned(4096)));
static uint8_t setup_data[SETUP_DATA_MAX] __attribute__((aligned(4096)));
static uint8_t preserve[PRESERVE_MAX] __attribute__((aligned(4096)));
static struct zp_e820_entry ram_entries[E820_MAX];
static struct zp_e820_entry scratch_entries[E820_MAX];

/* The guest-physical window: all of the low 4 GiB, identity mapped. */
static const struct zp_guest_mem guest = { (const uint8_t *)0, 0, GIB4 };

static const char *entry_name(uint32_t e)
{
	return e == ZP_BUNDLE_ENTRY_64 ? "64" : e == ZP_BUNDLE_ENTRY_32 ? "32" : "vmlinux";
}

static bool range_ok(uint64_t addr, uint64_t len)
{
	return addr < GIB4 && len <= GIB4 - addr;
}

/* 1. The descriptor: written by our own tool, but a bundle is a file, and
 * files get truncated, hand-edited and corrupted. */
static void check_descriptor(const struct zp_bundle_desc *d)
{
	if (d->magic != ZP_BUNDLE_MAGIC || d->size != sizeof(*d))
		zp_shim_fail("bundle descriptor at 0x%llx is corrupt (magic 0x%x, size %u)",
			     ULL((uintptr_t)d), d->magic, d->size);
	if (d->version != ZP_BUNDLE_VERSION)
		zp_shim_fail("bundle descriptor version %u, this shim reads version %u",
			     d->version, ZP_BUNDLE_VERSION);
	if (d->entry == 0)
		zp_shim_fail("no kernel in this image: it is the bare shim; wrap a kernel with "
			     "`zeropage bundle --kernel BZIMAGE -o OUT`");
	if (d->entry != ZP_BUNDLE_ENTRY_64 && d->entry != ZP_BUNDLE_ENTRY_32 &&
	    d->entry != ZP_BUNDLE_ENTRY_VMLINUX)
		zp_shim_fail("bundle descriptor: unknown entry %u", d->entry);
	if (d->handoff > ZP_HANDOFF_SUBARCH || d->flags)
		zp_shim_fail("bundle descriptor: unknown handoff %u or flags 0x%x",
			     d->handoff, d->flags);
	if (!range_ok(d->image_paddr, d->image_loaded) || d->image_loaded > d->image_size ||
	    d->image_loaded < 0x1000 || !range_ok(d->kernel_addr, d->kernel_span) ||
	    !range_ok(d->initrd_paddr, d->initrd_size) ||
	    !range_ok(d->cmdline_paddr, d->cmdline_len + 1) || d->cmdline_len >= CMDLINE_MAX)
		zp_shim_fail("bundle descriptor: a range lies above 4 GiB or is inconsistent "
			     "(image 0x%llx+0x%llx of 0x%llx, kernel 0x%llx+0x%llx)",
			     ULL(d->image_paddr), ULL(d->image_loaded), ULL(d->image_size),
			     ULL(d->kernel_addr), ULL(d->kernel_span));
	if (d->entry != ZP_BUNDLE_ENTRY_VMLINUX && d->image_loaded != d->image_size)
		zp_shim_fail("bundle descriptor: entry %s needs the whole bzImage, but only 0x%llx "
			     "of 0x%llx bytes were bundled", entry_name(d->entry),
			     ULL(d->image_loaded), ULL(d->image_size));
	if (d->entry == ZP_BUNDLE_ENTRY_VMLINUX &&
	    (d->vmlinux_entry < d->kernel_addr || d->vmlinux_entry >= d->kernel_addr + d->kernel_span))
		zp_shim_fail("bundle descriptor: vmlinux entry 0x%llx outside the kernel 0x%llx+0x%llx",
			     ULL(d->vmlinux_entry), ULL(d->kernel_addr), ULL(d->kernel_span));
}

/* Highest end of RAM: the end of the RAM entry holding addr, or else of
 * the last RAM entry below 4 GiB.  For "guest RAM ends at" messages. */
static uint64_t ram_end(const struct zp_e820_map *m, uint64_t addr)
{
	uint64_t top = 0;

	for (uint32_t i = 0; i < m->count; i++) {
		const struct zp_e820_entry *e = &m->entries[i];
		if (e->type != ZP_E820_RAM)
			continue;
		if (addr >= e->addr && addr < e->addr + e->size)
			return e->addr + e->size;
		if (e->addr < GIB4 && e->addr + e->size > top)
			top = e->addr + e->size;
	}
	return top;
}

/* The start_info's own structures may sit in RAM, in a reserved range, or
 * (QEMU's pvh.bin keeps them in its option ROM) in the legacy 640 KiB-1 MiB
 * hole that every PC-compatible machine has and no memmap lists. */
static bool known_memory(const struct zp_e820_map *m, uint64_t addr, uint64_t len)
{
	if (len == 0)
		return true;
	if (!range_ok(addr, len))
		return false;
	if (addr >= 0xa0000 && addr + len <= 0x100000)
		return true;
	for (uint32_t i = 0; i < m->count; i++) {
		const struct zp_e820_entry *e = &m->entries[i];
		if (addr >= e->addr && addr + len <= e->addr + e->size)
			return true;
	}
	return false;
}

static void check_start_info_memory(const struct zp_e820_map *m, const struct zp_pvh_info *si)
{
	uint64_t hdr = si->version >= 1 ? ZP_HVM_START_INFO_V1_SIZE : ZP_HVM_START_INFO_V0_SIZE;
	struct zp_pvh_module mod;

	if (!known_memory(m, si->paddr, hdr))
		zp_shim_fail("start_info at 0x%llx lies outside the guest's memory map", ULL(si->paddr));
	if (!known_memory(m, si->memmap_paddr, (uint64_t)si->memmap_entries * 24))
		zp_shim_fail("start_info memmap at 0x%llx lies outside the memory map it describes",
			     ULL(si->memmap_paddr));
	if (!known_memory(m, si->modlist_paddr, (uint64_t)si->nr_modules * 32))
		zp_shim_fail("start_info modlist at 0x%llx (%u modules) lies outside guest memory",
			     ULL(si->modlist_paddr), si->nr_modules);
	if (si->cmdline_paddr && !known_memory(m, si->cmdline_paddr, si->cmdline_len + 1))
		zp_shim_fail("start_info cmdline at 0x%llx lies outside guest memory",
			     ULL(si->cmdline_paddr));
	for (uint32_t i = 0; i < si->nr_modules; i++) {
		int r = zp_pvh_module(&guest, si, i, &mod);
		if (r)
			zp_shim_fail("start_info module %u: %s", i, zp_strerror(r));
		if (mod.size && !zp_e820_is_ram(m, mod.paddr, mod.size))
			zp_shim_fail("start_info module %u at 0x%llx+0x%llx is not in guest RAM", i,
				     ULL(mod.paddr), ULL(mod.size));
	}
}

/* 3. Where the kernel runs.  The bundle writer put it at pref_address; if
 * this guest has no RAM there (a memory hole, a small guest), a relocatable
 * kernel may move to the first aligned RAM range that holds init_size and
 * touches nothing else we still need.  The decompressor never runs below
 * pref_address (LOAD_PHYSICAL_ADDR), so neither do we. */
struct avoid {
	uint64_t addr, size;
};

static bool overlaps_any(uint64_t a, uint64_t size, const struct avoid *av, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (av[i].size && a < av[i].addr + av[i].size && av[i].addr < a + size)
			return true;
	return false;
}

static uint64_t place_kernel(const struct zp_bundle_desc *d, const struct zp_bzimage *bz,
			     const struct zp_e820_map *m, const struct avoid *av, unsigned nav)
{
	uint64_t span = d->kernel_span, align = bz->kernel_alignment ? bz->kernel_alignment : 0x200000;

	if (zp_e820_is_ram(m, d->kernel_addr, span))
		return d->kernel_addr;
	if (d->entry != ZP_BUNDLE_ENTRY_VMLINUX && bz->relocatable) {
		for (uint32_t i = 0; i < m->count; i++) {
			const struct zp_e820_entry *e = &m->entries[i];
			uint64_t a = e->addr > bz->pref_address ? e->addr : bz->pref_address;
			a = (a + align - 1) & ~(align - 1);
			if (e->type != ZP_E820_RAM)
				continue;
			while (a + span <= e->addr + e->size && a + span <= GIB4) {
				if (!overlaps_any(a, span, av, nav))
					return a;
				a += align;
			}
		}
	}
	zp_shim_fail("kernel needs %llu MiB at 0x%llx, guest RAM ends at 0x%llx",
		     ULL((span + MIB - 1) / MIB), ULL(d->kernel_addr), ULL(ram_end(m, d->kernel_addr)));
}

/* 4. The command line: the bundle's default, then what the VMM appended
 * (QEMU -append), so a user can add to a bundle without rebuilding it. */
static size_t build_cmdline(const struct zp_bundle_desc *d, const struct zp_pvh_info *si,
			    const struct zp_bzimage *bz)
{
	const char *bundled = zp_phys(d->cmdline_paddr);
	const char *vmm = si->cmdline_paddr ? zp_phys(si->cmdline_paddr) : "";
	size_t n = 0, vlen = si->cmdline_paddr ? si->cmdline_len : 0;

	if (d->cmdline_paddr && d->cmdline_len) {
		if (bundled[d->cmdline_len] != '\0')
			zp_shim_fail("bundled command line at 0x%llx is not NUL-terminated",
				     ULL(d->cmdline_paddr));
		memcpy(cmdline, bundled, d->cmdline_len);
		n = d->cmdline_len;
	}
	if (vlen) {
		size_t total = n ? n + 1 + vlen : vlen;	/* the space only between two */
		if (total >= CMDLINE_MAX || total > bz->cmdline_size)
			zp_shim_fail("command line of %llu bytes (bundled %llu + VMM %llu) exceeds "
				     "the kernel's cmdline_size %u", ULL(total),
				     ULL(n), ULL(vlen), bz->cmdline_size);
		if (n)
			cmdline[n++] = ' ';
		memcpy(cmdline + n, vmm, vlen);
		n += vlen;
	}
	cmdline[n] = '\0';
	return n;
}

/* The subarch handoff points the kernel at the start_info.  The VMM's copy
 * lives wherever the VMM liked (QEMU: inside its option ROM), memory the
 * kernel may reuse, so we keep our own: start_info, modlist, memmap and
 * every command line, with the pointers inside rewritten to the copy.  The
 * caller marks the copy reserved in the e820 map. */
static size_t append(size_t *off, const void *src, size_t len, size_t align)
{
	size_t at = (*off + align - 1) & ~(align - 1);

	if (at + len > PRESERVE_MAX)
		zp_shim_fail("start_info with its memmap, modules and command lines needs more "
			     "than the %u bytes the shim preserves", PRESERVE_MAX);
	memcpy(preserve + at, src, len);
	*off = at + len;
	return at;
}

static size_t preserve_start_info(const struct zp_pvh_info *si)
{
	struct zp_hvm_start_info copy = { 0 };
	size_t off = 0, hdr_at, list_at = 0;
	uint64_t base = (uintptr_t)preserve;
	size_t hdr = si->version >= 1 ? ZP_HVM_START_INFO_V1_SIZE : ZP_HVM_START_INFO_V0_SIZE;

	memcpy(&copy, zp_phys(si->paddr), hdr);
	hdr_at = append(&off, &copy, sizeof(copy), 8);
	if (si->cmdline_paddr)
		copy.cmdline_paddr = base + append(&off, zp_phys(si->cmdline_paddr),
						   si->cmdline_len + 1, 1);
	if (si->version >= 1 && si->memmap_entries)
		copy.memmap_paddr = base + append(&off, zp_phys(si->memmap_paddr),
						  (size_t)si->memmap_entries * 24, 8);
	if (si->nr_modules) {
		list_at = append(&off, zp_phys(si->modlist_paddr), (size_t)si->nr_modules * 32, 8);
		copy.modlist_paddr = base + list_at;
	}
	for (uint32_t i = 0; i < si->nr_modules; i++) {
		struct zp_hvm_modlist_entry *me = (void *)(preserve + list_at + i * 32u);
		if (me->cmdline_paddr) {
			const char *s = zp_phys(me->cmdline_paddr);
			size_t len = 0;
			while (len < ZP_PVH_MAX_CMDLINE && s[len])
				len++;
			me->cmdline_paddr = base + append(&off, s, len + 1, 1);
		}
	}
	memcpy(preserve + hdr_at, &copy, sizeof(copy));
	return off;
}

/* 2. The setup header, probed where the loader put it.  A vmlinux bundle
 * carries only the bzImage's setup part (the header the zero page copies);
 * its payload was decompressed at bundle time. */
static int probe_kernel(const struct zp_bundle_desc *d, struct zp_bzimage *bz)
{
	if (d->entry == ZP_BUNDLE_ENTRY_VMLINUX)
		return zp_probe_bzimage_header(zp_phys(d->image_paddr), d->image_loaded, bz);
	return zp_probe_bzimage(zp_phys(d->image_paddr), d->image_size, bz);
}

static void enter(const struct zp_bundle_desc *d, uint64_t kernel_addr)
{
	uint64_t bp = (uintptr_t)&zero_page;

	if (d->entry == ZP_BUNDLE_ENTRY_64)
		zp_shim_enter64(kernel_addr + 0x200, bp);	/* startup_64 of the decompressor */
	if (d->entry == ZP_BUNDLE_ENTRY_32)
		zp_shim_enter32((uint32_t)kernel_addr, (uint32_t)bp);	/* startup_32 */
	zp_shim_enter64(d->vmlinux_entry, bp);	/* vmlinux: the kernel's own startup_64 */
}

/* Xen's PVH dom0 gets a v0 start_info: the memory map comes from the
 * XENMEM_memory_map hypercall.  We gather the raw bytes; the core checks
 * and sorts them, here into the map the shim checks against, and again in
 * zp_start_info_to_boot_params (opts.hv_e820) for the map the kernel gets. */
static uint8_t xen_map[ZP_HV_E820_MAX * sizeof(struct zp_e820_entry)];

static uint32_t read_xen_memory_map(const struct zp_pvh_info *si, struct zp_e820_map *ram)
{
	struct zp_diag diag;
	uint32_t nr;
	long err = zp_xen_memory_map(xen_map, ZP_HV_E820_MAX, &nr);

	if (err)
		zp_shim_fail("start_info v%u has no memory map, and Xen's XENMEM_memory_map failed "
			     "with error %ld", si->version, err);
	if (zp_e820_from_hypervisor(xen_map, sizeof(xen_map), nr, ram, &diag))
		zp_shim_fail("Xen's memory map (XENMEM_memory_map): %s", diag.msg);
	return nr;
}

/* 1. The start_info.  The core checks magic, version, counts, and that each
 * address it names is inside the 4 GiB window; we then check the same
 * addresses against the memory map the start_info itself gives, or on Xen
 * the one Xen gives.  Returns the number of entries Xen gave, 0 if none. */
static uint32_t read_start_info(uint32_t si_paddr, bool xen, struct zp_pvh_info *si,
				struct zp_e820_map *ram)
{
	struct zp_diag diag;
	uint32_t from_xen = 0;
	int r;

	if (si_paddr == 0)
		zp_shim_fail("no start_info: %%ebx is 0 (not started by a PVH loader?)");
	r = zp_pvh_parse(&guest, si_paddr, si, &diag);
	if (r)
		zp_shim_fail("bad start_info at 0x%x: %s", si_paddr, diag.msg);
	r = zp_pvh_memmap_to_e820(&guest, si, ram);
	if (r == ZP_ENOMEMMAP && xen)
		from_xen = read_xen_memory_map(si, ram);
	else if (r == ZP_ENOMEMMAP)
		zp_shim_fail("start_info v%u has no memory map; the shim needs PVH start_info v1 "
			     "(or Xen's XENMEM_memory_map)", si->version);
	else if (r)
		zp_shim_fail("start_info memmap (%u entries at 0x%llx): %s", si->memmap_entries,
			     ULL(si->memmap_paddr), zp_strerror(r));
	check_start_info_memory(ram, si);
	return from_xen;
}

/* 2. The bundle's pieces must be where the writer put them, in RAM: if the
 * VMM had no RAM there it could not have loaded them.  Then the kernel's
 * header, probed in place, must allow the entry the bundle asks for. */
static void check_bundled_kernel(const struct zp_bundle_desc *d, const struct zp_e820_map *ram,
				 struct zp_bzimage *bz)
{
	int r;

	if (!zp_e820_is_ram(ram, d->image_paddr, d->image_loaded))
		zp_shim_fail("bundle's kernel image at 0x%llx-0x%llx is not in guest RAM (RAM ends "
			     "at 0x%llx): the VMM could not load it; give the guest more memory",
			     ULL(d->image_paddr), ULL(d->image_paddr + d->image_loaded),
			     ULL(ram_end(ram, d->image_paddr)));
	if (d->cmdline_len && !zp_e820_is_ram(ram, d->cmdline_paddr, d->cmdline_len + 1))
		zp_shim_fail("bundled command line at 0x%llx is not in guest RAM",
			     ULL(d->cmdline_paddr));
	r = probe_kernel(d, bz);
	if (r)
		zp_shim_fail("bundle's kernel image at 0x%llx is not a valid bzImage: %s",
			     ULL(d->image_paddr), zp_strerror(r));
	if (d->entry == ZP_BUNDLE_ENTRY_64 && !(bz->entries & ZP_ENTRY_LONG64))
		zp_shim_fail("entry 64 asked for, but the kernel has no XLF_KERNEL_64");
	if (d->entry == ZP_BUNDLE_ENTRY_32 && !(bz->entries & ZP_ENTRY_PROT32))
		zp_shim_fail("entry 32 asked for, but the kernel has no 32-bit entry");
	if (d->entry != ZP_BUNDLE_ENTRY_VMLINUX &&
	    d->kernel_addr != d->image_paddr + bz->setup_size)
		zp_shim_fail("bundle descriptor: kernel 0x%llx is not image 0x%llx + setup 0x%llx",
			     ULL(d->kernel_addr), ULL(d->image_paddr), ULL(bz->setup_size));
}

/* The initrd: the VMM's module 0 replaces the bundled one. */
static void choose_initrd(const struct zp_bundle_desc *d, const struct zp_pvh_info *si,
			  const struct zp_e820_map *ram, uint64_t *addr, uint64_t *size)
{
	struct zp_pvh_module m;

	if (si->nr_modules) {
		zp_pvh_module(&guest, si, 0, &m);	/* checked by check_start_info_memory */
		*addr = m.paddr;
		*size = m.size;
		return;
	}
	*addr = d->initrd_paddr;
	*size = d->initrd_size;
	if (*size && !zp_e820_is_ram(ram, *addr, *size))
		zp_shim_fail("bundled initrd at 0x%llx-0x%llx is not in guest RAM (RAM ends "
			     "at 0x%llx)", ULL(*addr), ULL(*addr + *size), ULL(ram_end(ram, *addr)));
}

/* 3. Room for the kernel in this guest, clear of everything still needed. */
static uint64_t find_kernel_room(const struct zp_bundle_desc *d, const struct zp_bzimage *bz,
				 const struct zp_e820_map *ram, const struct zp_pvh_info *si,
				 uint64_t initrd_addr, uint64_t initrd_size)
{
	const struct avoid av[] = {
		{ (uintptr_t)__shim_start, (uintptr_t)__shim_end - (uintptr_t)__shim_start },
		{ initrd_addr, initrd_size },
		{ si->paddr, ZP_HVM_START_INFO_V1_SIZE },
		{ si->memmap_paddr, (uint64_t)si->memmap_entries * 24 },
		{ si->cmdline_paddr, si->cmdline_paddr ? si->cmdline_len + 1 : 0 },
		{ si->modlist_paddr, (uint64_t)si->nr_modules * 32 },
		{ d->cmdline_paddr, d->cmdline_len ? d->cmdline_len + 1 : 0 },
	};
	uint64_t kernel_addr = place_kernel(d, bz, ram, av, sizeof(av) / sizeof(av[0]));

	if (kernel_addr != d->kernel_addr)	/* protected-mode part only: the header is read */
		memmove(zp_phys(kernel_addr), zp_phys(d->kernel_addr), bz->pm_size);
	return kernel_addr;
}

/* 4b. The subarch handoff: keep the start_info copy and reserve it. */
static void keep_start_info(const struct zp_pvh_info *si, struct zp_e820_map *ram,
			    struct zp_e820_entry *reserved, struct zp_translate_opts *opts)
{
	size_t kept = preserve_start_info(si);
	int r;

	*reserved = (struct zp_e820_entry){ (uintptr_t)preserve, (kept + 0xfff) & ~(size_t)0xfff,
					    ZP_E820_RESERVED };
	r = zp_e820_set(ram, reserved->addr, reserved->size, ZP_E820_RESERVED);
	if (r)
		zp_shim_fail("reserving the start_info copy: %s", zp_strerror(r));
	opts->extra_reserved = reserved;
	opts->nr_extra_reserved = 1;
	opts->start_info_copy = (uintptr_t)preserve;
}

/* 5. The zero page, by the same code the host tools test, then the same
 * layout check the host tools apply. */
static void build_zero_page(const struct zp_pvh_info *si, const struct zp_bzimage *bz,
			    const struct zp_e820_map *ram, struct zp_translate_opts *opts,
			    size_t cmdline_len)
{
	struct zp_layout layout = { 0 };
	struct zp_diag diag;
	size_t setup_len = 0;
	int r;

	opts->cmdline = cmdline;
	opts->cmdline_addr = (uintptr_t)cmdline;
	opts->e820_scratch = scratch_entries;
	opts->e820_scratch_cap = E820_MAX;
	opts->setup_data_buf = setup_data;
	opts->setup_data_cap = sizeof(setup_data);
	opts->setup_data_addr = (uintptr_t)setup_data;
	r = zp_start_info_to_boot_params(&guest, si, bz, opts, &zero_page, &setup_len, &diag);
	if (r)
		zp_shim_fail("building the zero page: %s", diag.msg);

	layout.kernel_addr = opts->kernel_addr;
	layout.zero_page_addr = (uintptr_t)&zero_page;
	layout.cmdline_addr = (uintptr_t)cmdline;
	layout.cmdline_len = cmdline_len;
	layout.initrd_addr = zero_page.hdr.ramdisk_image | (uint64_t)zero_page.ext_ramdisk_image << 32;
	layout.initrd_size = zero_page.hdr.ramdisk_size | (uint64_t)zero_page.ext_ramdisk_size << 32;
	layout.setup_data_addr = (uintptr_t)setup_data;
	layout.setup_data_len = setup_len;
	r = zp_check_layout(bz, ram->entries, ram->count, &layout, &diag);
	if (r)
		zp_shim_fail("layout: %s", diag.msg);
}

void zp_shim_main(uint32_t si_paddr)
{
	const struct zp_bundle_desc *d = &zp_bundle;
	struct zp_e820_map ram = { ram_entries, 0, E820_MAX };
	struct zp_e820_entry reserved;
	struct zp_translate_opts opts = { 0 };
	struct zp_pvh_info si;
	struct zp_bzimage bz;
	uint64_t kernel_addr, initrd_addr, initrd_size;
	size_t cmdline_len;
	bool xen = zp_xen_init();	/* first: on Xen even errors go through it */
	uint32_t xen_entries;

	check_descriptor(d);
	xen_entries = read_start_info(si_paddr, xen, &si, &ram);
	check_bundled_kernel(d, &ram, &bz);
	choose_initrd(d, &si, &ram, &initrd_addr, &initrd_size);
	kernel_addr = find_kernel_room(d, &bz, &ram, &si, initrd_addr, initrd_size);

	cmdline_len = build_cmdline(d, &si, &bz);
	if (d->handoff == ZP_HANDOFF_SUBARCH)
		keep_start_info(&si, &ram, &reserved, &opts);
	opts.handoff = d->handoff;
	opts.on_xen = xen;
	if (xen_entries) {
		opts.hv_e820 = xen_map;
		opts.hv_e820_len = sizeof(xen_map);
		opts.hv_e820_entries = xen_entries;
	}
	opts.kernel_addr = kernel_addr;
	if (!si.nr_modules) {		/* else the core takes module 0 itself */
		opts.initrd_addr = initrd_addr;
		opts.initrd_size = initrd_size;
	}
	build_zero_page(&si, &bz, &ram, &opts, cmdline_len);

	zp_shim_say("entry %s, kernel 0x%llx%s, zero page 0x%llx, cmdline %llu bytes, "
		    "initrd 0x%llx+0x%llx (%s), e820 %u, subarch %s data 0x%llx, "
		    "start_info v%u at 0x%llx, memmap from %s (%u entries)",
		    entry_name(d->entry), ULL(kernel_addr),
		    kernel_addr != d->kernel_addr ? " (moved)" : "",
		    ULL((uintptr_t)&zero_page), ULL(cmdline_len), ULL(initrd_addr),
		    ULL(initrd_size), si.nr_modules ? "module 0" : "bundled",
		    zero_page.e820_entries,
		    zero_page.hdr.hardware_subarch == ZP_SUBARCH_XEN ? "xen" : "pc",
		    ULL(zero_page.hdr.hardware_subarch_data), si.version, ULL(si.paddr),
		    xen_entries ? "XENMEM_memory_map" : "start_info",
		    xen_entries ? xen_entries : si.memmap_entries);
	enter(d, kernel_addr);
}
