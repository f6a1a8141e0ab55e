/* SPDX-License-Identifier: MIT */
/*
 * dom0_initramfs.h - the toolstack dom0's initramfs (machine xen-domu),
 * made from the host's own packages, with no network:
 *
 *   /init                 tools/image/dom0_init.sh (busybox sh), embedded
 *   /bin/busybox          busybox-static (its applets are linked at boot)
 *   /bin/{xl,xenstored,xenconsoled,xen-init-dom0}
 *                         from /usr/lib/xen-<newest>/bin (xen-utils), or
 *                         $ZEROPAGE_XEN_TOOLS
 *   their libraries       each DT_NEEDED, recursively, found in the host's
 *                         library directories and put in
 *                         /lib/x86_64-linux-gnu (a directory Debian's ld.so
 *                         searches by default), the interpreter at its
 *                         PT_INTERP path, and libgcc_s.so.1, which glibc
 *                         loads with dlopen for pthread_cancel (xl aborts
 *                         without it)
 *   /etc/xen/xl.conf      the host's, if any (xl reads it when present)
 *   /lib/modules/NAME.ko  the dom0 kernel's Xen modules (xen-evtchn,
 *                         xen-privcmd, xenfs, xen-gntdev, xen-gntalloc)
 *                         from MODULES/kernel/drivers/xen, decompressed
 *                         when the kernel package compresses them (.ko.xz,
 *                         .ko.zst); missing ones are left out (a kernel
 *                         may build them in: the init checks for the
 *                         devices it needs and says which one is missing)
 *   /etc/zp/domus         "NAME TIMEOUT" a line, in the order they are created
 *   /etc/zp/NAME.cfg      each domU's xl config; NAME-kernel and
 *                         NAME-ramdisk its files
 */
#ifndef ZEROPAGE_TOOLS_DOM0_INITRAMFS_H
#define ZEROPAGE_TOOLS_DOM0_INITRAMFS_H

#include <stddef.h>
#include "common/tool_err.h"

#define DOM0_DOMU_NAME_MAX	16

struct dom0_domu {
	char name[DOM0_DOMU_NAME_MAX];	/* "d1": xl's name, the console prefix zp-d1: */
	const char *config;		/* xl config text (xen_domu_config) */
	const char *kernel;		/* host path, copied to /etc/zp/NAME-kernel */
	const char *ramdisk;		/* host path or NULL, to /etc/zp/NAME-ramdisk */
	unsigned timeout_s;		/* dom0 destroys it after this (0: never) */
};

struct dom0_initramfs_spec {
	const char *modules_dir;	/* the dom0 kernel's modules-VERSION, or NULL */
	const struct dom0_domu *domus;
	unsigned ndomus;
};

/* Writes the archive to out (atomically).  0, or -1 with what is missing
 * (busybox not static, xen-utils not installed, a library not found, a
 * module that cannot be decompressed) in err. */
int dom0_initramfs_write(const char *out, const struct dom0_initramfs_spec *s,
			 struct tool_err *err);

/* The embedded init script (tools/image/dom0_init_blob.S). */
extern const char dom0_init_start[], dom0_init_end[];

#endif
