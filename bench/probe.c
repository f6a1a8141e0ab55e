/* SPDX-License-Identifier: MIT */
/*
 * bench/probe: zp_probe + zp_build_boot_params on a real kernel image, timed
 * against a plain memcpy of the same image, the least any loader must do
 * with it.  The ratio says whether probing and building the zero page is
 * noise next to loading the kernel, which is the claim worth checking.
 *
 *   probe KERNEL [ROUNDS]
 *
 * Both sides run in the same rounds, alternately, so a noisy neighbour on a
 * shared machine hits both; the medians over the rounds are printed.  It
 * measures and prints; it never fails on a time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zeropage/zeropage.h>

#include "bench.h"

static const uint8_t *image;
static size_t image_len;
static uint8_t *copy;
/* Folded from every result, and printed, so no iteration is dead code. */
static uint64_t sink;

static const struct zp_e820_entry e820[] = {
	{ 0, 0x9fc00, ZP_E820_RAM },
	{ 0xf0000, 0x10000, ZP_E820_RESERVED },
	{ 0x100000, 0x7ff00000, ZP_E820_RAM },
};

static void probe_and_build(void)
{
	static struct zp_image img;
	static struct zp_boot_params bp;
	static uint8_t sd[256];
	struct zp_diag diag;
	size_t sd_len;

	if (zp_probe(image, image_len, &img) || img.format != ZP_FORMAT_BZIMAGE) {
		fprintf(stderr, "probe: not a bzImage\n");
		exit(1);
	}
	struct zp_boot_config cfg = {
		.e820 = e820, .e820_count = 3,
		.cmdline = "console=ttyS0 root=/dev/vda1 ro", .cmdline_addr = 0x20000,
		.initrd_addr = 0x10000000, .initrd_size = 0x1000000,
		.rsdp_addr = 0xe0000, .kernel_addr = img.u.bz.pref_address,
		.setup_data_buf = sd, .setup_data_cap = sizeof(sd), .setup_data_addr = 0x30000,
	};
	if (zp_build_boot_params(&img.u.bz, &cfg, &bp, &sd_len, &diag)) {
		fprintf(stderr, "probe: build: %s\n", diag.msg);
		exit(1);
	}
	sink += bp.hdr.cmd_line_ptr + sd_len;
}

static void plain_copy(void)
{
	memcpy(copy, image, image_len);
	sink += copy[image_len / 2];
}

/* ns per call of fn over `iters` calls. */
static uint64_t time_per_op(void (*fn)(void), unsigned iters)
{
	uint64_t t0 = now_ns();
	for (unsigned i = 0; i < iters; i++)
		fn();
	return (now_ns() - t0) / iters;
}

/* Enough iterations that one measurement lasts about 20 ms. */
static unsigned calibrate(void (*fn)(void))
{
	unsigned iters = 1;
	while (time_per_op(fn, iters) * iters < 20000000 && iters < (1u << 24))
		iters *= 2;
	return iters;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: probe KERNEL [ROUNDS]\n");
		return 2;
	}
	unsigned rounds = argc > 2 ? (unsigned)atoi(argv[2]) : 15;
	if (rounds < 1 || rounds > 1000)
		rounds = 15;
	image = read_file(argv[1], &image_len);
	copy = malloc(image_len);
	if (!copy)
		return 1;
	memset(copy, 0, image_len);	/* fault the pages in before timing */

	unsigned n_probe = calibrate(probe_and_build), n_copy = calibrate(plain_copy);
	uint64_t *tp = calloc(rounds, sizeof(*tp)), *tc = calloc(rounds, sizeof(*tc));
	if (!tp || !tc)
		return 1;
	for (unsigned r = 0; r < rounds; r++) {
		if (r % 2) {
			tc[r] = time_per_op(plain_copy, n_copy);
			tp[r] = time_per_op(probe_and_build, n_probe);
		} else {
			tp[r] = time_per_op(probe_and_build, n_probe);
			tc[r] = time_per_op(plain_copy, n_copy);
		}
	}
	qsort(tp, rounds, sizeof(*tp), cmp_u64);
	qsort(tc, rounds, sizeof(*tc), cmp_u64);
	uint64_t mp = tp[rounds / 2], mc = tc[rounds / 2];

	printf("kernel:   %s (%zu bytes)\n", argv[1], image_len);
	printf("probe:    zp_probe + zp_build_boot_params  %10llu ns/op  (%u iters x %u rounds)\n",
	       (unsigned long long)mp, n_probe, rounds);
	printf("probe:    memcpy of the image               %10llu ns/op  (%u iters x %u rounds, %.0f MB/s)\n",
	       (unsigned long long)mc, n_copy, rounds, mc ? image_len * 1e3 / (double)mc : 0.0);
	printf("probe:    ratio probe+build/memcpy = %.6f  (memcpy is %.0fx slower)\n",
	       mc ? (double)mp / (double)mc : 0.0, mp ? (double)mc / (double)mp : 0.0);
	printf("(checksum %llu)\n", (unsigned long long)sink);
	free(tp);
	free(tc);
	free(copy);
	free((void *)image);
	return 0;
}
