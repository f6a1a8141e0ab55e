/* SPDX-License-Identifier: MIT */
/*
 * fuzz_bundle: `zeropage info` on an untrusted file, the way cmd_info.c
 * goes about it: zp_probe_elf, bundle_is_ours, bundle_read, then
 * info_describe_bundle as text and as JSON.
 *
 * Whatever the file says, the view points into the file only, the
 * descriptor is one the shim can honour (known entry, handoff and flags;
 * every range below 4 GiB, unwrapped, and in the file where the loader
 * copies it from there), and the JSON is well formed enough to parse (one
 * object, control bytes escaped, quotes balanced).
 *
 * Seeds: ZP_FUZZ_SEEDS=DIR fuzz_bundle [SHIM_ELF] writes seeds into DIR,
 * bundles made by the real writer (bundle_build) around synthetic
 * kernels: with a tiny stand-in shim (an ELF of one small PT_LOAD with the
 * two notes and the descriptor, so the seeds stay a few KiB), and with
 * SHIM_ELF, the built shim, one bundle whose shim had to move; and copies
 * of one bundle with a descriptor field the reader once took as valid
 * (regress-*: cmdline_len UINT64_MAX overflowed a pointer; entry 2, handoff
 * 0xffffffff, an initrd that wraps or lies past the file were described).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/tool_err.h"
#include "image/bundle_file.h"
#include "cli/commands.h"
#include "cli/info.h"
#include "fuzz.h"
#include "../tests/synth.h"

/* bundle.c's embedded_shim_elf() returns the shim that shim/embed.S embeds in
 * the zeropage command.  Only the writer's callers use it, never the
 * reader, so this target links no built shim: an empty one. */
__asm__(".section .rodata\n"
	".globl shim_elf_start\n.globl shim_elf_end\n"
	"shim_elf_start:\nshim_elf_end:\n"
	".previous\n");

/* [paddr, paddr+n) below 4 GiB, and (when in_file) file bytes of one
 * PT_LOAD: checked here from the ELF's own segments, not by the reader's
 * helper, so a mistake there is not repeated here. */
static bool honourable(const struct zp_elf *elf, size_t size, uint64_t paddr, uint64_t n,
		       bool in_file)
{
	if (paddr >= (1ull << 32) || n > (1ull << 32) - paddr)
		return false;
	if (!in_file || n == 0)
		return true;
	for (unsigned i = 0; i < elf->nsegments; i++) {
		const struct zp_elf_segment *s = &elf->segments[i];
		if (s->type == ZP_PT_LOAD && paddr >= s->paddr && paddr - s->paddr <= s->filesz &&
		    n <= s->filesz - (paddr - s->paddr) && s->offset <= size &&
		    s->filesz <= size - s->offset)
			return true;
	}
	return false;
}

/* What the reader accepts, the shim can honour: a known entry, handoff and
 * flags, and every piece in range (and in the file where the loader copies
 * it from there). */
static void check_honourable(size_t size, const struct zp_elf *elf,
			     const struct zp_bundle_desc *d)
{
	FUZZ_CHECK(zp_bundle_desc_check(d, NULL) == ZP_OK);
	FUZZ_CHECK(d->entry == 0 || d->entry == ZP_BUNDLE_ENTRY_64 ||
		   d->entry == ZP_BUNDLE_ENTRY_32 || d->entry == ZP_BUNDLE_ENTRY_VMLINUX);
	FUZZ_CHECK(d->handoff == ZP_HANDOFF_NATIVE || d->handoff == ZP_HANDOFF_SUBARCH);
	FUZZ_CHECK(!(d->flags & ~ZP_BUNDLE_FLAGS_KNOWN));
	if (d->entry == 0)
		return;
	FUZZ_CHECK(honourable(elf, size, d->image_paddr, d->image_loaded, true));
	FUZZ_CHECK(d->image_loaded <= d->image_size);
	FUZZ_CHECK(honourable(elf, size, d->initrd_paddr, d->initrd_size, true));
	FUZZ_CHECK(honourable(elf, size, d->relocs_paddr, d->relocs_size, true));
	FUZZ_CHECK(d->cmdline_len < (1ull << 32));
	FUZZ_CHECK(honourable(elf, size, d->cmdline_paddr, d->cmdline_len + 1, d->cmdline_len));
	FUZZ_CHECK(honourable(elf, size, d->kernel_addr, d->kernel_span, false));
	if (d->entry == ZP_BUNDLE_ENTRY_VMLINUX)
		FUZZ_CHECK(d->vmlinux_entry >= d->kernel_addr &&
			   d->vmlinux_entry - d->kernel_addr < d->kernel_span);
	else
		FUZZ_CHECK(!d->relocs_size && d->image_loaded == d->image_size);
}

static void check_view(const uint8_t *data, size_t size, const struct zp_elf *elf,
		       const struct bundle_view *v)
{
	const struct zp_bundle_desc *d = &v->desc;

	FUZZ_CHECK(d->magic == ZP_BUNDLE_MAGIC && d->version == ZP_BUNDLE_VERSION &&
		   d->size == sizeof(*d));
	check_honourable(size, elf, d);
	FUZZ_CHECK(v->nload <= elf->nsegments);
	FUZZ_CHECK(v->shim_start <= v->shim_end);
	FUZZ_CHECK(v->pvh_entry == elf->pvh_entry);
	if (d->entry == 0) {	/* the bare shim: nothing else was read */
		FUZZ_CHECK(!v->setup && !v->cmdline);
		return;
	}
	FUZZ_CHECK(v->setup && v->setup_len == d->image_loaded);
	FUZZ_CHECK(fuzz_inside(v->setup, v->setup_len, data, size));
	fuzz_touch(v->setup, v->setup_len);
	FUZZ_CHECK(v->bz.setup_size <= v->setup_len);
	if (d->cmdline_len) {
		FUZZ_CHECK(v->cmdline && fuzz_inside(v->cmdline, d->cmdline_len + 1, data, size));
		FUZZ_CHECK(v->cmdline[d->cmdline_len] == '\0');
	} else {
		FUZZ_CHECK(!v->cmdline);
	}
	if (d->entry == ZP_BUNDLE_ENTRY_VMLINUX || v->bz.relocatable)
		FUZZ_CHECK(v->run_addr == d->kernel_addr);
	else
		FUZZ_CHECK(v->run_addr == v->bz.pref_address);
}

/* One JSON object: no raw control byte but newlines, every string closed. */
static void check_json(const char *s, size_t n)
{
	bool in_str = false;
	int depth = 0;

	FUZZ_CHECK(n >= 3 && s[0] == '{' && s[n - 2] == '}' && s[n - 1] == '\n');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		FUZZ_CHECK(c >= 0x20 || (c == '\n' && !in_str));
		if (in_str) {
			if (c == '\\') {
				FUZZ_CHECK(i + 1 < n && strchr("\"\\/bfnrtu", s[i + 1]));
				i++;
			} else if (c == '"') {
				in_str = false;
			}
			continue;
		}
		if (c == '"')
			in_str = true;
		else if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']')
			FUZZ_CHECK(--depth >= 0);
	}
	FUZZ_CHECK(!in_str && depth == 0);
}

static void describe(const uint8_t *data, size_t size, const struct zp_elf *elf, bool as_json)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);

	FUZZ_CHECK(f != NULL);
	FUZZ_CHECK(info_describe_bundle(f, "fuzz.elf", data, size, elf, as_json,
					NULL) == CLI_EXIT_OK);
	FUZZ_CHECK(fclose(f) == 0);
	FUZZ_CHECK(n == strlen(out));	/* a NUL from the file would cut a line short */
	if (as_json)
		check_json(out, n);
	else
		FUZZ_CHECK(!strncmp(out, "fuzz.elf: zeropage bundle", 25));
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct zp_elf elf;
	static struct bundle_view v;
	struct tool_err err;

	if (zp_probe_elf(data, size, &elf))
		return 0;
	bool is = bundle_is_ours(&elf);
	memset(err.msg, 0x5a, sizeof(err.msg));
	int r = bundle_read(data, size, &elf, &v, &err);
	FUZZ_CHECK(r == 0 || r == -1);
	if (r) {
		FUZZ_CHECK(memchr(err.msg, 0, sizeof(err.msg)) && err.msg[0]);
		return 0;
	}
	FUZZ_CHECK(is);
	check_view(data, size, &elf, &v);
	/* Only on success: on failure describe says why on stderr, which
	 * would flood the log; the reason itself was checked above. */
	describe(data, size, &elf, false);
	describe(data, size, &elf, true);
	return 0;
}

/* ---- seeds ---- */

static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A stand-in for the shim: what the bundle writer reads of it and nothing
 * more.  One PT_LOAD (the whole file, at 1 MiB, with the real shim's
 * footprint as memsz), a PT_NOTE with XEN PHYS32_ENTRY and our ZeroPage
 * note, and the bare descriptor at 0x200. */
#define FAKE_LEN	0x280
static void fake_shim(uint8_t *f)
{
	static const struct zp_bundle_desc bare = { .magic = ZP_BUNDLE_MAGIC,
		.version = ZP_BUNDLE_VERSION, .size = sizeof(struct zp_bundle_desc) };
	uint8_t *ph = f + 64, *n = f + 0x100;

	memset(f, 0, FAKE_LEN);
	memcpy(f, "\177ELF\2\1\1", 7);
	put_le(f + 16, 2, 2);		/* ET_EXEC */
	put_le(f + 18, ZP_EM_X86_64, 2);
	put_le(f + 20, 1, 4);
	put_le(f + 24, 0x100000, 8);	/* e_entry */
	put_le(f + 32, 64, 8);		/* e_phoff */
	put_le(f + 52, 64, 2);
	put_le(f + 54, 56, 2);
	put_le(f + 56, 2, 2);
	put_le(ph, ZP_PT_LOAD, 4);
	put_le(ph + 4, 7, 4);
	put_le(ph + 16, 0x100000, 8);
	put_le(ph + 24, 0x100000, 8);
	put_le(ph + 32, FAKE_LEN, 8);
	put_le(ph + 40, 0x3f000, 8);
	put_le(ph + 48, 0x1000, 8);
	ph += 56;
	put_le(ph, ZP_PT_NOTE, 4);
	put_le(ph + 4, 4, 4);
	put_le(ph + 8, 0x100, 8);
	put_le(ph + 32, 20 + 32, 8);
	put_le(ph + 40, 20 + 32, 8);
	put_le(ph + 48, 4, 8);
	put_le(n, 4, 4);		/* "Xen", PHYS32_ENTRY, 4-byte desc */
	put_le(n + 4, 4, 4);
	put_le(n + 8, ZP_XEN_ELFNOTE_PHYS32_ENTRY, 4);
	memcpy(n + 12, "Xen", 4);
	put_le(n + 16, 0x100000, 4);
	n += 20;
	put_le(n, 9, 4);		/* "ZeroPage", type 1, 8-byte desc */
	put_le(n + 4, 8, 4);
	put_le(n + 8, ZP_NOTE_BUNDLE, 4);
	memcpy(n + 12, ZP_NOTE_NAME, 9);
	put_le(n + 24, 0x100200, 8);
	memcpy(f + 0x200, &bare, sizeof(bare));
}

static void write_file(const char *dir, const char *name, const uint8_t *b, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(b, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* SRC in DIR again as NAME, with one descriptor field set to VALUE. */
static void poked(const char *dir, const char *src, const char *name, size_t field,
		  unsigned width, uint64_t value)
{
	static struct zp_elf elf;
	char path[4096];
	uint8_t *b;
	long len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, src);
	f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) ||
	    !(b = malloc((size_t)len)) || fread(b, 1, (size_t)len, f) != (size_t)len) {
		perror(path);
		exit(1);
	}
	fclose(f);
	const struct zp_elf_note *n = zp_probe_elf(b, (size_t)len, &elf) ? NULL
				      : zp_elf_find_note(&elf, ZP_NOTE_NAME, ZP_NOTE_BUNDLE);
	for (unsigned i = 0; n && i < elf.nsegments; i++) {
		const struct zp_elf_segment *s = &elf.segments[i];
		if (s->type == ZP_PT_LOAD && n->value >= s->paddr && n->value - s->paddr < s->filesz) {
			put_le(b + s->offset + (n->value - s->paddr) + field, value, (int)width);
			write_file(dir, name, b, (size_t)len);
			free(b);
			return;
		}
	}
	fprintf(stderr, "fuzz_bundle: seed %s: no descriptor in %s\n", name, path);
	exit(1);
}

#define FIELD(f)	offsetof(struct zp_bundle_desc, f), \
			(unsigned)sizeof(((struct zp_bundle_desc *)0)->f)

static void write_regressions(const char *dir, const char *src)
{
	poked(dir, src, "regress-cmdline-len-max", FIELD(cmdline_len), UINT64_MAX);
	poked(dir, src, "regress-entry-2", FIELD(entry), 2);
	poked(dir, src, "regress-handoff-ffffffff", FIELD(handoff), 0xffffffff);
	poked(dir, src, "regress-initrd-wraps", FIELD(initrd_paddr), 0xffffffffffffff80ull);
	poked(dir, src, "regress-initrd-past-file", FIELD(initrd_size), 0x1000000);
}

static const uint8_t lz4_payload[] = { 0x02, 0x21, 0x4c, 0x18, 1, 2, 3, 4, 5, 6, 7, 8 };

static void bundle(const char *dir, const char *name, const uint8_t *shim, size_t shim_len,
		   const struct synth_bzimage_opts *k, struct bundle_opts *o)
{
	struct decompress_buf out;
	struct tool_err err;
	size_t klen, vlen = 0;
	uint8_t *kernel = synth_bzimage(k, &klen), *vmlinux = NULL;

	o->kernel = kernel;
	o->kernel_len = klen;
	if (o->entry == ZP_BUNDLE_ENTRY_VMLINUX) {
		vmlinux = synth_elf(64, SYNTH_ELF_LOAD_PADDR + 0x10, NULL, 0, &vlen);
		o->vmlinux = vmlinux;
		o->vmlinux_len = vlen;
	}
	if (bundle_build(o, shim, shim_len, &out, &err)) {
		fprintf(stderr, "fuzz_bundle: seed %s: %s\n", name, err.msg);
		exit(1);
	}
	write_file(dir, name, out.data, out.len);
	free(out.data);
	free(kernel);
	free(vmlinux);
}

static void write_seeds(const char *dir, const char *shim_path)
{
	static uint8_t fake[FAKE_LEN];
	static const uint8_t initrd[256] = { 0x30, 0x37, 0x30, 0x37, 0x30, 0x31 };	/* "070701" */
	const struct synth_bzimage_opts k64 = {
		.protocol = 0x20f, .xloadflags = ZP_XLF_KERNEL_64 | ZP_XLF_CAN_BE_LOADED_ABOVE_4G,
		.payload = lz4_payload, .payload_len = sizeof(lz4_payload), .version = "6.99-fuzz",
		.relocatable = true, .kernel_info = true, .init_size = 0x800000,
	};
	const struct synth_bzimage_opts k32 = {
		.protocol = 0x20c, .payload = lz4_payload, .payload_len = sizeof(lz4_payload),
		.relocatable = true, .pref_address = 0x400000, .cmdline_size = 255,
	};
	const struct synth_bzimage_opts k_old = {	/* runs at 1 MiB only: the shim moves */
		.protocol = 0x206, .version = "2.6.32-fuzz",
	};
	struct bundle_opts o;

	fake_shim(fake);
	write_file(dir, "bare-stand-in-shim", fake, sizeof(fake));
	o = (struct bundle_opts){ .entry = ZP_BUNDLE_ENTRY_64, .cmdline = "console=ttyS0 quiet",
				     .initrd = initrd, .initrd_len = sizeof(initrd) };
	bundle(dir, "64-cmdline-initrd", fake, sizeof(fake), &k64, &o);
	write_regressions(dir, "64-cmdline-initrd");
	o = (struct bundle_opts){ .entry = ZP_BUNDLE_ENTRY_32, .handoff = ZP_HANDOFF_SUBARCH };
	bundle(dir, "32-subarch", fake, sizeof(fake), &k32, &o);
	o = (struct bundle_opts){ .entry = ZP_BUNDLE_ENTRY_VMLINUX, .cmdline = "nokaslr" };
	bundle(dir, "vmlinux", fake, sizeof(fake), &k64, &o);

	size_t len = 0;
	FILE *f = shim_path ? fopen(shim_path, "rb") : NULL;
	uint8_t *shim = NULL;
	if (f && !fseek(f, 0, SEEK_END) && (len = (size_t)ftell(f)) && !fseek(f, 0, SEEK_SET) &&
	    (shim = malloc(len)) && fread(shim, 1, len, f) == len) {
		o = (struct bundle_opts){ .entry = ZP_BUNDLE_ENTRY_32, .cmdline = "console=ttyS0" };
		bundle(dir, "real-shim-moved-32", shim, len, &k_old, &o);
	} else if (shim_path) {
		perror(shim_path);
		exit(1);
	}
	if (f)
		fclose(f);
	free(shim);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (getenv("ZP_FUZZ_SEEDS")) {
		write_seeds(getenv("ZP_FUZZ_SEEDS"), *argc > 1 ? (*argv)[1] : NULL);
		exit(0);
	}
	return 0;
}
