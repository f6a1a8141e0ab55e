/* SPDX-License-Identifier: MIT */
/*
 * kernel_arg.h - a KERNEL argument as every command takes it: an image
 * file (bzImage, vmlinux/PVH ELF, bundle, UKI) or a package holding one
 * (.deb, .rpm: image/kernel_package.h).  A package's kernel is written to
 * a file of its own in a run directory of ours (machine/rundir.h), never
 * beside the user's files nor under a name the archive chose, and that
 * file is what the command reads; the directory goes with kernel_arg_close
 * (or our signal handlers).
 */
#ifndef ZEROPAGE_TOOLS_KERNEL_ARG_H
#define ZEROPAGE_TOOLS_KERNEL_ARG_H

#include <stdbool.h>
#include "common/tool_err.h"
#include "image/kernel_package.h"

struct kernel_arg {
	const char *given;	/* as the user gave it (not copied) */
	const char *path;	/* the file to read: given, or file[] */
	bool from_package;
	char version[KERNEL_PACKAGE_VERSION_MAX];	/* the package's kernel */
	char member[KERNEL_PACKAGE_MEMBER_MAX];		/* its path in the package */
	char dir[256];		/* the run directory ("" for an image file) */
	int dir_lock;
	char file[400];		/* dir/kernel, or dir/vmlinuz-VERSION */
	unsigned nfiles;	/* the package's files written beside it */
	char shown[600];	/* how outputs name it: given, or "PKG:MEMBER" */
};

/* Opens given: an image file is taken as it is (want_version must then be
 * NULL: it chooses among a package's kernels); a package's kernel (the one
 * of want_version, or the only one) is written out.  0, or -1 with err
 * naming the argument and what is wrong. */
int kernel_arg_open(struct kernel_arg *k, const char *given, const char *want_version,
		    struct tool_err *err);
void kernel_arg_close(struct kernel_arg *k);

/* As kernel_arg_open with no version chosen, for a kernel that needs files
 * of its own package beside it (dom0: its Xen modules, prefix
 * "kernel/drivers/xen/"): from a package, the kernel is written as
 * DIR/vmlinuz-VERSION and its files under lib/modules/VERSION/PREFIX (or
 * usr/lib/...) as DIR/modules-VERSION/PREFIX..., the layout of
 * scripts/fetch-dom0.sh's cache (xen_domu_modules_dir reads it); nfiles
 * says how many.  An image file is taken as it is, its files looked for
 * beside it as before. */
int kernel_arg_open_with_files(struct kernel_arg *k, const char *given, const char *prefix,
			       struct tool_err *err);

/* A message about the file a package's kernel was written to, as the user
 * knows it: err's leading "RUNDIR/kernel" becomes "PKG:MEMBER". */
void kernel_arg_name_in(const struct kernel_arg *k, struct tool_err *err);

/* --dom0 KERNEL (machine xen-domu): given NULL, k is left closed (path
 * NULL); a package's kernel comes with its Xen modules
 * (kernel_arg_open_with_files, prefix "kernel/drivers/xen/"), and unless
 * quiet which kernel and how many module files is said.  0, or -1 with err
 * naming --dom0. */
int kernel_arg_open_dom0(struct kernel_arg *k, const char *given, bool quiet,
			 struct tool_err *err);

/* Whether path starts as a package (.deb, .rpm) would. */
bool kernel_arg_is_package(const char *path);

/* "PKG: kernel VERSION (MEMBER, N bytes)" to stderr for a package, nothing
 * for an image: which kernel a command went on with. */
void kernel_arg_say(const struct kernel_arg *k, bool quiet);

#endif
