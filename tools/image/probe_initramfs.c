/* SPDX-License-Identifier: MIT */
/* probe_initramfs.c - see probe_initramfs.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/tool_err.h"
#include "image/cpio.h"
#include "common/fileio.h"
#include "image/probe_initramfs.h"
#include <zeropage/abi.h>

/* tools/image/probe_blob.S */
extern const uint8_t probe_blob_init_start[], probe_blob_init_end[];
extern const uint8_t probe_blob_init_i386_start[], probe_blob_init_i386_end[];

enum probe_arch probe_arch_for_image(const struct zp_image *img)
{
	switch (img->format) {
	case ZP_FORMAT_ELF:
		return img->u.elf.elf_class == 32 ? PROBE_ARCH_I386 : PROBE_ARCH_X86_64;
	case ZP_FORMAT_BZIMAGE:
	case ZP_FORMAT_UKI:	/* u.bz is its .linux */
		return img->u.bz.hdr.xloadflags & ZP_XLF_KERNEL_64 ? PROBE_ARCH_X86_64
								   : PROBE_ARCH_I386;
	default:
		return PROBE_ARCH_X86_64;
	}
}

const char *probe_arch_name(enum probe_arch arch)
{
	return arch == PROBE_ARCH_I386 ? "i386" : "x86_64";
}

int probe_arch_parse(const char *name, enum probe_arch *arch)
{
	if (!strcmp(name, "x86_64"))
		*arch = PROBE_ARCH_X86_64;
	else if (!strcmp(name, "i386"))
		*arch = PROBE_ARCH_I386;
	else
		return -1;
	return 0;
}

const uint8_t *probe_init_binary(enum probe_arch arch, size_t *len)
{
	if (arch == PROBE_ARCH_I386) {
		*len = (size_t)(probe_blob_init_i386_end - probe_blob_init_i386_start);
		return probe_blob_init_i386_start;
	}
	*len = (size_t)(probe_blob_init_end - probe_blob_init_start);
	return probe_blob_init_start;
}

int probe_initramfs(enum probe_arch arch, uint8_t **data, size_t *len, struct tool_err *err)
{
	struct cpio_archive c;
	size_t init_len;
	const uint8_t *init = probe_init_binary(arch, &init_len);

	if (init_len < 64 || memcmp(init, "\177ELF", 4)) {
		tool_err_set(err, "the embedded %s probe init is not an ELF (%zu bytes)",
			     probe_arch_name(arch), init_len);
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
	    cpio_file(&c, "init", 0755, init, init_len) ||
	    cpio_finish(&c, PROBE_INITRAMFS_ALIGN)) {
		tool_err_set(err, "cpio: %s", c.err.msg);
		cpio_free(&c);
		return -1;
	}
	*data = c.data;
	*len = c.len;
	return 0;
}

int probe_initramfs_write(const char *path, enum probe_arch arch, size_t *len,
			  struct tool_err *err)
{
	uint8_t *data;
	size_t n;

	if (probe_initramfs(arch, &data, &n, err))
		return -1;
	int r = fileio_write_atomic(path, data, n, 0644, err);
	free(data);
	if (r == 0 && len)
		*len = n;
	return r;
}
