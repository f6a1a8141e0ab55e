/* SPDX-License-Identifier: MIT */
/*
 * across_load.h - the rows of one path, from several `zeropage matrix
 * --json` files, gathered into one across table (zeropage_across.h) per
 * kernel.
 *
 * The files need not be of one grid: a pc run, a xen run and a xen-domu
 * run of the same kernel, each its own `matrix --json`, are the usual
 * case.  Files of one grid (the same kernels, grid and reference; shards
 * K/N of it) are merged by matrix_load, with all its checks; each grid
 * stands alone.  A kernel is known by its SHA-256 across grids.
 *
 * A file may also be what `zeropage boot --json` writes: one boot, one row
 * (its verdict, path, machine, report with boot_params_hex, Xen's and
 * dom0's logs, shim_line).  Its kernel is known by its kernel_sha256, or,
 * in a file written before boot recorded it, by the kernel's file name
 * (such a row lines up only with other rows known by that name).
 */
#ifndef ZEROPAGE_TOOLS_ACROSS_LOAD_H
#define ZEROPAGE_TOOLS_ACROSS_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "common/tool_err.h"
#include "report/matrix_load.h"
#include "report/zeropage_across.h"

/* A `zeropage boot --json` file: its one row. */
struct across_boot {
	const char *file;		/* as given */
	struct json_object *doc;	/* parsed (json-c); the row points into it */
	struct kernel_id kernel;	/* kernel_sha256 and kernel_version when it has them */
	struct matrix_row row;
	uint8_t zero_page[4096];
};

struct across_load {
	struct matrix_load *grids;	/* one per grid of files */
	size_t ngrids;
	struct across_boot *boots;	/* one per boot --json file */
	size_t nboots;
	struct across_table *tables;	/* one per kernel, in the order first seen */
	size_t ntables;
};

/* The tables of path `path` in files[0..n): 0, or -1 with what is wrong in
 * err: a file unreadable or neither matrix nor boot JSON (matrix_load's
 * message), a boot file's verdict or zero page malformed, a
 * grid's shards not whole, no row of the path in any file, a machine's
 * row of a kernel in two files, more machines than a table holds, or out
 * of memory. */
int across_load(struct across_load *A, const char *path, const char *const *files, size_t n,
		struct tool_err *err);
/* The tables of path `path` from rows already in memory (`zeropage matrix
 * --across`, the rows it just ran; they must outlive A): 0, or -1 out of
 * memory.  No row of the path is no table (A->ntables 0), not an error. */
int across_load_rows(struct across_load *A, const char *path, const struct matrix_row *rows,
		     size_t n, struct tool_err *err);
void across_load_free(struct across_load *A);

/* How many of t's machines have an ok row with a zero page: below two
 * there is nothing to compare. */
size_t across_table_reported(const struct across_table *t);

#endif
