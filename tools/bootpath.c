/* SPDX-License-Identifier: MIT */
/* bootpath.c - see bootpath.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <zeropage/zeropage.h>

#include "accel.h"
#include "bootpath.h"
#include "commands.h"
#include "fileio.h"
#include "probe_initramfs.h"
#include "xen.h"

static const char *const path_names[ZP_PATH_COUNT] = {
	"qemu-bios", "qemu-pvh", "shim-64", "shim-32", "shim-vmlinux", "shim-subarch",
	"xen-pv", "xen-pvh",
};

const char *zp_path_name(enum zp_path p)
{
	return (unsigned)p < ZP_PATH_COUNT ? path_names[p] : "?";
}

int zp_path_parse(const char *name, enum zp_path *p)
{
	for (int i = 0; i < ZP_PATH_COUNT; i++)
		if (!strcmp(name, path_names[i])) {
			*p = (enum zp_path)i;
			return 0;
		}
	return -1;
}

bool zp_machine_known(const char *machine)
{
	return !strcmp(machine, "pc") || !strcmp(machine, "q35") || !strcmp(machine, "microvm") ||
	       zp_machine_is_xen(machine);
}

bool zp_machine_is_xen(const char *machine)
{
	return !strcmp(machine, "xen");
}

bool zp_path_applies(enum zp_path p, const char *machine, char *why, size_t cap)
{
	bool xen_path = p == ZP_PATH_XEN_PV || p == ZP_PATH_XEN_PVH;

	if (zp_machine_is_xen(machine) && (p == ZP_PATH_QEMU_BIOS || p == ZP_PATH_QEMU_PVH)) {
		snprintf(why, cap, "QEMU's own loaders do not start a Xen dom0");
		return false;
	}
	if (!zp_machine_is_xen(machine) && xen_path) {
		snprintf(why, cap, "Xen's dom0 builders run on machine xen only");
		return false;
	}
	return true;
}

double zp_machine_default_timeout(const char *machine)
{
	return zp_machine_is_xen(machine) ? 240 : 60;
}

/* type_of_loader each path must produce.  QEMU's bzImage loader writes
 * 0xb0 (its registered ID 0xB, version 0).  The kernel's own PVH entry
 * (arch/x86/platform/pvh/enlighten.c) builds its zero page itself and
 * claims 0x9 (Xen) only when it runs on Xen, else 0xB: so 0xb0 under QEMU
 * too.  Our shim is not a registered loader and says 0xff ("undefined"). */
unsigned zp_path_expected_loader(enum zp_path p)
{
	/* Xen's own builders leave no zero page: the kernel's Xen PV entry
	 * (xen_start_kernel) and its PVH entry on Xen each build one and claim
	 * Xen's loader ID 9, version 0. */
	if (p == ZP_PATH_XEN_PV || p == ZP_PATH_XEN_PVH)
		return 0x90;
	return p == ZP_PATH_QEMU_BIOS || p == ZP_PATH_QEMU_PVH ? 0xb0 : ZP_LOADER_UNDEFINED;
}

int zp_verdict_exit(enum zp_verdict v)
{
	switch (v) {
	case ZP_VERDICT_OK: return ZP_EXIT_OK;
	case ZP_VERDICT_PANIC: return ZP_EXIT_PANIC;
	case ZP_VERDICT_TIMEOUT: return ZP_EXIT_TIMEOUT;
	case ZP_VERDICT_QEMU: return ZP_EXIT_QEMU;
	case ZP_VERDICT_NOINIT: return ZP_EXIT_NOINIT;
	case ZP_VERDICT_MISMATCH: return ZP_EXIT_MISMATCH;
	case ZP_VERDICT_SKIPPED:
	case ZP_VERDICT_NA:
	case ZP_VERDICT_ERROR: return ZP_EXIT_ERROR;
	}
	return ZP_EXIT_ERROR;
}

/* ------------------------------------------------------------------ */
/* Running our own binary (extract, bundle): the other subcommands stay
 * the single implementation of what they do. */

static int run_self(const struct zp_bootctx *c, const char *const *args, char *err, size_t errlen)
{
	const char *argv[16];
	int n = 0;
	int ep[2];

	argv[n++] = c->self;
	for (int i = 0; args[i] && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	if (pipe2(ep, O_CLOEXEC)) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	/* Its own process group, tracked like a QEMU, so that a fatal signal
	 * to us kills it before its half-written file's directory is removed;
	 * and PDEATHSIG for the signals no handler sees. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		sigset_t none;
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (devnull >= 0) {
			dup2(devnull, 0);
			dup2(devnull, 1);
		}
		dup2(ep[1], 2);
		execv(c->self, (char *const *)argv);
		_exit(127);
	}
	int fe = errno;
	if (pid > 0) {
		setpgid(pid, pid);	/* also here: whichever runs first wins */
		zp_qemu_track(pid);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (devnull >= 0)
		close(devnull);
	close(ep[1]);
	if (pid < 0) {
		close(ep[0]);
		snprintf(err, errlen, "fork: %s", strerror(fe));
		return -1;
	}
	char buf[2048];
	size_t len = 0;
	for (;;) {
		ssize_t r = read(ep[0], buf + len, sizeof(buf) - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
		if (len == sizeof(buf) - 1) {
			char sink[512];	/* keep the head, drain the rest */
			while (read(ep[0], sink, sizeof(sink)) > 0)
				;
			break;
		}
	}
	close(ep[0]);
	buf[len] = 0;
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	zp_qemu_untrack(pid);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	char *s = buf;
	while (*s == '\n')
		s++;
	s[strcspn(s, "\n")] = 0;
	if (!*s)
		snprintf(err, errlen, "exit status %d", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	else
		snprintf(err, errlen, "%.200s", s);
	return -1;
}

/* ------------------------------------------------------------------ */

int zp_bootctx_init(struct zp_bootctx *c, const char *kernel, const char *initrd,
		    char *err, size_t errlen)
{
	memset(c, 0, sizeof(*c));
	c->kernel = kernel;
	c->initrd = initrd;
	/* Paths are copied into fixed buffers (vmlinux[], the per-boot kernel
	 * name): refuse what would not fit rather than boot a truncated name. */
	if (strlen(kernel) >= sizeof(c->vmlinux)) {
		snprintf(err, errlen, "kernel path of %zu bytes is too long (at most %zu)",
			 strlen(kernel), sizeof(c->vmlinux) - 1);
		return -1;
	}

	ssize_t n = readlink("/proc/self/exe", c->self, sizeof(c->self) - 1);
	if (n <= 0) {
		snprintf(err, errlen, "/proc/self/exe: %s", strerror(errno));
		return -1;
	}
	c->self[n] = 0;

	/* The whole image, probed as `zeropage info` would: a kernel cut
	 * short or damaged is our input error, not QEMU's to report (it
	 * would fail with misleading words, or boot a silent guest). */
	uint8_t *data;
	size_t len;
	if (zp_read_file(kernel, &data, &len, err, errlen))
		return -1;
	struct zp_image *img = malloc(sizeof(*img));
	int r = img ? zp_probe(data, len, img) : ZP_ENOSPACE;
	if (r == ZP_OK)
		c->kernel_is_elf = img->format == ZP_FORMAT_ELF;
	free(img);
	free(data);
	if (r != ZP_OK) {
		if (r == ZP_EUNKNOWN)
			snprintf(err, errlen, "%s: not a bzImage or ELF kernel", kernel);
		else
			snprintf(err, errlen, "%s: damaged or truncated kernel image: %s", kernel,
				 zp_strerror(r));
		return -1;
	}
	if (initrd && access(initrd, R_OK)) {
		snprintf(err, errlen, "%s: %s", initrd, strerror(errno));
		return -1;
	}

	const char *tmp = getenv("TMPDIR");
	if ((size_t)snprintf(c->dir, sizeof(c->dir), "%s/zeropage.XXXXXX",
			     tmp && *tmp ? tmp : "/tmp") >= sizeof(c->dir)) {
		snprintf(err, errlen, "TMPDIR of %zu bytes is too long (at most %zu)",
			 strlen(tmp), sizeof(c->dir) - sizeof("/zeropage.XXXXXX"));
		c->dir[0] = 0;
		return -1;
	}
	if (!mkdtemp(c->dir)) {
		snprintf(err, errlen, "mkdtemp %s: %s", c->dir, strerror(errno));
		c->dir[0] = 0;
		return -1;
	}
	zp_qemu_cleanup_on_signal(c->dir);
	if (!initrd) {
		snprintf(c->probe_initrd, sizeof(c->probe_initrd), "%s/probe.cpio", c->dir);
		zp_qemu_cleanup_on_signal(c->probe_initrd);
		if (zp_probe_initramfs_write(c->probe_initrd, &c->probe_initrd_size, err, errlen)) {
			zp_bootctx_free(c);
			return -1;
		}
	}
	return 0;
}

void zp_bootctx_prepare_vmlinux(struct zp_bootctx *c)
{
	if (c->vmlinux_tried)
		return;
	c->vmlinux_tried = true;
	if (c->kernel_is_elf) {
		snprintf(c->vmlinux, sizeof(c->vmlinux), "%s", c->kernel);
	} else {
		snprintf(c->vmlinux, sizeof(c->vmlinux), "%s/vmlinux", c->dir);
		zp_qemu_cleanup_on_signal(c->vmlinux);
		const char *args[] = { "extract", c->kernel, "-o", c->vmlinux, "-q", NULL };
		char e[200];
		if (run_self(c, args, e, sizeof(e))) {
			snprintf(c->vmlinux_err, sizeof(c->vmlinux_err), "extract failed: %s", e);
			c->vmlinux[0] = 0;
			return;
		}
	}
	uint8_t *data;
	size_t len;
	char e[200];
	if (zp_read_file(c->vmlinux, &data, &len, e, sizeof(e))) {
		snprintf(c->vmlinux_err, sizeof(c->vmlinux_err), "%s", e);
		return;
	}
	struct zp_elf *elf = malloc(sizeof(*elf));
	int r = elf ? zp_probe_elf(data, len, elf) : ZP_ENOSPACE;
	if (r != ZP_OK)
		snprintf(c->vmlinux_err, sizeof(c->vmlinux_err), "vmlinux: %s", zp_strerror(r));
	else if (!elf->has_pvh)
		snprintf(c->vmlinux_err, sizeof(c->vmlinux_err), "no PVH note");
	else
		c->vmlinux_has_pvh = true;
	if (r == ZP_OK)
		c->vmlinux_has_xen_pv = zp_elf_find_note(elf, "Xen", ZP_XEN_ELFNOTE_ENTRY) != NULL;
	free(elf);
	free(data);
}

void zp_bootctx_prepare_xen(struct zp_bootctx *c)
{
	if (c->xen_tried)
		return;
	c->xen_tried = true;
	if (zp_xen_image(c->xen, sizeof(c->xen), c->xen_err, sizeof(c->xen_err)))
		c->xen[0] = 0;
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(p);
	return 0;
}

void zp_bootctx_free(struct zp_bootctx *c)
{
	if (c->dir[0])
		nftw(c->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	c->dir[0] = 0;
}

/* ------------------------------------------------------------------ */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void set(struct zp_boot_outcome *o, enum zp_verdict v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set(struct zp_boot_outcome *o, enum zp_verdict v, const char *fmt, ...)
{
	va_list ap;
	o->verdict = v;
	va_start(ap, fmt);
	vsnprintf(o->reason, sizeof(o->reason), fmt, ap);
	va_end(ap);
}

/* What the probe saw against what this path was asked to give. */
static void check_report(const struct zp_bootctx *c, const struct zp_boot_req *req,
			 struct zp_boot_outcome *o)
{
	const struct zp_probe_report *r = o->report;
	if (!strstr(r->cmdline, o->cmdline)) {
		set(o, ZP_VERDICT_MISMATCH, "/proc/cmdline '%.100s' lacks '%.100s'",
		    r->cmdline, o->cmdline);
		return;
	}
	/* a user's initrd (even a probe one) has a size we did not choose */
	if (!c->initrd && r->initrd != (int64_t)c->probe_initrd_size) {
		set(o, ZP_VERDICT_MISMATCH, "initrd %lld bytes, the probe initramfs has %zu",
		    (long long)r->initrd, c->probe_initrd_size);
		return;
	}
	if (!r->has_bootparams) {
		set(o, ZP_VERDICT_MISMATCH, "the probe could not read boot_params");
		return;
	}
	unsigned loader = (unsigned)zp_bp_get(r->bootparams, "type_of_loader");
	unsigned want = zp_path_expected_loader(req->path);
	if (loader != want) {
		set(o, ZP_VERDICT_MISMATCH, "type_of_loader 0x%02x, expected 0x%02x", loader, want);
		return;
	}
	uint64_t sd = zp_bp_get(r->bootparams, "hardware_subarch_data");
	bool want_sd = req->shim_handoff ? !strcmp(req->shim_handoff, "subarch") :
		       req->path == ZP_PATH_SHIM_SUBARCH;
	if ((sd != 0) != want_sd) {
		set(o, ZP_VERDICT_MISMATCH, "hardware_subarch_data 0x%llx, expected %s",
		    (unsigned long long)sd, want_sd ? "nonzero" : "0");
		return;
	}
	/* Xen's PV entry says X86_SUBARCH_XEN itself; the subarch handoff
	 * must name Xen exactly when it runs on Xen. */
	unsigned subarch = (unsigned)zp_bp_get(r->bootparams, "hardware_subarch");
	bool xen = zp_machine_is_xen(req->machine);
	int want_subarch = req->path == ZP_PATH_XEN_PV ? ZP_SUBARCH_XEN :
			   want_sd ? (xen ? ZP_SUBARCH_XEN : ZP_SUBARCH_PC) : -1;
	if (want_subarch >= 0 && subarch != (unsigned)want_subarch)
		set(o, ZP_VERDICT_MISMATCH, "hardware_subarch %u, expected %d (%s)", subarch,
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
 *                 the early console works in any Xen-aware kernel);
 *  zeropage.probe=kmsg, printk.devkmsg=on   the probe's report also goes
 *                 through the kernel log, unthrottled (probe/init.c). */
static void base_cmdline(const struct zp_boot_req *req, struct zp_boot_outcome *o)
{
	char base[160];
	unsigned long khz = 0;

	if (zp_machine_is_xen(req->machine))
		snprintf(base, sizeof(base), "console=hvc0 earlyprintk=xen printk.devkmsg=on "
			 "zeropage.probe=kmsg reboot=t");
	else if (!strcmp(req->machine, "microvm") && !strcmp(req->accel, "tcg") &&
		 (khz = zp_host_tsc_khz()) != 0)
		snprintf(base, sizeof(base), "console=ttyS0 reboot=t tsc_early_khz=%lu", khz);
	else
		snprintf(base, sizeof(base), "console=ttyS0 reboot=t");
	snprintf(o->cmdline, sizeof(o->cmdline), "%s%s%s", base,
		 req->append && *req->append ? " " : "", req->append ? req->append : "");
}

/* The shim paths: `zeropage bundle` with the path's entry and handoff. */
static int build_bundle(struct zp_bootctx *c, const struct zp_boot_req *req,
			struct zp_boot_outcome *o, char *kernel, size_t cap)
{
	char err[256];
	const char *entry = req->path == ZP_PATH_SHIM_32 ? "32" :
			    req->path == ZP_PATH_SHIM_VMLINUX ? "vmlinux" : "64";
	const char *handoff = req->path == ZP_PATH_SHIM_SUBARCH ? "subarch" : "native";

	if (c->kernel_is_elf) {
		set(o, ZP_VERDICT_SKIPPED, "the shim paths need a bzImage, not an ELF");
		return -1;
	}
	if (req->shim_entry)
		entry = req->shim_entry;
	if (req->shim_handoff)
		handoff = req->shim_handoff;
	snprintf(kernel, cap, "%s/bundle-%u-%s.elf", c->dir, req->id, zp_path_name(req->path));
	zp_qemu_cleanup_on_signal(kernel);
	const char *args[] = { "bundle", "--kernel", c->kernel, "--entry", entry,
			       "--handoff", handoff, "-o", kernel, NULL };
	if (run_self(c, args, err, sizeof(err))) {
		set(o, ZP_VERDICT_ERROR, "bundle failed: %s", err);
		return -1;
	}
	return 0;
}

/* The image the path boots (QEMU's -kernel, or dom0's kernel on xen), or
 * -1 with the verdict set when the path cannot run. */
static int prepare_kernel(struct zp_bootctx *c, const struct zp_boot_req *req,
			  struct zp_boot_outcome *o, char *kernel, size_t cap)
{
	char why[160];

	if (!zp_path_applies(req->path, req->machine, why, sizeof(why))) {
		set(o, ZP_VERDICT_NA, "%s", why);
		return -1;
	}
	switch (req->path) {
	case ZP_PATH_QEMU_BIOS:
		if (c->kernel_is_elf) {
			set(o, ZP_VERDICT_SKIPPED, "qemu-bios needs a bzImage, not an ELF");
			return -1;
		}
		snprintf(kernel, cap, "%s", c->kernel);
		return 0;
	case ZP_PATH_QEMU_PVH:
	case ZP_PATH_XEN_PVH:
	case ZP_PATH_XEN_PV:
		zp_bootctx_prepare_vmlinux(c);
		if (req->path == ZP_PATH_XEN_PV && c->vmlinux[0] && !c->vmlinux_has_xen_pv &&
		    !c->vmlinux_err[0]) {
			set(o, ZP_VERDICT_SKIPPED, "no XEN_ELFNOTE_ENTRY: the kernel has no Xen PV entry");
			return -1;
		}
		if (req->path != ZP_PATH_XEN_PV && !c->vmlinux_has_pvh) {
			set(o, c->vmlinux_err[0] && strcmp(c->vmlinux_err, "no PVH note") ?
			       ZP_VERDICT_ERROR : ZP_VERDICT_SKIPPED, "%s",
			    c->vmlinux_err[0] ? c->vmlinux_err : "no PVH note");
			return -1;
		}
		if (req->path == ZP_PATH_XEN_PV && !c->vmlinux_has_xen_pv) {
			set(o, ZP_VERDICT_ERROR, "%s", c->vmlinux_err);
			return -1;
		}
		/* Xen's builders read the bzImage themselves; QEMU's needs the ELF */
		snprintf(kernel, cap, "%s", req->path == ZP_PATH_QEMU_PVH ? c->vmlinux : c->kernel);
		return 0;
	default:
		return build_bundle(c, req, o, kernel, cap);
	}
}

/* MiB in a size QEMU's -m takes (validated by zp_qemu_mem_size_ok). */
static unsigned long mem_mib(const char *size)
{
	char *end;
	double v = strtod(size, &end);
	double scale = *end == 'k' || *end == 'K' ? 1.0 / 1024 : *end == 'g' || *end == 'G' ? 1024 :
		       *end == 't' || *end == 'T' ? 1024.0 * 1024 : 1;
	return (unsigned long)(v * scale);
}

/* The xen machine: QEMU's q35 loads Xen by multiboot, dom0's kernel and
 * initrd as its modules.  The PVH dom0 builder runs dom0 in an HVM
 * container, which under TCG needs SVM with nested paging, and Xen refuses
 * PVH dom0 without an IOMMU; the PV builder needs neither (and the PV dom0
 * breaks on `-cpu max`).  The rest of the machine is Xen's own: dom0 gets
 * the memory asked for, QEMU 512 MiB more. */
static int xen_opts(struct zp_bootctx *c, const struct zp_boot_req *req, const char *kernel,
		    struct zp_boot_outcome *o, struct zp_qemu_opts *qo, char *modules, size_t mcap,
		    char *xen_cmdline, size_t xcap, char *qmem, size_t qmcap)
{
	static const char *const iommu[] = { "-device", "intel-iommu", NULL };
	bool pvh = req->path != ZP_PATH_XEN_PV;
	char err[256];

	if (!c->xen[0]) {
		set(o, ZP_VERDICT_SKIPPED, "%s", c->xen_err[0] ? c->xen_err : "Xen not prepared");
		return -1;
	}
	if (zp_xen_modules(kernel, o->cmdline, qo->initrd, modules, mcap, err, sizeof(err))) {
		set(o, ZP_VERDICT_ERROR, "%s", err);
		return -1;
	}
	zp_xen_cmdline(xen_cmdline, xcap, mem_mib(req->mem), pvh);
	snprintf(qmem, qmcap, "%luM", mem_mib(req->mem) + 512);
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
static void xen_split(struct zp_boot_outcome *o)
{
	size_t xl, gl;
	char *x = malloc(o->q.console_len + 1), *g = malloc(o->q.console_len + 1);
	char why[240];

	if (!x || !g || !o->q.console) {
		free(x);
		free(g);
		return;
	}
	zp_xen_split_console(o->q.console, o->q.console_len, x, &xl, g, &gl);
	free(o->q.console);
	o->q.console = g;
	o->q.console_len = gl;
	o->xen_log = x;
	zp_xen_stop_reason(x, why, sizeof(why));
	if (why[0] && o->verdict != ZP_VERDICT_OK) {
		if (!strncmp(why, "Xen panic", 9))
			o->verdict = ZP_VERDICT_PANIC;
		snprintf(o->reason, sizeof(o->reason), "%s", why);
	}
}

/* How far a guest got that did not reach init, and its last words: the
 * stage from the markers on its console, then its last line. */
static void add_progress(struct zp_boot_outcome *o)
{
	const char *con = o->q.console ? o->q.console : "";
	const char *stage = strstr(con, " as init process") ? "init started" :
			    o->q.t_banner >= 0 ? "kernel banner" :
			    strstr(con, "zeropage-shim:") ? "shim line only" :
			    o->q.console_len ? "output before the kernel banner" : "no guest output";
	size_t end = o->q.console_len, start;
	char last[160] = "";

	while (end && (con[end - 1] == '\n' || con[end - 1] == '\r' || con[end - 1] == ' '))
		end--;
	start = end;
	while (start && con[start - 1] != '\n')
		start--;
	if (end > start)
		snprintf(last, sizeof(last), "%.*s", (int)(end - start), con + start);
	size_t n = strlen(o->reason);
	snprintf(o->reason + n, sizeof(o->reason) - n, "%s%s%s%s%s", n ? "; " : "", stage,
		 last[0] ? ", last: '" : "", last, last[0] ? "'" : "");
}

/* After the run: the probe's report, checked against what the path was
 * asked to give; or, without one, how far the guest got. */
static void finish(const struct zp_bootctx *c, const struct zp_boot_req *req,
		   struct zp_boot_outcome *o, char *err, size_t errlen)
{
	if (!o->q.probe_line) {
		/* A user's initrd need not print a probe line: then reaching
		 * init is the kernel saying so ("Run /init as init process"),
		 * and QEMU's clean exit is the guest's own power-off/reboot. */
		if (c->initrd && o->verdict == ZP_VERDICT_NOINIT && o->q.console &&
		    strstr(o->q.console, " as init process"))
			set(o, ZP_VERDICT_OK, "%s", "");
		else if (o->verdict == ZP_VERDICT_NOINIT || o->verdict == ZP_VERDICT_TIMEOUT)
			add_progress(o);
		return;
	}
	o->report = malloc(sizeof(*o->report));
	if (!o->report) {
		set(o, ZP_VERDICT_ERROR, "out of memory");
		return;
	}
	if (zp_probe_parse(o->q.probe_line, strlen(o->q.probe_line), o->report, err, errlen)) {
		free(o->report);
		o->report = NULL;
		if (o->verdict == ZP_VERDICT_OK)
			set(o, ZP_VERDICT_MISMATCH, "probe line: %s", err);
		return;
	}
	o->has_report = true;
	if (o->verdict == ZP_VERDICT_OK)
		check_report(c, req, o);
}

void zp_boot_run(struct zp_bootctx *c, const struct zp_boot_req *req, struct zp_boot_outcome *o)
{
	char kernel[320], err[256], modules[2048], xen_cmdline[256], qmem[32];
	double t0 = now_s();

	memset(o, 0, sizeof(*o));
	o->q.t_first_byte = o->q.t_banner = o->q.t_init = o->q.t_exit = -1;
	base_cmdline(req, o);
	if (prepare_kernel(c, req, o, kernel, sizeof(kernel)))
		return;
	o->build_s = now_s() - t0;

	struct zp_qemu_opts qo = {
		.machine = req->machine, .accel = req->accel, .mem = req->mem,
		.kernel = kernel, .initrd = c->initrd ? c->initrd : c->probe_initrd,
		.append = o->cmdline, .timeout_s = req->timeout_s, .echo = req->echo,
	};
	if (zp_machine_is_xen(req->machine) &&
	    xen_opts(c, req, kernel, o, &qo, modules, sizeof(modules), xen_cmdline,
		     sizeof(xen_cmdline), qmem, sizeof(qmem)))
		return;
	if (zp_qemu_run(&qo, &o->q)) {
		set(o, ZP_VERDICT_ERROR, "out of memory");
		return;
	}
	o->verdict = o->q.verdict;
	snprintf(o->reason, sizeof(o->reason), "%s", o->q.reason);
	if (zp_machine_is_xen(req->machine))
		xen_split(o);
	finish(c, req, o, err, sizeof(err));
}

void zp_boot_outcome_free(struct zp_boot_outcome *o)
{
	free(o->xen_log);
	o->xen_log = NULL;
	zp_qemu_result_free(&o->q);
	free(o->report);
	o->report = NULL;
	o->has_report = false;
}
