/* SPDX-License-Identifier: MIT */
/*
 * kernel_package.h - the kernel inside a distribution package: a Debian
 * .deb (an ar archive: debian-binary, control.tar.*, data.tar.*) or an RPM
 * (lead, signature, header, then a compressed cpio payload), read with
 * libarchive from memory.
 *
 * Where the kernel is, by the tools that make these packages:
 *   boot/vmlinuz-VERSION          Linux's scripts/package/builddeb (`make
 *                                 bindeb-pkg`, x86), Debian's linux-image-*
 *                                 up to bookworm, older `make binrpm-pkg`
 *   lib/modules/VERSION/vmlinuz   Linux's scripts/package/kernel.spec since
 *                                 6.x (`make binrpm-pkg`), Fedora's kernel-core
 *   usr/lib/modules/VERSION/vmlinuz   Debian's linux-binary-* from trixie on
 * Only regular files are taken (a symbolic link names another entry); the
 * same VERSION in two places is one kernel.  Nothing is written here: the
 * kernel's bytes come back in memory, its name from the archive is only
 * reported, never used as a path.
 */
#ifndef ZEROPAGE_TOOLS_KERNEL_PACKAGE_H
#define ZEROPAGE_TOOLS_KERNEL_PACKAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common/tool_err.h"

/* The largest kernel taken out of a package: a distro bzImage is 5 to 15
 * MiB; an uncompressed vmlinux with symbols can reach a few hundred. */
#define KERNEL_PACKAGE_MAX_KERNEL	((size_t)512 << 20)
/* Entries read before giving up (Debian's linux-image has ~4000). */
#define KERNEL_PACKAGE_MAX_ENTRIES	1000000u
/* Kernels named in a refusal (more are counted, not named). */
#define KERNEL_PACKAGE_MAX_LISTED	8

#define KERNEL_PACKAGE_VERSION_MAX	128
#define KERNEL_PACKAGE_MEMBER_MAX	256

enum kernel_package_format {
	KERNEL_PACKAGE_NONE,	/* neither: a kernel image, or something else */
	KERNEL_PACKAGE_DEB,
	KERNEL_PACKAGE_RPM,
};

/* Which package the first bytes start: "!<arch>\n" (a .deb's ar), or the
 * RPM lead's magic ed ab ee db. */
enum kernel_package_format kernel_package_identify(const uint8_t *head, size_t len);
const char *kernel_package_format_name(enum kernel_package_format f);	/* "deb", "rpm" */

struct kernel_package_kernel {
	char version[KERNEL_PACKAGE_VERSION_MAX];	/* "6.1.0-57-cloud-amd64" */
	char member[KERNEL_PACKAGE_MEMBER_MAX];		/* "boot/vmlinuz-6.1.0-57-cloud-amd64" */
	uint8_t *data;					/* malloc'ed */
	size_t len;
};

/* The VERSION of a kernel entry's path (after any "./" or "/"), in one of
 * the layouts above, into version: true; false for any other path, or a
 * VERSION empty, too long or with characters no kernel release uses. */
bool kernel_package_member_version(const char *path, char *version, size_t cap);

/* Finds the kernel in the package pkg[0..len): the one named want_version,
 * or with want_version NULL the only one.  0 with *out filled (free with
 * kernel_package_kernel_free), or -1 with err saying which: not a package
 * we read, corrupt or truncated (libarchive's words), no kernel in it (and
 * where we looked), no kernel of that version (the versions it has),
 * several kernels and no choice (each named), a kernel over the cap. */
int kernel_package_find(const uint8_t *pkg, size_t len, const char *want_version,
			struct kernel_package_kernel *out, struct tool_err *err);
void kernel_package_kernel_free(struct kernel_package_kernel *k);

/* Files the kernel needs from its own package (a dom0 its Xen modules):
 * the regular members under lib/modules/VERSION/PREFIX or
 * usr/lib/modules/VERSION/PREFIX, VERSION the kernel's.  Each one's path
 * under modules/VERSION/ is kept only if every component is a plain name
 * (letters, digits, . _ + ~ -; no "." or ".."), so that it can be made
 * below a directory of ours and nowhere else. */
#define KERNEL_PACKAGE_MAX_FILES	64
#define KERNEL_PACKAGE_MAX_FILE		((size_t)16 << 20)	/* a Xen module: tens of KiB */
#define KERNEL_PACKAGE_MAX_FILES_TOTAL	((size_t)64 << 20)

struct kernel_package_file {
	char version[KERNEL_PACKAGE_VERSION_MAX];
	char rel[KERNEL_PACKAGE_MEMBER_MAX];	/* "kernel/drivers/xen/xenfs/xenfs.ko" */
	uint8_t *data;				/* malloc'ed */
	size_t len;
};

struct kernel_package_files {
	const char *prefix;	/* in: "kernel/drivers/xen/" */
	unsigned n;		/* out: those of the kernel taken */
	size_t total;
	struct kernel_package_file f[KERNEL_PACKAGE_MAX_FILES];
};

/* kernel_package_find, and files->f[0..n) the kernel's files under
 * files->prefix (none is fine); -1 also for more than the caps above.
 * Free with kernel_package_files_free (after a failure too). */
int kernel_package_find_with_files(const uint8_t *pkg, size_t len, const char *want_version,
				   struct kernel_package_kernel *out,
				   struct kernel_package_files *files, struct tool_err *err);
void kernel_package_files_free(struct kernel_package_files *files);

#endif
