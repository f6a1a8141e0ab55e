/* SPDX-License-Identifier: MIT */
/* compress_cli: payloads from the real compressor programs (see compress_cli.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compress_cli.h"

const char *cli_compress_command(enum zp_compression c)
{
	switch (c) {
	case ZP_COMP_GZIP: return "gzip -n -9";
	case ZP_COMP_BZIP2: return "bzip2 -9";
	case ZP_COMP_LZMA: return "lzma -9";
	case ZP_COMP_XZ: return "xz --check=crc32 -9";
	case ZP_COMP_LZO: return "lzop -9";
	case ZP_COMP_LZ4: return "lz4 -l -9 stdin stdout";
	case ZP_COMP_ZSTD: return "zstd -19 -q";
	default: return NULL;
	}
}

static int write_file(const char *path, const void *p, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(p, 1, len, f) == len;

	if (f && fclose(f) != 0)
		ok = 0;
	return ok ? 0 : -1;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n;

	*len = 0;
	if (!f)
		return NULL;
	do {
		if (*len == cap) {
			uint8_t *p = realloc(buf, cap = cap ? 2 * cap : 65536);

			if (!p) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = p;
		}
		n = fread(buf + *len, 1, cap - *len, f);
		*len += n;
	} while (n > 0);
	fclose(f);
	return buf;
}

uint8_t *cli_filter(const char *shell_cmd, const void *in, size_t in_len, size_t *out_len)
{
	char dir[] = "/tmp/zp-cli-XXXXXX", in_path[64], out_path[64], *cmd = NULL;
	uint8_t *out = NULL;

	if (!mkdtemp(dir))
		return NULL;
	snprintf(in_path, sizeof(in_path), "%s/in", dir);
	snprintf(out_path, sizeof(out_path), "%s/out", dir);
	if (write_file(in_path, in, in_len) == 0 &&
	    asprintf(&cmd, "%s < %s > %s", shell_cmd, in_path, out_path) >= 0 &&
	    system(cmd) == 0)
		out = slurp(out_path, out_len);
	free(cmd);
	unlink(in_path);
	unlink(out_path);
	rmdir(dir);
	return out;
}

uint8_t *cli_payload(enum zp_compression c, const void *in, size_t in_len, bool gzip_trailer,
		     size_t *out_len)
{
	size_t n;
	uint8_t *z = cli_filter(cli_compress_command(c), in, in_len, &n), *p;

	if (!z || (c == ZP_COMP_GZIP && !gzip_trailer)) {
		*out_len = n;
		return z;
	}
	p = realloc(z, n + 4);
	if (!p) {
		free(z);
		return NULL;
	}
	for (int i = 0; i < 4; i++)	/* size_append: little-endian input size */
		p[n + i] = (uint8_t)(in_len >> (8 * i));
	*out_len = n + 4;
	return p;
}

uint8_t *cli_test_data(size_t len, uint32_t seed)
{
	static const char *const words[] = {
		"setup_header ", "boot_params ", "e820 ", "start_info ", "0x1000000 ",
		"xloadflags ", "pvh ", "vmlinux\n", "\x7f\x45\x4c\x46", "\0\0\0\0",
	};
	uint8_t *p = malloc(len ? len : 1);
	size_t pos = 0;

	while (p && pos < len) {
		const char *w;
		size_t n;

		seed = seed * 1103515245u + 12345u;
		w = words[(seed >> 16) % 10];
		n = (seed >> 16) % 10 == 9 ? 4 : strlen(w);
		if ((seed >> 8) % 7 == 0) {	/* some noise, so nothing compresses too well */
			p[pos++] = (uint8_t)(seed >> 24);
			continue;
		}
		for (size_t i = 0; i < n && pos < len; i++)
			p[pos++] = (uint8_t)w[i];
	}
	return p;
}
