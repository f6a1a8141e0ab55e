/* SPDX-License-Identifier: MIT */
/* Placeholder until this command lands; replaced by its owner. */
#include <stdio.h>
#include "commands.h"

int cmd_boot(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "zeropage boot: not built yet\n");
	return ZP_EXIT_ERROR;
}
