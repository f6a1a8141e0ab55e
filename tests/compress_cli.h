/* SPDX-License-Identifier: MIT */
/*
 * compress_cli: payloads made by the real compressor programs, the way the
 * kernel build makes them (scripts/Makefile.lib): the tool's output, then,
 * for every compressor but gzip, the 4-byte little-endian input size.
 */
#ifndef ZEROPAGE_TESTS_COMPRESS_CLI_H
#define ZEROPAGE_TESTS_COMPRESS_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zeropage/zeropage.h>

/* The command line the kernel build uses for compressor c (reads stdin). */
const char *cli_compress_command(enum zp_compression c);

/* Runs `shell_cmd` with `in` on stdin; returns its malloc'ed stdout, or
 * NULL if it failed.  *out_len receives the length. */
uint8_t *cli_filter(const char *shell_cmd, const void *in, size_t in_len, size_t *out_len);

/* A kernel-style payload: cli_compress_command(c) output + size trailer
 * (also for gzip when `gzip_trailer`, which some test wants). */
uint8_t *cli_payload(enum zp_compression c, const void *in, size_t in_len, bool gzip_trailer,
		     size_t *out_len);

/* Deterministic, compressible test data (words from a fixed generator). */
uint8_t *cli_test_data(size_t len, uint32_t seed);

#endif
