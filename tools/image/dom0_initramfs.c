/* SPDX-License-Identifier: MIT */
/* dom0_initramfs.c - see dom0_initramfs.h. */
#include <dirent.h>
#include <lzma.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "common/fileio.h"
#include "image/cpio.h"
#include "image/dom0_initramfs.h"
#include "image/elf_needed.h"

#define LIB_DIR		"lib/x86_64-linux-gnu"	/* in the archive, no leading / */
#define MAX_LIBS	64
#define MODULE_MAX	(64u << 20)		/* a Xen module is tens of KiB */

static const char *const host_lib_dirs[] = {
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64",
	"/lib", "/usr/lib", NULL
};
static const char *const tools[] = { "xl", "xenstored", "xenconsoled", "xen-init-dom0", NULL };
static const char *const modules[][2] = {	/* name, path under kernel/drivers/xen */
	{ "xen-evtchn", "xen-evtchn" }, { "xen-privcmd", "xen-privcmd" },
	{ "xenfs", "xenfs/xenfs" }, { "xen-gntdev", "xen-gntdev" },
	{ "xen-gntalloc", "xen-gntalloc" },
};

/* The libraries already in the archive, by name, so each goes in once. */
struct libset {
	char names[MAX_LIBS][ELF_NEEDED_NAME_MAX];
	unsigned n;
};

/* The newest /usr/lib/xen-VERSION/bin holding xl, or $ZEROPAGE_XEN_TOOLS. */
static int find_tools_dir(char *out, size_t cap, struct tool_err *err)
{
	const char *env = getenv("ZEROPAGE_XEN_TOOLS");
	char best[256] = "", xl[512];
	DIR *d;
	struct dirent *e;

	if (env && *env) {
		snprintf(out, cap, "%s", env);
		return 0;
	}
	if ((d = opendir("/usr/lib"))) {
		while ((e = readdir(d))) {
			snprintf(xl, sizeof(xl), "/usr/lib/%s/bin/xl", e->d_name);
			if (!strncmp(e->d_name, "xen-", 4) && !access(xl, X_OK) &&
			    (!best[0] || strverscmp(e->d_name, best) > 0))
				snprintf(best, sizeof(best), "%s", e->d_name);
		}
		closedir(d);
	}
	if (!best[0]) {
		tool_err_set(err, "Xen's toolstack is not installed: no /usr/lib/xen-*/bin/xl "
			     "(apt-get install xen-utils-4.17, or set ZEROPAGE_XEN_TOOLS)");
		return -1;
	}
	snprintf(out, cap, "/usr/lib/%s/bin", best);
	return 0;
}

/* A host file into the archive as a regular file (symlinks followed). */
static int add_host_file(struct cpio_archive *a, const char *host, const char *name,
			 unsigned perm, struct tool_err *err)
{
	uint8_t *data;
	size_t len;

	if (fileio_read_all(host, &data, &len, err))
		return -1;
	int r = cpio_file(a, name, perm, data, len);
	free(data);
	if (r)
		tool_err_set(err, "%s: %s", name, a->err.msg);
	return r;
}

static int add_libs_of(struct cpio_archive *a, const char *path, struct libset *seen,
		       struct tool_err *err);

/* One library by name: found in the host's directories, added, and its
 * own needs followed. */
static int add_lib(struct cpio_archive *a, const char *lib, struct libset *seen,
		   struct tool_err *err)
{
	char host[512], name[300];

	for (unsigned i = 0; i < seen->n; i++)
		if (!strcmp(seen->names[i], lib))
			return 0;
	if (seen->n == MAX_LIBS || strchr(lib, '/')) {
		tool_err_set(err, "%s: %s", lib, strchr(lib, '/') ? "a DT_NEEDED path, not a name"
								 : "too many libraries");
		return -1;
	}
	snprintf(seen->names[seen->n++], ELF_NEEDED_NAME_MAX, "%s", lib);
	for (int i = 0; host_lib_dirs[i]; i++) {
		snprintf(host, sizeof(host), "%s/%s", host_lib_dirs[i], lib);
		if (access(host, R_OK))
			continue;
		snprintf(name, sizeof(name), "%s/%s", LIB_DIR, lib);
		if (add_host_file(a, host, name, 0755, err))
			return -1;
		return add_libs_of(a, host, seen, err);
	}
	tool_err_set(err, "%s: not found in the host's library directories", lib);
	return -1;
}

/* The interpreter and libraries the ELF at path needs. */
static int add_libs_of(struct cpio_archive *a, const char *path, struct libset *seen,
		       struct tool_err *err)
{
	struct elf_needed *need = malloc(sizeof(*need));
	uint8_t *data;
	size_t len;
	int r = -1;

	if (!need || fileio_read_all(path, &data, &len, err)) {
		if (!need)
			tool_err_set(err, "out of memory");
		free(need);
		return -1;
	}
	if (elf_needed_read(data, len, need, err)) {
		tool_err_prefix(err, "%s", path);
		goto out;
	}
	/* the interpreter at the path the program names (/lib64/ld-linux-...) */
	if (need->interp[0] && need->interp[0] == '/' &&
	    add_host_file(a, need->interp, need->interp + 1, 0755, err))
		goto out;
	r = 0;
	for (unsigned i = 0; i < need->count && !r; i++)
		r = add_lib(a, need->names[i], seen, err);
out:
	free(data);
	free(need);
	return r;
}

/* xz or zstd into a malloc'ed buffer, at most MODULE_MAX bytes. */
static int unpack_module(const char *path, const uint8_t *in, size_t len, bool xz,
			 uint8_t **out, size_t *out_len, struct tool_err *err)
{
	uint8_t *buf = malloc(MODULE_MAX);
	size_t n = 0, in_pos = 0;
	bool ok;

	if (!buf) {
		tool_err_set(err, "out of memory");
		return -1;
	}
	if (xz) {
		uint64_t limit = UINT64_MAX;
		ok = lzma_stream_buffer_decode(&limit, 0, NULL, in, &in_pos, len, buf, &n,
					       MODULE_MAX) == LZMA_OK;
	} else {
		size_t r = ZSTD_decompress(buf, MODULE_MAX, in, len);
		ok = !ZSTD_isError(r);
		n = ok ? r : 0;
	}
	if (!ok) {
		tool_err_set(err, "%s: damaged %s stream, or over %u MiB unpacked", path,
			     xz ? "xz" : "zstd", MODULE_MAX >> 20);
		free(buf);
		return -1;
	}
	*out = buf;
	*out_len = n;
	return 0;
}

/* One module, as Debian ships it: .ko, .ko.xz or .ko.zst; absent is fine. */
static int add_module(struct cpio_archive *a, const char *dir, const char *const m[2],
		      struct tool_err *err)
{
	static const char *const ext[] = { ".ko", ".ko.xz", ".ko.zst" };
	char path[600], name[64];
	uint8_t *data, *ko;
	size_t len, ko_len;

	snprintf(name, sizeof(name), "lib/modules/%s.ko", m[0]);
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/kernel/drivers/xen/%s%s", dir, m[1], ext[i]);
		if (access(path, R_OK))
			continue;
		if (i == 0)
			return add_host_file(a, path, name, 0644, err);
		if (fileio_read_all(path, &data, &len, err))
			return -1;
		int r = unpack_module(path, data, len, i == 1, &ko, &ko_len, err);
		free(data);
		if (r)
			return -1;
		r = cpio_file(a, name, 0644, ko, ko_len);
		free(ko);
		if (r)
			tool_err_set(err, "%s: %s", name, a->err.msg);
		return r;
	}
	return 0;
}

static int add_dirs(struct cpio_archive *a)
{
	static const char *const dirs[] = {
		"bin", "dev", "proc", "sys", "tmp", "run", "lib", LIB_DIR, "lib64", "lib/modules",
		"etc", "etc/xen", "etc/zp", "var", "var/lib", "var/lib/xen", "var/run",
		"var/run/xen", "var/log", "var/log/xen", NULL
	};
	for (int i = 0; dirs[i]; i++)
		if (cpio_dir(a, dirs[i], 0755))
			return -1;
	/* the kernel opens /dev/console before /init runs: devtmpfs comes later */
	return cpio_chardev(a, "dev/console", 0600, 5, 1);
}

/* busybox-static and the four Xen tools with what they load. */
static int add_programs(struct cpio_archive *a, struct tool_err *err)
{
	char dir[300], host[400], name[64];
	struct libset *seen = calloc(1, sizeof(*seen));
	struct elf_needed bb;
	uint8_t *data;
	size_t len;
	int r = -1;

	if (!seen || fileio_read_all("/bin/busybox", &data, &len, err)) {
		if (seen)
			tool_err_prefix(err, "busybox (apt-get install busybox-static)");
		goto out;
	}
	r = elf_needed_read(data, len, &bb, err);
	if (!r && bb.interp[0])
		tool_err_set(err, "/bin/busybox is dynamically linked: install busybox-static");
	if (!r && !bb.interp[0] && cpio_file(a, "bin/busybox", 0755, data, len))
		tool_err_set(err, "bin/busybox: %s", a->err.msg);
	free(data);
	if (r || err->msg[0] || find_tools_dir(dir, sizeof(dir), err)) {
		r = -1;
		goto out;
	}
	for (int i = 0; tools[i]; i++) {
		snprintf(host, sizeof(host), "%s/%s", dir, tools[i]);
		snprintf(name, sizeof(name), "bin/%s", tools[i]);
		if (add_host_file(a, host, name, 0755, err) || add_libs_of(a, host, seen, err))
			goto out;
	}
	r = add_lib(a, "libgcc_s.so.1", seen, err);
out:
	free(seen);
	return r;
}

/* /etc/zp: the list of domUs and each one's config and files. */
static int add_domus(struct cpio_archive *a, const struct dom0_initramfs_spec *s,
		     struct tool_err *err)
{
	char list[(DOM0_DOMU_NAME_MAX + 12) * 64 + 1] = "", name[64];
	size_t n = 0;

	for (unsigned i = 0; i < s->ndomus && i < 64; i++) {
		const struct dom0_domu *d = &s->domus[i];
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s %u\n", d->name, d->timeout_s);
		snprintf(name, sizeof(name), "etc/zp/%s.cfg", d->name);
		if (cpio_file(a, name, 0644, d->config, strlen(d->config))) {
			tool_err_set(err, "%s: %s", name, a->err.msg);
			return -1;
		}
		snprintf(name, sizeof(name), "etc/zp/%s-kernel", d->name);
		if (add_host_file(a, d->kernel, name, 0644, err))
			return -1;
		snprintf(name, sizeof(name), "etc/zp/%s-ramdisk", d->name);
		if (d->ramdisk && add_host_file(a, d->ramdisk, name, 0644, err))
			return -1;
	}
	if (cpio_file(a, "etc/zp/domus", 0644, list, n)) {
		tool_err_set(err, "etc/zp/domus: %s", a->err.msg);
		return -1;
	}
	return 0;
}

int dom0_initramfs_write(const char *out, const struct dom0_initramfs_spec *s,
			 struct tool_err *err)
{
	struct cpio_archive a;
	int r = -1;

	err->msg[0] = 0;
	cpio_init(&a);
	if (add_dirs(&a) ||
	    cpio_file(&a, "init", 0755, dom0_init_start, (size_t)(dom0_init_end - dom0_init_start))) {
		tool_err_set(err, "%s", a.err.msg);
		goto out;
	}
	if (add_programs(&a, err))
		goto out;
	if (!access("/etc/xen/xl.conf", R_OK) &&
	    add_host_file(&a, "/etc/xen/xl.conf", "etc/xen/xl.conf", 0644, err))
		goto out;
	for (size_t i = 0; s->modules_dir && i < sizeof(modules) / sizeof(modules[0]); i++)
		if (add_module(&a, s->modules_dir, modules[i], err))
			goto out;
	if (add_domus(&a, s, err))
		goto out;
	if (cpio_finish(&a, 4)) {
		tool_err_set(err, "%s", a.err.msg);
		goto out;
	}
	r = fileio_write_atomic(out, a.data, a.len, 0600, err);
out:
	cpio_free(&a);
	return r;
}
