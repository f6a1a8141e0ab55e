/* SPDX-License-Identifier: MIT */
/* The zeropage subcommands.  Each lives in its own tools/cli/cmd_*.c. */
#ifndef ZEROPAGE_TOOLS_COMMANDS_H
#define ZEROPAGE_TOOLS_COMMANDS_H

#include <stdio.h>

#include "report/matrix_rows.h"

/* Exit codes shared by every subcommand (documented in zeropage(1)). */
enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_ERROR = 1,	/* our own error: bad input, bad image, I/O */
	CLI_EXIT_USAGE = 2,	/* bad command line */
	/* zeropage boot / matrix: what the guest did */
	CLI_EXIT_PANIC = 3,	/* "Kernel panic" on the console */
	CLI_EXIT_TIMEOUT = 4,	/* guest still running at --timeout */
	CLI_EXIT_QEMU = 5,	/* QEMU could not start or failed */
	CLI_EXIT_NOINIT = 6,	/* guest stopped without reaching the probe */
	CLI_EXIT_MISMATCH = 7,	/* probe saw other than the path was asked to give */
	CLI_EXIT_PATHS = 8,	/* matrix, report: at least one path did not pass */
};

/* A matrix's or report's output file (report/matrix_rows.h's writers):
 * nothing when path is NULL; 0, or -1 with the reason on stderr
 * (cmd_report.c). */
int cli_write_output(const char *option, const char *path, matrix_rows_writer *write,
		     const struct matrix_run *run, const char *arg);

/* cli/names.c: the boot paths, a line (or two) each with what they are and
 * their machines, for --help; and the names alone, one a line, of "paths"
 * or "machines" (`zeropage help --names`): 0, or -1 for another kind. */
void names_print_paths(FILE *f);
int names_print(FILE *f, const char *kind);

int cmd_info(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_bundle(int argc, char **argv);
int cmd_initramfs(int argc, char **argv);
int cmd_boot(int argc, char **argv);
int cmd_matrix(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
