/* SPDX-License-Identifier: MIT */
/*
 * path_xen.c - Xen's own dom0 builders, on machine xen only.  Xen reads the
 * bzImage itself (it unpacks the payload and follows its ELF notes):
 *   xen-pv   the PV builder, into the kernel's Xen PV entry
 *            (XEN_ELFNOTE_ENTRY, xen_start_kernel), which builds a zero
 *            page saying X86_SUBARCH_XEN;
 *   xen-pvh  the PVH builder, into the kernel's own PVH entry
 *            (XEN_ELFNOTE_PHYS32_ENTRY).
 * Both entries claim Xen's loader ID 9, version 0: type_of_loader 0x90.
 * On machine xen-domu the same two entries are reached through libxc's
 * domain builders instead (`xl create`, type "pv" or "pvh", the bzImage
 * itself as `kernel`: libxc unpacks its payload), and the kernel is a
 * domU: its PVH start_info is version 1 with a memory map.
 */
#include <stdio.h>

#include <zeropage/zeropage.h>

#include "machine/bootpath.h"

static int prepare(struct bootctx *c, const struct bootpath_req *req,
		   struct bootpath_outcome *o, char *kernel, size_t cap)
{
	bool pv = bootpath_def(req->path)->xen_pv;

	if (bootpath_need_vmlinux(c, o, pv ? &c->vmlinux_has_xen_pv : &c->vmlinux_has_pvh,
				  pv ? "no XEN_ELFNOTE_ENTRY: the kernel has no Xen PV entry"
				    : "no PVH note"))
		return -1;
	snprintf(kernel, cap, "%s", c->kernel);
	return 0;
}

const struct bootpath_def path_xen_pv = {
	.name = "xen-pv",
	.summary = "Xen's PV dom0 builder: the kernel's Xen PV entry",
	.type_of_loader = 0x90,
	.entry = BOOT_ENTRY_XEN_PV,
	.hardware_subarch = ZP_SUBARCH_XEN,
	.machines = "xen,xen-domu",
	.na_why = "Xen's builders run on machines xen and xen-domu only",
	.xen_pv = true,
	.prepare = prepare,
};

const struct bootpath_def path_xen_pvh = {
	.name = "xen-pvh",
	.summary = "Xen's PVH dom0 builder: the kernel's own PVH entry",
	.type_of_loader = 0x90,
	.entry = BOOT_ENTRY_PVH,
	.hardware_subarch = -1,
	.machines = "xen,xen-domu",
	.na_why = "Xen's builders run on machines xen and xen-domu only",
	.prepare = prepare,
};
