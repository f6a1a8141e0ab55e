/* SPDX-License-Identifier: MIT */
/*
 * boot_disk.c - the directory a path hands QEMU as a virtual FAT drive
 * (boot_disk.h says which and why links).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fileio.h"
#include "machine/boot_disk.h"
#include "machine/process.h"

/* disk/rel into path, registered for removal; -1 when it does not fit. */
static int disk_path(char *path, size_t cap, const char *disk, const char *rel,
		     struct tool_err *err)
{
	int n = snprintf(path, cap, "%s/%s", disk, rel);

	if (n < 0 || (size_t)n >= cap) {
		tool_err_set(err, "%s/%s: path too long", disk, rel);
		return -1;
	}
	process_cleanup_on_signal(path);
	return 0;
}

int boot_disk_mkdir(const char *disk, const char *rel, struct tool_err *err)
{
	char path[PATH_MAX];

	return disk_path(path, sizeof(path), disk, rel, err) || fileio_mkdir_p(path, err) ? -1 : 0;
}

int boot_disk_link(const char *disk, const char *rel, const char *target,
		   struct tool_err *err)
{
	char path[PATH_MAX], abs[PATH_MAX];

	if (disk_path(path, sizeof(path), disk, rel, err))
		return -1;
	if (!realpath(target, abs) || symlink(abs, path)) {
		tool_err_set(err, "%s: %s", target, strerror(errno));
		return -1;
	}
	return 0;
}

int boot_disk_write(const char *disk, const char *rel, const void *data, size_t len,
		    struct tool_err *err)
{
	char path[PATH_MAX];

	if (disk_path(path, sizeof(path), disk, rel, err))
		return -1;
	return fileio_write_atomic(path, data, len, 0644, err);
}
