/* SPDX-License-Identifier: MIT */
/* grub_cd.h - GRUB's cached CD (see grub_cd.c). */
#ifndef ZEROPAGE_TOOLS_GRUB_CD_H
#define ZEROPAGE_TOOLS_GRUB_CD_H

#include <stddef.h>
#include "common/tool_err.h"

/* GRUB's CD into iso: the cached one when it is whole and as new as GRUB,
 * else made with grub-mkrescue (its files in rundir, a directory of ours
 * removed however we end) under the cache's lock.  Thread-safe.  0, or -1
 * with the message. */
int grub_cd_make(const char *rundir, char *iso, size_t cap, struct tool_err *err);

#endif
