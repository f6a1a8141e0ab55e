/* SPDX-License-Identifier: MIT */
/*
 * matrix_load_row.c - one row of a matrix JSON file read back, for
 * matrix_load.c: its members, its place in the grid (its kernel, path and
 * machine are the grid's at its number, its number is its file's shard's)
 * and its times by the rules of matrix_load.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/tool_err.h"
#include "report/boot_entry.h"
#include "report/json_read.h"
#include "report/matrix_load.h"
#include "report/guest_report.h"

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
	static struct guest_report r;	/* only kernel_phys and kernel_text matter */
	const struct json_object *ka = member(o, "kaslr");
	const char *kp = str_member(o, "kernel_phys"), *kt = str_member(o, "kernel_text");
	const char *lp = str_member(ka, "link_phys"), *lv = str_member(ka, "link_virt");
	const struct json_object *ex = member(ka, "expected");
	struct kernel_link l = { lp ? strtoull(lp, NULL, 16) : 0, lv ? strtoull(lv, NULL, 16) : 0,
				    ex && json_object_get_boolean(ex) };

	r.kernel_phys = kp ? strtoull(kp, NULL, 16) : 0;
	r.kernel_text = kt ? strtoull(kt, NULL, 16) : 0;
	kaslr_seen_cell(out, cap, &r, &l);
}

/* The diffs the shard recorded, for when the zero pages are not there. */
static void recorded_diffs(const struct json_object *o, struct matrix_row *r)
{
	const struct json_object *d = typed(o, "diff", json_type_array);
	size_t n = d ? json_object_array_length(d) : 0;

	r->diff_against = str_member(o, "diff_against");
	r->is_reference = r->diff_against && !strcmp(r->diff_against, r->path);
	if (n > MATRIX_ROWS_DIFF_CAP)
		n = MATRIX_ROWS_DIFF_CAP;
	r->diff = n ? calloc(n, sizeof(*r->diff)) : NULL;
	for (size_t k = 0; r->diff && k < n; k++) {
		const struct json_object *one = json_object_array_get_idx(d, k);
		const char *field = str_member(one, "field"), *change = str_member(one, "change");
		snprintf(r->diff[k].name, sizeof(r->diff[k].name), "%s", field ? field : "?");
		snprintf(r->diff[k].text, sizeof(r->diff[k].text), "%s", change ? change : "?");
		r->ndiff = k + 1;
	}
}

static const struct kernel_id *find_kernel(const struct matrix_load *L, const char *sha)
{
	for (size_t k = 0; sha && k < L->nkernels; k++)
		if (!strcmp(L->kernels[k].sha256, sha))
			return &L->kernels[k];
	return NULL;
}

/* "1.250", as matrix writes seconds: digits, maybe a point and digits
 * (strtod would also take "inf", "nan", "0x1p3", " 1" and "1e999"). */
static bool is_decimal(const char *s)
{
	static const char digits[] = "0123456789";
	size_t n = strspn(s, digits);

	if (n == 0 || !s[n])
		return n > 0;
	return s[n] == '.' && s[n + 1] && strspn(s + n + 1, digits) == strlen(s + n + 1);
}

/* v as seconds (matrix_load.h): 0 with *out (`unknown` for null or
 * absent), or -1. */
static int seconds(struct json_object *v, double unknown, double *out)
{
	const char *s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
	double d = -1;

	if (!v) {
		*out = unknown;
		return 0;
	}
	if (is_number(v)) {
		d = json_object_get_double(v);
	} else if (s && is_decimal(s)) {
		d = strtod(s, NULL);
	}
	if (!(d >= 0 && d <= MATRIX_LOAD_SECONDS_MAX))	/* NaN and inf too */
		return -1;
	*out = d;
	return 0;
}

/* Row r's seconds and duration from o: NULL, or what is wrong (in why). */
static const char *load_seconds(struct json_object *o, struct matrix_row *r, char *why, size_t cap)
{
	struct json_object *s = member(o, "seconds"), *v;
	char q[64];

	if (s && !json_object_is_type(s, json_type_object))
		return "\"seconds\": not an object";
	for (size_t i = 0; i < MATRIX_STAGES; i++) {
		const struct matrix_stage *st = &matrix_stages[i];

		v = member(s, st->name);
		if (seconds(v, st->absent, matrix_stage_time(r, st))) {
			snprintf(why, cap, "\"seconds\": \"%s\": %s is not a number of seconds from 0 "
				 "to %.0f", st->name, json_quote(v, q, sizeof(q)), MATRIX_LOAD_SECONDS_MAX);
			return why;
		}
	}
	v = member(o, "duration");
	if (seconds(v, -1, &r->duration)) {
		snprintf(why, cap, "\"duration\": %s is not a number of seconds from 0 to %.0f",
			 json_quote(v, q, sizeof(q)), MATRIX_LOAD_SECONDS_MAX);
		return why;
	}
	return NULL;
}

/* Row r's start_time from o, within its file's run: NULL, or what is
 * wrong (in why). */
static const char *load_start(struct json_object *o, struct matrix_row *r,
			      const struct matrix_load_file *f, char *why, size_t cap)
{
	struct json_object *v = member(o, "start_time");
	const char *s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
	char q[64], t[48];

	r->start_time = -1;
	if (!v)
		return NULL;	/* not timed */
	json_quote(v, q, sizeof(q));
	if (!s || matrix_rows_rfc3339_parse(s, &r->start_time)) {
		snprintf(why, cap, "\"start_time\": %s is not an RFC 3339 date and time that exists", q);
		return why;
	}
	if (r->start_time < f->run_start - MATRIX_LOAD_CLOCK_SLACK) {
		matrix_rows_rfc3339(t, sizeof(t), f->run_start);
		snprintf(why, cap, "\"start_time\": %s is before its run started (run \"start_time\" "
			 "%s)", q, t);
		return why;
	}
	double end = r->start_time + (r->duration > 0 ? r->duration : 0);
	if (end > f->run_end + MATRIX_LOAD_CLOCK_SLACK) {
		matrix_rows_rfc3339(t, sizeof(t), f->run_end);
		snprintf(why, cap, "\"start_time\": %s%s ends after its run ended (run \"end_time\" %s)",
			 q, r->duration > 0 ? " + \"duration\"" : "", t);
		return why;
	}
	return NULL;
}

/* The report and what comes of it: zero page, kaslr cell, diffs. */
static void load_report(struct matrix_load *L, const struct json_object *o, struct matrix_row *r,
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

/* Row r's members from o, its place in the grid aside: NULL, or what is
 * wrong (in why or static). */
static const char *check_row(struct json_object *o, struct matrix_row *r, size_t grid_rows,
			     char *why, size_t cap)
{
	struct json_object *verdict = typed(o, "verdict", json_type_string);
	enum boot_entry entry;
	char q[64];

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
	if (verdict_parse(json_object_get_string(verdict), &r->verdict)) {
		snprintf(why, cap, "\"verdict\": %s is not one zeropage knows",
			 json_quote(verdict, q, sizeof(q)));
		return why;
	}
	/* optional (shards of older zeropage lack it), but a known name */
	if (member(o, "entry") && (!r->entry || boot_entry_parse(r->entry, &entry))) {
		snprintf(why, cap, "\"entry\": %s is not an entry zeropage knows",
			 json_quote(member(o, "entry"), q, sizeof(q)));
		return why;
	}
	return NULL;
}

/* The grid's name of row i: "PATH on MACHINE, kernel K" (the names are
 * checked safe to print). */
static void grid_row_name(const struct matrix_load *L, size_t i, char *out, size_t cap)
{
	size_t np = L->grid.npaths, nm = L->grid.nmachines;

	snprintf(out, cap, "%s on %s, kernel %zu", L->grid.paths[i % np],
		 L->grid.machines[i / np % nm], i / (np * nm) + 1);
}

/* Row r (of file f) where the grid has it: its number neither hidden nor
 * another shard's nor taken by a row read before, its kernel, path and
 * machine the grid's at that number.  NULL, or what is wrong (in why). */
static const char *check_place(const struct matrix_load *L, const struct matrix_load_file *f,
			       struct json_object *o, const struct matrix_row *r, char *why, size_t cap)
{
	size_t np = L->grid.npaths, nm = L->grid.nmachines, i = r->index;
	size_t k = i / (np * nm);
	char q[80];

	if (L->owner[i] == MATRIX_LOAD_HIDDEN)
		snprintf(why, cap, "\"row\": %zu is one the grid does not show (grid \"hidden\")", i);
	else if (L->owner[i] && &L->in[L->owner[i] - 1] == f)
		snprintf(why, cap, "\"row\": %zu is in this file twice", i);
	else if (L->owner[i])
		snprintf(why, cap, "\"row\": %zu is in %s too", i, L->in[L->owner[i] - 1].name);
	else if (!matrix_shard_has(i, (unsigned)f->shard, L->shards))
		snprintf(why, cap, "\"row\": %zu is shard %zu/%u's, not this file's %zu/%u", i,
			 i % L->shards + 1, L->shards, f->shard, L->shards);
	else if (r->kernel != &L->kernels[k])
		snprintf(why, cap, "\"kernel_sha256\": %.16s... is kernel %zu, not the grid's kernel "
			 "%zu (%.16s...)", r->kernel->sha256, (size_t)(r->kernel - L->kernels) + 1,
			 k + 1, L->kernels[k].sha256);
	else if (strcmp(r->path, L->grid.paths[i % np]))
		snprintf(why, cap, "\"path\": %s, not the grid's path of that row",
			 json_quote(member(o, "path"), q, sizeof(q)));
	else if (strcmp(r->machine, L->grid.machines[i / np % nm]))
		snprintf(why, cap, "\"machine\": %s, not the grid's machine of that row",
			 json_quote(member(o, "machine"), q, sizeof(q)));
	else
		return NULL;
	return why;
}

int matrix_load_row(struct matrix_load *L, size_t d, size_t i, size_t ri, struct tool_err *err)
{
	struct matrix_row *r = &L->rows[ri];
	const struct matrix_load_file *f = &L->in[d];
	struct json_object *o = json_object_array_get_idx(member(f->doc, "results"), i);
	const char *bad;
	char why[300], name[200];

	memset(r, 0, sizeof(*r));
	r->src = o;
	r->kernel = find_kernel(L, str_member(o, "kernel_sha256"));
	r->path = str_member(o, "path");
	r->machine = str_member(o, "machine");
	r->accel = str_member(o, "accel");
	r->reason = str_member(o, "reason");
	r->cmdline = str_member(o, "cmdline_given");
	r->entry = str_member(o, "entry");
	r->entry_why = str_member(o, "entry_why");
	r->xen_log = str_member(o, "xen_log");
	r->dom0_log = str_member(o, "dom0_log");
	if ((bad = check_row(o, r, L->grid_rows, why, sizeof(why))) != NULL) {
		tool_err_set(err, "%s: results[%zu]: %s", f->name, i, bad);
		return -1;
	}
	if ((bad = check_place(L, f, o, r, why, sizeof(why))) != NULL ||
	    (bad = load_seconds(o, r, why, sizeof(why))) != NULL ||
	    (bad = load_start(o, r, f, why, sizeof(why))) != NULL) {
		grid_row_name(L, r->index, name, sizeof(name));
		tool_err_set(err, "%s: results[%zu] (row %zu: %s): %s", f->name, i, r->index,
			 name, bad);
		return -1;
	}
	if (!r->accel)
		r->accel = L->accel ? L->accel : "?";
	if (!r->reason)
		r->reason = "";
	load_report(L, o, r, ri);
	recorded_diffs(o, r);
	return 0;
}
