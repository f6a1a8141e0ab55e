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
#include "report/kcidb.h"
#include "report/matrix_html.h"
#include "report/matrix_load.h"
#include "common/safe_text.h"

static void report_usage(FILE *f)
{
	fprintf(f,
		"usage: zeropage report SHARD.json... [options]\n"
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
		"exit: 0 all passed, 8 some failed, 1 error (a shard or row missing or twice,\n"
		"shards of another grid, no rows, an impossible number or time), 2 usage.\n",
		KCIDB_MAJOR, KCIDB_MINOR);
}

struct report_opts {
	const char *json_path, *junit_path, *kcidb_path, *html_path, *origin, *reference;
};

#define HELP_SHOWN	(-1)

static int parse_report_options(int argc, char **argv, struct report_opts *o)
{
	static const struct option longopts[] = {
		{ "json", required_argument, NULL, 'J' },
		{ "junit", required_argument, NULL, 'U' },
		{ "kcidb", required_argument, NULL, 'K' },
		{ "kcidb-origin", required_argument, NULL, 'O' },
		{ "html", required_argument, NULL, 'H' },
		{ "reference", required_argument, NULL, 'R' },
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
	return 0;
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
	if (failed) {
		tool_error("%zu of %zu paths failed", failed, L.nrows);
		rc = CLI_EXIT_PATHS;
	}
	if (write_outputs(&o, &run, L.accel ? L.accel : "?"))
		rc = CLI_EXIT_ERROR;
	matrix_load_free(&L);
	return rc;
}
