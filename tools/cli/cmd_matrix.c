/* SPDX-License-Identifier: MIT */
/*
 * zeropage matrix KERNEL: boot one kernel with the probe initramfs through
 * every entry path on every machine asked for, and show per path whether
 * it reached init, how long each stage took, and which zero-page fields
 * differ from the first ok path on the same machine (by field name).
 * Exit: 0 when every path is ok or not applicable, 8 when any failed,
 * 1 our error, 2 usage.
 */
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine/accel.h"
#include "machine/bootpath.h"
#include "cli/commands.h"
#include "image/fileio.h"
#include "report/json.h"
#include "report/junit.h"

#define MAX_MACHINES	4	/* pc, q35, microvm, xen */
#define MAX_JOBS	(MAX_MACHINES * ZP_PATH_COUNT)
#define DIFF_SHOWN	3
#define DIFF_CAP	256

static void matrix_usage(FILE *f)
{
	fprintf(f,
		"usage: zeropage matrix KERNEL [options]\n"
		"\n"
		"Boot bzImage KERNEL with the probe initramfs through every entry path:\n"
		"  qemu-bios     QEMU's bzImage loader (SeaBIOS on pc/q35, qboot on microvm)\n"
		"  qemu-pvh      QEMU's PVH loader on the extracted vmlinux (needs the PVH note)\n"
		"  shim-64, shim-32, shim-vmlinux   the zeropage shim, `bundle --entry 64|32|vmlinux`\n"
		"  shim-subarch  the shim with `--handoff subarch`\n"
		"  xen-pv        machine xen: Xen's PV dom0 builder, the kernel's Xen PV entry\n"
		"  xen-pvh       machine xen: Xen's PVH dom0 builder, the kernel's PVH entry\n"
		"  ovmf          pc, q35: x64 UEFI (Debian's OVMF) starting the EFI stub\n"
		"  ovmf-ia32     q35: 32-bit UEFI booting the 64-bit kernel in mixed mode\n"
		"  grub-bios     pc, q35: GRUB for BIOS from a CD, its linux/initrd commands\n"
		"  grub-efi      pc, q35: GRUB for x86_64 UEFI under OVMF, likewise\n"
		"On machine xen the shim paths run as Xen's PVH dom0 and the qemu-* paths do\n"
		"not apply; xen-* apply only there.  Rows that do not apply are shown (as n/a)\n"
		"only for paths named in --paths.\n"
		"\n"
		"  --paths LIST    comma-separated subset of the paths above (default: all)\n"
		"  --machine LIST  comma-separated machines: pc, q35, microvm, xen (default\n"
		"                  pc,microvm; xen is Debian's Xen under QEMU q35)\n"
		"  -j, --jobs N    boot N guests at a time (default 1)\n"
		"  --timeout S     per boot (default 60; 240 on xen)\n"
		"  --accel A       auto (default), tcg or kvm\n"
		"  --mem SIZE      guest memory (default 256M)\n"
		"  --append S      also append S to every command line\n"
		"  --reference P   diff each row's zero page against path P on its machine\n"
		"                  (default: the machine's first ok path)\n"
		"  --json F        write every result, with full zero-page diffs and reports\n"
		"  --junit F       write the results as JUnit XML\n"
		"\n"
		"A path passes when the probe reports the command line it was given, the\n"
		"probe initramfs's size as its initrd, the type_of_loader of its loader\n"
		"(0xb0 for QEMU's loaders, 0x90 for Xen's, 0xff for the shim, 0x72 for GRUB, 0x21 for the\n"
		"EFI stub, 0xb0 for mixed mode), for EFI paths /sys/firmware/efi and\n"
		"efi_loader_signature EL64 or EL32,\n"
		"hardware_subarch_data nonzero exactly for shim-subarch, and hardware_subarch\n"
		"Xen (2) for xen-pv and for shim-subarch on xen.  exit: 0 all passed, 8 some failed,\n"
		"1 error, 2 usage.\n");
}

struct job {
	struct zp_boot_req req;
	struct zp_boot_outcome out;
	size_t ndiff;			/* differences from the reference */
	struct zp_bp_diff *diff;	/* up to DIFF_CAP */
	int ref;			/* index of the reference job, -1 none */
};

struct pool {
	struct zp_bootctx *ctx;
	struct job *jobs;
	size_t njobs, next;
	pthread_mutex_t lock;
};

static void *worker(void *arg)
{
	struct pool *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->lock);
		size_t i = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (i >= p->njobs)
			return NULL;
		zp_boot_run(p->ctx, &p->jobs[i].req, &p->jobs[i].out);
	}
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

static int passed(enum zp_verdict v)
{
	return v == ZP_VERDICT_OK || v == ZP_VERDICT_SKIPPED || v == ZP_VERDICT_NA;
}

static void fmt_time(char *b, size_t cap, double t)
{
	if (t < 0)
		snprintf(b, cap, "-");
	else
		snprintf(b, cap, "%.2fs", t);
}

static void verdict_cell(const struct job *j, char *b, size_t cap)
{
	enum zp_verdict v = j->out.verdict;
	if (v == ZP_VERDICT_OK || v == ZP_VERDICT_PANIC || v == ZP_VERDICT_TIMEOUT ||
	    v == ZP_VERDICT_NOINIT)
		snprintf(b, cap, "%s", zp_verdict_name(v));
	else if (v == ZP_VERDICT_SKIPPED)
		snprintf(b, cap, "skipped: %s", j->out.reason);
	else if (v == ZP_VERDICT_NA)
		snprintf(b, cap, "n/a");
	else
		snprintf(b, cap, "error: %s", j->out.reason);
}

static void print_table(FILE *f, const struct job *jobs, size_t n, const char *ref)
{
	char v[64], t1[16], t2[16], t3[16], d[512], ref_title[64], kaslr[MAX_JOBS][48];
	int kw = (int)strlen("kaslr");

	/* the kaslr column is as wide as its widest cell: "-" in most rows,
	 * "p+0x..,v+0x.." where the kernel runs away from its link address;
	 * rows without a report leave it blank, "-" means no offset */
	for (size_t i = 0; i < n; i++) {
		kaslr[i][0] = 0;
		if (jobs[i].out.has_report)
			zp_kaslr_cell(kaslr[i], sizeof(kaslr[i]), jobs[i].out.report, &jobs[i].out.link);
		if ((int)strlen(kaslr[i]) > kw)
			kw = (int)strlen(kaslr[i]);
	}
	snprintf(ref_title, sizeof(ref_title), "zero page vs %s", ref ? ref : "first ok path");
	fprintf(f, "%-13s %-8s %-24s %8s %8s %8s  %-*s  %s\n", "path", "machine", "verdict",
		"1st-byte", "banner", "init", kw, "kaslr", ref_title);
	for (size_t i = 0; i < n; i++) {
		const struct job *j = &jobs[i];
		verdict_cell(j, v, sizeof(v));
		if (strlen(v) > 24)
			memcpy(v + 21, "...", 4);
		fmt_time(t1, sizeof(t1), j->out.q.t_first_byte);
		fmt_time(t2, sizeof(t2), j->out.q.t_banner);
		fmt_time(t3, sizeof(t3), j->out.q.t_init);
		if (j->ref < 0 || !j->out.has_report)
			snprintf(d, sizeof(d), "-");
		else if ((size_t)j->ref == i)
			snprintf(d, sizeof(d), "(reference)");
		else
			zp_bp_diff_summary(j->diff, j->ndiff < DIFF_CAP ? j->ndiff : DIFF_CAP,
					   DIFF_SHOWN, d, sizeof(d));
		fprintf(f, "%-13s %-8s %-24s %8s %8s %8s  %-*s  %s\n", zp_path_name(j->req.path),
			j->req.machine, v, t1, t2, t3, kw, kaslr[i], d);
	}
	/* full reasons: the verdict column is truncated */
	for (size_t i = 0; i < n; i++)
		if (jobs[i].out.verdict != ZP_VERDICT_OK && jobs[i].out.verdict != ZP_VERDICT_NA &&
		    jobs[i].out.reason[0])
			fprintf(f, "  %s/%s: %s: %s\n", zp_path_name(jobs[i].req.path),
				jobs[i].req.machine, zp_verdict_name(jobs[i].out.verdict),
				jobs[i].out.reason);
}

static void json_time(struct json *js, const char *k, double t)
{
	char b[32];
	if (t < 0) {
		json_null(js, k);
		return;
	}
	snprintf(b, sizeof(b), "%.3f", t);
	json_string(js, k, b);
}

static void write_json(FILE *f, const char *kernel, const char *accel,
		       const struct job *jobs, size_t n)
{
	struct json js;
	json_init(&js, f);
	json_object_begin(&js, NULL);
	json_string(&js, "kernel", kernel);
	json_string(&js, "accel", accel);
	json_array_begin(&js, "results");
	for (size_t i = 0; i < n; i++) {
		const struct job *j = &jobs[i];
		json_object_begin(&js, NULL);
		json_string(&js, "path", zp_path_name(j->req.path));
		json_string(&js, "machine", j->req.machine);
		json_string(&js, "verdict", zp_verdict_name(j->out.verdict));
		json_bool(&js, "passed", passed(j->out.verdict));
		json_string(&js, "reason", j->out.reason);
		json_string(&js, "cmdline_given", j->out.cmdline);
		json_object_begin(&js, "seconds");
		json_time(&js, "first_byte", j->out.q.t_first_byte);
		json_time(&js, "banner", j->out.q.t_banner);
		json_time(&js, "init", j->out.q.t_init);
		json_time(&js, "exit", j->out.q.t_exit);
		json_time(&js, "build", j->out.build_s);
		json_object_end(&js);
		if (j->ref >= 0 && j->out.has_report) {
			json_string(&js, "diff_against", zp_path_name(jobs[j->ref].req.path));
			json_array_begin(&js, "diff");
			for (size_t k = 0; k < j->ndiff && k < DIFF_CAP; k++) {
				json_object_begin(&js, NULL);
				json_string(&js, "field", j->diff[k].name);
				json_string(&js, "change", j->diff[k].text);
				json_object_end(&js);
			}
			json_array_end(&js);
		}
		zp_kaslr_json(&js, j->out.has_report ? j->out.report : NULL, &j->out.link);
		if (j->out.has_report)
			zp_probe_json(&js, "report", j->out.report);
		else
			json_null(&js, "report");
		if (j->out.xen_log)
			json_string(&js, "xen_log", j->out.xen_log);
		json_object_end(&js);
	}
	json_array_end(&js);
	json_object_end(&js);
	json_finish(&js);
}

static void write_junit(FILE *f, const struct job *jobs, size_t n)
{
	struct zp_junit_case *c = calloc(n ? n : 1, sizeof(*c));
	char (*cls)[32] = calloc(n ? n : 1, sizeof(*cls));
	char (*msg)[400] = calloc(n ? n : 1, sizeof(*msg));
	if (!c || !cls || !msg) {
		free(c);
		free(cls);
		free(msg);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct job *j = &jobs[i];
		snprintf(cls[i], sizeof(cls[i]), "matrix.%s", j->req.machine);
		snprintf(msg[i], sizeof(msg[i]), "%s: %s", zp_verdict_name(j->out.verdict),
			 j->out.reason);
		c[i].classname = cls[i];
		c[i].name = zp_path_name(j->req.path);
		c[i].seconds = j->out.q.t_exit >= 0 ? j->out.q.t_exit : 0;
		c[i].status = j->out.verdict == ZP_VERDICT_OK ? ZP_JUNIT_PASS :
			      j->out.verdict == ZP_VERDICT_SKIPPED ||
			      j->out.verdict == ZP_VERDICT_NA ? ZP_JUNIT_SKIP : ZP_JUNIT_FAIL;
		c[i].message = msg[i];
		if (c[i].status == ZP_JUNIT_FAIL && j->out.q.console) {
			/* the console's last 4 KiB says where the guest got to */
			size_t len = j->out.q.console_len, keep = len > 4096 ? 4096 : len;
			c[i].output = j->out.q.console + len - keep;
			c[i].output_len = keep;
		}
	}
	zp_junit_write(f, "zeropage matrix", c, n);
	free(c);
	free(cls);
	free(msg);
}

static int write_file(const char *path, const char *what, const char *kernel,
		      const char *accel, const struct job *jobs, size_t n)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "zeropage matrix: %s: cannot write: ", what);
		perror(path);
		return -1;
	}
	if (!strcmp(what, "--json"))
		write_json(f, kernel, accel, jobs, n);
	else
		write_junit(f, jobs, n);
	if (fclose(f)) {
		perror(path);
		return -1;
	}
	return 0;
}

/* What the command line asked for. */
struct matrix_opts {
	char pathbuf[256], machbuf[128];
	bool paths_given;
	const char *json_path, *junit_path, *accel, *mem, *append, *kernel, *reference;
	enum zp_path ref_path;
	bool has_ref_path;
	double timeout;		/* 0: each machine's default */
	long njobs;
	enum zp_path paths[ZP_PATH_COUNT];
	char *mnames[MAX_MACHINES];
	int np, nm;
};

#define HELP_SHOWN	(-1)

/* Options into m; 0, HELP_SHOWN, or ZP_EXIT_USAGE. */
static int parse_options(int argc, char **argv, struct matrix_opts *m)
{
	static const struct option longopts[] = {
		{ "paths", required_argument, NULL, 'p' },
		{ "machine", required_argument, NULL, 'M' },
		{ "json", required_argument, NULL, 'J' },
		{ "junit", required_argument, NULL, 'U' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, 't' },
		{ "accel", required_argument, NULL, 'A' },
		{ "mem", required_argument, NULL, 'm' },
		{ "append", required_argument, NULL, 'a' },
		{ "reference", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	char *end;

	optind = 0;
	while ((c = getopt_long(argc, argv, "j:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
		case 'M':
			if (strlen(optarg) >= (c == 'p' ? sizeof(m->pathbuf) : sizeof(m->machbuf))) {
				fprintf(stderr, "zeropage matrix: list too long: '%s'\n", optarg);
				return ZP_EXIT_USAGE;
			}
			strcpy(c == 'p' ? m->pathbuf : m->machbuf, optarg);
			m->paths_given |= c == 'p';
			break;
		case 'J': m->json_path = optarg; break;
		case 'U': m->junit_path = optarg; break;
		case 'A': m->accel = optarg; break;
		case 'm': m->mem = optarg; break;
		case 'a': m->append = optarg; break;
		case 'R': m->reference = optarg; break;
		case 'j':
			m->njobs = strtol(optarg, &end, 10);
			if (*end || end == optarg || m->njobs < 1 || m->njobs > MAX_JOBS) {
				fprintf(stderr, "zeropage matrix: -j '%s': expected 1..%d\n", optarg, MAX_JOBS);
				return ZP_EXIT_USAGE;
			}
			break;
		case 't':
			m->timeout = strtod(optarg, &end);
			if (*end || end == optarg || !(m->timeout > 0) || m->timeout > 86400) {
				fprintf(stderr, "zeropage matrix: --timeout '%s': expected seconds in (0, 86400]\n",
					optarg);
				return ZP_EXIT_USAGE;
			}
			break;
		case 'h': matrix_usage(stdout); return HELP_SHOWN;
		default: matrix_usage(stderr); return ZP_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "zeropage matrix: missing KERNEL\n");
		matrix_usage(stderr);
		return ZP_EXIT_USAGE;
	}
	if (optind + 1 < argc) {
		fprintf(stderr, "zeropage matrix: one KERNEL expected, got '%s' too\n", argv[optind + 1]);
		return ZP_EXIT_USAGE;
	}
	m->kernel = argv[optind];
	return 0;
}

/* The lists and values, checked: 0 or ZP_EXIT_USAGE with the reason. */
static int check_options(struct matrix_opts *m)
{
	char *pnames[ZP_PATH_COUNT];

	if (strcmp(m->accel, "auto") && strcmp(m->accel, "tcg") && strcmp(m->accel, "kvm")) {
		fprintf(stderr, "zeropage matrix: --accel '%s': expected auto, tcg or kvm\n", m->accel);
		return ZP_EXIT_USAGE;
	}
	if (!zp_qemu_mem_size_ok(m->mem)) {
		fprintf(stderr, "zeropage matrix: --mem '%s': expected a size such as 256M\n", m->mem);
		return ZP_EXIT_USAGE;
	}
	m->np = split(m->pathbuf, pnames, ZP_PATH_COUNT);
	m->nm = split(m->machbuf, m->mnames, MAX_MACHINES);
	if (m->np <= 0 || m->nm <= 0) {
		fprintf(stderr, "zeropage matrix: %s: expected 1 to %d comma-separated names\n",
			m->np <= 0 ? "--paths" : "--machine", m->np <= 0 ? ZP_PATH_COUNT : MAX_MACHINES);
		return ZP_EXIT_USAGE;
	}
	for (int i = 0; i < m->np; i++) {
		if (zp_path_parse(pnames[i], &m->paths[i])) {
			fprintf(stderr, "zeropage matrix: unknown path '%s' (see --help)\n", pnames[i]);
			return ZP_EXIT_USAGE;
		}
		for (int k = 0; k < i; k++)
			if (m->paths[k] == m->paths[i]) {
				fprintf(stderr, "zeropage matrix: path '%s' given twice\n", pnames[i]);
				return ZP_EXIT_USAGE;
			}
	}
	if (m->reference) {
		if (zp_path_parse(m->reference, &m->ref_path)) {
			fprintf(stderr, "zeropage matrix: --reference: unknown path '%s' (see --help)\n",
				m->reference);
			return ZP_EXIT_USAGE;
		}
		m->has_ref_path = true;
	}
	for (int i = 0; i < m->nm; i++) {
		if (!zp_machine_known(m->mnames[i])) {
			fprintf(stderr, "zeropage matrix: unknown machine '%s' (pc, q35, microvm, xen)\n",
				m->mnames[i]);
			return ZP_EXIT_USAGE;
		}
		for (int k = 0; k < i; k++)
			if (!strcmp(m->mnames[k], m->mnames[i])) {
				fprintf(stderr, "zeropage matrix: machine '%s' given twice\n", m->mnames[i]);
				return ZP_EXIT_USAGE;
			}
	}
	return 0;
}

/* One job per machine and path, in row order; rows that do not exist on a
 * machine only when their path was named. */
static size_t plan_jobs(const struct matrix_opts *m, const char *accel, struct job *jobs)
{
	size_t n = 0;

	memset(jobs, 0, sizeof(*jobs) * MAX_JOBS);
	for (int k = 0; k < m->nm; k++)
		for (int i = 0; i < m->np; i++) {
			char na[160];
			if (!m->paths_given && !zp_path_applies(m->paths[i], m->mnames[k], na, sizeof(na)))
				continue;
			jobs[n].req = (struct zp_boot_req){
				.path = m->paths[i], .machine = m->mnames[k], .accel = accel,
				.mem = m->mem, .append = m->append, .id = (unsigned)n,
				.timeout_s = m->timeout ? m->timeout : zp_machine_default_timeout(m->mnames[k]),
			};
			jobs[n].ref = -1;
			n++;
		}
	return n;
}

static void run_jobs(struct zp_bootctx *ctx, struct job *jobs, size_t n, long njobs)
{
	struct pool pool = { .ctx = ctx, .jobs = jobs, .njobs = n };
	pthread_t th[MAX_JOBS];
	long started = 0;

	pthread_mutex_init(&pool.lock, NULL);
	for (long t = 0; t < njobs && (size_t)t < n; t++)
		if (pthread_create(&th[t], NULL, worker, &pool) == 0)
			started++;
	if (!started)
		worker(&pool);	/* no threads: run them here, one by one */
	for (long t = 0; t < started; t++)
		pthread_join(th[t], NULL);
	pthread_mutex_destroy(&pool.lock);
}

/* The reference for each machine is its first ok path in row order, or
 * the --reference path when given (no reference where that one failed). */
static void diff_against_references(const struct matrix_opts *m, struct job *jobs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < n; k++)
			if (!strcmp(jobs[k].req.machine, jobs[i].req.machine) &&
			    (!m->has_ref_path || jobs[k].req.path == m->ref_path) &&
			    jobs[k].out.verdict == ZP_VERDICT_OK && jobs[k].out.has_report &&
			    jobs[k].out.report->has_bootparams) {
				jobs[i].ref = (int)k;
				break;
			}
		if (jobs[i].ref < 0 || !jobs[i].out.has_report ||
		    !jobs[i].out.report->has_bootparams)
			continue;
		jobs[i].diff = calloc(DIFF_CAP, sizeof(*jobs[i].diff));
		if (jobs[i].diff)
			jobs[i].ndiff = zp_bp_diff(jobs[jobs[i].ref].out.report->bootparams,
						   jobs[i].out.report->bootparams, jobs[i].diff, DIFF_CAP);
	}
}

/* Table, exit code, JSON and JUnit; frees the jobs. */
static int report(const struct matrix_opts *m, const char *accel, struct job *jobs, size_t n)
{
	int rc = ZP_EXIT_OK;
	size_t failed = 0;

	print_table(stdout, jobs, n, m->reference);
	fflush(stdout);
	for (size_t i = 0; i < n; i++)
		failed += !passed(jobs[i].out.verdict);
	if (failed) {
		fprintf(stderr, "zeropage matrix: %zu of %zu paths failed\n", failed, n);
		rc = ZP_EXIT_PATHS;
	}
	if (m->json_path && write_file(m->json_path, "--json", m->kernel, accel, jobs, n))
		rc = ZP_EXIT_ERROR;
	if (m->junit_path && write_file(m->junit_path, "--junit", m->kernel, accel, jobs, n))
		rc = ZP_EXIT_ERROR;
	for (size_t i = 0; i < n; i++) {
		zp_boot_outcome_free(&jobs[i].out);
		free(jobs[i].diff);
	}
	return rc;
}

int cmd_matrix(int argc, char **argv)
{
	static struct job jobs[MAX_JOBS];
	struct matrix_opts m = {
		.pathbuf = "qemu-bios,qemu-pvh,shim-64,shim-32,shim-vmlinux,shim-subarch,"
			   "xen-pv,xen-pvh,ovmf,ovmf-ia32,grub-bios,grub-efi",
		.machbuf = "pc,microvm", .accel = "auto", .mem = "256M", .njobs = 1,
	};
	struct zp_bootctx ctx;
	char err[320], why[256] = "";
	int rc = parse_options(argc, argv, &m);

	if (rc)
		return rc == HELP_SHOWN ? ZP_EXIT_OK : rc;
	if ((rc = check_options(&m)))
		return rc;
	if ((m.json_path && zp_check_writable(m.json_path, err, sizeof(err))) ||
	    (m.junit_path && zp_check_writable(m.junit_path, err, sizeof(err)))) {
		fprintf(stderr, "zeropage matrix: cannot write %s\n", err);
		return ZP_EXIT_ERROR;
	}
	zp_qemu_install_signal_handlers();
	if (zp_bootctx_init(&ctx, m.kernel, NULL, err, sizeof(err))) {
		fprintf(stderr, "zeropage matrix: %s\n", err);
		return ZP_EXIT_ERROR;
	}
	/* Everything shared is decided before the threads start. */
	const char *accel = m.accel;
	if (!strcmp(accel, "auto")) {
		accel = zp_accel_auto(why, sizeof(why));
		fprintf(stderr, "zeropage matrix: --accel auto chose %s: %s\n", accel, why);
	}
	(void)zp_host_tsc_khz();
	zp_bootctx_prepare_vmlinux(&ctx);	/* every path but qemu-bios and the shim's reads its notes */
	for (int k = 0; k < m.nm; k++)
		if (zp_machine_is_xen(m.mnames[k]))
			zp_bootctx_prepare_xen(&ctx);

	size_t n = plan_jobs(&m, accel, jobs);
	fprintf(stderr, "zeropage matrix: %zu boots, %ld at a time\n", n, m.njobs);
	run_jobs(&ctx, jobs, n, m.njobs);
	zp_bootctx_free(&ctx);
	diff_against_references(&m, jobs, n);
	return report(&m, accel, jobs, n);
}
