/* SPDX-License-Identifier: MIT */
/*
 * `zeropage extract` end to end, in process: synthetic bzImages whose
 * payload the real compressor programs made, through cmd_extract() and
 * the atomic file writer.  What a user checks: the bytes that come out,
 * the exit code, the message, and that a failure leaves no file behind.
 */
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli/commands.h"
#include "common/tool_err.h"
#include "compress_cli.h"
#include "common/fileio.h"
#include "synth.h"

#define DATA_LEN (300 * 1024)

static char dir[] = "/tmp/zp-test-extract-XXXXXX";
static uint8_t *data;

static char *path_in_dir(const char *name)
{
	static char buf[4][256];
	static int next;
	char *p = buf[next++ % 4];

	snprintf(p, 256, "%s/%s", dir, name);
	return p;
}

static int count_dir_entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void write_whole(const char *path, const void *p, size_t len)
{
	struct tool_err err;

	if (fileio_write_atomic(path, p, len, 0644, &err) != 0)
		fail_msg("%s", err.msg);
}

/* Runs cmd_extract with argv, capturing what it says on stderr. */
static int run_extract(char *msg, size_t msglen, int argc, ...)
{
	char *argv[8], *errpath = path_in_dir(".stderr");
	int saved_err = dup(2), saved_out = dup(1), fd, rc, null;
	va_list ap;
	ssize_t n;

	va_start(ap, argc);
	for (int i = 0; i < argc; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	argv[argc] = NULL;
	fflush(stdout);
	fflush(stderr);
	fd = open(errpath, O_RDWR | O_CREAT | O_TRUNC, 0600);
	null = open("/dev/null", O_WRONLY);
	dup2(fd, 2);
	dup2(null, 1);
	tool_set_command("extract");	/* as main.c does */
	rc = cmd_extract(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_err, 2);
	dup2(saved_out, 1);
	close(saved_err);
	close(saved_out);
	close(null);
	n = pread(fd, msg, msglen - 1, 0);
	msg[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(errpath);
	return rc;
}

/* A protocol 2.15 bzImage around `payload`, written into the test dir. */
static char *write_bzimage(const char *name, const void *payload, size_t len, uint16_t protocol)
{
	struct synth_bzimage_opts o = {
		.protocol = protocol,
		.xloadflags = 0x7f,
		.payload = payload,
		.payload_len = len,
		.version = "6.1.0-synthetic",
		.relocatable = true,
		.kernel_info = protocol >= 0x20f,
	};
	size_t img_len;
	uint8_t *img = synth_bzimage(&o, &img_len);
	char *path = path_in_dir(name);

	assert_non_null(img);
	write_whole(path, img, img_len);
	free(img);
	return path;
}

static uint8_t *read_whole(const char *path, size_t *len)
{
	uint8_t *p;
	struct tool_err err;

	if (fileio_read_all(path, &p, len, &err) != 0)
		fail_msg("%s", err.msg);
	return p;
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	data = cli_test_data(DATA_LEN, 3);
	memcpy(data, "\x7f" "ELF", 4);	/* as a vmlinux starts */
	return data ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	free(data);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_extract_every_compressor(void **state)
{
	static const enum zp_compression all[] = {
		ZP_COMP_GZIP, ZP_COMP_BZIP2, ZP_COMP_LZMA, ZP_COMP_XZ,
		ZP_COMP_LZO, ZP_COMP_LZ4, ZP_COMP_ZSTD,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		size_t plen, out_len;
		uint8_t *payload = cli_payload(all[i], data, DATA_LEN, false, &plen), *out;
		char *img = write_bzimage("bzImage", payload, plen, 0x20f);
		char *vmlinux = path_in_dir("vmlinux");
		char msg[512];

		assert_non_null(payload);
		if (run_extract(msg, sizeof(msg), 4, "extract", img, "-o", vmlinux) != CLI_EXIT_OK)
			fail_msg("%s: %s", zp_compression_name(all[i]), msg);
		out = read_whole(vmlinux, &out_len);
		assert_int_equal(out_len, DATA_LEN);
		assert_memory_equal(out, data, DATA_LEN);
		free(out);
		free(payload);
		unlink(vmlinux);
		unlink(img);
	}
}

/* A damaged payload: exit 1, a message naming the problem, and the old
 * output file exactly as it was; no temporary file left in the directory. */
static void test_corrupt_payload_leaves_old_output(void **state)
{
	size_t plen, out_len;
	uint8_t *payload = cli_payload(ZP_COMP_XZ, data, DATA_LEN, false, &plen), *out;
	char *img, *vmlinux = path_in_dir("vmlinux"), msg[512];
	int before;

	(void)state;
	assert_non_null(payload);
	payload[plen / 2] ^= 0x40;
	img = write_bzimage("bad-xz", payload, plen, 0x20f);
	write_whole(vmlinux, "old", 3);
	before = count_dir_entries();
	assert_int_equal(run_extract(msg, sizeof(msg), 4, "extract", img, "-o", vmlinux),
			 CLI_EXIT_ERROR);
	assert_non_null(strstr(msg, "xz: corrupt data"));
	assert_non_null(strstr(msg, img));
	out = read_whole(vmlinux, &out_len);
	assert_int_equal(out_len, 3);
	assert_memory_equal(out, "old", 3);
	assert_int_equal(count_dir_entries(), before);
	free(out);
	free(payload);
	unlink(vmlinux);
	unlink(img);
}

static void test_truncated_payload_writes_nothing(void **state)
{
	size_t plen;
	uint8_t *payload = cli_payload(ZP_COMP_LZ4, data, DATA_LEN, false, &plen);
	char *img, *vmlinux = path_in_dir("vmlinux"), msg[512];

	(void)state;
	assert_non_null(payload);
	img = write_bzimage("short-lz4", payload, plen / 2, 0x20f);
	assert_int_equal(run_extract(msg, sizeof(msg), 4, "extract", img, "-o", vmlinux),
			 CLI_EXIT_ERROR);
	assert_non_null(strstr(msg, "lz4: truncated input"));
	assert_int_equal(access(vmlinux, F_OK), -1);
	assert_int_equal(count_dir_entries(), 1);	/* just the image */
	free(payload);
	unlink(img);
}

static void test_not_a_bzimage(void **state)
{
	size_t len;
	uint8_t *elf = synth_elf(64, 0x1000000, NULL, 0, &len);
	char *path = path_in_dir("vmlinux.elf"), *junk = path_in_dir("junk"), msg[512];

	(void)state;
	write_whole(path, elf, len);
	assert_int_equal(run_extract(msg, sizeof(msg), 4, "extract", path, "-o",
				     path_in_dir("out")), CLI_EXIT_ERROR);
	assert_non_null(strstr(msg, "an ELF kernel, not a bzImage"));
	write_whole(junk, "just some text, not a kernel\n", 29);
	assert_int_equal(run_extract(msg, sizeof(msg), 4, "extract", junk, "-o",
				     path_in_dir("out")), CLI_EXIT_ERROR);
	assert_non_null(strstr(msg, "not a kernel image we know"));
	assert_int_equal(run_extract(msg, sizeof(msg), 4, "extract", path_in_dir("missing"), "-o",
				     path_in_dir("out")), CLI_EXIT_ERROR);
	assert_non_null(strstr(msg, "No such file or directory"));
	assert_int_equal(access(path_in_dir("out"), F_OK), -1);
	free(elf);
	unlink(path);
	unlink(junk);
}

/* Before 2.08 the header does not say where the payload is. */
static void test_old_protocol_has_no_payload(void **state)
{
	char *img = write_bzimage("old", NULL, 0, 0x204), msg[512];

	(void)state;
	assert_int_equal(run_extract(msg, sizeof(msg), 4, "extract", img, "-o",
				     path_in_dir("out")), CLI_EXIT_ERROR);
	assert_non_null(strstr(msg, "boot protocol 2.04 has no payload"));
	unlink(img);
}

static void test_usage_errors(void **state)
{
	char msg[1024];

	(void)state;
	assert_int_equal(run_extract(msg, sizeof(msg), 1, "extract"), CLI_EXIT_USAGE);
	assert_non_null(strstr(msg, "missing IMAGE"));
	assert_int_equal(run_extract(msg, sizeof(msg), 2, "extract", "a"), CLI_EXIT_USAGE);
	assert_non_null(strstr(msg, "missing -o OUT"));
	assert_int_equal(run_extract(msg, sizeof(msg), 5, "extract", "a", "b", "-o", "c"),
			 CLI_EXIT_USAGE);
	assert_int_equal(run_extract(msg, sizeof(msg), 3, "extract", "--bogus", "a"),
			 CLI_EXIT_USAGE);
	assert_int_equal(run_extract(msg, sizeof(msg), 2, "extract", "--help"), CLI_EXIT_OK);
}

static void test_atomic_write_errors(void **state)
{
	struct tool_err err;
	uint8_t *p;
	size_t len;
	struct stat st;
	mode_t mask = umask(022);

	(void)state;
	assert_int_equal(fileio_write_atomic("/nonexistent-dir/x", "a", 1, 0666, &err), -1);
	assert_non_null(strstr(err.msg, "/nonexistent-dir/x: cannot create"));
	assert_int_equal(fileio_read_all(dir, &p, &len, &err), -1);
	assert_non_null(strstr(err.msg, "is a directory"));
	assert_null(p);
	/* The mode is what a plain creat(path, 0666) under umask 022 gives. */
	write_whole(path_in_dir("m"), "x", 1);
	assert_int_equal(fileio_write_atomic(path_in_dir("m"), "yz", 2, 0666, &err), 0);
	assert_int_equal(stat(path_in_dir("m"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	assert_int_equal(st.st_size, 2);
	umask(mask);
	unlink(path_in_dir("m"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_extract_every_compressor),
		cmocka_unit_test(test_corrupt_payload_leaves_old_output),
		cmocka_unit_test(test_truncated_payload_writes_nothing),
		cmocka_unit_test(test_not_a_bzimage),
		cmocka_unit_test(test_old_protocol_has_no_payload),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_atomic_write_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
