/* SPDX-License-Identifier: MIT */
/*
 * fuzz_kernel_package: kernel_package_find over arbitrary bytes (libarchive
 * reading a .deb's ar and its data.tar, or an RPM's headers and cpio, from
 * memory), with no version wanted and with one.  The promises checked: an
 * answer is 0 with a kernel whose version and member are NUL-terminated
 * strings in their buffers, the version one a kernel path may carry, and the
 * bytes readable and within the cap; or -1 with a message and no data.
 * With the kernel's files wanted (--dom0's Xen modules): each of the
 * kernel's version, a plain path under the prefix, within the caps.
 */
#include <string.h>

#include "image/kernel_package.h"
#include "fuzz.h"

static void one(const uint8_t *data, size_t size, const char *want)
{
	struct kernel_package_kernel k;
	struct tool_err err = { "" };
	char v[KERNEL_PACKAGE_VERSION_MAX];

	if (kernel_package_find(data, size, want, &k, &err) == 0) {
		FUZZ_CHECK(memchr(k.version, 0, sizeof(k.version)) != NULL);
		FUZZ_CHECK(memchr(k.member, 0, sizeof(k.member)) != NULL);
		FUZZ_CHECK(kernel_package_member_version(k.member, v, sizeof(v)));
		FUZZ_CHECK(!strcmp(v, k.version));
		FUZZ_CHECK(!want || !strcmp(want, k.version));
		FUZZ_CHECK(k.len <= KERNEL_PACKAGE_MAX_KERNEL);
		fuzz_touch(k.data, k.len);
		kernel_package_kernel_free(&k);
	} else {
		FUZZ_CHECK(err.msg[0] != 0);
		FUZZ_CHECK(memchr(err.msg, 0, sizeof(err.msg)) != NULL);
	}
}

/* A path of plain names only: no "", "." or ".." component. */
static bool plain(const char *rel)
{
	if (!*rel || *rel == '/' || strstr(rel, "//") || rel[strlen(rel) - 1] == '/')
		return false;
	for (const char *c = rel; c; c = strchr(c, '/') ? strchr(c, '/') + 1 : NULL)
		if ((c[0] == '.' && (c[1] == '/' || !c[1])) ||
		    (c[0] == '.' && c[1] == '.' && (c[2] == '/' || !c[2])))
			return false;
	return true;
}

static void with_files(const uint8_t *data, size_t size)
{
	static struct kernel_package_files fs = { .prefix = "kernel/drivers/xen/" };
	struct kernel_package_kernel k;
	struct tool_err err = { "" };
	size_t total = 0;

	if (kernel_package_find_with_files(data, size, NULL, &k, &fs, &err)) {
		FUZZ_CHECK(fs.n == 0 && err.msg[0] != 0);
		return;
	}
	FUZZ_CHECK(fs.n <= KERNEL_PACKAGE_MAX_FILES);
	for (unsigned i = 0; i < fs.n; i++) {
		const struct kernel_package_file *f = &fs.f[i];
		FUZZ_CHECK(!strcmp(f->version, k.version));
		FUZZ_CHECK(memchr(f->rel, 0, sizeof(f->rel)) != NULL);
		FUZZ_CHECK(!strncmp(f->rel, fs.prefix, strlen(fs.prefix)) && plain(f->rel));
		FUZZ_CHECK(f->len <= KERNEL_PACKAGE_MAX_FILE);
		fuzz_touch(f->data, f->len);
		total += f->len;
	}
	FUZZ_CHECK(total <= KERNEL_PACKAGE_MAX_FILES_TOTAL);
	kernel_package_files_free(&fs);
	kernel_package_kernel_free(&k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, NULL);
	one(data, size, "1.0");
	with_files(data, size);
	return 0;
}
