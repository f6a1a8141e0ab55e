/* SPDX-License-Identifier: MIT */
/*
 * matrix_load.h - `zeropage matrix --json` files read back as rows
 * (matrix_rows.h), for `zeropage report`: the shards of one grid merged
 * into grid order.
 *
 * The files must be the shards 1..N of one grid, each once: the same
 * kernels (by SHA-256), the same grid size and N; no row may come twice.
 * A file written by `report --json` is the whole grid as shard 1/1.
 */
#ifndef ZEROPAGE_TOOLS_MATRIX_LOAD_H
#define ZEROPAGE_TOOLS_MATRIX_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/matrix_rows.h"

struct json_object;

struct zp_mload {
	struct json_object **docs;	/* the files, parsed (json-c); rows point into them */
	const char **files;
	size_t ndocs;
	struct zp_kernel_id kernels[16];
	size_t nkernels;
	struct zp_mrow *rows;		/* in grid order */
	size_t nrows;
	uint8_t (*zero_pages)[4096];	/* one per row, used where the row had one */
	const char *accel;		/* the shards' accelerator, "mixed" if they differ */
	const char *reference;		/* the shards' --reference, NULL none */
	size_t grid_rows;
	unsigned shards;
	/* a row whose probe read a zero page lacks its bytes (boot_params_hex):
	 * its diffs can only be the ones its shard recorded */
	bool zero_pages_missing;
};

/* Reads files[0..n): 0, or -1 with "FILE: what" in err (L freed): "FILE:
 * not JSON: line L column C: what", or which member is missing or not of
 * the type matrix writes. */
int zp_mload(struct zp_mload *L, const char *const *files, size_t n, char *err, size_t errlen);
void zp_mload_free(struct zp_mload *L);

/* The verdict named `name` ("ok", "no-init", ...): 0, or -1. */
int zp_verdict_parse(const char *name, enum zp_verdict *v);

#endif
