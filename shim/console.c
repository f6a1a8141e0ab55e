/* SPDX-License-Identifier: MIT */
/*
 * console.c - one line at a time on COM1 (I/O port 0x3f8).
 *
 * The 16550 UART at 0x3f8 is the one device every PVH-capable VMM we know
 * emulates (QEMU pc/q35/microvm, Firecracker, Cloud Hypervisor), and it is
 * where `-serial stdio` and the tests look.  We do not program the baud
 * rate: VMMs ignore it, and on real hardware the firmware already did.
 */
#include <stdarg.h>
#include "shim.h"

#define COM1		0x3f8
#define COM1_LSR	(COM1 + 5)
#define LSR_THRE	0x20	/* transmit holding register empty */

static void put_char(char c)
{
	/* Bounded: with no UART at all the port reads 0xff and we go on. */
	for (unsigned spin = 0; spin < 100000; spin++)
		if (zp_inb(COM1_LSR) & LSR_THRE)
			break;
	zp_outb(COM1, (uint8_t)c);
}

static void put_line(const char *prefix, const char *fmt, va_list ap)
{
	char buf[512];

	for (const char *p = prefix; *p; p++)
		put_char(*p);
	zp_vformat(buf, sizeof(buf), fmt, ap);
	for (const char *p = buf; *p; p++)
		put_char(*p);
	put_char('\r');
	put_char('\n');
}

void zp_shim_say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	put_line("zeropage-shim: ", fmt, ap);
	va_end(ap);
}

void zp_shim_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	put_line("zeropage-shim: error: ", fmt, ap);
	va_end(ap);
	zp_shim_halt();
}
