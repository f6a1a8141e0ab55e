/* SPDX-License-Identifier: MIT */
/*
 * path_efi_handover.c - the kernel's EFI handover entries, entered by
 * zeropage's own EFI loader (efi/handover.c, embedded in this program)
 * under Debian's OVMF:
 *   efi-handover       x64 firmware: the 64-bit handover entry,
 *                      startup_64 + handover_offset (efi64_stub_entry),
 *                      "EL64" (pc, q35);
 *   efi-handover-ia32  32-bit firmware and a 64-bit kernel: the 32-bit
 *                      handover entry, startup_32 + handover_offset
 *                      (efi32_stub_entry, mixed mode), "EL32" (q35: the
 *                      32-bit OVMF Debian ships needs SMM, path_ovmf.c).
 * These are other code in the kernel than the PE entry the `ovmf` path
 * takes (efi_pe_entry; on ia32 firmware OVMF itself falls back to the
 * 32-bit handover, but with QEMU's zero page, not a loader's).
 *
 * The firmware boots our loader from a FAT disk by the removable-media
 * path (EFI/BOOT/BOOTX64.EFI or BOOTIA32.EFI); beside it, zeropage/vmlinuz,
 * zeropage/initrd and zeropage/cmdline, which the loader reads from its own
 * volume.  The loader claims no boot loader ID: type_of_loader 0xff.
 *
 * Before booting, the kernel is judged as the loader will judge it
 * (zp_efi_handover_plan): a kernel without a handover entry for the
 * firmware's width is skipped with the reason, not booted into a refusal.
 * ZEROPAGE_EFI_HANDOVER_NO_CHECK=1 boots it anyway, so that the tests
 * see the loader's own refusal on the console.
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

/* The loaders, embedded by efi/embed.S (empty when built without gnu-efi). */
extern const uint8_t efi_handover_app_x64_start[], efi_handover_app_x64_end[];
extern const uint8_t efi_handover_app_ia32_start[], efi_handover_app_ia32_end[];

static bool is_ia32(const struct bootpath_req *req)
{
	return req->path == BOOTPATH_EFI_HANDOVER_IA32;
}

static const uint8_t *loader_app(bool ia32, size_t *len)
{
	*len = ia32 ? (size_t)(efi_handover_app_ia32_end - efi_handover_app_ia32_start) :
		      (size_t)(efi_handover_app_x64_end - efi_handover_app_x64_start);
	return ia32 ? efi_handover_app_ia32_start : efi_handover_app_x64_start;
}

/* The kernel's handover entry for this firmware, as the loader will
 * decide it: 0, or -1 with the verdict in o. */
static int check_handover(const struct bootctx *c, bool ia32, struct bootpath_outcome *o)
{
	const char *force = getenv("ZEROPAGE_EFI_HANDOVER_NO_CHECK");
	struct zp_handover_plan plan;
	struct zp_bzimage bz;
	struct zp_diag diag;
	struct tool_err err;
	uint8_t *data;
	size_t len;
	int r;

	if (force && !strcmp(force, "1"))
		return 0;
	if (fileio_read_all(c->kernel, &data, &len, &err)) {
		bootpath_set(o, VERDICT_ERROR, "%s", err.msg);
		return -1;
	}
	r = zp_probe_bzimage(data, len, &bz);
	if (!r)
		r = zp_efi_handover_plan(&bz, ia32 ? 32 : 64, &plan, &diag);
	else
		snprintf(diag.msg, sizeof(diag.msg), "%s", zp_strerror(r));
	free(data);
	if (r) {
		bootpath_set(o, VERDICT_SKIPPED, "EFI handover: %s", diag.msg);
		return -1;
	}
	return 0;
}

static int prepare(struct bootctx *c, const struct bootpath_req *req,
		   struct bootpath_outcome *o, char *kernel, size_t cap)
{
	size_t app_len;

	(void)cap;
	if (c->kernel_is_elf) {
		bootpath_set(o, VERDICT_SKIPPED, "the EFI handover enters a bzImage's EFI stub, "
			     "not an ELF");
		return -1;
	}
	if (check_handover(c, is_ia32(req), o) || path_ovmf_check(is_ia32(req), o))
		return -1;
	if (!loader_app(is_ia32(req), &app_len) || app_len == 0) {
		bootpath_set(o, VERDICT_SKIPPED, "zeropage was built without gnu-efi: no EFI "
			     "loader (install gnu-efi and rebuild)");
		return -1;
	}
	kernel[0] = 0;		/* no -kernel: the firmware boots our loader's disk */
	return 0;
}

/* The boot's disk: DIR/EFI/BOOT/BOOT{X64,IA32}.EFI, DIR/zeropage/{vmlinuz,
 * initrd,cmdline}. */
static int make_disk(struct bootctx *c, const struct bootpath_req *req,
		     const struct bootpath_outcome *o, char *dir, size_t cap, struct tool_err *err)
{
	bool ia32 = is_ia32(req);
	size_t app_len;
	const uint8_t *app = loader_app(ia32, &app_len);

	snprintf(dir, cap, "%s/handover-disk-%u", c->dir, req->id);
	process_cleanup_on_signal(dir);
	return boot_disk_mkdir(dir, "EFI", err) || boot_disk_mkdir(dir, "EFI/BOOT", err) ||
	       boot_disk_mkdir(dir, "zeropage", err) ||
	       boot_disk_write(dir, ia32 ? "EFI/BOOT/BOOTIA32.EFI" : "EFI/BOOT/BOOTX64.EFI",
			       app, app_len, err) ||
	       boot_disk_link(dir, "zeropage/vmlinuz", c->kernel, err) ||
	       boot_disk_link(dir, "zeropage/initrd", c->initrd ? c->initrd : c->probe_initrd, err) ||
	       boot_disk_write(dir, "zeropage/cmdline", o->cmdline, strlen(o->cmdline), err) ? -1 : 0;
}

/* The firmware, and our disk on the machine's IDE/AHCI through a
 * snapshot, so nothing writes to our directory. */
static int qemu_setup(struct bootctx *c, const struct bootpath_req *req,
		      struct bootpath_outcome *o, struct qemu_opts *qo, struct bootpath_args *a)
{
	return path_ovmf_fat_disk(c, req, o, qo, a, is_ia32(req), "the EFI loader's disk", make_disk);
}

const struct bootpath_def path_efi_handover = {
	.name = "efi-handover",
	.summary = "zeropage's EFI loader under x64 OVMF: the kernel's 64-bit EFI handover entry",
	.entry = BOOT_ENTRY_EFI_HANDOVER_64,
	.type_of_loader = ZP_LOADER_UNDEFINED,
	.hardware_subarch = -1,
	PATH_OVMF_X64_FIRMWARE,
	.prepare = prepare,
	.qemu_setup = qemu_setup,
};

const struct bootpath_def path_efi_handover_ia32 = {
	.name = "efi-handover-ia32",
	.summary = "the same under 32-bit OVMF: the 32-bit handover entry, mixed mode",
	.entry = BOOT_ENTRY_EFI_HANDOVER_32,
	.type_of_loader = ZP_LOADER_UNDEFINED,
	.hardware_subarch = -1,
	PATH_OVMF_IA32_FIRMWARE,
	.prepare = prepare,
	.qemu_setup = qemu_setup,
};
