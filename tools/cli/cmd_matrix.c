/* SPDX-License-Identifier: MIT */
/*
 * zeropage matrix KERNEL...: boot each kernel with the probe initramfs
 * through every entry path on every machine asked for, and show per path
 * whether it reached init, how long each stage took, and which zero-page
 * fields differ from the first ok path on the same machine (by field name).
 * --shard K/N runs one slice of that grid (report/matrix_rows.h); `zeropage
 * report` merges the slices' JSON.  The table, JSON, JUnit and KCIDB
 * writers live in report/ and are shared with `report`.
 * Exit: 0 when every path is ok or not applicable, 8 when any failed,
 * 1 our error, 2 usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/kernel_arg.h"
#include "common/clock.h"
#include "common/tool_err.h"
#include "machine/accel.h"
#include "machine/bootpath.h"
#include "machine/matrix_pool.h"
#include "machine/process.h"
#include "cli/commands.h"
#include "common/fileio.h"
#include "report/across_load.h"
#include "report/kcidb.h"
#include "report/matrix_html.h"
#include "report/kernel_id.h"
#include "report/matrix_rows.h"
#include "common/safe_text.h"

static void matrix_usage(FILE *f)
{
	fprintf(f,
		"usage: zeropage matrix KERNEL... [options]\n"
		"\n"
		"Boot each bzImage (or vmlinux) KERNEL with the probe initramfs through every\n"
		"entry path, on the machines each exists on:\n");
	names_print_paths(f);
	fprintf(f,
		"Each row says the kernel entry it went through (efi-pe, boot-protocol-32, ...):\n"
		"the path's own, checked against the zero page, or what the zero page shows.\n"
		"On machine xen the shim paths run as Xen's PVH dom0 and the qemu-* paths do\n"
		"not apply; xen-* apply only there and on xen-domu, where xen-pv, xen-pvh and\n"
		"the shim paths are domUs that `xl create` builds in a toolstack dom0 (the\n"
		"kernel itself, or the bundle, as xl's `kernel`).  Rows that do not apply are\n"
		"shown (as n/a) only for paths named in --paths.  A KERNEL may be a .deb or\n"
		".rpm package holding the kernel (boot/vmlinuz-V, [usr/]lib/modules/V/vmlinuz),\n"
		"as `make bindeb-pkg` and `make binrpm-pkg` write them.\n"
		"\n"
		"  --paths LIST    comma-separated subset of the paths above (default: all)\n"
		"  --machine LIST  comma-separated machines: pc, q35, microvm, xen, xen-domu\n"
		"                  (default pc,microvm; xen is Debian's Xen under QEMU q35)\n"
		"  --dom0 KERNEL   xen-domu: dom0's kernel (default: the newest generic\n"
		"                  vmlinuz-*-amd64 in the cache, CONFIG_XEN_DOM0), or a\n"
		"                  .deb or .rpm: its kernel and Xen modules\n"
		"  --domu-batch N  xen-domu: rows per Xen boot, dom0 building them in turn\n"
		"                  (1..8; default: the rows split over the -j boots)\n"
		"  -j, --jobs N    boot N guests at a time (default 1)\n"
		"  --timeout S     per boot (default 60; 240 on xen, 480 on xen-domu)\n"
		"  --accel A       auto (default), tcg or kvm\n"
		"  --mem SIZE      guest memory (default 256M; 512M on grub-efi); below what\n"
		"                  the kernel starts in, each row an error saying how much\n"
		"  --append S      also append S to every command line\n"
		"  --kernel-version V  in each package KERNEL, its kernel V (where it has several)\n"
		"  --reference P   diff each row's zero page against path P on its machine\n"
		"                  (default: the machine's first ok path)\n"
		"  --shard K/N     run only rows K-1, K-1+N, K-1+2N, ... of the grid (every\n"
		"                  KERNEL x machine x path in that order, rows that do not\n"
		"                  apply counted); `zeropage report` merges the N shards' JSON\n"
		"  --json F        write every result, with full zero-page diffs and reports\n"
		"  --junit F       write the results as JUnit XML\n"
		"  --kcidb F       write the results as KCIDB I/O JSON (schema v%d.%d)\n"
		"  --kcidb-origin O  the KCIDB origin, [a-z0-9_]+ (default zeropage)\n"
		"  --html F        write a self-contained HTML page: the table, a timeline per\n"
		"                  row, zero-page differences, KASLR offsets, failures' consoles\n"
		"  --across PATH   after the table, PATH's zero page side by side across the\n"
		"                  machines it ran on, as `zeropage report --across` shows it\n"
		"                  (PATH among --paths; repeatable, or a comma list)\n"
		"\n"
		"A path passes when the probe reports the command line it was given, the\n"
		"probe initramfs's size as its initrd, the type_of_loader of its loader\n"
		"(0xb0 for QEMU's loaders, 0x90 for Xen's, 0xff for the shim, 0x72 for GRUB, 0x21 for the\n"
		"EFI stub, 0xb0 for mixed mode), for EFI paths /sys/firmware/efi and\n"
		"efi_loader_signature EL64 or EL32,\n"
		"hardware_subarch_data nonzero exactly for shim-subarch, and hardware_subarch\n"
		"Xen (2) for xen-pv and for shim-subarch on xen.  An image that is not Linux\n"
		"(memtest86+, iPXE) runs no probe: its row is started when it wrote to the\n"
		"serial console (ended 3 s later), and passes.  KCIDB statuses: ok PASS;\n"
		"started DONE; mismatch, panic, timeout, no-init FAIL; error, qemu-failed\n"
		"ERROR; skipped, n/a SKIP.  exit: 0 all passed, 8 some failed, 1 error, 2 usage;\n"
		"stopped by a signal (Ctrl-C), 128 + it, after writing the rows done (the one\n"
		"running an error, the rest not run); a second signal ends it at once.\n",
		KCIDB_MAJOR, KCIDB_MINOR);
}

/* Splits a comma list into items (pointers into s, which is modified). */
static int split(char *s, char **items, int cap)
{
	int n = 0;
	for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ",")) {
		if (n == cap)
			return -1;
		items[n++] = tok;
	}
	return n;
}

/* What the command line asked for. */
struct matrix_opts {
	char pathbuf[256], machbuf[128], acrossbuf[256];
	bool paths_given, mem_given;	/* mem_given: else each path's default (bootpath_mem) */
	const char *json_path, *junit_path, *kcidb_path, *html_path, *origin;
	const char *accel, *mem, *append, *reference, *dom0;
	const char *kernels[MATRIX_MAX_KERNELS];	/* as given: an image or a package */
	const char *files[MATRIX_MAX_KERNELS];		/* what is read: the image, or the package's kernel */
	const char *kernel_version;		/* --kernel-version: a package's kernel */
	size_t nkernels;
	unsigned shard, shards;
	enum bootpath ref_path;
	bool has_ref_path;
	double timeout;		/* 0: each machine's default */
	long njobs;
	long domu_batch;	/* xen-domu rows per Xen boot; 0: as many as -j allows */
	enum bootpath paths[BOOTPATH_COUNT];
	char *mnames[MATRIX_MAX_MACHINES];
	int np, nm;
	const char *across[BOOTPATH_COUNT];	/* --across: path names, each once */
	int nacross;
	struct kernel_arg dom0_arg;	/* --dom0 a package: its kernel and modules */
};

#define HELP_SHOWN	(-1)

/* One option of those parse_options takes: 0 or CLI_EXIT_USAGE. */
static int take_option(int c, struct matrix_opts *m)
{
	char *end;

	switch (c) {
	case 'p':
	case 'M':
		if (strlen(optarg) >= (c == 'p' ? sizeof(m->pathbuf) : sizeof(m->machbuf))) {
			tool_error("list too long: '%s'", optarg);
			return CLI_EXIT_USAGE;
		}
		strcpy(c == 'p' ? m->pathbuf : m->machbuf, optarg);
		m->paths_given |= c == 'p';
		return 0;
	case 'X':	/* --across, repeatable: the lists joined */
		if (strlen(m->acrossbuf) + 1 + strlen(optarg) >= sizeof(m->acrossbuf)) {
			tool_error("--across: list too long: '%s'", optarg);
			return CLI_EXIT_USAGE;
		}
		if (m->acrossbuf[0])
			strcat(m->acrossbuf, ",");
		strcat(m->acrossbuf, optarg);
		return 0;
	case 'J': m->json_path = optarg; return 0;
	case 'U': m->junit_path = optarg; return 0;
	case 'K': m->kcidb_path = optarg; return 0;
	case 'H': m->html_path = optarg; return 0;
	case 'O': m->origin = optarg; return 0;
	case 'A': m->accel = optarg; return 0;
	case 'm': m->mem = optarg; m->mem_given = true; return 0;
	case 'a': m->append = optarg; return 0;
	case 'R': m->reference = optarg; return 0;
	case 'V': m->kernel_version = optarg; return 0;
	case 'D': m->dom0 = optarg; return 0;
	case 'B':
		m->domu_batch = strtol(optarg, &end, 10);
		if (*end || end == optarg || m->domu_batch < 1 || m->domu_batch > XEN_DOMU_BATCH_MAX) {
			tool_error("--domu-batch '%s': expected 1..%d", optarg, XEN_DOMU_BATCH_MAX);
			return CLI_EXIT_USAGE;
		}
		return 0;
	case 'S':
		if (matrix_shard_parse(optarg, &m->shard, &m->shards)) {
			tool_error("--shard '%s': expected K/N, 1 <= K <= N", optarg);
			return CLI_EXIT_USAGE;
		}
		return 0;
	case 'j':
		m->njobs = strtol(optarg, &end, 10);
		if (*end || end == optarg || m->njobs < 1 || m->njobs > MATRIX_MAX_THREADS) {
			tool_error("-j '%s': expected 1..%d", optarg, MATRIX_MAX_THREADS);
			return CLI_EXIT_USAGE;
		}
		return 0;
	case 't':
		m->timeout = strtod(optarg, &end);
		if (*end || end == optarg || !(m->timeout > 0) || m->timeout > 86400) {
			tool_error("--timeout '%s': expected seconds in (0, 86400]",
				optarg);
			return CLI_EXIT_USAGE;
		}
		return 0;
	}
	matrix_usage(stderr);
	return CLI_EXIT_USAGE;
}

/* Options into m; 0, HELP_SHOWN, or CLI_EXIT_USAGE. */
static int parse_options(int argc, char **argv, struct matrix_opts *m)
{
	static const struct option longopts[] = {
		{ "paths", required_argument, NULL, 'p' },
		{ "machine", required_argument, NULL, 'M' },
		{ "json", required_argument, NULL, 'J' },
		{ "junit", required_argument, NULL, 'U' },
		{ "kcidb", required_argument, NULL, 'K' },
		{ "kcidb-origin", required_argument, NULL, 'O' },
		{ "html", required_argument, NULL, 'H' },
		{ "shard", required_argument, NULL, 'S' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, 't' },
		{ "accel", required_argument, NULL, 'A' },
		{ "mem", required_argument, NULL, 'm' },
		{ "append", required_argument, NULL, 'a' },
		{ "reference", required_argument, NULL, 'R' },
		{ "kernel-version", required_argument, NULL, 'V' },
		{ "dom0", required_argument, NULL, 'D' },
		{ "domu-batch", required_argument, NULL, 'B' },
		{ "across", required_argument, NULL, 'X' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "j:h", longopts, NULL)) != -1) {
		if (c == 'h') {
			matrix_usage(stdout);
			return HELP_SHOWN;
		}
		if ((rc = take_option(c, m)))
			return rc;
	}
	if (optind >= argc) {
		tool_error("missing KERNEL");
		matrix_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (argc - optind > MATRIX_MAX_KERNELS) {
		tool_error("%d kernels given, at most %d", argc - optind,
			MATRIX_MAX_KERNELS);
		return CLI_EXIT_USAGE;
	}
	for (int i = optind; i < argc; i++)
		m->kernels[m->nkernels++] = argv[i];
	return 0;
}

/* --paths into m->paths: 0 or CLI_EXIT_USAGE. */
static int check_paths(struct matrix_opts *m)
{
	char *pnames[BOOTPATH_COUNT];

	m->np = split(m->pathbuf, pnames, BOOTPATH_COUNT);
	m->nm = split(m->machbuf, m->mnames, MATRIX_MAX_MACHINES);
	if (m->np <= 0 || m->nm <= 0) {
		tool_error("%s: expected 1 to %d comma-separated names",
			m->np <= 0 ? "--paths" : "--machine", m->np <= 0 ? BOOTPATH_COUNT : MATRIX_MAX_MACHINES);
		return CLI_EXIT_USAGE;
	}
	for (int i = 0; i < m->np; i++) {
		if (bootpath_parse(pnames[i], &m->paths[i])) {
			tool_error("unknown path '%s' (see --help)", pnames[i]);
			return CLI_EXIT_USAGE;
		}
		for (int k = 0; k < i; k++)
			if (m->paths[k] == m->paths[i]) {
				tool_error("path '%s' given twice", pnames[i]);
				return CLI_EXIT_USAGE;
			}
	}
	return 0;
}

/* --across into m->across: known paths, each among --paths: 0 or
 * CLI_EXIT_USAGE. */
static int check_across(struct matrix_opts *m)
{
	char *names[BOOTPATH_COUNT];
	enum bootpath p;
	int n;

	if (!m->acrossbuf[0])
		return 0;
	if ((n = split(m->acrossbuf, names, BOOTPATH_COUNT)) <= 0) {
		tool_error("--across: expected 1 to %d comma-separated paths", BOOTPATH_COUNT);
		return CLI_EXIT_USAGE;
	}
	for (int i = 0; i < n; i++) {
		if (bootpath_parse(names[i], &p)) {
			tool_error("--across: unknown path '%s' (see --help)", names[i]);
			return CLI_EXIT_USAGE;
		}
		int k = 0;
		while (k < m->np && m->paths[k] != p)
			k++;
		if (k == m->np) {
			tool_error("--across %s: not among --paths (the run has no row of it)",
				   bootpath_name(p));
			return CLI_EXIT_USAGE;
		}
		for (k = 0; k < m->nacross; k++)
			if (!strcmp(m->across[k], bootpath_name(p)))
				break;
		if (k == m->nacross)	/* named twice: one table */
			m->across[m->nacross++] = bootpath_name(p);
	}
	return 0;
}

/* The lists and values, checked: 0 or CLI_EXIT_USAGE with the reason. */
static int check_options(struct matrix_opts *m)
{
	int rc;

	if (strcmp(m->accel, "auto") && strcmp(m->accel, "tcg") && strcmp(m->accel, "kvm")) {
		tool_error("--accel '%s': expected auto, tcg or kvm", m->accel);
		return CLI_EXIT_USAGE;
	}
	if (!qemu_mem_size_ok(m->mem)) {
		tool_error("--mem '%s': expected a size such as 256M", m->mem);
		return CLI_EXIT_USAGE;
	}
	if (!kcidb_origin_ok(m->origin)) {
		tool_error("--kcidb-origin '%s': expected [a-z0-9_]+", m->origin);
		return CLI_EXIT_USAGE;
	}
	if ((rc = check_paths(m)) || (rc = check_across(m)))
		return rc;
	if (m->reference) {
		if (bootpath_parse(m->reference, &m->ref_path)) {
			tool_error("--reference: unknown path '%s' (see --help)",
				m->reference);
			return CLI_EXIT_USAGE;
		}
		m->reference = bootpath_name(m->ref_path);
		m->has_ref_path = true;
	}
	for (int i = 0; i < m->nm; i++) {
		if (!bootpath_machine_known(m->mnames[i])) {
			tool_error("unknown machine '%s' (pc, q35, microvm, xen, xen-domu)",
				m->mnames[i]);
			return CLI_EXIT_USAGE;
		}
		for (int k = 0; k < i; k++)
			if (!strcmp(m->mnames[k], m->mnames[i])) {
				tool_error("machine '%s' given twice", m->mnames[i]);
				return CLI_EXIT_USAGE;
			}
	}
	return 0;
}

/* Every output file writable, every kernel read and named, none twice:
 * 0 or CLI_EXIT_ERROR with the reason. */
static int check_inputs(const struct matrix_opts *m, const struct kernel_arg *ka,
			struct kernel_id *kids)
{
	const char *outs[] = { m->json_path, m->junit_path, m->kcidb_path, m->html_path };
	const char *opts[] = { "--json", "--junit", "--kcidb", "--html" };
	struct fileio_named_path ins[MATRIX_MAX_KERNELS];
	struct tool_err err;

	for (size_t k = 0; k < m->nkernels; k++)
		ins[k] = (struct fileio_named_path){ "KERNEL", m->kernels[k] };
	for (size_t i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		if (outs[i] && fileio_check_writable(outs[i], &err)) {
			tool_error("cannot write %s", err.msg);
			return CLI_EXIT_ERROR;
		}
		if (outs[i] &&
		    fileio_check_output_not_input(opts[i], outs[i], ins, m->nkernels, &err)) {
			tool_error("%s", err.msg);
			return CLI_EXIT_ERROR;
		}
	}
	for (size_t k = 0; k < m->nkernels; k++) {
		if (kernel_id_read(m->files[k], &kids[k], &err)) {
			kernel_arg_name_in(&ka[k], &err);
			tool_error("%s", err.msg);
			return CLI_EXIT_ERROR;
		}
		kids[k].file = m->kernels[k];	/* a package by its own name */
		/* the same image twice would be the same KCIDB build and tests */
		for (size_t p = 0; p < k; p++)
			if (!strcmp(kids[p].sha256, kids[k].sha256)) {
				tool_error("%s is the same image as %s (sha256 %.16s...)",
					m->kernels[k], m->kernels[p], kids[k].sha256);
				return CLI_EXIT_ERROR;
			}
	}
	return 0;
}

/* The grid in row order - kernel, machine, path - numbered whether or not
 * a row is shown, so that every shard numbers it alike; this shard's rows
 * become jobs (rows that do not exist on a machine only when their path
 * was named; the others go to hidden[], of every shard).  Returns the
 * number of jobs; *grid the rows of the grid, *nhidden those not shown. */
static size_t plan_jobs(const struct matrix_opts *m, const char *accel, struct matrix_job *jobs,
			size_t *grid, size_t *hidden, size_t *nhidden)
{
	size_t n = 0, index = 0;

	memset(jobs, 0, sizeof(*jobs) * MATRIX_MAX_JOBS);
	for (size_t kn = 0; kn < m->nkernels; kn++)
		for (int k = 0; k < m->nm; k++)
			for (int i = 0; i < m->np; i++, index++) {
				char na[160];
				if (!m->paths_given &&
				    !bootpath_applies(m->paths[i], m->mnames[k], na, sizeof(na))) {
					hidden[(*nhidden)++] = index;
					continue;
				}
				if (!matrix_shard_has(index, m->shard, m->shards))
					continue;
				jobs[n].req = (struct bootpath_req){
					.path = m->paths[i], .machine = m->mnames[k], .accel = accel,
					.mem = m->mem_given ? m->mem : NULL,
					.append = m->append, .id = (unsigned)n, .dom0 = m->dom0,
					.timeout_s = m->timeout ? m->timeout :
						     bootpath_machine_default_timeout(m->mnames[k]),
				};
				jobs[n].index = index;
				jobs[n].kernel = kn;
				jobs[n].start_time = jobs[n].duration = -1;
				n++;
			}
	*grid = index;
	return n;
}

/* A path whose default memory is raised says so, once. */
static void say_memory(const struct matrix_job *jobs, size_t n)
{
	bool said[BOOTPATH_COUNT] = { false };
	char mem[32], note[256];

	for (size_t i = 0; i < n; i++) {
		if (said[jobs[i].req.path])
			continue;
		said[jobs[i].req.path] = true;
		bootpath_mem(&jobs[i].req, mem, sizeof(mem), note, sizeof(note));
		if (note[0])
			tool_error("%s", note);
	}
}

/* A finished job as a row of the shared writers (pointing into it). */
static void job_row(const struct matrix_job *j, const struct kernel_id *kid, struct matrix_row *r)
{
	const struct bootpath_outcome *o = &j->out;

	memset(r, 0, sizeof(*r));
	r->index = j->index;
	r->kernel = kid;
	r->path = bootpath_name(j->req.path);
	r->machine = j->req.machine;
	r->accel = j->req.accel;
	r->verdict = o->verdict;
	r->reason = o->reason;
	r->cmdline = o->cmdline;
	r->entry = boot_entry_name(o->entry);
	r->entry_why = o->entry_why;
	r->t_first_byte = o->q.t_first_byte;
	r->t_banner = o->q.t_banner;
	r->t_init = o->q.t_init;
	r->t_exit = o->q.t_exit;
	r->build_s = o->build_s;
	r->start_time = j->start_time;
	r->duration = j->duration;
	r->has_report = o->has_report;
	r->report = o->has_report ? o->report : NULL;
	r->link = o->link;
	if (r->report) {
		kaslr_seen_cell(r->kaslr, sizeof(r->kaslr), r->report, &r->link);
		if (r->report->has_bootparams)
			r->zero_page = r->report->bootparams;
	}
	r->console = o->q.console;
	r->console_len = o->q.console_len;
	r->xen_log = o->xen_log;
	r->dom0_log = o->dom0_log;
}

/* One line for a table with fewer than two machines to compare: which
 * ran it and how it ended, which have it n/a. */
static void say_nothing_across(FILE *f, const struct across_table *t, size_t ok)
{
	const char *slash = strrchr(t->kernel->file, '/');

	safe_text_printf(f, "%s across machines, kernel %s: nothing to compare, %zu machine%s with "
			 "an ok row of it (", t->path, slash ? slash + 1 : t->kernel->file, ok,
			 ok == 1 ? "" : "s");
	for (size_t c = 0; c < t->ncols; c++)
		fprintf(f, "%s%s %s", c ? ", " : "", t->col[c].machine,
			verdict_name(t->col[c].verdict));
	for (size_t c = 0; c < t->nna; c++)
		fprintf(f, "%s%s", c ? ", " : t->ncols ? "; n/a on " : "n/a on ", t->na[c]);
	fputs(")\n", f);
}

/* --across: each path's tables from the rows just run (across_load.h), on
 * f after the matrix table; a kernel where fewer than two machines have an
 * ok row of it says so in a line.  0, or -1 out of memory. */
static int print_across(FILE *f, const struct matrix_opts *m, const struct matrix_row *rows,
			size_t n)
{
	struct across_load A;
	struct tool_err err;

	for (int i = 0; i < m->nacross; i++) {
		if (across_load_rows(&A, m->across[i], rows, n, &err)) {
			tool_error("--across %s: %s", m->across[i], err.msg);
			return -1;
		}
		if (!A.ntables)	/* this shard ran none of its rows */
			fprintf(f, "\n%s across machines: no row of it in this run\n", m->across[i]);
		for (size_t k = 0; k < A.ntables; k++) {
			const struct across_table *t = &A.tables[k];
			size_t ok = across_table_reported(t);
			fputc('\n', f);
			if (ok >= 2) {
				across_table_print(f, t);
				continue;
			}
			say_nothing_across(f, t, ok);
		}
		across_load_free(&A);
	}
	return 0;
}

/* What this run was asked for, as the rows' writers record it: the run
 * without its rows. */
struct planned {
	const struct kernel_id *kids;
	size_t grid;			/* rows in the whole grid */
	const size_t *hidden;
	size_t nhidden;
	double start;			/* Unix time, before the first row */
};

/* Table, exit code, JSON, JUnit and KCIDB; frees the jobs. */
static int report(const struct matrix_opts *m, const char *accel, struct matrix_job *jobs, size_t n,
		  const struct planned *plan)
{
	int rc = CLI_EXIT_OK;
	struct matrix_row *rows = calloc(n ? n : 1, sizeof(*rows));
	const char *paths[BOOTPATH_COUNT];
	struct matrix_run run = {
		.kernels = plan->kids, .nkernels = m->nkernels, .rows = rows, .nrows = n,
		.reference = m->reference, .grid_rows = plan->grid, .shard = m->shard,
		.shards = m->shards,
		.grid = { .paths = paths, .npaths = (size_t)m->np,
			  .machines = (const char *const *)m->mnames, .nmachines = (size_t)m->nm,
			  .hidden = plan->hidden, .nhidden = plan->nhidden, .append = m->append,
			  .mem = m->mem, .timeout = m->timeout },
		.run_start = plan->start, .run_end = clock_real_s(),
	};

	if (!rows) {
		tool_error("out of memory");
		rc = CLI_EXIT_ERROR;
		goto out;
	}
	for (int i = 0; i < m->np; i++)
		paths[i] = bootpath_name(m->paths[i]);
	for (size_t i = 0; i < n; i++)
		job_row(&jobs[i], &plan->kids[jobs[i].kernel], &rows[i]);
	matrix_rows_diff(rows, n, m->reference);
	/* a report on stdout keeps it to itself: the table goes to stderr */
	FILE *table = stdout;
	const char *outs[] = { m->json_path, m->junit_path, m->kcidb_path, m->html_path };
	for (size_t i = 0; i < sizeof(outs) / sizeof(outs[0]); i++)
		if (outs[i] && fileio_output_fd(outs[i]) == STDOUT_FILENO)
			table = stderr;
	size_t failed = matrix_rows_table(table, &run);
	if (print_across(table, m, rows, n))
		rc = CLI_EXIT_ERROR;
	fflush(table);
	if (matrix_rows_count(&run, VERDICT_STARTED))
		tool_error("%zu row%s started an image that is not Linux: passed on its own "
			   "console output alone (no probe runs there)",
			   matrix_rows_count(&run, VERDICT_STARTED),
			   matrix_rows_count(&run, VERDICT_STARTED) == 1 ? "" : "s");
	if (failed) {
		tool_error("%zu of %zu paths failed", failed, n);
		rc = CLI_EXIT_PATHS;
	}
	if (cli_write_output("--json", m->json_path, matrix_rows_json, &run, accel) ||
	    cli_write_output("--junit", m->junit_path, matrix_rows_junit, &run, "zeropage matrix") ||
	    cli_write_output("--kcidb", m->kcidb_path, kcidb_write, &run, m->origin) ||
	    cli_write_output("--html", m->html_path, matrix_html_write, &run, accel))
		rc = CLI_EXIT_ERROR;
	matrix_rows_free_diffs(rows, n);
out:
	free(rows);
	for (size_t i = 0; i < n; i++)
		bootpath_outcome_free(&jobs[i].out);
	return rc;
}

/* A context for each kernel with rows in this shard, and what those rows
 * share prepared before the threads start: 0, or -1 (all freed). */
static int prepare_kernels(const struct matrix_opts *m, const struct matrix_job *jobs, size_t n,
			   struct bootctx *ctx, bool *used)
{
	struct tool_err err;

	for (size_t i = 0; i < n; i++)
		used[jobs[i].kernel] = true;
	for (size_t k = 0; k < m->nkernels; k++) {
		if (!used[k])
			continue;
		if (bootctx_init(&ctx[k], m->files[k], NULL, &err)) {
			tool_error("%s", err.msg);	/* may name sections */
			while (k-- > 0)
				if (used[k])
					bootctx_free(&ctx[k]);
			return -1;
		}
	}
	(void)accel_host_tsc_khz();
	for (size_t k = 0; k < m->nkernels; k++) {
		if (!used[k])
			continue;
		/* every path but qemu-bios and the shim's reads its notes */
		bootctx_prepare_vmlinux(&ctx[k]);
		for (int i = 0; i < m->nm; i++)
			if (bootpath_machine_is_xen(m->mnames[i]))
				bootctx_prepare_xen(&ctx[k]);
	}
	return 0;
}

static void close_kernels(struct matrix_opts *m, struct kernel_arg *ka)
{
	for (size_t k = 0; k < m->nkernels; k++)
		kernel_arg_close(&ka[k]);
	kernel_arg_close(&m->dom0_arg);
}

/* Each KERNEL that is a package: its kernel written out (kernel_arg.h),
 * m->files[] what is read.  0, or CLI_EXIT_ERROR with those opened closed. */
static int open_kernels(struct matrix_opts *m, struct kernel_arg *ka)
{
	struct tool_err err;
	bool any_package = false;

	if (kernel_arg_open_dom0(&m->dom0_arg, m->dom0, false, &err)) {
		tool_error("%s", err.msg);
		return CLI_EXIT_ERROR;
	}
	m->dom0 = m->dom0_arg.path;
	for (size_t k = 0; k < m->nkernels; k++) {
		/* --kernel-version applies to the packages among the kernels */
		bool pkg = kernel_arg_is_package(m->kernels[k]);
		any_package |= pkg;
		if (kernel_arg_open(&ka[k], m->kernels[k], pkg ? m->kernel_version : NULL, &err)) {
			tool_error("%s", err.msg);
			while (k-- > 0)
				kernel_arg_close(&ka[k]);
			kernel_arg_close(&m->dom0_arg);
			return CLI_EXIT_ERROR;
		}
		kernel_arg_say(&ka[k], false);
		m->files[k] = ka[k].path;
	}
	if (m->kernel_version && !any_package) {
		tool_error("--kernel-version chooses a kernel in a package (.deb, .rpm), "
			   "and no KERNEL is one");
		close_kernels(m, ka);
		return CLI_EXIT_ERROR;
	}
	return 0;
}

int cmd_matrix(int argc, char **argv)
{
	static struct matrix_job jobs[MATRIX_MAX_JOBS];
	static struct bootctx ctx[MATRIX_MAX_KERNELS];
	static struct kernel_id kids[MATRIX_MAX_KERNELS];
	static size_t hidden[MATRIX_MAX_JOBS];
	struct planned plan = { .kids = kids, .hidden = hidden, .start = clock_real_s() };
	bool used[MATRIX_MAX_KERNELS] = { false };
	struct matrix_opts m = {
		.pathbuf = "qemu-bios,qemu-pvh,shim-64,shim-32,shim-vmlinux,shim-subarch,"
			   "xen-pv,xen-pvh,ovmf,ovmf-ia32,grub-bios,grub-efi,systemd-boot,efi-handover,efi-handover-ia32",
		.machbuf = "pc,microvm", .accel = "auto", .mem = "256M", .njobs = 1,
		.origin = "zeropage", .shard = 1, .shards = 1,
	};
	char why[256] = "";
	int rc = parse_options(argc, argv, &m);

	if (rc)
		return rc == HELP_SHOWN ? CLI_EXIT_OK : rc;
	if ((rc = check_options(&m)))
		return rc;
	/* Ctrl-C, a CI job's cancel: the rows done are reported, not lost */
	process_install_interrupt_handlers();
	static struct kernel_arg ka[MATRIX_MAX_KERNELS];
	if ((rc = open_kernels(&m, ka)))
		return rc;
	if ((rc = check_inputs(&m, ka, kids))) {
		close_kernels(&m, ka);
		return rc;
	}
	/* Everything shared is decided before the threads start. */
	const char *accel = m.accel;
	size_t n = plan_jobs(&m, accel, jobs, &plan.grid, hidden, &plan.nhidden);
	if (prepare_kernels(&m, jobs, n, ctx, used)) {
		close_kernels(&m, ka);
		return CLI_EXIT_ERROR;
	}
	if (!strcmp(accel, "auto")) {
		accel = accel_auto(why, sizeof(why));
		tool_error("--accel auto chose %s: %s", accel, why);
		for (size_t i = 0; i < n; i++)
			jobs[i].req.accel = accel;
	}
	if (m.shards > 1)
		tool_error("shard %u/%u: %zu of the grid's %zu rows", m.shard,
			m.shards, n, plan.grid);
	say_memory(jobs, n);
	matrix_pool_plan_batches(jobs, n, m.nkernels, m.njobs, m.domu_batch);
	tool_error("%zu boots, %ld at a time", n, m.njobs);
	struct matrix_pool pool = { .ctx = ctx, .kids = kids, .nkernels = m.nkernels, .jobs = jobs,
			     .njobs = n, .progress = isatty(2) };
	matrix_pool_run(&pool, m.njobs);
	for (size_t k = 0; k < m.nkernels; k++)
		if (used[k])
			bootctx_free(&ctx[k]);
	close_kernels(&m, ka);
	rc = report(&m, accel, jobs, n, &plan);
	int sig = process_interrupted();
	if (!sig)
		return rc;
	size_t ran = 0;
	for (size_t i = 0; i < n; i++)
		ran += jobs[i].start_time >= 0;
	tool_error("stopped by %s: %zu of %zu rows ran (one still running ends as an error), "
		   "%zu not run%s", process_signal_name(sig), ran, n, n - ran,
		   rc == CLI_EXIT_ERROR ? "" : "; the table and every output asked for hold them all");
	return 128 + sig;	/* as a shell reports a command the signal ended */
}
