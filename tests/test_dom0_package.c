/* SPDX-License-Identifier: MIT */
/* test_dom0_package: --dom0 given a package (kernel_arg_open_dom0): the
 * package's kernel and its lib/modules/VERSION/kernel/drivers/xen/ files
 * written in a run directory of ours as vmlinuz-VERSION and
 * modules-VERSION/..., where the xen-domu machine looks for them
 * (xen_domu_modules_dir), and the dom0 initramfs built from that carrying
 * the package's module bytes; a member path that would leave the directory
 * is not taken; the directory goes with kernel_arg_close.  No boot. */
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
#include <sys/stat.h>
#include <unistd.h>

#include "cli/kernel_arg.h"
#include "common/fileio.h"
#include "image/dom0_initramfs.h"
#include "machine/xen_domu.h"

#define VER "6.1.0-57-amd64"
#define XEN "./lib/modules/" VER "/kernel/drivers/xen/"

struct member {
	const char *path, *data;
};

static const struct member generic[] = {
	{ "./boot/config-" VER, "CONFIG_XEN_DOM0=y\n" },
	{ "./boot/vmlinuz-" VER, "DOM0-KERNEL" },
	{ XEN "xen-evtchn.ko", "evtchn module" },
	{ XEN "xen-privcmd.ko", "privcmd module" },
	{ XEN "xenfs/xenfs.ko", "xenfs module" },
	{ "./lib/modules/" VER "/kernel/fs/ext4/ext4.ko", "not a Xen module" },
	{ "./lib/modules/9.9/kernel/drivers/xen/xen-evtchn.ko", "another kernel's" },
	{ XEN "../../../../../../../escape.ko", "outside" },
};

/* A .deb of the members (ar: debian-binary, data.tar) at path. */
static void write_deb(const char *path, const struct member *m, size_t n)
{
	size_t cap = 1 << 20, used = 0;
	uint8_t *tar = malloc(cap);
	struct archive *a = archive_write_new();
	archive_write_set_format_pax_restricted(a);
	archive_write_set_bytes_in_last_block(a, 1);
	assert_int_equal(archive_write_open_memory(a, tar, cap, &used), ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, m[i].path);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)strlen(m[i].data));
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		archive_write_data(a, m[i].data, strlen(m[i].data));
		archive_entry_free(e);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fprintf(f, "!<arch>\n%-16s%-12s%-6s%-6s%-8s%-10s`\n2.0\n", "debian-binary", "0", "0", "0",
		"100644", "4");
	fprintf(f, "%-16s%-12s%-6s%-6s%-8s%-10zu`\n", "data.tar", "0", "0", "0", "100644", used);
	fwrite(tar, 1, used, f);
	if (used & 1)
		fputc('\n', f);
	fclose(f);
	free(tar);
}

static void assert_file(const char *dir, const char *rel, const char *want)
{
	char path[1024];
	uint8_t *data;
	size_t len;
	struct tool_err err;
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (fileio_read_all(path, &data, &len, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(data, want, len);
	free(data);
}

/* The archive's member name's bytes, or NULL. */
static char *cpio_member(const char *cpio, const char *name, size_t *len)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	char *got = NULL;
	archive_read_support_format_cpio(a);
	assert_int_equal(archive_read_open_filename(a, cpio, 65536), ARCHIVE_OK);
	while (!got && archive_read_next_header(a, &e) == ARCHIVE_OK) {
		if (strcmp(archive_entry_pathname(e), name))
			continue;
		*len = (size_t)archive_entry_size(e);
		got = malloc(*len + 1);
		assert_int_equal(archive_read_data(a, got, *len), (la_ssize_t)*len);
	}
	archive_read_free(a);
	return got;
}

static void test_dom0_from_package(void **state)
{
	(void)state;
	char tmp[] = "/tmp/zp-dom0-test.XXXXXX", deb[64], modules[512], cpio[600];
	struct kernel_arg k;
	struct tool_err err;
	struct stat st;
	assert_non_null(mkdtemp(tmp));
	snprintf(deb, sizeof(deb), "%s/linux-image.deb", tmp);
	write_deb(deb, generic, sizeof(generic) / sizeof(generic[0]));

	if (kernel_arg_open_dom0(&k, deb, true, &err))
		fail_msg("%s", err.msg);
	assert_true(k.from_package);
	assert_string_equal(k.version, VER);
	assert_int_equal(k.nfiles, 3);	/* the kernel's own three, nothing else */
	assert_string_equal(strrchr(k.path, '/'), "/vmlinuz-" VER);
	assert_file(k.dir, "vmlinuz-" VER, "DOM0-KERNEL");
	assert_file(k.dir, "modules-" VER "/kernel/drivers/xen/xenfs/xenfs.ko", "xenfs module");
	assert_int_equal(stat("/tmp/escape.ko", &st), -1);
	xen_domu_modules_dir(k.path, modules, sizeof(modules));
	char want[600];
	snprintf(want, sizeof(want), "%s/modules-" VER, k.dir);
	assert_string_equal(modules, want);

	/* the dom0 initramfs from it (needs busybox-static and xen-utils, as
	 * the xen-domu machine does): the package's module bytes in it */
	snprintf(cpio, sizeof(cpio), "%s/dom0.cpio", tmp);
	struct dom0_initramfs_spec s = { .modules_dir = modules };
	if (dom0_initramfs_write(cpio, &s, &err) == 0) {
		size_t len = 0;
		char *ko = cpio_member(cpio, "lib/modules/xenfs.ko", &len);
		assert_non_null(ko);
		assert_int_equal(len, strlen("xenfs module"));
		assert_memory_equal(ko, "xenfs module", len);
		free(ko);
		unlink(cpio);
	} else {
		print_message("dom0 initramfs not built here: %s\n", err.msg);
	}
	char dir[sizeof(k.dir)];
	snprintf(dir, sizeof(dir), "%s", k.dir);
	kernel_arg_close(&k);
	assert_int_equal(stat(dir, &st), -1);	/* the run directory is gone */
	unlink(deb);
	rmdir(tmp);
}

/* --dom0 of a plain file: taken as it is, nothing written; none: closed. */
static void test_dom0_plain_and_none(void **state)
{
	(void)state;
	struct kernel_arg k;
	struct tool_err err;
	assert_int_equal(kernel_arg_open_dom0(&k, "/etc/hostname", true, &err), 0);
	assert_false(k.from_package);
	assert_string_equal(k.path, "/etc/hostname");
	kernel_arg_close(&k);
	assert_int_equal(kernel_arg_open_dom0(&k, NULL, true, &err), 0);
	assert_null(k.path);
	kernel_arg_close(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dom0_from_package),
		cmocka_unit_test(test_dom0_plain_and_none),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
