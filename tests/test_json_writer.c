/* SPDX-License-Identifier: MIT */
/*
 * The JSON writer (tools/common/json.c): escaping of every byte a guest or
 * an image may choose, and the document's structure.  (Apart from
 * test_info.c, which parses info's output with json-c: json-c's json_bool
 * type and our writer's json_bool() cannot share a translation unit.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/json.h"

static char *json_of(void (*build)(struct json *))
{
	static char *buf;
	size_t len;
	FILE *f;
	struct json j;

	free(buf);
	f = open_memstream(&buf, &len);
	json_init(&j, f);
	build(&j);
	fclose(f);
	return buf;
}

static void build_escapes(struct json *j)
{
	json_object_begin(j, NULL);
	json_string(j, "q", "say \"hi\"\\");
	json_string(j, "ctl", "a\nb\tc\x01\x1f\x7f");
	json_string(j, "utf8", "caf\xc3\xa9 \xe2\x82\xac");
	json_string(j, "bad", "\xff\xc0\x80\xed\xa0\x80");	/* stray, overlong, surrogate */
	json_string_n(j, "nul", "a\0b", 3);
	json_object_end(j);
}

static void test_json_escaping(void **state)
{
	const char *s = json_of(build_escapes);

	(void)state;
	assert_non_null(strstr(s, "\"q\": \"say \\\"hi\\\"\\\\\""));
	assert_non_null(strstr(s, "\"ctl\": \"a\\nb\\tc\\u0001\\u001f\\u007f\""));
	assert_non_null(strstr(s, "\"utf8\": \"caf\xc3\xa9 \xe2\x82\xac\""));
	assert_non_null(strstr(s, "\"bad\": \"\\u00ff\\u00c0\\u0080\\u00ed\\u00a0\\u0080\""));
	assert_non_null(strstr(s, "\"nul\": \"a\\u0000b\""));
}

static void build_nested(struct json *j)
{
	json_object_begin(j, NULL);
	json_array_begin(j, "empty");
	json_array_end(j);
	json_array_begin(j, "list");
	json_uint(j, NULL, 18446744073709551615ull);
	json_int(j, NULL, -5);
	json_bool(j, NULL, false);
	json_null(j, NULL);
	json_object_begin(j, NULL);
	json_object_end(j);
	json_array_end(j);
	json_object_end(j);
	json_finish(j);
}

static void test_json_structure(void **state)
{
	(void)state;
	assert_string_equal(json_of(build_nested),
			    "{\n"
			    "  \"empty\": [],\n"
			    "  \"list\": [\n"
			    "    18446744073709551615,\n"
			    "    -5,\n"
			    "    false,\n"
			    "    null,\n"
			    "    {}\n"
			    "  ]\n"
			    "}\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_json_structure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
