/* SPDX-License-Identifier: MIT */
/*
 * paths.c - the table of boot paths (one file each: machine/path_*.c) and
 * the machines they run on.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine/bootpath.h"

static const struct zp_path_def *const paths[ZP_PATH_COUNT] = {
	[ZP_PATH_QEMU_BIOS] = &zp_path_qemu_bios,
	[ZP_PATH_QEMU_PVH] = &zp_path_qemu_pvh,
	[ZP_PATH_SHIM_64] = &zp_path_shim_64,
	[ZP_PATH_SHIM_32] = &zp_path_shim_32,
	[ZP_PATH_SHIM_VMLINUX] = &zp_path_shim_vmlinux,
	[ZP_PATH_SHIM_SUBARCH] = &zp_path_shim_subarch,
	[ZP_PATH_XEN_PV] = &zp_path_xen_pv,
	[ZP_PATH_XEN_PVH] = &zp_path_xen_pvh,
	[ZP_PATH_OVMF] = &zp_path_ovmf,
	[ZP_PATH_OVMF_IA32] = &zp_path_ovmf_ia32,
	[ZP_PATH_GRUB_BIOS] = &zp_path_grub_bios,
	[ZP_PATH_GRUB_EFI] = &zp_path_grub_efi,
};

const struct zp_path_def *zp_path_def(enum zp_path p)
{
	return (unsigned)p < ZP_PATH_COUNT ? paths[p] : NULL;
}

const char *zp_path_name(enum zp_path p)
{
	return (unsigned)p < ZP_PATH_COUNT ? paths[p]->name : "?";
}

int zp_path_parse(const char *name, enum zp_path *p)
{
	for (int i = 0; i < ZP_PATH_COUNT; i++)
		if (!strcmp(name, paths[i]->name)) {
			*p = (enum zp_path)i;
			return 0;
		}
	return -1;
}

unsigned zp_path_expected_loader(enum zp_path p)
{
	return paths[p]->type_of_loader;
}

bool zp_machine_known(const char *machine)
{
	return !strcmp(machine, "pc") || !strcmp(machine, "q35") || !strcmp(machine, "microvm") ||
	       zp_machine_is_xen(machine);
}

bool zp_machine_is_xen(const char *machine)
{
	return !strcmp(machine, "xen");
}

bool zp_path_applies(enum zp_path p, const char *machine, char *why, size_t cap)
{
	const char *list = paths[p]->machines;
	size_t ml = strlen(machine);

	for (const char *m = list; *m;) {
		size_t l = strcspn(m, ",");
		if (l == ml && !memcmp(m, machine, l))
			return true;
		m += l + (m[l] == ',');
	}
	snprintf(why, cap, "%s", paths[p]->na_why);
	return false;
}

double zp_machine_default_timeout(const char *machine)
{
	return zp_machine_is_xen(machine) ? 240 : 60;
}

void zp_path_arg(struct zp_path_args *a, const char *arg)
{
	if (a->argc + 1 >= (int)(sizeof(a->argv) / sizeof(a->argv[0])))
		abort();
	a->argv[a->argc++] = arg;
	a->argv[a->argc] = NULL;
}

const char *zp_path_str(struct zp_path_args *a, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (a->nstr >= (int)(sizeof(a->str) / sizeof(a->str[0])))
		abort();
	s = a->str[a->nstr++];
	va_start(ap, fmt);
	int n = vsnprintf(s, sizeof(a->str[0]), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(a->str[0]))
		abort();
	return s;
}
