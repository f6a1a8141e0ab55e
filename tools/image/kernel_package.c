/* SPDX-License-Identifier: MIT */
/*
 * kernel_package.c - the kernel in a .deb or an .rpm (kernel_package.h).
 *
 * libarchive does the reading: its "ar" format for the .deb's outer
 * archive, whose data.tar.* member is read as a second archive streamed
 * from the first (nothing is unpacked to disk); its "rpm" filter, which
 * skips the lead, the signature and the header, for an RPM, whose payload
 * is then a compressed cpio.  Only the formats and filters these packages
 * use are enabled, and only those built into libarchive (no filter that
 * would run an external program on untrusted bytes).
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/cpio_guard.h"
#include "image/kernel_package.h"

enum kernel_package_format kernel_package_identify(const uint8_t *head, size_t len)
{
	static const uint8_t rpm_lead[4] = { 0xed, 0xab, 0xee, 0xdb };

	if (len >= 8 && !memcmp(head, "!<arch>\n", 8))
		return KERNEL_PACKAGE_DEB;
	if (len >= 4 && !memcmp(head, rpm_lead, 4))
		return KERNEL_PACKAGE_RPM;
	return KERNEL_PACKAGE_NONE;
}

const char *kernel_package_format_name(enum kernel_package_format f)
{
	return f == KERNEL_PACKAGE_DEB ? "deb" : f == KERNEL_PACKAGE_RPM ? "rpm" : "none";
}

/* A kernel release as `make kernelrelease` and distros spell it: letters,
 * digits and . _ + ~ - (no '/', so never a path of its own). */
static bool release_ok(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '+' || c == '~' || c == '-'))
			return false;
	}
	return !(n == 1 && s[0] == '.') && !(n == 2 && s[0] == '.' && s[1] == '.');
}

static bool take_release(const char *s, size_t n, char *version, size_t cap)
{
	if (!release_ok(s, n) || n >= cap)
		return false;
	memcpy(version, s, n);
	version[n] = 0;
	return true;
}

/* An entry's path without its "./" or "/" ("./boot/..." in a tar, "/boot/..."
 * or "./boot/..." in a cpio). */
static const char *relative(const char *path)
{
	for (;;) {
		if (path[0] == '.' && path[1] == '/')
			path += 2;
		else if (path[0] == '/')
			path++;
		else
			return path;
	}
}

bool kernel_package_member_version(const char *path, char *version, size_t cap)
{
	static const char *const modules_dirs[] = { "lib/modules/", "usr/lib/modules/" };

	path = relative(path);
	if (!strncmp(path, "boot/vmlinuz-", 13))
		return take_release(path + 13, strlen(path + 13), version, cap);
	for (size_t i = 0; i < sizeof(modules_dirs) / sizeof(modules_dirs[0]); i++) {
		size_t dl = strlen(modules_dirs[i]);
		if (strncmp(path, modules_dirs[i], dl))
			continue;
		const char *rel = path + dl, *slash = strchr(rel, '/');
		if (slash && !strcmp(slash, "/vmlinuz"))
			return take_release(rel, (size_t)(slash - rel), version, cap);
	}
	return false;
}

/* What the scan has seen: the kernels by version (the first few named),
 * and the one taken. */
struct scan {
	const char *want;
	struct kernel_package_kernel *out;
	struct kernel_package_files *files;	/* NULL: none wanted */
	bool taken;
	unsigned nkernels;
	char versions[KERNEL_PACKAGE_MAX_LISTED][KERNEL_PACKAGE_VERSION_MAX];
	char members[KERNEL_PACKAGE_MAX_LISTED][KERNEL_PACKAGE_MEMBER_MAX];
};

static bool seen(const struct scan *s, const char *version)
{
	unsigned n = s->nkernels < KERNEL_PACKAGE_MAX_LISTED ? s->nkernels : KERNEL_PACKAGE_MAX_LISTED;
	for (unsigned i = 0; i < n; i++)
		if (!strcmp(s->versions[i], version))
			return true;
	return false;
}

/* The entry's bytes into *data, at most cap ("a kernel may have": what
 * is refused, in words). */
static int read_member(struct archive *a, struct archive_entry *e, const char *member,
		       size_t max, const char *what, uint8_t **data, size_t *data_len,
		       struct tool_err *err)
{
	size_t cap = max < (1 << 20) ? max : 1 << 20, len = 0;

	if (archive_entry_size_is_set(e)) {
		int64_t sz = archive_entry_size(e);
		if (sz < 0 || (uint64_t)sz > max) {
			tool_err_set(err, "%s: %lld bytes, more than the %zu MiB %s may have",
				     member, (long long)sz, max >> 20, what);
			return -1;
		}
		cap = (size_t)sz + 1;	/* +1: a read of 0 ends it without a regrow */
	}
	uint8_t *buf = malloc(cap);
	if (!buf) {
		tool_err_set(err, "out of memory");
		return -1;
	}
	for (;;) {
		if (len == cap) {
			if (cap > max / 2) {
				tool_err_set(err, "%s: more than the %zu MiB %s may have",
					     member, max >> 20, what);
				goto fail;
			}
			uint8_t *nb = realloc(buf, cap * 2);
			if (!nb) {
				tool_err_set(err, "out of memory");
				goto fail;
			}
			buf = nb;
			cap *= 2;
		}
		la_ssize_t n = archive_read_data(a, buf + len, cap - len);
		if (n < 0) {
			tool_err_set(err, "%s: %s", member, archive_error_string(a));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	*data = buf;
	*data_len = len;
	return 0;
fail:
	free(buf);
	return -1;
}

/* A path under modules/VERSION/ made only of plain names: one we may
 * recreate below a directory of ours. */
static bool plain_relative(const char *rel)
{
	for (const char *c = rel;;) {
		const char *end = strchr(c, '/');
		size_t n = end ? (size_t)(end - c) : strlen(c);
		if (!release_ok(c, n))	/* the same characters, never "." or ".." */
			return false;
		if (!end)
			return true;
		c = end + 1;
	}
}

/* A file under [usr/]lib/modules/VERSION/PREFIX, taken into s->files. */
static int take_file(struct archive *a, struct archive_entry *e, const char *path,
		     struct scan *s, struct tool_err *err)
{
	static const char *const modules_dirs[] = { "lib/modules/", "usr/lib/modules/" };
	struct kernel_package_files *fs = s->files;

	for (size_t i = 0; fs && i < sizeof(modules_dirs) / sizeof(modules_dirs[0]); i++) {
		size_t dl = strlen(modules_dirs[i]);
		const char *v = path + dl, *slash;
		if (strncmp(path, modules_dirs[i], dl) || !(slash = strchr(v, '/')) ||
		    strncmp(slash + 1, fs->prefix, strlen(fs->prefix)) ||
		    !plain_relative(slash + 1) || strlen(slash + 1) >= KERNEL_PACKAGE_MEMBER_MAX)
			continue;
		struct kernel_package_file *f = &fs->f[fs->n];
		if (fs->n == KERNEL_PACKAGE_MAX_FILES) {
			tool_err_set(err, "more than %u files under modules/*/%s",
				     KERNEL_PACKAGE_MAX_FILES, fs->prefix);
			return -1;
		}
		if (!take_release(v, (size_t)(slash - v), f->version, sizeof(f->version)))
			continue;
		if (read_member(a, e, path, KERNEL_PACKAGE_MAX_FILE, "a module file", &f->data,
				&f->len, err))
			return -1;
		strcpy(f->rel, slash + 1);
		fs->n++;
		if ((fs->total += f->len) > KERNEL_PACKAGE_MAX_FILES_TOTAL) {
			tool_err_set(err, "more than %zu MiB under modules/*/%s",
				     KERNEL_PACKAGE_MAX_FILES_TOTAL >> 20, fs->prefix);
			return -1;
		}
		return 0;
	}
	return 0;
}

/* One entry of the payload: a kernel is counted, and read if it is the
 * one wanted (or, with no choice, the first). */
static int scan_entry(struct archive *a, struct archive_entry *e, struct scan *s,
		      struct tool_err *err)
{
	char version[KERNEL_PACKAGE_VERSION_MAX];
	const char *path = archive_entry_pathname(e);

	if (!path || archive_entry_filetype(e) != AE_IFREG)
		return 0;
	if (!kernel_package_member_version(path, version, sizeof(version)))
		return take_file(a, e, relative(path), s, err);
	if (seen(s, version))
		return 0;
	if (s->nkernels < KERNEL_PACKAGE_MAX_LISTED) {
		strcpy(s->versions[s->nkernels], version);
		snprintf(s->members[s->nkernels], KERNEL_PACKAGE_MEMBER_MAX, "%s", relative(path));
	}
	s->nkernels++;
	if (s->taken || (s->want && strcmp(s->want, version)))
		return 0;
	if (read_member(a, e, relative(path), KERNEL_PACKAGE_MAX_KERNEL, "a kernel",
			&s->out->data, &s->out->len, err))
		return -1;
	strcpy(s->out->version, version);
	snprintf(s->out->member, sizeof(s->out->member), "%s", relative(path));
	s->taken = true;
	return 0;
}

/* Every entry of the payload (a tar or a cpio), to its end: a truncation
 * or a second kernel after the first must be seen too. */
static int scan_payload(struct archive *a, struct scan *s, struct tool_err *err)
{
	struct archive_entry *e;
	unsigned n = 0;
	int r;

	while ((r = archive_read_next_header(a, &e)) != ARCHIVE_EOF) {
		if (r == ARCHIVE_FATAL) {
			tool_err_set(err, "corrupt or truncated: %s",
				     archive_error_string(a) ? archive_error_string(a) : "unreadable");
			return -1;
		}
		if (++n > KERNEL_PACKAGE_MAX_ENTRIES) {	/* RETRYs count: they end too */
			tool_err_set(err, "more than %u entries: not a kernel package",
				     KERNEL_PACKAGE_MAX_ENTRIES);
			return -1;
		}
		if (r < ARCHIVE_WARN)	/* RETRY: this header was bad, try the next */
			continue;
		if (scan_entry(a, e, s, err))
			return -1;
	}
	return 0;
}

/* The compressions dpkg and rpm write.  libarchive answers ARCHIVE_WARN
 * for one it was built without and would then run the external program
 * (gzip -d, zstd -d ...) on the package's bytes: such a filter is dropped,
 * decided once on a throwaway reader (the answer is the build's). */
typedef int (*support_filter_fn)(struct archive *);
static const support_filter_fn compressions[] = {
	archive_read_support_filter_gzip, archive_read_support_filter_bzip2,
	archive_read_support_filter_xz, archive_read_support_filter_lzma,
	archive_read_support_filter_zstd,
};
#define NCOMPRESSIONS (sizeof(compressions) / sizeof(compressions[0]))

static void support_compressions(struct archive *a)
{
	static bool decided, builtin[NCOMPRESSIONS];

	if (!decided) {	/* the tools read packages from one thread */
		struct archive *probe = archive_read_new();
		for (size_t i = 0; probe && i < NCOMPRESSIONS; i++)
			builtin[i] = compressions[i](probe) == ARCHIVE_OK;
		if (probe)
			archive_read_free(probe);
		decided = probe != NULL;
	}
	for (size_t i = 0; i < NCOMPRESSIONS; i++)
		if (builtin[i])
			compressions[i](a);
}

/* The .deb's data.tar.*, read from the outer (ar) archive as it streams. */
struct nested {
	struct archive *outer;
	uint8_t buf[64 * 1024];
};

static la_ssize_t nested_read(struct archive *inner, void *ud, const void **buf)
{
	struct nested *n = ud;
	la_ssize_t r = archive_read_data(n->outer, n->buf, sizeof(n->buf));
	if (r < 0)
		archive_set_error(inner, EIO, "%s", archive_error_string(n->outer));
	*buf = n->buf;
	return r;
}

static int scan_deb_data(struct archive *outer, struct scan *s, struct tool_err *err)
{
	struct nested *n = malloc(sizeof(*n));
	struct archive *in = archive_read_new();
	int rc = -1;

	if (!n || !in) {
		tool_err_set(err, "out of memory");
		goto out;
	}
	n->outer = outer;
	support_compressions(in);
	archive_read_support_format_tar(in);
	if (archive_read_open(in, n, NULL, nested_read, NULL) != ARCHIVE_OK) {
		tool_err_set(err, "data.tar: %s", archive_error_string(in));
		goto out;
	}
	rc = scan_payload(in, s, err);
	if (rc)
		tool_err_prefix(err, "data.tar");
out:
	if (in)
		archive_read_free(in);
	free(n);
	return rc;
}

/* An ar header's decimal field as libarchive's ar_atol10 reads it:
 * leading blanks, then digits up to the first other byte. */
static uint64_t ar_decimal(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	size_t i = 0;

	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	for (; i < n && p[i] >= '0' && p[i] <= '9'; i++)
		v = v * 10 + (uint64_t)(p[i] - '0');	/* 10 digits: no overflow */
	return v;
}

/* libarchive's ar reader mallocs a GNU name table ("//") at the size its
 * header declares (up to 1 GiB) before reading it.  The ar's headers are
 * walked here first, as libarchive lays them out (60 bytes, the data, a
 * pad to even), and a name table larger than the bytes left is refused:
 * what libarchive then allocates is at most the package's size.  The walk
 * stops where libarchive's would (no header, or a member cut short). */
static int deb_ar_bounded(const uint8_t *pkg, size_t len, struct tool_err *err)
{
	size_t off = 8;

	for (unsigned long member = 1; len - off >= 60; member++) {
		const uint8_t *h = pkg + off;
		size_t name = 16, left = len - off - 60;
		if (h[58] != '`' || h[59] != '\n')
			return 0;
		uint64_t size = ar_decimal(h + 48, 10);
		const uint8_t *nul = memchr(h, 0, 16);
		if (nul)
			name = (size_t)(nul - h);
		while (name && h[name - 1] == ' ')
			name--;
		if (name == 2 && h[0] == '/' && h[1] == '/' && size > left) {
			tool_err_set(err, "truncated or hostile: package member %lu, an ar name table "
				     "(//) of %llu bytes, has %zu left", member,
				     (unsigned long long)size, left);
			return -1;
		}
		if (size > left)
			return 0;
		off += 60 + (size_t)size;
		if (size & 1) {
			if (off == len)
				return 0;
			off++;
		}
	}
	return 0;
}

/* A .deb: debian-binary first (dpkg's rule), then the data.tar member. */
static int scan_deb(const uint8_t *pkg, size_t len, struct scan *s, struct tool_err *err)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	bool data = false;
	int rc = -1, r;

	if (!a) {
		tool_err_set(err, "out of memory");
		return -1;
	}
	archive_read_support_format_ar(a);
	if (deb_ar_bounded(pkg, len, err))
		goto out;
	if (archive_read_open_memory(a, pkg, len) != ARCHIVE_OK) {
		tool_err_set(err, "not a readable ar archive: %s", archive_error_string(a));
		goto out;
	}
	for (unsigned i = 0; (r = archive_read_next_header(a, &e)) != ARCHIVE_EOF; i++) {
		const char *name = archive_entry_pathname(e);
		if (r < ARCHIVE_WARN) {
			tool_err_set(err, "corrupt or truncated ar archive: %s", archive_error_string(a));
			goto out;
		}
		if (i == 0 && (!name || strcmp(name, "debian-binary"))) {
			tool_err_set(err, "an ar archive but no Debian package: its first member "
				     "is not debian-binary");
			goto out;
		}
		if (name && !strncmp(name, "data.tar", 8) && !data) {
			data = true;
			if (scan_deb_data(a, s, err))
				goto out;
		}
	}
	if (!data) {
		tool_err_set(err, "a Debian package without a data.tar member");
		goto out;
	}
	rc = 0;
out:
	archive_read_free(a);
	return rc;
}

/* An RPM's payload on its way from the decompressor (the outer reader, in
 * "raw" format: the bytes as they are) to libarchive's cpio reader (the
 * inner one), every chunk through the cpio guard first (cpio_guard.h: the
 * reader would malloc a header's name size, up to 4 GiB, before reading
 * it).  Memory: this chunk and the guard's state; the stream is never held. */
struct guarded {
	struct archive *outer;
	struct cpio_guard guard;
	struct tool_err why;	/* the guard's refusal */
	bool refused;
	uint8_t buf[64 * 1024];
};

static la_ssize_t guarded_read(struct archive *inner, void *ud, const void **buf)
{
	struct guarded *g = ud;
	la_ssize_t r = archive_read_data(g->outer, g->buf, sizeof(g->buf));

	*buf = g->buf;
	if (r < 0) {
		archive_set_error(inner, EIO, "%s", archive_error_string(g->outer));
		return r;
	}
	if (cpio_guard_check(&g->guard, g->buf, (size_t)r, &g->why)) {
		g->refused = true;
		archive_set_error(inner, EINVAL, "%s", g->why.msg);
		return -1;
	}
	return r;
}

static int scan_rpm_cpio(struct archive *outer, struct scan *s, struct tool_err *err)
{
	struct guarded *g = malloc(sizeof(*g));
	struct archive *in = archive_read_new();
	int rc = -1;

	if (!g || !in) {
		tool_err_set(err, "out of memory");
		goto out;
	}
	g->outer = outer;
	g->refused = false;
	cpio_guard_init(&g->guard);
	archive_read_support_format_cpio(in);
	if (archive_read_open(in, g, NULL, guarded_read, NULL) != ARCHIVE_OK)
		tool_err_set(err, "%s", archive_error_string(in));
	else
		rc = scan_payload(in, s, err);
	if (rc && g->refused)	/* the guard's words, not libarchive's echo of them */
		*err = g->why;
out:
	if (in)
		archive_read_free(in);
	free(g);
	return rc;
}

/* An RPM: libarchive's rpm filter strips lead, signature and header, a
 * compression filter unpacks the payload, and "raw" hands it on as one
 * entry's data to the guarded cpio reader. */
static int scan_rpm(const uint8_t *pkg, size_t len, struct scan *s, struct tool_err *err)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	int rc = -1;

	if (!a) {
		tool_err_set(err, "out of memory");
		return -1;
	}
	archive_read_support_filter_rpm(a);
	support_compressions(a);
	archive_read_support_format_raw(a);
	if (archive_read_open_memory(a, pkg, len) != ARCHIVE_OK ||
	    archive_read_next_header(a, &e) != ARCHIVE_OK)
		tool_err_set(err, "corrupt or truncated RPM: %s", archive_error_string(a));
	else if ((rc = scan_rpm_cpio(a, s, err)))
		tool_err_prefix(err, "RPM payload");
	archive_read_free(a);
	return rc;
}

/* What the scan found, against what was asked: 0 or -1 with why. */
static int judge(const struct scan *s, struct tool_err *err)
{
	if (s->nkernels == 0) {
		tool_err_set(err, "no kernel in the package (looked for boot/vmlinuz-*, "
			     "lib/modules/*/vmlinuz, usr/lib/modules/*/vmlinuz)");
		return -1;
	}
	if (s->taken && (s->want || s->nkernels == 1))
		return 0;
	unsigned listed = s->nkernels < KERNEL_PACKAGE_MAX_LISTED ? s->nkernels
								  : KERNEL_PACKAGE_MAX_LISTED;
	if (s->want)
		tool_err_set(err, "no kernel %s in the package; it holds", s->want);
	else
		tool_err_set(err, "%u kernels in the package, choose one with --kernel-version:",
			     s->nkernels);
	for (unsigned i = 0; i < listed; i++)
		tool_err_append(err, "%s %s (%s)", i ? "," : "", s->versions[i], s->members[i]);
	if (listed < s->nkernels)
		tool_err_append(err, " and %u more", s->nkernels - listed);
	return -1;
}

/* Only the kernel's own files stay. */
static void keep_kernels_files(struct kernel_package_files *fs, const char *version)
{
	unsigned kept = 0;

	fs->total = 0;
	for (unsigned i = 0; i < fs->n; i++) {
		if (strcmp(fs->f[i].version, version)) {
			free(fs->f[i].data);
			continue;
		}
		fs->f[kept++] = fs->f[i];
		fs->total += fs->f[i].len;
	}
	fs->n = kept;
}

int kernel_package_find_with_files(const uint8_t *pkg, size_t len, const char *want_version,
				   struct kernel_package_kernel *out,
				   struct kernel_package_files *files, struct tool_err *err)
{
	struct scan *s = calloc(1, sizeof(*s));
	enum kernel_package_format f = kernel_package_identify(pkg, len);
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (files) {
		files->n = 0;
		files->total = 0;
	}
	if (!s) {
		tool_err_set(err, "out of memory");
		return -1;
	}
	s->want = want_version;
	s->out = out;
	s->files = files;
	if (f == KERNEL_PACKAGE_NONE)
		tool_err_set(err, "not a .deb or .rpm package");
	else if (!(f == KERNEL_PACKAGE_DEB ? scan_deb(pkg, len, s, err) : scan_rpm(pkg, len, s, err)))
		rc = judge(s, err);
	if (rc) {
		kernel_package_kernel_free(out);
		kernel_package_files_free(files);
	} else if (files) {
		keep_kernels_files(files, out->version);
	}
	free(s);
	return rc;
}

int kernel_package_find(const uint8_t *pkg, size_t len, const char *want_version,
			struct kernel_package_kernel *out, struct tool_err *err)
{
	return kernel_package_find_with_files(pkg, len, want_version, out, NULL, err);
}

void kernel_package_files_free(struct kernel_package_files *files)
{
	for (unsigned i = 0; files && i < files->n; i++)
		free(files->f[i].data);
	if (files) {
		files->n = 0;
		files->total = 0;
	}
}

void kernel_package_kernel_free(struct kernel_package_kernel *k)
{
	free(k->data);
	k->data = NULL;
	k->len = 0;
}
