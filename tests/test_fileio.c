/* SPDX-License-Identifier: MIT */
/*
 * test_fileio.c - the one place that decides how files are read and
 * written (tools/common/fileio.c): an input that would make open() wait is
 * refused at once; a file output is replaced whole or not at all (the old
 * one kept when the writing fails); a FIFO output is written into and
 * stays a FIFO; an output that is an input, through any link, is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/fileio.h"
#include "common/tool_err.h"

static char dir[64];

static const char *in_dir(const char *name)
{
	static char path[4][160];
	static int next;
	char *p = path[next++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	return p;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_fileio.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

/* open() of a FIFO for reading waits for a writer: it must not. */
static void fifo_input_refused_at_once(void **state)
{
	const char *fifo = in_dir("in.fifo");
	uint8_t *data;
	struct fileio_mapped map;
	size_t len;
	struct tool_err err;

	(void)state;
	assert_int_equal(mkfifo(fifo, 0600), 0);
	alarm(10);	/* a regression hangs: let it fail instead */
	assert_int_equal(fileio_read_all(fifo, &data, &len, &err), -1);
	assert_non_null(strstr(err.msg, "in.fifo: is a FIFO, not a regular file"));
	assert_int_equal(fileio_map(fifo, &map, &err), -1);
	assert_non_null(strstr(err.msg, "is a FIFO"));
	assert_int_equal(fileio_check_input(fifo, &err), -1);
	assert_int_equal(fileio_read_all("/dev/zero", &data, &len, &err), -1);
	assert_non_null(strstr(err.msg, "/dev/zero: is a character device, not a regular file"));
	alarm(0);
}

/* A report whose writing fails (here: the stream errors) leaves the old
 * file as it was, and no temporary file beside it. */
static void failed_write_keeps_old_file(void **state)
{
	const char *path = in_dir("report.json");
	struct fileio_atomic af;
	struct tool_err err;
	char buf[64] = { 0 };
	FILE *f;

	(void)state;
	put(path, "OLD");
	f = fileio_atomic_fopen(path, 0644, &af, &err);
	assert_non_null(f);
	fputs("NEW, but never finished", f);
	fflush(f);
	close(fileno(f));	/* the next flush fails with EBADF */
	fputs("more", f);
	assert_int_equal(fileio_atomic_fclose(f, &af, path, &err), -1);
	assert_non_null(strstr(err.msg, "report.json: cannot write"));
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "OLD");
	/* the temporary file went with the failure */
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A '%s' | grep '^\\.')\"", dir);
	assert_int_equal(system(cmd), 0);

	f = fileio_atomic_fopen(path, 0644, &af, &err);
	assert_non_null(f);
	fputs("NEW", f);
	assert_int_equal(fileio_atomic_fclose(f, &af, path, &err), 0);
	f = fopen(path, "r");
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "NEW");
}

/* A FIFO output is written into (a reader gets the bytes) and stays one. */
static void fifo_output_written_into(void **state)
{
	const char *fifo = in_dir("out.fifo");
	struct tool_err err;
	char buf[64] = { 0 };
	struct stat st;
	int status;
	pid_t reader;

	(void)state;
	assert_int_equal(mkfifo(fifo, 0600), 0);
	reader = fork();
	assert_true(reader >= 0);
	if (reader == 0) {	/* reads what comes and exits 0 if it is right */
		int fd = open(fifo, O_RDONLY);
		ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

		_exit(n == 5 && !memcmp(buf, "bytes", 5) ? 0 : 1);
	}
	alarm(10);
	assert_int_equal(fileio_write_atomic(fifo, "bytes", 5, 0644, &err), 0);
	assert_int_equal(waitpid(reader, &status, 0), reader);
	alarm(0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(stat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
}

/* The same file by name, symbolic link or hard link: refused. */
static void output_that_is_an_input(void **state)
{
	const char *k = in_dir("kernel"), *sym = in_dir("sym"), *hard = in_dir("hard");
	const char *other = in_dir("other");
	struct tool_err err;

	(void)state;
	put(k, "kernel");
	assert_int_equal(symlink(k, sym), 0);
	assert_int_equal(link(k, hard), 0);
	const struct fileio_named_path in[] = { { "--initrd", NULL }, { "--kernel", k } };
	assert_int_equal(fileio_check_output_not_input("-o", k, in, 2, &err), -1);
	assert_non_null(strstr(err.msg, "is the same file as --kernel"));
	assert_int_equal(fileio_check_output_not_input("-o", sym, in, 2, &err), -1);
	assert_int_equal(fileio_check_output_not_input("-o", hard, in, 2, &err), -1);
	assert_int_equal(fileio_check_output_not_input("-o", other, in, 2, &err), 0);
	/* a directory is refused before any work */
	assert_int_equal(fileio_check_writable(dir, &err), -1);
	assert_non_null(strstr(err.msg, "is a directory"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fifo_input_refused_at_once),
		cmocka_unit_test(failed_write_keeps_old_file),
		cmocka_unit_test(fifo_output_written_into),
		cmocka_unit_test(output_that_is_an_input),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
