/* SPDX-License-Identifier: MIT */
/*
 * decompress_lzop.c - the lzop file format around LZO1X blocks, which is
 * what the kernel's "lzo" payload is: a header (version-dependent fields,
 * flags, a checksum over the header), then blocks of
 * {dst_len, src_len, checksums the flags ask for, data}, ended by a zero
 * dst_len.  Blocks are decoded with liblzo2; every checksum the flags
 * announce (Adler-32 or CRC-32, of the data and of the compressed bytes)
 * is verified.
 */
#include <lzo/lzo1x.h>
#include <string.h>
#include <zlib.h>

#include "image/decompress_internal.h"

#define LZOP_MAX_BLOCK (64 * MIB)	/* lzop's own limit on a block */

#define LZOP_F_ADLER32_D	0x00000001u
#define LZOP_F_ADLER32_C	0x00000002u
#define LZOP_F_H_EXTRA_FIELD	0x00000040u
#define LZOP_F_CRC32_D		0x00000100u
#define LZOP_F_CRC32_C		0x00000200u
#define LZOP_F_MULTIPART	0x00000400u
#define LZOP_F_H_FILTER		0x00000800u
#define LZOP_F_H_CRC32		0x00001000u

static const uint8_t lzop_magic[9] = { 0x89, 'L', 'Z', 'O', 0x00, '\r', '\n', 0x1a, '\n' };

/* A bounds-checked reader over the input. */
struct cursor {
	struct dctx *d;
	size_t pos;
};

static bool take(struct cursor *c, size_t n, const uint8_t **p)
{
	if (n > c->d->in_len - c->pos)
		return false;
	*p = c->d->in + c->pos;
	c->pos += n;
	return true;
}

static bool take_be(struct cursor *c, size_t n, uint32_t *v)
{
	const uint8_t *p;

	if (!take(c, n, &p))
		return false;
	*v = 0;
	for (size_t i = 0; i < n; i++)
		*v = *v << 8 | p[i];
	return true;
}

static uint32_t lzop_checksum(bool crc, const uint8_t *p, size_t n)
{
	/* lzop starts adler32 at 1 and crc32 at 0, as zlib does. */
	return crc ? (uint32_t)crc32(0, p, (uInt)n) : (uint32_t)adler32(1, p, (uInt)n);
}

static int lzop_truncated(struct cursor *c, const char *what)
{
	return decompress_fail(c->d, "truncated input (%s at input offset %zu)", what, c->pos);
}

/* The header: version-dependent fields, then a checksum over all of it. */
static int lzop_header(struct cursor *c, uint32_t *flags)
{
	uint32_t version, skip32, method, name_len, stored, sum;
	const uint8_t *skip, *magic;
	size_t start;

	if (!take(c, sizeof(lzop_magic), &magic) || memcmp(magic, lzop_magic, sizeof(lzop_magic)))
		return decompress_fail(c->d, "not an lzop file (bad magic)");
	start = c->pos;
	if (!take_be(c, 2, &version) || !take_be(c, 2, &skip32))	/* + library version */
		return lzop_truncated(c, "header");
	if (version < 0x0900)
		return decompress_fail(c->d, "lzop format version 0x%04x is too old", version);
	if (version >= 0x0940 && !take_be(c, 2, &skip32))	/* version needed to extract */
		return lzop_truncated(c, "header");
	if (!take_be(c, 1, &method) || (version >= 0x0940 && !take_be(c, 1, &skip32)) ||
	    !take_be(c, 4, flags))
		return lzop_truncated(c, "header");
	if (method < 1 || method > 3)	/* M_LZO1X_1, M_LZO1X_1_15, M_LZO1X_999 */
		return decompress_fail(c->d, "unsupported lzop method %u (only LZO1X)", method);
	if (*flags & (LZOP_F_H_FILTER | LZOP_F_MULTIPART))
		return decompress_fail(c->d, "lzop filters and multipart files are not supported (flags 0x%08x)",
			    *flags);
	/* mode, mtime (two halves from 0x0940 on), then the file name */
	if (!take_be(c, 4, &skip32) || !take_be(c, 4, &skip32) ||
	    (version >= 0x0940 && !take_be(c, 4, &skip32)) || !take_be(c, 1, &name_len) ||
	    !take(c, name_len, &skip))
		return lzop_truncated(c, "header");
	sum = lzop_checksum(*flags & LZOP_F_H_CRC32, c->d->in + start, c->pos - start);
	if (!take_be(c, 4, &stored))
		return lzop_truncated(c, "header checksum");
	if (stored != sum)
		return decompress_fail(c->d, "header checksum mismatch (stored 0x%08x, computed 0x%08x)",
			    stored, sum);
	return 0;
}

/* An extra field, if any: its checksum covers its 4-byte length too. */
static int lzop_extra_field(struct cursor *c, uint32_t flags)
{
	uint32_t len, stored;
	const uint8_t *p;
	size_t start = c->pos;

	if (!(flags & LZOP_F_H_EXTRA_FIELD))
		return 0;
	if (!take_be(c, 4, &len) || !take(c, len, &p) || !take_be(c, 4, &stored))
		return lzop_truncated(c, "extra field");
	if (stored != lzop_checksum(flags & LZOP_F_H_CRC32, c->d->in + start, 4 + (size_t)len))
		return decompress_fail(c->d, "extra field checksum mismatch at input offset %zu", start);
	return 0;
}

struct lzop_block {
	size_t at;			/* input offset of the block header */
	uint32_t dst_len, src_len;
	uint32_t d_adler, d_crc, c_adler, c_crc;
	const uint8_t *src;
};

static int lzop_read_block(struct cursor *c, uint32_t flags, struct lzop_block *b)
{
	if (!take_be(c, 4, &b->src_len))
		return lzop_truncated(c, "block header");
	if (b->src_len > b->dst_len)
		return decompress_fail(c->d, "block at input offset %zu is larger compressed (%u) than not (%u)",
			    b->at, b->src_len, b->dst_len);
	if (b->src_len == 0)
		return decompress_fail(c->d, "block at input offset %zu has no data", b->at);
	if (((flags & LZOP_F_ADLER32_D) && !take_be(c, 4, &b->d_adler)) ||
	    ((flags & LZOP_F_CRC32_D) && !take_be(c, 4, &b->d_crc)))
		return lzop_truncated(c, "block checksum");
	/* A block stored uncompressed carries no separate compressed checksum. */
	if (b->src_len < b->dst_len &&
	    (((flags & LZOP_F_ADLER32_C) && !take_be(c, 4, &b->c_adler)) ||
	     ((flags & LZOP_F_CRC32_C) && !take_be(c, 4, &b->c_crc))))
		return lzop_truncated(c, "block checksum");
	if (!take(c, b->src_len, &b->src))
		return decompress_fail(c->d, "truncated input (block at offset %zu needs %u bytes, %zu left)",
			    b->at, b->src_len, c->d->in_len - c->pos);
	return 0;
}

static int lzop_check(struct dctx *d, const struct lzop_block *b, bool on, bool crc,
		      const uint8_t *p, size_t n, uint32_t stored, const char *what)
{
	uint32_t sum;

	if (!on)
		return 0;
	sum = lzop_checksum(crc, p, n);
	if (sum != stored)
		return decompress_fail(d, "%s %s mismatch in block at input offset %zu (stored 0x%08x, computed 0x%08x)",
			    what, crc ? "crc32" : "adler32", b->at, stored, sum);
	return 0;
}

static int lzop_block_out(struct dctx *d, const struct lzop_block *b, uint32_t flags)
{
	bool packed = b->src_len < b->dst_len;
	uint8_t *dst;
	lzo_uint got = b->dst_len;

	if (packed &&
	    (lzop_check(d, b, flags & LZOP_F_ADLER32_C, false, b->src, b->src_len, b->c_adler,
			"compressed") < 0 ||
	     lzop_check(d, b, flags & LZOP_F_CRC32_C, true, b->src, b->src_len, b->c_crc,
			"compressed") < 0))
		return -1;
	if (decompress_reserve(d, b->dst_len) < 0)
		return -1;
	dst = d->out + d->len;
	if (!packed)
		memcpy(dst, b->src, b->src_len);
	else if (lzo1x_decompress_safe(b->src, b->src_len, dst, &got, NULL) != LZO_E_OK ||
		 got != b->dst_len)
		return decompress_fail(d, "corrupt block at input offset %zu", b->at);
	if (lzop_check(d, b, flags & LZOP_F_ADLER32_D, false, dst, b->dst_len, b->d_adler,
		       "data") < 0 ||
	    lzop_check(d, b, flags & LZOP_F_CRC32_D, true, dst, b->dst_len, b->d_crc, "data") < 0)
		return -1;
	d->len += b->dst_len;
	if (decompress_total(d) > d->max)
		return decompress_too_big(d);
	return 0;
}

int decompress_lzop(struct dctx *d)
{
	struct cursor c = { d, 0 };
	uint32_t flags = 0;

	if (lzo_init() != LZO_E_OK)
		return decompress_fail(d, "cannot initialise liblzo2");
	if (lzop_header(&c, &flags) < 0 || lzop_extra_field(&c, flags) < 0)
		return -1;
	for (;;) {
		struct lzop_block b = { .at = c.pos };

		if (!take_be(&c, 4, &b.dst_len))
			return lzop_truncated(&c, "block header");
		if (b.dst_len == 0)	/* end of the lzop stream */
			return decompress_finish(d, c.pos, false);
		if (b.dst_len > LZOP_MAX_BLOCK)
			return decompress_fail(d, "block at input offset %zu claims %u bytes (lzop's limit is 64 MiB)",
				    b.at, b.dst_len);
		if (lzop_read_block(&c, flags, &b) < 0 || lzop_block_out(d, &b, flags) < 0)
			return -1;
	}
}
