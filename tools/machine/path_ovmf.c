/* SPDX-License-Identifier: MIT */
/*
 * path_ovmf.c - UEFI firmware (Debian's OVMF, EDK II for QEMU) loading the
 * kernel that QEMU hands it through fw_cfg (-kernel, -initrd, -append), as
 * a distribution's firmware boot entry would:
 *   ovmf       x64 firmware: LoadImage on the kernel's PE/COFF header, so
 *              the EFI stub runs (efi_pe_entry), builds its own zero page
 *              and says type_of_loader 0x21 and "EL64";
 *   ovmf-ia32  32-bit firmware and a 64-bit kernel: LoadImage refuses the
 *              x64 image, and OVMF falls back to the 32-bit EFI handover
 *              entry (XLF_EFI_HANDOVER_32) with the setup header QEMU
 *              prepared (type_of_loader 0xb0): mixed mode, "EL32".
 * The firmware's variable store is written by the firmware, so each boot
 * gets a fresh copy.  The 32-bit build Debian ships is the Secure Boot one,
 * which needs SMM and a secure flash: q35 only.
 *
 * A Unified Kernel Image boots whole on `ovmf`: QEMU hands the UKI itself
 * to the firmware (-kernel), which LoadImages it as it would BOOTX64.EFI,
 * and systemd-stub then starts the kernel in its .linux with its own
 * .initrd (through LINUX_EFI_INITRD_MEDIA_GUID) and, as the command line,
 * the image's LoadOptions, which is our -append: systemd-stub uses
 * LoadOptions instead of .cmdline unless Secure Boot is on and the UKI has
 * a .cmdline (use_load_options() in src/boot/stub.c; Debian's x64 OVMF
 * does not enforce Secure Boot).  bootpath.c puts the UKI's .cmdline first
 * in that line, so the kernel sees the UKI's line with ours after it.  The
 * initrd can only be the UKI's own: QEMU refuses -initrd for a -kernel that
 * is not a bzImage ("linux kernel too old to load a ram disk"), and
 * systemd-stub would not register its own initrd over another.  So a UKI
 * without .initrd, or a boot asked for with --initrd, is skipped; and a UKI
 * whose .initrd is not the probe initramfs passes on reaching init, as a
 * user's initrd does.  systemd-stub starts the kernel's EFI stub by its PE
 * entry, so the zero page says 0x21 and "EL64" as for a plain bzImage.
 * `ovmf-ia32` boots a UKI's parts (its .linux by the 32-bit handover, as
 * above): a 32-bit firmware cannot start the x64 systemd-stub.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zeropage/zeropage.h>

#include "common/fileio.h"
#include "common/tool_err.h"
#include "machine/bootpath.h"

/* Debian's files; $ZEROPAGE_OVMF_DIR looks elsewhere. */
struct firmware {
	const char *code, *vars, *package;
	bool smm;
};

static const struct firmware x64 = { "OVMF_CODE_4M.fd", "OVMF_VARS_4M.fd", "ovmf", false };
static const struct firmware ia32 = {
	"OVMF32_CODE_4M.secboot.fd", "OVMF32_VARS_4M.fd", "ovmf-ia32", true,
};

static const struct firmware *firmware_of(const struct bootpath_req *req)
{
	return req->path == BOOTPATH_OVMF_IA32 ? &ia32 : &x64;
}

static void firmware_file(const char *name, char *out, size_t cap)
{
	const char *dir = getenv("ZEROPAGE_OVMF_DIR");

	snprintf(out, cap, "%s/%s", dir && *dir ? dir : "/usr/share/OVMF", name);
}

/* The firmware's files are there: 0, or -1 with "skipped" in o. */
int path_ovmf_check(bool is_ia32, struct bootpath_outcome *o)
{
	const struct firmware *fw = is_ia32 ? &ia32 : &x64;
	char code[320], vars[320];

	firmware_file(fw->code, code, sizeof(code));
	firmware_file(fw->vars, vars, sizeof(vars));
	if (access(code, R_OK) == 0 && access(vars, R_OK) == 0)
		return 0;
	bootpath_set(o, VERDICT_SKIPPED, "%s: firmware not installed (install %s)",
		     access(code, R_OK) ? code : vars, fw->package);
	return -1;
}

int path_ovmf_need_efi_stub(const struct bootctx *c, struct bootpath_outcome *o)
{
	if (c->kernel_has_pe || (c->kernel_entries & ZP_ENTRY_EFI64))
		return 0;
	bootpath_set(o, VERDICT_SKIPPED, "no EFI stub (no PE header, no 64-bit EFI handover)");
	return -1;
}

int path_ovmf_uki_usable(const struct bootctx *c, struct bootpath_outcome *o)
{
	if (!c->uki_x64) {
		bootpath_set(o, VERDICT_SKIPPED, "the UKI is not an x86-64 PE: x64 UEFI does not "
			     "start it");
		return -1;
	}
	if (!c->uki_has_initrd) {
		bootpath_set(o, VERDICT_SKIPPED, "the UKI has no .initrd, and QEMU hands an initrd "
			     "only to a bzImage: the probe cannot go with it");
		return -1;
	}
	if (c->initrd) {
		bootpath_set(o, VERDICT_SKIPPED, "booted whole, the UKI brings its own .initrd: "
			     "--initrd cannot replace it");
		return -1;
	}
	o->initrd_foreign = !c->uki_initrd_is_probe;
	return 0;
}

/* The UKI as the image the firmware starts (see the top of the file). */
static int prepare_uki(struct bootctx *c, struct bootpath_outcome *o, char *kernel, size_t cap)
{
	if (path_ovmf_uki_usable(c, o) || path_ovmf_check(false, o))
		return -1;
	snprintf(kernel, cap, "%s", c->uki);
	return 0;
}

static int prepare(struct bootctx *c, const struct bootpath_req *req,
		   struct bootpath_outcome *o, char *kernel, size_t cap)
{
	const struct firmware *fw = firmware_of(req);

	if (c->kernel_is_elf) {
		bootpath_set(o, VERDICT_SKIPPED, "UEFI boots a bzImage's EFI stub, not an ELF");
		return -1;
	}
	if (fw == &x64 && c->uki)
		return prepare_uki(c, o, kernel, cap);
	if (fw == &x64 && path_ovmf_need_efi_stub(c, o))
		return -1;
	if (fw == &ia32 && !(c->kernel_entries & ZP_ENTRY_EFI32)) {
		bootpath_set(o, VERDICT_SKIPPED, "no 32-bit EFI entry (XLF_EFI_HANDOVER_32)");
		return -1;
	}
	if (path_ovmf_check(fw == &ia32, o))
		return -1;
	snprintf(kernel, cap, "%s", c->kernel);
	return 0;
}

/* The firmware as two flash devices: the code read-only, a fresh copy of
 * the variable store writable. */
int path_ovmf_args(struct bootctx *c, const struct bootpath_req *req, struct bootpath_outcome *o,
		   struct qemu_opts *qo, struct bootpath_args *a, bool is_ia32)
{
	const struct firmware *fw = is_ia32 ? &ia32 : &x64;
	struct tool_err err;
	char code[320], store[320], vars[320];
	uint8_t *data;
	size_t len;

	firmware_file(fw->code, code, sizeof(code));
	firmware_file(fw->vars, store, sizeof(store));
	snprintf(vars, sizeof(vars), "%s/vars-%u.fd", c->dir, req->id);
	process_cleanup_on_signal(vars);
	int r = fileio_read_all(store, &data, &len, &err);
	if (r == 0) {
		r = fileio_write_atomic(vars, data, len, 0600, &err);
		free(data);
	}
	if (r) {
		bootpath_set(o, VERDICT_ERROR, "firmware variable store: %s", err.msg);
		return -1;
	}
	bootpath_arg(a, "-drive");
	bootpath_arg(a, bootpath_str(a, "if=pflash,format=raw,unit=0,readonly=on,file=%s", code));
	bootpath_arg(a, "-drive");
	bootpath_arg(a, bootpath_str(a, "if=pflash,format=raw,unit=1,file=%s", vars));
	if (fw->smm) {
		qo->machine = bootpath_str(a, "%s,smm=on", req->machine);
		bootpath_arg(a, "-global");
		bootpath_arg(a, "driver=cfi.pflash01,property=secure,value=on");
	}
	qo->extra = a->argv;
	return 0;
}

int path_ovmf_fat_disk(struct bootctx *c, const struct bootpath_req *req,
		       struct bootpath_outcome *o, struct qemu_opts *qo, struct bootpath_args *a,
		       bool is_ia32, const char *what, path_ovmf_fill_fn fill)
{
	struct tool_err err;
	char dir[400];

	if (path_ovmf_args(c, req, o, qo, a, is_ia32))
		return -1;
	if (fill(c, req, o, dir, sizeof(dir), &err)) {
		bootpath_set(o, VERDICT_ERROR, "%s: %s", what, err.msg);
		return -1;
	}
	/* snapshot=on: the guest's writes (systemd-boot's random seed, say)
	 * stay in QEMU, never in our directory */
	bootpath_arg(a, "-drive");
	bootpath_arg(a, bootpath_str(a, "file=fat:%s,format=raw,if=ide,index=0,snapshot=on", dir));
	qo->kernel = NULL;
	qo->initrd = NULL;
	qo->extra = a->argv;
	return 0;
}

static int qemu_setup(struct bootctx *c, const struct bootpath_req *req,
		      struct bootpath_outcome *o, struct qemu_opts *qo, struct bootpath_args *a)
{
	if (firmware_of(req) == &x64 && c->uki)
		qo->initrd = NULL;	/* the UKI's own .initrd: prepare_uki() */
	return path_ovmf_args(c, req, o, qo, a, firmware_of(req) == &ia32);
}

const struct bootpath_def path_ovmf = {
	.name = "ovmf",
	.summary = "x64 UEFI (Debian's OVMF) starting the kernel's EFI stub",
	.type_of_loader = 0x21,
	.hardware_subarch = -1,
	PATH_OVMF_X64_FIRMWARE,
	.prepare = prepare,
	.qemu_setup = qemu_setup,
};

const struct bootpath_def path_ovmf_ia32 = {
	.name = "ovmf-ia32",
	.summary = "32-bit UEFI booting the 64-bit kernel in mixed mode",
	.type_of_loader = 0xb0,
	.hardware_subarch = -1,
	PATH_OVMF_IA32_FIRMWARE,
	.prepare = prepare,
	.qemu_setup = qemu_setup,
};
