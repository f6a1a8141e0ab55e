/* SPDX-License-Identifier: MIT */
/* synth: synthetic bzImages and ELF kernels for the tests (see synth.h). */
#include <stdlib.h>
#include <string.h>

#include <zeropage/abi.h>
#include "synth.h"

void synth_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void synth_put32(uint8_t *p, uint32_t v)
{
	synth_put16(p, (uint16_t)v);
	synth_put16(p + 2, (uint16_t)(v >> 16));
}

void synth_put64(uint8_t *p, uint64_t v)
{
	synth_put32(p, (uint32_t)v);
	synth_put32(p + 4, (uint32_t)(v >> 32));
}

uint32_t synth_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* The header grew field by field; a real kernel's jump at 0x200 skips
 * exactly the fields its protocol defines (boot.rst, per-field versions). */
size_t synth_header_end(uint16_t protocol)
{
	static const struct { uint16_t min; uint16_t end; } ends[] = {
		{ 0x20f, 0x26c }, { 0x20b, 0x268 }, { 0x20a, 0x264 },
		{ 0x209, 0x258 }, { 0x208, 0x250 }, { 0x207, 0x248 },
		{ 0x206, 0x23c }, { 0x205, 0x235 }, { 0x203, 0x230 },
		{ 0x202, 0x22c }, { 0x201, 0x228 },
	};
	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++)
		if (protocol >= ends[i].min)
			return ends[i].end;
	return 0x224;
}

#define H(off) (img + (off))	/* image offset of a setup header field */

static void put_header(uint8_t *img, const struct synth_bzimage_opts *o,
		       size_t pm_size, size_t payload_off, size_t kinfo_off)
{
	uint16_t v = o->protocol;
	size_t end = synth_header_end(v);

	img[0x1f1] = o->setup_sects;
	synth_put16(H(0x1fe), 0xaa55);
	img[0x200] = 0xeb;			/* jmp short over the header */
	img[0x201] = (uint8_t)(end - 0x202);
	synth_put32(H(0x202), 0x53726448);	/* "HdrS" */
	synth_put16(H(0x206), v);
	if (o->version)
		synth_put16(H(0x20e), SYNTH_VERSION_OFFSET - 0x200);
	img[0x211] = 0x01;			/* LOADED_HIGH: a bzImage */
	synth_put32(H(0x214), 0x100000);	/* code32_start */
	synth_put32(H(0x1f4), (uint32_t)((pm_size + 15) / 16));	/* syssize */
	if (v >= 0x203)
		synth_put32(H(0x22c), 0x7fffffff);
	if (v >= 0x205) {
		uint32_t align = o->kernel_alignment ? o->kernel_alignment : 0x200000;
		synth_put32(H(0x230), align);
		img[0x234] = o->relocatable;
		if (v >= 0x20a && o->relocatable)
			img[0x235] = (uint8_t)__builtin_ctz(align);
	}
	if (v >= 0x20c)
		synth_put16(H(0x236), o->xloadflags);
	if (v >= 0x206)
		synth_put32(H(0x238), o->cmdline_size ? o->cmdline_size : 2047);
	if (v >= 0x208) {
		synth_put32(H(0x248), (uint32_t)payload_off);
		synth_put32(H(0x24c), (uint32_t)o->payload_len);
	}
	if (v >= 0x20a) {
		synth_put64(H(0x258), o->pref_address ? o->pref_address : 0x1000000);
		synth_put32(H(0x260), o->init_size ? o->init_size : (uint32_t)(pm_size * 4 + 0x100000));
	}
	if (v >= 0x20b)
		synth_put32(H(0x264), o->handover_offset);
	if (v >= 0x20f && o->kernel_info)
		synth_put32(H(0x268), (uint32_t)kinfo_off);
}

#define SYNTH_KINFO_SIZE 0x20

static void put_kernel_info(uint8_t *p)
{
	synth_put32(p + 0x00, 0x506f544c);	/* "LToP" */
	synth_put32(p + 0x04, 0x10);		/* fixed part */
	synth_put32(p + 0x08, SYNTH_KINFO_SIZE);	/* with variable data */
	synth_put32(p + 0x0c, 9);		/* setup_type_max: RNG_SEED */
}

uint8_t *synth_bzimage(const struct synth_bzimage_opts *o, size_t *len)
{
	unsigned sects = o->setup_sects ? o->setup_sects : 4;
	size_t setup_size = (sects + 1) * 512;
	size_t kinfo_off = SYNTH_PM_CODE_SIZE;
	size_t payload_off = kinfo_off + (o->kernel_info ? SYNTH_KINFO_SIZE : 0);
	size_t pm_size = payload_off + o->payload_len + 4;	/* + a CRC-like trailer */
	uint8_t *img = calloc(1, setup_size + pm_size);

	if (!img)
		abort();
	put_header(img, o, pm_size, payload_off, kinfo_off);
	if (o->version) {
		size_t n = strlen(o->version);
		if (SYNTH_VERSION_OFFSET + n + 1 > setup_size)
			abort();	/* a test asked for more than the setup area holds */
		memcpy(img + SYNTH_VERSION_OFFSET, o->version, n + 1);
	}
	if (o->kernel_info)
		put_kernel_info(img + setup_size + kinfo_off);
	if (o->payload_len)
		memcpy(img + setup_size + payload_off, o->payload, o->payload_len);
	*len = setup_size + pm_size;
	return img;
}

static size_t align4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

static size_t notes_size(const struct synth_note *notes, unsigned nnotes)
{
	size_t n = 0;
	for (unsigned i = 0; i < nnotes; i++)
		n += 12 + align4(strlen(notes[i].name) + 1) + align4(notes[i].desc_len);
	return n;
}

static void put_notes(uint8_t *p, const struct synth_note *notes, unsigned nnotes)
{
	for (unsigned i = 0; i < nnotes; i++) {
		size_t namesz = strlen(notes[i].name) + 1;
		synth_put32(p, (uint32_t)namesz);
		synth_put32(p + 4, notes[i].desc_len);
		synth_put32(p + 8, notes[i].type);
		p += 12;
		memcpy(p, notes[i].name, namesz);
		p += align4(namesz);
		if (notes[i].desc_len)
			memcpy(p, notes[i].desc, notes[i].desc_len);
		p += align4(notes[i].desc_len);
	}
}

#define SYNTH_LOAD_SIZE 64

static void put_phdr(uint8_t *p, int elf_class, uint32_t type, uint64_t off, uint64_t vaddr,
		     uint64_t paddr, uint64_t size, uint32_t align)
{
	if (elf_class == 32) {
		synth_put32(p + 0, type);
		synth_put32(p + 4, (uint32_t)off);
		synth_put32(p + 8, (uint32_t)vaddr);
		synth_put32(p + 12, (uint32_t)paddr);
		synth_put32(p + 16, (uint32_t)size);
		synth_put32(p + 20, (uint32_t)size);
		synth_put32(p + 24, 5);	/* R+X */
		synth_put32(p + 28, align);
	} else {
		synth_put32(p + 0, type);
		synth_put32(p + 4, 5);
		synth_put64(p + 8, off);
		synth_put64(p + 16, vaddr);
		synth_put64(p + 24, paddr);
		synth_put64(p + 32, size);
		synth_put64(p + 40, size);
		synth_put64(p + 48, align);
	}
}

uint8_t *synth_elf(int elf_class, uint64_t entry, const struct synth_note *notes,
		   unsigned nnotes, size_t *len)
{
	bool is64 = elf_class == 64;
	size_t ehsize = is64 ? 64 : 52, phentsize = is64 ? 56 : 32;
	size_t note_off = ehsize + 2 * phentsize;
	size_t note_len = notes_size(notes, nnotes);
	size_t load_off = (note_off + note_len + 15) & ~(size_t)15;
	uint64_t vbase = is64 ? 0xffffffff80000000ull : 0xc0000000ull;
	uint8_t *img = calloc(1, load_off + SYNTH_LOAD_SIZE);

	if (!img)
		abort();
	memcpy(img, "\x7f" "ELF", 4);
	img[4] = is64 ? 2 : 1;		/* class */
	img[5] = 1;			/* little-endian */
	img[6] = 1;			/* EV_CURRENT */
	synth_put16(img + 16, 2);	/* ET_EXEC */
	synth_put16(img + 18, is64 ? 62 : 3);
	synth_put32(img + 20, 1);
	if (is64) {
		synth_put64(img + 24, entry);
		synth_put64(img + 32, ehsize);	/* e_phoff */
		synth_put16(img + 52, (uint16_t)ehsize);
		synth_put16(img + 54, (uint16_t)phentsize);
		synth_put16(img + 56, 2);
	} else {
		synth_put32(img + 24, (uint32_t)entry);
		synth_put32(img + 28, (uint32_t)ehsize);
		synth_put16(img + 40, (uint16_t)ehsize);
		synth_put16(img + 42, (uint16_t)phentsize);
		synth_put16(img + 44, 2);
	}
	put_phdr(img + ehsize, elf_class, 1, load_off, vbase + SYNTH_ELF_LOAD_PADDR,
		 SYNTH_ELF_LOAD_PADDR, SYNTH_LOAD_SIZE, 0x1000);
	put_phdr(img + ehsize + phentsize, elf_class, 4, note_off, 0, 0, note_len, 4);
	put_notes(img + note_off, notes, nnotes);
	memset(img + load_off, 0x90, SYNTH_LOAD_SIZE);	/* nops: recognisable bytes */
	*len = load_off + SYNTH_LOAD_SIZE;
	return img;
}
