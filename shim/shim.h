/* SPDX-License-Identifier: MIT */
/* shim.h - what the shim's C files share with each other and with entry.S. */
#ifndef ZEROPAGE_SHIM_H
#define ZEROPAGE_SHIM_H

#include <stddef.h>
#include <stdint.h>
#include <zeropage/zeropage.h>
#include <zeropage/bundle.h>

/* entry.S */
void zp_shim_main(uint32_t start_info);
__attribute__((noreturn)) void zp_shim_halt(void);
__attribute__((noreturn)) void zp_shim_enter64(uint64_t entry, uint64_t zero_page);
__attribute__((noreturn)) void zp_shim_enter32(uint32_t entry, uint32_t zero_page);

/* entry.S: how much of the physical address space is identity mapped. */
extern uint32_t zp_shim_mapped_gib;

/* shim.ld */
extern char __shim_start[], __shim_end[];

/* xen.c: only on Xen (CPUID "XenVMMXenVMM"); elsewhere nothing is touched.
 * zp_xen_init finds Xen and installs the hypercall page; true on Xen.  The
 * hypercalls return 0 or a negative Xen errno (-38, ENOSYS, when Xen gave
 * no hypercall page). */
bool zp_xen_init(void);
bool zp_on_xen(void);
long zp_xen_console_write(const char *s, size_t len);
long zp_xen_memory_map(void *buf, uint32_t cap, uint32_t *nr_entries);

/* console.c: COM1, the one output every PVH VMM gives us; on Xen each line
 * also goes to Xen's console (console_io), or failing that to port 0xe9. */
void zp_shim_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "zeropage-shim: error: <reason>" and halts: never jump on bad input. */
__attribute__((noreturn)) void zp_shim_fail(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* libc.c: what the compiler and the core call for memory moves. */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* Port I/O. */
static inline void zp_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t zp_inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void zp_cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

/* A guest-physical address as a pointer: the low 4 GiB are identity mapped. */
static inline void *zp_phys(uint64_t paddr)
{
	return (void *)(uintptr_t)paddr;
}

#endif
