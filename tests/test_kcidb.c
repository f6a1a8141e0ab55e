/* SPDX-License-Identifier: MIT */
/*
 * The KCIDB writer (tools/report/kcidb.c) and what it names kernels by:
 * SHA-256 as hex (nettle's digest) against FIPS 180-4's vectors, the
 * version read from a banner, the status of every verdict, the ids and
 * test paths, the log excerpt (NULs, CR LF, its cut and length), and a
 * whole document read back with json-c: escaping survives, no member is
 * null (the schema allows none), checkouts and builds are not repeated;
 * times that are not finite left out (checked against the schema itself
 * when python3's jsonschema is here).  tests/kcidb.sh validates a real
 * matrix's document against the schema, tests/report.sh report's.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "report/kcidb.h"
#include "report/kernel_id.h"
#include "synth.h"

/* ---- SHA-256 ---- */

static void test_sha256_vectors(void **state)
{
	char hex[65];
	size_t mega = 1000000;
	char *a = malloc(mega);

	(void)state;
	kernel_id_sha256_hex("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	kernel_id_sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	/* 56 bytes: the padding needs a second block */
	kernel_id_sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* a million 'a' */
	assert_non_null(a);
	memset(a, 'a', mega);
	kernel_id_sha256_hex(a, mega, hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(a);
}

/* ---- the kernel's version ---- */

static void test_banner_version(void **state)
{
	char v[256];
	const char *deb = "6.1.0-57-cloud-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian "
			  "12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP "
			  "PREEMPT_DYNAMIC Debian 6.1.192-3 (2026-11-26)\n";

	(void)state;
	/* the compiler's group, parentheses nested, goes: the bzImage's form */
	kernel_id_version_from_banner(deb, strlen(deb), v, sizeof(v));
	assert_string_equal(v, "6.1.0-57-cloud-amd64 (debian-kernel@lists.debian.org) #1 SMP "
			       "PREEMPT_DYNAMIC Debian 6.1.192-3 (2026-11-26)");
	/* already in that form, or not of it: kept, up to the newline */
	kernel_id_version_from_banner("6.9.0 (me@host) #3 SMP\nmore", 27, v, sizeof(v));
	assert_string_equal(v, "6.9.0 (me@host) #3 SMP");
	kernel_id_version_from_banner("6.9.0 #1", 8, v, sizeof(v));
	assert_string_equal(v, "6.9.0 #1");
	/* an unbalanced group is not taken apart */
	kernel_id_version_from_banner("6.9.0 (me@host) (gcc (x #1", 26, v, sizeof(v));
	assert_string_equal(v, "6.9.0 (me@host) (gcc (x #1");
	/* len bounds it, not a NUL */
	kernel_id_version_from_banner("6.9.0 (a@b) (cc) #7XXXX", 19, v, sizeof(v));
	assert_string_equal(v, "6.9.0 (a@b) #7");
}

/* A bzImage says its version in the setup header; a vmlinux in its
 * banners, of which the one with a build number counts.  Both read back
 * in the same form, with the file's hash. */
static void test_kernel_id_of_images(void **state)
{
	struct synth_bzimage_opts o = { .protocol = 0x20f, .version = "6.1.0-x (u@h) #1 SMP PREEMPT" };
	const char *b1 = "Linux version %s (%s) %s\n";	/* a printk format: not a banner */
	const char *b2 = "Linux version 6.1.0-x (u@h) (gcc 12 (Debian 12.2)) # SMP PREEMPT";
	const char *b3 = "Linux version 6.1.0-x (u@h) (gcc 12 (Debian 12.2)) #1 SMP PREEMPT\n";
	struct kernel_id bz, elf;
	size_t len, elf_len;
	char hex[65];

	(void)state;
	uint8_t *img = synth_bzimage(&o, &len);
	assert_int_equal(kernel_id_of(img, len, &bz), 0);
	assert_string_equal(bz.version, "6.1.0-x (u@h) #1 SMP PREEMPT");
	assert_string_equal(bz.release, "6.1.0-x");
	kernel_id_sha256_hex(img, len, hex);
	assert_string_equal(bz.sha256, hex);
	free(img);

	img = synth_elf(64, 0x1000000, NULL, 0, &elf_len);
	uint8_t *big = calloc(1, elf_len + 3 * 128);
	assert_non_null(big);
	memcpy(big, img, elf_len);
	memcpy(big + elf_len, b1, strlen(b1));
	memcpy(big + elf_len + 128, b2, strlen(b2));
	memcpy(big + elf_len + 256, b3, strlen(b3));
	assert_int_equal(kernel_id_of(big, elf_len + 3 * 128, &elf), 0);
	assert_string_equal(elf.version, bz.version);
	assert_string_equal(elf.release, "6.1.0-x");
	/* without a banner: no version, still a hash */
	assert_int_equal(kernel_id_of(img, elf_len, &elf), 0);
	assert_string_equal(elf.version, "");
	assert_string_equal(elf.release, "");
	/* neither a bzImage nor an ELF */
	assert_int_equal(kernel_id_of((const uint8_t *)"hello", 5, &elf), -1);
	free(big);
	free(img);
}

/* ---- statuses, origins, ids ---- */

static void test_status_mapping(void **state)
{
	(void)state;
	assert_string_equal(kcidb_status(VERDICT_OK), "PASS");
	assert_string_equal(kcidb_status(VERDICT_MISMATCH), "FAIL");
	assert_string_equal(kcidb_status(VERDICT_PANIC), "FAIL");
	assert_string_equal(kcidb_status(VERDICT_TIMEOUT), "FAIL");
	assert_string_equal(kcidb_status(VERDICT_NOINIT), "FAIL");
	assert_string_equal(kcidb_status(VERDICT_ERROR), "ERROR");
	assert_string_equal(kcidb_status(VERDICT_QEMU), "ERROR");
	assert_string_equal(kcidb_status(VERDICT_SKIPPED), "SKIP");
	assert_string_equal(kcidb_status(VERDICT_NA), "SKIP");
	assert_string_equal(kcidb_status((enum verdict)99), "ERROR");
}

static void test_origin(void **state)
{
	(void)state;
	assert_true(kcidb_origin_ok("zeropage"));
	assert_true(kcidb_origin_ok("my_ci_2"));
	assert_false(kcidb_origin_ok(""));
	assert_false(kcidb_origin_ok("ZeroPage"));
	assert_false(kcidb_origin_ok("zero-page"));
	assert_false(kcidb_origin_ok("a:b"));
}

static struct kernel_id kid(const char *file, const char *version, char fill)
{
	struct kernel_id k = { .file = file };

	snprintf(k.version, sizeof(k.version), "%s", version);
	snprintf(k.release, sizeof(k.release), "%.*s", (int)strcspn(version, " "), version);
	memset(k.sha256, fill, 64);
	k.sha256[64] = 0;
	return k;
}

static void test_ids(void **state)
{
	struct kernel_id a = kid("a", "6.1.0-57-cloud-amd64 (x@y) #1", 'a');
	struct kernel_id b = kid("b", "6.1.0-57-cloud-amd64 (x@y) #1", 'b');
	struct kernel_id n = kid("n", "", 'c');
	char id[400], id2[400];

	(void)state;
	kcidb_checkout_id(id, sizeof(id), "zeropage", &a);
	assert_int_equal(strncmp(id, "zeropage:6.1.0-57-cloud-amd64@", 30), 0);
	assert_int_equal(strlen(id), 30 + 16);
	assert_int_equal(strspn(id + 30, "0123456789abcdef"), 16);
	/* the same version: the same checkout, whatever the image */
	kcidb_checkout_id(id2, sizeof(id2), "zeropage", &b);
	assert_string_equal(id, id2);
	kcidb_checkout_id(id, sizeof(id), "ci", &n);
	assert_string_equal(id, "ci:unknown@cccccccccccccccc");
	kcidb_build_id(id, sizeof(id), "ci", &a);
	assert_string_equal(id, "ci:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	kcidb_test_id(id, sizeof(id), "ci", &a, "qemu-pvh", "pc");
	assert_string_equal(id, "ci:aaaaaaaaaaaaaaaa/boot.qemu-pvh.pc");
	kcidb_test_path(id, sizeof(id), "shim-64", "microvm");
	assert_string_equal(id, "boot.shim-64.microvm");
	/* what a path component may not hold */
	kcidb_test_path(id, sizeof(id), "a.b c", "");
	assert_string_equal(id, "boot.a_b_c._");
}

/* ---- the log excerpt ---- */

static void test_excerpt(void **state)
{
	static char big[40000], out[KCIDB_EXCERPT + 1];
	char small[8];
	size_t n;

	(void)state;
	n = kcidb_excerpt("a\r\nb\0c\rd\n", 10, out, sizeof(out));
	assert_int_equal(n, 7);
	assert_memory_equal(out, "a\nbc\rd\n", 8);	/* CR LF -> LF, NUL gone, lone CR kept */
	/* too long: cut, then begun at the next line */
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = i % 100 == 99 ? '\n' : (char)('a' + i % 26);
	n = kcidb_excerpt(big, sizeof(big), out, sizeof(out));
	assert_true(n <= KCIDB_EXCERPT);
	assert_true(n > KCIDB_EXCERPT - 100);
	assert_int_equal(out[n - 1], '\n');
	assert_memory_equal(out, big + sizeof(big) - n, n);
	assert_int_equal((sizeof(big) - n) % 100, 0);	/* starts at a line */
	assert_int_equal(strlen(out), n);
	/* no newline to begin at: the last bytes as they are */
	memset(big, 'x', sizeof(big));
	n = kcidb_excerpt(big, sizeof(big), out, sizeof(out));
	assert_int_equal(n, KCIDB_EXCERPT);
	/* a smaller buffer is the limit */
	n = kcidb_excerpt("0123456789", 10, small, sizeof(small));
	assert_string_equal(small, "3456789");
	assert_int_equal(kcidb_excerpt("", 0, small, sizeof(small)), 0);
}

/* ---- a whole document ---- */

static const char console_ok[] = "boot \"quoted\" \\ back\r\n\x1b[0mESC \xff stray \0NUL caf\xc3\xa9\r\n";

static void fill_rows(struct matrix_row *r, const struct kernel_id *k)
{
	static const enum verdict v[] = { VERDICT_OK, VERDICT_MISMATCH, VERDICT_ERROR,
					     VERDICT_SKIPPED, VERDICT_NA };
	static const char *const paths[] = { "qemu-bios", "shim-64", "grub-bios", "qemu-pvh", "ovmf" };
	static struct zero_page_diff diff[1] = { { "type_of_loader", "type_of_loader 0xb0->0xff" } };

	for (int i = 0; i < 5; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].index = (size_t)i * 2;
		r[i].kernel = &k[i % 2];
		r[i].path = paths[i];
		r[i].machine = i == 4 ? "microvm" : "pc";
		r[i].accel = "tcg";
		r[i].verdict = v[i];
		r[i].reason = i ? "why \"not\"" : "";
		r[i].t_first_byte = r[i].t_banner = r[i].t_init = r[i].t_exit = i < 2 ? 1.5 : -1;
		r[i].start_time = i < 3 ? 1764770886.5 : -1;
		r[i].duration = i < 3 ? 2.25 : -1;
		r[i].has_report = i < 2;
		snprintf(r[i].kaslr, sizeof(r[i].kaslr), "%s", i < 2 ? "-" : "");
	}
	r[0].console = console_ok;
	r[0].console_len = sizeof(console_ok) - 1;
	r[0].diff_against = "qemu-bios";
	r[0].is_reference = true;
	r[1].console = "mismatch\n";
	r[1].console_len = 9;
	r[1].diff_against = "qemu-bios";
	r[1].ndiff = 1;
	r[1].diff = diff;
}

/* Reading the document back (json-c: null is a NULL object). */
static struct json_object *get(const struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

static bool has(const struct json_object *o, const char *key)
{
	return json_object_object_get_ex(o, key, NULL);
}

/* o's member key, a string, or NULL. */
static const char *str(const struct json_object *o, const char *key)
{
	struct json_object *v = get(o, key);

	return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static struct json_object *item(const struct json_object *a, size_t i)
{
	assert_true(json_object_is_type(a, json_type_array) && i < json_object_array_length(a));
	return json_object_array_get_idx(a, i);
}

static size_t count(const struct json_object *a)
{
	assert_true(json_object_is_type(a, json_type_array));
	return json_object_array_length(a);
}

/* No member anywhere is null: KCIDB allows none. */
static void assert_no_null(struct json_object *v)
{
	assert_non_null(v);
	if (json_object_is_type(v, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(v); i++)
			assert_no_null(json_object_array_get_idx(v, i));
	} else if (json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, key, member) {
			if (!member)
				fail_msg("\"%s\" is null", key);
			assert_no_null(member);
		}
	}
}

static struct json_object *write_and_read(const struct matrix_run *run, const char *origin)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json_tokener *tok = json_tokener_new();

	assert_non_null(f);
	assert_non_null(tok);
	kcidb_write(f, run, origin);
	fclose(f);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	struct json_object *doc = json_tokener_parse_ex(tok, buf, (int)len);
	if (!doc || json_tokener_get_parse_end(tok) != len)
		fail_msg("not JSON: %s at %zu\n%s", json_tokener_error_desc(json_tokener_get_error(tok)),
			 json_tokener_get_parse_end(tok), buf);
	json_tokener_free(tok);
	free(buf);
	return doc;
}

static void test_document(void **state)
{
	struct kernel_id k[2] = { kid("/k/bzImage", "6.1.0-x (u@h) #1 SMP", '1'),
				     kid("/k/vmlinux", "6.1.0-x (u@h) #1 SMP", '2') };
	struct matrix_row rows[5];
	struct matrix_run run = { .kernels = k, .nkernels = 2, .rows = rows, .nrows = 5 };

	(void)state;
	fill_rows(rows, k);
	struct json_object *doc = write_and_read(&run, "my_ci");
	assert_no_null(doc);
	assert_true(json_object_is_type(get(get(doc, "version"), "major"), json_type_int));
	assert_int_equal(json_object_get_int(get(get(doc, "version"), "major")), 5);
	assert_int_equal(json_object_get_int(get(get(doc, "version"), "minor")), 3);
	/* one source, two images */
	assert_int_equal(count(get(doc, "checkouts")), 1);
	assert_int_equal(count(get(doc, "builds")), 2);
	const struct json_object *b = item(get(doc, "builds"), 1);
	assert_string_equal(str(b, "id"), "my_ci:2222222222222222222222222222222222222222222222222222222222222222");
	assert_string_equal(str(b, "checkout_id"), str(item(get(doc, "checkouts"), 0), "id"));
	const struct json_object *t = get(doc, "tests");
	assert_int_equal(count(t), 5);
	static const char *const status[] = { "PASS", "FAIL", "ERROR", "SKIP", "SKIP" };
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal(str(item(t, i), "status"), status[i]);
		assert_string_equal(str(item(t, i), "origin"), "my_ci");
		assert_int_equal(strncmp(str(item(t, i), "build_id"), "my_ci:", 6), 0);
	}
	assert_string_equal(str(item(t, 4), "path"), "boot.ovmf.microvm");
	assert_string_equal(str(item(t, 1), "comment"), "shim-64 on pc: mismatch: why \"not\"");
	assert_string_equal(str(item(t, 0), "start_time"), "2025-12-03T14:08:06.500000+00:00");
	struct json_object *duration = get(item(t, 0), "duration");
	assert_true(json_object_is_type(duration, json_type_double) ||
		    json_object_is_type(duration, json_type_int));
	assert_false(has(item(t, 3), "start_time"));	/* unknown: left out, not null */
	/* the excerpt: escapes decode back, NUL and CR gone, a stray byte as U+00FF */
	const char *ex = str(item(t, 0), "log_excerpt");
	assert_string_equal(ex, "boot \"quoted\" \\ back\n\x1b[0mESC \xc3\xbf stray NUL caf\xc3\xa9\n");
	assert_int_equal(strlen(ex), json_object_get_string_len(get(item(t, 0), "log_excerpt")));
	assert_false(has(item(t, 2), "log_excerpt"));	/* no console: none */
	const struct json_object *misc = get(item(t, 1), "misc");
	assert_string_equal(str(misc, "verdict"), "mismatch");
	assert_string_equal(json_object_get_string(item(get(misc, "zero_page_diff"), 0)),
			    "type_of_loader 0xb0->0xff");
	json_object_put(doc);
}

/* A kernel whose version is unknown still makes a valid document. */
static void test_document_no_version(void **state)
{
	struct kernel_id k[2] = { kid("x", "", '3'), kid("y", "", '4') };
	struct matrix_row rows[5];
	struct matrix_run run = { .kernels = k, .nkernels = 2, .rows = rows, .nrows = 5 };

	(void)state;
	fill_rows(rows, k);
	struct json_object *doc = write_and_read(&run, "zeropage");
	assert_no_null(doc);
	assert_int_equal(count(get(doc, "checkouts")), 2);	/* told apart by their hashes */
	assert_false(has(item(get(doc, "checkouts"), 0), "misc"));
	json_object_put(doc);
}

/* Whether python3 with jsonschema is here to run the schema validator. */
static bool have_validator(void)
{
	return system("python3 -c 'import jsonschema' 2>/dev/null") == 0 &&
	       access("tests/fixtures/kcidb-validate.py", R_OK) == 0;
}

/* Times no run gives (infinite, NaN, beyond year 9999) - report refuses
 * them in shards, but whatever reaches the writer, the document stays
 * valid: such a time is left out, never null (which the schema rejects),
 * never a date past 9999.  Checked by KCIDB's own schema when python3's
 * jsonschema is here (tests/fixtures/kcidb-validate.py). */
static void test_document_not_finite(void **state)
{
	struct kernel_id k[2] = { kid("/k/bzImage", "6.1.0-x (u@h) #1 SMP", '1'),
				     kid("/k/vmlinux", "6.1.0-x (u@h) #1 SMP", '2') };
	struct matrix_row rows[5];
	struct matrix_run run = { .kernels = k, .nkernels = 2, .rows = rows, .nrows = 5 };
	char path[] = "/tmp/zp-test-kcidb-XXXXXX", cmd[300];

	(void)state;
	fill_rows(rows, k);
	rows[0].duration = INFINITY;
	rows[0].t_first_byte = NAN;
	rows[0].build_s = INFINITY;
	rows[1].duration = NAN;
	rows[1].start_time = 1e300;
	rows[2].start_time = INFINITY;
	rows[2].duration = 1e308;	/* finite: kept, a number */
	struct json_object *doc = write_and_read(&run, "zeropage");
	assert_no_null(doc);
	const struct json_object *t = get(doc, "tests");
	assert_false(has(item(t, 0), "duration"));
	assert_false(has(get(get(item(t, 0), "misc"), "seconds"), "first_byte"));
	assert_false(has(get(get(item(t, 0), "misc"), "seconds"), "build"));
	assert_true(has(get(get(item(t, 0), "misc"), "seconds"), "banner"));
	assert_string_equal(str(item(t, 0), "start_time"), "2025-12-03T14:08:06.500000+00:00");
	assert_false(has(item(t, 1), "duration"));
	assert_false(has(item(t, 1), "start_time"));
	assert_false(has(item(t, 2), "start_time"));
	assert_true(has(item(t, 2), "duration"));
	json_object_put(doc);
	if (!have_validator()) {
		printf("(no python3 jsonschema: the schema itself not checked)\n");
		return;
	}
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	kcidb_write(f, &run, "zeropage");
	fclose(f);
	snprintf(cmd, sizeof(cmd), "python3 tests/fixtures/kcidb-validate.py "
		 "tests/fixtures/kcidb-io-v5.3.schema.json %s", path);
	int rc = system(cmd);
	unlink(path);
	assert_int_equal(rc, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_vectors),
		cmocka_unit_test(test_banner_version),
		cmocka_unit_test(test_kernel_id_of_images),
		cmocka_unit_test(test_status_mapping),
		cmocka_unit_test(test_origin),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_excerpt),
		cmocka_unit_test(test_document),
		cmocka_unit_test(test_document_no_version),
		cmocka_unit_test(test_document_not_finite),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
