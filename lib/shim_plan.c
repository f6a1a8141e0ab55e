/* SPDX-License-Identifier: MIT */
/*
 * shim_plan.c - everything the PVH shim decides, from the loader's
 * start_info to the registers it enters the kernel with.
 *
 * The shim gathers and acts; this file decides, in order:
 *
 *   1. trust nothing: the bundle descriptor and the loader's start_info are
 *      both checked (magic, version, counts, every structure inside the
 *      memory the shim can read and inside the guest's memory map);
 *   2. the memory map: the start_info's, else the hypervisor's, as the
 *      translation decides it (translate.c), with the ISA range reserved
 *      as Linux's own PVH entry does;
 *   3. the kernel the bundle writer placed: its setup header probed in
 *      place, the entry the bundle asks for allowed by it;
 *   4. the initrd: the loader's module 0, else the bundled one (the
 *      translation's choice); above 4 GiB only where the kernel says it
 *      can take it;
 *   5. where the kernel runs: where it was bundled if this guest has RAM
 *      there and the kernel may run there, else (relocatable) the first
 *      aligned room clear of everything still needed, or (not relocatable)
 *      its pref_address, once the shim is out of the way;
 *   6. the command line: bundled + " " + the loader's, within the kernel's
 *      cmdline_size, and on Xen console=hvc0 when it names no console
 *      (on dom0 with xen_console_io=1);
 *      for the vmlinux entry, KASLR (shim_kaslr.c);
 *   7. for the subarch handoff, a copy of the start_info, reserved
 *      (shim_preserve.c);
 *   8. the zero page, by zp_start_info_to_boot_params itself, then the
 *      boot protocol's layout rules over it all.
 *
 * The kernel's own rules (its room, alignment, whether it reaches above
 * 4 GiB) are read once, by the probe, into struct zp_bzimage.
 *
 * Every guest address is read through in->mem (bounds-checked), every
 * write goes to a buffer the caller sized.
 */
#include <zeropage/bundle.h>
#include "diag.h"
#include "env.h"
#include "pvh_map.h"
#include "shim_plan.h"

#define MIB		(1024ull * 1024)

static bool below_4g(uint64_t addr, uint64_t len)
{
	return addr < GIB4 && len <= GIB4 - addr;
}

/* 1. The descriptor: the rule every reader of one shares
 * (zp_bundle_desc_check), then what only the shim refuses: the bare shim,
 * and a command line longer than its hand-over buffer. */
static int check_descriptor(const struct zp_bundle_desc *d, uint32_t cmdline_cap,
			    struct zp_diag *diag)
{
	int r = zp_bundle_desc_check(d, diag);

	if (r)
		return r;
	if (d->entry == 0)
		return zp_diag_fail(diag, ZP_EBUNDLE, "no kernel in this image: it is the bare "
				    "shim; wrap a kernel with `zeropage bundle --kernel BZIMAGE -o OUT`");
	if (d->cmdline_len >= cmdline_cap)
		return zp_diag_fail(diag, ZP_EBUNDLE, "bundle descriptor: cmdline_len %llu does "
				    "not fit the shim's %u-byte command line", ULL(d->cmdline_len),
				    cmdline_cap);
	return ZP_OK;
}

/* End of the RAM entry holding addr, or else of the last RAM below 4 GiB:
 * for "guest RAM ends at" messages. */
static uint64_t ram_end(const struct zp_e820_map *m, uint64_t addr)
{
	uint64_t top = 0;

	for (uint32_t i = 0; i < m->count; i++) {
		const struct zp_e820_entry *e = &m->entries[i];
		if (e->type != ZP_E820_RAM)
			continue;
		if (addr >= e->addr && addr - e->addr < e->size)
			return e->addr + e->size;
		if (e->addr < GIB4 && e->addr + e->size > top)
			top = e->addr + e->size;
	}
	return top;
}

/* The start_info's own structures may sit in RAM, in a reserved range, or
 * (qboot, microvm's firmware, keeps them in its own data below 1 MiB) in
 * the legacy 640 KiB-1 MiB hole, which the map now marks reserved; above 4 GiB too, when the shim
 * can read there (zp_pvh_parse checked the window). */
static bool known_memory(const struct zp_e820_map *m, uint64_t addr, uint64_t len)
{
	if (len == 0)
		return true;
	for (uint32_t i = 0; i < m->count; i++) {
		const struct zp_e820_entry *e = &m->entries[i];
		if (addr >= e->addr && addr + len <= e->addr + e->size)
			return true;
	}
	return false;
}

static int check_start_info_memory(const struct zp_e820_map *m, const struct zp_pvh_info *si,
				   struct zp_diag *diag)
{
	uint64_t hdr = si->version >= 1 ? ZP_HVM_START_INFO_V1_SIZE : ZP_HVM_START_INFO_V0_SIZE;

	if (!known_memory(m, si->paddr, hdr))
		return zp_diag_fail(diag, ZP_EBADADDR, "start_info at 0x%llx lies outside the "
				    "guest's memory map", ULL(si->paddr));
	if (!known_memory(m, si->memmap_paddr, (uint64_t)si->memmap_entries * MEMMAP_ENTRY))
		return zp_diag_fail(diag, ZP_EBADADDR, "start_info memmap at 0x%llx lies outside "
				    "the memory map it describes", ULL(si->memmap_paddr));
	if (!known_memory(m, si->modlist_paddr, (uint64_t)si->nr_modules * MODLIST_ENTRY))
		return zp_diag_fail(diag, ZP_EBADADDR, "start_info modlist at 0x%llx (%u modules) "
				    "lies outside guest memory", ULL(si->modlist_paddr),
				    si->nr_modules);
	if (si->cmdline_paddr && !known_memory(m, si->cmdline_paddr, si->cmdline_len + 1))
		return zp_diag_fail(diag, ZP_EBADADDR, "start_info cmdline at 0x%llx lies outside "
				    "guest memory", ULL(si->cmdline_paddr));
	return ZP_OK;
}

/* What the shim asks of the PVH translation (translate.c), which decides
 * the memory map and the initrd and builds the zero page: the one
 * translation the public zp_start_info_to_boot_params is.  Filled from
 * the plan as it stands: the first call needs only the hypervisor's map. */
static void shim_translate_opts(const struct zp_shim_input *in, const struct zp_shim_plan *plan,
				struct zp_translate_opts *o)
{
	*o = (struct zp_translate_opts){
		.handoff = in->desc->handoff == ZP_HANDOFF_SUBARCH ? ZP_HANDOFF_SUBARCH
								   : ZP_HANDOFF_NATIVE,
		.on_xen = in->on_xen, .start_info_copy = plan->preserved_addr,
		.kernel_addr = plan->kernel_addr,
		.cmdline = in->cmdline, .cmdline_addr = in->cmdline_addr,
		.fallback_initrd_addr = in->desc->initrd_paddr,
		.fallback_initrd_size = in->desc->initrd_size,
		.hv_e820 = in->hv_e820, .hv_e820_len = in->hv_e820_len,
		.hv_e820_entries = in->hv_e820_entries, .hv_error = in->hv_error,
		.e820_scratch = in->scratch_entries, .e820_scratch_cap = in->e820_cap,
		.setup_data_buf = in->setup_data, .setup_data_cap = in->setup_data_cap,
		.setup_data_addr = in->setup_data_addr,
	};
}

/* 1-2. The start_info, and the one memory map everything is checked
 * against and the kernel is given. */
static int read_start_info(const struct zp_shim_input *in, struct zp_shim_plan *plan,
			   struct zp_translate_opts *opts, struct zp_e820_map *ram,
			   struct zp_diag *diag)
{
	struct zp_pvh_info *si = &plan->si;
	int r;

	if (in->start_info == 0)
		return zp_diag_fail(diag, ZP_ESTARTINFO, "no start_info: %%ebx is 0 (not started "
				    "by a PVH loader?)");
	r = zp_pvh_parse(in->mem, in->start_info, si, diag);
	if (r) {
		struct zp_diag why = *diag;
		bool low_only = r == ZP_EBADADDR && in->mem->size <= GIB4;
		return zp_diag_fail(diag, r, "bad start_info at 0x%llx: %s%s", ULL(in->start_info),
				    why.msg, low_only ? " (the shim maps only the low 4 GiB: this "
				    "CPU has no 1 GiB pages)" : "");
	}
	shim_translate_opts(in, plan, opts);
	r = zp_pvh_memory_map(in->mem, si, opts, ram, &plan->memmap_source, diag);
	if (r)
		return r;
	plan->memmap_entries = plan->memmap_source == ZP_MEMMAP_HYPERVISOR
			       ? in->hv_e820_entries : si->memmap_entries;
	return check_start_info_memory(ram, si, diag);
}

/* 3. The bundle's pieces must be where the writer put them, in RAM: if the
 * loader had no RAM there it could not have loaded them.  Then the kernel's
 * header, probed in place, must allow the entry the bundle asks for. */
static int check_bundled_kernel(const struct zp_shim_input *in, const struct zp_e820_map *ram,
				struct zp_bzimage *bz, struct zp_diag *diag)
{
	const struct zp_bundle_desc *d = in->desc;
	const void *image = zp_guest_ptr(in->mem, d->image_paddr, d->image_loaded);
	int r;

	if (!image || !zp_e820_is_ram(ram, d->image_paddr, d->image_loaded))
		return zp_diag_fail(diag, ZP_EBADADDR, "bundle's kernel image at 0x%llx-0x%llx is "
				    "not in guest RAM (RAM ends at 0x%llx): the loader could not "
				    "load it; give the guest more memory", ULL(d->image_paddr),
				    ULL(d->image_paddr + d->image_loaded),
				    ULL(ram_end(ram, d->image_paddr)));
	if (d->cmdline_len && !zp_e820_is_ram(ram, d->cmdline_paddr, d->cmdline_len + 1))
		return zp_diag_fail(diag, ZP_EBADADDR, "bundled command line at 0x%llx is not in "
				    "guest RAM", ULL(d->cmdline_paddr));
	r = d->entry == ZP_BUNDLE_ENTRY_VMLINUX
	    ? zp_probe_bzimage_header(image, d->image_loaded, bz)
	    : zp_probe_bzimage(image, d->image_size, bz);
	if (r)
		return zp_diag_fail(diag, r, "bundle's kernel image at 0x%llx is not a valid "
				    "bzImage: %s", ULL(d->image_paddr), zp_strerror(r));
	return zp_bundle_desc_check_kernel(d, bz, diag);
}

/* 4. The initrd, chosen as the translation chooses it (the loader's
 * module 0 replaces the bundled one).  Its bytes must be RAM; above 4 GiB
 * (or above initrd_addr_max) only where the kernel's header says it can
 * reach them. */
static int choose_initrd(const struct zp_shim_input *in, const struct zp_bzimage *bz,
			 const struct zp_e820_map *ram, const struct zp_translate_opts *opts,
			 struct zp_shim_plan *plan, struct zp_diag *diag)
{
	struct zp_pvh_initrd i;
	const char *what;
	uint64_t last;
	int r = zp_pvh_choose_initrd(in->mem, &plan->si, opts, &i, diag);

	if (r)
		return r;
	what = i.from_module ? "module 0" : "bundled initrd";
	plan->initrd_from_module = i.from_module;
	plan->initrd_addr = i.addr;
	plan->initrd_size = i.size;
	if (i.size == 0)
		return ZP_OK;
	if (!zp_e820_is_ram(ram, i.addr, i.size))
		return zp_diag_fail(diag, ZP_EBADADDR, "%s at 0x%llx-0x%llx is not in guest RAM "
				    "(RAM ends at 0x%llx)", what, ULL(i.addr), ULL(i.addr + i.size),
				    ULL(ram_end(ram, i.addr)));
	last = i.addr + i.size - 1;
	if (last > bz->initrd_max)
		return zp_diag_fail(diag, ZP_ELAYOUT, "%s at 0x%llx-0x%llx ends above the kernel's "
				    "initrd_addr_max 0x%x, and the kernel does not set "
				    "XLF_CAN_BE_LOADED_ABOVE_4G%s", what, ULL(i.addr), ULL(last + 1),
				    bz->initrd_addr_max,
				    bz->protocol < 0x20c ? " (boot protocol before 2.12)" : "");
	return ZP_OK;
}

/* 5. Where the kernel runs.  The decompressor never runs below
 * pref_address (LOAD_PHYSICAL_ADDR), so neither do we; a kernel that is not
 * relocatable runs only at pref_address (for old and non-Linux images,
 * 1 MiB, which is why the bundle writer can move the shim out of its way). */

static bool overlaps_any(uint64_t a, uint64_t size, const struct zp_kaslr_range *av, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (av[i].size && a < av[i].addr + av[i].size && av[i].addr < a + size)
			return true;
	return false;
}

static bool room_ok(const struct zp_e820_map *ram, uint64_t a, uint64_t span,
		    const struct zp_kaslr_range *av, unsigned nav)
{
	return below_4g(a, span) && zp_e820_is_ram(ram, a, span) && !overlaps_any(a, span, av, nav);
}

static uint64_t first_room(const struct zp_bzimage *bz, const struct zp_e820_map *ram,
			   uint64_t span, const struct zp_kaslr_range *av, unsigned nav)
{
	/* 2 MiB steps at least: a power-of-two alignment that large satisfies
	 * any smaller one, and keeps the walk to 2048 steps below 4 GiB (a
	 * header claiming alignment 1 would otherwise mean a billion). */
	uint64_t align = zp_max_u64(bz->load_align, 0x200000);

	if (bz->load_align == 0)	/* no address satisfies it */
		return 0;
	for (uint32_t i = 0; i < ram->count; i++) {
		const struct zp_e820_entry *e = &ram->entries[i];
		uint64_t a = zp_align_up_u64(zp_max_u64(e->addr, bz->pref_address), align);
		if (e->type != ZP_E820_RAM)
			continue;
		for (; a + span <= e->addr + e->size && a + span <= GIB4; a += align)
			if (!overlaps_any(a, span, av, nav))
				return a;
	}
	return 0;
}

/* What must stay where it is until the kernel runs, and so what every
 * placement of the kernel keeps clear of: the shim (with the zero page and
 * command line it hands over), the loader's start_info and its pieces, the
 * initrd, the bundled command line and setup header, and the relocation
 * table (read after a KASLR move).  Returns how many ranges. */
unsigned zp_shim_in_use(const struct zp_shim_input *in, const struct zp_shim_plan *plan,
			uint64_t setup_size, struct zp_kaslr_range *r)
{
	const struct zp_bundle_desc *d = in->desc;
	const struct zp_pvh_info *si = &plan->si;
	unsigned n = 0;

	r[n++] = (struct zp_kaslr_range){ in->shim_start, in->shim_end - in->shim_start };
	r[n++] = (struct zp_kaslr_range){ plan->initrd_addr, plan->initrd_size };
	r[n++] = (struct zp_kaslr_range){ si->paddr, ZP_HVM_START_INFO_V1_SIZE };
	r[n++] = (struct zp_kaslr_range){ si->memmap_paddr,
					  (uint64_t)si->memmap_entries * MEMMAP_ENTRY };
	r[n++] = (struct zp_kaslr_range){ si->cmdline_paddr,
					  si->cmdline_paddr ? si->cmdline_len + 1 : 0 };
	r[n++] = (struct zp_kaslr_range){ si->modlist_paddr,
					  (uint64_t)si->nr_modules * MODLIST_ENTRY };
	r[n++] = (struct zp_kaslr_range){ d->cmdline_paddr, d->cmdline_len ? d->cmdline_len + 1 : 0 };
	r[n++] = (struct zp_kaslr_range){ d->image_paddr, setup_size };
	r[n++] = (struct zp_kaslr_range){ d->relocs_paddr, d->relocs_size };
	return n;
}

static int place_kernel(const struct zp_shim_input *in, const struct zp_bzimage *bz,
			const struct zp_e820_map *ram, struct zp_shim_plan *plan,
			struct zp_diag *diag)
{
	const struct zp_bundle_desc *d = in->desc;
	struct zp_kaslr_range av[ZP_SHIM_IN_USE_MAX];
	unsigned nav = zp_shim_in_use(in, plan, bz->setup_size, av);
	uint64_t span = d->kernel_span, a;

	if (d->entry == ZP_BUNDLE_ENTRY_VMLINUX) {
		a = d->kernel_addr;		/* linked there (KASLR may move it later) */
		if (!zp_e820_is_ram(ram, a, span))
			a = 0;
		plan->link_room_busy = a && !room_ok(ram, a, span, av, nav);
	} else if (!bz->relocatable) {
		a = bz->pref_address;		/* the only place it runs */
		if (!room_ok(ram, a, span, av, nav))
			return zp_diag_fail(diag, ZP_ELAYOUT, "kernel is not relocatable and needs "
					    "0x%llx-0x%llx, which is %s", ULL(a), ULL(a + span),
					    !zp_e820_is_ram(ram, a, span) ? "not all guest RAM"
					    : "in use (the shim or what the loader gave overlaps it)");
	} else if (d->kernel_addr >= bz->pref_address &&
		   room_ok(ram, d->kernel_addr, span, av, nav)) {
		a = d->kernel_addr;		/* where the writer put it */
	} else {
		a = first_room(bz, ram, span, av, nav);
	}
	if (!a)
		return zp_diag_fail(diag, ZP_ENOSPACE, "kernel needs %llu MiB at 0x%llx, guest RAM "
				    "ends at 0x%llx", ULL((span + MIB - 1) / MIB), ULL(d->kernel_addr),
				    ULL(ram_end(ram, d->kernel_addr)));
	plan->kernel_addr = a;
	if (a != d->kernel_addr) {	/* protected-mode part only: the header stays */
		plan->move_from = d->kernel_addr;
		plan->move_len = bz->pm_size;
	}
	return ZP_OK;
}

/* 6. The command line: the bundle's default, then what the loader appended
 * (QEMU -append), so a user can add to a bundle without rebuilding it. */
static int build_cmdline(const struct zp_shim_input *in, const struct zp_bzimage *bz,
			 struct zp_shim_plan *plan, struct zp_diag *diag)
{
	const struct zp_bundle_desc *d = in->desc;
	const struct zp_pvh_info *si = &plan->si;
	uint64_t vlen = si->cmdline_paddr ? si->cmdline_len : 0, n = d->cmdline_len;
	uint64_t total = n && vlen ? n + 1 + vlen : n + vlen;	/* a space only between two */
	const char *bundled = zp_guest_ptr(in->mem, d->cmdline_paddr, n + 1);
	const char *vmm = zp_guest_ptr(in->mem, si->cmdline_paddr, vlen);

	if (n && (!bundled || bundled[n] != '\0'))
		return zp_diag_fail(diag, ZP_ECMDLINE, "bundled command line at 0x%llx is not "
				    "NUL-terminated", ULL(d->cmdline_paddr));
	if (total >= in->cmdline_cap || total > bz->cmdline_size)
		return zp_diag_fail(diag, ZP_ECMDLINE, "command line of %llu bytes (bundled %llu + "
				    "loader's %llu) exceeds the kernel's cmdline_size %u",
				    ULL(total), ULL(n), ULL(vlen), bz->cmdline_size);
	if (n)
		zp_memcpy(in->cmdline, bundled, (size_t)n);
	if (n && vlen)
		in->cmdline[n++] = ' ';
	if (vlen)
		zp_memcpy(in->cmdline + n, vmm, (size_t)vlen);
	in->cmdline[total] = '\0';
	plan->cmdline_len = (uint32_t)total;
	return ZP_OK;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* A parameter's name as the kernel compares it (parameq): '-' is '_'. */
static bool name_is(const char *p, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++, name++) {
		char c = p[i] == '-' ? '_' : p[i];
		if (!*name || c != *name)
			return false;
	}
	return *name == '\0';
}

/* Does the kernel's part of the command line hold parameter `name`
 * (with a value, when need_value: console's handler is "console=")?
 * Split as the kernel splits it (lib/cmdline.c next_arg): at white space
 * outside double quotes, a leading quote dropped, and nothing after a
 * bare "--", which is init's. */
static bool kernel_param(const char *p, const char *name, bool need_value)
{
	while (*p) {
		const char *start, *eq;
		bool in_quote = false;

		while (is_space(*p))
			p++;
		start = p;
		for (; *p && (in_quote || !is_space(*p)); p++)
			if (*p == '"')
				in_quote = !in_quote;
		if (p - start == 2 && start[0] == '-' && start[1] == '-')
			return false;
		if (*start == '"')
			start++;
		for (eq = start; eq < p && *eq != '='; eq++)
			;
		if (eq > start && name_is(start, (size_t)(eq - start), name) && (eq < p || !need_value))
			return true;
	}
	return false;
}

/* 6b. On Xen, a console init can speak on.  The kernel entered natively
 * finds Xen by CPUID and runs as an HVM guest, whose console is hvc0
 * (hvc_xen: the console ring xenconsoled serves a domU), but only if
 * asked: with no console= Linux enables the first console that registers,
 * the VT's dummy, and a user's init prints into nothing the host sees.
 * So a line that names no console gets console=hvc0.  Only console=
 * names one: earlycon= and earlyprintk= are boot consoles, printk's until
 * a real console registers, never /dev/console (Xen's usual line is
 * "earlyprintk=xen console=hvc0", both).  A user's console= (any,
 * console=ttyS0 or console=null) is the user's choice and stays alone.
 *
 * Dom0 (SIF_INITDOMAIN) has no ring: its hvc0 is the console_io
 * hypercall, which hvc_xen uses only for a kernel it knows to be dom0,
 * and only Xen's PV and PVH entries tell it that.  Linux 7.x's
 * xen_console_io=1 says it on the command line (6.1 and 6.12 lack it and
 * hand it to init's environment, harmless), so dom0 gets that too unless
 * the user set it.  All of it must fit the kernel's cmdline_size; if it
 * does not, the line is left as it is and the plan says why. */
static void add_xen_console(const struct zp_shim_input *in, const struct zp_bzimage *bz,
			    struct zp_shim_plan *plan)
{
	static const char console[] = ZP_SHIM_XEN_CONSOLE, io[] = ZP_SHIM_XEN_DOM0_CONSOLE_IO;
	bool add_console = !kernel_param(in->cmdline, "console", true);
	bool add_io = (plan->si.flags & ZP_HVM_SIF_INITDOMAIN) &&
		      !kernel_param(in->cmdline, "xen_console_io", false);
	uint64_t n = plan->cmdline_len, add;

	if (!in->on_xen || (!add_console && !add_io))
		return;
	add = (add_console ? sizeof(console) : 0) + (add_io ? sizeof(io) : 0) - (n ? 0 : 1);
	if (n + add >= in->cmdline_cap || n + add > bz->cmdline_size) {
		plan->console_skipped = "no room: the command line would exceed the kernel's "
					"cmdline_size";
		return;
	}
	if (n)
		in->cmdline[n++] = ' ';
	plan->console_added = in->cmdline + n;
	if (add_console) {
		zp_memcpy(in->cmdline + n, console, sizeof(console) - 1);
		n += sizeof(console) - 1;
	}
	if (add_console && add_io)
		in->cmdline[n++] = ' ';
	if (add_io) {
		zp_memcpy(in->cmdline + n, io, sizeof(io) - 1);
		n += sizeof(io) - 1;
	}
	in->cmdline[n] = '\0';
	plan->cmdline_len = (uint32_t)n;
}

/* 8. The zero page, by the public translation itself, then the boot
 * protocol's layout rules over everything placed. */
static int build_zero_page(const struct zp_shim_input *in, const struct zp_bzimage *bz,
			   const struct zp_e820_map *ram, struct zp_shim_plan *plan,
			   struct zp_diag *diag)
{
	struct zp_translate_opts opts;
	struct zp_layout layout = { 0 };
	struct zp_e820_entry kept = { plan->preserved_addr, plan->preserved_size, ZP_E820_RESERVED };
	size_t setup_len = 0;
	int r;

	shim_translate_opts(in, plan, &opts);
	opts.extra_reserved = &kept;
	opts.nr_extra_reserved = plan->preserved_size ? 1 : 0;
	r = zp_start_info_to_boot_params(in->mem, &plan->si, bz, &opts, in->zero_page, &setup_len,
					 diag);
	if (r)
		return r;
	if (plan->kaslr)	/* what the decompressor tells the kernel when it randomised */
		in->zero_page->hdr.loadflags |= ZP_KASLR_FLAG;
	plan->e820_entries = in->zero_page->e820_entries;

	layout.kernel_addr = plan->kernel_addr;
	layout.zero_page_addr = in->zero_page_addr;
	layout.cmdline_addr = in->cmdline_addr;
	layout.cmdline_len = plan->cmdline_len;
	layout.initrd_addr = plan->initrd_addr;
	layout.initrd_size = plan->initrd_size;
	layout.setup_data_addr = in->setup_data_addr;
	layout.setup_data_len = setup_len;
	r = zp_check_layout(bz, ram->entries, ram->count, &layout, diag);
	if (r) {
		struct zp_diag why = *diag;
		return zp_diag_fail(diag, r, "layout: %s", why.msg);
	}
	return ZP_OK;
}

static int check_input(const struct zp_shim_input *in, struct zp_diag *diag)
{
	if (!in || !in->mem || !in->desc || !in->zero_page || !in->cmdline || !in->cmdline_cap ||
	    !in->preserve || !in->ram_entries || !in->scratch_entries || in->e820_cap < 4 ||
	    in->shim_end < in->shim_start)
		return zp_diag_fail(diag, ZP_EINVAL, "shim plan: missing input or buffer");
	return ZP_OK;
}

static void choose_entry(const struct zp_bundle_desc *d, struct zp_shim_plan *plan)
{
	plan->entry = d->entry;
	if (d->entry == ZP_BUNDLE_ENTRY_64)
		plan->entry_addr = plan->kernel_addr + 0x200;	/* the decompressor's startup_64 */
	else if (d->entry == ZP_BUNDLE_ENTRY_32)
		plan->entry_addr = plan->kernel_addr;		/* startup_32 */
	else	/* the kernel's own startup_64, wherever KASLR put the kernel */
		plan->entry_addr = plan->kernel_addr + (d->vmlinux_entry - d->kernel_addr);
}

int zp_shim_plan(const struct zp_shim_input *in, struct zp_shim_plan *plan,
		 struct zp_diag *diag)
{
	struct zp_e820_map ram;
	struct zp_bzimage bz;
	struct zp_translate_opts opts;
	int r;

	zp_diag_clear(diag);
	if (!plan)
		return zp_diag_fail(diag, ZP_EINVAL, "shim plan: no output");
	zp_memset(plan, 0, sizeof(*plan));
	r = check_input(in, diag);
	if (!r)
		r = check_descriptor(in->desc, in->cmdline_cap, diag);
	if (r)
		return r;
	ram = (struct zp_e820_map){ in->ram_entries, 0, in->e820_cap };
	r = read_start_info(in, plan, &opts, &ram, diag);
	if (!r)
		r = check_bundled_kernel(in, &ram, &bz, diag);
	if (!r)
		r = choose_initrd(in, &bz, &ram, &opts, plan, diag);
	if (!r)
		r = place_kernel(in, &bz, &ram, plan, diag);
	if (!r)
		r = build_cmdline(in, &bz, plan, diag);
	if (!r)
		add_xen_console(in, &bz, plan);
	if (!r)
		r = zp_shim_plan_kaslr(in, &bz, &ram, plan, diag);
	if (!r && plan->link_room_busy && !plan->move_len)	/* the vmlinux stays, on top of it */
		r = zp_diag_fail(diag, ZP_ELAYOUT, "vmlinux room 0x%llx+0x%llx overlaps the shim or "
				 "what the loader gave", ULL(plan->kernel_addr),
				 ULL(in->desc->kernel_span));
	if (!r && in->desc->handoff == ZP_HANDOFF_SUBARCH) {
		r = zp_shim_preserve_start_info(in, plan, diag);
		if (!r && zp_e820_set(&ram, plan->preserved_addr, plan->preserved_size,
				      ZP_E820_RESERVED))
			r = zp_diag_fail(diag, ZP_ENOSPACE, "reserving the start_info copy at "
					 "0x%llx: e820 space full", ULL(plan->preserved_addr));
	}
	if (!r)
		r = build_zero_page(in, &bz, &ram, plan, diag);
	if (r)
		return r;
	plan->zero_page_addr = in->zero_page_addr;
	choose_entry(in->desc, plan);
	return ZP_OK;
}
