/* SPDX-License-Identifier: MIT */
/* realkernel: reading a real kernel and decompressing it with the system's
 * own tools (see realkernel.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "realkernel.h"

const char *realk_path(void)
{
	const char *p = getenv("ZEROPAGE_KERNEL");
	return p && *p ? p : NULL;
}

uint8_t *realk_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		goto fail;
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		goto fail;
	fclose(f);
	*len = (size_t)n;
	return buf;
fail:
	fprintf(stderr, "realkernel: cannot read %s\n", path);
	abort();
}

static const char *decompressor(enum zp_compression c)
{
	switch (c) {
	case ZP_COMP_GZIP: return "gzip -dc";
	case ZP_COMP_BZIP2: return "bzip2 -dc";
	case ZP_COMP_LZMA: return "xz --format=lzma -dc";
	case ZP_COMP_XZ: return "xz -dc";
	case ZP_COMP_LZO: return "lzop -dc";
	case ZP_COMP_LZ4: return "lz4 -dc";
	case ZP_COMP_ZSTD: return "zstd -dc";
	default: return NULL;
	}
}

/* Reads a pipe to the end into a growing buffer. */
static uint8_t *slurp(FILE *p, size_t *out_len)
{
	size_t cap = 1 << 20, len = 0, n;
	uint8_t *buf = malloc(cap);

	while (buf && (n = fread(buf + len, 1, cap - len, p)) > 0) {
		len += n;
		if (len == cap)
			buf = realloc(buf, cap *= 2);
	}
	*out_len = len;
	return buf;
}

uint8_t *realk_decompress(enum zp_compression c, const uint8_t *payload, size_t len,
			  size_t *out_len)
{
	char tmp[] = "/tmp/zp-realk-XXXXXX", cmd[160];
	const char *tool = decompressor(c);
	uint8_t *out = NULL;
	int fd = mkstemp(tmp);
	FILE *f, *p;

	if (!tool || fd < 0)
		return NULL;
	f = fdopen(fd, "wb");
	if (f && fwrite(payload, 1, len, f) == len && fclose(f) == 0) {
		/* The kernel appends a 4-byte size the tools may call trailing
		 * garbage, so their exit status is not the verdict: the output is. */
		snprintf(cmd, sizeof(cmd), "%s < %s 2>/dev/null", tool, tmp);
		p = popen(cmd, "r");
		if (p) {
			out = slurp(p, out_len);
			pclose(p);
		}
	}
	unlink(tmp);
	if (out && *out_len == 0) {
		free(out);
		out = NULL;
	}
	return out;
}
