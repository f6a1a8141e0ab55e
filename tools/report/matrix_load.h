/* SPDX-License-Identifier: MIT */
/*
 * matrix_load.h - `zeropage matrix --json` files read back as rows
 * (matrix_rows.h), for `zeropage report`: the shards of one grid merged
 * into grid order.  A file written by `report --json` is the whole grid as
 * shard 1/1.
 *
 * The files must be the shards 1..N of one grid, each once: the same
 * kernels (by SHA-256) and the same grid identity (matrix_rows.h: rows,
 * N, paths, machines, hidden rows, append, mem, timeout; and reference);
 * every row of the grid but the hidden ones in exactly one file, the one
 * of its shard, under its own kernel, path and machine; at least one row
 * in all.  A file without the grid identity (an older zeropage's) is
 * refused.
 *
 * Numbers and times must be ones a run can produce:
 *   - seconds (the stage times, build, duration): null, or a finite number
 *     from 0 to MATRIX_LOAD_SECONDS_MAX (a JSON number or a decimal string "1.250");
 *     no inf, nan, exponent or sign;
 *   - times: RFC 3339 date-times that exist (matrix_rows_rfc3339_parse).  A file's
 *     run.start_time is not before MATRIX_LOAD_TIME_MIN, its run.end_time not
 *     before its start nor more than MATRIX_LOAD_CLOCK_AHEAD after the reader's
 *     clock (shards may come from other hosts); a row's start_time is
 *     null or within its file's run, and start_time + duration not after
 *     the run's end, both up to MATRIX_LOAD_CLOCK_SLACK (the wall clock may be set
 *     while a run lasts).
 * Each refusal names the file, the row (results[i], its number and name)
 * and the member.
 */
#ifndef ZEROPAGE_TOOLS_MATRIX_LOAD_H
#define ZEROPAGE_TOOLS_MATRIX_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/tool_err.h"
#include "report/matrix_rows.h"

#define MATRIX_LOAD_SECONDS_MAX		604800.0	/* a week: no row's boot or build takes longer */
#define MATRIX_LOAD_TIME_MIN		946684800.0	/* 2000-01-01T00:00:00Z: before any run */
#define MATRIX_LOAD_CLOCK_AHEAD		86400.0
#define MATRIX_LOAD_CLOCK_SLACK		10.0
#define MATRIX_LOAD_PATHS		64		/* at most, in a grid */
#define MATRIX_LOAD_MACHINES	16
#define MATRIX_LOAD_KERNELS	16
#define MATRIX_LOAD_HIDDEN		SIZE_MAX	/* matrix_load.owner of a hidden row */

struct json_object;

/* One file given. */
struct matrix_load_file {
	const char *name;
	struct json_object *doc;	/* parsed (json-c); rows point into it */
	size_t shard;			/* its K */
	double run_start, run_end;	/* its run.start_time and end_time */
};

struct matrix_load {
	struct matrix_load_file *in;
	size_t ndocs;
	struct kernel_id kernels[MATRIX_LOAD_KERNELS];
	size_t nkernels;
	struct matrix_row *rows;		/* in grid order */
	size_t nrows;
	uint8_t (*zero_pages)[4096];	/* one per row, used where the row had one */
	const char *accel;		/* the shards' accelerator, "mixed" if they differ */
	const char *reference;		/* the shards' --reference, NULL none */
	size_t grid_rows;
	unsigned shards;
	struct matrix_grid_id grid;		/* the files' (all the same), into the arrays below */
	const char *grid_paths[MATRIX_LOAD_PATHS], *grid_machines[MATRIX_LOAD_MACHINES];
	size_t *grid_hidden;
	double run_start, run_end;	/* the first file's start, the last's end */
	size_t *owner;			/* per grid row: 0 none yet, file + 1, or hidden */
	/* a row whose probe read a zero page lacks its bytes (boot_params_hex):
	 * its diffs can only be the ones its shard recorded */
	bool zero_pages_missing;
};

/* Reads files[0..n): 0, or -1 with "FILE: what" in err (L freed): "FILE:
 * not JSON: line L column C: what", which member is missing or not of the
 * type matrix writes, which member differs between two files (both
 * values), which shards or rows are missing or twice. */
int matrix_load(struct matrix_load *L, const char *const *files, size_t n, struct tool_err *err);
void matrix_load_free(struct matrix_load *L);

/* The verdict named `name` ("ok", "no-init", ...): 0, or -1. */
int verdict_parse(const char *name, enum verdict *v);

/* matrix_load_row.c, for matrix_load.c: result i of file d as row ri,
 * checked against the grid (L's, of the heads already read): 0, or -1
 * with "FILE: results[i] (row N, PATH on MACHINE): what" in err. */
int matrix_load_row(struct matrix_load *L, size_t d, size_t i, size_t ri, struct tool_err *err);

#endif
