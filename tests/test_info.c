/* SPDX-License-Identifier: MIT */
/*
 * `zeropage info` in process on synthetic images (every boot protocol from
 * 2.00, ELF32 and ELF64 with Xen notes), and the JSON writer's escaping.
 * JSON output is checked for validity with jq and for the values a user
 * would read from it.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <zeropage/abi.h>

#include "cli/commands.h"
#include "common/fileio.h"
#include "common/json.h"
#include "common/tool_err.h"
#include "synth.h"

static char dir[] = "/tmp/zp-test-info-XXXXXX";
static char image_path[300], out_path[300];
static char output[65536];

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(image_path, sizeof(image_path), "%s/image", dir);
	snprintf(out_path, sizeof(out_path), "%s/stdout", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(image_path);
	unlink(out_path);
	return rmdir(dir);
}

static void write_image(const void *p, size_t len)
{
	struct tool_err err;

	if (zp_write_file_atomic(image_path, p, len, 0644, &err) != 0)
		fail_msg("%s", err.msg);
}

/* cmd_info on image_path; its stdout lands in `output` and in out_path. */
static int run_info(bool json)
{
	char *argv[] = { "info", json ? "--json" : image_path, image_path, NULL };
	int saved = dup(1), fd = open(out_path, O_RDWR | O_CREAT | O_TRUNC, 0600), rc;
	ssize_t n;

	fflush(stdout);
	dup2(fd, 1);
	rc = cmd_info(json ? 3 : 2, argv);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	n = pread(fd, output, sizeof(output) - 1, 0);
	output[n > 0 ? n : 0] = '\0';
	close(fd);
	return rc;
}

static void assert_valid_json(void)
{
	char cmd[400];

	snprintf(cmd, sizeof(cmd), "jq -e . '%s' > /dev/null", out_path);
	if (system(cmd) != 0)
		fail_msg("jq rejects the output:\n%s", output);
}

static void assert_has(const char *needle)
{
	if (!strstr(output, needle))
		fail_msg("output lacks '%s':\n%s", needle, output);
}

static void assert_lacks(const char *needle)
{
	if (strstr(output, needle))
		fail_msg("output has '%s':\n%s", needle, output);
}

static void test_every_protocol_version(void **state)
{
	static const uint8_t payload[] = { 0x02, 0x21, 0x4c, 0x18, 1, 2, 3, 4, 5, 6, 7, 8 };

	(void)state;
	for (uint16_t v = 0x200; v <= 0x20f; v++) {
		struct synth_bzimage_opts o = {
			.protocol = v, .xloadflags = ZP_XLF_KERNEL_64 | ZP_XLF_EFI_HANDOVER_64,
			.payload = payload, .payload_len = sizeof(payload),
			.version = "6.9.0-test (\"quoted\")", .relocatable = true,
			.handover_offset = 0x190, .kernel_info = v >= 0x20f,
		};
		size_t len;
		uint8_t *img = synth_bzimage(&o, &len);
		char want[64];

		write_image(img, len);
		free(img);
		assert_int_equal(run_info(true), ZP_EXIT_OK);
		assert_valid_json();
		snprintf(want, sizeof(want), "\"protocol\": \"2.%02u\"", v & 0xff);
		assert_has(want);
		assert_has("\"format\": \"bzimage\"");
		assert_has("\"kernel_version\": \"6.9.0-test (\\\"quoted\\\")\"");
		/* The payload fields exist from 2.08; 64-bit and EFI entries from 2.12 (xloadflags). */
		if (v >= 0x208)
			assert_has("\"compression\": \"lz4\"");
		else
			assert_has("\"payload_offset\": null");
		if (v >= 0x20c) {
			assert_has("\"long64\"");
			assert_has("\"efi64\"");
			assert_has("\"XLF_KERNEL_64\"");
		} else {
			assert_lacks("\"long64\"");
			assert_lacks("xloadflags\": 0");	/* not in setup_header before 2.12 */
		}
		assert_has(v >= 0x205 ? "\"relocatable\": true" : "\"relocatable\": false");
		assert_has(v >= 0x20f ? "\"kernel_info\": {" : "\"kernel_info\": null");
		/* and the text form names the version too */
		assert_int_equal(run_info(false), ZP_EXIT_OK);
		snprintf(want, sizeof(want), "boot protocol 2.%02u", v & 0xff);
		assert_has(want);
		assert_has("LOADED_HIGH");
	}
}

static void test_elf_with_xen_notes(void **state)
{
	static const uint8_t phys32[4] = { 0x50, 0x08, 0x00, 0x01 };	/* 0x1000850 */
	/* Linux 6.12's: PHYSICAL_ALIGN, LOAD_PHYSICAL_ADDR, KERNEL_IMAGE_SIZE - 1 */
	static const uint8_t reloc[12] = { 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x01,
					   0xff, 0xff, 0xff, 0x3f };
	static const struct synth_note notes[] = {
		{ "Xen", ZP_XEN_ELFNOTE_GUEST_OS, "linux", 6 },
		{ "Xen", ZP_XEN_ELFNOTE_XEN_VERSION, "xen-3.0", 8 },
		{ "Xen", ZP_XEN_ELFNOTE_LOADER, "generic", 8 },
		{ "Xen", ZP_XEN_ELFNOTE_FEATURES, "!writable_page_tables", 22 },
		{ "Xen", ZP_XEN_ELFNOTE_PHYS32_ENTRY, phys32, 4 },
		{ "GNU", 3, "\x01\x02\x03\x04\x05\x06\x07\x08\x09", 9 },
		{ "Xen", ZP_XEN_ELFNOTE_PHYS32_RELOC, reloc, 12 },
	};

	(void)state;
	for (int elf_class = 32; elf_class <= 64; elf_class += 32) {
		size_t len;
		uint8_t *img = synth_elf(elf_class, 0x1000000, notes, 7, &len);

		write_image(img, len);
		free(img);
		assert_int_equal(run_info(true), ZP_EXIT_OK);
		assert_valid_json();
		assert_has("\"format\": \"elf\"");
		assert_has(elf_class == 64 ? "\"class\": 64" : "\"class\": 32");
		assert_has("\"pvh_entry\": 16779344");
		assert_has("\"pvh\"");
		assert_has("\"string\": \"linux\"");
		assert_has("\"string\": \"xen-3.0\"");
		assert_has("\"string\": \"generic\"");
		assert_has("\"string\": \"!writable_page_tables\"");
		assert_has("\"type_name\": \"PHYS32_ENTRY\"");
		assert_has("\"hex\": \"010203040506070809\"");
		/* PHYS32_RELOC decoded by name */
		assert_has("\"type_name\": \"PHYS32_RELOC\"");
		assert_has("\"align\": 2097152");
		assert_has("\"min\": 16777216");
		assert_has("\"max\": 1073741823");
		assert_int_equal(run_info(false), ZP_EXIT_OK);
		assert_has("relocatable: align 0x200000, min 0x1000000, max 0x3fffffff");
		assert_has("GUEST_OS");
		assert_has("\"linux\"");
		assert_has("0x1000850");
	}
}

static void test_elf_without_pvh(void **state)
{
	size_t len;
	uint8_t *img = synth_elf(64, 0x1000000, NULL, 0, &len);

	(void)state;
	write_image(img, len);
	free(img);
	assert_int_equal(run_info(true), ZP_EXIT_OK);
	assert_valid_json();
	assert_has("\"pvh_entry\": null");
	assert_lacks("\"pvh\"");
	assert_has("\"notes\": []");
}

static void test_unknown_input(void **state)
{
	(void)state;
	write_image("#!/bin/sh\necho not a kernel\n", 27);
	assert_int_equal(run_info(false), ZP_EXIT_ERROR);
	assert_int_equal(output[0], '\0');	/* nothing on stdout */
}

/* ---- the JSON writer ---- */

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
		cmocka_unit_test(test_every_protocol_version),
		cmocka_unit_test(test_elf_with_xen_notes),
		cmocka_unit_test(test_elf_without_pvh),
		cmocka_unit_test(test_unknown_input),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_json_structure),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
