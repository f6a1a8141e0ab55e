/* SPDX-License-Identifier: MIT */
/*
 * `zeropage info` in process on synthetic images (every boot protocol from
 * 2.00, ELF32 and ELF64 with Xen notes); the JSON writer itself is
 * tests/test_json_writer.c.
 * JSON output is parsed (json-c, strictly: one document, nothing after it)
 * and each member a user would read is checked by name, type and value.
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
#include <json-c/json.h>

#include <zeropage/abi.h>

#include "cli/commands.h"
#include "common/fileio.h"
#include "common/tool_err.h"
#include "synth.h"

static char dir[] = "/tmp/zp-test-info-XXXXXX";
static char image_path[300], out_path[300];
static char output[65536];
static struct json_object *doc;	/* the last --json output, parsed */

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
	json_object_put(doc);
	return rmdir(dir);
}

static void write_image(const void *p, size_t len)
{
	struct tool_err err;

	if (fileio_write_atomic(image_path, p, len, 0644, &err) != 0)
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

/* Parses `output` as exactly one JSON document (whitespace after it). */
static void parse_output(void)
{
	struct json_tokener *tok = json_tokener_new();
	size_t len = strlen(output), end;

	json_object_put(doc);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	doc = json_tokener_parse_ex(tok, output, (int)len);
	end = json_tokener_get_parse_end(tok);
	if (!doc)
		fail_msg("not JSON (%s at byte %zu):\n%s",
			 json_tokener_error_desc(json_tokener_get_error(tok)), end, output);
	json_tokener_free(tok);
	while (end < len && strchr(" \t\r\n", output[end]))
		end++;
	if (end != len)
		fail_msg("text after the JSON document at byte %zu:\n%s", end, output);
	if (!json_object_is_type(doc, json_type_object))
		fail_msg("the document is not an object:\n%s", output);
}

/* The member at a dotted path in `o` ("xloadflags.names"); *found says
 * whether every key was there (a JSON null is found, and returns NULL). */
static struct json_object *member_at(struct json_object *o, const char *path, bool *found)
{
	char key[64];

	*found = true;
	while (*path) {
		size_t n = strcspn(path, ".");

		snprintf(key, sizeof(key), "%.*s", (int)n, path);
		if (!json_object_is_type(o, json_type_object) ||
		    !json_object_object_get_ex(o, key, &o)) {
			*found = false;
			return NULL;
		}
		path += n + (path[n] == '.');
	}
	return o;
}

static struct json_object *typed_at(struct json_object *o, const char *path, enum json_type t)
{
	bool found;
	struct json_object *v = member_at(o, path, &found);

	if (!found)
		fail_msg("no member %s in:\n%s", path, output);
	if (!json_object_is_type(v, t))
		fail_msg("member %s is %s, not %s", path, json_type_to_name(json_object_get_type(v)),
			 json_type_to_name(t));
	return v;
}

static void expect_str(struct json_object *o, const char *path, const char *want)
{
	assert_string_equal(json_object_get_string(typed_at(o, path, json_type_string)), want);
}

static void expect_uint(struct json_object *o, const char *path, uint64_t want)
{
	struct json_object *v = typed_at(o, path, json_type_int);

	assert_true(json_object_get_int64(v) >= 0);
	assert_int_equal(json_object_get_uint64(v), want);
}

static void expect_bool(struct json_object *o, const char *path, bool want)
{
	assert_int_equal(json_object_get_boolean(typed_at(o, path, json_type_boolean)), want);
}

static void expect_null(struct json_object *o, const char *path)
{
	typed_at(o, path, json_type_null);
}

/* True when the array at `path` holds the string `s`. */
static bool array_has(struct json_object *o, const char *path, const char *s)
{
	struct json_object *a = typed_at(o, path, json_type_array);

	for (size_t i = 0; i < json_object_array_length(a); i++) {
		const char *e = json_object_get_string(json_object_array_get_idx(a, i));

		if (json_object_is_type(json_object_array_get_idx(a, i), json_type_string) &&
		    strcmp(e, s) == 0)
			return true;
	}
	return false;
}

/* The one entry of the document's `notes` whose `key` is the string `value`. */
static struct json_object *note_where(const char *key, const char *value)
{
	struct json_object *a = typed_at(doc, "notes", json_type_array), *hit = NULL;

	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *n = json_object_array_get_idx(a, i), *v;

		if (json_object_object_get_ex(n, key, &v) && json_object_is_type(v, json_type_string) &&
		    strcmp(json_object_get_string(v), value) == 0) {
			if (hit)
				fail_msg("two notes with %s \"%s\"", key, value);
			hit = n;
		}
	}
	if (!hit)
		fail_msg("no note with %s \"%s\" in:\n%s", key, value, output);
	return hit;
}

static void assert_has(const char *needle)
{
	if (!strstr(output, needle))
		fail_msg("output lacks '%s':\n%s", needle, output);
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
		assert_int_equal(run_info(true), CLI_EXIT_OK);
		parse_output();
		snprintf(want, sizeof(want), "2.%02u", v & 0xff);
		expect_str(doc, "protocol", want);
		expect_str(doc, "format", "bzimage");
		expect_str(doc, "kernel_version", "6.9.0-test (\"quoted\")");
		/* The payload fields exist from 2.08; 64-bit and EFI entries from 2.12 (xloadflags). */
		if (v >= 0x208) {
			expect_str(doc, "compression", "lz4");
			typed_at(doc, "payload_offset", json_type_int);
		} else {
			expect_null(doc, "compression");
			expect_null(doc, "payload_offset");
		}
		assert_int_equal(array_has(doc, "entries", "long64"), v >= 0x20c);
		assert_int_equal(array_has(doc, "entries", "efi64"), v >= 0x20c);
		assert_true(array_has(doc, "entries", "prot32"));
		if (v >= 0x20c) {
			expect_uint(doc, "xloadflags.value", ZP_XLF_KERNEL_64 | ZP_XLF_EFI_HANDOVER_64);
			assert_true(array_has(doc, "xloadflags.names", "XLF_KERNEL_64"));
			assert_true(array_has(doc, "xloadflags.names", "XLF_EFI_HANDOVER_64"));
		} else {	/* not in setup_header before 2.12: the bytes there are code */
			expect_uint(doc, "xloadflags.value", 0);
			assert_int_equal(json_object_array_length(
						 typed_at(doc, "xloadflags.names", json_type_array)), 0);
		}
		expect_bool(doc, "relocatable", v >= 0x205);
		if (v >= 0x20f)
			expect_uint(doc, "kernel_info.size", 16);
		else
			expect_null(doc, "kernel_info");
		/* and the text form names the version too */
		assert_int_equal(run_info(false), CLI_EXIT_OK);
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
		assert_int_equal(run_info(true), CLI_EXIT_OK);
		parse_output();
		expect_str(doc, "format", "elf");
		expect_uint(doc, "class", (uint64_t)elf_class);
		expect_uint(doc, "pvh_entry", 0x1000850);
		assert_true(array_has(doc, "entries", "pvh"));
		assert_int_equal(json_object_array_length(typed_at(doc, "notes", json_type_array)), 7);
		expect_str(note_where("type_name", "GUEST_OS"), "string", "linux");
		expect_str(note_where("type_name", "XEN_VERSION"), "string", "xen-3.0");
		expect_str(note_where("type_name", "LOADER"), "string", "generic");
		expect_str(note_where("type_name", "FEATURES"), "string", "!writable_page_tables");
		expect_uint(note_where("type_name", "PHYS32_ENTRY"), "value", 0x1000850);
		expect_str(note_where("name", "GNU"), "hex", "010203040506070809");
		/* PHYS32_RELOC decoded by name */
		expect_uint(note_where("type_name", "PHYS32_RELOC"), "align", 0x200000);
		expect_uint(note_where("type_name", "PHYS32_RELOC"), "min", 0x1000000);
		expect_uint(note_where("type_name", "PHYS32_RELOC"), "max", 0x3fffffff);
		assert_int_equal(run_info(false), CLI_EXIT_OK);
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
	assert_int_equal(run_info(true), CLI_EXIT_OK);
	parse_output();
	expect_null(doc, "pvh_entry");
	assert_false(array_has(doc, "entries", "pvh"));
	assert_int_equal(json_object_array_length(typed_at(doc, "notes", json_type_array)), 0);
}

static void test_unknown_input(void **state)
{
	(void)state;
	write_image("#!/bin/sh\necho not a kernel\n", 27);
	assert_int_equal(run_info(false), CLI_EXIT_ERROR);
	assert_int_equal(output[0], '\0');	/* nothing on stdout */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_protocol_version),
		cmocka_unit_test(test_elf_with_xen_notes),
		cmocka_unit_test(test_elf_without_pvh),
		cmocka_unit_test(test_unknown_input),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
