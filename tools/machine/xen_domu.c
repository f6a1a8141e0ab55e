/* SPDX-License-Identifier: MIT */
/* xen_domu.c - the xen-domu machine's setup and its run's aftermath; see
 * xen_domu.h.  The console splitter is in xen_domu_console.c. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fileio.h"
#include "image/dom0_initramfs.h"
#include "machine/xen_domu.h"
#include "machine/xen_machine.h"

#define DOMU_NAME	"d1"	/* a row of its own: the first domU */

int xen_domu_default_dom0(char *out, size_t cap, struct tool_err *err)
{
	char dir[512], best[256] = "";
	DIR *d;
	struct dirent *e;

	fileio_cache_dir(dir, sizeof(dir));
	if ((d = opendir(dir))) {
		while ((e = readdir(d))) {
			size_t l = strlen(e->d_name);
			/* vmlinuz-VERSION-amd64, not -cloud-amd64 (no CONFIG_XEN_DOM0) */
			if (strncmp(e->d_name, "vmlinuz-", 8) || l < 14 ||
			    strcmp(e->d_name + l - 6, "-amd64") || strstr(e->d_name, "-cloud-"))
				continue;
			if (!best[0] || strverscmp(e->d_name, best) > 0)
				snprintf(best, sizeof(best), "%s", e->d_name);
		}
		closedir(d);
	}
	if (!best[0]) {
		tool_err_set(err, "no dom0 kernel: no vmlinuz-*-amd64 of Debian's generic flavour "
			     "in %s (the cloud flavour lacks CONFIG_XEN_DOM0); give one with "
			     "--dom0 KERNEL", dir);
		return -1;
	}
	if ((size_t)snprintf(out, cap, "%s/%s", dir, best) >= cap) {
		tool_err_set(err, "cache path too long");
		return -1;
	}
	return 0;
}

void xen_domu_modules_dir(const char *dom0, char *out, size_t cap)
{
	const char *base = strrchr(dom0, '/') ? strrchr(dom0, '/') + 1 : dom0;
	struct stat st;

	out[0] = 0;
	if (strncmp(base, "vmlinuz-", 8))
		return;
	snprintf(out, cap, "%.*smodules-%s", (int)(base - dom0), dom0, base + 8);
	if (stat(out, &st) || !S_ISDIR(st.st_mode))
		out[0] = 0;
}

int xen_domu_config(char *out, size_t cap, const char *name, bool pv, const char *cmdline,
		    unsigned long mem_mib, struct tool_err *err)
{
	if (strpbrk(cmdline, "\"\\\n")) {
		tool_err_set(err, "xl's config cannot take a command line with '\"', '\\' or a "
			     "line end");
		return -1;
	}
	/* on_*: destroy, whatever the guest does, so that `xl create -F`
	 * returns and dom0 goes on (the probe ends by restarting) */
	int n = snprintf(out, cap,
			 "name = \"%s\"\ntype = \"%s\"\nkernel = \"/etc/zp/%s-kernel\"\n"
			 "ramdisk = \"/etc/zp/%s-ramdisk\"\ncmdline = \"%s\"\nmemory = %lu\n"
			 "vcpus = 1\non_poweroff = \"destroy\"\non_reboot = \"destroy\"\n"
			 "on_crash = \"destroy\"\n",
			 name, pv ? "pv" : "pvh", name, name, cmdline, mem_mib);
	if (n < 0 || (size_t)n >= cap) {
		tool_err_set(err, "xl config longer than %zu bytes", cap);
		return -1;
	}
	return 0;
}

/* MiB in a size QEMU's -m takes (already validated). */
static unsigned long mib(const char *size)
{
	char *end;
	double v = strtod(size, &end);
	return (unsigned long)(*end == 'G' || *end == 'g' ? v * 1024 : v);
}

/* The dom0 initramfs for this boot: the toolstack, the Xen modules of the
 * dom0 kernel and the domUs (the kernel or bundles under test), d1, d2...
 * in the order of rows.  A row whose config cannot be written is ended
 * here (its o set) and left out. */
static int make_initrd(struct bootctx *c, struct xen_domu_row *rows, size_t n,
		       const char *ramdisk, struct xen_domu_bufs *b)
{
	char modules[600];
	struct dom0_domu d[XEN_DOMU_BATCH_MAX];
	struct tool_err err;
	unsigned k = 0;

	for (size_t i = 0; i < n && i < XEN_DOMU_BATCH_MAX; i++) {
		struct xen_domu_row *r = &rows[i];
		snprintf(r->name, sizeof(r->name), "d%zu", i + 1);
		if (xen_domu_config(r->config, sizeof(r->config), r->name,
				    bootpath_def(r->req->path)->xen_pv, r->o->cmdline, r->domu_mib,
				    &err)) {
			bootpath_set(r->o, VERDICT_ERROR, "%s", err.msg);
			r->name[0] = 0;
			continue;
		}
		d[k++] = (struct dom0_domu){ .config = r->config, .kernel = r->kernel,
					     .ramdisk = ramdisk, .timeout_s = r->timeout_s };
		snprintf(d[k - 1].name, sizeof(d[k - 1].name), "%s", r->name);
	}
	if (!k)
		return -1;
	xen_domu_modules_dir(b->dom0, modules, sizeof(modules));
	struct dom0_initramfs_spec s = { .modules_dir = modules[0] ? modules : NULL,
					 .domus = d, .ndomus = k };
	snprintf(b->initrd, sizeof(b->initrd), "%s/dom0-%u.cpio", c->dir, rows[0].req->id);
	process_cleanup_on_signal(b->initrd);
	if (dom0_initramfs_write(b->initrd, &s, &err)) {
		for (size_t i = 0; i < n; i++)
			bootpath_set(rows[i].o, VERDICT_SKIPPED, "toolstack dom0: %s", err.msg);
		return -1;
	}
	return 0;
}

/* The dom0 kernel: --dom0 or the default; -1 with every row's verdict. */
static int pick_dom0(const struct bootpath_req *req, struct xen_domu_row *rows, size_t n,
		     struct xen_domu_bufs *b)
{
	struct tool_err err;

	if (req->dom0 && access(req->dom0, R_OK)) {
		tool_err_set(&err, "--dom0 %s: %s", req->dom0, strerror(errno));
		for (size_t i = 0; i < n; i++)
			bootpath_set(rows[i].o, VERDICT_ERROR, "%s", err.msg);
		return -1;
	}
	if (req->dom0) {
		snprintf(b->dom0, sizeof(b->dom0), "%s", req->dom0);
		return 0;
	}
	if (!xen_domu_default_dom0(b->dom0, sizeof(b->dom0), &err))
		return 0;
	for (size_t i = 0; i < n; i++)
		bootpath_set(rows[i].o, VERDICT_SKIPPED, "%s", err.msg);
	return -1;
}

int xen_domu_setup(struct bootctx *c, struct xen_domu_row *rows, size_t n, struct qemu_opts *qo,
		   struct xen_domu_bufs *b)
{
	struct tool_err err;
	unsigned long most = 0;

	for (size_t i = 0; i < n; i++) {
		if (!c->xen[0])
			bootpath_set(rows[i].o, VERDICT_SKIPPED, "%s",
				     c->xen_err.msg[0] ? c->xen_err.msg : "Xen not prepared");
		most = rows[i].domu_mib > most ? rows[i].domu_mib : most;
	}
	if (!c->xen[0] || pick_dom0(rows[0].req, rows, n, b) ||
	    make_initrd(c, rows, n, qo->initrd, b))
		return -1;
	/* dom0 quiet: its kernel's banner and messages would read as the
	 * domU's to the console watcher; its init's own lines are prefixed */
	if (xen_machine_modules(b->dom0, "console=hvc0 quiet", b->initrd, b->modules,
				sizeof(b->modules), &err)) {
		for (size_t i = 0; i < n; i++)
			bootpath_set(rows[i].o, VERDICT_ERROR, "%s", err.msg);
		return -1;
	}
	xen_machine_cmdline(b->xen_cmdline, sizeof(b->xen_cmdline), XEN_DOMU_DOM0_MIB, false);
	/* the domUs run one at a time: room for the largest */
	snprintf(b->qmem, sizeof(b->qmem), "%luM", XEN_DOMU_DOM0_MIB + most + XEN_DOMU_XEN_MIB);
	qo->machine = "q35";
	qo->mem = b->qmem;
	qo->kernel = c->xen;
	qo->initrd = b->modules;
	qo->append = b->xen_cmdline;
	/* a PV dom0 (no IOMMU needed); a PVH domU needs hardware-assisted
	 * paging, under TCG SVM's nested paging */
	qo->cpu = "qemu64,+svm,+npt,+cx16,+popcnt,+sse4.1,+sse4.2,+ssse3";
	qo->extra = NULL;
	return 0;
}

int xen_domu_opts(struct bootctx *c, const struct bootpath_req *req, const char *kernel,
		  struct bootpath_outcome *o, struct qemu_opts *qo, struct xen_domu_bufs *b)
{
	struct xen_domu_row *row = calloc(1, sizeof(*row));
	int r;

	if (!row) {
		bootpath_set(o, VERDICT_ERROR, "out of memory");
		return -1;
	}
	*row = (struct xen_domu_row){ .req = req, .o = o, .domu_mib = mib(qo->mem),
				      .timeout_s = 0 };	/* QEMU's timeout is the row's */
	snprintf(row->kernel, sizeof(row->kernel), "%s", kernel);
	r = xen_domu_setup(c, row, 1, qo, b);
	free(row);
	return r;
}

void xen_domu_finish(struct bootpath_outcome *o)
{
	size_t n = o->q.console_len + 1, xl, dl, ul;
	char *x = malloc(n), *d = malloc(n), *u = malloc(n), why[300];

	if (!x || !d || !u || !o->q.console) {
		free(x);
		free(d);
		free(u);
		return;
	}
	xen_domu_split_console(o->q.console, o->q.console_len, DOMU_NAME, x, &xl, d, &dl, u, &ul);
	free(o->q.console);
	o->q.console = u;
	o->q.console_len = ul;
	o->xen_log = x;
	o->dom0_log = d;
	/* the domU's own panic line says more than dom0's "d1 crashed" */
	if (o->verdict == VERDICT_OK || o->verdict == VERDICT_PANIC)
		return;
	xen_domu_stop_reason(d, x, why, sizeof(why));
	if (!why[0])
		xen_machine_stop_reason(x, why, sizeof(why));
	/* a dom0 kernel without CONFIG_XEN_DOM0 (Debian's cloud flavour)
	 * boots, but its console never reaches Xen's: not even our init's
	 * first line */
	if (!why[0] && !strstr(d, "zp-dom0: "))
		snprintf(why, sizeof(why), "the toolstack dom0 said nothing: is its kernel built "
			 "with CONFIG_XEN_DOM0 (Debian's generic flavour, not cloud)?");
	if (!strncmp(why, "Xen panic", 9))
		o->verdict = VERDICT_PANIC;
	if (why[0])
		snprintf(o->reason, sizeof(o->reason), "%s", why);
}
