/* SPDX-License-Identifier: MIT */
/*
 * `zeropage report`'s parts: shards (matrix_rows.c: --shard K/N
 * partitions the grid), RFC 3339 times, and shard files written by the
 * matrix JSON writer read back (json-c) and merged (matrix_load.c): grid
 * order, zero pages diffed again across shards, what a row read back keeps
 * when written again, and every way the files can fail to be the shards
 * of one grid: not JSON (where and why), a member missing or of the wrong
 * type (which), shards of other grids (other --paths, --machine, --append,
 * --mem, --timeout, --reference, hidden rows, kernels, N: the member and
 * both values), a shard missing or twice, rows missing, twice, in the
 * wrong shard or not the grid's, no rows at all, numbers that are not
 * seconds (inf, nan, huge, negative) and times that cannot be (dates that
 * do not exist, before the run, after it, an end before its start).
 * tests/shard.sh does the same with real boots.
 */
#include <math.h>
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

#include "common/tool_err.h"
#include "report/matrix_load.h"
#include "report/matrix_rows.h"
#include "report/guest_report.h"

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
	assert_int_equal(matrix_shard_parse("2/5", &k, &n), 0);
	assert_true(k == 2 && n == 5);
	assert_int_equal(matrix_shard_parse("1/1", &k, &n), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(matrix_shard_parse(bad[i], &k, &n), -1);
	/* every row of the grid in exactly one shard, for any N */
	for (unsigned shards = 1; shards <= 9; shards++)
		for (size_t row = 0; row < 50; row++) {
			unsigned in = 0;
			for (unsigned s = 1; s <= shards; s++)
				in += matrix_shard_has(row, s, shards);
			assert_int_equal(in, 1);
		}
	assert_true(matrix_shard_has(7, 2, 3));	/* 7 mod 3 == 1 */
}

static void test_rfc3339(void **state)
{
	char b[48];
	double t;

	(void)state;
	matrix_rows_rfc3339(b, sizeof(b), 1764770886.9999996);
	assert_string_equal(b, "2025-12-03T14:08:07.000000+00:00");
	matrix_rows_rfc3339(b, sizeof(b), 0.25);
	assert_string_equal(b, "1970-01-01T00:00:00.250000+00:00");
	assert_int_equal(matrix_rows_rfc3339_parse("2025-12-03T14:08:06.500000+00:00", &t), 0);
	assert_true(t == 1764770886.5);
	assert_int_equal(matrix_rows_rfc3339_parse("2025-12-03T16:08:06+02:00", &t), 0);
	assert_true(t == 1764770886);
	assert_int_equal(matrix_rows_rfc3339_parse("2025-12-03T14:08:06Z", &t), 0);
	assert_int_equal(matrix_rows_rfc3339_parse("2025-12-03 14:08:06", &t), -1);
	assert_int_equal(matrix_rows_rfc3339_parse("2025-12-03T14:08:06+00:00junk", &t), -1);
	/* dates and times that do not exist, and forms RFC 3339 does not have */
	static const char *const bad[] = {
		"2025-02-29T00:00:00Z", "2025-04-31T00:00:00Z", "2025-13-01T00:00:00Z",
		"2025-00-01T00:00:00Z", "2025-12-00T00:00:00Z", "2025-12-03T24:00:00Z",
		"2025-12-03T14:60:00Z", "2025-12-03T14:08:61Z", "2025-12-03T14:08:06+24:00",
		"2025-12-03T14:08:06+01:60", "2025-12-03T14:08:06.Z", "2025-12-03T14:08:06.5e3Z",
		"+025-12-03T14:08:06Z", " 2025-12-03T14:08:06Z", "2025-1-03T14:08:06Z",
		"2025-12-03T14:08:06", "2025-12-03T14:08:06+0100", "2025-12-03T-1:08:06Z", "",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (matrix_rows_rfc3339_parse(bad[i], &t) != -1)
			fail_msg("'%s' taken", bad[i]);
	assert_int_equal(matrix_rows_rfc3339_parse("2024-02-29T00:00:00z", &t), 0);	/* a leap year */
	assert_int_equal(matrix_rows_rfc3339_parse("2016-12-31T23:59:60Z", &t), 0);	/* a leap second */
	assert_true(t == 1483228800);
	/* no date to write for a time out of range */
	matrix_rows_rfc3339(b, sizeof(b), -1);
	assert_string_equal(b, "");
	matrix_rows_rfc3339(b, sizeof(b), NAN);
	assert_string_equal(b, "");
	matrix_rows_rfc3339(b, sizeof(b), 1e300);
	assert_string_equal(b, "");
	matrix_rows_rfc3339(b, sizeof(b), MATRIX_ROWS_TIME_MAX);
	assert_string_equal(b, "9999-12-31T23:59:59.000000+00:00");
}

/* ---- shards written and merged ---- */

static struct kernel_id kernels[2];
static struct guest_report *reports[4];

/* The grid: 2 kernels x machine pc x paths qemu-bios, shim-64; the probe
 * saw type_of_loader 0xb0 for qemu-bios and 0xff for the shim. */
static void grid_rows(struct matrix_row *r)
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
		r[i].verdict = VERDICT_OK;
		r[i].reason = "";
		r[i].t_first_byte = r[i].t_banner = r[i].t_init = r[i].t_exit = 1.0 + i;
		r[i].start_time = 1764770886.5 + i;
		r[i].duration = 2.0;
		r[i].has_report = true;
		r[i].report = reports[i];
		r[i].zero_page = reports[i]->bootparams;
		r[i].link = kernel_link_from_pref(0x1000000, true);
		r[i].console = "console\n";
		r[i].console_len = 8;
		strcpy(r[i].kaslr, "-");
	}
}

/* The grid's identity as matrix would write it for
 * `zeropage matrix K1 K2 --paths qemu-bios,shim-64 --machine pc`; tests
 * change it to make shards of other grids. */
static const char *const grid_paths[] = { "qemu-bios", "shim-64", "shim-32" };
static const char *const grid_machines[] = { "pc", "q35" };
static size_t grid_hidden[4];
static struct matrix_grid_id grid_id;
static const char *grid_reference;
#define RUN_START	1764770886.0	/* the rows start at RUN_START + 0.5 + i, last 2 s */
#define RUN_END		(RUN_START + 8)

static void init_grid(void)
{
	grid_id = (struct matrix_grid_id){ .paths = grid_paths, .npaths = 2, .machines = grid_machines,
				       .nmachines = 1, .hidden = grid_hidden, .mem = "256M" };
	grid_reference = NULL;
}

/* Writes rows which[0..nw) of the grid (any, even twice) as shard k of n
 * to dir/name. */
static void write_rows(const char *name, unsigned k, unsigned n, const size_t *which, size_t nw)
{
	struct matrix_row all[4], mine[8];
	char path[400];

	assert_true(nw <= 8);
	grid_rows(all);
	for (size_t i = 0; i < nw; i++)
		mine[i] = all[which[i]];
	struct matrix_run run = { .kernels = kernels, .nkernels = 2, .rows = mine, .nrows = nw,
			       .grid_rows = 2 * grid_id.npaths * grid_id.nmachines, .shard = k,
			       .shards = n, .grid = grid_id, .reference = grid_reference,
			       .run_start = RUN_START, .run_end = RUN_END };
	matrix_rows_diff(mine, nw, NULL);	/* as the shard saw it: alone */
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(matrix_rows_write_file("--json", path, matrix_rows_json, &run, "tcg", NULL), 0);
	matrix_rows_free_diffs(mine, nw);
}

/* Writes shard k of n (rows index % n == k - 1, not hidden) to dir/name. */
static void write_shard(const char *name, unsigned k, unsigned n)
{
	size_t which[4], nw = 0;

	for (size_t i = 0; i < 4; i++) {
		bool hidden = false;
		for (size_t h = 0; h < grid_id.nhidden; h++)
			hidden |= grid_id.hidden[h] == i;
		if (matrix_shard_has(i, k, n) && !hidden)
			which[nw++] = i;
	}
	write_rows(name, k, n, which, nw);
}

static int load(struct matrix_load *L, const char *a, const char *b, struct tool_err *err)
{
	char pa[400], pb[400];
	const char *files[2] = { pa, pb };

	snprintf(pa, sizeof(pa), "%s/%s", dir, a);
	snprintf(pb, sizeof(pb), "%s/%s", dir, b ? b : "");
	return matrix_load(L, files, b ? 2 : 1, err);
}

static void init_kernels(void)
{
	init_grid();
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
	struct matrix_load L;
	struct tool_err err;

	(void)state;
	init_kernels();
	write_shard("s1.json", 1, 2);
	write_shard("s2.json", 2, 2);
	assert_int_equal(load(&L, "s2.json", "s1.json", &err), 0);
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
	matrix_rows_diff(L.rows, L.nrows, NULL);
	assert_string_equal(L.rows[1].diff_against, "qemu-bios");
	assert_true(L.rows[0].is_reference);
	assert_int_equal(L.rows[1].ndiff, 1);
	assert_string_equal(L.rows[1].diff[0].name, "type_of_loader");
	assert_string_equal(L.rows[3].diff_against, "qemu-bios");	/* its own kernel's */
	assert_true(L.rows[2].is_reference);
	matrix_load_free(&L);
}

static void expect_error(const char *a, const char *b, const char *want)
{
	struct matrix_load L;
	struct tool_err err;

	assert_int_equal(load(&L, a, b, &err), -1);
	if (!strstr(err.msg, want))
		fail_msg("error '%s' lacks '%s'", err.msg, want);
}

static void test_merge_errors(void **state)
{
	char path[400];
	FILE *f;

	(void)state;
	init_kernels();
	write_shard("s1.json", 1, 2);
	write_shard("s2.json", 2, 2);
	write_shard("all.json", 1, 1);
	expect_error("s1.json", NULL, "shard 2/2 is missing: 1 of 2 shards given");
	expect_error("s1.json", "s1.json", "are both shard 1/2");
	expect_error("s1.json", "all.json", "all.json: grid \"shards\" is 1, in ");
	expect_error("s1.json", "all.json", "s1.json 2: not shards of one grid");
	write_shard("t1.json", 1, 3);
	expect_error("t1.json", NULL, "shards 2/3, 3/3 are missing: 1 of 3 shards given");
	memset(kernels[1].sha256, 'c', 64);
	write_shard("other.json", 2, 2);
	expect_error("s1.json", "other.json", "other.json: kernels[1]: /k/vmlinux (sha256 "
		     "cccccccccccccccc...), in ");
	expect_error("s1.json", "other.json", " /k/vmlinux (sha256 bbbbbbbbbbbbbbbb...): not shards "
		     "of one grid");
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
	struct matrix_load L;
	struct tool_err err;
	char cmd[1200];

	(void)state;
	init_kernels();
	write_shard("all.json", 1, 1);
	snprintf(cmd, sizeof(cmd), "jq 'del(.results[].report.boot_params_hex)' %s/all.json > %s/nohex.json",
		 dir, dir);
	if (system(cmd) != 0)
		skip();	/* no jq */
	assert_int_equal(load(&L, "nohex.json", NULL, &err), 0);
	assert_true(L.zero_pages_missing);
	assert_null(L.rows[1].zero_page);
	assert_string_equal(L.rows[1].diff_against, "qemu-bios");
	assert_int_equal(L.rows[1].ndiff, 1);
	assert_string_equal(L.rows[1].diff[0].text, "type_of_loader 0xb0->0xff");
	matrix_load_free(&L);
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
	write_shard("all.json", 1, 1);
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
	write_shard("all.json", 1, 1);
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		edit_file("all.json", "edited.json", edits[i].old, edits[i].new);
		expect_error("edited.json", NULL, edits[i].want);
	}
	put_file("array.json", "[]", 2);
	expect_error("array.json", NULL, "(no object at the top: an older zeropage?)");
	/* what matrix does not write but allows: seconds as numbers */
	struct matrix_load L;
	struct tool_err err;
	edit_file("all.json", "edited.json", "\"first_byte\": \"1.000\"", "\"first_byte\": 1.5");
	assert_int_equal(load(&L, "edited.json", NULL, &err), 0);
	assert_true(L.rows[0].t_first_byte == 1.5);
	assert_true(L.rows[1].t_first_byte == 2.0);
	matrix_load_free(&L);
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
	struct matrix_load L, again;
	struct tool_err err;
	char path[400];
	size_t len;

	(void)state;
	init_kernels();
	write_shard("all.json", 1, 1);
	edit_file("all.json", "extra.json", "\"report\": {", extra);
	assert_int_equal(load(&L, "extra.json", NULL, &err), 0);
	L.rows[0].console = "a\0b\n";
	L.rows[0].console_len = 4;
	struct matrix_run run = { .kernels = L.kernels, .nkernels = L.nkernels, .rows = L.rows,
			       .nrows = L.nrows, .grid_rows = L.grid_rows, .shard = 1, .shards = 1,
			       .grid = L.grid, .run_start = L.run_start, .run_end = L.run_end };
	snprintf(path, sizeof(path), "%s/again.json", dir);
	assert_int_equal(matrix_rows_write_file("--json", path, matrix_rows_json, &run, "tcg", NULL), 0);
	matrix_load_free(&L);

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
	assert_int_equal(load(&again, "again.json", NULL, &err), 0);
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
	matrix_load_free(&again);
}

/* JUnit names the kernel in the class when there are several, and has a
 * row's kernel entry as its properties. */
static void test_junit_classes(void **state)
{
	struct matrix_row r[4];
	struct matrix_run run = { .kernels = kernels, .nkernels = 2, .rows = r, .nrows = 4 };
	char *buf = NULL;
	size_t len;

	(void)state;
	init_kernels();
	grid_rows(r);
	FILE *f = open_memstream(&buf, &len);
	matrix_rows_junit(f, &run, "zeropage matrix");
	fclose(f);
	assert_non_null(strstr(buf, "classname=\"matrix.vmlinux.pc\" name=\"shim-64\""));
	assert_non_null(strstr(buf, "tests=\"4\" failures=\"0\""));
	free(buf);
	run.nkernels = 1;
	run.nrows = 2;
	f = open_memstream(&buf, &len);
	matrix_rows_junit(f, &run, "zeropage matrix");
	fclose(f);
	assert_non_null(strstr(buf, "classname=\"matrix.pc\" name=\"qemu-bios\""));
	assert_null(strstr(buf, "<properties>"));	/* rows without an entry: none */
	free(buf);
	/* the kernel entry as the testcase's properties, escaped */
	r[0].entry = "efi-pe";
	r[0].entry_why = "type_of_loader 0x21 & \"EL64\"";
	f = open_memstream(&buf, &len);
	matrix_rows_junit(f, &run, "zeropage matrix");
	fclose(f);
	assert_non_null(strstr(buf, "<properties>\n        <property name=\"entry\" value=\"efi-pe\"/>\n"
				    "        <property name=\"entry_why\" value=\"type_of_loader 0x21 "
				    "&amp; &quot;EL64&quot;\"/>\n      </properties>"));
	free(buf);
	for (int i = 0; i < 4; i++) {
		free(reports[i]);
		reports[i] = NULL;
	}
}

/* Shard 2/2 of another grid beside a good 1/2: refused, naming the member
 * that differs and both values. */
static void expect_other_grid(const char *want)
{
	write_shard("s2x.json", 2, 2);
	init_kernels();
	write_shard("s1.json", 1, 2);
	expect_error("s1.json", "s2x.json", want);
	expect_error("s1.json", "s2x.json", ": not shards of one grid");
}

static void test_other_grids(void **state)
{
	(void)state;
	init_kernels();
	grid_id.npaths = 3;
	expect_other_grid("s2x.json: grid \"paths\" is [\"qemu-bios\",\"shim-64\",\"shim-32\"], in "
			  );
	init_kernels();
	grid_id.npaths = 3;
	expect_other_grid("s1.json [\"qemu-bios\",\"shim-64\"]");
	init_kernels();
	grid_id.machines = grid_machines + 1;	/* q35 */
	expect_other_grid("s2x.json: grid \"machines\" is [\"q35\"], in ");
	init_kernels();
	grid_id.append = "quiet \x1b]0;x";
	/* the raw bytes: the message is escaped once, where it is printed */
	expect_other_grid("s2x.json: grid \"append\" is \"quiet \x1b]0;x\", in ");
	init_kernels();
	grid_id.mem = "512M";
	expect_other_grid("grid \"mem\" is \"512M\", in ");
	init_kernels();
	grid_id.timeout = 120;
	expect_other_grid("grid \"timeout\" is 120, in ");
	init_kernels();
	grid_id.timeout = 0.5;
	expect_other_grid("s1.json null: not shards");
	init_kernels();
	grid_hidden[0] = 3;
	grid_id.nhidden = 1;
	expect_other_grid("grid \"hidden\" is [3], in ");
	init_kernels();
	grid_reference = "shim-64";
	expect_other_grid("s2x.json: \"reference\" is \"shim-64\", in ");
}

/* Rows twice, in the wrong shard, missing, hidden, or not the grid's at
 * their number: each named by file, results[i], number and name. */
static void test_rows(void **state)
{
	static const size_t dup[] = { 0, 2, 0 }, stray[] = { 0, 1, 2 }, odd[] = { 1, 3 };
	static const size_t one[] = { 0 };

	(void)state;
	init_kernels();
	write_shard("s2.json", 2, 2);
	write_rows("dup.json", 1, 2, dup, 3);
	expect_error("dup.json", "s2.json", "dup.json: results[2] (row 0: qemu-bios on pc, kernel 1): "
		     "\"row\": 0 is in this file twice");
	write_shard("s1.json", 1, 2);
	write_rows("dup2.json", 1, 2, stray + 2, 1);	/* row 2 again, as another 1/2 */
	expect_error("s1.json", "dup2.json", "are both shard 1/2");
	write_rows("stray.json", 1, 2, stray, 3);
	expect_error("stray.json", "s2.json", "stray.json: results[1] (row 1: shim-64 on pc, kernel 1): "
		     "\"row\": 1 is shard 2/2's, not this file's 1/2");
	write_rows("short.json", 1, 2, one, 1);
	expect_error("short.json", "s2.json", "rows missing: row 2 (qemu-bios on pc, kernel 2 vmlinux) "
		     "of ");
	expect_error("short.json", "s2.json", "/short.json");
	write_rows("e1.json", 1, 2, NULL, 0);
	write_rows("e2.json", 2, 2, NULL, 0);
	expect_error("e1.json", "e2.json", "rows missing: row 0 (qemu-bios on pc, kernel 1 bzImage) of");
	expect_error("e1.json", "e2.json", "; row 3 (shim-64 on pc, kernel 2 vmlinux) of ");
	/* a grid whose rows are all hidden: nothing to report */
	grid_id.nhidden = 4;
	for (size_t i = 0; i < 4; i++)
		grid_hidden[i] = i;
	write_rows("e1.json", 1, 2, NULL, 0);
	write_rows("e2.json", 2, 2, NULL, 0);
	expect_error("e1.json", "e2.json", "e1.json and the other shards: no rows to report (a grid of 4 "
		     "rows, 4 hidden)");
	grid_id.nhidden = 1;
	grid_hidden[0] = 3;
	write_rows("odd.json", 2, 2, odd, 2);
	write_shard("s1.json", 1, 2);
	expect_error("s1.json", "odd.json", "odd.json: results[1] (row 3: shim-64 on pc, kernel 2): "
		     "\"row\": 3 is one the grid does not show (grid \"hidden\")");
	init_kernels();
	write_shard("all.json", 1, 1);
	edit_file("all.json", "x.json", "\"path\": \"shim-64\"", "\"path\": \"qemu-bios\"");
	expect_error("x.json", NULL, "x.json: results[1] (row 1: shim-64 on pc, kernel 1): \"path\": "
		     "\"qemu-bios\", not the grid's path of that row");
	edit_file("all.json", "x.json", "\"machine\": \"pc\"", "\"machine\": \"q35\"");
	expect_error("x.json", NULL, "results[0] (row 0: qemu-bios on pc, kernel 1): \"machine\": "
		     "\"q35\", not the grid's machine of that row");
	char a64[100] = "\"kernel_sha256\": \"", b64[100] = "\"kernel_sha256\": \"";
	memset(a64 + strlen(a64), 'a', 64);
	memset(b64 + strlen(b64), 'b', 64);
	edit_file("all.json", "x.json", a64, b64);
	expect_error("x.json", NULL, "results[0] (row 0: qemu-bios on pc, kernel 1): \"kernel_sha256\": "
		     "bbbbbbbbbbbbbbbb... is kernel 2, not the grid's kernel 1 (aaaaaaaaaaaaaaaa...)");
	/* a shard of an older zeropage */
	edit_file("all.json", "x.json", "\"paths\": [", "\"paths0\": [");
	expect_error("x.json", NULL, "x.json: shard written by an older zeropage, without grid "
		     "identity");
	edit_file("all.json", "x.json", "\"run\": {", "\"run0\": {");
	expect_error("x.json", NULL, "x.json: shard written by an older zeropage, without grid "
		     "identity");
}

/* Numbers that are not seconds and times that cannot be, as edits of a
 * good shard, and what report must say of each: the file, row and member. */
static const struct {
	const char *old, *new, *want;
} impossible[] = {
	{ "\"duration\": 2.000", "\"duration\": \"inf\"", "x.json: results[0] (row 0: qemu-bios "
	  "on pc, kernel 1): \"duration\": \"inf\" is not a number of seconds from 0 to 604800" },
	{ "\"duration\": 2.000", "\"duration\": NaN", "results[0] (row 0: qemu-bios on pc, "
	  "kernel 1): \"duration\": NaN is not a number of seconds" },
	{ "\"duration\": 2.000", "\"duration\": Infinity", "\"duration\": Infinity is not" },
	{ "\"duration\": 2.000", "\"duration\": -Infinity", "\"duration\": -Infinity is not" },
	{ "\"duration\": 2.000", "\"duration\": 1e999", "\"duration\": 1e999 is not" },
	{ "\"duration\": 2.000", "\"duration\": 1e300", "\"duration\": 1e300 is not" },
	{ "\"duration\": 2.000", "\"duration\": -1", "\"duration\": -1 is not" },
	{ "\"duration\": 2.000", "\"duration\": \"nan\"", "\"duration\": \"nan\" is not" },
	{ "\"duration\": 2.000", "\"duration\": true", "\"duration\": true is not" },
	{ "\"first_byte\": \"1.000\"", "\"first_byte\": \"inf\"", "results[0] (row 0: qemu-bios "
	  "on pc, kernel 1): \"seconds\": \"first_byte\": \"inf\" is not a number of seconds" },
	{ "\"banner\": \"1.000\"", "\"banner\": \"1e3\"", "\"banner\": \"1e3\" is not" },
	{ "\"init\": \"1.000\"", "\"init\": \"-1.000\"", "\"init\": \"-1.000\" is not" },
	{ "\"exit\": \"1.000\"", "\"exit\": \" 1\"", "\"exit\": \" 1\" is not" },
	{ "\"exit\": \"1.000\"", "\"exit\": \"0x10\"", "\"exit\": \"0x10\" is not" },
	{ "\"exit\": \"1.000\"", "\"exit\": \"1.\"", "\"exit\": \"1.\" is not" },
	{ "\"build\": \"0.000\"", "\"build\": \"999999\"", "\"build\": \"999999\" is not" },
	{ "\"seconds\": {", "\"seconds\": 1, \"x\": {", "\"seconds\": not an object" },
	/* times that do not exist */
	{ "\"start_time\": \"2025-12-03T14:08:06.500000+00:00\"",
	  "\"start_time\": \"2025-02-30T14:08:06.500000+00:00\"", "results[0] (row 0: qemu-bios "
	  "on pc, kernel 1): \"start_time\": \"2025-02-30T14:08:06.500000+00:00\" is not an RFC "
	  "3339 date and time that exists" },
	{ "T14:08:06.500000+00:00\"", "T24:00:00+00:00\"", "\"start_time\": \"2025-12-03T24:00:00+"
	  "00:00\" is not an RFC 3339" },
	{ "T14:08:06.500000+00:00\"", "T14:08:06.5+24:00\"", "is not an RFC 3339" },
	{ "T14:08:06.500000+00:00\"", "T14:08:06.5e3Z\"", "is not an RFC 3339" },
	{ "\"start_time\": \"2025-12-03T14:08:06.500000+00:00\"", "\"start_time\": 5",
	  "\"start_time\": 5 is not an RFC 3339" },
	/* times that cannot be this run's */
	{ "\"start_time\": \"2025-12-03T14:08:06.500000+00:00\"",
	  "\"start_time\": \"1969-12-31T23:59:59Z\"", "results[0] (row 0: qemu-bios on pc, kernel "
	  "1): \"start_time\": \"1969-12-31T23:59:59Z\" is before its run started (run "
	  "\"start_time\" 2025-12-03T14:08:06.000000+00:00)" },
	{ "\"start_time\": \"2025-12-03T14:08:06.500000+00:00\"",
	  "\"start_time\": \"2025-12-03T14:07:00Z\"", "is before its run started" },
	{ "\"start_time\": \"2025-12-03T14:08:06.500000+00:00\"",
	  "\"start_time\": \"2999-01-01T00:00:00Z\"", "\"start_time\": \"2999-01-01T00:00:00Z\" + "
	  "\"duration\" ends after its run ended (run \"end_time\" 2025-12-03T14:08:14.000000+00:00)" },
	{ "\"duration\": 2.000", "\"duration\": 30", "\"start_time\": \"2025-12-03T14:08:06.500000"
	  "+00:00\" + \"duration\" ends after its run ended" },
	/* the run's own */
	{ "\"end_time\": \"2025-12-03T14:08:14.000000+00:00\"",
	  "\"end_time\": \"2025-12-03T14:08:05Z\"", "x.json: run: \"end_time\": \"2025-12-03T14:08:"
	  "05Z\" is before its \"start_time\" \"2025-12-03T14:08:06.000000+00:00\"" },
	{ "\"end_time\": \"2025-12-03T14:08:14.000000+00:00\"",
	  "\"end_time\": \"2999-12-03T14:08:05Z\"", "x.json: run: \"end_time\": \"2999-12-03T14:08:"
	  "05Z\" is more than a day ahead of this host's clock" },
	{ "\"start_time\": \"2025-12-03T14:08:06.000000+00:00\"",
	  "\"start_time\": \"1999-12-31T23:59:59Z\"", "x.json: run: \"start_time\": \"1999-12-31T23:"
	  "59:59Z\" is before 2000, before any run" },
	{ "\"start_time\": \"2025-12-03T14:08:06.000000+00:00\"", "\"start_time\": null",
	  "x.json: run: \"start_time\": null is not an RFC 3339 date and time that exists" },
	{ "\"end_time\": \"2025-12-03T14:08:14.000000+00:00\"",
	  "\"end_time\": \"2025-12-03T14:08:14.000000+00:00 \"", "run: \"end_time\": \"2025-12-03T14:"
	  "08:14.000000+00:00 \" is not an RFC 3339" },
	/* the grid's */
	{ "\"timeout\": null", "\"timeout\": 1e999", "x.json: grid: \"timeout\": not null or "
	  "seconds in (0, 86400]" },
	{ "\"timeout\": null", "\"timeout\": NaN", "grid: \"timeout\": not null or seconds" },
	{ "\"timeout\": null", "\"timeout\": -1", "grid: \"timeout\": not null or seconds" },
	{ "\"rows\": 4", "\"rows\": 6", "x.json: grid: \"rows\": 6, not 2 kernels x 1 machines x 2 "
	  "paths" },
	{ "\"hidden\": []", "\"hidden\": [4]", "grid: \"hidden\": not whole numbers below \"rows\", "
	  "ascending" },
	{ "\"paths\": [", "\"paths\": [\"a\\u001bb\", ", "grid: \"paths\": a name not of "
	  "[A-Za-z0-9_.-]+" },
	{ "\"machines\": [", "\"machines\": [\"pc\", ", "grid: \"machines\": a name given twice" },
};

static void test_numbers_and_times(void **state)
{
	struct matrix_load L;
	struct tool_err err;

	(void)state;
	init_kernels();
	write_shard("all.json", 1, 1);
	for (size_t i = 0; i < sizeof(impossible) / sizeof(impossible[0]); i++) {
		edit_file("all.json", "x.json", impossible[i].old, impossible[i].new);
		expect_error("x.json", NULL, impossible[i].want);
	}
	/* what a run can give: untimed rows, times given with an offset, a leap second */
	edit_file("all.json", "x.json", "\"start_time\": \"2025-12-03T14:08:06.500000+00:00\"",
		  "\"start_time\": null");
	assert_int_equal(load(&L, "x.json", NULL, &err), 0);
	assert_true(L.rows[0].start_time == -1);
	matrix_load_free(&L);
	edit_file("all.json", "x.json", "\"start_time\": \"2025-12-03T14:08:06.500000+00:00\"",
		  "\"start_time\": \"2025-12-03T15:08:07+01:00\"");
	assert_int_equal(load(&L, "x.json", NULL, &err), 0);
	assert_true(L.rows[0].start_time == RUN_START + 1);
	assert_true(L.run_start == RUN_START && L.run_end == RUN_END);
	matrix_load_free(&L);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shards),
		cmocka_unit_test(test_rfc3339),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_merge_errors),
		cmocka_unit_test(test_other_grids),
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_numbers_and_times),
		cmocka_unit_test(test_merge_without_zero_pages),
		cmocka_unit_test(test_not_json),
		cmocka_unit_test(test_bad_members),
		cmocka_unit_test(test_rewrite),
		cmocka_unit_test(test_junit_classes),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
