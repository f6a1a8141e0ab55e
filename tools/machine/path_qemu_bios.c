/* SPDX-License-Identifier: MIT */
/*
 * path_qemu_bios.c - QEMU's own bzImage loader (-kernel bzImage): SeaBIOS
 * on pc/q35, qboot on microvm, then the kernel's 16-bit setup entry.
 * QEMU writes its registered loader ID 0xB, version 0: type_of_loader 0xb0.
 */
#include <stdio.h>

#include "machine/bootpath.h"

static int prepare(struct bootctx *c, const struct bootpath_req *req,
		   struct bootpath_outcome *o, char *kernel, size_t cap)
{
	(void)req;
	if (c->kernel_is_elf) {
		bootpath_set(o, VERDICT_SKIPPED, "qemu-bios needs a bzImage, not an ELF");
		return -1;
	}
	snprintf(kernel, cap, "%s", c->kernel);
	return 0;
}

const struct bootpath_def path_qemu_bios = {
	.name = "qemu-bios",
	.summary = "QEMU's bzImage loader: SeaBIOS (qboot on microvm) and the 16-bit setup entry",
	.type_of_loader = 0xb0,
	/* QEMU's -kernel: the option ROM (linuxboot, or qboot's) jumps to the
	 * real-mode setup code, as a BIOS boot sector would */
	.entry = BOOT_ENTRY_REAL_MODE_16,
	.hardware_subarch = -1,
	.machines = "pc,q35,microvm",
	.na_why = "QEMU's own loaders do not start a Xen dom0",
	.prepare = prepare,
};
