/* SPDX-License-Identifier: MIT */
/*
 * test_shim_plan: zp_shim_plan (lib/shim_plan.c), the PVH shim's whole
 * decision, driven on the host with start_infos laid out exactly as the
 * real PVH loaders lay them out.
 *
 * The guest is a calloc'ed 128 MiB buffer at guest-physical 0 (a struct
 * zp_guest_mem window, as the shim's identity map is in the guest).  Into
 * it each test writes what a bundle and a loader leave there:
 *
 *   - the bundle: a synthetic relocatable bzImage (init_size 16 MiB, the
 *     xloadflags of a relocatable x86_64 Linux) whose protected-mode part is
 *     at 16 MiB (image_paddr = 16 MiB - setup size), the bundled command
 *     line and initrd just after the shim, and the descriptor, entry 64,
 *     that says so;
 *   - the loader's start_info, module list, memory map and command line at
 *     the addresses that loader uses, read from its source (cited above each
 *     test) and, for QEMU, also seen in a running guest.
 *
 * The shim's hand-over buffers are host arrays of the sizes bundle.h gives
 * the real shim's, standing for the guest addresses its .bss has: those,
 * and the shim's own footprint, are read from the built shim's symbols
 * (scripts/shim-syms.sh makes $(BUILD)/tests/shim_syms.h), so they cannot
 * drift from it; the bundled command line and initrd follow the shim as
 * `zeropage bundle` places them.  RAM the memory map describes beyond the
 * buffer (above 4 GiB, or past 128 MiB) is never read: the shim reads no
 * module bytes.
 *
 * Each test checks the zero page the kernel gets: the e820 table is the
 * loader's entries verbatim and in the loader's order, then the ISA range
 * 0xa0000-0x100000 reserved (then the subarch copy, reserved); the initrd;
 * cmd_line_ptr is the shim's buffer holding bundled + " " + loader's;
 * acpi_rsdp_addr is the start_info's rsdp_paddr; the kernel runs at 16 MiB
 * and is entered at +0x200.  Then the edge cases: RAM above 4 GiB, a hole
 * where the bundle wanted the kernel, module 0 above 4 GiB, start_info v0
 * without a map, a memory map outside guest memory, the subarch copy.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zeropage/bundle.h>
#include "synth.h"

#define MIB		(1ull << 20)
#define GIB		(1ull << 30)
#define GUEST_SIZE	(128 * MIB)

/* The shim, as linked: SHIM_START, SHIM_END and each buffer's address
 * and _SIZE, from build/zeropage-shim.elf's symbols. */
#include "shim_syms.h"
#define PRESERVE_ADDR	SHIM_PRESERVE
#define PRESERVE_CAP	ZP_SHIM_PRESERVE_CAP
#define SETUP_DATA_ADDR	SHIM_SETUP_DATA
#define SETUP_DATA_CAP	ZP_SHIM_SETUP_DATA_CAP
#define CMDLINE_ADDR	SHIM_CMDLINE
#define CMDLINE_CAP	ZP_SHIM_CMDLINE_CAP
#define ZERO_PAGE_ADDR	SHIM_ZERO_PAGE
#define E820_CAP	ZP_SHIM_E820_CAP

/* The bundle: command line and initrd after the shim (the page after its
 * end, as the bundle writer puts them), kernel at 16 MiB with a 16 MiB
 * room, so its highest segment ends at 32 MiB. */
#define BUNDLED_CMDLINE		"console=ttyS0 root=/dev/vda1"
#define BUNDLED_CMDLINE_ADDR	((SHIM_END + 0xfffu) & ~0xfffull)
#define BUNDLED_INITRD_ADDR	(BUNDLED_CMDLINE_ADDR + 0x1000u)
#define BUNDLED_INITRD_SIZE	0x3000u
#define KERNEL_ADDR		0x1000000u
#define KERNEL_ROOM		0x1000000u
#define BUNDLE_END		(KERNEL_ADDR + KERNEL_ROOM)

#define INITRD_SIZE	12345u		/* what the QEMU runs below were given */

/* What a relocatable x86_64 Linux sets (arch/x86/boot/header.S: XLF0, XLF1). */
#define LINUX_XLF	(ZP_XLF_KERNEL_64 | ZP_XLF_CAN_BE_LOADED_ABOVE_4G)

struct guest {
	uint8_t *ram;
	struct zp_guest_mem mem;
	struct zp_bundle_desc desc;
	size_t pm_size;
	struct zp_boot_params zp;
	char cmdline[CMDLINE_CAP];
	uint8_t setup_data[SETUP_DATA_CAP];
	uint8_t preserve[PRESERVE_CAP];
	struct zp_e820_entry ram_e820[E820_CAP], scratch_e820[E820_CAP];
	struct zp_e820_entry hv_e820[E820_CAP];	/* Xen's XENMEM_memory_map result */
	struct zp_shim_input in;
	struct zp_shim_plan plan;
	struct zp_diag diag;
};

/* What a loader wrote: start_info and everything it points to.  A map
 * with memmap == 0 is not in guest memory (Xen's hypercall has it). */
struct loader {
	uint32_t version, flags;
	uint64_t start_info, modlist, cmdline, memmap, rsdp;
	const char *cmd;
	const struct zp_hvm_memmap_table_entry *map;
	uint32_t map_entries;
	uint64_t initrd, initrd_size;	/* module 0; size 0: no module */
};

#define RAM(a, s)	{ (a), (s), ZP_HVM_MEMMAP_RAM, 0 }
#define RSV(a, s)	{ (a), (s), ZP_HVM_MEMMAP_RESERVED, 0 }
#define ENTRIES(m)	((uint32_t)(sizeof(m) / sizeof((m)[0])))

static void put(struct guest *g, uint64_t addr, const void *p, size_t len)
{
	assert_true(addr + len <= GUEST_SIZE);
	memcpy(g->ram + addr, p, len);
}

static void put_kernel(struct guest *g, uint16_t xlf)
{
	static const uint8_t payload[] = { 0x02, 0x21, 0x4c, 0x18, 1, 2, 3, 4 };
	struct synth_bzimage_opts o = {
		.protocol = 0x20f, .xloadflags = xlf, .relocatable = true,
		.payload = payload, .payload_len = sizeof(payload),
		.init_size = KERNEL_ROOM, .pref_address = KERNEL_ADDR,
	};
	size_t len;
	uint8_t *img = synth_bzimage(&o, &len);
	size_t setup = (size_t)(img[0x1f1] ? img[0x1f1] + 1 : 5) * 512;

	put(g, KERNEL_ADDR - setup, img, len);
	g->pm_size = len - setup;
	g->desc = (struct zp_bundle_desc){
		.magic = ZP_BUNDLE_MAGIC, .version = ZP_BUNDLE_VERSION,
		.size = sizeof(struct zp_bundle_desc), .entry = ZP_BUNDLE_ENTRY_64,
		.handoff = ZP_HANDOFF_NATIVE, .image_paddr = KERNEL_ADDR - setup,
		.image_size = len, .image_loaded = len, .kernel_addr = KERNEL_ADDR,
		.kernel_span = KERNEL_ROOM, .initrd_paddr = BUNDLED_INITRD_ADDR,
		.initrd_size = BUNDLED_INITRD_SIZE, .cmdline_paddr = BUNDLED_CMDLINE_ADDR,
		.cmdline_len = strlen(BUNDLED_CMDLINE),
	};
	put(g, BUNDLED_CMDLINE_ADDR, BUNDLED_CMDLINE, sizeof(BUNDLED_CMDLINE));
	free(img);
}

static struct guest *guest_new(uint16_t xlf)
{
	struct guest *g = calloc(1, sizeof(*g));

	assert_non_null(g);
	g->ram = calloc(1, GUEST_SIZE);
	assert_non_null(g->ram);
	g->mem = (struct zp_guest_mem){ g->ram, 0, GUEST_SIZE };
	put_kernel(g, xlf);
	g->in = (struct zp_shim_input){
		.mem = &g->mem, .desc = &g->desc, .shim_start = SHIM_START, .shim_end = SHIM_END,
		.zero_page = &g->zp, .zero_page_addr = ZERO_PAGE_ADDR,
		.cmdline = g->cmdline, .cmdline_addr = CMDLINE_ADDR, .cmdline_cap = CMDLINE_CAP,
		.setup_data = g->setup_data, .setup_data_addr = SETUP_DATA_ADDR,
		.setup_data_cap = SETUP_DATA_CAP,
		.preserve = g->preserve, .preserve_addr = PRESERVE_ADDR,
		.preserve_cap = PRESERVE_CAP,
		.ram_entries = g->ram_e820, .scratch_entries = g->scratch_e820,
		.e820_cap = E820_CAP,
	};
	return g;
}

static void guest_free(struct guest *g)
{
	free(g->ram);
	free(g);
}

static void put_loader(struct guest *g, const struct loader *l)
{
	struct zp_hvm_start_info si = {
		.magic = ZP_HVM_START_MAGIC, .version = l->version, .flags = l->flags,
		.nr_modules = l->initrd_size ? 1 : 0, .modlist_paddr = l->modlist,
		.cmdline_paddr = l->cmdline, .rsdp_paddr = l->rsdp,
		.memmap_paddr = l->memmap, .memmap_entries = l->memmap ? l->map_entries : 0,
	};
	struct zp_hvm_modlist_entry mod = { l->initrd, l->initrd_size, 0, 0 };

	put(g, l->start_info, &si, sizeof(si));	/* Xen's v0 writes all 56 bytes too */
	if (l->initrd_size)
		put(g, l->modlist, &mod, sizeof(mod));
	if (l->cmd)
		put(g, l->cmdline, l->cmd, strlen(l->cmd) + 1);
	if (l->memmap)
		put(g, l->memmap, l->map, (size_t)l->map_entries * sizeof(l->map[0]));
}

/* Xen's XENMEM_memory_map result: packed 20-byte e820 entries. */
static void give_hypercall_map(struct guest *g, const struct loader *l)
{
	for (uint32_t i = 0; i < l->map_entries; i++)
		g->hv_e820[i] = (struct zp_e820_entry){ l->map[i].addr, l->map[i].size,
							l->map[i].type };
	g->in.on_xen = true;
	g->in.hv_e820 = g->hv_e820;
	g->in.hv_e820_len = sizeof(g->hv_e820);
	g->in.hv_e820_entries = l->map_entries;
}

static int run(struct guest *g, uint64_t start_info)
{
	g->in.start_info = start_info;
	return zp_shim_plan(&g->in, &g->plan, &g->diag);
}

static int boot(struct guest *g, const struct loader *l)
{
	put_loader(g, l);
	return run(g, l->start_info);
}

static void assert_ok(struct guest *g, int r)
{
	if (r)
		fail_msg("zp_shim_plan: %s (%d)", g->diag.msg, r);
}

static void assert_e820_entry(const struct zp_e820_entry *e, uint64_t addr, uint64_t size,
			      uint32_t type)
{
	assert_int_equal(e->addr, addr);
	assert_int_equal(e->size, size);
	assert_int_equal(e->type, type);
}

/* The loader's entries verbatim, in its order, then the ISA range. */
static void assert_e820(const struct guest *g, const struct loader *l)
{
	const struct zp_e820_entry *t = g->zp.e820_table;
	uint32_t n = l->map_entries;

	assert_int_equal(g->zp.e820_entries, n + 1 + (g->plan.preserved_size ? 1 : 0));
	assert_int_equal(g->plan.e820_entries, g->zp.e820_entries);
	assert_int_equal(g->plan.memmap_entries, n);
	for (uint32_t i = 0; i < n; i++)
		assert_e820_entry(&t[i], l->map[i].addr, l->map[i].size, l->map[i].type);
	assert_e820_entry(&t[n], 0xa0000, 0x60000, ZP_E820_RESERVED);
}

static void assert_initrd(const struct guest *g, uint64_t addr, uint64_t size, bool module)
{
	assert_int_equal(g->plan.initrd_from_module, module);
	assert_int_equal(g->plan.initrd_addr, addr);
	assert_int_equal(g->plan.initrd_size, size);
	assert_int_equal(g->zp.hdr.ramdisk_image, (uint32_t)addr);
	assert_int_equal(g->zp.ext_ramdisk_image, (uint32_t)(addr >> 32));
	assert_int_equal(g->zp.hdr.ramdisk_size, size);
}

static void assert_cmdline(const struct guest *g, const char *loaders)
{
	char want[512];

	snprintf(want, sizeof(want), "%s %s", BUNDLED_CMDLINE, loaders);
	assert_int_equal(g->zp.hdr.cmd_line_ptr, CMDLINE_ADDR);
	assert_int_equal(g->zp.ext_cmd_line_ptr, 0);
	assert_string_equal(g->cmdline, want);
	assert_int_equal(g->plan.cmdline_len, strlen(want));
}

static void assert_kernel_at(const struct guest *g, uint64_t addr)
{
	assert_int_equal(g->plan.entry, ZP_BUNDLE_ENTRY_64);
	assert_int_equal(g->plan.kernel_addr, addr);
	assert_int_equal(g->plan.entry_addr, addr + 0x200);
	assert_int_equal(g->plan.zero_page_addr, ZERO_PAGE_ADDR);
	assert_int_equal(g->zp.hdr.code32_start, addr);
	assert_int_equal(g->zp.hdr.type_of_loader, ZP_LOADER_UNDEFINED);
}

/* Everything a loader test checks: kernel where bundled, nothing moved. */
static void assert_handover(const struct guest *g, const struct loader *l,
			    enum zp_memmap_source source)
{
	assert_int_equal(g->plan.memmap_source, source);
	assert_int_equal(g->plan.si.version, l->version);
	assert_e820(g, l);
	if (l->initrd_size)
		assert_initrd(g, l->initrd, l->initrd_size, true);
	else
		assert_initrd(g, BUNDLED_INITRD_ADDR, BUNDLED_INITRD_SIZE, false);
	if (g->in.on_xen && (l->flags & ZP_HVM_SIF_INITDOMAIN)) {
		/* dom0: the bundle's console=ttyS0 names a console, but its
		 * hvc0 needs xen_console_io=1 all the same */
		char cmd[512];
		snprintf(cmd, sizeof(cmd), "%s " ZP_SHIM_XEN_DOM0_CONSOLE_IO, l->cmd);
		assert_cmdline(g, cmd);
		assert_string_equal(g->plan.console_added, ZP_SHIM_XEN_DOM0_CONSOLE_IO);
	} else {
		assert_cmdline(g, l->cmd);
		assert_null(g->plan.console_added);	/* the bundle's console=ttyS0 names one */
	}
	assert_int_equal(g->zp.acpi_rsdp_addr, l->rsdp);
	assert_kernel_at(g, KERNEL_ADDR);
	assert_int_equal(g->plan.move_len, 0);
	assert_int_equal(g->plan.preserved_size, 0);
	assert_int_equal(g->zp.hdr.hardware_subarch_data, 0);
	assert_null(g->plan.console_skipped);
}

/* The buffers zp_shim_plan is handed here are the real shim's: the sizes
 * bundle.h gives are the sizes linked, and they lie inside the shim. */
static void test_shim_as_linked(void **state)
{
	(void)state;
	assert_int_equal(SHIM_CMDLINE_SIZE, ZP_SHIM_CMDLINE_CAP);
	assert_int_equal(SHIM_SETUP_DATA_SIZE, ZP_SHIM_SETUP_DATA_CAP);
	assert_int_equal(SHIM_PRESERVE_SIZE, ZP_SHIM_PRESERVE_CAP);
	assert_int_equal(SHIM_ZERO_PAGE_SIZE, sizeof(struct zp_boot_params));
	assert_true(SHIM_START <= PRESERVE_ADDR && PRESERVE_ADDR + PRESERVE_CAP <= SHIM_END);
	assert_true(SHIM_START <= SETUP_DATA_ADDR && SETUP_DATA_ADDR + SETUP_DATA_CAP <= SHIM_END);
	assert_true(SHIM_START <= CMDLINE_ADDR && CMDLINE_ADDR + CMDLINE_CAP <= SHIM_END);
	assert_true(SHIM_START <= ZERO_PAGE_ADDR && ZERO_PAGE_ADDR + 4096 <= SHIM_END);
	assert_true(BUNDLED_INITRD_ADDR + BUNDLED_INITRD_SIZE <= KERNEL_ADDR - 0x10000);
}

/* ---- Firecracker ------------------------------------------------------
 * firecracker-microvm/firecracker 81b38b9dad6056d7a48073e95ac5a9aed51cb2ab
 * src/vmm/src/arch/x86_64/layout.rs: PVH_INFO_START 0x6000, MODLIST_START
 * 0x6040, MEMMAP_START 0x7000, CMDLINE_START 0x20000, SYSTEM_MEM_START
 * 0x9fc00, RSDP_ADDR 0xe0000, PCI_MMCONFIG_START = IOAPIC_ADDR 0xfec00000 -
 * 256 MiB, MMIO32_MEM_START = 4 GiB - 1 GiB.
 * src/vmm/src/arch/x86_64/mod.rs: configure_pvh writes start_info v1,
 * flags 0, rsdp_paddr 0 (never set: the guest scans for the RSDP Firecracker
 * puts at 0xe0000), cmdline_paddr CMDLINE_START (configure_system_for_boot),
 * modlist_paddr only with an initrd; the memmap unsorted: [0, 0x9fc00) RAM,
 * [0x9fc00, 0xe0000) reserved, the PCI MMCONFIG window reserved, then each
 * DRAM region from max(1 MiB, its start): arch_memory_regions gives
 * [0, min(size, 3 GiB)) and the rest from 4 GiB.  initrd_load_addr: the top
 * of the region at 0, page aligned. */
#define FC_MMCONFIG	0xeec00000ull

static const struct zp_hvm_memmap_table_entry fc_map_128m[] = {
	RAM(0, 0x9fc00), RSV(0x9fc00, 0xe0000 - 0x9fc00), RSV(FC_MMCONFIG, 256 * MIB),
	RAM(MIB, 128 * MIB - MIB),
};

static const struct loader firecracker_128m = {
	.version = 1, .start_info = 0x6000, .modlist = 0x6040, .memmap = 0x7000,
	.cmdline = 0x20000, .rsdp = 0, .cmd = "reboot=k panic=1 pci=off",
	.map = fc_map_128m, .map_entries = ENTRIES(fc_map_128m),
	.initrd = (128 * MIB - INITRD_SIZE) & ~0xfffull, .initrd_size = INITRD_SIZE,
};

static void test_firecracker(void **state)
{
	struct guest *g = guest_new(LINUX_XLF);

	(void)state;
	assert_ok(g, boot(g, &firecracker_128m));
	assert_handover(g, &firecracker_128m, ZP_MEMMAP_START_INFO);
	assert_int_equal(g->plan.initrd_addr, 0x7ffc000);
	guest_free(g);
}

/* Firecracker with 5 GiB: the low region ends at MMIO32_MEM_START 3 GiB,
 * the rest is RAM from 4 GiB, listed last; the initrd at the top of the
 * low region (beyond our 128 MiB buffer: never read), which is above
 * initrd_addr_max 0x7fffffff: a kernel without XLF_CAN_BE_LOADED_ABOVE_4G
 * (32-bit, not relocatable) is refused under Firecracker from 2 GiB on. */
static const struct zp_hvm_memmap_table_entry fc_map_5g[] = {
	RAM(0, 0x9fc00), RSV(0x9fc00, 0xe0000 - 0x9fc00), RSV(FC_MMCONFIG, 256 * MIB),
	RAM(MIB, 3 * GIB - MIB), RAM(4 * GIB, 2 * GIB),
};

static const struct loader firecracker_5g = {
	.version = 1, .start_info = 0x6000, .modlist = 0x6040, .memmap = 0x7000,
	.cmdline = 0x20000, .cmd = "reboot=k panic=1 pci=off",
	.map = fc_map_5g, .map_entries = ENTRIES(fc_map_5g),
	.initrd = (3 * GIB - INITRD_SIZE) & ~0xfffull, .initrd_size = INITRD_SIZE,
};

static void test_firecracker_ram_above_4g(void **state)
{
	struct guest *g = guest_new(LINUX_XLF);

	(void)state;
	assert_ok(g, boot(g, &firecracker_5g));
	assert_handover(g, &firecracker_5g, ZP_MEMMAP_START_INFO);
	assert_int_equal(g->zp.e820_table[4].addr, 4 * GIB);
	assert_int_equal(g->plan.initrd_addr, 0xbfffc000);
	guest_free(g);

	g = guest_new(ZP_XLF_KERNEL_64);
	assert_int_equal(boot(g, &firecracker_5g), ZP_ELAYOUT);
	assert_non_null(strstr(g->diag.msg, "module 0 at 0xbfffc000-0xbffff039 ends above "
				      "the kernel's initrd_addr_max 0x7fffffff"));
	guest_free(g);
}

/* ---- Cloud Hypervisor -------------------------------------------------
 * cloud-hypervisor/cloud-hypervisor ae44c2971c83dd2b1bd704fa81102ec0dec4e7d4
 * arch/src/x86_64/layout.rs: PVH_INFO_START 0x6000, MODLIST_START 0x6040,
 * MEMMAP_START 0x7000, CMDLINE_START 0x20000, EBDA_START 0xa0000 =
 * RSDP_POINTER, HIGH_RAM_START 1 MiB, MEM_32BIT_RESERVED_START 3 GiB,
 * PCI_MMCONFIG_START = 3 GiB + 640 MiB = 0xe8000000 (256 MiB).
 * arch/src/x86_64/mod.rs: configure_pvh writes start_info v1, rsdp_paddr
 * the RSDP (vmm/src/acpi.rs writes it at RSDP_POINTER 0xa0000), modlist
 * only with an initramfs; the memmap: [0, 0xa0000) RAM, the RAM ranges of
 * generate_ram_ranges ([1 MiB, end of the first region), then each region
 * past the 32-bit hole, from 4 GiB), and last the PCI MMCONFIG window
 * reserved.  initramfs_load_addr: the top of the region at 0, page aligned. */
static const struct zp_hvm_memmap_table_entry ch_map_128m[] = {
	RAM(0, 0xa0000), RAM(MIB, 128 * MIB - MIB), RSV(0xe8000000, 256 * MIB),
};

static const struct loader cloud_hypervisor = {
	.version = 1, .start_info = 0x6000, .modlist = 0x6040, .memmap = 0x7000,
	.cmdline = 0x20000, .rsdp = 0xa0000, .cmd = "console=hvc0 rw",
	.map = ch_map_128m, .map_entries = ENTRIES(ch_map_128m),
	.initrd = (128 * MIB - INITRD_SIZE) & ~0xfffull, .initrd_size = INITRD_SIZE,
};

static void test_cloud_hypervisor(void **state)
{
	struct guest *g = guest_new(LINUX_XLF);

	(void)state;
	assert_ok(g, boot(g, &cloud_hypervisor));
	assert_handover(g, &cloud_hypervisor, ZP_MEMMAP_START_INFO);
	guest_free(g);
}

/* ---- QEMU -M pc: SeaBIOS runs the pvh.bin option ROM ------------------
 * qemu/qemu pc-bios/optionrom/pvh_main.c d649689a8ecb2e276cc20d3af6d416e3c299cb17:
 * start_info (v1), the module entry, the 4 KiB command line buffer and the
 * memmap (pvh_e820, filled by pvh.S 3e29da9fd81002a0c03041aaa26dea6d9dd9bd65
 * with int 0x15 e820, i.e. SeaBIOS's map) are the ROM's static variables;
 * flat.lds 9d4cd7b4ed413a1371997ce74da39900b2a8473b links the ROM at 0 and
 * the code runs with flat 32-bit segments, so they live at their link
 * addresses in low RAM, not in the ROM at 0xc0000+.  rsdp_paddr: SeaBIOS's
 * RSDP, found by scanning 0xe0000-0x100000.
 * hw/i386/x86-common.c adc1a4a26a9e060c76f213e2b5bf275519844068
 * x86_load_linux, PVH branch: initrd at (below_4g - acpi_data_size - 1 -
 * size) & ~4095, acpi_data_size 0x20000 + 0x8000 on pc (hw/i386/pc.c).
 * SeaBIOS (coreboot/seabios 41514a7a974f61bc077c6da720d09e999f3d7a15):
 * its map is sorted; src/post.c reserves the EBDA 0x9fc00-0xa0000,
 * src/malloc.c malloc_preinit the BIOS 0xf0000-0x100000 and what is left
 * of its high table zone at the top of RAM, src/fw/paravirt.c 0xfffc0000
 * (256 KiB) and QEMU's etc/e820 reservations (with KVM: 0xfeffc000, 16 KiB,
 * from target/i386/kvm/kvm.c kvm_arch_init,
 * 5f992102383ed8ed97076548e1c897c7034ed8a4).
 * Seen in a guest (QEMU 7.2 Debian 1:7.2+dfsg-7+deb12u18, -M pc -m 128M
 * -accel kvm -initrd of 12345 bytes): %ebx 0x21e0, modlist 0x21c0, cmdline
 * 0x11c0, memmap 0x5a8 (7 entries, below), rsdp 0xf59d0, initrd 0x7fd4000. */
static const struct zp_hvm_memmap_table_entry qemu_pc_map[] = {
	RAM(0, 0x9fc00), RSV(0x9fc00, 0x400), RSV(0xf0000, 0x10000),
	RAM(MIB, 0x7fe0000 - MIB), RSV(0x7fe0000, 0x20000), RSV(0xfeffc000, 0x4000),
	RSV(0xfffc0000, 0x40000),
};

static const struct loader qemu_pc = {
	.version = 1, .start_info = 0x21e0, .modlist = 0x21c0, .memmap = 0x5a8,
	.cmdline = 0x11c0, .rsdp = 0xf59d0, .cmd = "console=ttyS0 quiet",
	.map = qemu_pc_map, .map_entries = ENTRIES(qemu_pc_map),
	.initrd = (128 * MIB - 0x28000 - 1 - INITRD_SIZE) & ~4095ull,
	.initrd_size = INITRD_SIZE,
};

static void test_qemu_pc_pvh_rom(void **state)
{
	struct guest *g = guest_new(LINUX_XLF);

	(void)state;
	assert_ok(g, boot(g, &qemu_pc));
	assert_handover(g, &qemu_pc, ZP_MEMMAP_START_INFO);
	assert_int_equal(g->plan.initrd_addr, 0x7fd4000);
	guest_free(g);
}

/* ---- QEMU -M microvm: qboot, not pvh.bin -------------------------------
 * qemu/qemu hw/i386/microvm.c f21f1cfeb94b94ce044726856c291bed9391e3a4:
 * firmware bios-microvm.bin (ACPI on) or qboot.rom (acpi=off), both qboot
 * (Debian links one to the other); etc/e820 is [0, below_4g) RAM (+ RAM
 * from 4 GiB); x86_load_linux is called with acpi_data_size 0, so the
 * initrd ends just below the end of low RAM.  qboot never runs option ROMs:
 * it starts the PVH kernel itself.
 * bonzini/qboot 8ca302e86d685fa05b16e2b208888243da319941 fw_cfg.c
 * boot_pvh_from_fw_cfg: start_info v1 is a static in qboot's F segment,
 * the module entry a local on its stack, the command line and the memmap
 * malloc'ed below the F segment; main.c extract_e820: [0, 639 KiB) RAM,
 * 639 KiB +1 KiB reserved, 0xd0000 +128 KiB NVS, 0xf0000 +64 KiB reserved,
 * (PCIe MMCONFIG), then etc/e820 with the entry at 0 moved to 1 MiB.  It
 * counts a slot for MMCONFIG even without one (nr_map is set before the
 * decrement), so the last entry is all zero.
 * Seen in a guest (QEMU 7.2 Debian, -M microvm -m 128M -accel kvm, no
 * -initrd): %ebx 0xf31e0, nr_modules 0, cmdline 0xefc90, memmap 0xefbe0
 * (7 entries, below), rsdp 0xf34d0 (0 with acpi=off); with -initrd the
 * modlist is at 0x7b7c and the initrd at 0x7ffc000. */
static const struct zp_hvm_memmap_table_entry qemu_microvm_map[] = {
	RAM(0, 0x9fc00), RSV(0x9fc00, 0x400), { 0xd0000, 0x20000, ZP_HVM_MEMMAP_NVS, 0 },
	RSV(0xf0000, 0x10000), RSV(0xfeffc000, 0x4000), RAM(MIB, 128 * MIB - MIB),
	{ 0, 0, 0, 0 },
};

static const struct loader qemu_microvm = {
	.version = 1, .start_info = 0xf31e0, .memmap = 0xefbe0, .cmdline = 0xefc90,
	.rsdp = 0xf34d0, .cmd = "console=ttyS0 quiet",
	.map = qemu_microvm_map, .map_entries = ENTRIES(qemu_microvm_map),
};

static void test_qemu_microvm_qboot(void **state)
{
	struct guest *g = guest_new(LINUX_XLF);
	struct loader with_initrd = qemu_microvm;

	(void)state;
	assert_ok(g, boot(g, &qemu_microvm));	/* no module: the bundled initrd */
	assert_handover(g, &qemu_microvm, ZP_MEMMAP_START_INFO);
	guest_free(g);

	g = guest_new(LINUX_XLF);
	with_initrd.modlist = 0x7b7c;
	with_initrd.initrd = (128 * MIB - 1 - INITRD_SIZE) & ~4095ull;
	with_initrd.initrd_size = INITRD_SIZE;
	assert_ok(g, boot(g, &with_initrd));
	assert_handover(g, &with_initrd, ZP_MEMMAP_START_INFO);
	assert_int_equal(g->plan.initrd_addr, 0x7ffc000);
	guest_free(g);
}

/* ---- Xen, PVH dom0 -----------------------------------------------------
 * xen-project/xen c447b7308b1330ec6dcfef37220736c28f41daa0
 * xen/arch/x86/hvm/dom0_build.c pvh_load_kernel: start_info version 0
 * (never set), flags SIF_PRIVILEGED | SIF_INITDOMAIN, no memmap; find_memory
 * takes the first RAM region from 1 MiB with room, and in the region
 * holding the kernel (our bundle: 1 MiB up to its highest segment's end)
 * the space after it, page aligned: the initrd there, then (page aligned)
 * the command line, 8-byte rounded (elf_round_up, ELF64), then the module
 * entry, then the start_info.  pvh_setup_acpi puts rsdp_paddr in later:
 * MADT, XSDT and RSDP are stolen from the top of the last RAM below 4 GiB
 * (pvh_steal_ram, no alignment) and merged into one E820_ACPI entry
 * (pvh_add_mem_range).  The map (pvh_setup_e820) is the host's, sorted,
 * RAM page aligned and cut at dom0's size, the rest of RAM UNUSABLE; the
 * shim gets it from XENMEM_memory_map (xen/arch/x86/mm.c: d->arch.e820).
 * The host here is QEMU -M pc -m 6G as seen above (SeaBIOS's map), dom0
 * has 0x6000 pages; MADT 0x54, XSDT 0x44 and RSDP 0x24 bytes (host
 * dependent). */
#define DOM0_ACPI	(0x6061000ull - 0x54 - 0x44 - 0x24)

static const struct zp_hvm_memmap_table_entry xen_dom0_map[] = {
	RAM(0, 0x9f000), RSV(0x9fc00, 0x400), RSV(0xf0000, 0x10000),
	RAM(MIB, DOM0_ACPI - MIB), { DOM0_ACPI, 0x6061000 - DOM0_ACPI, ZP_HVM_MEMMAP_ACPI, 0 },
	{ 0x6061000, 0xbffe0000 - 0x6061000, ZP_HVM_MEMMAP_UNUSABLE, 0 },
	RSV(0xbffe0000, 0x20000), RSV(0xfeffc000, 0x4000), RSV(0xfffc0000, 0x40000),
	{ 4 * GIB, 3 * GIB, ZP_HVM_MEMMAP_UNUSABLE, 0 },
};

#define DOM0_CMD	"console=hvc0 earlyprintk=xen"
#define DOM0_CMDLINE	(BUNDLE_END + 0x4000)	/* initrd 0x3039 + 8-rounding, page up */
#define DOM0_MODLIST	(DOM0_CMDLINE + ((sizeof(DOM0_CMD) + 7) & ~7ull))

static const struct loader xen_dom0 = {
	.version = 0, .flags = ZP_HVM_SIF_PRIVILEGED | ZP_HVM_SIF_INITDOMAIN,
	.initrd = BUNDLE_END, .initrd_size = INITRD_SIZE,
	.cmdline = DOM0_CMDLINE, .cmd = DOM0_CMD, .modlist = DOM0_MODLIST,
	.start_info = DOM0_MODLIST + 32, .rsdp = DOM0_ACPI,
	.map = xen_dom0_map, .map_entries = ENTRIES(xen_dom0_map),	/* not in memory */
};

static void test_xen_dom0(void **state)
{
	struct guest *g = guest_new(LINUX_XLF);

	(void)state;
	give_hypercall_map(g, &xen_dom0);
	assert_ok(g, boot(g, &xen_dom0));
	assert_handover(g, &xen_dom0, ZP_MEMMAP_HYPERVISOR);
	assert_int_equal(g->plan.si.flags, 3);
	assert_int_equal(g->zp.hdr.hardware_subarch, ZP_SUBARCH_PC);	/* native handoff */
	guest_free(g);
}

/* ---- Xen, PVH domU (xl type="pvh") -------------------------------------
 * xen-project/xen c447b7308b1330ec6dcfef37220736c28f41daa0
 * tools/libs/guest/xg_dom_core.c: the kernel at its own addresses, then
 * xc_dom_alloc_segment places each module and then the start info segment
 * page aligned one after the other (xc_dom_build_image).
 * tools/libs/guest/xg_dom_x86.c alloc_magic_pages_hvm / bootlate_hvm: the
 * segment holds start_info (v1), the command line (8-byte rounded), room
 * for HVMLOADER_MODULE_MAX_COUNT 2 module entries and their 2 x 1024-byte
 * command lines, then the memmap; rsdp_paddr is ACPI module 0.
 * tools/libs/light/libxl_x86.c domain_construct_memmap: [0, lowmem_end)
 * RAM (lowmem_start 0 without a device model), the HVM special pages
 * (xenguest.h: 8 pages below pfn 0xff000) reserved, each ACPI module as
 * NVS, RAM from 4 GiB last.  libxl_x86_acpi.c: module 1 the info page at
 * 0xfc000000, module 2 the tables after it, module 0 the 64-byte RSDP
 * after those (a bundle has no GUEST_OS note, so not at 0xfffc0); here
 * the tables take 2 pages.  xl memory=128. */
static const struct zp_hvm_memmap_table_entry xen_domu_map[] = {
	RAM(0, 128 * MIB), RSV(0xfeff8000, 0x8000), { 0xfc003000, 64, ZP_HVM_MEMMAP_NVS, 0 },
	{ 0xfc000000, 0x1000, ZP_HVM_MEMMAP_NVS, 0 }, { 0xfc001000, 0x2000, ZP_HVM_MEMMAP_NVS, 0 },
};

#define DOMU_CMD	"root=/dev/xvda1 ro"
#define DOMU_SI		(BUNDLE_END + 0x4000)	/* after the initrd's 4 pages */
#define DOMU_MODLIST	(DOMU_SI + 56 + ((sizeof(DOMU_CMD) + 7) & ~7ull))

static const struct loader xen_domu = {
	.version = 1, .start_info = DOMU_SI, .cmdline = DOMU_SI + 56, .cmd = DOMU_CMD,
	.modlist = DOMU_MODLIST, .memmap = DOMU_MODLIST + 2 * (32 + 1024),
	.rsdp = 0xfc003000, .map = xen_domu_map, .map_entries = ENTRIES(xen_domu_map),
	.initrd = BUNDLE_END, .initrd_size = INITRD_SIZE,
};

static void test_xen_domu(void **state)
{
	struct guest *g = guest_new(LINUX_XLF);

	(void)state;
	give_hypercall_map(g, &xen_domu);	/* the shim asks on Xen; v1's map rules */
	assert_ok(g, boot(g, &xen_domu));
	assert_handover(g, &xen_domu, ZP_MEMMAP_START_INFO);
	guest_free(g);
}

/* The subarch handoff on the same domU: hardware_subarch XEN, _data the
 * shim's copy of start_info, memmap, modlist and command line, pointers
 * rewritten into the copy, and the copy reserved after the ISA range. */
static void assert_preserved_copy(const struct guest *g, const struct loader *l)
{
	struct zp_hvm_start_info si;
	struct zp_hvm_modlist_entry mod;
	uint64_t end = PRESERVE_ADDR + g->plan.preserved_size;

	memcpy(&si, g->preserve, sizeof(si));
	assert_int_equal(si.magic, ZP_HVM_START_MAGIC);
	assert_int_equal(si.rsdp_paddr, l->rsdp);
	assert_true(si.cmdline_paddr > PRESERVE_ADDR && si.cmdline_paddr < end);
	assert_string_equal((const char *)g->preserve + (si.cmdline_paddr - PRESERVE_ADDR), l->cmd);
	assert_true(si.memmap_paddr > PRESERVE_ADDR && si.memmap_paddr < end);
	assert_memory_equal(g->preserve + (si.memmap_paddr - PRESERVE_ADDR), l->map,
			    l->map_entries * sizeof(l->map[0]));
	assert_true(si.modlist_paddr > PRESERVE_ADDR && si.modlist_paddr < end);
	memcpy(&mod, g->preserve + (si.modlist_paddr - PRESERVE_ADDR), sizeof(mod));
	assert_int_equal(mod.paddr, l->initrd);
	assert_int_equal(mod.size, l->initrd_size);
}

static void test_xen_domu_subarch(void **state)
{
	struct guest *g = guest_new(LINUX_XLF);
	uint32_t n = xen_domu.map_entries;

	(void)state;
	g->desc.handoff = ZP_HANDOFF_SUBARCH;
	give_hypercall_map(g, &xen_domu);
	assert_ok(g, boot(g, &xen_domu));
	assert_int_equal(g->plan.preserved_addr, PRESERVE_ADDR);
	assert_true(g->plan.preserved_size > 0 && g->plan.preserved_size <= PRESERVE_CAP);
	assert_int_equal(g->plan.preserved_size % 4096, 0);
	assert_e820(g, &xen_domu);
	assert_e820_entry(&g->zp.e820_table[n + 1], PRESERVE_ADDR, g->plan.preserved_size,
			  ZP_E820_RESERVED);
	assert_int_equal(g->plan.memmap_source, ZP_MEMMAP_START_INFO);
	assert_int_equal(g->plan.si.version, 1);
	assert_int_equal(g->zp.hdr.hardware_subarch, ZP_SUBARCH_XEN);
	assert_int_equal(g->zp.hdr.hardware_subarch_data, PRESERVE_ADDR);
	assert_preserved_copy(g, &xen_domu);
	assert_initrd(g, xen_domu.initrd, INITRD_SIZE, true);
	assert_cmdline(g, DOMU_CMD);
	assert_kernel_at(g, KERNEL_ADDR);
	guest_free(g);
}

/* ---- a console on Xen ---------------------------------------------------
 * On Xen a command line that names no console gets console=hvc0 after the
 * loader's part; anywhere else, or with a console= of the user's, the line
 * is the user's.  The bundles here are made without a console. */
static void set_bundled_cmdline(struct guest *g, const char *cmd)
{
	put(g, BUNDLED_CMDLINE_ADDR, cmd, strlen(cmd) + 1);
	g->desc.cmdline_len = strlen(cmd);
}

/* The bundle's kernel, in guest memory, with another cmdline_size. */
static void set_cmdline_size(struct guest *g, uint32_t size)
{
	memcpy(g->ram + g->desc.image_paddr + 0x238, &size, sizeof(size));
}

static void assert_added(const struct guest *g, const char *before, const char *added)
{
	char want[512];

	snprintf(want, sizeof(want), "%s%s%s", before, *before ? " " : "", added);
	assert_string_equal(g->cmdline, want);
	assert_int_equal(g->plan.cmdline_len, strlen(want));
	assert_non_null(g->plan.console_added);
	assert_string_equal(g->plan.console_added, added);
	assert_null(g->plan.console_skipped);
	assert_int_equal(g->zp.hdr.cmd_line_ptr, CMDLINE_ADDR);
}

static void assert_console_added(const struct guest *g, const char *before)
{
	assert_added(g, before, ZP_SHIM_XEN_CONSOLE);
}

static void assert_console_left(const struct guest *g, const char *cmdline)
{
	assert_string_equal(g->cmdline, cmdline);
	assert_int_equal(g->plan.cmdline_len, strlen(cmdline));
	assert_null(g->plan.console_added);
	assert_null(g->plan.console_skipped);
}

/* The libxc domU (v1): its memmap rules over the hypercall's, and the
 * console is added, native and subarch handoff alike; dom0 (v0) too. */
static void test_xen_console_added(void **state)
{
	struct guest *g;

	(void)state;
	for (int subarch = 0; subarch < 2; subarch++) {
		g = guest_new(LINUX_XLF);
		set_bundled_cmdline(g, "quiet");
		g->desc.handoff = subarch ? ZP_HANDOFF_SUBARCH : ZP_HANDOFF_NATIVE;
		give_hypercall_map(g, &xen_domu);
		assert_ok(g, boot(g, &xen_domu));
		assert_console_added(g, "quiet " DOMU_CMD);
		assert_int_equal(g->plan.memmap_source, ZP_MEMMAP_START_INFO);
		assert_int_equal(g->plan.si.version, 1);
		assert_e820_entry(&g->zp.e820_table[0], 0, 128 * MIB, ZP_E820_RAM);
		assert_int_equal(g->zp.hdr.hardware_subarch, subarch ? ZP_SUBARCH_XEN : ZP_SUBARCH_PC);
		assert_int_equal(g->zp.hdr.hardware_subarch_data, subarch ? PRESERVE_ADDR : 0);
		guest_free(g);
	}
	g = guest_new(LINUX_XLF);			/* no bundled line: no leading space */
	set_bundled_cmdline(g, "");
	give_hypercall_map(g, &xen_domu);
	assert_ok(g, boot(g, &xen_domu));
	assert_console_added(g, DOMU_CMD);
	guest_free(g);

	/* dom0 (v0, SIF_INITDOMAIN): hvc0 is console_io there, which the
	 * kernel is told with xen_console_io=1, unless the user said
	 * xen_console_io (or xen-console-io: the kernel's names take either) */
	static const struct { const char *cmd, *added; } dom0[] = {
		{ "earlyprintk=xen", ZP_SHIM_XEN_CONSOLE " " ZP_SHIM_XEN_DOM0_CONSOLE_IO },
		{ "console=ttyS0", ZP_SHIM_XEN_DOM0_CONSOLE_IO },
		{ "xen_console_io=0", ZP_SHIM_XEN_CONSOLE },
		{ "xen-console-io", ZP_SHIM_XEN_CONSOLE },
		{ "console=hvc0 xen_console_io=1", NULL },
	};
	for (size_t i = 0; i < sizeof(dom0) / sizeof(dom0[0]); i++) {
		struct loader l = xen_dom0;
		char before[128];
		l.cmd = dom0[i].cmd;
		g = guest_new(LINUX_XLF);
		set_bundled_cmdline(g, "quiet");
		give_hypercall_map(g, &l);
		assert_ok(g, boot(g, &l));
		snprintf(before, sizeof(before), "quiet %s", dom0[i].cmd);
		if (dom0[i].added)
			assert_added(g, before, dom0[i].added);
		else
			assert_console_left(g, before);
		assert_int_equal(g->plan.memmap_source, ZP_MEMMAP_HYPERVISOR);
		guest_free(g);
	}
}

/* Not on Firecracker or QEMU: their console is the UART the user names. */
static void test_console_not_added_elsewhere(void **state)
{
	struct guest *g;
	struct loader qemu = qemu_pc;
	const struct loader *loaders[] = { &firecracker_128m, &qemu };

	(void)state;
	qemu.cmd = "reboot=t";			/* -append without a console */
	for (size_t i = 0; i < 2; i++) {
		char want[512];
		g = guest_new(LINUX_XLF);
		set_bundled_cmdline(g, "quiet");
		assert_ok(g, boot(g, loaders[i]));
		snprintf(want, sizeof(want), "quiet %s", loaders[i]->cmd);
		assert_console_left(g, want);
		guest_free(g);
	}
}

/* What names a console: a kernel parameter console=, also quoted; not
 * earlycon= or earlyprintk= (boot consoles, never /dev/console), not
 * netconsole=, not a console= inside another parameter's quotes or after
 * "--" (init's arguments). */
static void test_what_names_a_console(void **state)
{
	static const struct { const char *cmd; bool named; } cases[] = {
		{ "console=ttyS0", true }, { "root=/dev/xvda1 console=null", true },
		{ "console=", true }, { "\"console=hvc0\" quiet", true },
		{ "quiet\tconsole=tty0", true },
		{ "earlycon=uart8250,io,0x3f8", false }, { "earlyprintk=xen", false },
		{ "netconsole=@/,@10.0.0.1/", false }, { "xconsole=1 consoleblank=0", false },
		{ "foo=\"a console=hvc1\"", false }, { "root=/dev/xvda1 -- console=ttyS0", false },
		{ "--console=ttyS0", false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct guest *g = guest_new(LINUX_XLF);
		char want[512];
		set_bundled_cmdline(g, cases[i].cmd);
		give_hypercall_map(g, &xen_domu);
		assert_ok(g, boot(g, &xen_domu));
		snprintf(want, sizeof(want), "%s %s", cases[i].cmd, DOMU_CMD);
		if (cases[i].named)
			assert_console_left(g, want);
		else
			assert_console_added(g, want);
		guest_free(g);
	}
}

/* The kernel's cmdline_size rules: exactly full, the line is the user's
 * and the plan says console=hvc0 did not fit; one byte more, it is added. */
static void test_console_no_room(void **state)
{
	const size_t base = strlen("quiet " DOMU_CMD), add = strlen(" console=hvc0");

	(void)state;
	for (int room = 0; room < 2; room++) {
		struct guest *g = guest_new(LINUX_XLF);
		set_bundled_cmdline(g, "quiet");
		set_cmdline_size(g, (uint32_t)(base + add - 1 + room));
		give_hypercall_map(g, &xen_domu);
		assert_ok(g, boot(g, &xen_domu));
		if (room) {
			assert_console_added(g, "quiet " DOMU_CMD);
		} else {
			assert_string_equal(g->cmdline, "quiet " DOMU_CMD);
			assert_null(g->plan.console_added);
			assert_non_null(g->plan.console_skipped);
			assert_non_null(strstr(g->plan.console_skipped, "cmdline_size"));
		}
		guest_free(g);
	}
}

/* ---- edge cases ---- */

/* A reserved range inside the kernel's room (16-32 MiB): the relocatable
 * kernel moves to the first kernel_alignment (2 MiB) slot from
 * pref_address with 16 MiB of RAM clear of everything else. */
static const struct zp_hvm_memmap_table_entry hole_map[] = {
	RAM(0, 0x9fc00), RSV(0x9fc00, 0xe0000 - 0x9fc00), RSV(FC_MMCONFIG, 256 * MIB),
	RAM(MIB, 0x1800000 - MIB), RSV(0x1800000, 0x200000), RAM(0x1a00000, 128 * MIB - 0x1a00000),
};

static void test_hole_under_the_kernel(void **state)
{
	struct guest *g = guest_new(LINUX_XLF);
	struct loader l = firecracker_128m;

	(void)state;
	l.map = hole_map;
	l.map_entries = ENTRIES(hole_map);
	assert_ok(g, boot(g, &l));
	assert_e820(g, &l);
	assert_kernel_at(g, 0x1a00000);
	assert_int_equal(g->plan.kernel_addr % 0x200000, 0);
	assert_int_equal(g->plan.move_from, KERNEL_ADDR);
	assert_int_equal(g->plan.move_len, g->pm_size);
	guest_free(g);
}

/* Module 0 at 4 GiB (no loader above puts it there; a VMM may): taken
 * with XLF_CAN_BE_LOADED_ABOVE_4G, into ext_ramdisk_image; refused
 * without, naming initrd_addr_max. */
static void test_module_above_4g(void **state)
{
	struct guest *g = guest_new(LINUX_XLF);
	struct loader l = firecracker_5g;

	(void)state;
	l.initrd = 4 * GIB;
	l.initrd_size = 0x3000;
	assert_ok(g, boot(g, &l));
	assert_initrd(g, 4 * GIB, 0x3000, true);
	assert_int_equal(g->zp.hdr.ramdisk_image, 0);
	assert_int_equal(g->zp.ext_ramdisk_image, 1);
	guest_free(g);

	g = guest_new(ZP_XLF_KERNEL_64);
	assert_int_equal(boot(g, &l), ZP_ELAYOUT);
	assert_non_null(strstr(g->diag.msg, "module 0 at 0x100000000-0x100003000"));
	assert_non_null(strstr(g->diag.msg, "initrd_addr_max 0x7fffffff"));
	assert_non_null(strstr(g->diag.msg, "XLF_CAN_BE_LOADED_ABOVE_4G"));
	guest_free(g);
}

/* Xen's dom0 start_info v0 without the hypercall's map: refused, on Xen
 * with the hypercall's error, elsewhere asking for v1. */
static void test_v0_without_map(void **state)
{
	struct guest *g = guest_new(LINUX_XLF);

	(void)state;
	g->in.on_xen = true;
	g->in.hv_error = -38;	/* -ENOSYS: d->arch.e820 empty */
	assert_int_equal(boot(g, &xen_dom0), ZP_ENOMEMMAP);
	assert_non_null(strstr(g->diag.msg, "start_info v0 has no memory map"));
	assert_non_null(strstr(g->diag.msg, "-38"));
	g->in.on_xen = false;
	g->in.hv_error = 0;
	assert_int_equal(run(g, xen_dom0.start_info), ZP_ENOMEMMAP);
	assert_non_null(strstr(g->diag.msg, "needs PVH start_info v1"));
	guest_free(g);
}

/* A memmap the shim cannot read (past the memory it maps), and one it can
 * read but that lies outside the very map it describes. */
static const struct zp_hvm_memmap_table_entry fc_map_64m[] = {
	RAM(0, 0x9fc00), RSV(0x9fc00, 0xe0000 - 0x9fc00), RSV(FC_MMCONFIG, 256 * MIB),
	RAM(MIB, 64 * MIB - MIB),
};

static void test_memmap_outside_memory(void **state)
{
	struct guest *g = guest_new(LINUX_XLF);
	struct loader l = firecracker_128m;
	struct zp_hvm_start_info si;

	(void)state;
	put_loader(g, &l);
	memcpy(&si, g->ram + l.start_info, sizeof(si));
	si.memmap_paddr = GUEST_SIZE - 48;	/* 4 entries, 2 inside */
	put(g, l.start_info, &si, sizeof(si));
	assert_int_equal(run(g, l.start_info), ZP_EBADADDR);
	assert_non_null(strstr(g->diag.msg, "bad start_info at 0x6000"));
	assert_non_null(strstr(g->diag.msg, "memmap"));
	guest_free(g);

	g = guest_new(LINUX_XLF);
	l.map = fc_map_64m;
	l.map_entries = ENTRIES(fc_map_64m);
	l.memmap = 80 * MIB;			/* in the buffer, past the guest's 64 MiB */
	l.initrd = (64 * MIB - INITRD_SIZE) & ~0xfffull;
	assert_int_equal(boot(g, &l), ZP_EBADADDR);
	assert_non_null(strstr(g->diag.msg, "memmap at 0x5000000 lies outside"));
	guest_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shim_as_linked),
		cmocka_unit_test(test_firecracker),
		cmocka_unit_test(test_firecracker_ram_above_4g),
		cmocka_unit_test(test_cloud_hypervisor),
		cmocka_unit_test(test_qemu_pc_pvh_rom),
		cmocka_unit_test(test_qemu_microvm_qboot),
		cmocka_unit_test(test_xen_dom0),
		cmocka_unit_test(test_xen_domu),
		cmocka_unit_test(test_xen_domu_subarch),
		cmocka_unit_test(test_xen_console_added),
		cmocka_unit_test(test_console_not_added_elsewhere),
		cmocka_unit_test(test_what_names_a_console),
		cmocka_unit_test(test_console_no_room),
		cmocka_unit_test(test_hole_under_the_kernel),
		cmocka_unit_test(test_module_above_4g),
		cmocka_unit_test(test_v0_without_map),
		cmocka_unit_test(test_memmap_outside_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
