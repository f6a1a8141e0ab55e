/* SPDX-License-Identifier: MIT */
/*
 * probe_initramfs.h - the probe initramfs: probe/init.c as /init in a newc
 * archive with the few nodes it needs.  Its size is a multiple of 4096 so
 * that the page-rounded "RAMDISK:" size the kernel logs equals the file
 * size (see probe/init.c).
 */
#ifndef ZEROPAGE_TOOLS_PROBE_INITRAMFS_H
#define ZEROPAGE_TOOLS_PROBE_INITRAMFS_H

#include <stddef.h>
#include <stdint.h>
#include "common/tool_err.h"

#define PROBE_INITRAMFS_ALIGN 4096

/* Builds it into a malloc'ed buffer.  Returns 0, or -1 with err set. */
int probe_initramfs(uint8_t **data, size_t *len, struct tool_err *err);

/* Writes it to path.  Returns 0, or -1 with err set. */
int probe_initramfs_write(const char *path, size_t *len, struct tool_err *err);

#endif
