/* SPDX-License-Identifier: MIT */
/*
 * decompress_internal.h - what the per-format decoders share: the state of
 * one decompression and its helpers (decompress.c).  Not a public API.
 */
#ifndef ZEROPAGE_TOOLS_DECOMPRESS_INTERNAL_H
#define ZEROPAGE_TOOLS_DECOMPRESS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/tool_err.h"

#define GIB ((size_t)1 << 30)
#define MIB ((size_t)1 << 20)
#define LZ4_LEGACY_BLOCK (8 * MIB)	/* lz4 -l: every block decodes to at most this */

struct dctx {
	const char *name;		/* "xz", prefixed to every message */
	const uint8_t *in;
	size_t in_len;
	uint8_t *out;
	size_t len, cap;
	size_t max;			/* output beyond this is an error */
	size_t hint;			/* expected output size, for the first allocation */
	struct tool_err *err;
	/* Streaming (decompress_payload_to_fd): when the buffer is full
	 * its bytes go to fd and it starts over; `flushed` counts them, so
	 * the output so far is flushed + len. */
	int fd;				/* -1: keep everything in memory */
	size_t flushed;
};

/* All output so far, in memory or written out. */
static inline size_t decompress_total(const struct dctx *d)
{
	return d->flushed + d->len;
}

/* Writes the buffer to d->fd and empties it (streaming only); 0 or -1. */
int decompress_flush(struct dctx *d);

/* "NAME: message" into d->err; returns -1. */
int decompress_fail(struct dctx *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "NAME: output exceeds ..."; returns -1. */
int decompress_too_big(struct dctx *d);
/* Room for `more` output bytes after d->len; 0 or -1 (message set). */
int decompress_reserve(struct dctx *d, size_t more);
/* The 4-byte size trailer after a stream that ended at `consumed`. */
int decompress_finish(struct dctx *d, size_t consumed, bool trailer_optional);

/* The lzop container around LZO1X blocks (decompress_lzop.c). */
int decompress_lzop(struct dctx *d);

#endif
