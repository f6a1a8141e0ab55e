/* SPDX-License-Identifier: MIT */
/* test_kernel_package: the kernel found in .deb and .rpm packages built
 * here in memory - the .deb's ar and the RPM's lead and headers written
 * by hand from the formats (deb(5), the RPM file format), the payloads
 * (tar, cpio) by libarchive's writer - in every layout, with several
 * kernels, none, a damaged and a cut package, and headers that declare
 * sizes libarchive would allocate before reading (cpio names, ar name
 * tables): refused first. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/cpio_guard.h"
#include "image/kernel_package.h"

struct member {
	const char *path;
	const char *data;	/* NULL: a symbolic link to "vmlinuz" */
};

struct buf {
	uint8_t *p;
	size_t len, cap;
};

static void put(struct buf *b, const void *d, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->len, d, n);
	b->len += n;
}

/* A tar (deb) or newc cpio (rpm) of the members, gzip'ed or not. */
static struct buf payload(const struct member *m, size_t n, bool cpio, bool gzip)
{
	struct buf b = { malloc(1 << 20), 0, 1 << 20 };
	struct archive *a = archive_write_new();
	cpio ? archive_write_set_format_cpio_newc(a) : archive_write_set_format_ustar(a);
	if (gzip)
		archive_write_add_filter_gzip(a);
	archive_write_set_bytes_in_last_block(a, 1);
	assert_int_equal(archive_write_open_memory(a, b.p, b.cap, &b.len), ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, m[i].path);
		if (m[i].data) {
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_size(e, (la_int64_t)strlen(m[i].data));
		} else {
			archive_entry_set_filetype(e, AE_IFLNK);
			archive_entry_set_symlink(e, "vmlinuz");
		}
		archive_entry_set_perm(e, 0644);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		if (m[i].data)
			archive_write_data(a, m[i].data, strlen(m[i].data));
		archive_entry_free(e);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	return b;
}

/* One ar member: a 60-byte header (name, mtime, uid, gid, mode, size, "`\n")
 * and the data padded to an even length. */
static void ar_member(struct buf *b, const char *name, const void *d, size_t n)
{
	char h[61];
	snprintf(h, sizeof(h), "%-16s%-12s%-6s%-6s%-8s%-10zu`\n", name, "0", "0", "0", "100644", n);
	put(b, h, 60);
	put(b, d, n);
	if (n & 1)
		put(b, "\n", 1);
}

static struct buf deb(const char *first, const struct member *m, size_t n, bool gzip)
{
	struct buf b = { 0 };
	struct buf data = payload(m, n, false, gzip);
	struct buf control = payload((struct member[]){ { "./control", "Package: x\n" } }, 1,
				     false, true);
	put(&b, "!<arch>\n", 8);
	ar_member(&b, first, "2.0\n", 4);
	ar_member(&b, "control.tar.gz", control.p, control.len);
	ar_member(&b, gzip ? "data.tar.gz" : "data.tar", data.p, data.len);
	free(data.p);
	free(control.p);
	return b;
}

static void be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

/* An RPM: the 96-byte lead (magic, version 3.0, binary), a signature and a
 * main header with no entries (magic 8e ad e8, version 1, counts 0), then
 * the gzip'ed cpio payload. */
static struct buf rpm_payload(const struct member *m, size_t n, bool gzip,
			      void (*damage)(struct buf *cpio))
{
	struct buf b = { 0 };
	uint8_t lead[96] = { 0xed, 0xab, 0xee, 0xdb, 3, 0 };
	uint8_t hdr[16] = { 0x8e, 0xad, 0xe8, 0x01 };
	memcpy(lead + 10, "zptest-1-1", 10);
	lead[79] = 5;	/* signature type: header-style */
	put(&b, lead, sizeof(lead));
	be32(hdr + 8, 0);
	be32(hdr + 12, 0);
	put(&b, hdr, sizeof(hdr));	/* signature, 8-aligned already */
	put(&b, hdr, sizeof(hdr));	/* header */
	struct buf p = payload(m, n, true, gzip);
	if (damage)
		damage(&p);
	put(&b, p.p, p.len);
	free(p.p);
	return b;
}

static struct buf rpm(const struct member *m, size_t n)
{
	return rpm_payload(m, n, true, NULL);
}

static const struct member bookworm[] = {
	{ "./usr/share/doc/linux/copyright", "text" },
	{ "./boot/config-6.1.0-57-amd64", "CONFIG_X86=y\n" },
	{ "./boot/vmlinuz-6.1.0-57-amd64", "KERNEL-A" },
	{ "./lib/modules/6.1.0-57-amd64/kernel/drivers/xen/xenfs.ko", "module" },
};

static void find_ok(struct buf b, const char *want, const char *version, const char *member,
		    const char *data)
{
	struct kernel_package_kernel k;
	struct tool_err err = { "" };
	int r = kernel_package_find(b.p, b.len, want, &k, &err);
	if (r)
		fail_msg("%s", err.msg);
	assert_string_equal(k.version, version);
	assert_string_equal(k.member, member);
	assert_int_equal(k.len, strlen(data));
	assert_memory_equal(k.data, data, k.len);
	kernel_package_kernel_free(&k);
	free(b.p);
}

/* Refused, with words that say why (each of needles in the message). */
static void find_fails(const uint8_t *p, size_t len, const char *want, const char *needle,
		       const char *needle2)
{
	struct kernel_package_kernel k;
	struct tool_err err = { "" };
	assert_int_equal(kernel_package_find(p, len, want, &k, &err), -1);
	assert_null(k.data);
	if (needle && !strstr(err.msg, needle))
		fail_msg("'%s' not in '%s'", needle, err.msg);
	if (needle2 && !strstr(err.msg, needle2))
		fail_msg("'%s' not in '%s'", needle2, err.msg);
}

static void test_member_version(void **state)
{
	(void)state;
	char v[KERNEL_PACKAGE_VERSION_MAX];
	assert_true(kernel_package_member_version("./boot/vmlinuz-6.1.0-57-cloud-amd64", v, sizeof(v)));
	assert_string_equal(v, "6.1.0-57-cloud-amd64");
	assert_true(kernel_package_member_version("/lib/modules/6.8.0+x/vmlinuz", v, sizeof(v)));
	assert_string_equal(v, "6.8.0+x");
	assert_true(kernel_package_member_version("usr/lib/modules/6.16.3~rc1/vmlinuz", v, sizeof(v)));
	assert_string_equal(v, "6.16.3~rc1");
	assert_false(kernel_package_member_version("./boot/vmlinuz-", v, sizeof(v)));
	assert_false(kernel_package_member_version("./boot/vmlinuz-a/b", v, sizeof(v)));
	assert_false(kernel_package_member_version("./boot/vmlinuz-..", v, sizeof(v)));
	assert_false(kernel_package_member_version("./boot/config-6.1", v, sizeof(v)));
	assert_false(kernel_package_member_version("lib/modules/6.1/kernel/vmlinuz", v, sizeof(v)));
	assert_false(kernel_package_member_version("lib/modules//vmlinuz", v, sizeof(v)));
	assert_false(kernel_package_member_version("boot/vmlinuz-6.1 x", v, sizeof(v)));
	assert_false(kernel_package_member_version("boot/vmlinuz-6.1", v, 3));	/* does not fit */
}

static void test_identify(void **state)
{
	(void)state;
	assert_int_equal(kernel_package_identify((const uint8_t *)"!<arch>\nxx", 10), KERNEL_PACKAGE_DEB);
	assert_int_equal(kernel_package_identify((const uint8_t *)"\xed\xab\xee\xdb\3", 5), KERNEL_PACKAGE_RPM);
	assert_int_equal(kernel_package_identify((const uint8_t *)"MZ\0\0", 4), KERNEL_PACKAGE_NONE);
	assert_int_equal(kernel_package_identify((const uint8_t *)"!<arch", 6), KERNEL_PACKAGE_NONE);
}

static void test_deb_layouts(void **state)
{
	(void)state;
	find_ok(deb("debian-binary", bookworm, 4, true), NULL, "6.1.0-57-amd64",
		"boot/vmlinuz-6.1.0-57-amd64", "KERNEL-A");
	find_ok(deb("debian-binary", bookworm, 4, false), NULL, "6.1.0-57-amd64",
		"boot/vmlinuz-6.1.0-57-amd64", "KERNEL-A");
	const struct member trixie[] = {
		{ "./usr/lib/modules/6.16.3-amd64/modules.order", "" },
		{ "./usr/lib/modules/6.16.3-amd64/vmlinuz", "KERNEL-T" },
	};
	find_ok(deb("debian-binary", trixie, 2, true), NULL, "6.16.3-amd64",
		"usr/lib/modules/6.16.3-amd64/vmlinuz", "KERNEL-T");
	/* the same release in /boot and under modules/: one kernel, the first */
	const struct member both[] = {
		{ "./lib/modules/6.9.0/vmlinuz", "KERNEL-M" },
		{ "./boot/vmlinuz-6.9.0", "KERNEL-B" },
	};
	find_ok(deb("debian-binary", both, 2, true), NULL, "6.9.0", "lib/modules/6.9.0/vmlinuz",
		"KERNEL-M");
	/* a symbolic link is no kernel of its own */
	const struct member link[] = {
		{ "./boot/vmlinuz-7.0.0", NULL },
		{ "./usr/lib/modules/7.0.0/vmlinuz", "KERNEL-L" },
	};
	find_ok(deb("debian-binary", link, 2, true), NULL, "7.0.0",
		"usr/lib/modules/7.0.0/vmlinuz", "KERNEL-L");
}

static void test_several_kernels(void **state)
{
	(void)state;
	const struct member two[] = {
		{ "./boot/vmlinuz-6.1.0-1-amd64", "KERNEL-1" },
		{ "./boot/vmlinuz-6.1.0-2-amd64", "KERNEL-2" },
	};
	struct buf b = deb("debian-binary", two, 2, true);
	find_fails(b.p, b.len, NULL, "2 kernels", "6.1.0-1-amd64 (boot/vmlinuz-6.1.0-1-amd64)");
	find_fails(b.p, b.len, NULL, "--kernel-version", "6.1.0-2-amd64 (boot/vmlinuz-6.1.0-2-amd64)");
	find_fails(b.p, b.len, "6.1.0-3-amd64", "no kernel 6.1.0-3-amd64", "6.1.0-2-amd64");
	find_ok(b, "6.1.0-2-amd64", "6.1.0-2-amd64", "boot/vmlinuz-6.1.0-2-amd64", "KERNEL-2");
}

static void test_no_kernel(void **state)
{
	(void)state;
	const struct member none[] = {
		{ "./usr/share/doc/linux/copyright", "text" },
		{ "./boot/System.map-6.1.0", "map" },
	};
	struct buf b = deb("debian-binary", none, 2, true);
	find_fails(b.p, b.len, NULL, "no kernel in the package", "boot/vmlinuz-*");
	free(b.p);
	b = deb("control-first", bookworm, 4, true);
	find_fails(b.p, b.len, NULL, "not debian-binary", NULL);
	free(b.p);
	find_fails((const uint8_t *)"MZ", 2, NULL, "not a .deb or .rpm", NULL);
}

static void test_rpm(void **state)
{
	(void)state;
	const struct member spec[] = {
		{ "./lib/modules/6.12.0-zp/modules.builtin", "x" },
		{ "./lib/modules/6.12.0-zp/vmlinuz", "KERNEL-R" },
		{ "./lib/modules/6.12.0-zp/System.map", "map" },
	};
	find_ok(rpm(spec, 3), NULL, "6.12.0-zp", "lib/modules/6.12.0-zp/vmlinuz", "KERNEL-R");
}

/* Every cut of a package is refused - a truncation is never a smaller
 * package - and never read past its end (ASan, in check-san). */
static void cut_everywhere(struct buf b)
{
	for (size_t len = 0; len + 1 < b.len; len += 1 + len / 64) {
		uint8_t *copy = malloc(len ? len : 1);	/* exactly len: ASan sees overreads */
		memcpy(copy, b.p, len);
		struct kernel_package_kernel k;
		struct tool_err err;
		if (kernel_package_find(copy, len, NULL, &k, &err) != -1)
			fail_msg("a cut at %zu of %zu bytes was taken", len, b.len);
		free(copy);
	}
	free(b.p);
}

static void test_truncated(void **state)
{
	(void)state;
	cut_everywhere(deb("debian-binary", bookworm, 4, true));
	cut_everywhere(rpm(bookworm, 4));
}

/* The payload's bytes damaged: refused with libarchive's reason, as a
 * corrupt or truncated package. */
static void test_corrupt(void **state)
{
	(void)state;
	struct buf b = deb("debian-binary", bookworm, 4, true);
	uint8_t *data = memmem(b.p, b.len, "data.tar.gz", 11);
	assert_non_null(data);
	memset(data + 60 + 10, 0x5a, 64);	/* past the gzip header, into the stream */
	find_fails(b.p, b.len, NULL, "data.tar", NULL);
	free(b.p);
}

/* A tar entry claiming a kernel over the cap is refused before a byte of
 * it is stored. */
static void test_oversized(void **state)
{
	(void)state;
	struct buf b = deb("debian-binary", bookworm, 4, false);
	uint8_t *data = memmem(b.p, b.len, "data.tar  ", 10);
	assert_non_null(data);
	uint8_t *tar = data + 60;
	uint8_t *h = memmem(tar, b.len - (size_t)(tar - b.p), "./boot/vmlinuz-", 15);
	assert_non_null(h);
	snprintf((char *)h + 124, 12, "%011o", 07777777777u);	/* 1 GiB: past the cap */
	memset(h + 148, ' ', 8);
	unsigned sum = 0;
	for (int i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	find_fails(b.p, b.len, NULL, "a kernel may have", NULL);
	free(b.p);
}

/* The n-th newc header (from 0) of an uncompressed cpio. */
static uint8_t *newc_header(struct buf *cpio, unsigned n)
{
	uint8_t *h = cpio->p;
	for (unsigned i = 0; i < n; i++) {
		unsigned long name, size;
		assert_int_equal(sscanf((char *)h + 94, "%8lx", &name), 1);
		assert_int_equal(sscanf((char *)h + 54, "%8lx", &size), 1);
		h += (110 + name + 3) / 4 * 4;
		h += (size + 3) / 4 * 4;
		assert_true(h + 110 <= cpio->p + cpio->len);
	}
	assert_memory_equal(h, "070701", 6);
	return h;
}

static void name_size_huge(struct buf *cpio)
{
	memcpy(newc_header(cpio, 1) + 94, "AAAAAAAA", 8);	/* 2.7 GiB */
}

static void name_size_4097(struct buf *cpio)
{
	memcpy(newc_header(cpio, 0) + 94, "00001001", 8);
}

static void second_magic_gone(struct buf *cpio)
{
	memcpy(newc_header(cpio, 1), "07X701", 6);
}

/* An RPM whose cpio declares a member name of 0xAAAAAAAA bytes (found by
 * fuzz_kernel_package: libarchive would malloc that before reading it)
 * is refused naming the member, as are one a byte over the bound and a
 * header libarchive would search past; an honest one, gzip'ed or not, is
 * read. */
static void test_rpm_cpio_bounds(void **state)
{
	(void)state;
	struct buf b = rpm_payload(bookworm, 4, false, name_size_huge);
	find_fails(b.p, b.len, NULL, "RPM payload: member 2: cpio name size 0xAAAAAAAA exceeds 4096",
		   NULL);
	free(b.p);
	b = rpm_payload(bookworm, 4, true, NULL);
	find_ok(b, NULL, "6.1.0-57-amd64", "boot/vmlinuz-6.1.0-57-amd64", "KERNEL-A");
	b = rpm_payload(bookworm, 4, false, NULL);
	find_ok(b, NULL, "6.1.0-57-amd64", "boot/vmlinuz-6.1.0-57-amd64", "KERNEL-A");
	b = rpm_payload(bookworm, 4, false, name_size_4097);
	find_fails(b.p, b.len, NULL, "member 1: cpio name size 0x00001001 exceeds 4096", NULL);
	free(b.p);
	b = rpm_payload(bookworm, 4, false, second_magic_gone);
	find_fails(b.p, b.len, NULL, "member 2: no newc cpio header at payload offset", NULL);
	free(b.p);
}

/* The guard gives the same answer however the stream is cut into chunks:
 * byte by byte, an honest cpio passes (to its trailer), a hostile one is
 * refused at its header's last byte. */
static void test_cpio_guard_chunks(void **state)
{
	(void)state;
	struct buf good = payload(bookworm, 4, true, false);
	struct buf bad = payload(bookworm, 4, true, false);
	struct cpio_guard g;
	struct tool_err err;
	name_size_huge(&bad);
	size_t bad_at = (size_t)(newc_header(&bad, 1) - bad.p) + 110 - 1;

	cpio_guard_init(&g);
	for (size_t i = 0; i < good.len; i++)
		assert_int_equal(cpio_guard_check(&g, good.p + i, 1, &err), 0);
	assert_true(g.ended);
	assert_int_equal(g.member, 5);	/* four and the trailer */
	cpio_guard_init(&g);
	for (size_t i = 0; i < bad_at; i++)
		assert_int_equal(cpio_guard_check(&g, bad.p + i, 1, &err), 0);
	assert_int_equal(cpio_guard_check(&g, bad.p + bad_at, 1, &err), -1);
	assert_non_null(strstr(err.msg, "0xAAAAAAAA"));
	assert_int_equal(cpio_guard_check(&g, bad.p + bad_at + 1, 1, &err), -1);	/* stays refused */
	free(good.p);
	free(bad.p);
}

/* A .deb with a GNU ar name table ("//") declaring 999999999 bytes in a
 * small package: libarchive would malloc it first; refused. */
static void test_deb_ar_name_table(void **state)
{
	(void)state;
	struct buf b = { 0 };
	char h[61];
	put(&b, "!<arch>\n", 8);
	ar_member(&b, "debian-binary", "2.0\n", 4);
	snprintf(h, sizeof(h), "%-16s%-12s%-6s%-6s%-8s%-10u`\n", "//", "0", "0", "0", "100644",
		 999999999u);
	put(&b, h, 60);
	put(&b, "data.tar.gz/\n", 14);
	find_fails(b.p, b.len, NULL, "member 2, an ar name table (//) of 999999999 bytes, has 14 left",
		   NULL);
	free(b.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_member_version),
		cmocka_unit_test(test_identify),
		cmocka_unit_test(test_deb_layouts),
		cmocka_unit_test(test_several_kernels),
		cmocka_unit_test(test_no_kernel),
		cmocka_unit_test(test_rpm),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_oversized),
		cmocka_unit_test(test_rpm_cpio_bounds),
		cmocka_unit_test(test_cpio_guard_chunks),
		cmocka_unit_test(test_deb_ar_name_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
