/* SPDX-License-Identifier: MIT */
/*
 * zeropage initramfs [--arch i386|x86_64] -o FILE: write the probe
 * initramfs (probe/init.c as /init in our own newc archive), for booting it
 * outside `zeropage boot`, which picks the build from the kernel itself.
 */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "common/tool_err.h"
#include "image/probe_initramfs.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: zeropage initramfs [--arch i386|x86_64] -o FILE\n\n"
		   "Writes the probe initramfs: a static /init that prints one\n"
		   "ZEROPAGE-PROBE line (command line, initrd size, uptime, memory\n"
		   "map, where the kernel runs, zero page) on /dev/console, then\n"
		   "restarts the machine (run QEMU with -no-reboot).  The archive is\n"
		   "padded to a multiple of 4096 bytes, so the initrd size the probe\n"
		   "derives from the kernel's page-rounded \"RAMDISK:\" log line is\n"
		   "its exact size.\n\n"
		   "  --arch ARCH   the /init build: x86_64 (the default) for a 64-bit\n"
		   "                kernel, i386 for a 32-bit one (a bzImage without\n"
		   "                XLF_KERNEL_64, an ELF32 vmlinux)\n");
}

int cmd_initramfs(int argc, char **argv)
{
	const char *outp = NULL;
	enum probe_arch arch = PROBE_ARCH_X86_64;

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
		} else if (!strcmp(argv[i], "--arch")) {
			if (i + 1 >= argc) {
				tool_error("--arch needs i386 or x86_64");
				return CLI_EXIT_USAGE;
			}
			if (probe_arch_parse(argv[++i], &arch)) {
				tool_error("--arch '%s': not i386 or x86_64", argv[i]);
				return CLI_EXIT_USAGE;
			}
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
	if (probe_initramfs_write(outp, arch, NULL, &err)) {
		tool_error("%s", err.msg);
		return CLI_EXIT_ERROR;
	}
	return CLI_EXIT_OK;
}
