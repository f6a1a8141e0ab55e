/* SPDX-License-Identifier: MIT */
/* xen_machine.c - see xen_machine.h. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "common/tool_err.h"
#include "image/cache.h"
#include "common/fileio.h"
#include "machine/process.h"
#include "machine/xen_machine.h"

#define XEN_IMAGE_MAX	(64u << 20)	/* Xen 4.17 is 2.5 MB unpacked */

/* The newest /boot/xen-<version>.gz: the package installs the image both
 * gzipped (for multiboot loaders) and as .efi; the .gz is what QEMU's
 * multiboot loader can take once unpacked.  "Newest" by version order. */
static int find_boot_xen(char *out, size_t cap)
{
	DIR *d = opendir("/boot");
	struct dirent *e;
	char best[256] = "";

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (strncmp(e->d_name, "xen-", 4) || l < 8 || strcmp(e->d_name + l - 3, ".gz"))
			continue;
		if (!best[0] || strverscmp(e->d_name, best) > 0)
			snprintf(best, sizeof(best), "%s", e->d_name);
	}
	closedir(d);
	if (!best[0])
		return -1;
	snprintf(out, cap, "/boot/%s", best);
	return 0;
}

/* gunzip src (or copy it, when it is not gzipped) into memory. */
static int unpack(const char *src, uint8_t **data, size_t *len, struct tool_err *err)
{
	gzFile gz = gzopen(src, "rb");	/* reads plain files transparently */
	size_t cap = 4u << 20, n = 0;
	uint8_t *buf = malloc(cap);

	if (!gz || !buf) {
		tool_err_set(err, "%s: %s", src, gz ? "out of memory" : strerror(errno));
		if (gz)
			gzclose(gz);
		free(buf);
		return -1;
	}
	for (;;) {
		if (n == cap) {
			uint8_t *p = cap < XEN_IMAGE_MAX ? realloc(buf, cap * 2) : NULL;
			if (!p) {
				tool_err_set(err, "%s: more than %u MiB unpacked: not a Xen image",
					 src, XEN_IMAGE_MAX >> 20);
				goto fail;
			}
			buf = p;
			cap *= 2;
		}
		int r = gzread(gz, buf + n, (unsigned)(cap - n));
		if (r < 0) {
			int e;
			tool_err_set(err, "%s: damaged gzip: %s", src, gzerror(gz, &e));
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	gzclose(gz);
	if (n < 4 || memcmp(buf, "\177ELF", 4)) {
		tool_err_set(err, "%s: not an ELF image once unpacked", src);
		free(buf);
		return -1;
	}
	*data = buf;
	*len = n;
	return 0;
fail:
	gzclose(gz);
	free(buf);
	return -1;
}

/* src unpacked into the cache entry out: written under a unique name
 * (our signal handlers remove it if we are killed), renamed, sealed. */
static int cache_unpacked(const char *src, const char *out, struct tool_err *err)
{
	struct fileio_atomic f;
	uint8_t *data;
	size_t len, done = 0;

	if (unpack(src, &data, &len, err))
		return -1;
	if (fileio_atomic_begin(out, 0644, &f, err)) {
		free(data);
		return -1;
	}
	process_cleanup_on_signal(f.tmp);
	while (done < len) {
		ssize_t n = write(f.fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			tool_err_set(err, "%s: cannot write: %s", out, strerror(errno));
			fileio_atomic_abort(&f);
			free(data);
			return -1;
		}
		done += (size_t)n;
	}
	free(data);
	if (fileio_atomic_commit(&f, out, err))
		return -1;
	return cache_seal(out, err);
}

int xen_machine_image(char *out, size_t cap, struct tool_err *err)
{
	const char *env = getenv("ZEROPAGE_XEN");
	char src[512], dir[512];
	struct stat ss, cs;

	if (env && *env)
		snprintf(src, sizeof(src), "%s", env);
	else if (find_boot_xen(src, sizeof(src))) {
		tool_err_set(err, "Xen is not installed: no /boot/xen-*.gz (apt-get install "
			 "xen-hypervisor-4.17-amd64, or set ZEROPAGE_XEN)");
		return -1;
	}
	if (stat(src, &ss)) {
		tool_err_set(err, "%s: %s", src, strerror(errno));
		return -1;
	}
	fileio_cache_dir(dir, sizeof(dir));
	const char *base = strrchr(src, '/') ? strrchr(src, '/') + 1 : src;
	if ((size_t)snprintf(out, cap, "%s/%.*s.elf", dir,
			     (int)(strlen(base) - (strstr(base, ".gz") ? 3 : 0)), base) >= cap) {
		tool_err_set(err, "cache path too long");
		return -1;
	}
	int lock = cache_lock(out, err);	/* another run may be making it */
	if (lock < 0)
		return -1;
	/* A whole cached copy newer than its source is the same image. */
	int r = 0;
	if (stat(out, &cs) || cs.st_mtime < ss.st_mtime || !cache_valid(out))
		r = cache_unpacked(src, out, err);
	close(lock);
	return r;
}

/* Appends s to out at *n, with every ',' doubled when `escape` (QEMU's
 * option escaping). */
static int put(char *out, size_t cap, size_t *n, const char *s, bool escape)
{
	for (; *s; s++) {
		size_t need = escape && *s == ',' ? 2 : 1;
		if (*n + need >= cap)
			return -1;
		out[(*n)++] = *s;
		if (need == 2)
			out[(*n)++] = ',';
	}
	out[*n] = 0;
	return 0;
}

int xen_machine_modules(const char *kernel, const char *cmdline, const char *initrd,
		   char *out, size_t cap, struct tool_err *err)
{
	const char *paths[2] = { kernel, initrd };
	size_t n = 0;

	for (int i = 0; i < 2; i++)
		if (paths[i] && strpbrk(paths[i], " ,")) {
			tool_err_set(err, "%s: QEMU's multiboot loader cannot take a module "
				 "path with a space or a comma", paths[i]);
			return -1;
		}
	if (cap == 0 || put(out, cap, &n, kernel, true) ||
	    (cmdline && *cmdline && (put(out, cap, &n, " ", false) ||
				     put(out, cap, &n, cmdline, true))) ||
	    (initrd && (put(out, cap, &n, ",", false) || put(out, cap, &n, initrd, true)))) {
		tool_err_set(err, "multiboot module list longer than %zu bytes", cap);
		return -1;
	}
	return 0;
}

void xen_machine_cmdline(char *out, size_t cap, unsigned long dom0_mib, bool pvh)
{
	/* console=com1: Xen's console on our pipe.  guest_loglvl=all: what a
	 * guest writes to the 0xe9 debug port is logged, not filtered.
	 * dom0_mem with max: dom0 gets exactly the memory asked for, the rest
	 * of the machine stays Xen's.  dom0=pvh: the PVH dom0 builder (an HVM
	 * container: needs HAP, here SVM's nested paging, and an IOMMU). */
	snprintf(out, cap, "console=com1 com1=115200,8n1 guest_loglvl=all "
		 "dom0_mem=%luM,max:%luM%s", dom0_mib, dom0_mib, pvh ? " dom0=pvh" : "");
}

int xen_machine_split_console(const char *in, size_t len, char *xen, size_t *xen_len,
			 char *guest, size_t *guest_len)
{
	size_t xn = 0, gn = 0, i = 0;

	while (i < len) {
		size_t end = i;
		while (end < len && in[end] != '\n')
			end++;
		bool is_xen = end - i >= 5 && !memcmp(in + i, "(XEN)", 5);
		char *dst = is_xen ? xen : guest;
		size_t *dn = is_xen ? &xn : &gn;
		for (size_t k = i; k < end; k++)
			if (in[k] != '\r')
				dst[(*dn)++] = in[k];
		if (end < len)
			dst[(*dn)++] = '\n';
		i = end + 1;
	}
	xen[xn] = 0;
	guest[gn] = 0;
	*xen_len = xn;
	*guest_len = gn;
	return 0;
}

/* The text of the line after the one containing `mark`, without "(XEN) ". */
static void line_after(const char *log, const char *mark, char *out, size_t cap)
{
	const char *p = strstr(log, mark), *nl = p ? strchr(p, '\n') : NULL;

	out[0] = 0;
	if (!nl)
		return;
	nl++;
	if (!strncmp(nl, "(XEN) ", 6))
		nl += 6;
	snprintf(out, cap, "%.*s", (int)strcspn(nl, "\n"), nl);
}

void xen_machine_stop_reason(const char *xen_log, char *out, size_t cap)
{
	char why[200];

	out[0] = 0;
	if (strstr(xen_log, "Panic on CPU")) {
		line_after(xen_log, "Panic on CPU", why, sizeof(why));
		snprintf(out, cap, "Xen panic: %s", why);
	} else if (strstr(xen_log, "Hardware Dom0 crashed")) {
		snprintf(out, cap, "Xen: dom0 crashed");
	} else if (strstr(xen_log, "Hardware Dom0 halted")) {
		snprintf(out, cap, "Xen: dom0 halted");
	}
}
