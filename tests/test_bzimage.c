/* SPDX-License-Identifier: MIT */
/*
 * test_bzimage: decoding bzImage setup headers, protocols 2.00 to 2.15,
 * on synthetic images and (when ZEROPAGE_KERNEL is set) on a real kernel.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zeropage/zeropage.h>
#include "realkernel.h"
#include "synth.h"

static const uint8_t gzip_magic[] = { 0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x02, 0x03 };

/* Every optional field set, so each protocol shows which ones it honours. */
static struct synth_bzimage_opts full_opts(uint16_t protocol)
{
	return (struct synth_bzimage_opts){
		.protocol = protocol,
		.xloadflags = ZP_XLF_KERNEL_64 | ZP_XLF_CAN_BE_LOADED_ABOVE_4G,
		.payload = gzip_magic,
		.payload_len = sizeof(gzip_magic),
		.version = "6.9.0-synth (test@example) #1 SMP",
		.init_size = 0x800000,
		.pref_address = 0x2000000,
		.kernel_alignment = 0x400000,
		.relocatable = true,
		.handover_offset = 0x190,
		.kernel_info = true,
		.cmdline_size = 4095,
	};
}

/* boot.rst: which version added each field, and the default before it. */
static void test_every_protocol_decodes_its_fields(void **state)
{
	(void)state;
	for (uint16_t v = 0x200; v <= 0x20f; v++) {
		struct synth_bzimage_opts o = full_opts(v);
		size_t len;
		uint8_t *img = synth_bzimage(&o, &len);
		struct zp_bzimage bz;

		print_message("protocol %u.%02u\n", v >> 8, v & 0xff);
		assert_int_equal(zp_probe_bzimage(img, len, &bz), ZP_OK);
		assert_int_equal(bz.protocol, v);
		assert_int_equal(bz.hdr_len, synth_header_end(v) - 0x1f1);
		assert_int_equal(bz.setup_sects, 4);
		assert_int_equal(bz.setup_size, 5 * 512);
		assert_int_equal(bz.pm_offset, 5 * 512);
		assert_int_equal(bz.pm_size, len - 5 * 512);
		assert_string_equal(bz.version, o.version);
		assert_int_equal(bz.pref_address, v >= 0x20a ? 0x2000000 : 0x100000);
		assert_int_equal(bz.cmdline_size, v >= 0x206 ? 4095 : 255);
		assert_int_equal(bz.initrd_addr_max, v >= 0x203 ? 0x7fffffff : 0x37ffffff);
		assert_int_equal(bz.relocatable, v >= 0x205);
		assert_int_equal(bz.kernel_alignment, v >= 0x205 ? 0x400000 : 0);
		assert_int_equal(bz.init_size, v >= 0x20a ? 0x800000 : 0);
		assert_int_equal(bz.hdr.handover_offset, v >= 0x20b ? 0x190 : 0);
		assert_int_equal(bz.has_payload, v >= 0x208);
		assert_int_equal(bz.compression, v >= 0x208 ? ZP_COMP_GZIP : ZP_COMP_NONE);
		if (bz.has_payload) {
			assert_int_equal(bz.payload_size, sizeof(gzip_magic));
			assert_memory_equal(img + bz.payload_offset, gzip_magic, sizeof(gzip_magic));
		}
		assert_int_equal(bz.has_kernel_info, v >= 0x20f);
		assert_int_equal(bz.entries & ZP_ENTRY_LONG64 ? 1 : 0, v >= 0x20c);
		assert_true(bz.entries & ZP_ENTRY_REAL16);
		assert_true(bz.entries & ZP_ENTRY_PROT32);
		free(img);
	}
}

/* An old header whose jump covers newer fields must not be believed about
 * them: those bytes were setup code, not fields, in that kernel. */
static void test_fields_newer_than_protocol_are_ignored(void **state)
{
	struct synth_bzimage_opts o = full_opts(0x205);
	size_t len;
	uint8_t *img = synth_bzimage(&o, &len);
	struct zp_bzimage bz;

	(void)state;
	img[0x201] = 0x26c - 0x202;		/* jump over the whole 2.15 header */
	synth_put16(img + 0x236, ZP_XLF_KERNEL_64 | ZP_XLF_EFI_HANDOVER_64);
	synth_put32(img + 0x264, 0x190);	/* handover_offset */
	synth_put64(img + 0x258, 0x5000000);	/* pref_address */
	synth_put32(img + 0x260, 0x900000);	/* init_size */
	assert_int_equal(zp_probe_bzimage(img, len, &bz), ZP_OK);
	assert_int_equal(bz.hdr_len, sizeof(struct zp_setup_header));
	assert_int_equal(bz.entries, ZP_ENTRY_REAL16 | ZP_ENTRY_PROT32);
	assert_int_equal(bz.pref_address, 0x100000);
	assert_int_equal(bz.init_size, 0);
	assert_false(bz.has_payload);
	free(img);
}

static void test_setup_sects(void **state)
{
	struct synth_bzimage_opts o = full_opts(0x20f);
	struct zp_bzimage bz;
	size_t len;
	uint8_t *img;

	(void)state;
	o.setup_sects = 0;			/* the header says 0: means 4 */
	img = synth_bzimage(&o, &len);
	assert_int_equal(img[0x1f1], 0);
	assert_int_equal(zp_probe_bzimage(img, len, &bz), ZP_OK);
	assert_int_equal(bz.setup_sects, 4);
	assert_int_equal(bz.setup_size, 2560);
	free(img);

	o.setup_sects = 0x1b;
	img = synth_bzimage(&o, &len);
	assert_int_equal(zp_probe_bzimage(img, len, &bz), ZP_OK);
	assert_int_equal(bz.setup_sects, 0x1b);
	assert_int_equal(bz.setup_size, 0x1c * 512);
	assert_int_equal(bz.pm_offset, 0x1c * 512);
	assert_memory_equal(img + bz.payload_offset, gzip_magic, sizeof(gzip_magic));
	free(img);
}

static uint32_t entries_for(uint16_t xloadflags, uint32_t handover_offset)
{
	struct synth_bzimage_opts o = full_opts(0x20f);
	struct zp_bzimage bz;
	size_t len;
	uint8_t *img;
	int r;

	o.xloadflags = xloadflags;
	o.handover_offset = handover_offset;
	img = synth_bzimage(&o, &len);
	r = zp_probe_bzimage(img, len, &bz);
	free(img);
	assert_int_equal(r, ZP_OK);
	assert_int_equal(bz.hdr.xloadflags, xloadflags);
	return bz.entries;
}

static void test_xloadflags_decide_entries(void **state)
{
	const uint32_t base = ZP_ENTRY_REAL16 | ZP_ENTRY_PROT32;

	(void)state;
	assert_int_equal(entries_for(0, 0), base);
	assert_int_equal(entries_for(ZP_XLF_KERNEL_64, 0), base | ZP_ENTRY_LONG64);
	assert_int_equal(entries_for(ZP_XLF_CAN_BE_LOADED_ABOVE_4G, 0), base);
	assert_int_equal(entries_for(ZP_XLF_EFI_HANDOVER_32, 0x190), base | ZP_ENTRY_EFI32);
	assert_int_equal(entries_for(ZP_XLF_KERNEL_64 | ZP_XLF_EFI_HANDOVER_64, 0x190),
			 base | ZP_ENTRY_LONG64 | ZP_ENTRY_EFI64);
	assert_int_equal(entries_for(0x7f, 0x190), base | ZP_ENTRY_LONG64 | ZP_ENTRY_EFI32 |
			 ZP_ENTRY_EFI64);
	/* EFI flags without a handover offset: nothing to jump to. */
	assert_int_equal(entries_for(ZP_XLF_EFI_HANDOVER_32 | ZP_XLF_EFI_HANDOVER_64, 0), base);
}

/* Compresses `data` with a command line, as the kernel build does. */
static uint8_t *run_compressor(const char *cmd, size_t *out_len)
{
	char line[256];
	uint8_t *out = malloc(1 << 16);
	FILE *p;

	snprintf(line, sizeof(line), "printf 'vmlinux payload bytes' | %s 2>/dev/null", cmd);
	p = popen(line, "r");
	assert_non_null(p);
	*out_len = fread(out, 1, 1 << 16, p);
	if (pclose(p) != 0)
		*out_len = 0;
	return out;
}

/* The commands scripts/Makefile.lib uses for each CONFIG_KERNEL_*. */
static void test_compression_by_magic(void **state)
{
	static const struct { const char *cmd; enum zp_compression c; const char *name; } tools[] = {
		{ "gzip -n -9 -c", ZP_COMP_GZIP, "gzip" },
		{ "bzip2 -9 -c", ZP_COMP_BZIP2, "bzip2" },
		{ "xz --format=lzma -9 -c", ZP_COMP_LZMA, "lzma" },
		{ "xz --check=crc32 -c", ZP_COMP_XZ, "xz" },
		{ "lzop -9 -c", ZP_COMP_LZO, "lzo" },
		{ "lz4 -l -9 -c", ZP_COMP_LZ4, "lz4" },
		{ "zstd -19 -c", ZP_COMP_ZSTD, "zstd" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		size_t plen, len;
		uint8_t *payload = run_compressor(tools[i].cmd, &plen);
		struct synth_bzimage_opts o = full_opts(0x20f);
		struct zp_bzimage bz;
		uint8_t *img;

		print_message("%s\n", tools[i].cmd);
		if (plen == 0) {
			free(payload);
			fail_msg("compressor '%s' failed (is it installed?)", tools[i].cmd);
		}
		assert_int_equal(zp_detect_compression(payload, plen), tools[i].c);
		o.payload = payload;
		o.payload_len = plen;
		img = synth_bzimage(&o, &len);
		assert_int_equal(zp_probe_bzimage(img, len, &bz), ZP_OK);
		assert_int_equal(bz.compression, tools[i].c);
		assert_string_equal(zp_compression_name(bz.compression), tools[i].name);
		free(img);
		free(payload);
	}
}

static void test_uncompressed_and_unknown_payloads(void **state)
{
	(void)state;
	assert_int_equal(zp_detect_compression("\x7f" "ELF\x02\x01\x01", 7), ZP_COMP_NONE);
	assert_int_equal(zp_detect_compression("plain text", 10), ZP_COMP_UNKNOWN);
	assert_int_equal(zp_detect_compression("\x1f", 1), ZP_COMP_UNKNOWN);	/* half a magic */
	assert_int_equal(zp_detect_compression("", 0), ZP_COMP_NONE);
	assert_string_equal(zp_compression_name(ZP_COMP_NONE), "none");
	assert_string_equal(zp_compression_name(ZP_COMP_UNKNOWN), "unknown");
}

static void test_version_string(void **state)
{
	char longv[300];
	struct synth_bzimage_opts o = full_opts(0x20f);
	struct zp_bzimage bz;
	size_t len;
	uint8_t *img;

	(void)state;
	memset(longv, 'v', sizeof(longv) - 1);
	longv[sizeof(longv) - 1] = '\0';
	o.version = longv;
	img = synth_bzimage(&o, &len);
	assert_int_equal(zp_probe_bzimage(img, len, &bz), ZP_OK);
	assert_int_equal(strlen(bz.version), sizeof(bz.version) - 1);
	assert_memory_equal(bz.version, longv, sizeof(bz.version) - 1);

	/* A pointer past the setup area loses the string, not the image. */
	synth_put16(img + 0x20e, (uint16_t)(bz.setup_size - 0x200));
	assert_int_equal(zp_probe_bzimage(img, len, &bz), ZP_OK);
	assert_string_equal(bz.version, "");
	free(img);

	o.version = NULL;
	img = synth_bzimage(&o, &len);
	assert_int_equal(zp_probe_bzimage(img, len, &bz), ZP_OK);
	assert_string_equal(bz.version, "");
	free(img);
}

/* The EFI stub's PE header: "MZ", and "PE\0\0" where 0x3c points, inside
 * the setup part; anything else is no PE header, never a read outside. */
static void test_pe_header(void **state)
{
	struct synth_bzimage_opts o = full_opts(0x20f);
	struct zp_bzimage bz;
	size_t len;
	uint8_t *img;

	(void)state;
	img = synth_bzimage(&o, &len);
	assert_int_equal(zp_probe_bzimage(img, len, &bz), ZP_OK);
	assert_false(bz.has_pe_header);
	img[0] = 'M';
	img[1] = 'Z';
	synth_put32(img + 0x3c, 0x40);
	memcpy(img + 0x40, "PE\0\0", 4);
	assert_int_equal(zp_probe_bzimage(img, len, &bz), ZP_OK);
	assert_true(bz.has_pe_header);
	synth_put32(img + 0x3c, (uint32_t)bz.setup_size - 3);	/* would end past setup */
	assert_int_equal(zp_probe_bzimage(img, len, &bz), ZP_OK);
	assert_false(bz.has_pe_header);
	synth_put32(img + 0x3c, 0xfffffffe);			/* wraps */
	assert_int_equal(zp_probe_bzimage(img, len, &bz), ZP_OK);
	assert_false(bz.has_pe_header);
	free(img);
}

static void test_kernel_info(void **state)
{
	struct synth_bzimage_opts o = full_opts(0x20f);
	struct zp_bzimage bz;
	size_t len;
	uint8_t *img = synth_bzimage(&o, &len);
	size_t ki;

	(void)state;
	assert_int_equal(zp_probe_bzimage(img, len, &bz), ZP_OK);
	assert_true(bz.has_kernel_info);
	ki = bz.setup_size + bz.hdr.kernel_info_offset;
	assert_memory_equal(img + ki, "LToP", 4);
	assert_int_equal(bz.kernel_info.header, ZP_KERNEL_INFO_MAGIC);
	assert_int_equal(bz.kernel_info.size, synth_get32(img + ki + 4));
	assert_int_equal(bz.kernel_info.size_total, synth_get32(img + ki + 8));
	assert_int_equal(bz.kernel_info.setup_type_max, ZP_SETUP_RNG_SEED);

	synth_put32(img + ki + 8, 8);		/* size_total < size */
	assert_int_equal(zp_probe_bzimage(img, len, &bz), ZP_EKINFO);
	synth_put32(img + ki + 8, 0x100000);	/* size_total past the end */
	assert_int_equal(zp_probe_bzimage(img, len, &bz), ZP_EKINFO);
	synth_put32(img + ki + 8, 0x20);
	memcpy(img + ki, "PToL", 4);
	assert_int_equal(zp_probe_bzimage(img, len, &bz), ZP_EKINFO);
	memcpy(img + ki, "LToP", 4);
	synth_put32(img + 0x268, (uint32_t)(len - bz.setup_size - 8));	/* 8 bytes before the end */
	assert_int_equal(zp_probe_bzimage(img, len, &bz), ZP_EKINFO);
	free(img);
}

/* ---- malformed input: each class its own error ---- */

static uint8_t *good_image(size_t *len)
{
	struct synth_bzimage_opts o = full_opts(0x20f);
	return synth_bzimage(&o, len);
}

static void test_truncated(void **state)
{
	size_t len;
	uint8_t *img = good_image(&len);
	struct zp_bzimage bz;

	(void)state;
	assert_int_equal(zp_probe_bzimage(img, 0, &bz), ZP_ETRUNCATED);
	assert_int_equal(zp_probe_bzimage(img, 0x1f1, &bz), ZP_ETRUNCATED);
	assert_int_equal(zp_probe_bzimage(img, 0x207, &bz), ZP_ETRUNCATED);
	free(img);
}

static void test_wrong_magics(void **state)
{
	size_t len;
	uint8_t *img = good_image(&len);
	struct zp_bzimage bz;

	(void)state;
	img[0x1fe] = 0x54;
	assert_int_equal(zp_probe_bzimage(img, len, &bz), ZP_EBADMAGIC);
	img[0x1fe] = 0x55;
	memcpy(img + 0x202, "HdrZ", 4);
	assert_int_equal(zp_probe_bzimage(img, len, &bz), ZP_EBADMAGIC);
	memcpy(img + 0x202, "HdrS", 4);
	assert_int_equal(zp_probe_bzimage(img, len, &bz), ZP_OK);
	free(img);
}

static void test_protocol_too_old(void **state)
{
	size_t len;
	uint8_t *img = good_image(&len);
	struct zp_bzimage bz;

	(void)state;
	synth_put16(img + 0x206, 0x1ff);
	assert_int_equal(zp_probe_bzimage(img, len, &bz), ZP_EPROTOCOL);
	free(img);
}

static void test_setup_sects_past_end(void **state)
{
	size_t len;
	uint8_t *img = good_image(&len);
	struct zp_bzimage bz;

	(void)state;
	img[0x1f1] = 0xff;			/* 128 KiB of setup in a small file */
	assert_int_equal(zp_probe_bzimage(img, len, &bz), ZP_ESETUP);
	img[0x1f1] = 4;
	assert_int_equal(zp_probe_bzimage(img, 5 * 512 - 1, &bz), ZP_ESETUP);
	free(img);
}

static void test_payload_past_end(void **state)
{
	size_t len;
	uint8_t *img = good_image(&len);
	struct zp_bzimage bz;

	(void)state;
	assert_int_equal(zp_probe_bzimage(img, len, &bz), ZP_OK);
	/* cut inside the payload */
	assert_int_equal(zp_probe_bzimage(img, bz.payload_offset + 2, &bz), ZP_EPAYLOAD);
	synth_put32(img + 0x24c, 0x10000);	/* payload_length past the end */
	assert_int_equal(zp_probe_bzimage(img, len, &bz), ZP_EPAYLOAD);
	free(img);
}

/* payload_offset and payload_length are 32-bit: their sum must be too. */
static void test_payload_offset_overflow(void **state)
{
	size_t len;
	uint8_t *img = good_image(&len);
	struct zp_bzimage bz;

	(void)state;
	synth_put32(img + 0x248, 0xfffffff0);
	synth_put32(img + 0x24c, 0x20);
	assert_int_equal(zp_probe_bzimage(img, len, &bz), ZP_EOVERFLOW);
	synth_put32(img + 0x248, 0x20);
	synth_put32(img + 0x24c, 0xffffffff);
	assert_int_equal(zp_probe_bzimage(img, len, &bz), ZP_EOVERFLOW);
	free(img);
}

/* ---- the real kernel ---- */

static void test_real_kernel(void **state)
{
	const char *path = realk_path();
	const char *base, *release;
	struct zp_image img;
	struct zp_bzimage *bz = &img.u.bz;
	uint8_t *buf, *vmlinux;
	size_t len, vmlinux_len;

	(void)state;
	if (!path)
		skip();
	buf = realk_read(path, &len);
	assert_int_equal(zp_probe(buf, len, &img), ZP_OK);
	assert_int_equal(img.format, ZP_FORMAT_BZIMAGE);
	print_message("%s: protocol %x, %s, version '%s'\n", path, bz->protocol,
		      zp_compression_name(bz->compression), bz->version);
	assert_true(bz->protocol >= 0x20f);
	assert_true(bz->has_payload);
	assert_true(bz->has_pe_header);	/* Debian kernels carry the EFI stub */
	assert_true(bz->compression > ZP_COMP_NONE && bz->compression < ZP_COMP_UNKNOWN);
	/* the compressor's own tool agrees: the payload becomes the vmlinux */
	vmlinux = realk_decompress(bz->compression, buf + bz->payload_offset, bz->payload_size,
				   &vmlinux_len);
	assert_non_null(vmlinux);
	assert_memory_equal(vmlinux, "\x7f" "ELF", 4);
	free(vmlinux);
	assert_true(bz->pref_address != 0);
	assert_true(bz->init_size != 0);
	assert_true(bz->init_size >= bz->pm_size);
	assert_true(bz->relocatable);
	assert_true(bz->entries & ZP_ENTRY_LONG64);
	assert_true(bz->has_kernel_info);
	assert_true(isdigit((unsigned char)bz->version[0]));
	/* vmlinuz-<release>, when the file is named that way */
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	release = strncmp(base, "vmlinuz-", 8) ? NULL : base + 8;
	if (release && isdigit((unsigned char)release[0]))
		assert_memory_equal(bz->version, release, strlen(release));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_protocol_decodes_its_fields),
		cmocka_unit_test(test_fields_newer_than_protocol_are_ignored),
		cmocka_unit_test(test_setup_sects),
		cmocka_unit_test(test_xloadflags_decide_entries),
		cmocka_unit_test(test_compression_by_magic),
		cmocka_unit_test(test_uncompressed_and_unknown_payloads),
		cmocka_unit_test(test_version_string),
		cmocka_unit_test(test_pe_header),
		cmocka_unit_test(test_kernel_info),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_wrong_magics),
		cmocka_unit_test(test_protocol_too_old),
		cmocka_unit_test(test_setup_sects_past_end),
		cmocka_unit_test(test_payload_past_end),
		cmocka_unit_test(test_payload_offset_overflow),
		cmocka_unit_test(test_real_kernel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
