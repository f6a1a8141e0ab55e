/* SPDX-License-Identifier: MIT */
/* rundir.h - a run's temporary directory, locked while the run lives. */
#ifndef ZEROPAGE_TOOLS_RUNDIR_H
#define ZEROPAGE_TOOLS_RUNDIR_H

#include <stdbool.h>
#include <stddef.h>

/* $TMPDIR/zeropage.XXXXXX into dir, with <dir>/.lock held (flock) through
 * *lockfd for as long as this process lives; first removes the directories
 * of runs that are no longer alive.  0, or -1 with the message. */
int zp_rundir_create(char *dir, size_t cap, int *lockfd, char *err, size_t errlen);

/* Removes every zeropage.* directory of ours in tmpdir whose run is dead;
 * returns how many. */
unsigned zp_rundir_sweep(const char *tmpdir);

/* The directory and everything in it. */
void zp_rundir_remove(const char *dir);

#endif
