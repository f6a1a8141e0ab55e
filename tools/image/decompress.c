/* SPDX-License-Identifier: MIT */
/*
 * decompress.c - a bzImage payload through the real compression libraries.
 *
 * One function per compressor.  Each decodes exactly one stream, then hands
 * what is left of the input to decompress_finish(), which checks the 4-byte size
 * trailer the kernel build appends (see decompress.h).  Every message names
 * the compressor and, where it helps, the input offset.  The lzop container
 * lives in decompress_lzop.c.
 */
#include <bzlib.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <lz4.h>
#include <lzma.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "common/tool_err.h"
#include "image/decompress.h"
#include "image/decompress_internal.h"

#define LZ4_LEGACY_MAGIC 0x184c2102u
#define XZ_MEMLIMIT (1 * GIB)		/* the kernel uses 32 MiB dictionaries */

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int decompress_fail(struct dctx *d, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!d->err)
		return -1;
	n = snprintf(d->err->msg, sizeof(d->err->msg), "%s: ", d->name);
	if (n < 0 || (size_t)n >= sizeof(d->err->msg))
		return -1;
	va_start(ap, fmt);
	vsnprintf(d->err->msg + n, sizeof(d->err->msg) - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

int decompress_too_big(struct dctx *d)
{
	if (d->max % GIB == 0)
		return decompress_fail(d, "output exceeds %zu GiB", d->max / GIB);
	if (d->max % MIB == 0)
		return decompress_fail(d, "output exceeds %zu MiB", d->max / MIB);
	return decompress_fail(d, "output exceeds %zu bytes", d->max);
}

#define STREAM_BUF	(4 * MIB)	/* the buffer a streaming decompression reuses */

static int write_at(int fd, const uint8_t *p, size_t n, off_t at)
{
	while (n) {
		ssize_t w = at < 0 ? write(fd, p, n) : pwrite(fd, p, n, at);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
		if (at >= 0)
			at += w;
	}
	return 0;
}

int decompress_flush(struct dctx *d)
{
	if (d->fd < 0 || d->len == 0)
		return 0;
	if (write_at(d->fd, d->out, d->len, -1) < 0)
		return decompress_fail(d, "writing the output: %s", strerror(errno ? errno : EIO));
	d->flushed += d->len;
	d->len = 0;
	return 0;
}

/* Make room for `more` bytes after d->len, never beyond max plus one lz4
 * block of headroom.  The first allocation uses the size the trailer
 * promises (plus one byte, so a streaming decoder can say "stream end"
 * without a second, doubled buffer); later ones double.  Streaming, the
 * buffer is written out first when the bytes would not fit. */
int decompress_reserve(struct dctx *d, size_t more)
{
	size_t limit = d->max + LZ4_LEGACY_BLOCK, need, cap;
	uint8_t *p;

	if (more > limit - decompress_total(d))
		return decompress_too_big(d);
	if (d->fd >= 0 && d->len + more > d->cap && decompress_flush(d) < 0)
		return -1;
	need = d->len + more;
	if (need <= d->cap)
		return 0;
	cap = d->cap ? d->cap : d->hint;
	while (cap < need)
		cap = cap > limit / 2 ? limit : cap * 2;
	p = realloc(d->out, cap);
	if (!p)
		return decompress_fail(d, "out of memory for %zu bytes of output", cap);
	d->out = p;
	d->cap = cap;
	return 0;
}

/* Room for a streaming decoder: up to one byte past max, so that "more than
 * max" is something we can see happen. */
static int stream_room(struct dctx *d, size_t *room)
{
	size_t total = decompress_total(d);

	if (total > d->max)
		return decompress_too_big(d);
	if (d->len == d->cap && d->fd >= 0 && d->cap && decompress_flush(d) < 0)
		return -1;
	if (d->len == d->cap) {
		size_t more = d->cap ? d->cap : d->hint;

		if (more > d->max + 1 - total)
			more = d->max + 1 - total;
		if (decompress_reserve(d, more) < 0)
			return -1;
	}
	*room = d->cap - d->len;
	if (*room > d->max + 1 - total)
		*room = d->max + 1 - total;
	if (*room > UINT_MAX)
		*room = UINT_MAX;	/* zlib and bzip2 count in unsigned int */
	return 0;
}

/* After the stream: the kernel's 4-byte size trailer, and nothing else. */
int decompress_finish(struct dctx *d, size_t consumed, bool trailer_optional)
{
	size_t left = d->in_len - consumed;
	uint32_t said;

	if (decompress_total(d) > d->max)
		return decompress_too_big(d);
	if (left == 0) {
		if (trailer_optional)
			return decompress_flush(d);
		return decompress_fail(d, "stream ends at input offset %zu without the 4-byte size trailer",
			    consumed);
	}
	if (left != 4)
		return decompress_fail(d, "%zu unexpected bytes after the stream at input offset %zu",
			    left, consumed);
	said = le32(d->in + consumed);
	if (said != (uint32_t)decompress_total(d))
		return decompress_fail(d, "size trailer says %u bytes but the stream decoded to %zu",
			    said, decompress_total(d));
	return decompress_flush(d);
}

/* What one call of a streaming library did: it took in_used bytes of the
 * input and made out_made bytes of output. */
enum step_result { STEP_MORE, STEP_END, STEP_FAILED };
typedef enum step_result (*stream_step)(struct dctx *d, void *lib, const uint8_t *in, size_t in_avail,
					uint8_t *out, size_t room, size_t *in_used, size_t *out_made);

/* The loop every streaming library runs (zlib, libbz2, liblzma, libzstd):
 * offer the input not yet taken and the room there is, until the step says
 * the stream ended or failed (the step sets its own message).  Input all
 * taken with room left over means the stream stops short of its end: a
 * "truncated input" naming the unit, "stream" or "frame" (NULL: the
 * library says so itself). */
static int stream_decode(struct dctx *d, void *lib, stream_step step, bool trailer_optional,
			 const char *unit)
{
	size_t room = 0, used = 0;

	for (;;) {
		size_t in_used = 0, out_made = 0;
		enum step_result r;

		if (stream_room(d, &room) < 0)
			return -1;
		r = step(d, lib, d->in + used, d->in_len - used, d->out + d->len, room, &in_used, &out_made);
		used += in_used;
		d->len += out_made;
		if (r == STEP_END)
			return decompress_finish(d, used, trailer_optional);
		if (r == STEP_FAILED)
			return -1;
		if (unit && used == d->in_len && out_made < room)
			return decompress_fail(d, "truncated input (%s incomplete after %zu bytes)", unit, used);
	}
}

static enum step_result gzip_step(struct dctx *d, void *lib, const uint8_t *in, size_t in_avail,
				  uint8_t *out, size_t room, size_t *in_used, size_t *out_made)
{
	z_stream *z = lib;
	int ret;

	z->next_in = (Bytef *)in;
	z->avail_in = (uInt)(in_avail > UINT_MAX ? UINT_MAX : in_avail);
	z->next_out = out;
	z->avail_out = (uInt)room;
	ret = inflate(z, Z_NO_FLUSH);
	*in_used = (size_t)(z->next_in - in);
	*out_made = (size_t)(z->next_out - out);
	if (ret == Z_STREAM_END)
		return STEP_END;
	if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT || ret == Z_STREAM_ERROR) {
		decompress_fail(d, "corrupt data at input offset %zu (%s)",
				(size_t)(z->next_in - d->in), z->msg ? z->msg : "zlib data error");
		return STEP_FAILED;
	}
	if (ret == Z_MEM_ERROR) {
		decompress_fail(d, "out of memory");
		return STEP_FAILED;
	}
	return STEP_MORE;
}

static int run_gzip(struct dctx *d)
{
	z_stream z;
	int rc;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)	/* 16+: gzip wrapper only */
		return decompress_fail(d, "cannot initialise zlib");
	rc = stream_decode(d, &z, gzip_step, true, "stream");
	inflateEnd(&z);
	return rc;
}

static const char *bzip2_error(int ret)
{
	switch (ret) {
	case BZ_DATA_ERROR_MAGIC:
		return "not a bzip2 stream (bad magic)";
	case BZ_DATA_ERROR:
		return "corrupt data";
	case BZ_MEM_ERROR:
		return "out of memory";
	default:
		return "library error";
	}
}

static enum step_result bzip2_step(struct dctx *d, void *lib, const uint8_t *in, size_t in_avail,
				   uint8_t *out, size_t room, size_t *in_used, size_t *out_made)
{
	bz_stream *b = lib;
	int ret;

	b->next_in = (char *)in;
	b->avail_in = (unsigned)(in_avail > UINT_MAX ? UINT_MAX : in_avail);
	b->next_out = (char *)out;
	b->avail_out = (unsigned)room;
	ret = BZ2_bzDecompress(b);
	*in_used = (size_t)((const uint8_t *)b->next_in - in);
	*out_made = (size_t)((uint8_t *)b->next_out - out);
	if (ret == BZ_STREAM_END)
		return STEP_END;
	if (ret != BZ_OK) {
		decompress_fail(d, "%s at input offset %zu", bzip2_error(ret),
				(size_t)((const uint8_t *)b->next_in - d->in));
		return STEP_FAILED;
	}
	return STEP_MORE;
}

static int run_bzip2(struct dctx *d)
{
	bz_stream b;
	int rc;

	memset(&b, 0, sizeof(b));
	if (BZ2_bzDecompressInit(&b, 0, 0) != BZ_OK)
		return decompress_fail(d, "cannot initialise libbz2");
	rc = stream_decode(d, &b, bzip2_step, false, "stream");
	BZ2_bzDecompressEnd(&b);
	return rc;
}

static const char *lzma_error(lzma_ret ret)
{
	switch (ret) {
	case LZMA_FORMAT_ERROR:
		return "bad header (not this format)";
	case LZMA_OPTIONS_ERROR:
		return "unsupported options in the header";
	case LZMA_DATA_ERROR:
		return "corrupt data";
	case LZMA_BUF_ERROR:
		return "truncated input";
	case LZMA_MEM_ERROR:
		return "out of memory";
	case LZMA_MEMLIMIT_ERROR:
		return "needs more than 1 GiB of memory (dictionary too large)";
	case LZMA_UNSUPPORTED_CHECK:
		return "unsupported integrity check";
	default:
		return "library error";
	}
}

static enum step_result liblzma_step(struct dctx *d, void *lib, const uint8_t *in, size_t in_avail,
				     uint8_t *out, size_t room, size_t *in_used, size_t *out_made)
{
	lzma_stream *s = lib;
	lzma_ret ret;

	s->next_in = in;
	s->avail_in = in_avail;
	s->next_out = out;
	s->avail_out = room;
	ret = lzma_code(s, LZMA_FINISH);
	*in_used = (size_t)(s->next_in - in);
	*out_made = (size_t)(s->next_out - out);
	if (ret == LZMA_STREAM_END)
		return STEP_END;
	if (ret != LZMA_OK) {
		decompress_fail(d, "%s at input offset %zu", lzma_error(ret), (size_t)(s->next_in - d->in));
		return STEP_FAILED;
	}
	return STEP_MORE;
}

/* Both .lzma (lzma_alone) and .xz go through liblzma; only the decoder
 * differs.  LZMA_FINISH makes liblzma say itself when the input ends
 * early (LZMA_BUF_ERROR). */
static int run_liblzma(struct dctx *d, bool xz)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret ret;
	int rc;

	ret = xz ? lzma_stream_decoder(&s, XZ_MEMLIMIT, 0) : lzma_alone_decoder(&s, XZ_MEMLIMIT);
	if (ret != LZMA_OK)
		return decompress_fail(d, "cannot initialise liblzma");
	rc = stream_decode(d, &s, liblzma_step, false, NULL);
	lzma_end(&s);
	return rc;
}

static int run_lzma(struct dctx *d)
{
	return run_liblzma(d, false);
}

static int run_xz(struct dctx *d)
{
	return run_liblzma(d, true);
}

static int run_lz4(struct dctx *d)
{
	size_t pos = 4;

	if (d->in_len < 4)
		return decompress_fail(d, "truncated input (%zu bytes, not even the frame magic)", d->in_len);
	if (le32(d->in) != LZ4_LEGACY_MAGIC)
		return decompress_fail(d, "not an LZ4 legacy frame (magic 0x%08x, want 0x%08x)",
			    le32(d->in), LZ4_LEGACY_MAGIC);
	/* Exactly four bytes left is the size trailer: a block needs its own
	 * 4-byte size plus at least one byte of data. */
	while (d->in_len - pos > 4) {
		uint32_t blk = le32(d->in + pos);
		size_t want = LZ4_LEGACY_BLOCK;
		int got;

		if (blk == LZ4_LEGACY_MAGIC) {	/* frames may be concatenated */
			pos += 4;
			continue;
		}
		if (blk == 0 || blk > (uint32_t)LZ4_compressBound(LZ4_LEGACY_BLOCK))
			return decompress_fail(d, "block size %u at input offset %zu is impossible for a legacy frame",
				    blk, pos);
		if (blk > d->in_len - pos - 4)
			return decompress_fail(d, "truncated input (block at offset %zu needs %u bytes, %zu left)",
				    pos, blk, d->in_len - pos - 4);
		/* Decode into what is left of the buffer sized by the trailer first,
		 * so the last block does not double a 50 MiB buffer; retry with a
		 * full block of room if that was too small. */
		if (d->fd < 0 && d->cap > d->len && d->cap - d->len < want)
			want = d->cap - d->len;
		for (;;) {
			if (decompress_reserve(d, want) < 0)
				return -1;
			got = LZ4_decompress_safe((const char *)d->in + pos + 4, (char *)d->out + d->len,
						  (int)blk, (int)want);
			if (got >= 0 || want == LZ4_LEGACY_BLOCK)
				break;
			want = LZ4_LEGACY_BLOCK;
		}
		if (got < 0)
			return decompress_fail(d, "corrupt block at input offset %zu", pos);
		d->len += (size_t)got;
		if (decompress_total(d) > d->max)
			return decompress_too_big(d);
		pos += 4 + blk;
	}
	if (d->in_len - pos != 4 && d->in_len - pos != 0)
		return decompress_fail(d, "truncated input (%zu stray bytes at input offset %zu)",
			    d->in_len - pos, pos);
	return decompress_finish(d, pos, false);
}

static enum step_result zstd_step(struct dctx *d, void *lib, const uint8_t *in, size_t in_avail,
				  uint8_t *out, size_t room, size_t *in_used, size_t *out_made)
{
	ZSTD_inBuffer ib = { in, in_avail, 0 };
	ZSTD_outBuffer ob = { out, room, 0 };
	size_t ret = ZSTD_decompressStream(lib, &ob, &ib);

	*in_used = ib.pos;
	*out_made = ob.pos;
	if (ZSTD_isError(ret)) {
		/* libzstd does not say where in the input it stopped */
		decompress_fail(d, "%s", ZSTD_getErrorName(ret));
		return STEP_FAILED;
	}
	return ret == 0 ? STEP_END : STEP_MORE;	/* 0: frame complete and flushed */
}

static int run_zstd(struct dctx *d)
{
	ZSTD_DCtx *z = ZSTD_createDCtx();
	int rc;

	if (!z)
		return decompress_fail(d, "cannot initialise libzstd");
	rc = stream_decode(d, z, zstd_step, false, "frame");
	ZSTD_freeDCtx(z);
	return rc;
}

static int (*const decoders[])(struct dctx *) = {
	[ZP_COMP_GZIP] = run_gzip,
	[ZP_COMP_BZIP2] = run_bzip2,
	[ZP_COMP_LZMA] = run_lzma,
	[ZP_COMP_XZ] = run_xz,
	[ZP_COMP_LZO] = decompress_lzop,
	[ZP_COMP_LZ4] = run_lz4,
	[ZP_COMP_ZSTD] = run_zstd,
};

/* The trailer's promise, when it is believable, sizes the first buffer. */
static size_t first_allocation(const uint8_t *in, size_t in_len, size_t max)
{
	size_t hint = in_len >= 4 ? le32(in + in_len - 4) : 0;

	if (hint == 0 || hint > max || hint / 4096 > in_len)
		hint = in_len * 4 < MIB ? MIB : in_len * 4;
	if (hint > max)
		hint = max;
	return hint + 1;
}

int decompress_payload(enum zp_compression c, const uint8_t *in, size_t in_len,
		       size_t max_out, struct decompress_buf *out, struct tool_err *err)
{
	struct dctx d = {
		.name = zp_compression_name(c),
		.in = in,
		.in_len = in_len,
		/* a quarter of the address space keeps max + headroom from overflowing */
		.max = !max_out ? GIB : max_out > SIZE_MAX / 4 ? SIZE_MAX / 4 : max_out,
		.err = err,
		.fd = -1,
	};

	out->data = NULL;
	out->len = 0;
	if ((unsigned)c >= sizeof(decoders) / sizeof(decoders[0]) || !decoders[c]) {
		tool_err_set(err, "payload compression '%s' cannot be decompressed",
			 zp_compression_name(c));
		return -1;
	}
	if (!in || in_len == 0)
		return decompress_fail(&d, "empty payload");
	d.hint = first_allocation(in, in_len, d.max);
	if (decoders[c](&d) < 0) {
		free(d.out);
		return -1;
	}
	out->data = d.out;
	out->len = d.len;
	return 0;
}

/* ---- streaming to a file, LZ4 on every core ---- */

/* The kernel's LZ4 is the legacy frame: independent blocks, each of which
 * decodes to exactly 8 MiB but the last.  So block i lands at i * 8 MiB,
 * and the blocks can be decoded on every core at once, each thread with
 * its own buffer, written where they belong with pwrite.  Anything else in
 * the stream (a second frame, a short block before the last) takes the
 * one-thread path instead. */
#define LZ4_MAX_BLOCKS	256		/* 2 GiB of output */
#define LZ4_THREADS	2

struct lz4_job {
	const uint8_t *in;
	size_t at[LZ4_MAX_BLOCKS];	/* input offset of each block's data */
	uint32_t size[LZ4_MAX_BLOCKS];
	unsigned n;
	int fd;
	pthread_mutex_t lock;
	unsigned next;			/* the next block to take */
	size_t got[LZ4_MAX_BLOCKS];	/* what each block decoded to */
	int bad;			/* first block that failed + 1, or 0 */
	int io_errno;
};

/* The block list; 0, or -1 when the stream is not one simple frame. */
static int lz4_blocks(const uint8_t *in, size_t len, struct lz4_job *j, size_t *end)
{
	size_t pos = 4;

	if (len < 8 || le32(in) != LZ4_LEGACY_MAGIC)
		return -1;
	j->n = 0;
	while (len - pos > 4) {
		uint32_t blk = le32(in + pos);
		if (blk == 0 || blk == LZ4_LEGACY_MAGIC || j->n == LZ4_MAX_BLOCKS ||
		    blk > (uint32_t)LZ4_compressBound(LZ4_LEGACY_BLOCK) || blk > len - pos - 4)
			return -1;
		j->at[j->n] = pos + 4;
		j->size[j->n++] = blk;
		pos += 4 + blk;
	}
	*end = pos;
	return j->n ? 0 : -1;
}

static void *lz4_worker(void *arg)
{
	struct lz4_job *j = arg;
	char *buf = malloc(LZ4_LEGACY_BLOCK);

	for (;;) {
		unsigned i;
		int got;

		pthread_mutex_lock(&j->lock);
		i = j->bad || !buf ? j->n : j->next++;
		if (!buf && !j->bad)
			j->bad = 1, j->io_errno = ENOMEM;
		pthread_mutex_unlock(&j->lock);
		if (i >= j->n)
			break;
		got = LZ4_decompress_safe((const char *)j->in + j->at[i], buf, (int)j->size[i],
					  LZ4_LEGACY_BLOCK);
		if (got >= 0)
			j->got[i] = (size_t)got;
		if (got < 0 || (got != LZ4_LEGACY_BLOCK && i + 1 < j->n) ||
		    write_at(j->fd, (uint8_t *)buf, (size_t)got, (off_t)i * LZ4_LEGACY_BLOCK) < 0) {
			pthread_mutex_lock(&j->lock);
			if (!j->bad || (int)i + 1 < j->bad)
				j->bad = (int)i + 1, j->io_errno = got < 0 ? 0 : errno;
			pthread_mutex_unlock(&j->lock);
		}
	}
	free(buf);
	return NULL;
}

/* 1: done (or failed, with the message); 0: not a simple frame, use the
 * one-thread path. */
static int lz4_parallel(struct dctx *d, int *rc)
{
	static struct lz4_job j;
	pthread_t th[LZ4_THREADS];
	unsigned started = 0;
	size_t end, total = 0;

	if (lz4_blocks(d->in, d->in_len, &j, &end) < 0)
		return 0;
	j.in = d->in;
	j.fd = d->fd;
	j.next = 0;
	j.bad = 0;
	memset(j.got, 0, sizeof(j.got));
	pthread_mutex_init(&j.lock, NULL);
	for (unsigned t = 0; t < LZ4_THREADS; t++)
		if (pthread_create(&th[started], NULL, lz4_worker, &j) == 0)
			started++;
	if (!started)
		lz4_worker(&j);
	for (unsigned t = 0; t < started; t++)
		pthread_join(th[t], NULL);
	pthread_mutex_destroy(&j.lock);
	if (j.bad) {
		unsigned b = (unsigned)j.bad - 1;
		/* A short inner block is legal LZ4, only not what lz4 -l writes:
		 * start over on the one-thread path, which places by length. */
		if (!j.io_errno && j.got[b] && b + 1 < j.n && ftruncate(d->fd, 0) == 0 &&
		    lseek(d->fd, 0, SEEK_SET) == 0)
			return 0;
		*rc = j.io_errno ? decompress_fail(d, "writing the output: %s", strerror(j.io_errno))
				 : decompress_fail(d, "corrupt block at input offset %zu", j.at[b] - 4);
		return 1;
	}
	for (unsigned i = 0; i < j.n; i++)
		total += j.got[i];
	d->flushed = total;
	*rc = decompress_finish(d, end, false);
	return 1;
}

int decompress_payload_to_fd(enum zp_compression c, const uint8_t *in, size_t in_len,
			     size_t max_out, int fd, size_t *written, struct tool_err *err)
{
	struct dctx d = {
		.name = zp_compression_name(c), .in = in, .in_len = in_len,
		.max = !max_out ? GIB : max_out > SIZE_MAX / 4 ? SIZE_MAX / 4 : max_out,
		.err = err, .fd = fd, .hint = STREAM_BUF,
	};
	int rc = -1;

	*written = 0;
	if ((unsigned)c >= sizeof(decoders) / sizeof(decoders[0]) || !decoders[c]) {
		tool_err_set(err, "payload compression '%s' cannot be decompressed",
			 zp_compression_name(c));
		return -1;
	}
	if (!in || in_len == 0)
		return decompress_fail(&d, "empty payload");
	if (c != ZP_COMP_LZ4 || !lz4_parallel(&d, &rc))
		rc = decoders[c](&d);
	free(d.out);
	*written = decompress_total(&d);
	return rc < 0 ? -1 : 0;
}
