/* SPDX-License-Identifier: MIT */
/*
 * fuzz_decompress: decompress_payload, the glue between a bzImage payload
 * and the seven system decompressors.  Byte 0 picks the compressor, the rest
 * is the payload.  The glue is what is under test (size trailers, output
 * bounds, error paths); the libraries themselves are fuzzed upstream.
 */
#include <stdlib.h>
#include <string.h>

#include <zeropage/zeropage.h>
#include "common/tool_err.h"
#include "image/decompress.h"
#include "fuzz.h"

/* Small enough that a decompression bomb costs little time per input, large
 * enough for every seed. */
#define MAX_OUT (64u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	enum zp_compression c = (enum zp_compression)(ZP_COMP_GZIP + data[0] % 7);
	const uint8_t *in = data + 1;
	size_t in_len = size - 1;

	struct decompress_buf out = { NULL, 0 };
	struct tool_err err;
	memset(err.msg, 0x55, sizeof(err.msg));	/* an unwritten message shows up */
	int rc = decompress_payload(c, in, in_len, MAX_OUT, &out, &err);
	FUZZ_CHECK(rc == 0 || rc == -1);
	if (rc == 0) {
		FUZZ_CHECK(out.len <= MAX_OUT);
		FUZZ_CHECK(out.len == 0 || out.data != NULL);
		fuzz_touch(out.data, out.len);
		/* The kernel trusts the trailing size (ISIZE for gzip), so a
		 * success must match it. */
		FUZZ_CHECK(in_len >= 4 && (uint32_t)out.len == fuzz_le32(in + in_len - 4));
		free(out.data);
	} else {
		FUZZ_CHECK(memchr(err.msg, 0, sizeof(err.msg)) != NULL && err.msg[0] != 0);
		/* Not freed: the API gives the caller nothing to own on failure,
		 * so anything left allocated is a leak LeakSanitizer reports. */
	}
	return 0;
}
