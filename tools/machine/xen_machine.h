/* SPDX-License-Identifier: MIT */
/*
 * xen_machine.h - the `xen` machine: Debian's Xen hypervisor booted by QEMU (its
 * multiboot loader), with the kernel under test as dom0.
 *
 * QEMU loads Xen with -kernel; the multiboot modules after -initrd are
 * dom0's kernel with its command line, then dom0's initrd.  Xen owns COM1,
 * our console pipe: its own messages there start with "(XEN) ", and what
 * dom0 writes through the console hypercall (earlyprintk=xen, hvc0, the
 * shim's line) comes out raw between them.  The two are kept apart for the
 * logs and the verdict (xen_machine_split_console).
 */
#ifndef ZEROPAGE_TOOLS_XEN_MACHINE_H
#define ZEROPAGE_TOOLS_XEN_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include "common/tool_err.h"

/* The Xen image QEMU can load: $ZEROPAGE_XEN (an ELF or a .gz of one), or
 * the newest /boot/xen-*.gz from Debian's xen-hypervisor package, gunzipped
 * once into the cache ($ZEROPAGE_CACHE, $XDG_CACHE_HOME/zeropage or
 * ~/.cache/zeropage).  Returns 0 with the path in out, or -1 with the
 * reason (Xen not installed, unreadable, not an ELF) in err. */
int xen_machine_image(char *out, size_t cap, struct tool_err *err);

/* QEMU's -initrd for multiboot: "KERNEL CMDLINE,INITRD".  QEMU splits
 * modules at commas (",," is a literal one) and a module's path from its
 * command line at the first space, so commas are doubled and a path with
 * a space or a comma is refused.  Returns 0, or -1 with err. */
int xen_machine_modules(const char *kernel, const char *cmdline, const char *initrd,
		   char *out, size_t cap, struct tool_err *err);

/* Xen's own command line for a dom0 of dom0_mib MiB, PV or PVH. */
void xen_machine_cmdline(char *out, size_t cap, unsigned long dom0_mib, bool pvh);

/* Splits a console transcript into Xen's lines (those starting with
 * "(XEN)", prefix kept) and the rest, dom0's.  Each output holds at most
 * len + 1 bytes, NUL-terminated; CRs are dropped.  Returns 0. */
int xen_machine_split_console(const char *in, size_t len, char *xen, size_t *xen_len,
			 char *guest, size_t *guest_len);

/* Why Xen stopped the machine, from its own lines: "Xen panic: <line>",
 * "dom0 crashed", ... or "" when it said nothing of the kind. */
void xen_machine_stop_reason(const char *xen_log, char *out, size_t cap);

#endif
