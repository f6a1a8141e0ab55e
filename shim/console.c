/* SPDX-License-Identifier: MIT */
/*
 * console.c - one line at a time on COM1 (I/O port 0x3f8), and on Xen
 * also on Xen's own console.
 *
 * The 16550 UART at 0x3f8 is the one device every PVH-capable VMM we know
 * emulates (QEMU pc/q35/microvm, Firecracker, Cloud Hypervisor), and it is
 * where `-serial stdio` and the tests look.  We do not program the baud
 * rate: VMMs ignore it, and on real hardware the firmware already did.
 *
 * Xen is the exception: it keeps the UART it logs to (console=com1) and
 * does not give its ports to dom0, so there our COM1 bytes go nowhere.  On
 * Xen every line therefore also goes through the console_io hypercall,
 * which Xen prints on its console; where that is refused (a domU whose XSM
 * policy denies console_io) the line goes to the 0xe9 debug port, which
 * Xen logs for HVM/PVH guests with guest_loglvl=all.  The shim is never
 * silent on Xen.
 */
#include <stdarg.h>
#include "shim.h"

#define COM1		0x3f8
#define COM1_LSR	(COM1 + 5)
#define LSR_THRE	0x20	/* transmit holding register empty */
#define DEBUGCON	0xe9	/* Xen's (and Bochs') debug console port */

static void put_char(char c)
{
	/* Bounded: with no UART at all the port reads 0xff and we go on. */
	for (unsigned spin = 0; spin < 100000; spin++)
		if (zp_inb(COM1_LSR) & LSR_THRE)
			break;
	zp_outb(COM1, (uint8_t)c);
}

/* Xen's console: it ends lines with "\n" and adds its own "\r". */
static void put_xen(const char *line, size_t len)
{
	if (zp_xen_console_write(line, len) == 0)
		return;
	for (size_t i = 0; i < len; i++)
		zp_outb(DEBUGCON, (uint8_t)line[i]);
}

static void put_line(const char *prefix, const char *fmt, va_list ap)
{
	char buf[512];
	size_t n = 0, room = sizeof(buf) - 1;	/* room for the "\n" */

	for (const char *p = prefix; *p && n < room; p++)
		buf[n++] = *p;
	n += zp_vformat(buf + n, sizeof(buf) - 1 - n, fmt, ap);
	if (n > room - 1)
		n = room - 1;			/* zp_vformat truncated the line */
	buf[n++] = '\n';
	buf[n] = '\0';
	for (size_t i = 0; i + 1 < n; i++)
		put_char(buf[i]);
	put_char('\r');
	put_char('\n');
	if (zp_on_xen())
		put_xen(buf, n);
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
