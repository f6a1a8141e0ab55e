/* SPDX-License-Identifier: MIT */
/*
 * main.c - the PVH shim: gather what the loader gave, let the core decide,
 * act on the decision.
 *
 * entry.S has put us in long mode with the low 4 GiB identity mapped.  The
 * shim itself decides nothing: zp_shim_plan (lib/shim_plan.c, the same code
 * the host tests and fuzzers drive) checks the bundle descriptor and the
 * start_info, chooses the memory map, the initrd, the command line and where
 * the kernel runs, and writes the zero page into our buffers.  We gather
 * what only a guest can (the start_info address, on Xen the hypercall's
 * memory map, where we ourselves lie), then do what only a guest can: move
 * the kernel, load the registers, jump.  The plan's line is printed before
 * the move, and a second line after it (the move is the long step).
 *
 * Any failure prints one line on COM1 (on Xen also on Xen's console) and
 * halts (console.c): never a jump on bad input.
 */
#include "shim.h"

#define ULL(v)		((unsigned long long)(v))
#define GIB4		(1ull << 32)

/* Our hand-over buffers' sizes: bundle.h, which the bundle writer reads too. */
#define CMDLINE_MAX	ZP_SHIM_CMDLINE_CAP
#define E820_MAX	ZP_SHIM_E820_CAP
#define SETUP_DATA_MAX	ZP_SHIM_SETUP_DATA_CAP
#define PRESERVE_MAX	ZP_SHIM_PRESERVE_CAP

/* The descriptor `zeropage bundle` fills in; a bare shim has entry 0. */
__attribute__((section(".bundle"), used, aligned(16)))
struct zp_bundle_desc zp_bundle = {
	.magic = ZP_BUNDLE_MAGIC,
	.version = ZP_BUNDLE_VERSION,
	.size = sizeof(struct zp_bundle_desc),
};

/* Everything we hand the kernel lives in our own .bss: page aligned, in RAM
 * the bundle writer chose clear of the kernel's room, so nothing the kernel
 * or its decompressor writes before it has copied the zero page and the
 * command line lands on them. */
static struct zp_boot_params zero_page __attribute__((aligned(4096)));
static char cmdline[CMDLINE_MAX] __attribute__((aligned(4096)));
static uint8_t setup_data[SETUP_DATA_MAX] __attribute__((aligned(4096)));
static uint8_t preserve[PRESERVE_MAX] __attribute__((aligned(4096)));
static struct zp_e820_entry ram_entries[E820_MAX];
static struct zp_e820_entry scratch_entries[E820_MAX];
/* Xen's XENMEM_memory_map result, raw: the core validates it. */
static uint8_t xen_map[ZP_HV_E820_MAX * sizeof(struct zp_e820_entry)];

/* The guest-physical window the core may read: what entry.S identity
 * mapped, the low 4 GiB or, with 1 GiB pages, the first 512 GiB. */
static struct zp_guest_mem guest = { (const uint8_t *)0, 0, GIB4 };

static const char *entry_name(uint32_t e)
{
	return e == ZP_BUNDLE_ENTRY_64 ? "64" : e == ZP_BUNDLE_ENTRY_32 ? "32" : "vmlinux";
}

/* Entropy for KASLR, gathered as the kernel's early code gathers it
 * (kaslr_get_random_long): RDSEED and RDRAND where CPUID has them, the TSC
 * where it has one, and what the loader gave (the start_info's address).
 * The core mixes it; a CPU with none of them still gets a choice, a
 * predictable one, and the shim's line says which sources there were. */
static uint64_t entropy[8];

/* Every x86-64 CPU has a TSC (and CPL 0 may always read it). */
static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static char entropy_from[40];

static bool rdrand64(uint64_t *v, bool seed)
{
	for (int tries = 0; tries < 10; tries++) {
		uint8_t ok;
		if (seed)
			__asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok));
		else
			__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return true;
	}
	return false;
}

static unsigned gather_entropy(uint32_t si_paddr)
{
	uint32_t a, b, c, d, max;
	unsigned n = 0;
	size_t at = 0;

	zp_cpuid(0, &max, &b, &c, &d);
	zp_cpuid(1, &a, &b, &c, &d);
	if (max >= 7) {
		uint32_t b7, c7, d7, a7;
		zp_cpuid(7, &a7, &b7, &c7, &d7);
		if ((b7 & (1u << 18)) && rdrand64(&entropy[n], true))
			n++, at += zp_format(entropy_from + at, sizeof(entropy_from) - at, "rdseed ");
	}
	if ((c & (1u << 30)) && rdrand64(&entropy[n], false))
		n++, at += zp_format(entropy_from + at, sizeof(entropy_from) - at, "rdrand ");
	if (d & (1u << 4)) {
		entropy[n++] = rdtsc();
		at += zp_format(entropy_from + at, sizeof(entropy_from) - at, "tsc ");
	}
	entropy[n++] = si_paddr;
	zp_format(entropy_from + at, sizeof(entropy_from) - at, "start_info");
	return n;
}

static void gather(uint32_t si_paddr, bool xen, struct zp_shim_input *in)
{
	uint32_t nr = 0;

	guest.size = (uint64_t)zp_shim_mapped_gib << 30;
	*in = (struct zp_shim_input){
		.mem = &guest, .desc = &zp_bundle, .start_info = si_paddr, .on_xen = xen,
		.shim_start = (uintptr_t)__shim_start, .shim_end = (uintptr_t)__shim_end,
		.zero_page = &zero_page, .zero_page_addr = (uintptr_t)&zero_page,
		.cmdline = cmdline, .cmdline_addr = (uintptr_t)cmdline, .cmdline_cap = CMDLINE_MAX,
		.setup_data = setup_data, .setup_data_addr = (uintptr_t)setup_data,
		.setup_data_cap = SETUP_DATA_MAX,
		.preserve = preserve, .preserve_addr = (uintptr_t)preserve,
		.preserve_cap = PRESERVE_MAX,
		.ram_entries = ram_entries, .scratch_entries = scratch_entries,
		.e820_cap = E820_MAX, .entropy = entropy, .nentropy = gather_entropy(si_paddr),
	};
	/* Xen's PVH dom0 gets a v0 start_info without a memory map; the
	 * hypercall has it.  The core uses it only when the start_info has
	 * none. */
	if (!xen)
		return;
	in->hv_error = zp_xen_memory_map(xen_map, ZP_HV_E820_MAX, &nr);
	if (in->hv_error == 0) {
		in->hv_e820 = xen_map;
		in->hv_e820_len = sizeof(xen_map);
		in->hv_e820_entries = nr;
	}
}

static const char *kaslr_text(const struct zp_shim_plan *p, char *buf, size_t cap)
{
	if (p->entry != ZP_BUNDLE_ENTRY_VMLINUX)
		return "by the decompressor";
	if (!p->kaslr)
		zp_format(buf, cap, "off: %s", p->kaslr_why);
	else
		zp_format(buf, cap, "phys 0x%llx of %llu slots, virt +0x%llx of %llu slots (%s)",
			  ULL(p->kernel_addr), ULL(p->phys_slots), ULL(p->virt_delta),
			  ULL(p->virt_slots), entropy_from);
	return buf;
}

/* The long step, named for the lines around it ("" when there is none). */
static const char *long_step(const struct zp_shim_plan *p)
{
	bool relocate = p->kaslr && p->virt_delta;

	return p->move_len && relocate ? "moving and relocating the kernel" :
	       p->move_len ? "moving the kernel" : relocate ? "relocating the kernel" : "";
}

/* What the plan did to the command line, for the line: the host reads
 * "(console=hvc0 added)" back (tools/machine/loader_console.c). */
static const char *cmdline_note(const struct zp_shim_plan *p, char *buf, size_t cap)
{
	if (p->console_added)
		zp_format(buf, cap, " (%s added)", p->console_added);
	else if (p->console_skipped)
		zp_format(buf, cap, " (no console added: %s)", p->console_skipped);
	else
		buf[0] = '\0';
	return buf;
}

static void say_plan(const struct zp_shim_plan *p)
{
	char k[160], c[96];

	zp_shim_say("entry %s, kernel 0x%llx%s, zero page 0x%llx, cmdline %u bytes%s, "
		    "initrd 0x%llx+0x%llx (%s), e820 %u, subarch %s data 0x%llx, "
		    "start_info v%u at 0x%llx, memmap from %s (%u entries), kaslr %s",
		    entry_name(p->entry), ULL(p->kernel_addr), p->move_len ? " (moved)" : "",
		    ULL(p->zero_page_addr), p->cmdline_len, cmdline_note(p, c, sizeof(c)),
		    ULL(p->initrd_addr),
		    ULL(p->initrd_size), p->initrd_from_module ? "module 0" : "bundled",
		    p->e820_entries, zero_page.hdr.hardware_subarch == ZP_SUBARCH_XEN ? "xen" : "pc",
		    ULL(zero_page.hdr.hardware_subarch_data), p->si.version, ULL(p->si.paddr),
		    p->memmap_source == ZP_MEMMAP_HYPERVISOR ? "XENMEM_memory_map" : "start_info",
		    p->memmap_entries, kaslr_text(p, k, sizeof(k)));
}

/* The kernel runs elsewhere than it was bundled: its protected-mode part
 * (or, for KASLR, the vmlinux's segments) moves (memmove: the two may
 * overlap); the setup header stays, already in the zero page.  Then KASLR:
 * the kernel's addresses of itself now point at its new virtual base
 * (every entry was checked against the image already).  This is most of
 * the shim's own time (tens of milliseconds natively, seconds under a slow
 * VMM), so the plan's line is out before it starts and a second line, with
 * the time in TSC ticks, says when it is done. */
static void move_and_relocate(struct zp_shim_plan *p)
{
	struct zp_diag diag;
	const char *step = long_step(p);
	uint64_t t0;

	if (!*step)
		return;
	t0 = rdtsc();
	if (p->move_len)
		memmove(zp_phys(p->kernel_addr), zp_phys(p->move_from), p->move_len);
	if (p->kaslr && p->virt_delta) {
		p->target.image = zp_phys(p->kernel_addr);
		if (zp_relocs_apply(&p->relocs, &p->target, p->virt_delta, &diag))
			zp_shim_fail("%s", diag.msg);
	}
	zp_shim_say("done %s in %llu TSC ticks", step, ULL(rdtsc() - t0));
}

void zp_shim_main(uint32_t si_paddr)
{
	struct zp_shim_input in;
	struct zp_shim_plan plan;
	struct zp_diag diag;
	bool xen = zp_xen_init();	/* first: on Xen even errors go through it */

	gather(si_paddr, xen, &in);
	if (zp_shim_plan(&in, &plan, &diag))
		zp_shim_fail("%s", diag.msg);
	say_plan(&plan);
	move_and_relocate(&plan);
	if (plan.entry == ZP_BUNDLE_ENTRY_32)
		zp_shim_enter32((uint32_t)plan.entry_addr, (uint32_t)plan.zero_page_addr);
	zp_shim_enter64(plan.entry_addr, plan.zero_page_addr);
}
