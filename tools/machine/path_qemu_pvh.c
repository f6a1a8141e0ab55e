/* SPDX-License-Identifier: MIT */
/*
 * path_qemu_pvh.c - QEMU's PVH loader on the extracted vmlinux: the
 * kernel's own PVH entry (XEN_ELFNOTE_PHYS32_ENTRY).  That entry builds its
 * zero page itself (arch/x86/platform/pvh/enlighten.c) and claims Xen's
 * loader ID only on Xen, QEMU's (0xb0) elsewhere.
 */
#include <stdio.h>

#include "machine/bootpath.h"

static int prepare(struct bootctx *c, const struct bootpath_req *req,
		   struct bootpath_outcome *o, char *kernel, size_t cap)
{
	(void)req;
	if (bootpath_need_vmlinux(c, o, &c->vmlinux_has_pvh, "no PVH note"))
		return -1;
	snprintf(kernel, cap, "%s", c->vmlinux);
	return 0;
}

const struct bootpath_def path_qemu_pvh = {
	.name = "qemu-pvh",
	.summary = "QEMU's PVH loader on the extracted vmlinux: the kernel's own PVH entry",
	.type_of_loader = 0xb0,
	.entry = BOOT_ENTRY_PVH,
	.hardware_subarch = -1,
	.machines = "pc,q35,microvm",
	.na_why = "QEMU's own loaders do not start a Xen dom0",
	.prepare = prepare,
};
