/* SPDX-License-Identifier: MIT */
/*
 * process.h - child processes in groups of their own, killed and cleaned
 * up after on any way out (see process.c).
 */
#ifndef ZEROPAGE_TOOLS_PROCESS_H
#define ZEROPAGE_TOOLS_PROCESS_H

#include <stddef.h>
#include <sys/types.h>
#include "common/tool_err.h"

/* The executable bin names: itself when it has a '/', else the first in
 * $PATH.  Resolved before fork(): execv in a child is async-signal-safe
 * where execvp may not be.  0, or -1 when there is none. */
int process_find_program(const char *bin, char *out, size_t cap);

/* Installs SIGINT/SIGTERM/SIGHUP handlers that kill every QEMU process
 * group still running, remove the registered temporary paths, and then
 * die of the signal as they would have. */
void process_install_signal_handlers(void);

/* For a command that reports what it has when stopped (matrix): the first
 * SIGINT, SIGTERM or SIGHUP kills the process groups running (and any
 * started later) and is remembered, a second one is fatal as above. */
void process_install_interrupt_handlers(void);
/* The first signal's number once one came, else 0. */
int process_interrupted(void);
/* "SIGINT", "SIGTERM", "SIGHUP", else "a signal". */
const char *process_signal_name(int sig);

/* Starts bin with argv in a process group of its own, stdin /dev/null,
 * stdout and stderr on out_fd and err_fd, tracked like a QEMU (our signal
 * handlers kill the group) and killed if we die (PDEATHSIG).  Returns the
 * pid, or -1 with errno.  The caller reaps it and calls process_untrack. */
pid_t process_spawn(const char *bin, const char *const *argv, int out_fd, int err_fd);
/* The same with the environment envp (NULL: ours). */
pid_t process_spawn_env(const char *bin, const char *const *argv, char *const *envp,
			int out_fd, int err_fd);

/* Tracks a helper child (its own process group) like a QEMU: those
 * handlers kill it, and wait for it, before removing anything. */
void process_track(pid_t pg);
void process_untrack(pid_t pg);

/* Registers a temporary file or directory for removal by those handlers
 * (files are unlinked and directories removed, last registered first).
 * The normal exit path removes them itself. */
void process_cleanup_on_signal(const char *path);

/* Runs the program at path bin (absolute, see process_find_program) with args
 * to its end, started as process_spawn does (its own process group, killed
 * with us), stdout discarded; 0, or -1 with the first line of its stderr
 * in err. */
int process_run_helper(const char *bin, const char *const *args, struct tool_err *err);
/* The same with the environment envp (NULL: ours). */
int process_run_helper_env(const char *bin, const char *const *args, char *const *envp,
			   struct tool_err *err);

#endif
