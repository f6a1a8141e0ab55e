/* SPDX-License-Identifier: MIT */
/*
 * fuzz_kernel_package: kernel_package_find over arbitrary bytes (libarchive
 * reading a .deb's ar and its data.tar, or an RPM's headers and cpio, from
 * memory), with no version wanted and with one.  The promises checked: an
 * answer is 0 with a kernel whose version and member are NUL-terminated
 * strings in their buffers, the version one a kernel path may carry, and the
 * bytes readable and within the cap; or -1 with a message and no data.
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, NULL);
	one(data, size, "1.0");
	return 0;
}
