/* SPDX-License-Identifier: MIT */
/*
 * cache.h - entries made once and kept in the cache directory (the GRUB
 * CD, the unpacked Xen): made under a lock, and checked before reuse.
 *
 * Two runs may need the same entry at once (two matrices on one machine,
 * two CI jobs sharing a home).  The maker holds an exclusive flock on
 * ENTRY.lock while it checks and, when needed, makes the entry, writing it
 * under a unique temporary name renamed into place; the other waits, then
 * finds it made.  ENTRY.sum records the entry's size and SHA-256, written
 * after it: an entry whose bytes do not match (truncated by a full disk,
 * damaged, made by a version without the sidecar) is made again, never
 * used.
 */
#ifndef ZEROPAGE_TOOLS_CACHE_H
#define ZEROPAGE_TOOLS_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include "common/tool_err.h"

/* Waits for and takes the exclusive lock on ENTRY.lock (made, with the
 * cache directory, if missing; never removed: removing a lock file races
 * whoever opened it).  The descriptor (close it to let go), or -1 with
 * the message. */
int cache_lock(const char *entry, struct tool_err *err);

/* Whether ENTRY is a regular file whose size and SHA-256 are those its
 * ENTRY.sum records. */
bool cache_valid(const char *entry);

/* Records ENTRY's size and SHA-256 in ENTRY.sum (atomically).  0, or -1
 * with the message. */
int cache_seal(const char *entry, struct tool_err *err);

#endif
