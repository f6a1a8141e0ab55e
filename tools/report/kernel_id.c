/* SPDX-License-Identifier: MIT */
/* kernel_id.c - see kernel_id.h. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/base16.h>
#include <nettle/sha2.h>
#include <zeropage/zeropage.h>

#include "common/fileio.h"
#include "common/tool_err.h"
#include "report/kernel_id.h"

#define BANNER "Linux version "

void kernel_id_sha256_hex(const void *data, size_t len, char hex[65])
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];

	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof(digest), digest);
	base16_encode_update(hex, sizeof(digest), digest);	/* lowercase */
	hex[2 * sizeof(digest)] = 0;
}

/* Length of the balanced "(...)" group at s (s[0] == '('), or 0. */
static size_t group_len(const char *s, size_t n)
{
	int depth = 0;

	for (size_t i = 0; i < n; i++) {
		depth += s[i] == '(';
		depth -= s[i] == ')';
		if (depth == 0)
			return i + 1;
	}
	return 0;
}

void kernel_id_version_from_banner(const char *b, size_t len, char *out, size_t cap)
{
	size_t n = 0, i, g, used = 0;

	while (n < len && b[n] && b[n] != '\n')
		n++;
	while (n && (b[n - 1] == ' ' || b[n - 1] == '\r'))
		n--;
	/* REL (BY@HOST) (COMPILER) #VER: keep REL and the first group, drop
	 * the second, keep the rest; anything else stays as it is */
	for (i = 0; i < n && b[i] != ' '; i++)
		;
	if (i + 2 < n && b[i + 1] == '(' && (g = group_len(b + i + 1, n - i - 1))) {
		size_t first = i + 1 + g;	/* past "REL (BY@HOST)" */
		size_t c;
		if (first + 2 < n && b[first] == ' ' && b[first + 1] == '(' &&
		    (c = group_len(b + first + 1, n - first - 1))) {
			used = (size_t)snprintf(out, cap, "%.*s", (int)first, b);
			if (used < cap)
				snprintf(out + used, cap - used, "%.*s", (int)(n - first - 1 - c),
					 b + first + 1 + c);
			return;
		}
	}
	snprintf(out, cap, "%.*s", (int)n, b);
}

/* The banner that names the build (" #1 ..."): an ELF may also hold one
 * whose build number was left out, or the printk format. */
static void elf_version(const uint8_t *data, size_t len, char *out, size_t cap)
{
	const uint8_t *p = data, *end = data + len, *first = NULL;

	out[0] = 0;
	while ((p = memmem(p, (size_t)(end - p), BANNER, strlen(BANNER))) != NULL) {
		const char *t = (const char *)p + strlen(BANNER);
		size_t n = 0, max = (size_t)(end - (const uint8_t *)t);
		p += strlen(BANNER);
		while (n < max && n < 512 && t[n] >= 0x20 && t[n] < 0x7f)
			n++;
		if (n == 0 || t[0] == '%')
			continue;
		if (!first)
			first = (const uint8_t *)t;
		for (size_t i = 0; i + 2 < n; i++)
			if (t[i] == ' ' && t[i + 1] == '#' && t[i + 2] >= '0' && t[i + 2] <= '9') {
				kernel_id_version_from_banner(t, n, out, cap);
				return;
			}
	}
	if (first)
		kernel_id_version_from_banner((const char *)first,
					      (size_t)(end - first) < 512 ? (size_t)(end - first) : 512,
					      out, cap);
}

int kernel_id_of(const uint8_t *data, size_t len, struct kernel_id *id)
{
	struct zp_image *img = malloc(sizeof(*img));
	int r = img ? zp_probe(data, len, img) : ZP_ENOSPACE;

	id->version[0] = id->release[0] = 0;
	kernel_id_sha256_hex(data, len, id->sha256);
	if (r == ZP_OK && img->format == ZP_FORMAT_ELF)
		elf_version(data, len, id->version, sizeof(id->version));
	else if (r == ZP_OK)
		snprintf(id->version, sizeof(id->version), "%s", img->u.bz.version);
	free(img);
	snprintf(id->release, sizeof(id->release), "%.*s", (int)strcspn(id->version, " "),
		 id->version);
	return r == ZP_OK ? 0 : -1;
}

int kernel_id_read(const char *path, struct kernel_id *id, struct tool_err *err)
{
	uint8_t *data;
	size_t len;

	id->file = path;
	if (fileio_read_all(path, &data, &len, err))
		return -1;
	int r = kernel_id_of(data, len, id);
	free(data);
	if (r)
		tool_err_set(err, "%s: not a bzImage or ELF kernel", path);
	return r;
}
