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
#include <zeropage/zeropage.h>

#define PROBE_INITRAMFS_ALIGN 4096

/* Which build of the probe is /init: a 32-bit kernel cannot run the
 * x86-64 one (and a 64-bit kernel may lack IA32_EMULATION for the other). */
enum probe_arch {
	PROBE_ARCH_X86_64,
	PROBE_ARCH_I386,
};

/* The one place that decides: i386 for a bzImage (or a UKI's .linux)
 * without XLF_KERNEL_64 and for an ELF32 vmlinux, x86-64 otherwise. */
enum probe_arch probe_arch_for_image(const struct zp_image *img);

/* "x86_64" / "i386"; probe_arch_parse returns -1 for any other name. */
const char *probe_arch_name(enum probe_arch arch);
int probe_arch_parse(const char *name, enum probe_arch *arch);

/* The embedded /init binary of that build (tools/image/probe_blob.S). */
const uint8_t *probe_init_binary(enum probe_arch arch, size_t *len);

/* Builds it into a malloc'ed buffer.  Returns 0, or -1 with err set. */
int probe_initramfs(enum probe_arch arch, uint8_t **data, size_t *len, struct tool_err *err);

/* Writes it to path.  Returns 0, or -1 with err set. */
int probe_initramfs_write(const char *path, enum probe_arch arch, size_t *len,
			  struct tool_err *err);

#endif
