/* SPDX-License-Identifier: MIT */
/* test_cpio: the newc writer, read back field by field with an independent
 * reader written here from the format description (buffer-format.rst). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/cpio.h"

struct entry {
	unsigned long ino, mode, uid, gid, nlink, mtime, filesize;
	unsigned long devmajor, devminor, rdevmajor, rdevminor, namesize, check;
	const char *name;
	const uint8_t *data;
	size_t header_at, data_at, next;
};

static unsigned long field(const uint8_t *p, int i)
{
	char tmp[9];
	memcpy(tmp, p + 6 + 8 * i, 8);
	tmp[8] = 0;
	for (int k = 0; k < 8; k++)
		assert_true(strchr("0123456789ABCDEFabcdef", tmp[k]) != NULL);
	return strtoul(tmp, NULL, 16);
}

/* Parses the entry at `at`; asserts the format's invariants on the way. */
static struct entry read_entry(const uint8_t *a, size_t len, size_t at)
{
	struct entry e;
	assert_true(at % 4 == 0);
	assert_true(at + 110 <= len);
	assert_memory_equal(a + at, "070701", 6);
	const uint8_t *h = a + at;
	e.ino = field(h, 0);
	e.mode = field(h, 1);
	e.uid = field(h, 2);
	e.gid = field(h, 3);
	e.nlink = field(h, 4);
	e.mtime = field(h, 5);
	e.filesize = field(h, 6);
	e.devmajor = field(h, 7);
	e.devminor = field(h, 8);
	e.rdevmajor = field(h, 9);
	e.rdevminor = field(h, 10);
	e.namesize = field(h, 11);
	e.check = field(h, 12);
	assert_int_equal(e.check, 0);	/* newc: no checksum */
	e.header_at = at;
	e.name = (const char *)a + at + 110;
	assert_true(at + 110 + e.namesize <= len);
	assert_int_equal(e.name[e.namesize - 1], 0);	/* namesize counts the NUL */
	assert_int_equal(strlen(e.name) + 1, e.namesize);
	size_t d = at + 110 + e.namesize;
	for (; d % 4; d++)
		assert_int_equal(a[d], 0);		/* padding is zeros */
	e.data_at = d;
	e.data = a + d;
	size_t n = d + e.filesize;
	assert_true(n <= len);
	for (; n % 4; n++)
		assert_int_equal(a[n], 0);
	e.next = n;
	return e;
}

static void test_layout(void **state)
{
	(void)state;
	struct cpio_archive c;
	cpio_init(&c);
	static const char payload[] = "hello, probe";	/* 12 bytes + NUL */
	assert_int_equal(cpio_dir(&c, "dev", 0755), 0);
	assert_int_equal(cpio_chardev(&c, "dev/console", 0600, 5, 1), 0);
	assert_int_equal(cpio_file(&c, "init", 0755, payload, sizeof(payload)), 0);
	/* names of every length mod 4 exercise each padding amount */
	assert_int_equal(cpio_file(&c, "a", 0644, "x", 1), 0);
	assert_int_equal(cpio_file(&c, "ab", 0644, "xy", 2), 0);
	assert_int_equal(cpio_file(&c, "abc", 0644, "xyz", 3), 0);
	assert_int_equal(cpio_file(&c, "empty", 0644, NULL, 0), 0);
	assert_int_equal(cpio_finish(&c, 0), 0);

	size_t at = 0;
	struct entry e = read_entry(c.data, c.len, at);
	assert_string_equal(e.name, "dev");
	assert_int_equal(e.mode, 040755);
	assert_int_equal(e.nlink, 2);
	assert_int_equal(e.filesize, 0);
	assert_int_equal(e.mtime, 0);
	assert_int_equal(e.uid, 0);

	e = read_entry(c.data, c.len, e.next);
	assert_string_equal(e.name, "dev/console");
	assert_int_equal(e.mode, 020600);
	assert_int_equal(e.rdevmajor, 5);
	assert_int_equal(e.rdevminor, 1);
	assert_int_equal(e.filesize, 0);

	e = read_entry(c.data, c.len, e.next);
	assert_string_equal(e.name, "init");
	assert_int_equal(e.mode, 0100755);
	assert_int_equal(e.filesize, sizeof(payload));
	assert_memory_equal(e.data, payload, sizeof(payload));
	unsigned long init_ino = e.ino;

	const char *names[] = { "a", "ab", "abc", "empty" };
	const char *datas[] = { "x", "xy", "xyz", "" };
	unsigned long inos[4];
	for (int i = 0; i < 4; i++) {
		e = read_entry(c.data, c.len, e.next);
		assert_string_equal(e.name, names[i]);
		assert_int_equal(e.filesize, strlen(datas[i]));
		assert_memory_equal(e.data, datas[i], strlen(datas[i]));
		inos[i] = e.ino;
	}
	/* inode numbers are distinct, so no entry becomes a hard link */
	assert_int_not_equal(inos[0], init_ino);
	for (int i = 1; i < 4; i++)
		assert_int_not_equal(inos[i], inos[i - 1]);

	e = read_entry(c.data, c.len, e.next);
	assert_string_equal(e.name, CPIO_TRAILER);
	assert_int_equal(e.filesize, 0);
	assert_int_equal(e.next, c.len);	/* nothing after the trailer */
	cpio_free(&c);
}

static void test_finish_aligns(void **state)
{
	(void)state;
	struct cpio_archive c;
	cpio_init(&c);
	assert_int_equal(cpio_file(&c, "init", 0755, "abcde", 5), 0);
	assert_int_equal(cpio_finish(&c, 4096), 0);
	assert_int_equal(c.len % 4096, 0);
	struct entry e = read_entry(c.data, c.len, 0);
	e = read_entry(c.data, c.len, e.next);
	assert_string_equal(e.name, CPIO_TRAILER);
	for (size_t i = e.next; i < c.len; i++)
		assert_int_equal(c.data[i], 0);
	/* after the trailer the archive is closed */
	assert_int_equal(cpio_file(&c, "late", 0644, "x", 1), -1);
	assert_non_null(strstr(c.err.msg, "trailer"));
	assert_int_equal(cpio_finish(&c, 0), -1);
	cpio_free(&c);
}

static void test_rejects(void **state)
{
	(void)state;
	struct cpio_archive c;
	cpio_init(&c);
	assert_int_equal(cpio_file(&c, "", 0644, "x", 1), -1);
	assert_non_null(strstr(c.err.msg, "empty"));
	assert_int_equal(cpio_file(&c, CPIO_TRAILER, 0644, NULL, 0), -1);
	assert_non_null(strstr(c.err.msg, "reserved"));
	assert_int_equal(cpio_add(&c, "dir", CPIO_S_IFDIR | 0755, 0, 0, "x", 1), -1);
	assert_non_null(strstr(c.err.msg, "only files"));
	assert_int_equal(cpio_add(&c, "fifo", 0010644, 0, 0, NULL, 0), -1);
	assert_non_null(strstr(c.err.msg, "unsupported"));
	assert_int_equal(cpio_file(&c, "nodata", 0644, NULL, 3), -1);
	char *longname = malloc(CPIO_NAME_MAX + 1);
	assert_non_null(longname);
	memset(longname, 'n', CPIO_NAME_MAX);
	longname[CPIO_NAME_MAX] = 0;
	assert_int_equal(cpio_file(&c, longname, 0644, NULL, 0), -1);
	assert_non_null(strstr(c.err.msg, "exceeds"));
	free(longname);
	/* nothing was written by the failed calls */
	assert_int_equal(c.len, 0);
	cpio_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_finish_aligns),
		cmocka_unit_test(test_rejects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
