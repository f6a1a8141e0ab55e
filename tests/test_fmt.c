/* SPDX-License-Identifier: MIT */
/* test_fmt: zp_format against the C library's snprintf, which is the
 * specification it follows for the conversions it supports. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <zeropage/zeropage.h>

#define SAME_AS_SNPRINTF(...)                                                  \
	do {                                                                   \
		char ours[128], libc[128];                                     \
		size_t n = zp_format(ours, sizeof(ours), __VA_ARGS__);         \
		int m = snprintf(libc, sizeof(libc), __VA_ARGS__);             \
		assert_string_equal(ours, libc);                               \
		assert_int_equal(n, (size_t)m);                                \
	} while (0)

static void test_conversions(void **state)
{
	(void)state;
	SAME_AS_SNPRINTF("plain text");
	SAME_AS_SNPRINTF("%s|%5s|%-5s|", "abc", "ab", "ab");
	SAME_AS_SNPRINTF("%c%c", 'z', '!');
	SAME_AS_SNPRINTF("%d %d %d %i", 0, -1, 2147483647, -2147483647 - 1);
	SAME_AS_SNPRINTF("%u %x %X", 4294967295u, 0xdeadbeefu, 0xdeadbeefu);
	SAME_AS_SNPRINTF("%08x|%8x|%-8x|", 0x1234u, 0x1234u, 0x1234u);
	SAME_AS_SNPRINTF("%05d|%5d|%-5d|", -42, -42, -42);
	SAME_AS_SNPRINTF("%llu %llx %lld", 18446744073709551615ull, 0xffffffffffffffffull,
			 -9223372036854775807ll - 1);
	SAME_AS_SNPRINTF("%lu %lx %ld", 123456789ul, 0xabcul, -5l);
	SAME_AS_SNPRINTF("%zu %zx", (size_t)4096, (size_t)4096);
	SAME_AS_SNPRINTF("100%%");
	SAME_AS_SNPRINTF("0x%016llx", 0x1000000ull);
}

static void test_truncation(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'X', sizeof(buf));
	assert_int_equal(zp_format(buf, sizeof(buf), "0123456789%d", 42), 12);
	assert_string_equal(buf, "0123456");	/* cut, and still a string */
	assert_int_equal(zp_format(buf, 1, "abc"), 3);
	assert_string_equal(buf, "");
	assert_int_equal(zp_format(NULL, 0, "abc%u", 12u), 5);	/* measure only */
}

static void test_null_string(void **state)
{
	char buf[16];
	const char *volatile none = NULL;	/* hidden from the format checker */

	(void)state;
	zp_format(buf, sizeof(buf), "[%s]", none);
	assert_string_equal(buf, "[(null)]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conversions),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_null_string),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
