/* SPDX-License-Identifier: MIT */
/*
 * decompress_payload on payloads made by the real compressor programs
 * (gzip, bzip2, lzma, xz, lzop, lz4 -l, zstd), the way the kernel build
 * makes them: round trips, and every kind of damage a payload can have.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/tool_err.h"
#include "compress_cli.h"
#include "image/decompress.h"

static const enum zp_compression all[] = {
	ZP_COMP_GZIP, ZP_COMP_BZIP2, ZP_COMP_LZMA, ZP_COMP_XZ,
	ZP_COMP_LZO, ZP_COMP_LZ4, ZP_COMP_ZSTD,
};
#define NALL (sizeof(all) / sizeof(all[0]))

#define DATA_LEN (600 * 1024)	/* three lzop blocks */

struct fixture {
	uint8_t *data;
	uint8_t *payload[ZP_COMP_UNKNOWN];
	size_t payload_len[ZP_COMP_UNKNOWN];
};

static struct fixture fx;

static int setup(void **state)
{
	(void)state;
	fx.data = cli_test_data(DATA_LEN, 1);
	for (size_t i = 0; i < NALL; i++) {
		fx.payload[all[i]] = cli_payload(all[i], fx.data, DATA_LEN, true,
						 &fx.payload_len[all[i]]);
		if (!fx.payload[all[i]])
			return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < NALL; i++)
		free(fx.payload[all[i]]);
	free(fx.data);
	return 0;
}

/* Decompress and expect failure whose message names the compressor and
 * contains `want`; out must be left empty. */
/* The streaming path (decompress_payload_to_fd, what `extract` uses)
 * into an anonymous file; its bytes, malloc'ed, or NULL on failure with
 * the message in err. */
static uint8_t *stream(enum zp_compression c, const uint8_t *in, size_t len, size_t max,
		       size_t *out_len, struct tool_err *err)
{
	int fd = memfd_create("zp-test", 0);
	size_t written;
	uint8_t *buf;

	assert_true(fd >= 0);
	if (decompress_payload_to_fd(c, in, len, max, fd, &written, err) != 0) {
		close(fd);
		return NULL;
	}
	assert_int_equal(lseek(fd, 0, SEEK_END), (off_t)written);
	buf = malloc(written + 1);
	assert_int_equal(pread(fd, buf, written, 0), (ssize_t)written);
	close(fd);
	*out_len = written;
	return buf;
}

/* Decompress and expect failure whose message names the compressor and
 * contains `want`; out must be left empty.  The streaming path must fail
 * the same way. */
static void expect_error(enum zp_compression c, const uint8_t *in, size_t len, size_t max,
			 const char *want)
{
	struct decompress_buf out = { (uint8_t *)1, 1 };
	struct tool_err err = { "" }, err2 = { "" };
	size_t n;

	assert_int_equal(decompress_payload(c, in, len, max, &out, &err), -1);
	assert_null(out.data);
	assert_int_equal(out.len, 0);
	if (!strstr(err.msg, want) ||
	    strncmp(err.msg, zp_compression_name(c), strlen(zp_compression_name(c))))
		fail_msg("%s: message \"%s\" lacks \"%s\"", zp_compression_name(c), err.msg, want);
	assert_null(stream(c, in, len, max, &n, &err2));
	if (!strstr(err2.msg, want))
		fail_msg("%s streaming: message \"%s\" lacks \"%s\"", zp_compression_name(c),
			 err2.msg, want);
}

static void expect_bytes(enum zp_compression c, const uint8_t *in, size_t len,
			 const uint8_t *want, size_t want_len)
{
	struct decompress_buf out;
	struct tool_err err = { "" };
	uint8_t *streamed;
	size_t n;

	if (decompress_payload(c, in, len, 0, &out, &err) != 0)
		fail_msg("%s: %s", zp_compression_name(c), err.msg);
	assert_int_equal(out.len, want_len);
	assert_memory_equal(out.data, want, want_len);
	free(out.data);
	streamed = stream(c, in, len, 0, &n, &err);
	if (!streamed)
		fail_msg("%s streaming: %s", zp_compression_name(c), err.msg);
	assert_int_equal(n, want_len);
	assert_memory_equal(streamed, want, want_len);
	free(streamed);
}

/* More than the streaming buffer (4 MiB): flushed on the way. */
static void test_streaming_beyond_the_buffer(void **state)
{
	size_t n = 4 * 1024 * 1024 + 300 * 1024 + 5, len;
	uint8_t *big = cli_test_data(n, 3);

	(void)state;
	for (size_t i = 0; i < NALL; i++) {
		uint8_t *p = cli_payload(all[i], big, n, true, &len);
		assert_non_null(p);
		expect_bytes(all[i], p, len, big, n);
		free(p);
	}
	free(big);
}

static void test_round_trip_every_compressor(void **state)
{
	(void)state;
	for (size_t i = 0; i < NALL; i++)
		expect_bytes(all[i], fx.payload[all[i]], fx.payload_len[all[i]], fx.data, DATA_LEN);
}

/* The kernel build appends no size to gzip: its ISIZE field is the trailer. */
static void test_gzip_without_appended_size(void **state)
{
	size_t len;
	uint8_t *gz = cli_payload(ZP_COMP_GZIP, fx.data, DATA_LEN, false, &len);

	(void)state;
	assert_non_null(gz);
	assert_int_equal(len + 4, fx.payload_len[ZP_COMP_GZIP]);
	expect_bytes(ZP_COMP_GZIP, gz, len, fx.data, DATA_LEN);
	free(gz);
}

/* Several 8 MiB legacy blocks and a short last one, then the trailer. */
static void test_lz4_many_blocks(void **state)
{
	size_t n = 17 * 1024 * 1024 + 123, len;
	uint8_t *big = cli_test_data(n, 7);
	uint8_t *lz = cli_payload(ZP_COMP_LZ4, big, n, true, &len);

	(void)state;
	assert_non_null(lz);
	expect_bytes(ZP_COMP_LZ4, lz, len, big, n);
	free(lz);
	free(big);
}

static void test_truncated_payloads_fail(void **state)
{
	(void)state;
	for (size_t i = 0; i < NALL; i++) {
		enum zp_compression c = all[i];
		size_t len = fx.payload_len[c];
		/* Cuts inside the header, the middle, and just short of the end. */
		size_t cuts[] = { 3, 12, len / 2, len - 9 };

		for (size_t k = 0; k < sizeof(cuts) / sizeof(cuts[0]); k++) {
			struct decompress_buf out;
			struct tool_err err = { "" };

			assert_int_equal(decompress_payload(c, fx.payload[c], cuts[k], 0, &out,
							    &err), -1);
			assert_null(out.data);
			assert_true(strncmp(err.msg, zp_compression_name(c),
					    strlen(zp_compression_name(c))) == 0);
		}
	}
}

/* The whole stream but no trailer: the kernel would read a wrong size. */
static void test_missing_trailer_fails(void **state)
{
	(void)state;
	for (size_t i = 0; i < NALL; i++) {
		if (all[i] == ZP_COMP_GZIP)
			continue;
		expect_error(all[i], fx.payload[all[i]], fx.payload_len[all[i]] - 4, 0,
			     "without the 4-byte size trailer");
	}
}

static void test_trailer_mismatch_fails(void **state)
{
	(void)state;
	for (size_t i = 0; i < NALL; i++) {
		enum zp_compression c = all[i];
		size_t len = fx.payload_len[c];
		uint8_t *p = malloc(len);

		memcpy(p, fx.payload[c], len);
		p[len - 4] ^= 0x01;	/* one byte off */
		expect_error(c, p, len, 0, "size trailer says");
		free(p);
	}
}

static void test_trailing_garbage_fails(void **state)
{
	(void)state;
	for (size_t i = 0; i < NALL; i++) {
		enum zp_compression c = all[i];
		size_t len = fx.payload_len[c];
		uint8_t *p = calloc(1, len + 7);

		memcpy(p, fx.payload[c], len);
		/* lz4 reads the trailer as the size of a block that is not there */
		expect_error(c, p, len + 7, 0,
			     c == ZP_COMP_LZ4 ? "truncated input" : "unexpected bytes");
		free(p);
	}
}

/* Formats with a checksum over the data must notice a flipped byte. */
static void test_corrupt_byte_detected(void **state)
{
	static const enum zp_compression checked[] = {
		ZP_COMP_GZIP, ZP_COMP_BZIP2, ZP_COMP_XZ, ZP_COMP_LZO, ZP_COMP_ZSTD,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(checked) / sizeof(checked[0]); i++) {
		enum zp_compression c = checked[i];
		size_t len = fx.payload_len[c];
		uint8_t *p = malloc(len);

		memcpy(p, fx.payload[c], len);
		p[len / 2] ^= 0x55;
		expect_error(c, p, len, 0, "");
		free(p);
	}
}

static void test_output_limit(void **state)
{
	(void)state;
	for (size_t i = 0; i < NALL; i++)
		expect_error(all[i], fx.payload[all[i]], fx.payload_len[all[i]], DATA_LEN - 1,
			     "output exceeds");
	/* Exactly the limit is fine. */
	for (size_t i = 0; i < NALL; i++) {
		struct decompress_buf out;
		struct tool_err err;

		assert_int_equal(decompress_payload(all[i], fx.payload[all[i]],
						    fx.payload_len[all[i]], DATA_LEN, &out,
						    &err), 0);
		free(out.data);
	}
}

static void test_lz4_bad_block_size(void **state)
{
	size_t len = fx.payload_len[ZP_COMP_LZ4];
	uint8_t *p = malloc(len);

	(void)state;
	memcpy(p, fx.payload[ZP_COMP_LZ4], len);
	p[4] = 0xff, p[5] = 0xff, p[6] = 0xff, p[7] = 0x7f;	/* first block "2 GiB" */
	expect_error(ZP_COMP_LZ4, p, len, 0, "block size 2147483647 at input offset 4");
	p[4] = 0x00, p[5] = 0x00, p[6] = 0x01, p[7] = 0x00;	/* 64 KiB, more than is left */
	expect_error(ZP_COMP_LZ4, p, 4 + 4 + 100, 0, "truncated input");
	free(p);
}

static void test_lz4_corrupt_block(void **state)
{
	/* A block of only a literal-length token promising more than is there. */
	static const uint8_t bad[] = { 0x02, 0x21, 0x4c, 0x18, 0x02, 0, 0, 0, 0xf0, 0xff,
				       0x05, 0, 0, 0 };

	(void)state;
	expect_error(ZP_COMP_LZ4, bad, sizeof(bad), 0, "corrupt block at input offset 4");
}

/* lzop: the checksum flags are honoured, CRC-32 as well as Adler-32. */
static void test_lzop_checksums(void **state)
{
	size_t len;
	uint8_t *crc = cli_filter("lzop -9 --crc32", fx.data, DATA_LEN, &len);

	(void)state;
	assert_non_null(crc);
	crc = realloc(crc, len + 4);
	for (int i = 0; i < 4; i++)
		crc[len + i] = (uint8_t)((size_t)DATA_LEN >> (8 * i));
	expect_bytes(ZP_COMP_LZO, crc, len + 4, fx.data, DATA_LEN);
	crc[len / 2] ^= 0x10;
	expect_error(ZP_COMP_LZO, crc, len + 4, 0, "");
	crc[len / 2] ^= 0x10;
	crc[12] ^= 0x01;	/* inside the header: its checksum must catch it */
	expect_error(ZP_COMP_LZO, crc, len + 4, 0, "header checksum mismatch");
	free(crc);
}

/* An incompressible lzop block is stored; its data checksum still counts. */
static void test_lzop_stored_block_checksum(void **state)
{
	uint8_t noise[4096];
	uint32_t x = 2463534242u;
	size_t len;
	uint8_t *z;

	(void)state;
	for (size_t i = 0; i < sizeof(noise); i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;	/* xorshift32 */
		noise[i] = (uint8_t)x;
	}
	z = cli_payload(ZP_COMP_LZO, noise, sizeof(noise), true, &len);
	assert_non_null(z);
	expect_bytes(ZP_COMP_LZO, z, len, noise, sizeof(noise));
	z[len - 4 - 4 - 100] ^= 0x01;	/* in the stored data, before the end marker */
	expect_error(ZP_COMP_LZO, z, len, 0, "data adler32 mismatch");
	free(z);
}

static void test_garbage_is_an_error_not_a_crash(void **state)
{
	uint8_t junk[512];

	(void)state;
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(i * 37 + 11);
	for (size_t i = 0; i < NALL; i++) {
		/* Keep the real magic, so the decoder gets past the first check. */
		size_t magic = all[i] == ZP_COMP_LZO ? 9 : 4;
		memcpy(junk, fx.payload[all[i]], magic);
		expect_error(all[i], junk, sizeof(junk), 0, "");
	}
}

static void test_not_decompressible(void **state)
{
	struct decompress_buf out;
	struct tool_err err;

	(void)state;
	assert_int_equal(decompress_payload(ZP_COMP_NONE, fx.data, 16, 0, &out, &err), -1);
	assert_non_null(strstr(err.msg, "'none' cannot be decompressed"));
	assert_int_equal(decompress_payload(ZP_COMP_UNKNOWN, fx.data, 16, 0, &out, &err), -1);
	expect_error(ZP_COMP_XZ, fx.data, 0, 0, "empty payload");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_every_compressor),
		cmocka_unit_test(test_gzip_without_appended_size),
		cmocka_unit_test(test_lz4_many_blocks),
		cmocka_unit_test(test_streaming_beyond_the_buffer),
		cmocka_unit_test(test_truncated_payloads_fail),
		cmocka_unit_test(test_missing_trailer_fails),
		cmocka_unit_test(test_trailer_mismatch_fails),
		cmocka_unit_test(test_trailing_garbage_fails),
		cmocka_unit_test(test_corrupt_byte_detected),
		cmocka_unit_test(test_output_limit),
		cmocka_unit_test(test_lz4_bad_block_size),
		cmocka_unit_test(test_lz4_corrupt_block),
		cmocka_unit_test(test_lzop_checksums),
		cmocka_unit_test(test_lzop_stored_block_checksum),
		cmocka_unit_test(test_garbage_is_an_error_not_a_crash),
		cmocka_unit_test(test_not_decompressible),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
