/* SPDX-License-Identifier: MIT */
/*
 * xen_domu.h - the `xen-domu` machine: Debian's Xen under QEMU q35 as on
 * machine xen (xen_machine.h), but dom0 is a toolstack dom0 (a Debian
 * kernel built with CONFIG_XEN_DOM0 and the initramfs of
 * image/dom0_initramfs.h), and the kernel under test is a domU that
 * libxl/libxc build with `xl create`, as a user's Xen host would.
 *
 * Console: everything comes out of Xen's COM1, our pipe.  Xen's lines
 * start "(XEN)"; dom0's init prefixes what it says "zp-dom0: ", xl's output
 * "zp-xl: ", and each domU's console lines "zp-NAME: ".  The host splits
 * them (xen_domu_split_console): the domU's lines, prefix removed, are the
 * console the verdict reads; dom0's and Xen's are kept apart for the logs
 * and the reason a row failed (xen_domu_stop_reason).
 */
#ifndef ZEROPAGE_TOOLS_XEN_DOMU_H
#define ZEROPAGE_TOOLS_XEN_DOMU_H

#include <stdbool.h>
#include <stddef.h>
#include "common/tool_err.h"
#include "machine/bootpath.h"

#define XEN_DOMU_DOM0_MIB	384	/* dom0: its initramfs (~40 MiB with the domU's
					   kernel) unpacked, xl and libxc's mappings */
#define XEN_DOMU_XEN_MIB	160	/* Xen's own, beyond dom0 and the domU */

/* The dom0 kernel when --dom0 is not given: the newest vmlinuz-*-amd64 of
 * Debian's generic flavour in the cache (the cloud flavour is built
 * without CONFIG_XEN_DOM0: it cannot run xenstored).  0, or -1 with what
 * to do in err. */
int xen_domu_default_dom0(char *out, size_t cap, struct tool_err *err);

/* The dom0 kernel's modules: DIR/modules-VERSION beside DIR/vmlinuz-VERSION
 * (what scripts/fetch-kernel.sh unpacks).  "" when there is none. */
void xen_domu_modules_dir(const char *dom0, char *out, size_t cap);

/* xl's config for domU `name`: type pvh or pv, the kernel and ramdisk as
 * /etc/zp/NAME-kernel and NAME-ramdisk in dom0, the command line, memory.
 * The domain is destroyed however it ends (reboot, poweroff, crash), which
 * ends `xl create -F`.  A command line xl cannot quote (a '"', '\' or a
 * line end) is refused: 0, or -1 with err. */
int xen_domu_config(char *out, size_t cap, const char *name, bool pv, const char *cmdline,
		    unsigned long mem_mib, struct tool_err *err);

/* Splits the transcript three ways: Xen's lines ("(XEN)", and "(d1)" for
 * what a domU wrote to Xen's debug port or console, kept whole),
 * domU `name`'s ("zp-NAME: " removed), and the rest, dom0's (its kernel,
 * its init's "zp-dom0:", xl's "zp-xl:", other domUs').  Each output holds
 * at most len + 1 bytes, NUL-terminated; CRs are dropped. */
void xen_domu_split_console(const char *in, size_t len, const char *name, char *xen,
			    size_t *xen_len, char *dom0, size_t *dom0_len, char *domu,
			    size_t *domu_len);

/* Why the toolstack stopped the row, from dom0's lines: our init's
 * "zp-dom0: error: ..." (a missing device, xl create failing, the domU
 * crashed), with libxc's or libxl's own words ("xc: error: panic: ...",
 * "libxl: error: ...") and the domU's last words to Xen ("(d1) ...", or
 * "(XEN) (d1) ...") when there are any.  "" when nothing went wrong. */
void xen_domu_stop_reason(const char *dom0_log, const char *xen_log, char *out, size_t cap);

/* Rows that share one Xen boot (xen_domu_run_batch), each a domU dN. */
#define XEN_DOMU_BATCH_MAX	8
struct xen_domu_row {
	const struct bootpath_req *req;
	struct bootpath_outcome *o;
	char kernel[320];		/* what xl gets as `kernel` */
	unsigned long domu_mib;
	unsigned timeout_s;		/* dom0 destroys it after this (0: never) */
	char name[16];			/* "d1", ...; "" when it was ended before the boot */
	char config[BOOTPATH_CMDLINE_MAX + 512];
};

/* bootpath.c's part: QEMU's options for one domU row (Xen, the dom0
 * kernel and an initramfs made for this boot in c->dir); -1 with the
 * verdict in o.  Buffers in b live for the run. */
struct xen_domu_bufs {
	char modules[2 * BOOTPATH_CMDLINE_MAX + 1024], xen_cmdline[256], qmem[32], dom0[512], initrd[320];
};
int xen_domu_opts(struct bootctx *c, const struct bootpath_req *req, const char *kernel,
		  struct bootpath_outcome *o, struct qemu_opts *qo, struct xen_domu_bufs *b);
/* The same for n rows, one domU each (qo->initrd: their ramdisk). */
int xen_domu_setup(struct bootctx *c, struct xen_domu_row *rows, size_t n, struct qemu_opts *qo,
		   struct xen_domu_bufs *b);

/* Runs rows (all on xen-domu, one kernel) in one Xen boot: dom0 builds
 * them in turn, each ended by its own domain's end or its timeout, so the
 * boot of Xen, dom0 and the toolstack is paid once.  Each o is filled as
 * bootpath_run would, the times but t_first_byte being the domU's own
 * (from dom0's clock: its banner, its probe line, its end). */
void xen_domu_run_batch(struct bootctx *c, const struct bootpath_req *reqs, size_t n,
			struct bootpath_outcome *outs);

/* After the run: the console split (o->q.console becomes the domU's,
 * o->xen_log and o->dom0_log the others) and the toolstack's reason. */
void xen_domu_finish(struct bootpath_outcome *o);

#endif
