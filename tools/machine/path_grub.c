/* SPDX-License-Identifier: MIT */
/*
 * path_grub.c - GRUB 2 as a user's machine runs it: GRUB boots from a CD
 * (the firmware finds it: SeaBIOS by El Torito, OVMF by its removable-media
 * path EFI/BOOT/BOOTX64.EFI), finds a disk with /zeropage/grub.cfg and runs
 * its own `linux` and `initrd` commands on the kernel and initrd beside it:
 *   grub-bios  GRUB for BIOS (grub-pc-bin) under SeaBIOS: GRUB builds the
 *              zero page and enters the kernel's 32-bit entry;
 *   grub-efi   GRUB for x86_64 UEFI (grub-efi-amd64-bin) under OVMF.
 * Both claim GRUB's loader ID 7, version 2: type_of_loader 0x72.
 *
 * The CD is made once with GRUB's own grub-mkrescue and cached (it holds
 * GRUB only, with a grub.cfg that searches for /zeropage/grub.cfg), so it
 * depends on GRUB's version, not on the kernel (grub_cd.c).  The disk is QEMU's virtual
 * FAT drive over a directory of the boot's own, with the kernel and initrd
 * linked in and the boot's grub.cfg.  GRUB itself is never patched.
 *
 * A Unified Kernel Image is booted by its parts here (bootctx.c): GRUB's
 * `linux` loads the kernel from its .linux, `initrd` the probe, and the
 * command line is the UKI's .cmdline followed by ours.  grub-efi could
 * `chainloader` the whole UKI instead, but that would test systemd-stub
 * again, which the ovmf path does; this path is there for GRUB's own
 * Linux loader, and so it loads the UKI's kernel as it loads any.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zeropage/zeropage.h>

#include "common/fileio.h"
#include "common/tool_err.h"
#include "machine/boot_disk.h"
#include "machine/bootpath.h"
#include "machine/grub_cd.h"

#define GRUB_LIB	"/usr/lib/grub"

/* What GRUB needs installed for this path: 0, or -1 with "skipped". */
static int check_grub(bool efi, struct bootpath_outcome *o)
{
	static const struct { const char *file, *package; } need[] = {
		{ GRUB_LIB "/i386-pc/kernel.img", "grub-pc-bin" },
		{ GRUB_LIB "/x86_64-efi/kernel.img", "grub-efi-amd64-bin" },
	};
	char bin[512];

	/* the CD holds both platforms: either is enough for its own path */
	if (access(need[efi].file, R_OK)) {
		bootpath_set(o, VERDICT_SKIPPED, "%s missing (install %s)", need[efi].file,
			     need[efi].package);
		return -1;
	}
	if (process_find_program("xorriso", bin, sizeof(bin)) ||
	    (efi && process_find_program("mformat", bin, sizeof(bin)))) {
		bootpath_set(o, VERDICT_SKIPPED, "grub-mkrescue needs %s (install it)",
			     efi ? "xorriso and mtools" : "xorriso");
		return -1;
	}
	return efi ? path_ovmf_check(false, o) : 0;
}

/* The boot's disk: DIR/zeropage/{vmlinuz,initrd,grub.cfg}. */
static int make_disk(struct bootctx *c, const struct bootpath_req *req,
		     const struct bootpath_outcome *o, char *dir, size_t cap, struct tool_err *err)
{
	char cfg[4 * BOOTPATH_CMDLINE_MAX + 512];	/* each quote becomes 4 bytes */
	size_t n;

	snprintf(dir, cap, "%s/grub-disk-%u", c->dir, req->id);
	process_cleanup_on_signal(dir);
	if (boot_disk_mkdir(dir, "zeropage", err) ||
	    boot_disk_link(dir, "zeropage/vmlinuz", c->kernel, err) ||
	    boot_disk_link(dir, "zeropage/initrd", c->initrd ? c->initrd : c->probe_initrd, err))
		return -1;
	/* Each word of the command line single-quoted ('\'' for a quote), so
	 * GRUB's script parser takes it as it is; GRUB joins the words with
	 * spaces (and escapes quotes itself, as it would for any user). */
	n = (size_t)snprintf(cfg, sizeof(cfg), "echo 'zeropage: GRUB loading the kernel'\n"
			     "linux /zeropage/vmlinuz");
	for (const char *p = o->cmdline; *p && n + 8 < sizeof(cfg); p++) {
		if (*p == ' ')
			continue;
		n += (size_t)snprintf(cfg + n, sizeof(cfg) - n, " '");
		for (; *p && *p != ' ' && n + 8 < sizeof(cfg); p++)
			n += (size_t)snprintf(cfg + n, sizeof(cfg) - n,
					      *p == '\'' ? "'\\''" : "%c", *p);
		n += (size_t)snprintf(cfg + n, sizeof(cfg) - n, "'");
		if (!*p)
			break;
	}
	if (n + 40 >= sizeof(cfg)) {
		tool_err_set(err, "command line too long for GRUB's configuration");
		return -1;
	}
	n += (size_t)snprintf(cfg + n, sizeof(cfg) - n, "\ninitrd /zeropage/initrd\nboot\n");
	return boot_disk_write(dir, "zeropage/grub.cfg", cfg, n, err);
}

static int prepare(struct bootctx *c, const struct bootpath_req *req,
		   struct bootpath_outcome *o, char *kernel, size_t cap)
{
	bool efi = req->path == BOOTPATH_GRUB_EFI;
	struct tool_err err;

	(void)kernel;
	(void)cap;
	if (c->kernel_is_elf) {
		bootpath_set(o, VERDICT_SKIPPED, "GRUB's linux command boots a bzImage, not an ELF");
		return -1;
	}
	if (efi && path_ovmf_need_efi_stub(c, o))
		return -1;
	if (check_grub(efi, o))
		return -1;
	if (grub_cd_make(c->dir, c->grub_cd, sizeof(c->grub_cd), &err)) {
		bootpath_set(o, VERDICT_ERROR, "making GRUB's CD: %s", err.msg);
		return -1;
	}
	kernel[0] = 0;		/* no -kernel: the firmware boots the CD */
	return 0;
}

/* The CD and the disk on the machine's IDE/AHCI, the CD first in the boot
 * order; the disk through a snapshot, so nothing writes to our directory. */
static int qemu_setup(struct bootctx *c, const struct bootpath_req *req,
		      struct bootpath_outcome *o, struct qemu_opts *qo, struct bootpath_args *a)
{
	struct tool_err err;
	char dir[400];

	if (req->path == BOOTPATH_GRUB_EFI && path_ovmf_args(c, req, o, qo, a, false))
		return -1;
	if (make_disk(c, req, o, dir, sizeof(dir), &err)) {
		bootpath_set(o, VERDICT_ERROR, "GRUB's disk: %s", err.msg);
		return -1;
	}
	bootpath_arg(a, "-drive");
	bootpath_arg(a, bootpath_str(a, "file=%s,media=cdrom,if=ide,index=1,format=raw,readonly=on",
				     c->grub_cd));
	bootpath_arg(a, "-drive");
	bootpath_arg(a, bootpath_str(a, "file=fat:%s,format=raw,if=ide,index=0,snapshot=on", dir));
	bootpath_arg(a, "-boot");
	bootpath_arg(a, "d");
	qo->kernel = NULL;
	qo->extra = a->argv;
	return 0;
}

const struct bootpath_def path_grub_bios = {
	.name = "grub-bios",
	.summary = "GRUB for BIOS from a CD, its linux and initrd commands",
	.type_of_loader = 0x72,
	.bios_disks = true,	/* the CD and the disk: EDD would find them */
	.hardware_subarch = -1,
	.machines = "pc,q35",
	.na_why = "GRUB boots from a CD on pc and q35 only",
	.prepare = prepare,
	.qemu_setup = qemu_setup,
};

const struct bootpath_def path_grub_efi = {
	.name = "grub-efi",
	.summary = "GRUB for x86_64 UEFI under OVMF, its linux and initrd commands",
	.type_of_loader = 0x72,
	.hardware_subarch = -1,
	PATH_OVMF_X64_FIRMWARE,
	/* Measured with GRUB 2.06 (Debian 12) under OVMF: Debian 12's generic
	 * kernel (init_size 64 MiB) fails in 272 MiB ("error: out of memory")
	 * and boots in 288; the cloud kernel (init_size 52 MiB) boots in 256.
	 * 512 leaves room for the larger kernels of newer releases. */
	.min_mem_mib = 512,
	.min_mem_why = "GRUB for UEFI runs out of memory loading Debian's generic kernel in less "
		       "than 288M",
	.prepare = prepare,
	.qemu_setup = qemu_setup,
};
