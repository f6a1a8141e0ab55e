/* SPDX-License-Identifier: MIT */
/*
 * bench/relocs: what KASLR on the vmlinux fast path costs, on the host.
 *
 *   relocs [KERNEL] [REPS]        KERNEL defaults to $ZEROPAGE_KERNEL
 *
 * The bzImage's payload is decompressed with our library, the vmlinux's
 * PT_LOADs are laid out at their physical offsets from the lowest one
 * (16 MiB for a distro kernel) over the kernel's whole span, max(highest
 * PT_LOAD end, init_size), as `zeropage bundle --entry vmlinux` carries it,
 * and the relocation table is found after the ELF as the bundle writer
 * finds it.  Then, REPS times (default 20) and interleaved, the shim's own
 * steps are timed:
 *
 *   zp_relocs_parse     the table, read backwards as the decompressor does
 *   zp_relocs_check     every entry against the image
 *   zp_relocs_apply     +delta (a 2 MiB multiple), then -delta to restore
 *   memmove / copy      the segments' bytes copied elsewhere: the shim's move
 *                       (its 32-byte loop; glibc's memmove for comparison)
 *
 * It prints the median and min of each, the entry counts and ns per entry,
 * and checks that +delta then -delta leaves the image as it was.  It
 * measures and prints; it never fails on a time.  Under TCG the guest runs
 * the same loops far slower than the host does, so these are the floor of
 * the guest's cost; bench/pvh-boot.sh's boot rows are the end-to-end
 * measure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zeropage/zeropage.h>
#include "common/tool_err.h"
#include "image/bundle_file.h"
#include "image/decompress.h"

#define DELTA	0x1a000000ull	/* a 2 MiB multiple, as the shim picks */

#include "bench.h"

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "relocs: %s: %s\n", what, msg);
	exit(1);
}

/* The shim's memcpy (shim/libc.c): 32 bytes per iteration, then the tail. */
static void copy32(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	size_t blocks = n / 32, r = n % 32;

	if (blocks)
		__asm__ volatile(
			"1:	movq (%1), %%rax\n\t"
			"	movq 8(%1), %%r8\n\t"
			"	movq 16(%1), %%r9\n\t"
			"	movq 24(%1), %%r10\n\t"
			"	movq %%rax, (%0)\n\t"
			"	movq %%r8, 8(%0)\n\t"
			"	movq %%r9, 16(%0)\n\t"
			"	movq %%r10, 24(%0)\n\t"
			"	addq $32, %1\n\t"
			"	addq $32, %0\n\t"
			"	decq %2\n\t"
			"	jnz 1b"
			: "+r"(d), "+r"(s), "+r"(blocks) : : "rax", "r8", "r9", "r10", "memory", "cc");
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(r) : : "memory");
}

enum { T_PARSE, T_CHECK, T_APPLY, T_UNAPPLY, T_MEMMOVE, T_COPY, NT };
static const char *const names[NT] = {
	"zp_relocs_parse", "zp_relocs_check", "zp_relocs_apply +delta",
	"zp_relocs_apply -delta", "memmove (glibc)", "the shim's copy loop",
};

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : getenv("ZEROPAGE_KERNEL");
	unsigned reps = argc > 2 ? (unsigned)atoi(argv[2]) : 20;
	struct zp_bzimage bz;
	struct zp_elf elf;
	struct decompress_buf out;
	struct zp_relocs r;
	struct zp_diag diag;
	struct tool_err err;
	size_t klen;
	uint64_t low = UINT64_MAX, high = 0, sink = 0, *t[NT];

	if (!path || !*path) {
		fprintf(stderr, "usage: relocs KERNEL [REPS]   (or ZEROPAGE_KERNEL=KERNEL relocs)\n");
		return 2;
	}
	if (reps < 1 || reps > 10000)
		reps = 20;
	uint8_t *k = read_file(path, &klen);
	if (zp_probe_bzimage(k, klen, &bz) || !bz.has_payload)
		die(path, "not a bzImage with a payload");

	uint64_t t0 = now_ns();
	if (decompress_payload(bz.compression, k + bz.payload_offset, bz.payload_size, 0, &out,
			       &err))
		die("decompress", err);
	uint64_t t_decomp = now_ns() - t0;

	if (zp_probe_elf(out.data, out.len, &elf) || elf.elf_class != 64)
		die("payload", "not a 64-bit vmlinux ELF");
	for (unsigned i = 0; i < elf.nsegments; i++) {
		const struct zp_elf_segment *s = &elf.segments[i];
		if (s->type != ZP_PT_LOAD)
			continue;
		if (s->paddr < low)
			low = s->paddr;
		if (s->paddr + s->memsz > high)
			high = s->paddr + s->memsz;
	}
	if (low == UINT64_MAX)
		die("payload", "no PT_LOAD");
	/* The bundle's kernel_span: the PT_LOADs or init_size, the larger; and
	 * kernel_loaded, the segments' bytes, which is what the shim moves. */
	uint64_t span = high - low > bz.init_size ? high - low : bz.init_size, loaded = 0;
	for (unsigned i = 0; i < elf.nsegments; i++)
		if (elf.segments[i].type == ZP_PT_LOAD &&
		    elf.segments[i].paddr + elf.segments[i].filesz - low > loaded)
			loaded = elf.segments[i].paddr + elf.segments[i].filesz - low;
	uint8_t *image = calloc(1, span), *pristine = malloc(span), *other = malloc(span);
	if (!image || !pristine || !other)
		die("memory", "cannot allocate the kernel span three times");
	for (unsigned i = 0; i < elf.nsegments; i++) {
		const struct zp_elf_segment *s = &elf.segments[i];
		if (s->type == ZP_PT_LOAD)
			memcpy(image + (s->paddr - low), out.data + s->offset, s->filesz);
	}
	memcpy(pristine, image, span);
	memset(other, 0, span);		/* fault the pages in before timing */

	if (zp_relocs_find(&bz, out.data, out.len, &r, &diag))
		die("relocation table", diag.msg);
	if (!r.table)
		die("relocation table", r.absent);
	const uint8_t *table = r.table;
	size_t table_len = r.len;
	struct zp_relocs_target tg = { image, loaded, ZP_START_KERNEL_MAP + low };
	if (zp_relocs_check(&r, &tg, &diag))
		die("relocation table", diag.msg);
	size_t entries = r.n64 + r.ninv32 + r.n32;

	for (unsigned j = 0; j < NT; j++)
		if (!(t[j] = calloc(reps, sizeof(uint64_t))))
			die("memory", "timings");
	for (unsigned i = 0; i < reps; i++) {
		struct zp_relocs r2;
		uint64_t a;

		a = now_ns();
		if (zp_relocs_parse(table, table_len, &r2, &diag))
			die("parse", diag.msg);
		t[T_PARSE][i] = now_ns() - a;
		sink += r2.n64 + r2.n32 + r2.ninv32;

		a = now_ns();
		if (zp_relocs_check(&r2, &tg, &diag))
			die("check", diag.msg);
		t[T_CHECK][i] = now_ns() - a;

		a = now_ns();
		if (zp_relocs_apply(&r2, &tg, DELTA, &diag))
			die("apply", diag.msg);
		t[T_APPLY][i] = now_ns() - a;
		sink += image[(i * 4099) % span];

		a = now_ns();
		if (zp_relocs_apply(&r2, &tg, -DELTA, &diag))
			die("apply", diag.msg);
		t[T_UNAPPLY][i] = now_ns() - a;

		/* Alternate the order of the two copies from round to round. */
		for (unsigned c = 0; c < 2; c++) {
			a = now_ns();
			if ((c ^ i) & 1)
				copy32(other, image, loaded);
			else
				memmove(other, image, loaded);
			uint64_t d = now_ns() - a;
			t[(c ^ i) & 1 ? T_COPY : T_MEMMOVE][i] = d;
			sink += other[(i * 8191) % span];
		}
	}
	bool restored = !memcmp(image, pristine, span);

	printf("kernel:   %s\n", path);
	printf("payload:  %s, %zu -> %zu bytes; decompressed once by decompress_payload in %.1f ms "
	       "(the work the vmlinux bundle does at bundle time, not in the guest)\n",
	       zp_compression_name(bz.compression), bz.payload_size, out.len, t_decomp / 1e6);
	printf("image:    PT_LOADs 0x%llx-0x%llx, init_size 0x%x: span 0x%llx bytes; the shim moves "
	       "the segments' 0x%llx bytes (%.1f MiB)\n", (unsigned long long)low,
	       (unsigned long long)high, bz.init_size, (unsigned long long)span,
	       (unsigned long long)loaded, loaded / 1048576.0);
	printf("table:    %zu bytes after the ELF at payload offset 0x%llx: %u lists, %zu entries "
	       "(64-bit %zu, inverse 32-bit %zu, 32-bit %zu); delta 0x%llx\n", table_len,
	       (unsigned long long)(table - out.data), r.lists, entries, r.n64, r.ninv32, r.n32,
	       DELTA);
	printf("\n%-24s %12s %12s %12s  (%u reps, host)\n", "step", "median_us", "min_us",
	       "ns/entry", reps);
	for (unsigned j = 0; j < NT; j++) {
		qsort(t[j], reps, sizeof(uint64_t), cmp_u64);
		uint64_t m = reps % 2 ? t[j][reps / 2] : (t[j][reps / 2 - 1] + t[j][reps / 2]) / 2;
		char per[32];
		if (j <= T_UNAPPLY)
			snprintf(per, sizeof(per), "%.2f", (double)m / (double)entries);
		else
			snprintf(per, sizeof(per), "%.0f MB/s", loaded * 1e3 / (double)m);
		printf("%-24s %12.1f %12.1f %12s\n", names[j], m / 1e3, t[j][0] / 1e3, per);
	}
	printf("\n+delta then -delta restored the image: %s\n", restored ? "yes" : "NO");
	printf("Note: in the guest the shim parses and checks the table while planning, then moves\n"
	       "the segments (its copy loop) and applies it once (apply checks again).  Under TCG the guest\n"
	       "runs these loops far slower than this host does (every instruction is translated\n"
	       "and emulated), so these are the floor of their cost, not it; the boot rows of\n"
	       "bench/pvh-boot.sh (KASLR against --no-kaslr) are the end-to-end measure.\n");
	printf("(checksum %llu)\n", (unsigned long long)sink);
	for (unsigned j = 0; j < NT; j++)
		free(t[j]);
	free(image);
	free(pristine);
	free(other);
	free(out.data);
	free(k);
	return restored ? 0 : 1;
}
