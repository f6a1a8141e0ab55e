/* SPDX-License-Identifier: MIT */
/*
 * matrix_json.c - the JSON `zeropage matrix --json` and `zeropage report
 * --json` write (matrix_rows.h).  A row read back by `report` keeps its
 * probe report and KASLR members as they were; its zero-page diff is the
 * one recomputed across every shard.  Each row's console tail (its last
 * MATRIX_ROWS_TAIL bytes) is in "consoles", by row number.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

/* json-c names a type json_bool, json.h a function: here json-c's type is
 * json_c_bool (an int either way). */
#define json_bool json_c_bool
#include <json-c/json.h>
#undef json_bool

#include "common/json.h"
#include "report/matrix_rows.h"
#include "report/guest_report.h"
#include "report/zeropage_across.h"

static void json_seconds(struct json *js, const char *k, double t)
{
	char b[32];

	if (!(t >= 0 && isfinite(t))) {	/* never, or a time no row takes */
		json_null(js, k);
		return;
	}
	snprintf(b, sizeof(b), "%.3f", t);
	json_string(js, k, b);
}

static void diff_json(struct json *js, const struct matrix_row *r)
{
	if (!r->diff_against || !r->has_report)
		return;
	json_string(js, "diff_against", r->diff_against);
	json_array_begin(js, "diff");
	for (size_t k = 0; k < r->ndiff && k < MATRIX_ROWS_DIFF_CAP && r->diff; k++) {
		json_object_begin(js, NULL);
		json_string(js, "field", r->diff[k].name);
		json_string(js, "change", r->diff[k].text);
		json_object_end(js);
	}
	json_array_end(js);
}

/* Whether t, the text json-c kept of a number it read, is JSON's: json-c
 * also takes "1.", "1.e5", NaN and Infinity. */
static bool json_number_ok(const char *t)
{
	const char *dot = strchr(t, '.');

	return t[strspn(t, "-+0123456789.eE")] == 0 && (!dot || (dot[1] >= '0' && dot[1] <= '9'));
}

/* v, a value read back by json-c, written again: integers exact to 64
 * bits, other numbers as they were written. */
static void copy_json(struct json *js, const char *key, struct json_object *v)
{
	struct json_object_iterator it, end;
	const char *text;
	char t[32];
	double d;

	switch (json_object_get_type(v)) {
	case json_type_null:
		json_null(js, key);
		break;
	case json_type_boolean:
		json_bool(js, key, json_object_get_boolean(v));
		break;
	case json_type_int:	/* int64_t, or uint64_t above INT64_MAX */
		if (json_object_get_int64(v) == INT64_MAX)
			json_uint(js, key, json_object_get_uint64(v));
		else
			json_int(js, key, json_object_get_int64(v));
		break;
	case json_type_double:
		d = json_object_get_double(v);
		text = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
		if (json_number_ok(text)) {
			json_number_text(js, key, text);
		} else if (isfinite(d)) {
			snprintf(t, sizeof(t), "%.17g", d);
			json_number_text(js, key, t);
		} else {
			json_null(js, key);
		}
		break;
	case json_type_string:
		json_string_n(js, key, json_object_get_string(v),
			      (size_t)json_object_get_string_len(v));
		break;
	case json_type_array:
		json_array_begin(js, key);
		for (size_t i = 0; i < json_object_array_length(v); i++)
			copy_json(js, NULL, json_object_array_get_idx(v, i));
		json_array_end(js);
		break;
	case json_type_object:
		json_object_begin(js, key);
		end = json_object_iter_end(v);
		for (it = json_object_iter_begin(v); !json_object_iter_equal(&it, &end);
		     json_object_iter_next(&it))
			copy_json(js, json_object_iter_peek_name(&it), json_object_iter_peek_value(&it));
		json_object_end(js);
		break;
	}
}

/* kernel_phys, kernel_text, kaslr and report: from the live report, or
 * as the row read back had them. */
static void report_json(struct json *js, const struct matrix_row *r)
{
	static const char *const kept[] = { "kernel_phys", "kernel_text", "kaslr", "report" };

	if (r->src) {
		for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
			struct json_object *v = NULL;
			json_object_object_get_ex(r->src, kept[i], &v);
			copy_json(js, kept[i], v);	/* NULL: absent or null */
		}
		return;
	}
	kaslr_seen_json(js, r->report, &r->link);
	if (r->report)
		guest_report_json(js, "report", r->report);
	else
		json_null(js, "report");
}

/* The shim's own line (what start_info it was given: `report --across`
 * reads it), kept whole: the console keeps only its tail in the JSON,
 * and Xen's log cuts a domU's line into pieces.  A row read back keeps
 * its own, or has it found again in what it kept. */
static void shim_line_json(struct json *js, const struct matrix_row *r)
{
	const char *where[] = { r->console, r->xen_log, r->dom0_log };
	size_t len[] = { r->console_len, r->xen_log ? strlen(r->xen_log) : 0,
			 r->dom0_log ? strlen(r->dom0_log) : 0 };
	struct json_object *kept = NULL;
	char line[ACROSS_SHIM_LINE];

	if (r->src && json_object_object_get_ex(r->src, "shim_line", &kept) &&
	    json_object_is_type(kept, json_type_string)) {
		copy_json(js, "shim_line", kept);
		return;
	}
	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++)
		if (where[i] && across_shim_line(where[i], len[i], line, sizeof(line))) {
			json_string(js, "shim_line", line);
			return;
		}
}

static void row_json(struct json *js, const struct matrix_row *r)
{
	char t[48];

	json_object_begin(js, NULL);
	json_uint(js, "row", r->index);
	json_string(js, "kernel", r->kernel->file);
	json_string(js, "kernel_sha256", r->kernel->sha256);
	json_string(js, "path", r->path);
	json_string(js, "machine", r->machine);
	json_string(js, "accel", r->accel);
	json_string(js, "verdict", verdict_name(r->verdict));
	json_bool(js, "passed", matrix_row_passed(r));
	json_string(js, "reason", r->reason);
	json_string(js, "cmdline_given", r->cmdline);
	json_string(js, "entry", r->entry);
	json_string(js, "entry_why", r->entry_why);
	json_object_begin(js, "seconds");
	for (size_t i = 0; i < MATRIX_STAGES; i++)
		json_seconds(js, matrix_stages[i].name, matrix_stage_seconds(r, &matrix_stages[i]));
	json_object_end(js);
	matrix_rows_rfc3339(t, sizeof(t), r->start_time);
	json_string(js, "start_time", t[0] ? t : NULL);
	if (r->duration >= 0 && isfinite(r->duration))
		json_double(js, "duration", r->duration, 3);
	else
		json_null(js, "duration");
	diff_json(js, r);
	report_json(js, r);
	if (r->xen_log)
		json_string(js, "xen_log", r->xen_log);
	if (r->dom0_log)
		json_string(js, "dom0_log", r->dom0_log);
	shim_line_json(js, r);
	json_object_end(js);
}

/* The rows' console tails, apart from the rows: bulky, and full of the
 * escapes a shell's echo would mangle in a row it passes on. */
static void consoles_json(struct json *js, const struct matrix_run *run)
{
	json_array_begin(js, "consoles");
	for (size_t i = 0; i < run->nrows; i++) {
		const struct matrix_row *r = &run->rows[i];
		if (!r->console)
			continue;
		size_t keep = r->console_len > MATRIX_ROWS_TAIL ? MATRIX_ROWS_TAIL : r->console_len;
		json_object_begin(js, NULL);
		json_uint(js, "row", r->index);
		json_string_n(js, "tail", r->console + r->console_len - keep, keep);
		json_object_end(js);
	}
	json_array_end(js);
}

static void strings_json(struct json *js, const char *key, const char *const *s, size_t n)
{
	json_array_begin(js, key);
	for (size_t i = 0; i < n; i++)
		json_string(js, NULL, s[i]);
	json_array_end(js);
}

/* The grid's identity (matrix_rows.h: every shard of the grid writes the
 * same) and this shard's place in it; the run's times. */
static void grid_json(struct json *js, const struct matrix_run *run)
{
	const struct matrix_grid_id *g = &run->grid;
	char t[48];

	json_object_begin(js, "grid");
	json_uint(js, "rows", run->grid_rows);
	json_uint(js, "shard", run->shard);
	json_uint(js, "shards", run->shards);
	strings_json(js, "paths", g->paths, g->npaths);
	strings_json(js, "machines", g->machines, g->nmachines);
	json_array_begin(js, "hidden");
	for (size_t i = 0; i < g->nhidden; i++)
		json_uint(js, NULL, g->hidden[i]);
	json_array_end(js);
	json_string(js, "append", g->append);
	json_string(js, "mem", g->mem);
	if (g->timeout > 0 && isfinite(g->timeout)) {
		snprintf(t, sizeof(t), "%.17g", g->timeout);	/* as given, to the last bit */
		json_number_text(js, "timeout", t);
	} else {
		json_null(js, "timeout");	/* each machine's default */
	}
	json_object_end(js);
	json_object_begin(js, "run");
	matrix_rows_rfc3339(t, sizeof(t), run->run_start);
	json_string(js, "start_time", t[0] ? t : NULL);
	matrix_rows_rfc3339(t, sizeof(t), run->run_end);
	json_string(js, "end_time", t[0] ? t : NULL);
	json_object_end(js);
}

void matrix_rows_json(FILE *f, const struct matrix_run *run, const char *accel)
{
	struct json js;

	json_init(&js, f);
	json_object_begin(&js, NULL);
	/* the first kernel, as before several could be given */
	json_string(&js, "kernel", run->nkernels ? run->kernels[0].file : NULL);
	json_array_begin(&js, "kernels");
	for (size_t k = 0; k < run->nkernels; k++) {
		const struct kernel_id *id = &run->kernels[k];
		json_object_begin(&js, NULL);
		json_string(&js, "file", id->file);
		json_string(&js, "version", id->version[0] ? id->version : NULL);
		json_string(&js, "release", id->release[0] ? id->release : NULL);
		json_string(&js, "sha256", id->sha256);
		json_object_end(&js);
	}
	json_array_end(&js);
	json_string(&js, "accel", accel);
	json_string(&js, "reference", run->reference);
	grid_json(&js, run);
	json_array_begin(&js, "results");
	for (size_t i = 0; i < run->nrows; i++)
		row_json(&js, &run->rows[i]);
	json_array_end(&js);
	consoles_json(&js, run);
	json_object_end(&js);
	json_finish(&js);
}
