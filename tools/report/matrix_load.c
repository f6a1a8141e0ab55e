/* SPDX-License-Identifier: MIT */
/* matrix_load.c - see matrix_load.h.  The files are parsed by json-c. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "image/fileio.h"
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

/* Nesting json-c accepts (its default is 32): more than matrix writes. */
#define ZP_JSON_DEPTH 64

/* The document text[0..len), strictly (RFC 8259, no trailing text): NULL
 * with "line L column C: what" in err. */
static struct json_object *parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct json_tokener *tok = json_tokener_new_ex(ZP_JSON_DEPTH);
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
	snprintf(err, errlen, "line %zu column %zu: %s", line, col, what);
	return NULL;
}

static int read_doc(const char *file, struct json_object **doc, char *err, size_t errlen)
{
	uint8_t *data;
	size_t len;
	char e[300];

	if (zp_read_file(file, &data, &len, e, sizeof(e))) {
		snprintf(err, errlen, "%s", e);
		return -1;
	}
	*doc = parse((const char *)data, len, e, sizeof(e));
	free(data);
	if (!*doc) {
		snprintf(err, errlen, "%s: not JSON: %s", file, e);
		return -1;
	}
	return 0;
}

/* Member key of o, NULL when o is not an object, lacks it or it is null. */
static struct json_object *member(const struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/* Member key of o if it is of type t, else NULL. */
static struct json_object *typed(const struct json_object *o, const char *key, enum json_type t)
{
	struct json_object *v = member(o, key);

	return json_object_is_type(v, t) ? v : NULL;
}

/* Member key of o if it is a string, else NULL. */
static const char *str_member(const struct json_object *o, const char *key)
{
	return json_object_get_string(typed(o, key, json_type_string));
}

static bool is_number(const struct json_object *v)
{
	return json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double);
}

/* v as a number: a JSON number or a string holding one ("1.25", as matrix
 * writes seconds); dflt for null, absent and anything else. */
static double num(struct json_object *v, double dflt)
{
	const char *s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
	char *end;

	if (is_number(v))
		return json_object_get_double(v);
	if (s && *s) {
		double d = strtod(s, &end);
		if (*end == 0)
			return d;
	}
	return dflt;
}

/* A whole number in [lo, hi] at member key of o: 0, or -1. */
static int uint_member(const struct json_object *o, const char *key, double lo, double hi,
		       size_t *out)
{
	struct json_object *v = member(o, key);
	double d = is_number(v) ? json_object_get_double(v) : -1;

	if (!(d >= lo && d <= hi) || d != (double)(size_t)d)	/* NaN too */
		return -1;
	*out = (size_t)d;
	return 0;
}

/* Kernel o into k: NULL, or what is wrong with it. */
static const char *load_kernel(struct zp_kernel_id *k, const struct json_object *o)
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

/* The kernels of doc d: the first's become L's, the others must match. */
static int load_kernels(struct zp_mload *L, size_t d, const struct json_object *ks, char *err,
			size_t errlen)
{
	const char *file = L->files[d];
	size_t n = json_object_array_length(ks);

	if (n == 0 || n > sizeof(L->kernels) / sizeof(L->kernels[0])) {
		snprintf(err, errlen, "%s: %zu kernels (1 to %zu expected)", file, n,
			 sizeof(L->kernels) / sizeof(L->kernels[0]));
		return -1;
	}
	if (d > 0 && n != L->nkernels) {
		snprintf(err, errlen, "%s: %zu kernels, %s has %zu: not shards of one grid", file,
			 n, L->files[0], L->nkernels);
		return -1;
	}
	for (size_t k = 0; k < n; k++) {
		struct zp_kernel_id id;
		const char *bad = load_kernel(&id, json_object_array_get_idx(ks, k));
		if (bad) {
			snprintf(err, errlen, "%s: kernels[%zu]: %s", file, k, bad);
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
	L->nkernels = n;
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
	const struct json_object *doc = L->docs[d], *grid = typed(doc, "grid", json_type_object);
	const struct json_object *ks = typed(doc, "kernels", json_type_array);
	const struct json_object *res = typed(doc, "results", json_type_array);
	const char *file = L->files[d], *accel = str_member(doc, "accel");
	const char *ref = str_member(doc, "reference");
	const char *missing = !grid ? "\"grid\" object" : !ks ? "\"kernels\" array" :
			      !res ? "\"results\" array" : NULL;
	size_t rows = 0, shards = 0;

	if (!json_object_is_type(doc, json_type_object))
		missing = "object at the top";
	if (missing) {
		snprintf(err, errlen, "%s: not what `zeropage matrix --json` writes (no %s: an older "
			 "zeropage?)", file, missing);
		return -1;
	}
	if (uint_member(grid, "rows", 0, 1e7, &rows))
		missing = "\"rows\": missing, or not a whole number from 0 to 10000000";
	else if (uint_member(grid, "shards", 1, 100000, &shards))
		missing = "\"shards\": missing, or not a whole number from 1 to 100000";
	else if (uint_member(grid, "shard", 1, (double)shards, shard))
		missing = "\"shard\": missing, or not a whole number from 1 to \"shards\"";
	if (missing) {
		snprintf(err, errlen, "%s: grid: %s", file, missing);
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
static void kaslr_cell(const struct json_object *o, char *out, size_t cap)
{
	static struct zp_probe_report r;	/* only kernel_phys and kernel_text matter */
	const struct json_object *ka = member(o, "kaslr");
	const char *kp = str_member(o, "kernel_phys"), *kt = str_member(o, "kernel_text");
	const char *lp = str_member(ka, "link_phys"), *lv = str_member(ka, "link_virt");
	const struct json_object *ex = member(ka, "expected");
	struct zp_kernel_link l = { lp ? strtoull(lp, NULL, 16) : 0, lv ? strtoull(lv, NULL, 16) : 0,
				    ex && json_object_get_boolean(ex) };

	r.kernel_phys = kp ? strtoull(kp, NULL, 16) : 0;
	r.kernel_text = kt ? strtoull(kt, NULL, 16) : 0;
	zp_kaslr_cell(out, cap, &r, &l);
}

/* The diffs the shard recorded, for when the zero pages are not there. */
static void recorded_diffs(const struct json_object *o, struct zp_mrow *r)
{
	const struct json_object *d = typed(o, "diff", json_type_array);
	size_t n = d ? json_object_array_length(d) : 0;

	r->diff_against = str_member(o, "diff_against");
	r->is_reference = r->diff_against && !strcmp(r->diff_against, r->path);
	if (n > ZP_MROW_DIFF_CAP)
		n = ZP_MROW_DIFF_CAP;
	r->diff = n ? calloc(n, sizeof(*r->diff)) : NULL;
	for (size_t k = 0; r->diff && k < n; k++) {
		const struct json_object *one = json_object_array_get_idx(d, k);
		const char *field = str_member(one, "field"), *change = str_member(one, "change");
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

static void load_times(const struct json_object *o, struct zp_mrow *r)
{
	const struct json_object *s = member(o, "seconds");
	const char *start = str_member(o, "start_time");

	r->t_first_byte = num(member(s, "first_byte"), -1);
	r->t_banner = num(member(s, "banner"), -1);
	r->t_init = num(member(s, "init"), -1);
	r->t_exit = num(member(s, "exit"), -1);
	r->build_s = num(member(s, "build"), 0);
	r->duration = num(member(o, "duration"), -1);
	if (!start || zp_rfc3339_parse(start, &r->start_time))
		r->start_time = -1;
}

/* The report and what comes of it: zero page, kaslr cell, diffs. */
static void load_report(struct zp_mload *L, const struct json_object *o, struct zp_mrow *r,
			size_t ri)
{
	const struct json_object *rep = typed(o, "report", json_type_object);

	r->has_report = rep != NULL;
	if (!r->has_report)
		return;
	kaslr_cell(o, r->kaslr, sizeof(r->kaslr));
	if (!hex_zero_page(str_member(rep, "boot_params_hex"), L->zero_pages[ri]))
		r->zero_page = L->zero_pages[ri];
	else if (typed(rep, "boot_params", json_type_object))
		L->zero_pages_missing = true;	/* read, but its bytes not kept */
}

/* Row r's number and verdict from o, its other members set already: NULL,
 * or what is wrong with it (in why[0..cap) or static). */
static const char *check_row(const struct json_object *o, struct zp_mrow *r, size_t grid_rows,
			     char *why, size_t cap)
{
	const char *verdict = str_member(o, "verdict");

	if (!json_object_is_type(o, json_type_object))
		return "not an object";
	if (uint_member(o, "row", 0, (double)grid_rows - 1, &r->index))
		return "\"row\": missing, or not a whole number below the grid's rows";
	if (!str_member(o, "kernel_sha256"))
		return "\"kernel_sha256\": missing or not a string";
	if (!r->kernel)
		return "\"kernel_sha256\": none of the file's kernels";
	if (!r->path)
		return "\"path\": missing or not a string";
	if (!r->machine)
		return "\"machine\": missing or not a string";
	if (!verdict)
		return "\"verdict\": missing or not a string";
	if (zp_verdict_parse(verdict, &r->verdict)) {
		snprintf(why, cap, "\"verdict\": \"%.40s\" is not one zeropage knows", verdict);
		return why;
	}
	return NULL;
}

/* Result i of doc d as row ri. */
static int load_row(struct zp_mload *L, size_t d, size_t i, size_t ri, char *err, size_t errlen)
{
	struct zp_mrow *r = &L->rows[ri];
	struct json_object *o = json_object_array_get_idx(member(L->docs[d], "results"), i);
	const char *bad;
	char why[100];

	memset(r, 0, sizeof(*r));
	r->src = o;
	r->kernel = find_kernel(L, str_member(o, "kernel_sha256"));
	r->path = str_member(o, "path");
	r->machine = str_member(o, "machine");
	r->accel = str_member(o, "accel");
	r->reason = str_member(o, "reason");
	r->cmdline = str_member(o, "cmdline_given");
	r->xen_log = str_member(o, "xen_log");
	if ((bad = check_row(o, r, L->grid_rows, why, sizeof(why))) != NULL) {
		snprintf(err, errlen, "%s: results[%zu]: %s", L->files[d], i, bad);
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
	const struct json_object *c = typed(L->docs[d], "consoles", json_type_array);

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

/* The rows of doc d, each at most once in the grid (owner: doc + 1 per row). */
static int load_rows(struct zp_mload *L, size_t d, size_t *owner, char *err, size_t errlen)
{
	size_t n = json_object_array_length(member(L->docs[d], "results"));
	size_t first = L->nrows;

	for (size_t i = 0; i < n; i++) {
		size_t ri = L->nrows;
		if (load_row(L, d, i, ri, err, errlen))
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
		total += json_object_array_length(member(L->docs[d], "results"));
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
		json_object_put(L->docs[d]);
	free(L->docs);
	free(L->files);
	free(L->rows);
	free(L->zero_pages);
	memset(L, 0, sizeof(*L));
}
