/* SPDX-License-Identifier: MIT */
/*
 * boot_disk.h - the directory a path hands QEMU as a virtual FAT drive
 * (grub-bios, grub-efi, systemd-boot, efi-handover): folders made, the
 * kernel and initrd linked in rather than copied (tens of MiB per row), the
 * loader's files written; every one registered so that a run killed on the
 * way removes it (process.h), the folders after what they hold.
 */
#ifndef ZEROPAGE_TOOLS_BOOT_DISK_H
#define ZEROPAGE_TOOLS_BOOT_DISK_H

#include <stddef.h>

#include "common/tool_err.h"

/* Each registers disk/rel and returns 0, or -1 with err naming the file;
 * the caller registers disk itself, first, and makes each folder level in
 * turn ("EFI", then "EFI/BOOT") so that every level is removed. */
int boot_disk_mkdir(const char *disk, const char *rel, struct tool_err *err);
/* disk/rel: a symlink to target made absolute (the FAT drive follows it). */
int boot_disk_link(const char *disk, const char *rel, const char *target,
		   struct tool_err *err);
int boot_disk_write(const char *disk, const char *rel, const void *data, size_t len,
		    struct tool_err *err);

#endif
