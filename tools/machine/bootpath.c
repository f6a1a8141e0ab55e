/* SPDX-License-Identifier: MIT */
/*
 * bootpath.c - one boot: the path prepares its image (machine/path_*.c),
 * the machine is set up (QEMU's, or Xen under QEMU), the guest runs to a
 * verdict, and the probe's report is checked against what the path was
 * asked to give.  See bootpath.h.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <zeropage/zeropage.h>

#include "common/clock.h"
#include "common/tool_err.h"
#include "machine/accel.h"
#include "machine/bootpath.h"
#include "machine/process.h"
#include "machine/loader_console.h"
#include "machine/xen_domu.h"
#include "machine/xen_machine.h"

void bootpath_set(struct bootpath_outcome *o, enum verdict v, const char *fmt, ...)
{
	va_list ap;
	o->verdict = v;
	va_start(ap, fmt);
	vsnprintf(o->reason, sizeof(o->reason), fmt, ap);
	va_end(ap);
}

enum boot_entry bootpath_declared_entry(const struct bootpath_req *req)
{
	const struct bootpath_def *d = bootpath_def(req->path);
	const char *shim = req->shim_entry ? req->shim_entry : d->shim_entry;

	if (!shim)
		return d->entry;
	return !strcmp(shim, "32") ? BOOT_ENTRY_BOOT_PROTOCOL_32 :
	       !strcmp(shim, "vmlinux") ? BOOT_ENTRY_VMLINUX_64 : BOOT_ENTRY_BOOT_PROTOCOL_64;
}

/* The entry the boot went through (see bootpath_outcome.entry); with a
 * report, a contradiction of the path's own entry is a mismatch. */
void bootpath_find_entry(const struct bootpath_req *req, struct bootpath_outcome *o)
{
	enum boot_entry declared = bootpath_declared_entry(req);
	bool contradicts = false;

	if (o->verdict == VERDICT_SKIPPED || o->verdict == VERDICT_NA ||
	    o->verdict == VERDICT_ERROR) {
		o->entry = BOOT_ENTRY_NONE;
		snprintf(o->entry_why, sizeof(o->entry_why), "the kernel was not started");
		return;
	}
	if (!o->has_report || !o->report->has_bootparams) {
		o->entry = declared != BOOT_ENTRY_NONE ? declared : BOOT_ENTRY_UNKNOWN;
		snprintf(o->entry_why, sizeof(o->entry_why), "%s; no zero page from the guest to check",
			 declared != BOOT_ENTRY_NONE ? "the path's own" : "the loader chose");
		return;
	}
	struct boot_entry_evidence ev = {
		.zero_page = o->report->bootparams, .efi = o->report->efi != 0,
		.stub_lines = boot_entry_stub_lines(o->q.console, o->q.console_len),
		.bios_disks = bootpath_def(req->path)->bios_disks,
	};
	o->entry = boot_entry_decide(declared, &ev, &contradicts, o->entry_why, sizeof(o->entry_why));
	if (contradicts && o->verdict == VERDICT_OK)
		bootpath_set(o, VERDICT_MISMATCH, "entry: %.280s", o->entry_why);
}

/* What the probe saw against what this path was asked to give. */
static void check_report(const struct bootctx *c, const struct bootpath_req *req,
			 struct bootpath_outcome *o)
{
	const struct guest_report *r = o->report;
	if (!strstr(r->cmdline, o->cmdline)) {
		bootpath_set(o, VERDICT_MISMATCH, "/proc/cmdline '%.100s' lacks '%.100s'",
		    r->cmdline, o->cmdline);
		return;
	}
	/* a user's initrd (even a probe one) has a size we did not choose */
	if (!o->initrd_foreign && r->initrd != (int64_t)c->probe_initrd_size) {
		bootpath_set(o, VERDICT_MISMATCH, "initrd %lld bytes, the probe initramfs has %zu",
		    (long long)r->initrd, c->probe_initrd_size);
		return;
	}
	if (!r->has_bootparams) {
		bootpath_set(o, VERDICT_MISMATCH, "the probe could not read boot_params");
		return;
	}
	unsigned loader = (unsigned)zero_page_get(r->bootparams, "type_of_loader");
	unsigned want = bootpath_expected_loader(req->path);
	if (loader != want) {
		bootpath_set(o, VERDICT_MISMATCH, "type_of_loader 0x%02x, expected 0x%02x", loader, want);
		return;
	}
	uint64_t sd = zero_page_get(r->bootparams, "hardware_subarch_data");
	const struct bootpath_def *d = bootpath_def(req->path);
	const char *handoff = req->shim_handoff ? req->shim_handoff : d->shim_handoff;
	bool want_sd = handoff && !strcmp(handoff, "subarch");
	if ((sd != 0) != want_sd) {
		bootpath_set(o, VERDICT_MISMATCH, "hardware_subarch_data 0x%llx, expected %s",
		    (unsigned long long)sd, want_sd ? "nonzero" : "0");
		return;
	}
	/* EFI paths: the kernel ran on EFI, and the stub or handover said which */
	char sig[5];
	zero_page_efi_signature(r->bootparams, sig);
	if (d->efi_signature && r->efi == 0) {
		bootpath_set(o, VERDICT_MISMATCH, "no /sys/firmware/efi: the kernel did not run on EFI");
		return;
	}
	if (d->efi_signature && strcmp(sig, d->efi_signature)) {
		bootpath_set(o, VERDICT_MISMATCH, "efi_loader_signature '%s', expected '%s'", sig,
			     d->efi_signature);
		return;
	}
	/* Xen's PV entry says X86_SUBARCH_XEN itself; the subarch handoff
	 * must name Xen exactly when it runs on Xen. */
	unsigned subarch = (unsigned)zero_page_get(r->bootparams, "hardware_subarch");
	bool xen = bootpath_machine_is_xen(req->machine);
	int want_subarch = d->hardware_subarch >= 0 ? d->hardware_subarch :
			   want_sd ? (xen ? ZP_SUBARCH_XEN : ZP_SUBARCH_PC) : -1;
	if (want_subarch >= 0 && subarch != (unsigned)want_subarch)
		bootpath_set(o, VERDICT_MISMATCH, "hardware_subarch %u, expected %d (%s)", subarch,
		    want_subarch, want_subarch == ZP_SUBARCH_XEN ? "X86_SUBARCH_XEN" : "X86_SUBARCH_PC");
}

/* What we add to every command line, and why:
 *  console=ttyS0  the first UART, which QEMU connects to our pipe on every
 *                 machine (microvm's ISA serial included);
 *  reboot=t       restart by triple fault, which every machine turns into a
 *                 reset and -no-reboot into QEMU's exit; on microvm the
 *                 ACPI/keyboard methods fail and the BIOS fallback re-runs
 *                 qboot, which boots the kernel again (QEMU's microvm
 *                 documentation recommends reboot=t);
 *  tsc_early_khz  microvm under TCG only: with no HPET or PM timer the
 *                 kernel can only calibrate the TSC against the PIT, which
 *                 fails on a loaded host and then hangs the boot ("tsc:
 *                 Unable to calibrate against PIT").  Under TCG the guest
 *                 TSC is the host's, so we state its rate.
 * On xen, COM1 is Xen's: dom0 speaks through Xen's console hypercall.
 *  console=hvc0, earlyprintk=xen   Xen's console, from the first message
 *                 (hvc0 works only in kernels built with CONFIG_XEN_DOM0;
 *                 the early console works in any Xen-aware kernel); the
 *                 shim paths leave console=hvc0 to the shim, which adds it
 *                 on Xen to a line that names no console (lib/shim_plan.c)
 *                 and says so, so what a user's own `xl`/Xen boot of a
 *                 bundle gets is what is checked here;
 *  zeropage.probe=kmsg, printk.devkmsg=on   the probe's report also goes
 *                 through the kernel log, unthrottled (probe/init.c).
 * A UKI's own .cmdline comes first, on every path: the ovmf path hands the
 * whole line to systemd-stub, which uses it instead of .cmdline (path_ovmf.c),
 * so the kernel sees the UKI's line with ours after it either way.
 * On xen-domu the kernel is a domU: its hvc0 is xenconsoled's, which any
 * Xen-aware kernel has (no CONFIG_XEN_DOM0 needed), and dom0 forwards it. */
static int base_cmdline(const struct bootctx *c, const struct bootpath_req *req,
			struct bootpath_outcome *o)
{
	char base[160];
	unsigned long khz = 0;

	if (bootpath_machine_is_xen_domu(req->machine))	/* the shim entries: the shim's */
		snprintf(base, sizeof(base), "%sreboot=t",
			 bootpath_def(req->path)->shim_entry ? "" : "console=hvc0 ");
	else if (bootpath_machine_is_xen(req->machine))
		snprintf(base, sizeof(base), "%searlyprintk=xen printk.devkmsg=on "
			 "zeropage.probe=kmsg reboot=t",
			 bootpath_def(req->path)->shim_entry ? "" : "console=hvc0 ");
	else if (!strcmp(req->machine, "microvm") && !strcmp(req->accel, "tcg") &&
		 (khz = accel_host_tsc_khz()) != 0)
		snprintf(base, sizeof(base), "console=ttyS0 reboot=t tsc_early_khz=%lu", khz);
	else
		snprintf(base, sizeof(base), "console=ttyS0 reboot=t");
	size_t n = (size_t)snprintf(o->cmdline, sizeof(o->cmdline), "%s%s%s%s%s",
				    c->uki_cmdline ? c->uki_cmdline : "", c->uki_cmdline ? " " : "",
				    base, req->append && *req->append ? " " : "",
				    req->append ? req->append : "");
	/* the kernel's own limit first: it is the one the user can act on */
	if (c->kernel_cmdline_size && n > c->kernel_cmdline_size) {
		bootpath_set(o, VERDICT_ERROR, "command line of %zu bytes%s is longer than the "
			     "kernel takes: cmdline_size %u in its setup header", n,
			     c->uki_cmdline ? " (the UKI's .cmdline and ours)" : "",
			     c->kernel_cmdline_size);
		return -1;
	}
	if (n >= sizeof(o->cmdline)) {
		bootpath_set(o, VERDICT_ERROR, "command line of %zu bytes%s is too long (at most %zu, "
			     "x86 Linux's COMMAND_LINE_SIZE)", n,
			     c->uki_cmdline ? " (the UKI's .cmdline and ours)" : "",
			     sizeof(o->cmdline) - 1);
		return -1;
	}
	return 0;
}

/* The row's guest memory against the least the kernel starts in: below
 * it the decompressor has no room and the guest stops before its first
 * byte (or QEMU's firmware has none and QEMU aborts), which says nothing
 * of the cause.  0, or -1 with the row an error naming both sizes. */
static int check_mem(const struct bootctx *c, const struct bootpath_req *req,
		     struct bootpath_outcome *o)
{
	char mem[32], note[256];
	struct zp_ram_floor f = c->kernel_floor;
	uint64_t initrd = 0;
	struct stat st;

	if (!c->kernel_floor_known)
		return 0;
	if (c->initrd)
		initrd = stat(c->initrd, &st) == 0 ? (uint64_t)st.st_size : 0;
	else if (!c->kernel_not_linux)
		initrd = c->probe_initrd_size;
	if (zp_ram_floor_add_initrd(&f, initrd) != ZP_OK)
		return 0;	/* an initrd no guest holds: QEMU says so */
	bootpath_mem(req, mem, sizeof(mem), note, sizeof(note));
	if (qemu_mem_mib(mem) * 1048576.0 >= (double)f.bytes)
		return 0;
	bootpath_set(o, VERDICT_ERROR, "%s of guest memory is less than the kernel starts in: "
		     "%llu MiB (it runs at 0x%llx-0x%llx: %s%s); give --mem %lluM or more", mem,
		     (unsigned long long)((f.bytes + 1048575) >> 20),
		     (unsigned long long)f.kernel_start, (unsigned long long)f.kernel_end, f.why,
		     f.initrd ? ", then the initrd's pages" : "",
		     (unsigned long long)((f.bytes + 1048575) >> 20));
	return -1;
}

int bootpath_need_vmlinux(struct bootctx *c, struct bootpath_outcome *o,
			  const bool *have, const char *missing)
{
	bootctx_prepare_vmlinux(c);
	if (!c->vmlinux_ok && c->kernel_not_linux) {	/* not ours to fail: nothing to extract */
		bootpath_set(o, VERDICT_SKIPPED, "no vmlinux in it (%s)", c->linux_why);
		return -1;
	}
	if (!c->vmlinux_ok) {
		bootpath_set(o, VERDICT_ERROR, "%s", c->vmlinux_err.msg);
		return -1;
	}
	if (!*have) {
		bootpath_set(o, VERDICT_SKIPPED, "%s", missing);
		return -1;
	}
	return 0;
}

/* The image the path boots, or -1 with the verdict set when it cannot. */
static int prepare_kernel(struct bootctx *c, const struct bootpath_req *req,
			  struct bootpath_outcome *o, char *kernel, size_t cap)
{
	char why[160];

	if (!bootpath_applies(req->path, req->machine, why, sizeof(why))) {
		bootpath_set(o, VERDICT_NA, "%s", why);
		return -1;
	}
	return bootpath_def(req->path)->prepare(c, req, o, kernel, cap);
}

void bootpath_mem(const struct bootpath_req *req, char *mem, size_t cap, char *note, size_t ncap)
{
	const struct bootpath_def *d = bootpath_def(req->path);

	note[0] = 0;
	if (req->mem) {		/* the user's, even if the path wants more */
		snprintf(mem, cap, "%s", req->mem);
		return;
	}
	if (d->min_mem_mib <= BOOTPATH_DEFAULT_MEM_MIB) {
		snprintf(mem, cap, "%s", BOOTPATH_DEFAULT_MEM);
		return;
	}
	snprintf(mem, cap, "%uM", d->min_mem_mib);
	snprintf(note, ncap, "%s gets %s of guest memory, not the default %s: %s (--mem sets it)",
		 d->name, mem, BOOTPATH_DEFAULT_MEM, d->min_mem_why);
}

/* The xen machine: QEMU's q35 loads Xen by multiboot, dom0's kernel and
 * initrd as its modules.  The PVH dom0 builder runs dom0 in an HVM
 * container, which under TCG needs SVM with nested paging, and Xen refuses
 * PVH dom0 without an IOMMU; the PV builder needs neither (and the PV dom0
 * breaks on `-cpu max`).  The rest of the machine is Xen's own: dom0 gets
 * the memory asked for, QEMU 512 MiB more. */
static int xen_opts(struct bootctx *c, const struct bootpath_req *req, const char *kernel,
		    struct bootpath_outcome *o, struct qemu_opts *qo, char *modules, size_t mcap,
		    char *xen_cmdline, size_t xcap, char *qmem, size_t qmcap)
{
	unsigned long dom0_mib = (unsigned long)qemu_mem_mib(qo->mem);
	static const char *const iommu[] = { "-device", "intel-iommu", NULL };
	bool pvh = !bootpath_def(req->path)->xen_pv;
	struct tool_err err;

	if (!c->xen[0]) {
		bootpath_set(o, VERDICT_SKIPPED, "%s", c->xen_err.msg[0] ? c->xen_err.msg : "Xen not prepared");
		return -1;
	}
	if (xen_machine_modules(kernel, o->cmdline, qo->initrd, modules, mcap, &err)) {
		bootpath_set(o, VERDICT_ERROR, "%s", err.msg);
		return -1;
	}
	xen_machine_cmdline(xen_cmdline, xcap, dom0_mib, pvh);
	snprintf(qmem, qmcap, "%luM", dom0_mib + 512);
	qo->machine = "q35";
	qo->mem = qmem;
	qo->kernel = c->xen;
	qo->initrd = modules;
	qo->append = xen_cmdline;
	qo->cpu = pvh ? "qemu64,+svm,+npt,+cx16,+popcnt,+sse4.1,+sse4.2,+ssse3"
		      : "qemu64,+cx16,+popcnt,+sse4.1,+sse4.2,+ssse3";
	qo->extra = pvh ? iommu : NULL;
	return 0;
}

/* On xen: Xen's lines apart from dom0's, and Xen's word on why it stopped. */
static void xen_split(struct bootpath_outcome *o)
{
	size_t xl, gl;
	char *x = malloc(o->q.console_len + 1), *g = malloc(o->q.console_len + 1);
	char why[240];

	if (!x || !g || !o->q.console) {
		free(x);
		free(g);
		return;
	}
	xen_machine_split_console(o->q.console, o->q.console_len, x, &xl, g, &gl);
	free(o->q.console);
	o->q.console = g;
	o->q.console_len = gl;
	o->xen_log = x;
	xen_machine_stop_reason(x, why, sizeof(why));
	if (why[0] && o->verdict != VERDICT_OK) {
		if (!strncmp(why, "Xen panic", 9))
			o->verdict = VERDICT_PANIC;
		snprintf(o->reason, sizeof(o->reason), "%s", why);
	}
}

/* Appends the console's last line to the reason: ", last: '...'". */
static void last_line(struct bootpath_outcome *o)
{
	const char *con = o->q.console ? o->q.console : "";
	size_t end = o->q.console_len, start, n;

	while (end && (con[end - 1] == '\n' || con[end - 1] == '\r' || con[end - 1] == ' '))
		end--;
	start = end;
	while (start && con[start - 1] != '\n')
		start--;
	if (end - start > 159)	/* its start: where a loader's words begin */
		end = start + 159;
	n = strlen(o->reason);
	if (end > start)
		snprintf(o->reason + n, sizeof(o->reason) - n, ", last: '%.*s'", (int)(end - start),
			 con + start);
}

/* How far a guest got that did not reach init, and its last words: the
 * stage from the markers on its console, then its last line. */
static void add_progress(struct bootpath_outcome *o)
{
	const char *con = o->q.console ? o->q.console : "";
	const char *stage = strstr(con, " as init process") ? "init started" :
			    o->q.t_banner >= 0 ? "kernel banner" :
			    strstr(con, "zeropage-shim:") ? "shim line only" :
			    o->q.console_len ? "output before the kernel banner" : "no guest output";
	size_t n = strlen(o->reason);

	snprintf(o->reason + n, sizeof(o->reason) - n, "%s%s", n ? "; " : "", stage);
	last_line(o);
}

/* A non-Linux image's boot: what the core says it is and, unless a loader
 * gave up in its own words, its last line on the console. */
static void add_not_linux(const struct bootctx *c, struct bootpath_outcome *o)
{
	size_t n;

	if (o->verdict != VERDICT_STARTED && o->verdict != VERDICT_TIMEOUT &&
	    !(o->verdict == VERDICT_NOINIT && !o->q.loader_stopped))
		return;
	n = strlen(o->reason);
	snprintf(o->reason + n, sizeof(o->reason) - n, "%s%s (no probe runs there%s)",
		 n ? "; " : "", c->linux_why,
		 o->verdict == VERDICT_STARTED ? ": nothing more to check" : "");
	if (o->verdict == VERDICT_STARTED && o->q.console) {
		char words[120];
		loader_console_plain_text(o->q.console, o->q.console_len, o->q.image_at, words,
					  sizeof(words));
		n = strlen(o->reason);
		if (words[0])
			snprintf(o->reason + n, sizeof(o->reason) - n, ", its first words: '%s'", words);
		else	/* memtest86+ clears the screen long before it draws */
			snprintf(o->reason + n, sizeof(o->reason) - n, ", escape sequences only "
				 "(a screen cleared or the cursor moved), no text yet");
	} else {
		last_line(o);
	}
}

/* After the run: the probe's report, checked against what the path was
 * asked to give; or, without one, how far the guest got. */
static void finish(const struct bootctx *c, const struct bootpath_req *req,
		   struct bootpath_outcome *o, struct tool_err *err)
{
	/* What the shim added on its own, from its line: on the console, or
	 * (a domU's 0xe9 bytes, Xen's "(d1)" lines) in Xen's log. */
	if (bootpath_def(req->path)->shim_entry &&
	    !loader_console_shim_added(o->q.console, o->q.console_len, o->shim_added,
				       sizeof(o->shim_added)) &&
	    !loader_console_shim_added(o->xen_log, o->xen_log ? strlen(o->xen_log) : 0,
				       o->shim_added, sizeof(o->shim_added)))
		o->shim_added[0] = 0;
	if (c->kernel_not_linux && !o->q.probe_line) {
		add_not_linux(c, o);
		return;
	}
	if (!o->q.probe_line) {
		/* A user's initrd need not print a probe line: then reaching
		 * init is the kernel saying so ("Run /init as init process"),
		 * and QEMU's clean exit is the guest's own power-off/reboot. */
		if (o->initrd_foreign && o->verdict == VERDICT_NOINIT && o->q.console &&
		    strstr(o->q.console, " as init process"))
			bootpath_set(o, VERDICT_OK, "%s", "");
		else if ((o->verdict == VERDICT_NOINIT && !o->q.loader_stopped) ||
			 o->verdict == VERDICT_TIMEOUT)
			add_progress(o);	/* a loader's stop has said it all */
		return;
	}
	o->report = malloc(sizeof(*o->report));
	if (!o->report) {
		bootpath_set(o, VERDICT_ERROR, "out of memory");
		return;
	}
	if (guest_report_parse(o->q.probe_line, strlen(o->q.probe_line), o->report, err)) {
		free(o->report);
		o->report = NULL;
		if (o->verdict == VERDICT_OK)
			bootpath_set(o, VERDICT_MISMATCH, "probe line: %s", err->msg);
		return;
	}
	o->has_report = true;
	if (o->verdict == VERDICT_OK)
		check_report(c, req, o);
}

int bootpath_prepare(struct bootctx *c, const struct bootpath_req *req,
		     struct bootpath_outcome *o, char *kernel, size_t cap)
{
	double t0 = clock_mono_s();

	memset(o, 0, sizeof(*o));
	o->link = c->link;
	o->q.t_first_byte = o->q.t_banner = o->q.t_init = o->q.t_exit = o->q.t_image = -1;
	o->initrd_foreign = c->initrd != NULL;	/* a path may say otherwise (path_ovmf.c) */
	if (base_cmdline(c, req, o) || check_mem(c, req, o) ||
	    prepare_kernel(c, req, o, kernel, cap))
		return -1;
	o->build_s = clock_mono_s() - t0;
	return 0;
}

void bootpath_judge(const struct bootctx *c, const struct bootpath_req *req,
		    struct bootpath_outcome *o)
{
	struct tool_err err;

	finish(c, req, o, &err);
	bootpath_find_entry(req, o);
}

static void run_boot(struct bootctx *c, const struct bootpath_req *req, struct bootpath_outcome *o)
{
	char kernel[320], modules[2 * BOOTPATH_CMDLINE_MAX + 1024], xen_cmdline[256], qmem[32], mem[32], note[256];

	if (bootpath_prepare(c, req, o, kernel, sizeof(kernel)))
		return;

	bootpath_mem(req, mem, sizeof(mem), note, sizeof(note));	/* the note is the caller's to say */
	/* an image that is not Linux gets no probe: it cannot run it, and
	 * some read an initrd as their own input (iPXE: a script) */
	struct qemu_opts qo = {
		.machine = req->machine, .accel = req->accel, .mem = mem,
		.kernel = kernel, .initrd = c->initrd ? c->initrd :
					    c->kernel_not_linux ? NULL : c->probe_initrd,
		.append = o->cmdline, .timeout_s = req->timeout_s, .echo = req->echo,
		.not_linux = c->kernel_not_linux, .image_settle_s = BOOTPATH_IMAGE_SETTLE_S,
		/* SeaBIOS, qboot and QEMU's PVH loader write nothing on the
		 * serial line, the shim (also in a bundle given to qemu-pvh)
		 * plain lines: any escape sequence there is the image's */
		.image_escapes_count = req->path == BOOTPATH_QEMU_BIOS ||
				       req->path == BOOTPATH_QEMU_PVH ||
				       bootpath_def(req->path)->shim_entry,
	};
	const struct bootpath_def *d = bootpath_def(req->path);
	struct bootpath_args args = { .argc = 0 };
	struct xen_domu_bufs *domu = NULL;
	if (bootpath_machine_is_xen_domu(req->machine)) {
		domu = malloc(sizeof(*domu));
		if (!domu) {
			bootpath_set(o, VERDICT_ERROR, "out of memory");
			return;
		}
		if (xen_domu_opts(c, req, kernel, o, &qo, domu)) {
			free(domu);
			return;
		}
	} else if (bootpath_machine_is_xen(req->machine) &&
	    xen_opts(c, req, kernel, o, &qo, modules, sizeof(modules), xen_cmdline,
		     sizeof(xen_cmdline), qmem, sizeof(qmem)))
		return;
	if (d->qemu_setup && d->qemu_setup(c, req, o, &qo, &args)) {
		free(domu);
		return;
	}
	int qr = qemu_run(&qo, &o->q);
	if (domu)	/* tens of MiB, one per row: not kept to the run's end */
		unlink(domu->initrd);
	free(domu);
	if (qr) {
		bootpath_set(o, VERDICT_ERROR, "out of memory");
		return;
	}
	o->verdict = o->q.verdict;
	snprintf(o->reason, sizeof(o->reason), "%s", o->q.reason);
	if (bootpath_machine_is_xen_domu(req->machine))
		xen_domu_finish(o);
	else if (bootpath_machine_is_xen(req->machine))
		xen_split(o);
	bootpath_judge(c, req, o);
}

void bootpath_run(struct bootctx *c, const struct bootpath_req *req, struct bootpath_outcome *o)
{
	run_boot(c, req, o);
	if (!o->entry_why[0])	/* it ended before bootpath_judge: "none", not started */
		bootpath_find_entry(req, o);
}

int bootpath_mark_stopped(struct bootpath_outcome *o, double took_s)
{
	int sig = process_interrupted();
	enum verdict v = o->verdict;

	if (sig && v != VERDICT_OK && v != VERDICT_STARTED && v != VERDICT_SKIPPED &&
	    v != VERDICT_NA)
		bootpath_set(o, VERDICT_ERROR, "stopped by %s while it ran, after %.1f s",
			     process_signal_name(sig), took_s);
	return sig;
}

void bootpath_outcome_free(struct bootpath_outcome *o)
{
	free(o->xen_log);
	free(o->dom0_log);
	o->xen_log = o->dom0_log = NULL;
	qemu_result_free(&o->q);
	free(o->report);
	o->report = NULL;
	o->has_report = false;
}
