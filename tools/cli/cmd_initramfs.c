/* SPDX-License-Identifier: MIT */
/*
 * zeropage initramfs -o FILE: write the probe initramfs (probe/init.c as
 * /init in our own newc archive), for booting it outside `zeropage boot`.
 */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
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
			return ZP_EXIT_OK;
		} else if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "zeropage initramfs: %s needs a file name\n", argv[i]);
				return ZP_EXIT_USAGE;
			}
			outp = argv[++i];
		} else if (!strncmp(argv[i], "-o", 2)) {
			outp = argv[i] + 2;
		} else {
			fprintf(stderr, "zeropage initramfs: unexpected argument '%s'\n", argv[i]);
			usage(stderr);
			return ZP_EXIT_USAGE;
		}
	}
	if (!outp) {
		fprintf(stderr, "zeropage initramfs: -o FILE is required\n");
		usage(stderr);
		return ZP_EXIT_USAGE;
	}
	char err[256];
	if (zp_probe_initramfs_write(outp, NULL, err, sizeof(err))) {
		fprintf(stderr, "zeropage initramfs: %s\n", err);
		return ZP_EXIT_ERROR;
	}
	return ZP_EXIT_OK;
}
