/* SPDX-License-Identifier: MIT */
/* compression.c - which compressor made a bzImage payload, by its magic. */
#include <zeropage/zeropage.h>
#include "env.h"

struct magic {
	enum zp_compression comp;
	const char *name;
	const char *bytes;
	size_t len;
};

/* The formats Linux can compress its payload with (arch/x86/boot/compressed). */
static const struct magic magics[] = {
	{ ZP_COMP_GZIP, "gzip", "\x1f\x8b", 2 },
	{ ZP_COMP_BZIP2, "bzip2", "BZh", 3 },
	{ ZP_COMP_LZMA, "lzma", "\x5d\x00\x00", 3 },
	{ ZP_COMP_XZ, "xz", "\xfd" "7zXZ\x00", 6 },
	{ ZP_COMP_LZO, "lzo", "\x89LZO", 4 },	/* lzop's file format */
	{ ZP_COMP_LZ4, "lz4", "\x02\x21\x4c\x18", 4 },	/* lz4 legacy frame */
	{ ZP_COMP_ZSTD, "zstd", "\x28\xb5\x2f\xfd", 4 },
};

#define NMAGICS (sizeof(magics) / sizeof(magics[0]))

enum zp_compression zp_detect_compression(const void *buf, size_t len)
{
	if (!buf || len == 0)
		return ZP_COMP_NONE;
	for (size_t i = 0; i < NMAGICS; i++)
		if (len >= magics[i].len && !zp_memcmp(buf, magics[i].bytes, magics[i].len))
			return magics[i].comp;
	/* CONFIG_KERNEL_UNCOMPRESSED: the payload is the vmlinux ELF itself. */
	if (len >= 4 && !zp_memcmp(buf, "\x7f" "ELF", 4))
		return ZP_COMP_NONE;
	return ZP_COMP_UNKNOWN;
}

const char *zp_compression_name(enum zp_compression c)
{
	if (c == ZP_COMP_NONE)
		return "none";
	for (size_t i = 0; i < NMAGICS; i++)
		if (magics[i].comp == c)
			return magics[i].name;
	return "unknown";
}
