/* SPDX-License-Identifier: MIT */
/*
 * decompress.h - a bzImage's payload, decompressed with the system libraries.
 *
 * The payload is what the kernel build wrote into arch/x86/boot/compressed:
 * one stream of the chosen compressor followed, for every compressor except
 * gzip, by a 4-byte little-endian uncompressed size (scripts/Makefile.lib
 * "size_append"; gzip's own ISIZE field plays that role).  The kernel's
 * decompressor reads those last four bytes as the output size, so we check
 * the output against them too.
 */
#ifndef ZEROPAGE_TOOLS_DECOMPRESS_H
#define ZEROPAGE_TOOLS_DECOMPRESS_H

#include <stddef.h>
#include <stdint.h>
#include <zeropage/zeropage.h>
#include "common/tool_err.h"

struct decompress_buf {
	uint8_t *data;
	size_t len;
};

/* Decompress a bzImage payload of compression `c` (the kernel's format: for most
 * compressors the stream is followed by a 4-byte little-endian uncompressed size).
 * max_out bounds the output (0 = 1 GiB). Returns 0, or -1 with a specific message in err
 * ("lz4: corrupt block at input offset 123", "xz: truncated input", "output exceeds 1 GiB").
 * On success out->data is malloc'ed (free with free()). */
int decompress_payload(enum zp_compression c, const uint8_t *in, size_t in_len,
		       size_t max_out, struct decompress_buf *out, struct tool_err *err);

/* The same, streamed into fd (a file: LZ4 blocks are written with pwrite
 * at their offsets, decoded on every core): no buffer of the whole output.
 * *written receives the bytes written.  0, or -1 with the message; the
 * file's contents are then undefined (write it to a temporary file). */
int decompress_payload_to_fd(enum zp_compression c, const uint8_t *in, size_t in_len,
			     size_t max_out, int fd, size_t *written, struct tool_err *err);

#endif
