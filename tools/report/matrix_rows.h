/* SPDX-License-Identifier: MIT */
/*
 * matrix_rows.h - a matrix's results as rows, whoever produced them:
 * `zeropage matrix` from the boots it ran, `zeropage report` from the
 * JSON of several shards.  Both print the same table and write the same
 * JUnit, JSON and KCIDB (kcidb.h) from them.
 *
 * The grid: every kernel x machine x path in that order (kernels and
 * machines as given, paths in the order of --paths), numbered from 0.  A
 * row keeps its number, so that shards (--shard K/N: the rows whose number
 * is K-1 modulo N) merge back into the unsharded order.  Rows of paths
 * that do not exist on a machine count, whether or not they are shown.
 */
#ifndef ZEROPAGE_TOOLS_MATRIX_ROWS_H
#define ZEROPAGE_TOOLS_MATRIX_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "common/tool_err.h"
#include "common/verdict.h"
#include "report/kaslr_seen.h"
#include "report/kernel_id.h"
#include "report/zero_page.h"

#define MATRIX_ROWS_DIFF_CAP	256	/* zero-page differences kept per row */
#define MATRIX_ROWS_DIFF_SHOWN	3	/* ... and shown in the table */
#define MATRIX_ROWS_TAIL		16384	/* console bytes kept in the JSON */

struct json_object;
struct guest_report;

struct matrix_row {
	size_t index;			/* in the whole grid */
	const struct kernel_id *kernel;
	const char *path, *machine, *accel;
	enum verdict verdict;
	const char *reason;		/* "" when none */
	const char *cmdline;		/* what the kernel was given, may be NULL */
	/* the kernel entry the boot went through (a boot_entry_name), and
	 * why we say so; NULL in a shard written before rows had them */
	const char *entry, *entry_why;
	double t_first_byte, t_banner, t_init, t_exit, build_s;	/* < 0: never */
	double start_time;		/* Unix time the row started, < 0 unknown */
	double duration;		/* its wall-clock seconds, build and boot, < 0 unknown */
	bool has_report;		/* the probe reported */
	char kaslr[48];			/* the table's kaslr cell, "" without a report */
	const uint8_t *zero_page;	/* 4096 bytes the probe read, NULL none */
	const char *console;		/* its console output (or its tail), may be NULL */
	size_t console_len;
	const char *xen_log;		/* machine xen: Xen's own lines, may be NULL */
	const char *dom0_log;		/* machine xen-domu: the toolstack dom0's lines, may be NULL */
	/* where the JSON's report and kaslr members come from: a live
	 * report (matrix), else the row read back (report), else nothing */
	const struct guest_report *report;
	struct kernel_link link;
	struct json_object *src;	/* json-c's */
	/* zero-page differences: matrix_rows_diff, or as a shard recorded them */
	const char *diff_against;	/* the reference row's path, NULL none */
	bool is_reference;
	size_t ndiff;			/* how many in all */
	struct zero_page_diff *diff;	/* the first MATRIX_ROWS_DIFF_CAP, malloc'ed */
};

/* What decides which rows the whole grid has and what each row ran, beside
 * its kernels: every shard of one grid records the same, and `report`
 * refuses shards whose differ.  Row `index` of the grid is kernel
 * index / (npaths * nmachines), machine (index / npaths) % nmachines, path
 * index % npaths. */
struct matrix_grid_id {
	const char *const *paths;	/* the path names, in --paths order */
	size_t npaths;
	const char *const *machines;	/* as given */
	size_t nmachines;
	const size_t *hidden;		/* rows not shown (the path does not exist on
					 * the machine, and --paths did not name it), ascending */
	size_t nhidden;
	const char *append;		/* --append, NULL none */
	const char *mem;		/* --mem as given */
	double timeout;			/* --timeout, 0: each machine's default */
};

struct matrix_run {
	const struct kernel_id *kernels;
	size_t nkernels;
	struct matrix_row *rows;		/* in grid order */
	size_t nrows;
	const char *reference;		/* --reference, NULL: each machine's first ok */
	size_t grid_rows;		/* rows in the whole grid */
	unsigned shard, shards;		/* this is shard `shard` of `shards` (1/1: all) */
	struct matrix_grid_id grid;
	/* Unix times the run began (before its first row) and ended (after its
	 * last); merged shards: the first start and the last end */
	double run_start, run_end;
};

/* The phase times a row carries, by the names its JSON gives them (the
 * "seconds" object of matrix.json and of KCIDB's misc): one list for the
 * writers (matrix_json.c, kcidb.c) and the reader (matrix_load_row.c). */
struct matrix_stage {
	const char *name;
	size_t at;		/* offsetof(struct matrix_row, the time) */
	double absent;		/* read from a row without it: -1 never; 0 for build, none needed */
};
#define MATRIX_STAGES 5
extern const struct matrix_stage matrix_stages[MATRIX_STAGES];

static inline double *matrix_stage_time(struct matrix_row *r, const struct matrix_stage *s)
{
	return (double *)((char *)r + s->at);
}

static inline double matrix_stage_seconds(const struct matrix_row *r, const struct matrix_stage *s)
{
	return *(const double *)((const char *)r + s->at);
}

/* ok, or not run because it cannot or need not be (skipped, n/a). */
bool matrix_row_passed(const struct matrix_row *r);

/* "K/N", 1 <= K <= N <= 100000: 0, or -1. */
int matrix_shard_parse(const char *s, unsigned *k, unsigned *n);
/* Whether grid row `index` belongs to shard k of n. */
bool matrix_shard_has(size_t index, unsigned k, unsigned n);

/* Each row's differences from its reference: the first ok row with a
 * zero page of the same kernel and machine (of path `reference` when not
 * NULL).  Replaces what the rows had; matrix_rows_free_diffs releases it. */
void matrix_rows_diff(struct matrix_row *rows, size_t n, const char *reference);
void matrix_rows_free_diffs(struct matrix_row *rows, size_t n);

/* The table `zeropage matrix` prints, one block per kernel when there are
 * several (headed by "kernel FILE: VERSION"), each with the full reasons
 * of what did not pass below it.  Returns how many rows failed. */
size_t matrix_rows_table(FILE *f, const struct matrix_run *run);

/* Rows of verdict v in run (started: an image that is not Linux ran,
 * which passes without a probe; the summary says how many). */
size_t matrix_rows_count(const struct matrix_run *run, enum verdict v);

/* The writers share one shape: the run into f, with one string argument.
 * JUnit: one testcase per row in testsuite `arg`, classname matrix.MACHINE
 * (with several kernels matrix.KERNEL.MACHINE, KERNEL the file's base
 * name).  JSON (matrix_json.c): what `matrix --json` writes, `arg` the
 * accelerator.  KCIDB: kcidb.h. */
typedef void matrix_rows_writer(FILE *f, const struct matrix_run *run, const char *arg);
matrix_rows_writer matrix_rows_junit, matrix_rows_json;

/* The run written to `path` through the atomic writer (common/fileio.h: a
 * file replaced whole or not at all, a FIFO or stdout written into): 0, or
 * -1 with "OPTION PATH: cannot ...: why" in err. */
int matrix_rows_write_file(const char *option, const char *path, matrix_rows_writer *write,
			   const struct matrix_run *run, const char *arg, struct tool_err *err);

/* Unix time t as RFC 3339 in UTC, "2026-12-03T14:08:06.967000+00:00"
 * (the form KCIDB's examples use), for t in [0, MATRIX_ROWS_TIME_MAX]; parsing it
 * back: 0 or -1.  The parser takes RFC 3339's date-time exactly
 * ("YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)"), and only dates and times
 * that exist: no 2025-02-30, no 24:00, no sign or space in a number. */
#define MATRIX_ROWS_TIME_MAX	253402300799.0	/* 9999-12-31T23:59:59Z */
void matrix_rows_rfc3339(char *out, size_t cap, double t);
int matrix_rows_rfc3339_parse(const char *s, double *t);

/* The file's base name ("vmlinuz-6.1.0" of "/boot/vmlinuz-6.1.0"). */
const char *matrix_rows_basename(const char *file);

#endif
