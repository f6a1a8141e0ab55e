/* SPDX-License-Identifier: MIT */
/*
 * path_shim.c - our PVH shim: `zeropage bundle --entry 64|32|vmlinux
 * [--handoff subarch]`, started by a PVH loader (QEMU's, Xen's PVH dom0
 * builder on xen, or libxc's PVH domU builder on xen-domu).  The shim is no registered loader: type_of_loader 0xff.
 */
#include <stdio.h>
#include <string.h>

#include <zeropage/zeropage.h>

#include "common/tool_err.h"
#include "machine/bootpath.h"

static int prepare(struct bootctx *c, const struct bootpath_req *req,
		   struct bootpath_outcome *o, char *kernel, size_t cap)
{
	const struct bootpath_def *d = bootpath_def(req->path);
	const char *entry = req->shim_entry ? req->shim_entry : d->shim_entry;
	const char *handoff = req->shim_handoff ? req->shim_handoff : d->shim_handoff;
	struct tool_err err;

	if (c->kernel_is_elf) {
		bootpath_set(o, VERDICT_SKIPPED, "the shim paths need a bzImage, not an ELF");
		return -1;
	}
	/* an entry the kernel lacks (a 686 kernel's 64-bit one, iPXE's
	 * 32-bit one, the vmlinux of an image with no payload): not run,
	 * as for an ELF, with the core's reason */
	const char *no = !strcmp(entry, "32") ? c->shim_no_32 :
			 !strcmp(entry, "vmlinux") ? c->shim_no_vmlinux : c->shim_no_64;
	if (no[0]) {
		bootpath_set(o, VERDICT_SKIPPED, "%s%s%s%s", no, c->kernel_not_linux ? " (" : "",
			     c->kernel_not_linux ? c->linux_why : "", c->kernel_not_linux ? ")" : "");
		return -1;
	}
	snprintf(kernel, cap, "%s/bundle-%u-%s.elf", c->dir, req->id, d->name);
	process_cleanup_on_signal(kernel);
	const char *args[] = { "bundle", "--kernel", c->kernel, "--entry", entry,
			       "--handoff", handoff, "-o", kernel, NULL };
	if (bootctx_run_self(c, args, &err)) {
		bootpath_set(o, VERDICT_ERROR, "bundle failed: %s", err.msg);
		return -1;
	}
	/* The vmlinux entry has no decompressor: the shim randomises, unless
	 * told nokaslr.  A kernel found at its link address is then marked
	 * (report/kaslr_seen.h), not passed over as "-". */
	o->link.expect_random = !strcmp(entry, "vmlinux") && !zp_cmdline_has_word(o->cmdline,
										  "nokaslr");
	return 0;
}

#define SHIM_PATH(n, e, h, s) {							\
	.name = n, .summary = s, .type_of_loader = ZP_LOADER_UNDEFINED, .hardware_subarch = -1,	\
	.machines = "pc,q35,microvm,xen,xen-domu", .shim_entry = e, .shim_handoff = h,		\
	.prepare = prepare,								\
}
const struct bootpath_def path_shim_64 = SHIM_PATH("shim-64", "64", "native",
	"the zeropage shim (`bundle --entry 64`) under a PVH loader: the 64-bit entry");
const struct bootpath_def path_shim_32 = SHIM_PATH("shim-32", "32", "native",
	"the shim, `bundle --entry 32`: the 32-bit entry");
const struct bootpath_def path_shim_vmlinux = SHIM_PATH("shim-vmlinux", "vmlinux", "native",
	"the shim, `bundle --entry vmlinux`: the decompressed kernel, placed by the shim");
const struct bootpath_def path_shim_subarch = SHIM_PATH("shim-subarch", "64", "subarch",
	"the shim, `bundle --entry 64 --handoff subarch`: start_info via hardware_subarch");
