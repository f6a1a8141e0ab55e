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

/* The kernel as `zeropage bundle --entry vmlinux` carries it, and what the
 * rounds need around it. */
struct kernel_image {
	const char *path;
	uint8_t *file;			/* the bzImage */
	struct zp_bzimage bz;
	struct decompress_buf payload;		/* the decompressed vmlinux (and its table) */
	uint64_t decompress_ns;
	uint64_t low, high;		/* the PT_LOADs' extent, physical */
	uint64_t span;			/* the bundle's kernel_span */
	uint64_t loaded;		/* its kernel_loaded: what the shim moves */
	uint8_t *image;			/* span bytes: the segments at low + offset */
	uint8_t *pristine;		/* a copy of image, to check the round trip */
	uint8_t *other;			/* where the copies go */
};

/* The relocation table and the image it applies to. */
struct reloc_table {
	struct zp_relocs r;
	size_t entries;
	struct zp_relocs_target target;
};

/* Reads the bzImage and decompresses its payload once, timing that. */
static void read_kernel(struct kernel_image *k)
{
	struct tool_err err;
	size_t len;
	uint64_t t0;

	k->file = read_file(k->path, &len);
	if (zp_probe_bzimage(k->file, len, &k->bz) || !k->bz.has_payload)
		die(k->path, "not a bzImage with a payload");
	t0 = now_ns();
	if (decompress_payload(k->bz.compression, k->file + k->bz.payload_offset,
				  k->bz.payload_size, 0, &k->payload, &err))
		die("decompress", err.msg);
	k->decompress_ns = now_ns() - t0;
}

/* The PT_LOADs' extent [low, high) and kernel_loaded, the end of their file
 * bytes from low; the span is the bundle's own rule (bundle_vmlinux_span). */
static void measure_pt_loads(struct kernel_image *k, const struct zp_elf *elf)
{
	k->low = UINT64_MAX;
	k->high = 0;
	for (unsigned i = 0; i < elf->nsegments; i++) {
		const struct zp_elf_segment *s = &elf->segments[i];
		if (s->type != ZP_PT_LOAD)
			continue;
		if (s->paddr < k->low)
			k->low = s->paddr;
		if (s->paddr + s->memsz > k->high)
			k->high = s->paddr + s->memsz;
	}
	if (k->low == UINT64_MAX)
		die("payload", "no PT_LOAD");
	k->span = bundle_vmlinux_span(&k->bz, k->low, k->high);
	k->loaded = 0;
	for (unsigned i = 0; i < elf->nsegments; i++)
		if (elf->segments[i].type == ZP_PT_LOAD &&
		    elf->segments[i].paddr + elf->segments[i].filesz - k->low > k->loaded)
			k->loaded = elf->segments[i].paddr + elf->segments[i].filesz - k->low;
}

/* Lays the payload's PT_LOADs out at their physical offsets from the lowest
 * one over the kernel's whole span, and faults in the copies' buffers. */
static void load_kernel_image(struct kernel_image *k)
{
	static struct zp_elf elf;

	if (zp_probe_elf(k->payload.data, k->payload.len, &elf) || elf.elf_class != 64)
		die("payload", "not a 64-bit vmlinux ELF");
	measure_pt_loads(k, &elf);
	k->image = calloc(1, k->span);
	k->pristine = malloc(k->span);
	k->other = malloc(k->span);
	if (!k->image || !k->pristine || !k->other)
		die("memory", "cannot allocate the kernel span three times");
	for (unsigned i = 0; i < elf.nsegments; i++) {
		const struct zp_elf_segment *s = &elf.segments[i];
		if (s->type == ZP_PT_LOAD)
			memcpy(k->image + (s->paddr - k->low), k->payload.data + s->offset,
			       s->filesz);
	}
	memcpy(k->pristine, k->image, k->span);
	memset(k->other, 0, k->span);		/* fault the pages in before timing */
}

/* The table after the ELF, found and checked as the bundle writer does. */
static void find_reloc_table(const struct kernel_image *k, struct reloc_table *t)
{
	struct zp_diag diag;

	if (zp_relocs_find(&k->bz, k->payload.data, k->payload.len, &t->r, &diag))
		die("relocation table", diag.msg);
	if (!t->r.table)
		die("relocation table", t->r.absent);
	t->target = (struct zp_relocs_target){ k->image, k->loaded, ZP_START_KERNEL_MAP + k->low };
	if (zp_relocs_check(&t->r, &t->target, &diag))
		die("relocation table", diag.msg);
	t->entries = t->r.n64 + t->r.ninv32 + t->r.n32;
}

/* Round i of the shim's steps, each timed into t[step][i]; returns bytes
 * read from the results so the compiler keeps the work. */
static uint64_t time_round(const struct kernel_image *k, const struct reloc_table *tab,
			   unsigned i, uint64_t *t[NT])
{
	struct zp_relocs r2;
	struct zp_diag diag;
	uint64_t a, sink;

	a = now_ns();
	if (zp_relocs_parse(tab->r.table, tab->r.len, &r2, &diag))
		die("parse", diag.msg);
	t[T_PARSE][i] = now_ns() - a;
	sink = r2.n64 + r2.n32 + r2.ninv32;

	a = now_ns();
	if (zp_relocs_check(&r2, &tab->target, &diag))
		die("check", diag.msg);
	t[T_CHECK][i] = now_ns() - a;

	a = now_ns();
	if (zp_relocs_apply(&r2, &tab->target, DELTA, &diag))
		die("apply", diag.msg);
	t[T_APPLY][i] = now_ns() - a;
	sink += k->image[(i * 4099) % k->span];

	a = now_ns();
	if (zp_relocs_apply(&r2, &tab->target, -DELTA, &diag))
		die("apply", diag.msg);
	t[T_UNAPPLY][i] = now_ns() - a;

	/* Alternate the order of the two copies from round to round. */
	for (unsigned c = 0; c < 2; c++) {
		a = now_ns();
		if ((c ^ i) & 1)
			copy32(k->other, k->image, k->loaded);
		else
			memmove(k->other, k->image, k->loaded);
		t[(c ^ i) & 1 ? T_COPY : T_MEMMOVE][i] = now_ns() - a;
		sink += k->other[(i * 8191) % k->span];
	}
	return sink;
}

/* What was measured: the kernel, its payload, image and table. */
static void print_inputs(const struct kernel_image *k, const struct reloc_table *tab)
{
	printf("kernel:   %s\n", k->path);
	printf("payload:  %s, %zu -> %zu bytes; decompressed once by decompress_payload in %.1f ms "
	       "(the work the vmlinux bundle does at bundle time, not in the guest)\n",
	       zp_compression_name(k->bz.compression), k->bz.payload_size, k->payload.len,
	       k->decompress_ns / 1e6);
	printf("image:    PT_LOADs 0x%llx-0x%llx, init_size 0x%x: span 0x%llx bytes; the shim moves "
	       "the segments' 0x%llx bytes (%.1f MiB)\n", (unsigned long long)k->low,
	       (unsigned long long)k->high, k->bz.init_size, (unsigned long long)k->span,
	       (unsigned long long)k->loaded, k->loaded / 1048576.0);
	printf("table:    %zu bytes after the ELF at payload offset 0x%llx: %u lists, %zu entries "
	       "(64-bit %zu, inverse 32-bit %zu, 32-bit %zu); delta 0x%llx\n", tab->r.len,
	       (unsigned long long)(tab->r.table - k->payload.data), tab->r.lists, tab->entries,
	       tab->r.n64, tab->r.ninv32, tab->r.n32, DELTA);
}

/* Each step's median and min; ns per entry for the table's steps, MB/s for
 * the copies.  Sorts t. */
static void print_timings(const struct kernel_image *k, const struct reloc_table *tab,
			  unsigned reps, uint64_t *t[NT])
{
	printf("\n%-24s %12s %12s %12s  (%u reps, host)\n", "step", "median_us", "min_us",
	       "ns/entry", reps);
	for (unsigned j = 0; j < NT; j++) {
		qsort(t[j], reps, sizeof(uint64_t), cmp_u64);
		uint64_t m = reps % 2 ? t[j][reps / 2] : (t[j][reps / 2 - 1] + t[j][reps / 2]) / 2;
		char per[32];
		if (j <= T_UNAPPLY)
			snprintf(per, sizeof(per), "%.2f", (double)m / (double)tab->entries);
		else
			snprintf(per, sizeof(per), "%.0f MB/s", k->loaded * 1e3 / (double)m);
		printf("%-24s %12.1f %12.1f %12s\n", names[j], m / 1e3, t[j][0] / 1e3, per);
	}
}

static void print_note(bool restored, uint64_t sink)
{
	printf("\n+delta then -delta restored the image: %s\n", restored ? "yes" : "NO");
	printf("Note: in the guest the shim parses and checks the table while planning, then moves\n"
	       "the segments (its copy loop) and applies it once (apply checks again).  Under TCG the guest\n"
	       "runs these loops far slower than this host does (every instruction is translated\n"
	       "and emulated), so these are the floor of their cost, not it; the boot rows of\n"
	       "bench/pvh-boot.sh (KASLR against --no-kaslr) are the end-to-end measure.\n");
	printf("(checksum %llu)\n", (unsigned long long)sink);
}

static void free_kernel_image(struct kernel_image *k)
{
	free(k->image);
	free(k->pristine);
	free(k->other);
	free(k->payload.data);
	free(k->file);
}

int main(int argc, char **argv)
{
	struct kernel_image k = { .path = argc > 1 ? argv[1] : getenv("ZEROPAGE_KERNEL") };
	unsigned reps = argc > 2 ? (unsigned)atoi(argv[2]) : 20;
	struct reloc_table tab;
	uint64_t sink = 0, *t[NT];

	if (!k.path || !*k.path) {
		fprintf(stderr, "usage: relocs KERNEL [REPS]   (or ZEROPAGE_KERNEL=KERNEL relocs)\n");
		return 2;
	}
	if (reps < 1 || reps > 10000)
		reps = 20;
	read_kernel(&k);
	load_kernel_image(&k);
	find_reloc_table(&k, &tab);

	for (unsigned j = 0; j < NT; j++)
		if (!(t[j] = calloc(reps, sizeof(uint64_t))))
			die("memory", "timings");
	for (unsigned i = 0; i < reps; i++)
		sink += time_round(&k, &tab, i, t);
	bool restored = !memcmp(k.image, k.pristine, k.span);

	print_inputs(&k, &tab);
	print_timings(&k, &tab, reps, t);
	print_note(restored, sink);
	for (unsigned j = 0; j < NT; j++)
		free(t[j]);
	free_kernel_image(&k);
	return restored ? 0 : 1;
}
