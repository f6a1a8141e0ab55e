/* SPDX-License-Identifier: MIT */
/*
 * zeropage initramfs -o FILE: write the probe initramfs (probe/init.c as
 * /init in our own newc archive), for booting it outside `zeropage boot`.
 */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "common/tool_err.h"
#include "image/probe_initramfs.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: zeropage initramfs -o FILE\n\n"
		   "Writes the probe initramfs: a static /init that prints one\n"
		   "ZEROPAGE-PROBE line (command line, initrd size, uptime, memory\n"
		   "map, where the kernel runs, zero page) on /dev/console, then\n"
		   "restarts the machine (run QEMU with -no-reboot).  The archive is\n"
		   "padded to a multiple of 4096 bytes, so the initrd size the probe\n"
		   "derives from the kernel's page-rounded \"RAMDISK:\" log line is\n"
		   "its exact size.\n");
}

int cmd_initramfs(int argc, char **argv)
{
	const char *outp = NULL;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return CLI_EXIT_OK;
		} else if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) {
			if (i + 1 >= argc) {
				tool_error("%s needs a file name", argv[i]);
				return CLI_EXIT_USAGE;
			}
			outp = argv[++i];
		} else if (!strncmp(argv[i], "-o", 2)) {
			outp = argv[i] + 2;
		} else {
			tool_error("unexpected argument '%s'", argv[i]);
			usage(stderr);
			return CLI_EXIT_USAGE;
		}
	}
	if (!outp) {
		tool_error("-o FILE is required");
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	struct tool_err err;
	if (probe_initramfs_write(outp, NULL, &err)) {
		tool_error("%s", err.msg);
		return CLI_EXIT_ERROR;
	}
	return CLI_EXIT_OK;
}
