/* SPDX-License-Identifier: MIT */
/* matrix_load.c - see matrix_load.h.  The files are parsed by json-c. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "common/fileio.h"
#include "common/tool_err.h"
#include "report/matrix_load.h"
#include "report/json_read.h"

int verdict_parse(const char *name, enum verdict *v)
{
	for (int i = VERDICT_OK; i <= VERDICT_LAST; i++)
		if (name && !strcmp(verdict_name((enum verdict)i), name)) {
			*v = (enum verdict)i;
			return 0;
		}
	return -1;
}

/* Nesting json-c accepts (its default is 32): more than matrix writes. */
#define MATRIX_LOAD_JSON_DEPTH 64

/* The document text[0..len), strictly (RFC 8259, no trailing text): NULL
 * with "line L column C: what" in err. */
static struct json_object *parse(const char *text, size_t len, struct tool_err *err)
{
	struct json_tokener *tok = json_tokener_new_ex(MATRIX_LOAD_JSON_DEPTH);
	struct json_object *doc = NULL;
	const char *what = "out of memory";
	size_t at = 0, line = 1, col = 1;

	if (tok && len > INT_MAX)
		what = "too big to read";
	if (tok && len <= INT_MAX) {
		json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
		doc = json_tokener_parse_ex(tok, text, (int)len);
		at = json_tokener_get_parse_end(tok);
		if (!doc && json_tokener_get_error(tok) == json_tokener_continue) {
			/* the text ended inside the document: a NUL tells json-c */
			doc = json_tokener_parse_ex(tok, "", 1);
			at = len;
		}
		what = json_tokener_error_desc(json_tokener_get_error(tok));
		while (doc && at < len && strchr(" \t\r\n", text[at]) && text[at])
			at++;
		if (doc && at < len) {	/* json-c stops at a NUL byte */
			json_object_put(doc);
			doc = NULL;
			what = "text after the document";
		}
	}
	json_tokener_free(tok);
	if (doc)
		return doc;
	for (size_t i = 0; i < at && i < len; i++) {
		if (text[i] == '\n')
			line++, col = 1;
		else
			col++;
	}
	tool_err_set(err, "line %zu column %zu: %s", line, col, what);
	return NULL;
}

static int read_doc(const char *file, struct json_object **doc, struct tool_err *err)
{
	uint8_t *data;
	size_t len;
	struct tool_err e;

	if (fileio_read_all(file, &data, &len, err))
		return -1;
	*doc = parse((const char *)data, len, &e);
	free(data);
	if (!*doc) {
		tool_err_set(err, "%s: not JSON: %s", file, e.msg);
		return -1;
	}
	return 0;
}

/* ---- a file's head: its kernels, its grid, its run ---- */

/* Kernel o into k: NULL, or what is wrong with it. */
static const char *load_kernel(struct kernel_id *k, const struct json_object *o)
{
	const char *file = str_member(o, "file"), *sha = str_member(o, "sha256");
	const char *version = str_member(o, "version"), *release = str_member(o, "release");

	if (!json_object_is_type(o, json_type_object))
		return "not an object";
	if (!file)
		return "\"file\": missing or not a string";
	if (!sha || strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64)
		return "\"sha256\": missing or not 64 lowercase hex digits";
	memset(k, 0, sizeof(*k));
	k->file = file;
	snprintf(k->sha256, sizeof(k->sha256), "%s", sha);
	snprintf(k->version, sizeof(k->version), "%s", version ? version : "");
	snprintf(k->release, sizeof(k->release), "%s", release ? release : "");
	return NULL;
}

/* The kernels of file d: the first's become L's, the others must match. */
static int load_kernels(struct matrix_load *L, size_t d, const struct json_object *ks,
			struct tool_err *err)
{
	const char *file = L->in[d].name, *first = L->in[0].name;
	size_t n = json_object_array_length(ks);

	if (n == 0 || n > MATRIX_LOAD_KERNELS) {
		tool_err_set(err, "%s: %zu kernels (1 to %d expected)", file, n, MATRIX_LOAD_KERNELS);
		return -1;
	}
	if (d > 0 && n != L->nkernels) {
		tool_err_set(err, "%s: \"kernels\": %zu, in %s %zu: not shards of one grid", file,
			 n, first, L->nkernels);
		return -1;
	}
	for (size_t k = 0; k < n; k++) {
		struct kernel_id id;
		const char *bad = load_kernel(&id, json_object_array_get_idx(ks, k));
		if (bad) {
			tool_err_set(err, "%s: kernels[%zu]: %s", file, k, bad);
			return -1;
		}
		if (d == 0) {
			L->kernels[k] = id;
		} else if (strcmp(id.sha256, L->kernels[k].sha256)) {
			tool_err_set(err, "%s: kernels[%zu]: %s (sha256 %.16s...), in %s %s (sha256 "
				 "%.16s...): not shards of one grid", file, k, id.file, id.sha256, first,
				 L->kernels[k].file, L->kernels[k].sha256);
			return -1;
		}
	}
	L->nkernels = n;
	return 0;
}

/* An array of 1..max distinct names of [A-Za-z0-9_.-] (zeropage's path and
 * machine names, safe to print): NULL, or what is wrong. */
static const char *check_names(const struct json_object *a, size_t max)
{
	/* json-c asserts on the length of what is not an array */
	size_t n = a ? json_object_array_length(a) : 0;

	if (n == 0 || n > max)
		return "missing, or not an array of 1 to 16 (machines) or 64 (paths) names";
	for (size_t i = 0; i < n; i++) {
		const struct json_object *v = json_object_array_get_idx(a, i);
		const char *s = json_object_get_string((struct json_object *)v);
		if (!json_object_is_type(v, json_type_string) || !*s ||
		    s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")])
			return "a name not of [A-Za-z0-9_.-]+";
		for (size_t k = 0; k < i; k++)
			if (!strcmp(s, json_object_get_string(json_object_array_get_idx(a, k))))
				return "a name given twice";
	}
	return NULL;
}

/* hidden: whole numbers below rows, ascending: NULL, or what is wrong. */
static const char *check_hidden(const struct json_object *a, size_t rows)
{
	double last = -1;

	if (!a)
		return "missing, or not an array";
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		const struct json_object *v = json_object_array_get_idx(a, i);
		double x = is_number(v) ? json_object_get_double((struct json_object *)v) : -1;
		if (!(x > last && x < (double)rows) || x != (double)(size_t)x)
			return "not whole numbers below \"rows\", ascending";
		last = x;
	}
	return NULL;
}

/* File d's grid, by itself: its K, N, rows and identity make sense (and
 * agree with its kernels).  0, or -1 naming the member. */
static int check_grid(struct matrix_load *L, size_t d, const struct json_object *g, size_t nkernels,
		      size_t *rows, size_t *shards, struct tool_err *err)
{
	const struct json_object *paths = typed(g, "paths", json_type_array);
	const struct json_object *machines = typed(g, "machines", json_type_array);
	const struct json_object *append = member(g, "append"), *timeout = member(g, "timeout");
	const char *what = NULL;
	char why[160];

	if (uint_member(g, "rows", 0, 1e7, rows))
		what = "\"rows\": missing, or not a whole number from 0 to 10000000";
	else if (uint_member(g, "shards", 1, 100000, shards))
		what = "\"shards\": missing, or not a whole number from 1 to 100000";
	else if (uint_member(g, "shard", 1, (double)*shards, &L->in[d].shard))
		what = "\"shard\": missing, or not a whole number from 1 to \"shards\"";
	else if ((what = check_names(paths, MATRIX_LOAD_PATHS)) != NULL)
		snprintf(why, sizeof(why), "\"paths\": %s", what), what = why;
	else if ((what = check_names(machines, MATRIX_LOAD_MACHINES)) != NULL)
		snprintf(why, sizeof(why), "\"machines\": %s", what), what = why;
	else if (*rows != nkernels * json_object_array_length(paths) *
			 json_object_array_length(machines))
		snprintf(why, sizeof(why), "\"rows\": %zu, not %zu kernels x %zu machines x %zu paths",
			 *rows, nkernels, json_object_array_length(machines),
			 json_object_array_length(paths)), what = why;
	else if ((what = check_hidden(typed(g, "hidden", json_type_array), *rows)) != NULL)
		snprintf(why, sizeof(why), "\"hidden\": %s", what), what = why;
	else if (append && !json_object_is_type(append, json_type_string))
		what = "\"append\": not a string or null";
	else if (!str_member(g, "mem"))
		what = "\"mem\": missing or not a string";
	else if (timeout && !(is_number(timeout) && json_object_get_double(timeout) > 0 &&
			      json_object_get_double(timeout) <= 86400))
		what = "\"timeout\": not null or seconds in (0, 86400]";
	if (!what)
		return 0;
	tool_err_set(err, "%s: grid: %s", L->in[d].name, what);
	return -1;
}

/* The grid identity's members (matrix_rows.h), compared between files:
 * what was asked for first, what follows from it (hidden, rows) last, so
 * that the member named is the cause. */
static const char *const grid_members[] = {
	"paths", "machines", "append", "mem", "timeout", "shards", "hidden", "rows",
};

/* File d's grid identity and reference the same as file 0's: 0, or -1
 * naming the member and both values. */
static int same_grid(const struct matrix_load *L, size_t d, struct tool_err *err)
{
	const struct json_object *g0 = member(L->in[0].doc, "grid"), *g = member(L->in[d].doc, "grid");
	char a[120], b[120];

	for (size_t i = 0; i < sizeof(grid_members) / sizeof(grid_members[0]); i++) {
		struct json_object *v = member(g, grid_members[i]), *v0 = member(g0, grid_members[i]);
		if (!json_object_equal(v, v0)) {
			tool_err_set(err, "%s: grid \"%s\" is %s, in %s %s: not shards of one grid",
				 L->in[d].name, grid_members[i], json_quote(v, a, sizeof(a)),
				 L->in[0].name, json_quote(v0, b, sizeof(b)));
			return -1;
		}
	}
	struct json_object *r = typed(L->in[d].doc, "reference", json_type_string);
	struct json_object *r0 = typed(L->in[0].doc, "reference", json_type_string);
	if (!json_object_equal(r, r0)) {
		tool_err_set(err, "%s: \"reference\" is %s, in %s %s: not shards of one grid",
			 L->in[d].name, json_quote(r, a, sizeof(a)), L->in[0].name,
			 json_quote(r0, b, sizeof(b)));
		return -1;
	}
	return 0;
}

/* Member key of the file's "run", an RFC 3339 time: 0, or -1 naming it. */
static int run_time(const struct matrix_load_file *f, const char *key, double *t, struct tool_err *err)
{
	struct json_object *v = member(member(f->doc, "run"), key);
	const char *s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
	char q[80];

	if (!s || matrix_rows_rfc3339_parse(s, t)) {
		tool_err_set(err, "%s: run: \"%s\": %s is not an RFC 3339 date and time that "
			 "exists", f->name, key, json_quote(v, q, sizeof(q)));
		return -1;
	}
	return 0;
}

/* The file's run.start_time and end_time, and their rules (matrix_load.h). */
static int load_run(struct matrix_load_file *f, struct tool_err *err)
{
	double now = (double)time(NULL);
	char q[80], q0[80];

	if (run_time(f, "start_time", &f->run_start, err) ||
	    run_time(f, "end_time", &f->run_end, err))
		return -1;
	json_quote(member(member(f->doc, "run"), "start_time"), q0, sizeof(q0));
	json_quote(member(member(f->doc, "run"), "end_time"), q, sizeof(q));
	if (f->run_start < MATRIX_LOAD_TIME_MIN)
		tool_err_set(err, "%s: run: \"start_time\": %s is before 2000, before any run",
			 f->name, q0);
	else if (f->run_end < f->run_start)
		tool_err_set(err, "%s: run: \"end_time\": %s is before its \"start_time\" %s",
			 f->name, q, q0);
	else if (f->run_end > now + MATRIX_LOAD_CLOCK_AHEAD)
		tool_err_set(err, "%s: run: \"end_time\": %s is more than a day ahead of this "
			 "host's clock", f->name, q);
	else
		return 0;
	return -1;
}

/* File d's head: its grid, kernels, accelerator and reference, checked by
 * themselves and against file 0's (which become L's). */
static int load_head(struct matrix_load *L, size_t d, struct tool_err *err)
{
	struct matrix_load_file *f = &L->in[d];
	const struct json_object *doc = f->doc, *grid = typed(doc, "grid", json_type_object);
	const struct json_object *ks = typed(doc, "kernels", json_type_array);
	const struct json_object *res = typed(doc, "results", json_type_array);
	const char *accel = str_member(doc, "accel");
	const char *missing = !grid ? "\"grid\" object" : !ks ? "\"kernels\" array" :
			      !res ? "\"results\" array" : NULL;
	size_t rows, shards;

	if (!json_object_is_type(doc, json_type_object))
		missing = "object at the top";
	if (missing) {
		tool_err_set(err, "%s: not what `zeropage matrix --json` writes (no %s: an older "
			 "zeropage?)", f->name, missing);
		return -1;
	}
	if (!member(grid, "paths") || !member(doc, "run")) {
		tool_err_set(err, "%s: shard written by an older zeropage, without grid identity "
			 "(no grid \"paths\" or \"run\"): run its matrix again", f->name);
		return -1;
	}
	if (load_kernels(L, d, ks, err) ||
	    check_grid(L, d, grid, L->nkernels, &rows, &shards, err) ||
	    (d > 0 && same_grid(L, d, err)) || load_run(f, err))
		return -1;
	L->grid_rows = rows;
	L->shards = (unsigned)shards;
	L->reference = str_member(doc, "reference");
	L->accel = d == 0 || (accel && L->accel && !strcmp(L->accel, accel)) ? accel : "mixed";
	L->run_start = d == 0 || f->run_start < L->run_start ? f->run_start : L->run_start;
	L->run_end = d == 0 || f->run_end > L->run_end ? f->run_end : L->run_end;
	return 0;
}

/* File 0's grid identity as L->grid (pointing into its document), and
 * the owner of every hidden row marked. */
static int take_grid(struct matrix_load *L, struct tool_err *err)
{
	const struct json_object *g = member(L->in[0].doc, "grid");
	const struct json_object *paths = member(g, "paths"), *machines = member(g, "machines");
	const struct json_object *hidden = member(g, "hidden");
	struct json_object *append = member(g, "append");
	size_t nh = json_object_array_length(hidden);

	L->grid_hidden = calloc(nh ? nh : 1, sizeof(*L->grid_hidden));
	L->owner = calloc(L->grid_rows ? L->grid_rows : 1, sizeof(*L->owner));
	if (!L->grid_hidden || !L->owner) {
		tool_err_set(err, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < json_object_array_length(paths); i++)
		L->grid_paths[i] = json_object_get_string(json_object_array_get_idx(paths, i));
	for (size_t i = 0; i < json_object_array_length(machines); i++)
		L->grid_machines[i] = json_object_get_string(json_object_array_get_idx(machines, i));
	for (size_t i = 0; i < nh; i++) {
		L->grid_hidden[i] = (size_t)json_object_get_int64(json_object_array_get_idx(hidden, i));
		L->owner[L->grid_hidden[i]] = MATRIX_LOAD_HIDDEN;
	}
	L->grid = (struct matrix_grid_id){
		.paths = L->grid_paths, .npaths = json_object_array_length(paths),
		.machines = L->grid_machines, .nmachines = json_object_array_length(machines),
		.hidden = L->grid_hidden, .nhidden = nh,
		.append = append ? json_object_get_string(append) : NULL,
		.mem = str_member(g, "mem"),
		.timeout = member(g, "timeout") ? json_object_get_double(member(g, "timeout")) : 0,
	};
	return 0;
}

/* Shards 1..N each once: 0, or -1 naming the one twice or those missing. */
static int check_shards(struct matrix_load *L, struct tool_err *err)
{
	size_t nmissing = 0, at = 0;
	char list[200] = "";

	for (size_t a = 0; a < L->ndocs; a++)
		for (size_t b = 0; b < a; b++)
			if (L->in[a].shard == L->in[b].shard) {
				tool_err_set(err, "%s and %s are both shard %zu/%u", L->in[b].name,
					 L->in[a].name, L->in[a].shard, L->shards);
				return -1;
			}
	if (L->ndocs == L->shards)
		return 0;
	for (size_t k = 1; k <= L->shards; k++) {
		bool found = false;
		for (size_t a = 0; a < L->ndocs; a++)
			found |= L->in[a].shard == k;
		if (found)
			continue;
		if (nmissing++ < 10 && at < sizeof(list))
			at += (size_t)snprintf(list + at, sizeof(list) - at, "%s%zu/%u",
					       nmissing > 1 ? ", " : "", k, L->shards);
	}
	tool_err_set(err, "shard%s %s%s %s missing: %zu of %u shards given",
		 nmissing > 1 ? "s" : "", list, nmissing > 10 ? ", ..." : "",
		 nmissing > 1 ? "are" : "is", L->ndocs, L->shards);
	return -1;
}

static int by_index(const void *a, const void *b)
{
	const struct matrix_row *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

/* File d's console tails to its rows, rows[first..] */
static void load_consoles(struct matrix_load *L, size_t d, size_t first)
{
	const struct json_object *c = typed(L->in[d].doc, "consoles", json_type_array);

	for (size_t k = 0; c && k < json_object_array_length(c); k++) {
		const struct json_object *one = json_object_array_get_idx(c, k);
		struct json_object *tail = typed(one, "tail", json_type_string);
		size_t row;
		if (uint_member(one, "row", 0, 1e7, &row) || !tail)
			continue;
		for (size_t i = first; i < L->nrows; i++)
			if (L->rows[i].index == row) {
				L->rows[i].console = json_object_get_string(tail);
				L->rows[i].console_len = (size_t)json_object_get_string_len(tail);
			}
	}
}

/* The rows of file d, each at most once in the grid. */
static int load_rows(struct matrix_load *L, size_t d, struct tool_err *err)
{
	size_t n = json_object_array_length(member(L->in[d].doc, "results"));
	size_t first = L->nrows;

	for (size_t i = 0; i < n; i++) {
		size_t ri = L->nrows;
		if (matrix_load_row(L, d, i, ri, err))
			return -1;
		L->owner[L->rows[ri].index] = d + 1;
		L->nrows++;
	}
	load_consoles(L, d, first);
	return 0;
}

/* Every row of the grid that is not hidden came: 0, or -1 naming those
 * missing, with the file of the shard that should have had each. */
static int check_rows(const struct matrix_load *L, struct tool_err *err)
{
	size_t np = L->grid.npaths, nm = L->grid.nmachines, nmissing = 0;
	const size_t shown = 4;

	tool_err_set(err, "rows missing:");
	for (size_t row = 0; row < L->grid_rows; row++) {
		if (L->owner[row])
			continue;
		if (nmissing++ >= shown)
			continue;
		const char *file = "?";
		for (size_t d = 0; d < L->ndocs; d++)
			if (matrix_shard_has(row, (unsigned)L->in[d].shard, L->shards))
				file = L->in[d].name;
		tool_err_append(err, "%s row %zu (%s on %s, kernel %zu %s) of %s",
				nmissing > 1 ? ";" : "", row, L->grid.paths[row % np],
				L->grid.machines[row / np % nm], row / (np * nm) + 1,
				matrix_rows_basename(L->kernels[row / (np * nm)].file), file);
	}
	if (nmissing > shown)
		tool_err_append(err, "; and %zu more", nmissing - shown);
	if (nmissing)
		return -1;
	if (L->nrows)
		return 0;
	tool_err_set(err, "%s%s: no rows to report (a grid of %zu rows, %zu hidden)",
		 L->in[0].name, L->ndocs > 1 ? " and the other shards" : "", L->grid_rows,
		 L->grid.nhidden);
	return -1;
}

/* Every file's head, then room for all their rows. */
static int load_heads(struct matrix_load *L, struct tool_err *err)
{
	size_t total = 0;

	for (size_t d = 0; d < L->ndocs; d++) {
		if (load_head(L, d, err))
			return -1;
		total += json_object_array_length(member(L->in[d].doc, "results"));
	}
	if (check_shards(L, err) || take_grid(L, err))
		return -1;
	L->rows = calloc(total ? total : 1, sizeof(*L->rows));
	L->zero_pages = calloc(total ? total : 1, sizeof(*L->zero_pages));
	if (!L->rows || !L->zero_pages) {
		tool_err_set(err, "out of memory");
		return -1;
	}
	return 0;
}

int matrix_load(struct matrix_load *L, const char *const *files, size_t n, struct tool_err *err)
{
	memset(L, 0, sizeof(*L));
	L->in = calloc(n ? n : 1, sizeof(*L->in));
	if (!L->in) {
		tool_err_set(err, "out of memory");
		return -1;
	}
	if (n == 0) {
		tool_err_set(err, "no files");
		goto fail;
	}
	for (; L->ndocs < n; L->ndocs++) {
		L->in[L->ndocs].name = files[L->ndocs];
		if (read_doc(files[L->ndocs], &L->in[L->ndocs].doc, err))
			goto fail;
	}
	if (load_heads(L, err))
		goto fail;
	for (size_t d = 0; d < L->ndocs; d++)
		if (load_rows(L, d, err))
			goto fail;
	if (check_rows(L, err))
		goto fail;
	qsort(L->rows, L->nrows, sizeof(*L->rows), by_index);
	return 0;
fail:
	matrix_load_free(L);
	return -1;
}

void matrix_load_free(struct matrix_load *L)
{
	if (L->rows)
		matrix_rows_free_diffs(L->rows, L->nrows);
	for (size_t d = 0; d < L->ndocs; d++)
		json_object_put(L->in[d].doc);
	free(L->in);
	free(L->rows);
	free(L->zero_pages);
	free(L->grid_hidden);
	free(L->owner);
	memset(L, 0, sizeof(*L));
}
