/* SPDX-License-Identifier: MIT */
/*
 * uki_view.h - a Unified Kernel Image as the three things a loader needs: the
 * kernel (its .linux, a bzImage), its initrd (.initrd) and its command line
 * (.cmdline), read the way systemd-stub reads them.  The probing is the
 * core's (zp_probe, lib/pe.c, lib/uki.c); this turns its codes into
 * messages with the numbers and the sections named.
 */
#ifndef ZEROPAGE_TOOLS_UKI_VIEW_H
#define ZEROPAGE_TOOLS_UKI_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <zeropage/zeropage.h>
#include "common/tool_err.h"

struct uki_view {
	struct zp_image *img;		/* zp_probe's answer, format ZP_FORMAT_UKI (malloc'ed):
					   img->u.bz is the kernel, u.uki the PE and parts */
	const uint8_t *kernel;		/* the .linux bytes, inside the caller's buffer */
	size_t kernel_len;
	const uint8_t *initrd;		/* .initrd, or NULL */
	size_t initrd_len;
	char *cmdline;			/* .cmdline as systemd-stub reads it (malloc'ed), or NULL */
	char *uname;			/* .uname likewise, or NULL */
};

/* Opens the UKI in buf (which must outlive v).  0, or a negative ZP_E*
 * code with a one-line reason in err: the PE's defect with the section and
 * numbers, "not a UKI" with the sections it has, or its .linux not being a
 * bzImage, with where it is.  Callers ask zp_identify() first whether buf
 * is a PE (a UKI or a broken one) rather than a bzImage or an ELF file. */
int uki_view_open(const uint8_t *buf, size_t len, struct uki_view *v, struct tool_err *err);
void uki_view_close(struct uki_view *v);

#endif
