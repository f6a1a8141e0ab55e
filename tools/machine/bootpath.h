/* SPDX-License-Identifier: MIT */
/*
 * bootpath.h - boot one kernel through one entry path and check what the
 * guest reported against what the path was asked to do.  Shared by
 * `zeropage boot` (one path) and `zeropage matrix` (all of them).
 *
 * Paths:
 *   qemu-bios     QEMU's own bzImage loader (-kernel bzImage): SeaBIOS on
 *                 pc/q35, qboot on microvm, then the 16-bit setup entry
 *   qemu-pvh      QEMU's PVH loader on the extracted vmlinux: the kernel's
 *                 own Xen PVH entry (needs XEN_ELFNOTE_PHYS32_ENTRY)
 *   shim-64/-32/-vmlinux   `zeropage bundle --entry 64|32|vmlinux`, booted
 *                 by QEMU's PVH loader: our shim builds the zero page
 *   shim-subarch  `zeropage bundle --entry 64 --handoff subarch`
 *   xen-pv        machine xen only: Xen's PV dom0 builder, the kernel's Xen
 *                 PV entry (needs XEN_ELFNOTE_ENTRY)
 *   xen-pvh       machine xen only: Xen's PVH dom0 builder, the kernel's own
 *                 PVH entry (needs XEN_ELFNOTE_PHYS32_ENTRY)
 *   ovmf          x64 UEFI (OVMF) starting the kernel's EFI stub (pc, q35)
 *   ovmf-ia32     32-bit UEFI booting the 64-bit kernel in mixed mode (q35)
 *   grub-bios     GRUB for BIOS from a CD, kernel and initrd from a disk (pc, q35)
 *   grub-efi      GRUB for x86_64 UEFI under OVMF, likewise (pc, q35)
 *   systemd-boot  systemd-boot under x64 OVMF, from an ESP with one Boot Loader
 *                 Specification entry for the kernel (or a UKI) (pc, q35)
 *   efi-handover  zeropage's own EFI loader under x64 OVMF: the kernel's
 *                 64-bit EFI handover entry (pc, q35)
 *   efi-handover-ia32  the same under 32-bit OVMF: the 32-bit handover
 *                 entry, mixed mode (q35)
 * On machine xen the shim paths are started by Xen's PVH dom0 builder, and
 * QEMU's own loaders do not apply.
 */
#ifndef ZEROPAGE_TOOLS_BOOTPATH_H
#define ZEROPAGE_TOOLS_BOOTPATH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "common/tool_err.h"
#include "report/kaslr_seen.h"
#include "report/guest_report.h"
#include "report/boot_entry.h"
#include "machine/qemu.h"
#include "image/probe_initramfs.h"

enum bootpath {
	BOOTPATH_QEMU_BIOS,
	BOOTPATH_QEMU_PVH,
	BOOTPATH_SHIM_64,
	BOOTPATH_SHIM_32,
	BOOTPATH_SHIM_VMLINUX,
	BOOTPATH_SHIM_SUBARCH,
	BOOTPATH_XEN_PV,
	BOOTPATH_XEN_PVH,
	BOOTPATH_OVMF,
	BOOTPATH_OVMF_IA32,
	BOOTPATH_GRUB_BIOS,
	BOOTPATH_GRUB_EFI,
	BOOTPATH_SYSTEMD_BOOT,
	BOOTPATH_EFI_HANDOVER,
	BOOTPATH_EFI_HANDOVER_IA32,
	BOOTPATH_COUNT
};

const char *bootpath_name(enum bootpath p);
int bootpath_parse(const char *name, enum bootpath *p);	/* 0 or -1 */

/* The machines: QEMU's pc, q35, microvm, xen (Xen under QEMU q35, the
 * kernel as dom0) and xen-domu (the same Xen, the kernel as a domU that
 * a toolstack dom0 builds: machine/xen_domu.h).  Both Xen machines are
 * "xen" to bootpath_machine_is_xen. */
bool bootpath_machine_known(const char *machine);
/* The i-th machine's name, NULL past the last: the one list every help
 * text and completion is made from (cli/names.c). */
const char *bootpath_machine_name(unsigned i);
bool bootpath_machine_is_xen(const char *machine);
bool bootpath_machine_is_xen_domu(const char *machine);

/* Whether path p can run on machine at all; why not in `why`. */
bool bootpath_applies(enum bootpath p, const char *machine, char *why, size_t cap);

/* Shared per kernel: the temporary directory and what is built once
 * (probe initramfs, extracted vmlinux).  Thread-safe after bootctx_init. */
/* The longest command line a boot passes: x86 Linux's COMMAND_LINE_SIZE
 * (2048, the NUL included), which bounds every kernel's cmdline_size. */
#define BOOTPATH_CMDLINE_MAX	2047

struct bootctx {
	const char *kernel;		/* the image the user gave; for a UKI its .linux
					   (uki_kernel), which every path but ovmf boots */
	bool kernel_is_elf;		/* a vmlinux/PVH ELF rather than a bzImage */
	uint32_t kernel_entries;	/* ZP_ENTRY_* of the image */
	bool kernel_has_pe;		/* the EFI stub's PE header */
	/* a bzImage that is not Linux (memtest86+, iPXE): no probe can run
	 * there, a boot ends soon after its first output, as "started" */
	bool kernel_not_linux;
	/* The kernel's own limits, from its image (0 / !known: it does not
	 * say): the command line's bytes (cmdline_size; for a bundle, the
	 * kernel it carries) and the least RAM it starts in (zp_image_ram_floor,
	 * without the initrd). */
	uint32_t kernel_cmdline_size;
	/* The shim's entries this kernel takes (zp_bundle_choose_entry, the
	 * rule `bundle` follows): "" where it takes it, else why not. */
	char shim_no_64[192], shim_no_32[192], shim_no_vmlinux[192];
	struct zp_ram_floor kernel_floor;
	bool kernel_floor_known;
	char linux_why[200];		/* the core's evidence, as a sentence (linux_id.h) */
	struct kernel_link link;	/* where its _text is linked (KASLR's zero) */
	char dir[256];			/* mkdtemp'ed, removed by bootctx_free */
	int dir_lock;			/* flock on dir/.zeropage-run while we live (rundir.c) */
	const char *initrd;		/* user's --initrd, or NULL for the probe */
	char probe_initrd[300];		/* the probe initramfs, when used */
	size_t probe_initrd_size;
	enum probe_arch probe_arch;	/* the probe build the kernel can run */
	char vmlinux[300];		/* extracted vmlinux ("" until needed) */
	bool vmlinux_tried, vmlinux_ok;	/* extracted and its ELF probed */
	bool vmlinux_has_pvh;
	bool vmlinux_has_xen_pv;	/* XEN_ELFNOTE_ENTRY: Xen's PV builder can start it */
	struct tool_err vmlinux_err;
	char self[4096];		/* our own binary, for extract/bundle */
	char xen[512];			/* the unpacked Xen image ("" until needed) */
	char grub_cd[600];		/* GRUB's cached CD (path_grub.c) */
	struct tool_err xen_err;
	bool xen_tried;
	/* A Unified Kernel Image (bootctx_init reads one): the ovmf path
	 * boots it whole, every other path its parts: the .linux as `kernel`,
	 * the probe (or --initrd) as the initrd, the command line after the
	 * UKI's own .cmdline (bootpath.c). */
	const char *uki;		/* the user's UKI, or NULL */
	char uki_kernel[300];		/* its .linux, written into dir */
	char *uki_cmdline;		/* its .cmdline as systemd-stub reads it, or NULL */
	bool uki_x64;			/* an x86-64 PE: x64 UEFI can start it */
	bool uki_has_initrd;
	bool uki_initrd_is_probe;	/* .initrd is byte for byte the probe initramfs */
};

int bootctx_init(struct bootctx *c, const char *kernel, const char *initrd,
		 struct tool_err *err);
/* Extracts the vmlinux once (call before starting threads). */
void bootctx_prepare_vmlinux(struct bootctx *c);
/* Runs `zeropage ARGS...` (our own binary: extract, bundle), its own
 * process group killed with us; 0, or -1 with its first error line. */
int bootctx_run_self(const struct bootctx *c, const char *const *args,
		     struct tool_err *err);
/* Finds and unpacks Xen once (call before starting threads). */
void bootctx_prepare_xen(struct bootctx *c);
void bootctx_free(struct bootctx *c);

struct bootpath_req {
	enum bootpath path;
	const char *machine;
	const char *accel;		/* resolved: tcg or kvm */
	const char *mem;		/* --mem; NULL: the default (bootpath_mem) */
	const char *append;		/* the user's, may be NULL */
	double timeout_s;
	FILE *echo;			/* stream the console here, NULL for quiet */
	unsigned id;			/* distinguishes concurrent runs' files */
	/* shim paths only: override the path's `zeropage bundle` --entry
	 * ("64", "32", "vmlinux") and --handoff ("native", "subarch") */
	const char *shim_entry, *shim_handoff;
	/* machine xen-domu: dom0's kernel (--dom0); NULL: the default
	 * (xen_domu_default_dom0) */
	const char *dom0;
};

struct bootpath_outcome {
	enum verdict verdict;
	char reason[320];		/* why, for anything but ok */
	char cmdline[BOOTPATH_CMDLINE_MAX + 1];	/* what the kernel was given via -append */
	struct qemu_result q;
	bool has_report;
	struct guest_report *report;	/* malloc'ed when has_report */
	double build_s;			/* time spent building the bundle etc. */
	struct kernel_link link;	/* the kernel's, for the report's KASLR offsets */
	char *xen_log;			/* machine xen: Xen's own "(XEN)" lines (malloc'ed);
					 * q.console then holds only dom0's output */
	char shim_added[64];		/* shim paths: what the shim's line says it added to
					   the kernel's command line ("console=hvc0"), or "" */
	/* The kernel entry the boot went through (report/boot_entry.h), and
	 * why we say so: the path's own, checked against the guest's evidence,
	 * or where a loader chose, what the evidence shows. */
	enum boot_entry entry;
	char entry_why[480];
	char *dom0_log;			/* machine xen-domu: the toolstack dom0's lines
					 * (malloc'ed); q.console holds the domU's */
	bool batch_not_run;		/* xen-domu batch: the shared boot ended before
					   this row's domU was created (xen_domu_batch.c) */
	bool initrd_foreign;		/* the guest's initrd is not the probe (a user's,
					   or a UKI's own): reaching init is enough, its
					   size is not checked */
};

/* One boot path: what it needs and which image it boots.  Each lives in a
 * file of its own (machine/path_*.c); machine/paths.c lists them in the
 * order of enum bootpath.  Adding a path: one file, one enum and one table
 * entry. */
struct bootpath_args;
struct bootpath_def {
	const char *name;
	/* One line for `--help` and `zeropage help --names paths` (cli/names.c
	 * prints it after the name, with the machines): what starts the kernel
	 * and through which of its entries. */
	const char *summary;
	unsigned type_of_loader;	/* what the kernel must see */
	int hardware_subarch;		/* set by the path's own entry; -1: unchecked */
	const char *machines;		/* where it exists: "pc,q35,microvm", "xen", ... */
	const char *na_why;		/* why it does not exist elsewhere */
	bool xen_pv;			/* on xen: Xen's PV dom0 builder, not PVH */
	const char *efi_signature;	/* EFI paths: efi_loader_signature, "EL64"/"EL32" */
	/* The kernel entry the path itself chooses (shim paths: from their
	 * --entry); BOOT_ENTRY_NONE where a loader or firmware chooses, and
	 * the row says what the evidence shows (report/boot_entry.h). */
	enum boot_entry entry;
	bool bios_disks;		/* BIOS disks attached: EDD tells the real-mode entry */
	const char *shim_entry, *shim_handoff;	/* shim paths: the bundle's */
	/* The least guest memory the path boots every Debian kernel flavour
	 * in, when more than BOOTPATH_DEFAULT_MEM_MIB (0: the default is enough),
	 * and why: bootpath_mem gives it when no --mem was asked for. */
	unsigned min_mem_mib;
	const char *min_mem_why;
	/* Puts the image to boot (QEMU's -kernel, or dom0's kernel on xen)
	 * in kernel; or returns -1 with the verdict (skipped, error) in o. */
	int (*prepare)(struct bootctx *c, const struct bootpath_req *req,
		       struct bootpath_outcome *o, char *kernel, size_t cap);
	/* Optional: the path's own QEMU arguments (firmware), kept in a; or
	 * -1 with the verdict set in o. */
	int (*qemu_setup)(struct bootctx *c, const struct bootpath_req *req,
			  struct bootpath_outcome *o, struct qemu_opts *qo,
			  struct bootpath_args *a);
};

/* Room for the arguments a path adds to QEMU's, alive for the whole run. */
struct bootpath_args {
	const char *argv[24];		/* NULL-terminated */
	int argc, nstr;
	char str[8][640];
};
/* Appends an argument (a string that outlives the run); a string formatted
 * into a's own room.  Both abort on overflow: the paths' needs are fixed. */
void bootpath_arg(struct bootpath_args *a, const char *arg);
const char *bootpath_str(struct bootpath_args *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* path_ovmf.c, for the paths that run under OVMF: the firmware is there
 * (else "skipped" in o); its flash devices added to qo (a fresh variable
 * store in the boot's directory). */
int path_ovmf_check(bool is_ia32, struct bootpath_outcome *o);
/* The image has what x64 UEFI can start (the EFI stub's PE header or its
 * 64-bit handover entry): 0, or -1 with "skipped: no EFI stub" in o. */
int path_ovmf_need_efi_stub(const struct bootctx *c, struct bootpath_outcome *o);
/* A UKI x64 UEFI can boot whole with the probe (or its own initrd): 0 (and
 * initrd_foreign set in o when its .initrd is not the probe), or -1 with
 * "skipped" and why in o. */
int path_ovmf_uki_usable(const struct bootctx *c, struct bootpath_outcome *o);
int path_ovmf_args(struct bootctx *c, const struct bootpath_req *req, struct bootpath_outcome *o,
		   struct qemu_opts *qo, struct bootpath_args *a, bool is_ia32);
/* For the paths whose loader comes from a disk of their own under OVMF
 * (systemd-boot, our EFI loader): OVMF's flash, then the directory `fill`
 * lays out in the boot's own directory, as QEMU's virtual FAT drive; the
 * kernel and initrd reach the guest only through it.  -1 with the verdict
 * in o (an error naming `what` when fill fails). */
typedef int (*path_ovmf_fill_fn)(struct bootctx *c, const struct bootpath_req *req,
				 const struct bootpath_outcome *o, char *dir, size_t cap,
				 struct tool_err *err);
int path_ovmf_fat_disk(struct bootctx *c, const struct bootpath_req *req,
		       struct bootpath_outcome *o, struct qemu_opts *qo, struct bootpath_args *a,
		       bool is_ia32, const char *what, path_ovmf_fill_fn fill);
/* What every path under OVMF states in its bootpath_def, one owner per
 * firmware: the machines it runs on, why not elsewhere, and the
 * efi_loader_signature the kernel's EFI stub leaves under it (the
 * firmware's word size, so "EL32" in mixed mode). */
#define PATH_OVMF_X64_FIRMWARE							\
	.machines = "pc,q35", .na_why = "UEFI firmware (OVMF) runs on pc and q35 only",	\
	.efi_signature = "EL64"
#define PATH_OVMF_IA32_FIRMWARE							\
	.machines = "q35",							\
	.na_why = "the 32-bit OVMF is built with SMM and a secure flash: q35 only",	\
	.efi_signature = "EL32"
extern const struct bootpath_def path_qemu_bios, path_qemu_pvh, path_shim_64,
	path_shim_32, path_shim_vmlinux, path_shim_subarch, path_xen_pv,
	path_xen_pvh, path_ovmf, path_ovmf_ia32, path_grub_bios, path_grub_efi,
	path_systemd_boot, path_efi_handover, path_efi_handover_ia32;
const struct bootpath_def *bootpath_def(enum bootpath p);

/* For path files: sets o's verdict and reason. */
void bootpath_set(struct bootpath_outcome *o, enum verdict v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* For path files: the vmlinux's notes, extracted once; -1 with the
 * verdict set when the vmlinux could not be had (an error) or lacks what
 * the path needs (`have` false: skipped, saying `missing`). */
int bootpath_need_vmlinux(struct bootctx *c, struct bootpath_outcome *o,
			  const bool *have, const char *missing);

/* A non-Linux image's boot ends this long after its first output: time
 * for a few more lines (its own error, or its screen) in the console. */
#define BOOTPATH_IMAGE_SETTLE_S	3.0

/* Guest memory when --mem is not given: enough for every path with every
 * Debian kernel flavour (cloud, generic, 686), except where a path says it
 * needs more (bootpath_def.min_mem_mib). */
#define BOOTPATH_DEFAULT_MEM_MIB	256
#define BOOTPATH_DEFAULT_MEM		"256M"

/* The one rule for a boot's memory (QEMU's -m; dom0's on xen): the user's
 * --mem as asked, else the default raised to the path's min_mem_mib.  The
 * size goes into mem; when the default was raised, note says so and why
 * (a line for the user), else note is "". */
void bootpath_mem(const struct bootpath_req *req, char *mem, size_t cap, char *note, size_t ncap);

/* Runs one boot.  Always fills o (verdict ERROR with a reason on our own
 * failures).  bootpath_outcome_free releases it. */
void bootpath_run(struct bootctx *c, const struct bootpath_req *req,
		  struct bootpath_outcome *o);
/* bootpath_run's two ends, for a machine that runs several rows in one
 * boot (xen-domu: xen_domu_run_batch): the row's command line and image
 * (o reset first; -1 with the verdict set when it cannot run), and, once
 * its console and verdict are in o, the probe's report checked. */
int bootpath_prepare(struct bootctx *c, const struct bootpath_req *req,
		     struct bootpath_outcome *o, char *kernel, size_t cap);
void bootpath_judge(const struct bootctx *c, const struct bootpath_req *req,
		    struct bootpath_outcome *o);
void bootpath_outcome_free(struct bootpath_outcome *o);

/* The entry path p enters by itself (req's shim entry taken into
 * account), or BOOT_ENTRY_NONE where a loader chooses. */
enum boot_entry bootpath_declared_entry(const struct bootpath_req *req);

/* Sets o's entry after a boot (bootpath_run calls it): "none" unless the
 * kernel was started, else the path's own entry checked against the
 * guest's report, or the evidence alone; an ok verdict becomes mismatch
 * when the evidence contradicts the path's own entry. */
void bootpath_find_entry(const struct bootpath_req *req, struct bootpath_outcome *o);

/* A command stopped by a signal while this boot ran (process_interrupted):
 * its QEMU or helper was killed, so how it ended is no verdict on the
 * kernel, unless it had already passed (ok, started) or never ran
 * (skipped, n/a): then the boot is an error saying so, after took_s.
 * Returns the signal, or 0 when none came. */
int bootpath_mark_stopped(struct bootpath_outcome *o, double took_s);

/* Expected type_of_loader for a path (each path file says why). */
unsigned bootpath_expected_loader(enum bootpath p);

/* The timeout `boot` and `matrix` use when none is given: Xen under TCG
 * boots a dom0 in 15-60 s, three times slower than a bare kernel. */
double bootpath_machine_default_timeout(const char *machine);

#endif
