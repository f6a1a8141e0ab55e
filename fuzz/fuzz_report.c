/* SPDX-License-Identifier: MIT */
/*
 * fuzz_report: `zeropage report`'s reader (report/matrix_load.c) over any
 * bytes as a shard's JSON.  Shards come from other machines and CI
 * artifacts, so their bytes are untrusted: the reader must refuse what a
 * run cannot have written, with a message, and whatever it accepts must
 * be safe to diff again and to write as the table, JSON, JUnit, KCIDB and
 * HTML (`report`'s outputs), which all run here into memory; and
 * `report --across shim-64` over the same file, table and JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/json.h"
#include "report/across_load.h"
#include "report/kcidb.h"
#include "report/matrix_html.h"
#include "report/matrix_load.h"
#include "report/matrix_rows.h"
#include "fuzz.h"

/* Runs one of report's writers into memory; what it wrote is not checked
 * here (fuzz_html checks the page's escaping), only that it runs. */
static void write_to_memory(matrix_rows_writer *write, const struct matrix_run *run, const char *arg)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return;
	write(f, run, arg);
	fclose(f);
	free(out);
}

static void table_to_memory(const struct matrix_run *run)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return;
	FUZZ_CHECK(matrix_rows_table(f, run) <= run->nrows);
	fclose(f);
	free(out);
}

/* report --across: what it accepts, it prints and writes as JSON */
static void across_to_memory(const char *file)
{
	const char *files[] = { file };
	struct across_load A;
	struct tool_err err;
	char *out = NULL;
	size_t len = 0;

	if (across_load(&A, "shim-64", files, 1, &err)) {
		FUZZ_CHECK(err.msg[0] != 0);
		return;
	}
	FILE *f = open_memstream(&out, &len);
	if (f) {
		struct json j;
		json_init(&j, f);
		json_array_begin(&j, NULL);
		for (size_t i = 0; i < A.ntables; i++) {
			across_table_print(f, &A.tables[i]);
			across_table_json(&j, &A.tables[i]);
		}
		json_array_end(&j);
		fclose(f);
		free(out);
	}
	across_load_free(&A);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* matrix_load reads files: the input becomes one, in memory */
	int fd = memfd_create("shard", MFD_CLOEXEC);
	char name[64];
	struct matrix_load L;
	struct tool_err err;

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(name, sizeof(name), "/proc/self/fd/%d", fd);
	const char *files[] = { name };
	across_to_memory(name);
	if (matrix_load(&L, files, 1, &err)) {
		FUZZ_CHECK(err.msg[0] != 0);	/* a refusal says why */
		close(fd);
		return 0;
	}
	FUZZ_CHECK(L.nrows > 0 && L.nrows <= L.grid_rows);
	if (!L.zero_pages_missing)
		matrix_rows_diff(L.rows, L.nrows, L.reference);
	struct matrix_run run = {
		.kernels = L.kernels, .nkernels = L.nkernels, .rows = L.rows, .nrows = L.nrows,
		.reference = L.reference, .grid_rows = L.grid_rows, .shard = 1, .shards = 1,
		.grid = L.grid, .run_start = L.run_start, .run_end = L.run_end,
	};
	table_to_memory(&run);
	write_to_memory(matrix_rows_json, &run, L.accel ? L.accel : "?");
	write_to_memory(matrix_rows_junit, &run, "zeropage matrix");
	write_to_memory(kcidb_write, &run, "zeropage");
	write_to_memory(matrix_html_write, &run, "tcg");
	matrix_load_free(&L);
	close(fd);
	return 0;
}
