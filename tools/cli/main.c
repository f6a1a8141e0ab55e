/* SPDX-License-Identifier: MIT */
/* zeropage: the command.  Dispatches to one subcommand per concern. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "common/tool_err.h"

/* The Makefile's VERSION (tools/tools.mk passes it for this file). */
#ifndef ZEROPAGE_VERSION
#error "ZEROPAGE_VERSION undefined: tools/tools.mk passes the Makefile's VERSION as -DZEROPAGE_VERSION"
#endif

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
	{ "info", cmd_info, "describe a bzImage, vmlinux/PVH ELF, bundle, UKI or kernel package" },
	{ "extract", cmd_extract, "write a bzImage's decompressed vmlinux" },
	{ "bundle", cmd_bundle, "wrap a bzImage in the PVH shim" },
	{ "initramfs", cmd_initramfs, "write the probe initramfs" },
	{ "boot", cmd_boot, "boot a kernel under QEMU through one entry path" },
	{ "matrix", cmd_matrix, "boot kernels through every entry path" },
	{ "report", cmd_report, "merge matrix shards' JSON: table, JUnit, KCIDB, HTML" },
	{ "help", cmd_help, "describe a command; --names lists names for scripts" },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fprintf(f, "usage: zeropage COMMAND [ARGS]\n       zeropage --version\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nzeropage COMMAND --help describes each; see zeropage(1).\n");
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

/* zeropage help [COMMAND]: COMMAND --help, or the list of commands.
 * zeropage help --names commands|paths|machines: the names, one a line,
 * taken from the tables the commands parse with, for the bash completion
 * to ask at completion time (it never holds a list that could drift). */
static int cmd_help(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--names")) {
		if (!strcmp(argv[2], "commands")) {
			for (size_t i = 0; i < NCOMMANDS; i++)
				printf("%s\n", commands[i].name);
			return CLI_EXIT_OK;
		}
		if (names_print(stdout, argv[2]) == 0)
			return CLI_EXIT_OK;
		tool_error("--names %s: expected commands, paths or machines", argv[2]);
		return CLI_EXIT_USAGE;
	}
	if (argc == 1) {
		usage(stdout);
		return CLI_EXIT_OK;
	}
	if (argc > 2 || argv[1][0] == '-') {
		tool_error("usage: zeropage help [COMMAND | --names commands|paths|machines]");
		return CLI_EXIT_USAGE;
	}
	const struct command *c = find_command(argv[1]);
	if (!c) {
		tool_error("unknown command '%s'", argv[1]);
		return CLI_EXIT_USAGE;
	}
	if (c->run == cmd_help) {
		usage(stdout);
		return CLI_EXIT_OK;
	}
	char name[32], help[] = "--help";
	char *args[] = { name, help, NULL };
	snprintf(name, sizeof(name), "zeropage %s", c->name);
	tool_set_command(c->name);
	return c->run(2, args);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return CLI_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("zeropage %s\n", ZEROPAGE_VERSION);
		return CLI_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name)) {
			/* argv[0] of the command, which getopt's complaints
			 * start with: "zeropage info: unrecognized option" */
			static char name[32];
			snprintf(name, sizeof(name), "zeropage %s", commands[i].name);
			argv[1] = name;
			tool_set_command(commands[i].name);	/* every message's "zeropage CMD: " */
			return commands[i].run(argc - 1, argv + 1);
		}
	tool_error("unknown command '%s'", argv[1]);
	usage(stderr);
	return CLI_EXIT_USAGE;
}
