/* SPDX-License-Identifier: MIT */
/*
 * xen.c - the three things the shim asks of Xen, and only of Xen.
 *
 * Under QEMU, Firecracker or Cloud Hypervisor the start_info carries a
 * memory map and COM1 is ours.  Xen is different in both ways:
 *
 *   - Xen's PVH dom0 builder (4.17) hands a version 0 start_info, which has
 *     no memory map: a PVH guest is expected to ask XENMEM_memory_map;
 *   - Xen itself drives COM1 (console=com1), and the ports of the UART it
 *     uses are not given to dom0: our COM1 bytes vanish.  Xen's own console
 *     takes a guest's lines through the console_io hypercall instead (dom0
 *     always may; a domU only when XSM allows, else its bytes on the 0xe9
 *     debug port are what Xen logs, with guest_loglvl=all).
 *
 * A hypercall is a call into a page Xen writes for us, because only Xen
 * knows whether this CPU wants vmcall or vmmcall: CPUID leaf base+2 names
 * the MSR to which we write the page's guest-physical address, and Xen
 * fills the page in on that write.  Hypercall N is at page + N*32 and takes
 * its arguments in rdi, rsi, rdx, r10, r8 (the 64-bit ABI: we run in long
 * mode), returning a negative errno in rax on failure.
 *
 * Nothing here runs unless CPUID said "XenVMMXenVMM": elsewhere the MSR
 * write could fault, and with no IDT a fault is a triple fault.
 */
#include "shim.h"

#define ENOSYS		38	/* Xen's errno for "no such hypercall" too */

/* The hypercall page: a whole, aligned page of our own .bss, so it is RAM
 * the loader gave us and nothing else of ours shares it. */
static uint8_t hypercall_page[4096] __attribute__((aligned(4096)));
static uint32_t xen_base;		/* CPUID base leaf; 0 when not on Xen */
static bool hypercalls_ok;

/* CPUID leaves 0x40000000 + n*0x100 name the hypervisor (Xen moves its
 * leaves up by 0x100 when it also offers Viridian).  TCG, KVM and friends
 * give other names, so this finds nothing anywhere but on Xen. */
static uint32_t find_xen_leaves(void)
{
	uint32_t a, b, c, d;

	zp_cpuid(1, &a, &b, &c, &d);
	if (!(c & (1u << 31)))		/* no hypervisor at all */
		return 0;
	for (uint32_t base = 0x40000000; base < 0x40010000; base += 0x100) {
		zp_cpuid(base, &a, &b, &c, &d);
		if (b == ZP_XEN_CPUID_SIG_EBX && c == ZP_XEN_CPUID_SIG_ECX &&
		    d == ZP_XEN_CPUID_SIG_EDX && a >= base + ZP_XEN_CPUID_LEAF_HYPERCALL)
			return base;
	}
	return 0;
}

static void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			 : "memory");
}

bool zp_xen_init(void)
{
	uint32_t pages, msr, c, d;

	xen_base = find_xen_leaves();
	if (!xen_base)
		return false;
	zp_cpuid(xen_base + ZP_XEN_CPUID_LEAF_HYPERCALL, &pages, &msr, &c, &d);
	if (pages == 0)
		return true;	/* Xen, but no hypercalls: console falls back to 0xe9 */
	wrmsr(msr, (uintptr_t)hypercall_page);
	/* Xen has written the page now (each stub starts "mov $N, %eax");
	 * a page still zero would run into nonsense, so never call it. */
	hypercalls_ok = hypercall_page[0] != 0;
	return true;
}

bool zp_on_xen(void)
{
	return xen_base != 0;
}

/* Up to three arguments are all the shim needs.  The page's stubs clobber
 * at most rax plus whatever the hypervisor's entry does not restore; Linux
 * and Xen treat every argument register as clobbered, and so do we. */
static long hypercall3(unsigned op, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t rdi __asm__("rdi") = a1;
	register uint64_t rsi __asm__("rsi") = a2;
	register uint64_t rdx __asm__("rdx") = a3;
	const void *stub = hypercall_page + op * ZP_XEN_HYPERCALL_STRIDE;
	long ret;

	__asm__ volatile("call *%[stub]"
			 : "=a"(ret), "+r"(rdi), "+r"(rsi), "+r"(rdx)
			 : [stub] "r"(stub)
			 : "memory", "rcx", "r8", "r9", "r10", "r11");
	return ret;
}

long zp_xen_console_write(const char *s, size_t len)
{
	if (!hypercalls_ok)
		return -ENOSYS;
	return hypercall3(ZP_XEN_HYPERVISOR_CONSOLE_IO, ZP_XEN_CONSOLEIO_WRITE, len,
			  (uintptr_t)s);
}

/* XENMEM_memory_map: Xen writes up to `cap` packed e820 entries into buf
 * and tells us how many.  The shim only gathers; zp_e820_from_hypervisor
 * decides whether the bytes make a map. */
long zp_xen_memory_map(void *buf, uint32_t cap, uint32_t *nr_entries)
{
	struct zp_xen_memory_map arg = { cap, 0, (uintptr_t)buf };
	long r;

	*nr_entries = 0;
	if (!hypercalls_ok)
		return -ENOSYS;
	r = hypercall3(ZP_XEN_HYPERVISOR_MEMORY_OP, ZP_XEN_XENMEM_MEMORY_MAP, (uintptr_t)&arg, 0);
	if (r == 0)
		*nr_entries = arg.nr_entries;
	return r;
}
