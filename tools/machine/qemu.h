/* SPDX-License-Identifier: MIT */
/*
 * qemu.h - run one guest under qemu-system-x86_64 and watch its console.
 *
 * QEMU runs in its own process group with the serial console on a pipe;
 * we stream what it prints, note when the first byte, the kernel banner
 * ("Linux version") and the probe line ("ZEROPAGE-PROBE") arrive, and
 * decide a verdict.  A firmware or boot loader that gives up before the
 * kernel (GRUB's prompt, OVMF's shell) ends the run at once: no-init, with
 * the loader's own error lines as the reason.  Whatever happens, the process group is killed and
 * reaped before qemu_run returns: no QEMU is ever left running.
 */
#ifndef ZEROPAGE_TOOLS_QEMU_H
#define ZEROPAGE_TOOLS_QEMU_H

#include <stddef.h>
#include <stdio.h>
#include <stdbool.h>
#include <sys/types.h>

#include "common/verdict.h"
#include "machine/process.h"


struct qemu_opts {
	const char *qemu;	/* binary; NULL: $ZEROPAGE_QEMU or qemu-system-x86_64 */
	const char *machine;	/* pc, q35, microvm */
	const char *cpu;	/* -cpu, NULL for QEMU's default */
	const char *const *extra;	/* more arguments (NULL-terminated), may be NULL */
	const char *accel;	/* tcg or kvm (already resolved from auto) */
	const char *mem;	/* -m value, e.g. "256M" */
	const char *kernel;	/* -kernel; NULL: boot from the devices in extra */
	const char *initrd;	/* -initrd, may be NULL */
	const char *append;	/* -append, may be NULL */
	double timeout_s;
	/* An image that is not Linux (memtest86+, iPXE): no banner and no
	 * probe line will come.  Its own first output (loader_console_image_text)
	 * is all there is to see: the run ends image_settle_s after it, as
	 * "started"; nothing from it by the deadline is a timeout. */
	bool not_linux;
	bool image_escapes_count;	/* no loader writes escape sequences here */
	double image_settle_s;
	FILE *echo;		/* console bytes are copied here as they come; NULL: quiet */
};

struct qemu_result {
	enum verdict verdict;
	char reason[256];	/* for panic/qemu/error: a one-line why */
	/* seconds from spawning QEMU; < 0 when it never happened */
	double t_first_byte, t_banner, t_init, t_exit;
	double t_image;		/* not_linux: the image's own first output */
	size_t image_at;	/* ...and its offset in console */
	char *console;		/* everything the guest printed, NUL-terminated (malloc'ed) */
	size_t console_len;
	char *probe_line;	/* the ZEROPAGE-PROBE line without CR/LF, or NULL */
	int exit_status;	/* QEMU's exit code, or -signal when killed, or -1000 not run */
	int killed;		/* we killed it (timeout, panic, a loader's stop) */
	bool loader_stopped;	/* the firmware or boot loader gave up before the
				   kernel (its prompt, its shell): the reason is its
				   own words (loader_console.h) */
};

/* True for a guest memory size QEMU's -m takes: a number, an optional
 * fraction, and at most one of the suffixes K, M, G, T (no suffix: MiB). */
bool qemu_mem_size_ok(const char *size);
/* A size qemu_mem_size_ok accepts, in MiB (QEMU's unit for a bare number). */
double qemu_mem_mib(const char *size);

/* The argv QEMU is run with (for messages and tests): *argc entries plus NULL,
 * strings owned by the opts or static.  Returns 0 or -1 if too many. */
int qemu_argv(const struct qemu_opts *o, const char **argv, int cap, int *argc);


/* Runs the guest to a verdict.  Returns 0 when a verdict was reached (see
 * r->verdict), -1 only if r could not be filled at all. */
int qemu_run(const struct qemu_opts *o, struct qemu_result *r);
void qemu_result_free(struct qemu_result *r);

#endif
