/* SPDX-License-Identifier: MIT */
/* kcidb.c - see kcidb.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "report/kcidb.h"
#include "report/kernel_id.h"

const char *kcidb_status(enum verdict v)
{
	switch (v) {
	case VERDICT_OK:
		return "PASS";
	case VERDICT_STARTED:	/* "completed and had not reported the status of
				   the tested code": not Linux, no probe ran */
		return "DONE";
	case VERDICT_MISMATCH:
	case VERDICT_PANIC:
	case VERDICT_TIMEOUT:
	case VERDICT_NOINIT:
		return "FAIL";
	case VERDICT_SKIPPED:
	case VERDICT_NA:
		return "SKIP";
	case VERDICT_ERROR:
	case VERDICT_QEMU:
		break;
	}
	return "ERROR";
}

bool kcidb_origin_ok(const char *origin)
{
	return origin[0] && strspn(origin, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(origin);
}

void kcidb_checkout_id(char *out, size_t cap, const char *origin, const struct kernel_id *k)
{
	char h[65];

	if (!k->version[0]) {
		snprintf(out, cap, "%s:unknown@%.16s", origin, k->sha256);
		return;
	}
	kernel_id_sha256_hex(k->version, strlen(k->version), h);
	snprintf(out, cap, "%s:%s@%.16s", origin, k->release, h);
}

void kcidb_build_id(char *out, size_t cap, const char *origin, const struct kernel_id *k)
{
	snprintf(out, cap, "%s:%s", origin, k->sha256);
}

/* name with what a KCIDB path component may not hold turned into '_' */
static size_t path_part(char *out, size_t cap, const char *name)
{
	size_t n = 0;

	for (; name[n] && n + 1 < cap; n++) {
		char c = name[n];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '_' || c == '-';
		out[n] = ok ? c : '_';
	}
	if (n == 0 && cap > 1)
		out[n++] = '_';	/* a component cannot be empty */
	if (cap)
		out[n] = 0;
	return n;
}

void kcidb_test_path(char *out, size_t cap, const char *path, const char *machine)
{
	char p[64], m[64];

	path_part(p, sizeof(p), path);
	path_part(m, sizeof(m), machine);
	snprintf(out, cap, "boot.%s.%s", p, m);
}

void kcidb_test_id(char *out, size_t cap, const char *origin, const struct kernel_id *k,
		   const char *path, const char *machine)
{
	char tp[160];

	kcidb_test_path(tp, sizeof(tp), path, machine);
	snprintf(out, cap, "%s:%.16s/%s", origin, k->sha256, tp);
}

static bool kept(const char *s, size_t len, size_t i)
{
	return s[i] != 0 && !(s[i] == '\r' && i + 1 < len && s[i + 1] == '\n');
}

size_t kcidb_excerpt(const char *s, size_t len, char *out, size_t cap)
{
	size_t limit = cap - 1 < KCIDB_EXCERPT ? cap - 1 : KCIDB_EXCERPT;
	size_t start = len, n = 0, o = 0;

	/* from the end back: the bytes that fit */
	while (start > 0 && n < limit) {
		start--;
		n += kept(s, len, start);
	}
	while (start < len && !kept(s, len, start))
		start++;
	/* cut: begin at a line, if the window holds one more */
	if (start > 0) {
		const char *nl = memchr(s + start, '\n', len - start);
		if (nl && nl + 1 < s + len)
			start = (size_t)(nl + 1 - s);
	}
	for (size_t i = start; i < len && o < limit; i++)
		if (kept(s, len, i))
			out[o++] = s[i];
	out[o] = 0;
	return o;
}

static void kcidb_checkouts(struct json *js, const struct matrix_run *run, const char *origin)
{
	char id[320], cid[320];

	json_array_begin(js, "checkouts");
	for (size_t k = 0; k < run->nkernels; k++) {
		const struct kernel_id *kid = &run->kernels[k];
		bool seen = false;
		kcidb_checkout_id(cid, sizeof(cid), origin, kid);
		for (size_t p = 0; p < k && !seen; p++) {
			kcidb_checkout_id(id, sizeof(id), origin, &run->kernels[p]);
			seen = !strcmp(id, cid);
		}
		if (seen)
			continue;
		json_object_begin(js, NULL);
		json_string(js, "id", cid);
		json_string(js, "origin", origin);
		json_string(js, "comment", kid->version[0] ? kid->version : "kernel without a version string");
		/* a kernel was built from it: its parts could be combined */
		json_bool(js, "valid", true);
		if (kid->release[0]) {
			json_object_begin(js, "misc");
			json_string(js, "kernel_release", kid->release);
			json_object_end(js);
		}
		json_object_end(js);
	}
	json_array_end(js);
}

static void kcidb_builds(struct json *js, const struct matrix_run *run, const char *origin)
{
	char id[320];

	json_array_begin(js, "builds");
	for (size_t k = 0; k < run->nkernels; k++) {
		const struct kernel_id *kid = &run->kernels[k];
		bool seen = false;
		for (size_t p = 0; p < k; p++)
			seen |= !strcmp(run->kernels[p].sha256, kid->sha256);
		if (seen)
			continue;
		json_object_begin(js, NULL);
		kcidb_build_id(id, sizeof(id), origin, kid);
		json_string(js, "id", id);
		json_string(js, "origin", origin);
		kcidb_checkout_id(id, sizeof(id), origin, kid);
		json_string(js, "checkout_id", id);
		json_string(js, "architecture", "x86_64");
		json_string(js, "comment", matrix_rows_basename(kid->file));
		json_string(js, "status", "PASS");
		json_object_begin(js, "misc");
		json_string(js, "file", kid->file);
		json_string(js, "sha256", kid->sha256);
		if (kid->version[0])
			json_string(js, "kernel_version", kid->version);
		json_object_end(js);
		json_object_end(js);
	}
	json_array_end(js);
}

/* KCIDB allows no null: a time that is unknown, or that no row can take
 * (not finite), is left out, as the schema allows. */
static void seconds_if_known(struct json *js, const char *key, double t)
{
	if (t >= 0 && isfinite(t))
		json_double(js, key, t, 3);
}

/* Our own fields, which KCIDB keeps under misc. */
static void test_misc(struct json *js, const struct matrix_row *r)
{
	json_object_begin(js, "misc");
	json_string(js, "verdict", verdict_name(r->verdict));
	if (r->reason[0])
		json_string(js, "reason", r->reason);
	json_uint(js, "row", r->index);
	json_string(js, "kernel_file", r->kernel->file);
	if (r->entry) {		/* the kernel entry the boot went through */
		json_string(js, "entry", r->entry);
		json_string(js, "entry_why", r->entry_why);
	}
	if (r->has_report && r->kaslr[0])
		json_string(js, "kaslr", r->kaslr);
	if (r->diff_against && r->has_report) {
		json_string(js, "zero_page_diff_against", r->diff_against);
		json_array_begin(js, "zero_page_diff");
		for (size_t k = 0; r->diff && k < r->ndiff && k < MATRIX_ROWS_DIFF_CAP; k++)
			json_string(js, NULL, r->diff[k].text);
		json_array_end(js);
	}
	json_object_begin(js, "seconds");
	for (size_t i = 0; i < MATRIX_STAGES; i++)
		seconds_if_known(js, matrix_stages[i].name, matrix_stage_seconds(r, &matrix_stages[i]));
	json_object_end(js);
	json_object_end(js);
}

static void test_environment(struct json *js, const struct matrix_row *r)
{
	char c[160];

	if (!strcmp(r->machine, "xen"))
		snprintf(c, sizeof(c), "Xen under QEMU q35, %s", r->accel);
	else
		snprintf(c, sizeof(c), "QEMU %s, %s", r->machine, r->accel);
	json_object_begin(js, "environment");
	json_string(js, "comment", c);
	json_object_begin(js, "misc");
	json_string(js, "machine", r->machine);
	json_string(js, "accel", r->accel);
	json_object_end(js);
	json_object_end(js);
}

static void kcidb_test(struct json *js, const struct matrix_row *r, const char *origin, char *excerpt)
{
	char id[400], comment[512];

	json_object_begin(js, NULL);
	kcidb_test_id(id, sizeof(id), origin, r->kernel, r->path, r->machine);
	json_string(js, "id", id);
	kcidb_build_id(id, sizeof(id), origin, r->kernel);
	json_string(js, "build_id", id);
	json_string(js, "origin", origin);
	kcidb_test_path(id, sizeof(id), r->path, r->machine);
	json_string(js, "path", id);
	json_string(js, "status", kcidb_status(r->verdict));
	snprintf(comment, sizeof(comment), "%s on %s: %s%s%s", r->path, r->machine,
		 verdict_name(r->verdict), r->reason[0] ? ": " : "", r->reason);
	json_string(js, "comment", comment);
	matrix_rows_rfc3339(id, sizeof(id), r->start_time);	/* "" unknown or out of range */
	if (id[0])
		json_string(js, "start_time", id);
	seconds_if_known(js, "duration", r->duration);
	if (r->console && r->console_len && excerpt) {
		size_t n = kcidb_excerpt(r->console, r->console_len, excerpt, KCIDB_EXCERPT + 1);
		if (n)
			json_string_n(js, "log_excerpt", excerpt, n);
	}
	test_environment(js, r);
	test_misc(js, r);
	json_object_end(js);
}

void kcidb_write(FILE *f, const struct matrix_run *run, const char *origin)
{
	struct json js;
	char *excerpt = malloc(KCIDB_EXCERPT + 1);

	json_init(&js, f);
	json_object_begin(&js, NULL);
	json_object_begin(&js, "version");
	json_uint(&js, "major", KCIDB_MAJOR);
	json_uint(&js, "minor", KCIDB_MINOR);
	json_object_end(&js);
	kcidb_checkouts(&js, run, origin);
	kcidb_builds(&js, run, origin);
	json_array_begin(&js, "tests");
	for (size_t i = 0; i < run->nrows; i++)
		kcidb_test(&js, &run->rows[i], origin, excerpt);
	json_array_end(&js);
	json_object_end(&js);
	json_finish(&js);
	free(excerpt);
}
