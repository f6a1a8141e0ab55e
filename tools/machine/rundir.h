/* SPDX-License-Identifier: MIT */
/* rundir.h - a run's temporary directory, locked while the run lives. */
#ifndef ZEROPAGE_TOOLS_RUNDIR_H
#define ZEROPAGE_TOOLS_RUNDIR_H

#include <stdbool.h>
#include <stddef.h>
#include "common/tool_err.h"

/* $TMPDIR/zeropage.XXXXXX into dir, with its marker <dir>/.zeropage-run
 * written and held (flock) through *lockfd for as long as this process
 * lives; first removes the directories of runs that are no longer alive.
 * 0, or -1 with the message. */
int rundir_create(char *dir, size_t cap, int *lockfd, struct tool_err *err);

/* Removes every directory in tmpdir that a dead run of ours left (our
 * name pattern, our uid, our marker naming that directory, its lock
 * free; see rundir.c); returns how many. */
unsigned rundir_sweep(const char *tmpdir);

/* Whether name is one mkdtemp makes of our template ("zeropage." and six
 * letters or digits). */
bool rundir_name_is_ours(const char *name);

/* The directory (ours only) and everything in it, never following a
 * symlink nor entering another filesystem or another user's directory.
 * System calls only: safe in a signal handler.  0, or -1 with errno. */
int rundir_remove(const char *dir);

#endif
