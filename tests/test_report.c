/* SPDX-License-Identifier: MIT */
/*
 * `zeropage report`'s parts: shards (matrix_rows.c: --shard K/N
 * partitions the grid), RFC 3339 times, and shard files written by the
 * matrix JSON writer read back (json-c) and merged (matrix_load.c): grid
 * order, zero pages diffed again across shards, what a row read back keeps
 * when written again, and every way the files can fail to be the shards
 * of one grid: not JSON (where and why), a member missing or of the wrong
 * type (which), shards that do not fit together.
 * tests/shard.sh does the same with real boots.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "report/matrix_load.h"
#include "report/matrix_rows.h"
#include "report/probe_report.h"

static char dir[] = "/tmp/zp-test-report-XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[400];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

/* ---- shards and times ---- */

static void test_shards(void **state)
{
	unsigned k, n;
	static const char *const bad[] = { "", "1", "0/2", "3/2", "1/0", "a/2", "1/2x", "-1/2",
					   "1/100001", "/2", "1/" };

	(void)state;
	assert_int_equal(zp_shard_parse("2/5", &k, &n), 0);
	assert_true(k == 2 && n == 5);
	assert_int_equal(zp_shard_parse("1/1", &k, &n), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(zp_shard_parse(bad[i], &k, &n), -1);
	/* every row of the grid in exactly one shard, for any N */
	for (unsigned shards = 1; shards <= 9; shards++)
		for (size_t row = 0; row < 50; row++) {
			unsigned in = 0;
			for (unsigned s = 1; s <= shards; s++)
				in += zp_shard_has(row, s, shards);
			assert_int_equal(in, 1);
		}
	assert_true(zp_shard_has(7, 2, 3));	/* 7 mod 3 == 1 */
}

static void test_rfc3339(void **state)
{
	char b[48];
	double t;

	(void)state;
	zp_rfc3339(b, sizeof(b), 1764770886.9999996);
	assert_string_equal(b, "2025-12-03T14:08:07.000000+00:00");
	zp_rfc3339(b, sizeof(b), 0.25);
	assert_string_equal(b, "1970-01-01T00:00:00.250000+00:00");
	assert_int_equal(zp_rfc3339_parse("2025-12-03T14:08:06.500000+00:00", &t), 0);
	assert_true(t == 1764770886.5);
	assert_int_equal(zp_rfc3339_parse("2025-12-03T16:08:06+02:00", &t), 0);
	assert_true(t == 1764770886);
	assert_int_equal(zp_rfc3339_parse("2025-12-03T14:08:06Z", &t), 0);
	assert_int_equal(zp_rfc3339_parse("2025-12-03 14:08:06", &t), -1);
	assert_int_equal(zp_rfc3339_parse("2025-12-03T14:08:06+00:00junk", &t), -1);
}

/* ---- shards written and merged ---- */

static struct zp_kernel_id kernels[2];
static struct zp_probe_report *reports[4];

/* The grid: 2 kernels x machine pc x paths qemu-bios, shim-64; the probe
 * saw type_of_loader 0xb0 for qemu-bios and 0xff for the shim. */
static void grid_rows(struct zp_mrow *r)
{
	for (int i = 0; i < 4; i++) {
		if (!reports[i]) {
			reports[i] = calloc(1, sizeof(*reports[i]));
			assert_non_null(reports[i]);
		}
		reports[i]->efi = -1;
		reports[i]->has_bootparams = true;
		reports[i]->bootparams[0x210] = i % 2 ? 0xff : 0xb0;
		memset(&r[i], 0, sizeof(r[i]));
		r[i].index = (size_t)i;
		r[i].kernel = &kernels[i / 2];
		r[i].path = i % 2 ? "shim-64" : "qemu-bios";
		r[i].machine = "pc";
		r[i].accel = "tcg";
		r[i].verdict = ZP_VERDICT_OK;
		r[i].reason = "";
		r[i].t_first_byte = r[i].t_banner = r[i].t_init = r[i].t_exit = 1.0 + i;
		r[i].start_time = 1764770886.5 + i;
		r[i].duration = 2.0;
		r[i].has_report = true;
		r[i].report = reports[i];
		r[i].zero_page = reports[i]->bootparams;
		r[i].link = zp_kernel_link_from_pref(0x1000000);
		r[i].console = "console\n";
		r[i].console_len = 8;
		strcpy(r[i].kaslr, "-");
	}
}

/* Writes shard k of n (rows index % n == k - 1) to dir/name. */
static void write_shard(const char *name, unsigned k, unsigned n, size_t grid)
{
	struct zp_mrow all[4], mine[4];
	size_t nm = 0;
	char path[400];

	grid_rows(all);
	for (size_t i = 0; i < 4; i++)
		if (zp_shard_has(i, k, n))
			mine[nm++] = all[i];
	struct zp_mrun run = { .kernels = kernels, .nkernels = 2, .rows = mine, .nrows = nm,
			       .grid_rows = grid, .shard = k, .shards = n };
	zp_mrows_diff(mine, nm, NULL);	/* as the shard saw it: alone */
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(zp_mrows_write_file("test", "--json", path, zp_mrows_json, &run, "tcg"), 0);
	zp_mrows_free_diffs(mine, nm);
}

static int load(struct zp_mload *L, const char *a, const char *b, char *err, size_t cap)
{
	char pa[400], pb[400];
	const char *files[2] = { pa, pb };

	snprintf(pa, sizeof(pa), "%s/%s", dir, a);
	snprintf(pb, sizeof(pb), "%s/%s", dir, b ? b : "");
	return zp_mload(L, files, b ? 2 : 1, err, cap);
}

static void init_kernels(void)
{
	memset(kernels, 0, sizeof(kernels));
	kernels[0].file = "/k/bzImage";
	kernels[1].file = "/k/vmlinux";
	for (int k = 0; k < 2; k++) {
		strcpy(kernels[k].version, "6.1.0-x (u@h) #1");
		strcpy(kernels[k].release, "6.1.0-x");
		memset(kernels[k].sha256, k ? 'b' : 'a', 64);
	}
}

static void test_merge(void **state)
{
	struct zp_mload L;
	char err[400];

	(void)state;
	init_kernels();
	write_shard("s1.json", 1, 2, 4);
	write_shard("s2.json", 2, 2, 4);
	assert_int_equal(load(&L, "s2.json", "s1.json", err, sizeof(err)), 0);
	assert_int_equal(L.nrows, 4);
	assert_int_equal(L.nkernels, 2);
	assert_false(L.zero_pages_missing);
	assert_string_equal(L.accel, "tcg");
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(L.rows[i].index, i);	/* grid order again */
		assert_non_null(L.rows[i].zero_page);
		assert_int_equal(L.rows[i].zero_page[0x210], i % 2 ? 0xff : 0xb0);
		assert_string_equal(L.rows[i].kernel->file, i < 2 ? "/k/bzImage" : "/k/vmlinux");
		assert_true(L.rows[i].start_time == 1764770886.5 + (double)i);
		assert_memory_equal(L.rows[i].console, "console\n", 8);
	}
	/* each shard had shim-64 as its own reference; merged, qemu-bios is */
	assert_string_equal(L.rows[1].diff_against, "shim-64");
	zp_mrows_diff(L.rows, L.nrows, NULL);
	assert_string_equal(L.rows[1].diff_against, "qemu-bios");
	assert_true(L.rows[0].is_reference);
	assert_int_equal(L.rows[1].ndiff, 1);
	assert_string_equal(L.rows[1].diff[0].name, "type_of_loader");
	assert_string_equal(L.rows[3].diff_against, "qemu-bios");	/* its own kernel's */
	assert_true(L.rows[2].is_reference);
	zp_mload_free(&L);
}

static void expect_error(const char *a, const char *b, const char *want)
{
	struct zp_mload L;
	char err[400];

	assert_int_equal(load(&L, a, b, err, sizeof(err)), -1);
	if (!strstr(err, want))
		fail_msg("error '%s' lacks '%s'", err, want);
}

static void test_merge_errors(void **state)
{
	char path[400];
	FILE *f;

	(void)state;
	init_kernels();
	write_shard("s1.json", 1, 2, 4);
	write_shard("s2.json", 2, 2, 4);
	write_shard("all.json", 1, 1, 4);
	expect_error("s1.json", NULL, "shard 2/2 is missing");
	expect_error("s1.json", "s1.json", "are both shard 1/2");
	expect_error("s1.json", "all.json", "not shards of one grid");
	write_shard("big.json", 2, 2, 6);
	expect_error("s1.json", "big.json", "not shards of one grid");
	memset(kernels[1].sha256, 'c', 64);
	write_shard("other.json", 2, 2, 4);
	expect_error("s1.json", "other.json", "not shards of one grid");
	init_kernels();
	snprintf(path, sizeof(path), "%s/junk.json", dir);
	f = fopen(path, "w");
	fputs("{\"results\": [}", f);
	fclose(f);
	expect_error("junk.json", NULL, "junk.json: not JSON: line 1 column 14: unexpected character");
	f = fopen(path, "w");
	fputs("{\"kernel\": \"k\", \"accel\": \"tcg\", \"results\": []}", f);	/* before shards */
	fclose(f);
	expect_error("junk.json", NULL, "an older zeropage?");
	expect_error("nonexistent.json", NULL, "nonexistent.json");
}

/* A shard whose rows lack the zero page's bytes: the diffs stay its own. */
static void test_merge_without_zero_pages(void **state)
{
	struct zp_mload L;
	char err[400], cmd[1200];

	(void)state;
	init_kernels();
	write_shard("all.json", 1, 1, 4);
	snprintf(cmd, sizeof(cmd), "jq 'del(.results[].report.boot_params_hex)' %s/all.json > %s/nohex.json",
		 dir, dir);
	if (system(cmd) != 0)
		skip();	/* no jq */
	assert_int_equal(load(&L, "nohex.json", NULL, err, sizeof(err)), 0);
	assert_true(L.zero_pages_missing);
	assert_null(L.rows[1].zero_page);
	assert_string_equal(L.rows[1].diff_against, "qemu-bios");
	assert_int_equal(L.rows[1].ndiff, 1);
	assert_string_equal(L.rows[1].diff[0].text, "type_of_loader 0xb0->0xff");
	zp_mload_free(&L);
}

/* dir/name with text[0..len). */
static void put_file(const char *name, const char *text, size_t len)
{
	char path[400];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
}

/* dir/name's bytes, malloc'ed and NUL-terminated. */
static char *get_file(const char *name, size_t *len)
{
	char path[400], *text;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return text;
}

/* dir/to: dir/from with the first `old` replaced by `new`. */
static void edit_file(const char *from, const char *to, const char *old, const char *new)
{
	size_t len;
	char *text = get_file(from, &len), *at = strstr(text, old), *out;

	if (!at)
		fail_msg("%s lacks '%s'", from, old);
	out = malloc(len - strlen(old) + strlen(new) + 1);
	assert_non_null(out);
	size_t head = (size_t)(at - text);
	memcpy(out, text, head);
	strcpy(out + head, new);
	strcat(out, at + strlen(old));
	put_file(to, out, strlen(out));
	free(out);
	free(text);
}

/* Text that is not JSON: the file, the line and column and json-c's why. */
static void test_not_json(void **state)
{
	static const char *const bad[] = {
		"", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "\"abc", "\"\\x\"", "\"\\u12\"", "01",
		"-", "1e", "tru", "nul", "[1] 2", "{1:2}", "'a'", "/* c */ {}", "{} {}",
	};
	char deep[300], want[100];
	size_t len;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put_file("bad.json", bad[i], strlen(bad[i]));
		expect_error("bad.json", NULL, "bad.json: not JSON: line 1 column ");
	}
	put_file("bad.json", "{\n  \"a\": tru\n}", 14);
	expect_error("bad.json", NULL, "bad.json: not JSON: line 2 column 11: boolean expected");
	put_file("bad.json", "{}\n\0{}", 6);	/* json-c stops at the NUL */
	expect_error("bad.json", NULL, "bad.json: not JSON: line 2 column 1: text after the document");
	memset(deep, '[', sizeof(deep));
	put_file("bad.json", deep, sizeof(deep));
	expect_error("bad.json", NULL, "bad.json: not JSON: line 1 column 65: nesting too deep");
	/* a shard cut short */
	init_kernels();
	write_shard("all.json", 1, 1, 4);
	char *text = get_file("all.json", &len);
	put_file("cut.json", text, len / 2);
	size_t line = 1, col = 1;
	for (size_t i = 0; i < len / 2; i++)
		text[i] == '\n' ? (line++, col = 1) : col++;
	snprintf(want, sizeof(want), "cut.json: not JSON: line %zu column %zu: unexpected end of data",
		 line, col);
	expect_error("cut.json", NULL, want);
	free(text);
}

/* JSON, but not what matrix writes: which member, of which row or kernel. */
static void test_bad_members(void **state)
{
	static const struct {
		const char *old, *new, *want;
	} edits[] = {
		{ "\"grid\": {", "\"grid\": 1, \"x\": {", "(no \"grid\" object: an older zeropage?)" },
		{ "\"kernels\": [", "\"kernels\": {}, \"x\": [", "(no \"kernels\" array: an older" },
		{ "\"results\": [", "\"results\": \"\", \"x\": [", "(no \"results\" array: an older" },
		{ "\"rows\": 4", "\"rows\": \"4\"", "grid: \"rows\": missing, or not a whole number" },
		{ "\"rows\": 4", "\"rows\": 4.5", "grid: \"rows\": missing, or not a whole number" },
		{ "\"shard\": 1", "\"shard\": 2", "grid: \"shard\": missing, or not a whole number from 1 "
						"to \"shards\"" },
		{ "\"shards\": 1", "\"shards\": null", "grid: \"shards\": missing, or not" },
		{ "\"file\": \"/k/vmlinux\"", "\"file\": false",
		  "kernels[1]: \"file\": missing or not a string" },
		{ "\"sha256\": \"aaaa", "\"sha256\": \"AAAA", "kernels[0]: \"sha256\": missing or not 64 "
							 "lowercase hex digits" },
		{ "\"row\": 2", "\"row\": 4", "results[2]: \"row\": missing, or not a whole number below "
					     "the grid's rows" },
		{ "\"kernel_sha256\": \"aaaa", "\"kernel_sha256\": \"cccc",
		  "results[0]: \"kernel_sha256\": none of the file's kernels" },
		{ "\"kernel_sha256\": \"aaaa", "\"kernel_sha256\": 1, \"x\": \"aaaa",
		  "results[0]: \"kernel_sha256\": missing or not a string" },
		{ "\"path\": \"qemu-bios\"", "\"path\": [\"qemu-bios\"]", "results[0]: \"path\": missing or "
									   "not a string" },
		{ "\"machine\": \"pc\"", "\"machine\": {}", "results[0]: \"machine\": missing or not a string" },
		{ "\"verdict\": \"ok\"", "\"verdict\": \"fine\"", "results[0]: \"verdict\": \"fine\" is "
								 "not one zeropage knows" },
		{ "\"verdict\": \"ok\"", "\"x\": \"ok\"", "results[0]: \"verdict\": missing or not a string" },
	};

	(void)state;
	init_kernels();
	write_shard("all.json", 1, 1, 4);
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		edit_file("all.json", "edited.json", edits[i].old, edits[i].new);
		expect_error("edited.json", NULL, edits[i].want);
	}
	put_file("array.json", "[]", 2);
	expect_error("array.json", NULL, "(no object at the top: an older zeropage?)");
	/* what matrix does not write but allows: seconds as numbers */
	struct zp_mload L;
	char err[400];
	edit_file("all.json", "edited.json", "\"first_byte\": \"1.000\"", "\"first_byte\": 1.5");
	assert_int_equal(load(&L, "edited.json", NULL, err, sizeof(err)), 0);
	assert_true(L.rows[0].t_first_byte == 1.5);
	assert_true(L.rows[1].t_first_byte == 2.0);
	zp_mload_free(&L);
}

/* A row read back and written again by `report --json` keeps its report
 * as it was: every kind of value, 64-bit integers to the last digit,
 * strings with escapes, NULs and characters beyond the BMP; and the
 * console tails, NULs and all. */
static void test_rewrite(void **state)
{
	static const char extra[] = "\"report\": {\n\"extra\": {\"u\": 18446744073709551615, "
		"\"i\": -9223372036854775808, \"d\": [-2.5e3, 1.250, 0.1, 1e300, 1., NaN], "
		"\"b\": [true, false, null], \"o\": {}, \"a\": [], \"n\": [[{\"x\": [1]}]], "
		"\"s\": \"q\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\\ud800x\\u0000y\"},";
	static const char s[] = "q\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80\xef\xbf\xbdx\0y";
	struct zp_mload L, again;
	char err[400], path[400];
	size_t len;

	(void)state;
	init_kernels();
	write_shard("all.json", 1, 1, 4);
	edit_file("all.json", "extra.json", "\"report\": {", extra);
	assert_int_equal(load(&L, "extra.json", NULL, err, sizeof(err)), 0);
	L.rows[0].console = "a\0b\n";
	L.rows[0].console_len = 4;
	struct zp_mrun run = { .kernels = L.kernels, .nkernels = L.nkernels, .rows = L.rows,
			       .nrows = L.nrows, .grid_rows = L.grid_rows, .shard = 1, .shards = 1 };
	snprintf(path, sizeof(path), "%s/again.json", dir);
	assert_int_equal(zp_mrows_write_file("test", "--json", path, zp_mrows_json, &run, "tcg"), 0);
	zp_mload_free(&L);

	char *text = get_file("again.json", &len);
	assert_non_null(strstr(text, "\"u\": 18446744073709551615"));
	assert_non_null(strstr(text, "\"i\": -9223372036854775808"));
	/* numbers as they were written; what json-c took that JSON does not, as JSON */
	char d[100], *at = strstr(text, "\"d\": [");
	size_t dn = 0;
	assert_non_null(at);
	for (at += 5; *at && *at != ']' && dn + 2 < sizeof(d); at++)
		if (!strchr(" \n", *at))
			d[dn++] = *at;
	d[dn++] = ']';
	d[dn] = 0;
	assert_string_equal(d, "[-2.5e3,1.250,0.1,1e300,1,null]");
	free(text);
	assert_int_equal(load(&again, "again.json", NULL, err, sizeof(err)), 0);
	struct json_object *rep = NULL, *x = NULL, *v = NULL;
	assert_true(json_object_object_get_ex(again.rows[0].src, "report", &rep));
	assert_true(json_object_object_get_ex(rep, "extra", &x));
	assert_true(json_object_object_get_ex(x, "u", &v));
	assert_true(json_object_get_uint64(v) == UINT64_MAX);
	assert_true(json_object_object_get_ex(x, "i", &v));
	assert_true(json_object_get_int64(v) == INT64_MIN);
	assert_true(json_object_object_get_ex(x, "d", &v));
	assert_true(json_object_get_double(json_object_array_get_idx(v, 0)) == -2500);
	assert_true(json_object_get_double(json_object_array_get_idx(v, 2)) == 0.1);
	assert_null(json_object_array_get_idx(v, 5));
	assert_true(json_object_object_get_ex(x, "b", &v));
	assert_true(json_object_get_boolean(json_object_array_get_idx(v, 0)));
	assert_false(json_object_get_boolean(json_object_array_get_idx(v, 1)));
	assert_null(json_object_array_get_idx(v, 2));
	assert_true(json_object_object_get_ex(x, "o", &v) && json_object_is_type(v, json_type_object));
	assert_true(json_object_object_get_ex(x, "s", &v));
	/* é, U+1F600 from its pair, a lone surrogate as U+FFFD, a NUL kept */
	assert_int_equal(json_object_get_string_len(v), sizeof(s) - 1);
	assert_memory_equal(json_object_get_string(v), s, sizeof(s) - 1);
	assert_int_equal(again.rows[0].console_len, 4);
	assert_memory_equal(again.rows[0].console, "a\0b\n", 4);
	assert_true(json_object_object_get_ex(again.rows[1].src, "report", &rep));
	assert_false(json_object_object_get_ex(rep, "extra", NULL));	/* only the first row's */
	zp_mload_free(&again);
}

/* JUnit names the kernel in the class when there are several. */
static void test_junit_classes(void **state)
{
	struct zp_mrow r[4];
	struct zp_mrun run = { .kernels = kernels, .nkernels = 2, .rows = r, .nrows = 4 };
	char *buf = NULL;
	size_t len;

	(void)state;
	init_kernels();
	grid_rows(r);
	FILE *f = open_memstream(&buf, &len);
	zp_mrows_junit(f, &run, "zeropage matrix");
	fclose(f);
	assert_non_null(strstr(buf, "classname=\"matrix.vmlinux.pc\" name=\"shim-64\""));
	assert_non_null(strstr(buf, "tests=\"4\" failures=\"0\""));
	free(buf);
	run.nkernels = 1;
	run.nrows = 2;
	f = open_memstream(&buf, &len);
	zp_mrows_junit(f, &run, "zeropage matrix");
	fclose(f);
	assert_non_null(strstr(buf, "classname=\"matrix.pc\" name=\"qemu-bios\""));
	free(buf);
	for (int i = 0; i < 4; i++) {
		free(reports[i]);
		reports[i] = NULL;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shards),
		cmocka_unit_test(test_rfc3339),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_merge_errors),
		cmocka_unit_test(test_merge_without_zero_pages),
		cmocka_unit_test(test_not_json),
		cmocka_unit_test(test_bad_members),
		cmocka_unit_test(test_rewrite),
		cmocka_unit_test(test_junit_classes),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
