/* SPDX-License-Identifier: MIT */
/*
 * qemu.h - run one guest under qemu-system-x86_64 and watch its console.
 *
 * QEMU runs in its own process group with the serial console on a pipe;
 * we stream what it prints, note when the first byte, the kernel banner
 * ("Linux version") and the probe line ("ZEROPAGE-PROBE") arrive, and
 * decide a verdict.  Whatever happens, the process group is killed and
 * reaped before zp_qemu_run returns: no QEMU is ever left running.
 */
#ifndef ZEROPAGE_TOOLS_QEMU_H
#define ZEROPAGE_TOOLS_QEMU_H

#include <stddef.h>
#include <stdio.h>
#include <stdbool.h>
#include <sys/types.h>

enum zp_verdict {
	ZP_VERDICT_OK = 0,	/* probe line seen, then QEMU exited by itself */
	ZP_VERDICT_PANIC,	/* "Kernel panic" on the console */
	ZP_VERDICT_TIMEOUT,	/* still running at the deadline */
	ZP_VERDICT_NOINIT,	/* QEMU exited cleanly without a probe line */
	ZP_VERDICT_QEMU,	/* QEMU could not start or failed */
	ZP_VERDICT_ERROR,	/* our own error before/around the run */
	ZP_VERDICT_MISMATCH,	/* booted, but reported other than asked */
	ZP_VERDICT_SKIPPED,	/* not run: the kernel cannot take the path (no PVH note, ELF kernel) */
	ZP_VERDICT_NA,		/* not run: the path does not exist on the machine */
};
const char *zp_verdict_name(enum zp_verdict v);	/* "ok", "panic", ... */

struct zp_qemu_opts {
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
	FILE *echo;		/* console bytes are copied here as they come; NULL: quiet */
};

struct zp_qemu_result {
	enum zp_verdict verdict;
	char reason[256];	/* for panic/qemu/error: a one-line why */
	/* seconds from spawning QEMU; < 0 when it never happened */
	double t_first_byte, t_banner, t_init, t_exit;
	char *console;		/* everything the guest printed, NUL-terminated (malloc'ed) */
	size_t console_len;
	char *probe_line;	/* the ZEROPAGE-PROBE line without CR/LF, or NULL */
	int exit_status;	/* QEMU's exit code, or -signal when killed, or -1000 not run */
	int killed;		/* we killed it (timeout, panic) */
};

/* True for a guest memory size QEMU's -m takes: a number, an optional
 * fraction, and at most one of the suffixes K, M, G, T (no suffix: MiB). */
bool zp_qemu_mem_size_ok(const char *size);

/* The argv QEMU is run with (for messages and tests): *argc entries plus NULL,
 * strings owned by the opts or static.  Returns 0 or -1 if too many. */
int zp_qemu_argv(const struct zp_qemu_opts *o, const char **argv, int cap, int *argc);

/* The executable bin names: itself when it has a '/', else the first in
 * $PATH.  Resolved before fork(): execv in a child is async-signal-safe
 * where execvp may not be.  0, or -1 when there is none. */
int zp_find_program(const char *bin, char *out, size_t cap);

/* Runs the guest to a verdict.  Returns 0 when a verdict was reached (see
 * r->verdict), -1 only if r could not be filled at all. */
int zp_qemu_run(const struct zp_qemu_opts *o, struct zp_qemu_result *r);
void zp_qemu_result_free(struct zp_qemu_result *r);

/* Installs SIGINT/SIGTERM/SIGHUP handlers that kill every QEMU process
 * group still running, remove the registered temporary paths, and then
 * die of the signal as they would have. */
void zp_qemu_install_signal_handlers(void);

/* Starts bin with argv in a process group of its own, stdin /dev/null,
 * stdout and stderr on out_fd and err_fd, tracked like a QEMU (our signal
 * handlers kill the group) and killed if we die (PDEATHSIG).  Returns the
 * pid, or -1 with errno.  The caller reaps it and calls zp_qemu_untrack. */
pid_t zp_spawn(const char *bin, const char *const *argv, int out_fd, int err_fd);

/* Tracks a helper child (its own process group) like a QEMU: those
 * handlers kill it, and wait for it, before removing anything. */
void zp_qemu_track(pid_t pg);
void zp_qemu_untrack(pid_t pg);

/* Registers a temporary file or directory for removal by those handlers
 * (files are unlinked and directories removed, last registered first).
 * The normal exit path removes them itself. */
void zp_qemu_cleanup_on_signal(const char *path);

#endif
