/* SPDX-License-Identifier: MIT */
/*
 * path_systemd_boot.c - systemd-boot, the EFI boot manager Debian ships in
 * systemd-boot-efi, as a user's machine runs it: x64 OVMF finds an EFI
 * system partition with systemd-boot as its removable-media loader
 * (\EFI\BOOT\BOOTX64.EFI), and systemd-boot boots the one entry there
 * without showing its menu:
 *   - a Boot Loader Specification Type #1 entry
 *     (\loader\entries\zeropage.conf: `linux`, `initrd`, `options`) for a
 *     bzImage: systemd-boot LoadImages the kernel's PE image, offers the
 *     initrd through LINUX_EFI_INITRD_MEDIA_GUID and passes the options as
 *     the image's LoadOptions, then StartImage;
 *   - a Type #2 entry (\EFI\Linux\zeropage.efi) for a Unified Kernel
 *     Image: systemd-boot starts the UKI, whose systemd-stub starts the
 *     kernel with the UKI's own .initrd and .cmdline.  The command line is
 *     the UKI's alone (systemd-boot takes a Type #2 entry's options from
 *     its .cmdline), so --append and a UKI without .cmdline are skipped.
 * Which of the kernel's entries systemd-boot used is not assumed: the row
 * reports what the zero page shows (report/boot_entry.c).
 *
 * \loader\loader.conf says `timeout 0`: loader.conf(5) of systemd 252
 * boots the default entry at once with the menu hidden (a held key would
 * show it); the fresh variable store has no LoaderConfigTimeout to
 * override it.  `editor no`, `auto-entries no` and `auto-firmware no` keep
 * the menu to our entry (`default zeropage*` names it): an entry systemd-boot
 * drops (its kernel unreadable) then leaves none, and systemd-boot says "No
 * loader found" and exits, where a firmware entry would show the menu for
 * 10 s and reboot into the firmware.  Its error lines are a firmware stop's
 * reason (machine/loader_console.c).
 *
 * The ESP is QEMU's virtual FAT drive over a directory of the boot's own
 * (as the grub paths' disk), the files linked in, through a snapshot so
 * that what systemd-boot writes (its random seed) stays out of it.  OVMF
 * boots the disk's \EFI\BOOT\BOOTX64.EFI as a fixed-media boot option.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zeropage/zeropage.h>

#include "common/fileio.h"
#include "common/tool_err.h"
#include "machine/boot_disk.h"
#include "machine/bootpath.h"

/* Debian's systemd-boot-efi; $ZEROPAGE_SYSTEMD_BOOT looks elsewhere. */
static const char *loader_file(void)
{
	const char *f = getenv("ZEROPAGE_SYSTEMD_BOOT");

	return f && *f ? f : "/usr/lib/systemd/boot/efi/systemd-bootx64.efi";
}

static int prepare(struct bootctx *c, const struct bootpath_req *req,
		   struct bootpath_outcome *o, char *kernel, size_t cap)
{
	if (c->kernel_is_elf) {
		bootpath_set(o, VERDICT_SKIPPED, "systemd-boot starts a bzImage's EFI stub, not an ELF");
		return -1;
	}
	if (c->uki) {
		if (path_ovmf_uki_usable(c, o))
			return -1;
		if (!c->uki_cmdline) {
			bootpath_set(o, VERDICT_SKIPPED, "a Type #2 entry's command line is the UKI's "
				     ".cmdline, and it has none");
			return -1;
		}
		if (req->append && *req->append) {
			bootpath_set(o, VERDICT_SKIPPED, "a Type #2 entry boots with the UKI's own "
				     ".cmdline: --append cannot reach the kernel");
			return -1;
		}
		/* what the kernel is given: the UKI's line, nothing of ours */
		snprintf(o->cmdline, sizeof(o->cmdline), "%s", c->uki_cmdline);
	} else if (!c->kernel_has_pe) {
		/* a handover entry alone will not do: systemd-boot 252 only
		 * LoadImages a Type #1 entry's kernel */
		bootpath_set(o, VERDICT_SKIPPED, "no EFI stub PE header: systemd-boot starts the "
			     "kernel with LoadImage");
		return -1;
	}
	if (access(loader_file(), R_OK)) {
		bootpath_set(o, VERDICT_SKIPPED, "%s missing (install systemd-boot-efi)", loader_file());
		return -1;
	}
	if (path_ovmf_check(false, o))
		return -1;
	kernel[0] = 0;		/* no -kernel: the firmware boots the ESP */
	(void)cap;
	return 0;
}

/* The ESP's folders, each removed however we end (deepest first). */
static int make_dirs(const char *esp, struct tool_err *err)
{
	static const char *const sub[] = { "EFI", "EFI/BOOT", "EFI/Linux", "loader",
					   "loader/entries", "zeropage" };

	process_cleanup_on_signal(esp);
	for (size_t i = 0; i < sizeof(sub) / sizeof(sub[0]); i++)
		if (boot_disk_mkdir(esp, sub[i], err))
			return -1;
	return 0;
}

/* The ESP: systemd-boot, loader.conf, and the entry (see the top). */
static int make_esp(struct bootctx *c, const struct bootpath_req *req,
		    const struct bootpath_outcome *o, char *esp, size_t cap, struct tool_err *err)
{
	static const char conf[] = "timeout 0\neditor no\nauto-entries no\n"
				   "auto-firmware no\ndefault zeropage*\n";
	char entry[BOOTPATH_CMDLINE_MAX + 256];

	snprintf(esp, cap, "%s/esp-%u", c->dir, req->id);
	if (make_dirs(esp, err) || boot_disk_link(esp, "EFI/BOOT/BOOTX64.EFI", loader_file(), err) ||
	    boot_disk_write(esp, "loader/loader.conf", conf, strlen(conf), err))
		return -1;
	if (c->uki)
		return boot_disk_link(esp, "EFI/Linux/zeropage.efi", c->uki, err);
	if (strchr(o->cmdline, '\n')) {
		tool_err_set(err, "a command line with a newline cannot be a Type #1 entry's options");
		return -1;
	}
	int n = snprintf(entry, sizeof(entry), "title zeropage\nlinux /zeropage/vmlinuz\n"
			 "initrd /zeropage/initrd\noptions %s\n", o->cmdline);
	if (n < 0 || (size_t)n >= sizeof(entry)) {
		tool_err_set(err, "command line too long for the entry");
		return -1;
	}
	return boot_disk_link(esp, "zeropage/vmlinuz", c->kernel, err) ||
	       boot_disk_link(esp, "zeropage/initrd", c->initrd ? c->initrd : c->probe_initrd, err) ||
	       boot_disk_write(esp, "loader/entries/zeropage.conf", entry, (size_t)n, err);
}

static int qemu_setup(struct bootctx *c, const struct bootpath_req *req,
		      struct bootpath_outcome *o, struct qemu_opts *qo, struct bootpath_args *a)
{
	return path_ovmf_fat_disk(c, req, o, qo, a, false, "the ESP", make_esp);
}

const struct bootpath_def path_systemd_boot = {
	.name = "systemd-boot",
	.summary = "systemd-boot under x64 OVMF: one Boot Loader Specification entry (Type #2 for a UKI)",
	/* measured: systemd-boot 252 LoadImage/StartImages the kernel, whose
	 * PE entry writes 0x21 (its entry is reported from the evidence) */
	.type_of_loader = 0x21,
	.hardware_subarch = -1,
	PATH_OVMF_X64_FIRMWARE,
	.prepare = prepare,
	.qemu_setup = qemu_setup,
};
