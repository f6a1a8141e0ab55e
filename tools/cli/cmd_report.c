/* SPDX-License-Identifier: MIT */
/*
 * zeropage report SHARD.json...: the shards `zeropage matrix --shard K/N
 * --json` wrote, merged into the table matrix prints and into one JUnit,
 * KCIDB and JSON file.  The zero pages are diffed again across the whole
 * grid (a shard's reference is only the first ok path it ran), from the
 * bytes each row's JSON keeps.
 * Exit: 0 when every row is ok or not applicable, 8 when any failed,
 * 1 our error (unreadable or inconsistent shards: matrix_load.h), 2 usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "common/fileio.h"
#include "common/tool_err.h"
#include "machine/bootpath.h"
#include "common/json.h"
#include "report/across_load.h"
#include "report/kcidb.h"
#include "report/matrix_html.h"
#include "report/matrix_load.h"
#include "common/safe_text.h"

static void report_usage(FILE *f)
{
	fprintf(f,
		"usage: zeropage report SHARD.json... [options]\n"
		"       zeropage report --across PATH FILE.json... [--json F]\n"
		"\n"
		"Merge the JSON of `zeropage matrix --shard K/N --json F` runs - shards 1 to N\n"
		"of one grid, each once - and print the table matrix prints for the whole grid.\n"
		"The zero pages are diffed again against each kernel and machine's reference.\n"
		"\n"
		"  --reference P   diff against path P (default: as the shards were run)\n"
		"  --json F        write the merged results (as one shard, 1/1)\n"
		"  --junit F       write them as JUnit XML\n"
		"  --kcidb F       write them as KCIDB I/O JSON (schema v%d.%d)\n"
		"  --kcidb-origin O  the KCIDB origin, [a-z0-9_]+ (default zeropage)\n"
		"  --html F        write them as one self-contained HTML page (as matrix --html)\n"
		"\n"
		"The shards must be of one grid (the same kernels, --paths, --machine,\n"
		"--append, --mem, --timeout, --reference and N), every row of it in its shard\n"
		"once, and their numbers and times ones a run gives (see zeropage(1)).\n"
		"\n"
		"--across PATH: path PATH's zero page compared across the machines it ran on,\n"
		"a column per machine, for each kernel: the fields that differ between any two\n"
		"(boot_params, setup header, the e820 tables sorted by address, entry by\n"
		"entry), how many are the same, and where each machine's start_info came from\n"
		"(the shim's line, else the machine's known loader: pc, q35, microvm QEMU v1,\n"
		"xen Xen's PVH dom0 builder v0, xen-domu libxc v1).  FILEs may be of several\n"
		"runs (say `matrix --machine pc` and `matrix --machine xen-domu`); shards of one\n"
		"run are merged as above; a `boot --json` file is one row.  A machine whose row\n"
		"did not report says so.\n"
		"  --json F        write the tables as JSON (an array, one object per kernel)\n"
		"\n"
		"exit: 0 all passed (--across: the table was made), 8 some failed, 1 error (a\n"
		"shard or row missing or twice, shards of another grid, no rows, an impossible\n"
		"number or time; --across: no row of PATH, a machine's row in two files), 2 usage.\n",
		KCIDB_MAJOR, KCIDB_MINOR);
}

struct report_opts {
	const char *json_path, *junit_path, *kcidb_path, *html_path, *origin, *reference;
	const char *across;	/* --across PATH, NULL none */
};

#define HELP_SHOWN	(-1)

/* --across PATH: a known path, and none of the merge's own outputs. */
static int check_across(struct report_opts *o)
{
	enum bootpath p;

	if (!o->across)
		return 0;
	if (bootpath_parse(o->across, &p)) {
		tool_error("--across: unknown path '%s'", o->across);
		return CLI_EXIT_USAGE;
	}
	o->across = bootpath_name(p);
	if (o->junit_path || o->kcidb_path || o->html_path || o->reference) {
		tool_error("--across makes a comparison, not the merged run: only --json goes with it");
		return CLI_EXIT_USAGE;
	}
	return 0;
}

static int parse_report_options(int argc, char **argv, struct report_opts *o)
{
	static const struct option longopts[] = {
		{ "json", required_argument, NULL, 'J' },
		{ "junit", required_argument, NULL, 'U' },
		{ "kcidb", required_argument, NULL, 'K' },
		{ "kcidb-origin", required_argument, NULL, 'O' },
		{ "html", required_argument, NULL, 'H' },
		{ "reference", required_argument, NULL, 'R' },
		{ "across", required_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum bootpath p;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'J': o->json_path = optarg; break;
		case 'U': o->junit_path = optarg; break;
		case 'K': o->kcidb_path = optarg; break;
		case 'H': o->html_path = optarg; break;
		case 'O': o->origin = optarg; break;
		case 'R': o->reference = optarg; break;
		case 'A': o->across = optarg; break;
		case 'h': report_usage(stdout); return HELP_SHOWN;
		default: report_usage(stderr); return CLI_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		tool_error("missing SHARD.json");
		report_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (!kcidb_origin_ok(o->origin)) {
		tool_error("--kcidb-origin '%s': expected [a-z0-9_]+", o->origin);
		return CLI_EXIT_USAGE;
	}
	if (o->reference) {
		if (bootpath_parse(o->reference, &p)) {
			tool_error("--reference: unknown path '%s'", o->reference);
			return CLI_EXIT_USAGE;
		}
		o->reference = bootpath_name(p);
	}
	return check_across(o);
}

int cli_write_output(const char *option, const char *path, matrix_rows_writer *write,
		     const struct matrix_run *run, const char *arg)
{
	struct tool_err err;

	if (!path || matrix_rows_write_file(option, path, write, run, arg, &err) == 0)
		return 0;
	tool_error("%s", err.msg);
	return -1;
}

/* The merged run's outputs: 0, or CLI_EXIT_ERROR. */
static int write_outputs(const struct report_opts *o, const struct matrix_run *run, const char *accel)
{
	if (cli_write_output("--json", o->json_path, matrix_rows_json, run, accel) ||
	    cli_write_output("--junit", o->junit_path, matrix_rows_junit, run, "zeropage matrix") ||
	    cli_write_output("--kcidb", o->kcidb_path, kcidb_write, run, o->origin) ||
	    cli_write_output("--html", o->html_path, matrix_html_write, run, accel))
		return CLI_EXIT_ERROR;
	return 0;
}

/* Every output writable, and none of them a shard: 0 or CLI_EXIT_ERROR. */
static int check_outputs(const struct report_opts *o, const char *const *shards, size_t n)
{
	const char *outs[] = { o->json_path, o->junit_path, o->kcidb_path, o->html_path };
	const char *opts[] = { "--json", "--junit", "--kcidb", "--html" };
	struct fileio_named_path *ins = calloc(n ? n : 1, sizeof(*ins));
	struct tool_err err;
	int rc = CLI_EXIT_ERROR;

	if (!ins) {
		tool_error("out of memory");
		return CLI_EXIT_ERROR;
	}
	for (size_t k = 0; k < n; k++)
		ins[k] = (struct fileio_named_path){ "SHARD", shards[k] };
	for (size_t i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		if (outs[i] && fileio_check_writable(outs[i], &err)) {
			tool_error("cannot write %s", err.msg);
			goto out;
		}
		if (outs[i] && fileio_check_output_not_input(opts[i], outs[i], ins, n, &err)) {
			tool_error("%s", err.msg);
			goto out;
		}
	}
	rc = 0;
out:
	free(ins);
	return rc;
}

static void across_json(FILE *f, const struct across_load *A)
{
	struct json j;

	json_init(&j, f);
	json_array_begin(&j, NULL);
	for (size_t i = 0; i < A->ntables; i++)
		across_table_json(&j, &A->tables[i]);
	json_array_end(&j);
	json_finish(&j);
}

/* --json F of --across, through the atomic writer: 0, or -1. */
static int write_across_json(const char *path, const struct across_load *A)
{
	struct fileio_atomic a;
	struct tool_err err;
	FILE *f;

	if (!(f = fileio_atomic_fopen(path, 0644, &a, &err))) {
		tool_error("--json %s", err.msg);
		return -1;
	}
	across_json(f, A);
	if (fileio_atomic_fclose(f, &a, path, &err)) {
		tool_error("--json %s", err.msg);
		return -1;
	}
	return 0;
}

/* zeropage report --across PATH FILE...: the tables, on stdout (on stderr
 * when --json goes to stdout). */
static int report_across(const struct report_opts *o, const char *const *files, size_t n)
{
	struct across_load A;
	struct tool_err err;
	FILE *out = stdout;
	int rc = CLI_EXIT_OK;

	if (across_load(&A, o->across, files, n, &err)) {
		tool_error("%s", err.msg);
		return CLI_EXIT_ERROR;
	}
	if (o->json_path && fileio_output_fd(o->json_path) == STDOUT_FILENO)
		out = stderr;
	for (size_t i = 0; i < A.ntables; i++) {
		if (i)
			fputc('\n', out);
		across_table_print(out, &A.tables[i]);
	}
	fflush(out);
	if (o->json_path && write_across_json(o->json_path, &A))
		rc = CLI_EXIT_ERROR;
	across_load_free(&A);
	return rc;
}

int cmd_report(int argc, char **argv)
{
	struct report_opts o = { .origin = "zeropage" };
	struct matrix_load L;
	struct tool_err err;
	int rc = parse_report_options(argc, argv, &o);

	if (rc)
		return rc == HELP_SHOWN ? CLI_EXIT_OK : rc;
	if ((rc = check_outputs(&o, (const char *const *)argv + optind, (size_t)(argc - optind))))
		return rc;
	if (o.across)
		return report_across(&o, (const char *const *)argv + optind, (size_t)(argc - optind));
	if (matrix_load(&L, (const char *const *)argv + optind, (size_t)(argc - optind), &err)) {
		tool_error("%s", err.msg);	/* quotes the shards */
		return CLI_EXIT_ERROR;
	}
	const char *reference = o.reference ? o.reference : L.reference;
	if (!L.zero_pages_missing)
		matrix_rows_diff(L.rows, L.nrows, reference);
	else
		tool_error("some rows' JSON lacks the zero page they read "
			"(boot_params_hex): showing the diffs each shard made against its own "
			"reference, not diffed again");
	struct matrix_run run = {
		.kernels = L.kernels, .nkernels = L.nkernels, .rows = L.rows, .nrows = L.nrows,
		.reference = reference, .grid_rows = L.grid_rows, .shard = 1, .shards = 1,
		.grid = L.grid, .run_start = L.run_start, .run_end = L.run_end,
	};
	/* a report on stdout keeps it to itself: the table goes to stderr */
	FILE *table = stdout;
	const char *outs[] = { o.json_path, o.junit_path, o.kcidb_path, o.html_path };
	for (size_t i = 0; i < sizeof(outs) / sizeof(outs[0]); i++)
		if (outs[i] && fileio_output_fd(outs[i]) == STDOUT_FILENO)
			table = stderr;
	size_t failed = matrix_rows_table(table, &run);
	fflush(table);
	tool_error("%zu rows from %zu shard%s%s", L.nrows, L.ndocs,
		L.ndocs == 1 ? "" : "s", L.nrows < L.grid_rows ?
		" (paths that do not exist on a machine not shown)" : "");
	if (matrix_rows_count(&run, VERDICT_STARTED))
		tool_error("%zu row%s started an image that is not Linux: passed on its own "
			   "console output alone (no probe runs there)",
			   matrix_rows_count(&run, VERDICT_STARTED),
			   matrix_rows_count(&run, VERDICT_STARTED) == 1 ? "" : "s");
	if (failed) {
		tool_error("%zu of %zu paths failed", failed, L.nrows);
		rc = CLI_EXIT_PATHS;
	}
	if (write_outputs(&o, &run, L.accel ? L.accel : "?"))
		rc = CLI_EXIT_ERROR;
	matrix_load_free(&L);
	return rc;
}
