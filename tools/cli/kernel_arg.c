/* SPDX-License-Identifier: MIT */
/*
 * kernel_arg.c - a KERNEL argument that may be a package (kernel_arg.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/kernel_arg.h"
#include "common/fileio.h"
#include "common/tool_err.h"
#include "image/kernel_package.h"
#include "machine/process.h"
#include "machine/rundir.h"

/* Which package the file starts as (KERNEL_PACKAGE_NONE when it is short
 * or unreadable: the command's own reading says why). */
static enum kernel_package_format sniff(const char *path)
{
	uint8_t head[8];
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	ssize_t n = -1;

	if (fd < 0)
		return KERNEL_PACKAGE_NONE;
	if (!fstat(fd, &st) && S_ISREG(st.st_mode))
		n = read(fd, head, sizeof(head));
	close(fd);
	return n > 0 ? kernel_package_identify(head, (size_t)n) : KERNEL_PACKAGE_NONE;
}

void kernel_arg_name_in(const struct kernel_arg *k, struct tool_err *err)
{
	size_t n = strlen(k->file);
	if (!k->from_package || strncmp(err->msg, k->file, n))
		return;
	char rest[TOOL_ERR_MAX];
	snprintf(rest, sizeof(rest), "%s", err->msg + n);
	tool_err_set(err, "%s%s", k->shown, rest);
}

bool kernel_arg_is_package(const char *path)
{
	return sniff(path) != KERNEL_PACKAGE_NONE;
}

/* The package's kernel into a fresh run directory as dir/kernel, or
 * dir/vmlinuz-VERSION when its files go beside it. */
static int write_kernel(struct kernel_arg *k, const struct kernel_package_kernel *pk,
			bool versioned, struct tool_err *err)
{
	if (rundir_create(k->dir, sizeof(k->dir), &k->dir_lock, err))
		return -1;
	process_cleanup_on_signal(k->dir);
	if ((size_t)snprintf(k->file, sizeof(k->file), "%s/%s%s", k->dir,
			     versioned ? "vmlinuz-" : "kernel", versioned ? pk->version : "") >=
	    sizeof(k->file)) {
		tool_err_set(err, "run directory path too long");
		return -1;
	}
	if (fileio_write_atomic(k->file, pk->data, pk->len, 0600, err))
		return -1;
	k->path = k->file;
	return 0;
}

/* Each directory of path below root, made (mode 0700: ours alone). */
static int make_parents(const char *root, const char *path, struct tool_err *err)
{
	char dir[700];
	size_t rl = strlen(root);

	if ((size_t)snprintf(dir, sizeof(dir), "%s", path) >= sizeof(dir)) {
		tool_err_set(err, "%s: path too long", path);
		return -1;
	}
	for (char *p = dir + rl + 1; (p = strchr(p, '/')); p++) {
		*p = 0;
		if (mkdir(dir, 0700) && errno != EEXIST) {
			tool_err_set(err, "%s: %s", dir, strerror(errno));
			return -1;
		}
		*p = '/';
	}
	return 0;
}

/* The kernel's files as DIR/modules-VERSION/REL: REL is a plain relative
 * path (kernel_package.h), so each lands below DIR. */
static int write_files(struct kernel_arg *k, const struct kernel_package_kernel *pk,
		       const struct kernel_package_files *fs, struct tool_err *err)
{
	char path[700];

	for (unsigned i = 0; i < fs->n; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/modules-%s/%s", k->dir, pk->version,
				     fs->f[i].rel) >= sizeof(path)) {
			tool_err_set(err, "%s: path too long", fs->f[i].rel);
			return -1;
		}
		if (make_parents(k->dir, path, err) ||
		    fileio_write_atomic(path, fs->f[i].data, fs->f[i].len, 0600, err))
			return -1;
	}
	k->nfiles = fs->n;
	return 0;
}

static int open_arg(struct kernel_arg *k, const char *given, const char *want_version,
		    struct kernel_package_files *fs, struct tool_err *err)
{
	memset(k, 0, sizeof(*k));
	k->given = k->path = given;
	k->dir_lock = -1;
	snprintf(k->shown, sizeof(k->shown), "%s", given);
	enum kernel_package_format f = sniff(given);
	if (f == KERNEL_PACKAGE_NONE) {
		if (want_version) {
			tool_err_set(err, "%s: --kernel-version chooses a kernel in a package "
				     "(.deb, .rpm), and this is no package", given);
			return -1;
		}
		return 0;
	}
	/* mapped: a package can be large, and only its bytes are read, once */
	struct kernel_package_kernel pk;
	struct fileio_mapped m;
	if (fileio_map(given, &m, err))
		return -1;
	int rc = kernel_package_find_with_files(m.data, m.len, want_version, &pk, fs, err);
	fileio_unmap(&m);
	if (rc) {
		tool_err_prefix(err, "%s (%s package)", given, kernel_package_format_name(f));
		return -1;
	}
	k->from_package = true;
	snprintf(k->version, sizeof(k->version), "%s", pk.version);
	snprintf(k->member, sizeof(k->member), "%s", pk.member);
	snprintf(k->shown, sizeof(k->shown), "%s:%s", given, pk.member);
	rc = write_kernel(k, &pk, fs != NULL, err);
	if (!rc && fs)
		rc = write_files(k, &pk, fs, err);
	kernel_package_kernel_free(&pk);
	kernel_package_files_free(fs);
	if (rc) {
		tool_err_prefix(err, "%s", given);
		kernel_arg_close(k);
	}
	return rc;
}

int kernel_arg_open(struct kernel_arg *k, const char *given, const char *want_version,
		    struct tool_err *err)
{
	return open_arg(k, given, want_version, NULL, err);
}

int kernel_arg_open_with_files(struct kernel_arg *k, const char *given, const char *prefix,
			       struct tool_err *err)
{
	struct kernel_package_files *fs = calloc(1, sizeof(*fs));
	if (!fs) {
		tool_err_set(err, "out of memory");
		return -1;
	}
	fs->prefix = prefix;
	int rc = open_arg(k, given, NULL, fs, err);
	free(fs);
	return rc;
}

int kernel_arg_open_dom0(struct kernel_arg *k, const char *given, bool quiet,
			 struct tool_err *err)
{
	if (!given) {
		memset(k, 0, sizeof(*k));
		k->dir_lock = -1;
		return 0;
	}
	if (kernel_arg_open_with_files(k, given, "kernel/drivers/xen/", err)) {
		tool_err_prefix(err, "--dom0");
		return -1;
	}
	if (k->from_package && !quiet)
		tool_error("--dom0 %s: kernel %s (%s), %u files of its kernel/drivers/xen/", given,
			   k->version, k->member, k->nfiles);
	return 0;
}

void kernel_arg_say(const struct kernel_arg *k, bool quiet)
{
	if (k->from_package && !quiet)
		tool_error("%s: kernel %s (%s)", k->given, k->version, k->member);
}

void kernel_arg_close(struct kernel_arg *k)
{
	if (k->dir[0])
		rundir_remove(k->dir);
	k->dir[0] = 0;
	if (k->dir_lock > 0)
		close(k->dir_lock);
	k->dir_lock = -1;
	k->path = k->given;
}
