/* SPDX-License-Identifier: MIT */
/*
 * verdict.h - how one boot ended.  machine/ decides it (qemu.c, bootpath.c),
 * report/ prints and reads it (matrix rows, JSON, JUnit, KCIDB), cli/ maps it
 * to an exit code (cmd_boot.c): so it lives below all three.
 */
#ifndef ZEROPAGE_TOOLS_VERDICT_H
#define ZEROPAGE_TOOLS_VERDICT_H

enum verdict {
	VERDICT_OK = 0,	/* probe line seen, then QEMU exited by itself */
	VERDICT_PANIC,	/* "Kernel panic" on the console */
	VERDICT_TIMEOUT,	/* still running at the deadline */
	VERDICT_NOINIT,	/* QEMU exited cleanly without a probe line, or the
				   firmware or boot loader gave up */
	VERDICT_QEMU,	/* QEMU could not start or failed */
	VERDICT_ERROR,	/* our own error before/around the run */
	VERDICT_MISMATCH,	/* booted, but reported other than asked */
	VERDICT_SKIPPED,	/* not run: the kernel cannot take the path (no PVH note, ELF kernel) */
	VERDICT_NA,		/* not run: the path does not exist on the machine */
	VERDICT_STARTED,	/* an image that is not Linux (memtest86+, iPXE) ran and
				   wrote to the serial console: all zeropage can check
				   of it (no probe runs there); passes, as ok does */
};
#define VERDICT_LAST	VERDICT_STARTED	/* for loops over every verdict */
const char *verdict_name(enum verdict v);	/* "ok", "panic", ... */

#endif
