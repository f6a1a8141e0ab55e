/* SPDX-License-Identifier: MIT */
/* probe_initramfs.c - see probe_initramfs.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/tool_err.h"
#include "image/cpio.h"
#include "common/fileio.h"
#include "image/probe_initramfs.h"

/* tools/probe_blob.S */
extern const uint8_t probe_blob_init_start[], probe_blob_init_end[];

int probe_initramfs(uint8_t **data, size_t *len, struct tool_err *err)
{
	struct cpio_archive c;
	size_t init_len = (size_t)(probe_blob_init_end - probe_blob_init_start);

	if (init_len < 64 || memcmp(probe_blob_init_start, "\177ELF", 4)) {
		tool_err_set(err, "the embedded probe init is not an ELF (%zu bytes)", init_len);
		return -1;
	}
	cpio_init(&c);
	/* dev/console: the kernel opens it as init's stdin/stdout/stderr;
	 * dev/kmsg: where the probe finds the RAMDISK line; proc and sys:
	 * mount points.  No "." entry: the rootfs already exists. */
	if (cpio_dir(&c, "dev", 0755) ||
	    cpio_chardev(&c, "dev/console", 0600, 5, 1) ||
	    cpio_chardev(&c, "dev/kmsg", 0644, 1, 11) ||
	    cpio_dir(&c, "proc", 0555) ||
	    cpio_dir(&c, "sys", 0555) ||
	    cpio_file(&c, "init", 0755, probe_blob_init_start, init_len) ||
	    cpio_finish(&c, PROBE_INITRAMFS_ALIGN)) {
		tool_err_set(err, "cpio: %s", c.err.msg);
		cpio_free(&c);
		return -1;
	}
	*data = c.data;
	*len = c.len;
	return 0;
}

int probe_initramfs_write(const char *path, size_t *len, struct tool_err *err)
{
	uint8_t *data;
	size_t n;

	if (probe_initramfs(&data, &n, err))
		return -1;
	int r = fileio_write_atomic(path, data, n, 0644, err);
	free(data);
	if (r == 0 && len)
		*len = n;
	return r;
}
