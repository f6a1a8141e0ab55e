/* SPDX-License-Identifier: MIT */
/*
 * xen_domu_batch.c - several xen-domu rows in one Xen boot (xen_domu.h):
 * Xen, the dom0 kernel and its toolstack boot once, then dom0 creates the
 * rows' domUs in turn.  Each row is then judged from its own part of the
 * console: its domU's lines, and dom0's lines between its `xl create` and
 * its end, where our init says what went wrong.  Its times are its own,
 * by dom0's clock, from its `xl create`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "machine/xen_domu.h"
#include "report/guest_report.h"

#define TOOLSTACK_BOOT_S	120	/* Xen, dom0, the toolstack: 25-80 s measured under TCG */
#define DOMU_END_S		20	/* a domU's end, drained and destroyed */
#define PANIC_MARK		"Kernel panic - not syncing"

/* Dom0's uptime on our init's line "zp-dom0: NAME: WHAT (at X s)", or -1. */
static double stamp(const char *dom0_log, const char *name, const char *what)
{
	char mark[80];
	snprintf(mark, sizeof(mark), "zp-dom0: %s: %s (at ", name, what);
	const char *p = strstr(dom0_log, mark);
	return p ? strtod(p + strlen(mark), NULL) : -1;
}

/* The part of dom0's log about this domU: from its `xl create` to its end
 * (or the log's end), malloc'ed; NULL when it was never created. */
static char *section(const char *dom0_log, const char *name)
{
	char from[64], to[64];
	snprintf(from, sizeof(from), "zp-dom0: %s: xl create", name);
	snprintf(to, sizeof(to), "zp-dom0: %s: done", name);
	const char *a = strstr(dom0_log, from), *z = a ? strstr(a, to) : NULL;
	if (!a)
		return NULL;
	return strndup(a, z ? (size_t)(z - a) + strlen(to) : strlen(a));
}

/* A row's verdict from its own lines, when the boot got as far as it. */
static void judge_row(struct bootpath_outcome *o, const char *mine, const char *shared_reason,
		      enum verdict shared)
{
	char why[300];
	const char *panic = strstr(o->q.console, PANIC_MARK);
	bool done = mine && strstr(mine, ": done");

	if (panic) {
		o->verdict = VERDICT_PANIC;
		snprintf(o->reason, sizeof(o->reason), "%.*s", (int)strcspn(panic, "\n"), panic);
		return;
	}
	xen_domu_stop_reason(mine ? mine : "", "", why, sizeof(why));
	if (why[0]) {
		bootpath_set(o, VERDICT_NOINIT, "%s", why);
	} else if (done && o->q.probe_line) {
		bootpath_set(o, VERDICT_OK, "%s", "");
	} else if (done) {
		bootpath_set(o, VERDICT_NOINIT, "the domain ended without the probe line");
	} else {	/* the shared boot stopped in this row: its verdict is ours */
		bootpath_set(o, shared == VERDICT_OK ? VERDICT_NOINIT : shared, "%s", shared_reason);
	}
}

/* Row r's outcome from the shared run q. */
static void finish_row(struct bootctx *c, struct xen_domu_row *r, const struct qemu_result *q)
{
	struct bootpath_outcome *o = r->o;
	size_t n = q->console_len + 1, xl, dl, ul;
	char *x = malloc(n), *d = malloc(n), *u = malloc(n);

	if (!x || !d || !u || !q->console) {
		free(x);
		free(d);
		free(u);
		bootpath_set(o, VERDICT_ERROR, "out of memory");
		return;
	}
	xen_domu_split_console(q->console, q->console_len, r->name, x, &xl, d, &dl, u, &ul);
	o->q.console = u;
	o->q.console_len = ul;
	o->xen_log = x;
	o->dom0_log = d;
	o->q.probe_line = guest_report_extract(u, ul);
	o->q.exit_status = q->exit_status;
	o->q.killed = q->killed;
	double t0 = stamp(d, r->name, "xl create"), banner = stamp(d, r->name, "banner"),
	       probe = stamp(d, r->name, "probe"), end = stamp(d, r->name, "done");
	/* dom0 stamps xl create, the banner, the probe and the end; when the
	 * domU's first byte came it does not see: unknown, not made up */
	o->q.t_first_byte = -1;
	o->q.t_banner = t0 >= 0 && banner >= 0 ? banner - t0 : -1;
	o->q.t_init = t0 >= 0 && probe >= 0 ? probe - t0 : -1;
	o->q.t_exit = t0 >= 0 && end >= 0 ? end - t0 : -1;
	char *mine = section(d, r->name);
	if (!mine && t0 < 0)
		bootpath_set(o, VERDICT_ERROR, "not run: the shared Xen boot ended before it (%s: %s)",
			     verdict_name(q->verdict), q->reason);
	else
		judge_row(o, mine, q->reason, q->verdict);
	o->batch_not_run = !mine;
	free(mine);
	bootpath_judge(c, r->req, o);
}

void xen_domu_run_batch(struct bootctx *c, const struct bootpath_req *reqs, size_t n,
			struct bootpath_outcome *outs)
{
	struct xen_domu_row *rows = calloc(XEN_DOMU_BATCH_MAX, sizeof(*rows));
	struct xen_domu_bufs *b = malloc(sizeof(*b));
	size_t live = 0;
	double total = TOOLSTACK_BOOT_S;
	char mem[32], note[256];

	for (size_t i = 0; i < n; i++)
		memset(&outs[i], 0, sizeof(outs[i]));
	if (!rows || !b || n > XEN_DOMU_BATCH_MAX) {
		for (size_t i = 0; i < n; i++)
			bootpath_set(&outs[i], VERDICT_ERROR, "out of memory or too many rows");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct xen_domu_row *r = &rows[live];
		if (bootpath_prepare(c, &reqs[i], &outs[i], r->kernel, sizeof(r->kernel)))
			continue;
		bootpath_mem(&reqs[i], mem, sizeof(mem), note, sizeof(note));
		r->req = &reqs[i];
		r->o = &outs[i];
		r->domu_mib = (unsigned long)qemu_mem_mib(mem);
		/* the row's own timeout, less the shared boot's part */
		r->timeout_s = reqs[i].timeout_s > TOOLSTACK_BOOT_S + 60 ?
			       (unsigned)(reqs[i].timeout_s - TOOLSTACK_BOOT_S) : 60;
		total += r->timeout_s + DOMU_END_S;
		live++;
	}
	struct qemu_opts qo = { .accel = reqs[0].accel, .timeout_s = total,
				.initrd = c->initrd ? c->initrd : c->probe_initrd };
	if (!live || xen_domu_setup(c, rows, live, &qo, b))
		goto out;
	struct qemu_result q;
	int qr = qemu_run(&qo, &q);
	unlink(b->initrd);
	for (size_t k = 0; k < live; k++) {
		if (qr)
			bootpath_set(rows[k].o, VERDICT_ERROR, "out of memory");
		else if (rows[k].name[0])
			finish_row(c, &rows[k], &q);
	}
	if (!qr)
		qemu_result_free(&q);
out:
	for (size_t i = 0; i < n; i++)	/* rows that ended before bootpath_judge */
		if (!outs[i].entry_why[0])
			bootpath_find_entry(&reqs[i], &outs[i]);
	free(rows);
	free(b);
}
