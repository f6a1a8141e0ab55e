/* SPDX-License-Identifier: MIT */
/*
 * realkernel: helpers for tests that run on a real kernel file, named by
 * ZEROPAGE_KERNEL (tests/run.sh sets it to the cached Debian cloud kernel).
 */
#ifndef ZEROPAGE_TESTS_REALKERNEL_H
#define ZEROPAGE_TESTS_REALKERNEL_H

#include <stddef.h>
#include <stdint.h>
#include <zeropage/zeropage.h>

/* $ZEROPAGE_KERNEL, or NULL when unset or empty (the test then skips). */
const char *realk_path(void);

/* The whole file, malloc'ed; aborts the test run if it cannot be read. */
uint8_t *realk_read(const char *path, size_t *len);

/* The payload decompressed by the compressor's own program (gzip -dc,
 * lz4 -dc, ...): an oracle independent of our code.  NULL if it failed. */
uint8_t *realk_decompress(enum zp_compression c, const uint8_t *payload, size_t len,
			  size_t *out_len);

#endif
