/* SPDX-License-Identifier: MIT */
/* matrix_load.c - see matrix_load.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/fileio.h"
#include "report/json_read.h"
#include "report/matrix_load.h"
#include "report/probe_report.h"

int zp_verdict_parse(const char *name, enum zp_verdict *v)
{
	for (int i = ZP_VERDICT_OK; i <= ZP_VERDICT_NA; i++)
		if (name && !strcmp(zp_verdict_name((enum zp_verdict)i), name)) {
			*v = (enum zp_verdict)i;
			return 0;
		}
	return -1;
}

static int read_doc(const char *file, struct jv **doc, char *err, size_t errlen)
{
	uint8_t *data;
	size_t len;
	char e[300];

	if (zp_read_file(file, &data, &len, e, sizeof(e))) {
		snprintf(err, errlen, "%s", e);
		return -1;
	}
	*doc = jv_parse((const char *)data, len, e, sizeof(e));
	free(data);
	if (!*doc) {
		snprintf(err, errlen, "%s: not JSON: %s", file, e);
		return -1;
	}
	return 0;
}

/* A whole number in [lo, hi] at member key of o: 0, or -1. */
static int uint_member(const struct jv *o, const char *key, double lo, double hi, size_t *out)
{
	const struct jv *v = jv_get(o, key);
	double d = v && v->type == JV_NUMBER ? v->num : -1;

	if (d < lo || d > hi || d != (double)(size_t)d)
		return -1;
	*out = (size_t)d;
	return 0;
}

static int load_kernel(struct zp_kernel_id *k, const struct jv *o)
{
	const char *file = jv_str(jv_get(o, "file")), *sha = jv_str(jv_get(o, "sha256"));
	const char *version = jv_str(jv_get(o, "version")), *release = jv_str(jv_get(o, "release"));

	if (!file || !sha || strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64)
		return -1;
	memset(k, 0, sizeof(*k));
	k->file = file;
	snprintf(k->sha256, sizeof(k->sha256), "%s", sha);
	snprintf(k->version, sizeof(k->version), "%s", version ? version : "");
	snprintf(k->release, sizeof(k->release), "%s", release ? release : "");
	return 0;
}

/* The kernels of doc d: the first's become L's, the others must match. */
static int load_kernels(struct zp_mload *L, size_t d, const struct jv *ks, char *err, size_t errlen)
{
	const char *file = L->files[d];

	if (ks->n == 0 || ks->n > sizeof(L->kernels) / sizeof(L->kernels[0])) {
		snprintf(err, errlen, "%s: %zu kernels", file, ks->n);
		return -1;
	}
	if (d > 0 && ks->n != L->nkernels) {
		snprintf(err, errlen, "%s: %zu kernels, %s has %zu: not shards of one grid", file,
			 ks->n, L->files[0], L->nkernels);
		return -1;
	}
	for (size_t k = 0; k < ks->n; k++) {
		struct zp_kernel_id id;
		if (load_kernel(&id, &ks->items[k])) {
			snprintf(err, errlen, "%s: kernels[%zu]: no file or sha256", file, k);
			return -1;
		}
		if (d == 0) {
			L->kernels[k] = id;
		} else if (strcmp(id.sha256, L->kernels[k].sha256)) {
			snprintf(err, errlen, "%s: kernel %zu is %s, in %s it is %s: not shards of one grid",
				 file, k + 1, id.file, L->files[0], L->kernels[k].file);
			return -1;
		}
	}
	L->nkernels = ks->n;
	return 0;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Doc d's grid, kernels, accelerator and reference: the first's are L's,
 * the others' must agree.  *shard: which shard it is. */
static int load_head(struct zp_mload *L, size_t d, size_t *shard, char *err, size_t errlen)
{
	const struct jv *doc = L->docs[d], *grid = jv_get(doc, "grid");
	const struct jv *ks = jv_get(doc, "kernels"), *res = jv_get(doc, "results");
	const char *file = L->files[d], *accel = jv_str(jv_get(doc, "accel"));
	const char *ref = jv_str(jv_get(doc, "reference"));
	size_t rows, shards;

	if (!grid || !ks || ks->type != JV_ARRAY || !res || res->type != JV_ARRAY) {
		snprintf(err, errlen, "%s: not what `zeropage matrix --json` writes (no grid, kernels "
			 "or results: an older zeropage?)", file);
		return -1;
	}
	if (uint_member(grid, "rows", 0, 1e7, &rows) || uint_member(grid, "shards", 1, 100000, &shards) ||
	    uint_member(grid, "shard", 1, (double)shards, shard)) {
		snprintf(err, errlen, "%s: grid: rows, shard and shards expected", file);
		return -1;
	}
	if (d > 0 && (rows != L->grid_rows || shards != L->shards)) {
		snprintf(err, errlen, "%s: a grid of %zu rows in %zu shards, %s: %zu in %u: not shards "
			 "of one grid", file, rows, shards, L->files[0], L->grid_rows, L->shards);
		return -1;
	}
	if (d > 0 && !same_str(ref, L->reference)) {
		snprintf(err, errlen, "%s: --reference %s, %s: %s", file, ref ? ref : "(none)",
			 L->files[0], L->reference ? L->reference : "(none)");
		return -1;
	}
	L->grid_rows = rows;
	L->shards = (unsigned)shards;
	L->reference = ref;
	L->accel = d == 0 || same_str(L->accel, accel) ? accel : "mixed";
	return load_kernels(L, d, ks, err, errlen);
}

static int hex_zero_page(const char *hex, uint8_t *out)
{
	if (!hex || strlen(hex) != 8192)
		return -1;
	for (size_t i = 0; i < 4096; i++) {
		unsigned v;
		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	return 0;
}

/* The table's kaslr cell from the JSON's addresses, as matrix made it. */
static void kaslr_cell(const struct jv *o, char *out, size_t cap)
{
	static struct zp_probe_report r;	/* only kernel_phys and kernel_text matter */
	const struct jv *ka = jv_get(o, "kaslr");
	const char *kp = jv_str(jv_get(o, "kernel_phys")), *kt = jv_str(jv_get(o, "kernel_text"));
	const char *lp = jv_str(jv_get(ka, "link_phys")), *lv = jv_str(jv_get(ka, "link_virt"));
	struct zp_kernel_link l = { lp ? strtoull(lp, NULL, 16) : 0, lv ? strtoull(lv, NULL, 16) : 0 };

	r.kernel_phys = kp ? strtoull(kp, NULL, 16) : 0;
	r.kernel_text = kt ? strtoull(kt, NULL, 16) : 0;
	zp_kaslr_cell(out, cap, &r, &l);
}

/* The diffs the shard recorded, for when the zero pages are not there. */
static void recorded_diffs(const struct jv *o, struct zp_mrow *r)
{
	const struct jv *d = jv_get(o, "diff");
	size_t n = d && d->type == JV_ARRAY ? d->n : 0;

	r->diff_against = jv_str(jv_get(o, "diff_against"));
	r->is_reference = r->diff_against && !strcmp(r->diff_against, r->path);
	if (n > ZP_MROW_DIFF_CAP)
		n = ZP_MROW_DIFF_CAP;
	r->diff = n ? calloc(n, sizeof(*r->diff)) : NULL;
	for (size_t k = 0; r->diff && k < n; k++) {
		const char *field = jv_str(jv_get(&d->items[k], "field"));
		const char *change = jv_str(jv_get(&d->items[k], "change"));
		snprintf(r->diff[k].name, sizeof(r->diff[k].name), "%s", field ? field : "?");
		snprintf(r->diff[k].text, sizeof(r->diff[k].text), "%s", change ? change : "?");
		r->ndiff = k + 1;
	}
}

static const struct zp_kernel_id *find_kernel(const struct zp_mload *L, const char *sha)
{
	for (size_t k = 0; sha && k < L->nkernels; k++)
		if (!strcmp(L->kernels[k].sha256, sha))
			return &L->kernels[k];
	return NULL;
}

static void load_times(const struct jv *o, struct zp_mrow *r)
{
	const struct jv *s = jv_get(o, "seconds");
	const char *start = jv_str(jv_get(o, "start_time"));

	r->t_first_byte = jv_num(jv_get(s, "first_byte"), -1);
	r->t_banner = jv_num(jv_get(s, "banner"), -1);
	r->t_init = jv_num(jv_get(s, "init"), -1);
	r->t_exit = jv_num(jv_get(s, "exit"), -1);
	r->build_s = jv_num(jv_get(s, "build"), 0);
	r->duration = jv_num(jv_get(o, "duration"), -1);
	if (!start || zp_rfc3339_parse(start, &r->start_time))
		r->start_time = -1;
}

/* The report and what comes of it: zero page, kaslr cell, diffs. */
static void load_report(struct zp_mload *L, const struct jv *o, struct zp_mrow *r, size_t ri)
{
	const struct jv *rep = jv_get(o, "report");

	r->has_report = rep && rep->type == JV_OBJECT;
	if (!r->has_report)
		return;
	kaslr_cell(o, r->kaslr, sizeof(r->kaslr));
	if (!hex_zero_page(jv_str(jv_get(rep, "boot_params_hex")), L->zero_pages[ri]))
		r->zero_page = L->zero_pages[ri];
	else if (jv_get(rep, "boot_params") && jv_get(rep, "boot_params")->type == JV_OBJECT)
		L->zero_pages_missing = true;	/* read, but its bytes not kept */
}

/* One result of doc d as row ri. */
static int load_row(struct zp_mload *L, size_t d, const struct jv *o, size_t ri, char *err,
		    size_t errlen)
{
	struct zp_mrow *r = &L->rows[ri];
	const char *verdict = jv_str(jv_get(o, "verdict"));

	memset(r, 0, sizeof(*r));
	r->src = o;
	r->kernel = find_kernel(L, jv_str(jv_get(o, "kernel_sha256")));
	r->path = jv_str(jv_get(o, "path"));
	r->machine = jv_str(jv_get(o, "machine"));
	r->accel = jv_str(jv_get(o, "accel"));
	r->reason = jv_str(jv_get(o, "reason"));
	r->cmdline = jv_str(jv_get(o, "cmdline_given"));
	r->xen_log = jv_str(jv_get(o, "xen_log"));
	if (uint_member(o, "row", 0, (double)L->grid_rows - 1, &r->index) || !r->kernel ||
	    !r->path || !r->machine || zp_verdict_parse(verdict, &r->verdict)) {
		snprintf(err, errlen, "%s: results[%zu]: row, kernel_sha256, path, machine or verdict "
			 "missing or unknown", L->files[d], ri);
		return -1;
	}
	if (!r->accel)
		r->accel = L->accel ? L->accel : "?";
	if (!r->reason)
		r->reason = "";
	load_times(o, r);
	load_report(L, o, r, ri);
	recorded_diffs(o, r);
	return 0;
}

static int by_index(const void *a, const void *b)
{
	const struct zp_mrow *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

/* Doc d's console tails to its rows, rows[first..] */
static void load_consoles(struct zp_mload *L, size_t d, size_t first)
{
	const struct jv *c = jv_get(L->docs[d], "consoles");

	for (size_t k = 0; c && c->type == JV_ARRAY && k < c->n; k++) {
		const struct jv *tail = jv_get(&c->items[k], "tail");
		size_t row;
		if (uint_member(&c->items[k], "row", 0, 1e7, &row) || !tail || tail->type != JV_STRING)
			continue;
		for (size_t i = first; i < L->nrows; i++)
			if (L->rows[i].index == row) {
				L->rows[i].console = tail->str;
				L->rows[i].console_len = tail->len;
			}
	}
}

/* The rows of doc d, each at most once in the grid (owner: doc + 1 per row). */
static int load_rows(struct zp_mload *L, size_t d, size_t *owner, char *err, size_t errlen)
{
	const struct jv *res = jv_get(L->docs[d], "results");
	size_t first = L->nrows;

	for (size_t i = 0; i < res->n; i++) {
		size_t ri = L->nrows;
		if (load_row(L, d, &res->items[i], ri, err, errlen))
			return -1;
		size_t index = L->rows[ri].index;
		if (owner[index]) {
			snprintf(err, errlen, "%s: row %zu (%s on %s) is in %s too", L->files[d], index,
				 L->rows[ri].path, L->rows[ri].machine, L->files[owner[index] - 1]);
			free(L->rows[ri].diff);
			return -1;
		}
		owner[index] = d + 1;
		L->nrows++;
	}
	load_consoles(L, d, first);
	return 0;
}

/* Shards 1..N each once. */
static int check_shards(struct zp_mload *L, const size_t *shard_of, char *err, size_t errlen)
{
	for (size_t a = 0; a < L->ndocs; a++)
		for (size_t b = 0; b < a; b++)
			if (shard_of[a] == shard_of[b]) {
				snprintf(err, errlen, "%s and %s are both shard %zu/%u", L->files[b],
					 L->files[a], shard_of[a], L->shards);
				return -1;
			}
	if (L->ndocs != L->shards) {
		size_t k = 1;
		for (bool found = true; found && k <= L->shards; k += found) {
			found = false;
			for (size_t a = 0; a < L->ndocs; a++)
				found |= shard_of[a] == k;
		}
		snprintf(err, errlen, "shard %zu/%u is missing: %zu of %u shards given", k, L->shards,
			 L->ndocs, L->shards);
		return -1;
	}
	return 0;
}

/* Every doc's head, then room for all their rows. */
static int load_heads(struct zp_mload *L, size_t *shard_of, char *err, size_t errlen)
{
	size_t total = 0;

	for (size_t d = 0; d < L->ndocs; d++) {
		if (load_head(L, d, &shard_of[d], err, errlen))
			return -1;
		total += jv_get(L->docs[d], "results")->n;
	}
	if (check_shards(L, shard_of, err, errlen))
		return -1;
	L->rows = calloc(total ? total : 1, sizeof(*L->rows));
	L->zero_pages = calloc(total ? total : 1, sizeof(*L->zero_pages));
	if (!L->rows || !L->zero_pages) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

int zp_mload(struct zp_mload *L, const char *const *files, size_t n, char *err, size_t errlen)
{
	size_t *shard_of = calloc(n ? n : 1, sizeof(*shard_of)), *owner = NULL;

	memset(L, 0, sizeof(*L));
	L->files = calloc(n ? n : 1, sizeof(*L->files));
	L->docs = calloc(n ? n : 1, sizeof(*L->docs));
	if (!shard_of || !L->files || !L->docs) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	for (; L->ndocs < n; L->ndocs++) {
		L->files[L->ndocs] = files[L->ndocs];
		if (read_doc(files[L->ndocs], &L->docs[L->ndocs], err, errlen))
			goto fail;
	}
	if (load_heads(L, shard_of, err, errlen))
		goto fail;
	owner = calloc(L->grid_rows ? L->grid_rows : 1, sizeof(*owner));
	if (!owner) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	for (size_t d = 0; d < L->ndocs; d++)
		if (load_rows(L, d, owner, err, errlen))
			goto fail;
	qsort(L->rows, L->nrows, sizeof(*L->rows), by_index);
	free(owner);
	free(shard_of);
	return 0;
fail:
	free(owner);
	free(shard_of);
	zp_mload_free(L);
	return -1;
}

void zp_mload_free(struct zp_mload *L)
{
	if (L->rows)
		zp_mrows_free_diffs(L->rows, L->nrows);
	for (size_t d = 0; d < L->ndocs; d++)
		jv_free(L->docs[d]);
	free(L->docs);
	free(L->files);
	free(L->rows);
	free(L->zero_pages);
	memset(L, 0, sizeof(*L));
}
