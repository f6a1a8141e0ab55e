/* SPDX-License-Identifier: MIT */
/* across_load.c - see across_load.h.  The files are parsed by json-c. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "common/fileio.h"
#include "report/across_load.h"
#include "report/json_read.h"

/* What makes file `file` one grid with another: its grid but for the
 * shard, its kernels' hashes and its reference, as JSON text (malloc'ed);
 * NULL when it is not JSON of that shape (matrix_load will say why, the
 * file alone in its group). */
static char *grid_key(const char *file)
{
	struct json_object *doc = NULL, *key = NULL, *grid, *shas;
	struct tool_err e;
	uint8_t *data = NULL;
	size_t len;
	char *out = NULL, *text;

	if (fileio_read_all(file, &data, &len, &e) || !(text = malloc(len + 1)))
		goto done;
	memcpy(text, data, len);
	text[len] = 0;
	doc = json_tokener_parse(text);
	free(text);
	grid = typed(doc, "grid", json_type_object);
	const struct json_object *ks = typed(doc, "kernels", json_type_array);
	if (!grid || !ks || !(key = json_object_new_object()) || !(shas = json_object_new_array()))
		goto done;
	json_object_object_add(key, "shas", shas);
	for (size_t i = 0; i < json_object_array_length(ks); i++) {
		const char *sha = str_member(json_object_array_get_idx(ks, i), "sha256");
		json_object_array_add(shas, json_object_new_string(sha ? sha : ""));
	}
	json_object_object_del(grid, "shard");
	json_object_object_add(key, "grid", json_object_get(grid));
	json_object_object_add(key, "reference", json_object_get(member(doc, "reference")));
	out = strdup(json_object_to_json_string_ext(key, JSON_C_TO_STRING_PLAIN));
done:
	json_object_put(key);
	json_object_put(doc);
	free(data);
	return out;
}

/* A JSON document from file `file` (json-c's, to put), NULL when it is
 * not readable or not JSON (matrix_load says why). */
static struct json_object *read_doc(const char *file)
{
	struct json_object *doc = NULL;
	struct tool_err e;
	uint8_t *data = NULL;
	size_t len;
	char *text;

	if (fileio_read_all(file, &data, &len, &e) == 0 && (text = malloc(len + 1))) {
		memcpy(text, data, len);
		text[len] = 0;
		doc = json_tokener_parse(text);
		free(text);
	}
	free(data);
	return doc;
}

/* Whether doc is what `zeropage boot --json` writes: one boot's verdict,
 * path and machine, and no grid. */
static bool is_boot_doc(const struct json_object *doc)
{
	return str_member(doc, "verdict") && str_member(doc, "path") && str_member(doc, "machine") &&
	       !member(doc, "grid") && !member(doc, "results");
}

/* 8192 hex digits into the 4096 bytes: 0, or -1. */
static int unhex_zero_page(const char *hex, uint8_t *out)
{
	static const char digits[] = "0123456789abcdef";

	if (!hex || strlen(hex) != 8192)
		return -1;
	for (size_t i = 0; i < 8192; i++) {
		const char *d = strchr(digits, hex[i] | 0x20);
		if (!hex[i] || !d)
			return -1;
		out[i / 2] = (uint8_t)(i % 2 ? out[i / 2] | (d - digits) : (d - digits) << 4);
	}
	return 0;
}

/* Boot file b's kernel: by kernel_sha256 (64 hex digits) when it has it,
 * else by the base name of its "kernel": 0, or -1 (err). */
static int boot_kernel(struct across_boot *b, const char *file, struct tool_err *err)
{
	const char *sha = str_member(b->doc, "kernel_sha256");
	const char *name = str_member(b->doc, "kernel");
	const char *version = str_member(b->doc, "kernel_version");

	if (!name) {
		tool_err_set(err, "%s: boot JSON without its kernel's name (\"kernel\")", file);
		return -1;
	}
	b->kernel.file = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	if (sha && (strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64)) {
		tool_err_set(err, "%s: kernel_sha256 is not 64 lowercase hex digits", file);
		return -1;
	}
	snprintf(b->kernel.sha256, sizeof(b->kernel.sha256), "%s", sha ? sha : "");
	if (version) {
		snprintf(b->kernel.version, sizeof(b->kernel.version), "%s", version);
		snprintf(b->kernel.release, sizeof(b->kernel.release), "%.*s",
			 (int)strcspn(version, " "), version);
	}
	return 0;
}

static bool name_ok(const char *s)
{
	size_t n = strlen(s);

	return n && n < 32 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

/* Boot file b (parsed) as its row: 0, or -1 (err). */
static int boot_row(struct across_boot *b, const char *file, struct tool_err *err)
{
	struct matrix_row *r = &b->row;
	const struct json_object *rep = typed(b->doc, "report", json_type_object);

	if (boot_kernel(b, file, err))
		return -1;
	r->kernel = &b->kernel;
	r->src = b->doc;
	r->machine = str_member(b->doc, "machine");
	r->path = str_member(b->doc, "path");
	/* names boot writes ([a-z0-9-]); a path no --across names is no row */
	if (!name_ok(r->machine) || !name_ok(r->path) ||
	    verdict_parse(str_member(b->doc, "verdict"), &r->verdict)) {
		tool_err_set(err, "%s: boot JSON whose path, machine or verdict is not one "
			     "zeropage names", file);
		return -1;
	}
	r->has_report = rep != NULL;
	if (rep && unhex_zero_page(str_member(rep, "boot_params_hex"), b->zero_page) == 0)
		r->zero_page = b->zero_page;
	else if (rep && member(rep, "boot_params_hex")) {
		tool_err_set(err, "%s: report.boot_params_hex is not 8192 hex digits", file);
		return -1;
	}
	r->xen_log = str_member(b->doc, "xen_log");
	r->dom0_log = str_member(b->doc, "dom0_log");
	return 0;
}

/* File `file` when it is a `boot --json` file, loaded as A's next boot:
 * 1; 0 when it is not one (a matrix file, or nothing matrix_load will
 * take); -1 (err) when it is one but malformed. */
static int load_boot(struct across_load *A, const char *file, struct tool_err *err)
{
	struct json_object *doc = read_doc(file);
	struct across_boot *b;

	if (!doc || !is_boot_doc(doc)) {
		json_object_put(doc);
		return 0;
	}
	b = &A->boots[A->nboots];
	memset(b, 0, sizeof(*b));
	b->doc = doc;
	b->file = file;
	A->nboots++;	/* freed with A from here on */
	return boot_row(b, file, err) ? -1 : 1;
}

/* files[0..n): boot files each a row, the rest grouped into grids, each
 * loaded: 0, or -1 (err). */
static int load_grids(struct across_load *A, const char *const *files, size_t n,
		      struct tool_err *err)
{
	char **keys = calloc(n, sizeof(*keys));
	const char **group = calloc(n, sizeof(*group));
	bool *done = calloc(n, sizeof(*done));
	int rc = -1;

	A->grids = calloc(n, sizeof(*A->grids));
	A->boots = calloc(n, sizeof(*A->boots));
	if (!keys || !group || !done || !A->grids || !A->boots) {
		tool_err_set(err, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		int boot = load_boot(A, files[i], err);
		if (boot < 0)
			goto out;
		done[i] = boot == 1;
		keys[i] = done[i] ? NULL : grid_key(files[i]);
	}
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		if (done[i])
			continue;
		for (size_t j = i; j < n; j++) {
			bool same = j == i || (keys[i] && keys[j] && !strcmp(keys[i], keys[j]));
			if (!done[j] && same) {
				group[k++] = files[j];
				done[j] = true;
			}
		}
		if (matrix_load(&A->grids[A->ngrids], group, k, err))
			goto out;
		A->ngrids++;
	}
	rc = 0;
out:
	for (size_t i = 0; keys && i < n; i++)
		free(keys[i]);
	free(keys);
	free(group);
	free(done);
	return rc;
}

/* What a kernel is known by: its SHA-256, else (a boot file of an older
 * zeropage) its file's name. */
static const char *kernel_key(const struct kernel_id *k)
{
	return k->sha256[0] ? k->sha256 : k->file;
}

/* The table of kernel k, made when new: NULL out of memory. */
static struct across_table *table_of(struct across_load *A, const struct kernel_id *k,
				     const char *path)
{
	struct across_table *t;

	for (size_t i = 0; i < A->ntables; i++)
		if (!strcmp(kernel_key(A->tables[i].kernel), kernel_key(k)))
			return &A->tables[i];
	t = realloc(A->tables, (A->ntables + 1) * sizeof(*t));
	if (!t)
		return NULL;
	A->tables = t;
	t = &A->tables[A->ntables++];
	memset(t, 0, sizeof(*t));
	t->kernel = k;
	t->path = path;
	return t;
}

/* What the shim said of its start_info, from wherever row r keeps its
 * line: the "shim_line" matrix records, else its console tail, Xen's log,
 * the dom0 log. */
static void row_start_info(const struct matrix_row *r, struct across_start_info *si)
{
	const char *kept = str_member(r->src, "shim_line");
	const char *where[] = { r->console, r->xen_log, r->dom0_log };
	size_t len[] = { r->console_len, r->xen_log ? strlen(r->xen_log) : 0,
			 r->dom0_log ? strlen(r->dom0_log) : 0 };
	char line[ACROSS_SHIM_LINE];

	memset(si, 0, sizeof(*si));
	if (kept && across_start_info_parse(kept, si) == 0)
		return;
	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++)
		if (where[i] && across_shim_line(where[i], len[i], line, sizeof(line)) &&
		    across_start_info_parse(line, si) == 0)
			return;
}

/* The file of grid G that row r came from. */
static const char *row_file(const struct matrix_load *G, const struct matrix_row *r)
{
	size_t o = G->owner[r->index];

	return o && o != MATRIX_LOAD_HIDDEN ? G->in[o - 1].name : "?";
}

/* Row r (from file `file`, NULL: the run in memory) into its kernel's
 * table: 0, or -1 (err). */
static int add_row(struct across_load *A, const char *file, const struct matrix_row *r,
		   const char *path, struct tool_err *err)
{
	struct across_table *t = table_of(A, r->kernel, path);

	if (!t) {
		tool_err_set(err, "out of memory");
		return -1;
	}
	for (size_t c = 0; c < t->ncols; c++)
		if (!strcmp(t->col[c].machine, r->machine)) {
			tool_err_set(err, "%s: %s on %s (kernel %.16s...) is in another file too: "
				     "give one run of each machine", file ? file : "the run", path,
				     r->machine, kernel_key(r->kernel));
			return -1;
		}
	if (r->verdict == VERDICT_NA) {
		if (t->nna < ACROSS_MAX_COLUMNS)
			t->na[t->nna++] = r->machine;
		return 0;
	}
	if (t->ncols >= ACROSS_MAX_COLUMNS) {
		tool_err_set(err, "%s: more than %d machines", path, ACROSS_MAX_COLUMNS);
		return -1;
	}
	struct across_column *k = &t->col[t->ncols++];
	k->machine = r->machine;
	k->verdict = r->verdict;
	k->has_report = r->has_report;
	k->zero_page = r->zero_page;
	k->loader = across_expected_loader(r->machine);
	row_start_info(r, &k->si);
	return 0;
}

/* Each table compared: 0, or -1 (err). */
static int fill_tables(struct across_load *A, struct tool_err *err)
{
	for (size_t i = 0; i < A->ntables; i++)
		if (across_table_fill(&A->tables[i])) {
			tool_err_set(err, "out of memory");
			return -1;
		}
	return 0;
}

int across_load_rows(struct across_load *A, const char *path, const struct matrix_row *rows,
		     size_t n, struct tool_err *err)
{
	memset(A, 0, sizeof(*A));
	for (size_t i = 0; i < n; i++)
		if (!strcmp(rows[i].path, path) && add_row(A, NULL, &rows[i], path, err))
			goto fail;
	if (fill_tables(A, err))
		goto fail;
	return 0;
fail:
	across_load_free(A);
	return -1;
}

size_t across_table_reported(const struct across_table *t)
{
	size_t n = 0;

	for (size_t c = 0; c < t->ncols; c++)
		n += t->col[c].verdict == VERDICT_OK && t->col[c].zero_page;
	return n;
}

/* "a, b, c": the paths the grids have, for the error that names none. */
static void grid_paths(const struct across_load *A, char *out, size_t cap)
{
	size_t used = 0;

	out[0] = 0;
	for (size_t g = 0; g < A->ngrids; g++)
		for (size_t p = 0; p < A->grids[g].grid.npaths && used < cap; p++)
			used += (size_t)snprintf(out + used, cap - used, "%s%s", used ? ", " : "",
						 A->grids[g].grid.paths[p]);
}

int across_load(struct across_load *A, const char *path, const char *const *files, size_t n,
		struct tool_err *err)
{
	char paths[400];

	memset(A, 0, sizeof(*A));
	if (load_grids(A, files, n, err))
		goto fail;
	for (size_t g = 0; g < A->ngrids; g++)
		for (size_t i = 0; i < A->grids[g].nrows; i++) {
			const struct matrix_row *r = &A->grids[g].rows[i];
			if (!strcmp(r->path, path) &&
			    add_row(A, row_file(&A->grids[g], r), r, path, err))
				goto fail;
		}
	for (size_t b = 0; b < A->nboots; b++)
		if (!strcmp(A->boots[b].row.path, path) &&
		    add_row(A, A->boots[b].file, &A->boots[b].row, path, err))
			goto fail;
	if (!A->ntables) {
		grid_paths(A, paths, sizeof(paths));
		tool_err_set(err, "no row of path %s in %s%s (their paths: %s)", path, files[0],
			     n > 1 ? " ..." : "", paths);
		goto fail;
	}
	if (fill_tables(A, err))
		goto fail;
	return 0;
fail:
	across_load_free(A);
	return -1;
}

void across_load_free(struct across_load *A)
{
	for (size_t i = 0; i < A->ntables; i++)
		across_table_free(&A->tables[i]);
	free(A->tables);
	for (size_t g = 0; g < A->ngrids; g++)
		matrix_load_free(&A->grids[g]);
	free(A->grids);
	for (size_t b = 0; b < A->nboots; b++)
		json_object_put(A->boots[b].doc);
	free(A->boots);
	memset(A, 0, sizeof(*A));
}
