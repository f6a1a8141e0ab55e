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

static const struct bootpath_def *const paths[BOOTPATH_COUNT] = {
	[BOOTPATH_QEMU_BIOS] = &path_qemu_bios,
	[BOOTPATH_QEMU_PVH] = &path_qemu_pvh,
	[BOOTPATH_SHIM_64] = &path_shim_64,
	[BOOTPATH_SHIM_32] = &path_shim_32,
	[BOOTPATH_SHIM_VMLINUX] = &path_shim_vmlinux,
	[BOOTPATH_SHIM_SUBARCH] = &path_shim_subarch,
	[BOOTPATH_XEN_PV] = &path_xen_pv,
	[BOOTPATH_XEN_PVH] = &path_xen_pvh,
	[BOOTPATH_OVMF] = &path_ovmf,
	[BOOTPATH_OVMF_IA32] = &path_ovmf_ia32,
	[BOOTPATH_GRUB_BIOS] = &path_grub_bios,
	[BOOTPATH_GRUB_EFI] = &path_grub_efi,
	[BOOTPATH_SYSTEMD_BOOT] = &path_systemd_boot,
	[BOOTPATH_EFI_HANDOVER] = &path_efi_handover,
	[BOOTPATH_EFI_HANDOVER_IA32] = &path_efi_handover_ia32,
};

const struct bootpath_def *bootpath_def(enum bootpath p)
{
	return (unsigned)p < BOOTPATH_COUNT ? paths[p] : NULL;
}

const char *bootpath_name(enum bootpath p)
{
	return (unsigned)p < BOOTPATH_COUNT ? paths[p]->name : "?";
}

int bootpath_parse(const char *name, enum bootpath *p)
{
	for (int i = 0; i < BOOTPATH_COUNT; i++)
		if (!strcmp(name, paths[i]->name)) {
			*p = (enum bootpath)i;
			return 0;
		}
	return -1;
}

unsigned bootpath_expected_loader(enum bootpath p)
{
	return paths[p]->type_of_loader;
}

/* QEMU's machine types we boot on, and xen: Xen on QEMU's q35, the kernel as
 * dom0; xen-domu: the same Xen, the kernel as a domU of a toolstack dom0. */
static const char *const machines[] = { "pc", "q35", "microvm", "xen", "xen-domu" };

const char *bootpath_machine_name(unsigned i)
{
	return i < sizeof(machines) / sizeof(machines[0]) ? machines[i] : NULL;
}

bool bootpath_machine_known(const char *machine)
{
	for (unsigned i = 0; bootpath_machine_name(i); i++)
		if (!strcmp(machine, machines[i]))
			return true;
	return false;
}

bool bootpath_machine_is_xen(const char *machine)
{
	return !strcmp(machine, "xen") || bootpath_machine_is_xen_domu(machine);
}

bool bootpath_machine_is_xen_domu(const char *machine)
{
	return !strcmp(machine, "xen-domu");
}

bool bootpath_applies(enum bootpath p, const char *machine, char *why, size_t cap)
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

double bootpath_machine_default_timeout(const char *machine)
{
	/* xen-domu: Xen, dom0 and its toolstack boot before the domU: a row
	 * takes 30 s under TCG on an idle host, up to 230 s measured on a
	 * loaded one; the toolstack's own failures end a row early anyway */
	return bootpath_machine_is_xen_domu(machine) ? 480 : bootpath_machine_is_xen(machine) ? 240 : 60;
}

void bootpath_arg(struct bootpath_args *a, const char *arg)
{
	if (a->argc + 1 >= (int)(sizeof(a->argv) / sizeof(a->argv[0])))
		abort();
	a->argv[a->argc++] = arg;
	a->argv[a->argc] = NULL;
}

const char *bootpath_str(struct bootpath_args *a, const char *fmt, ...)
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
