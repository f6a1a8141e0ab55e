/* SPDX-License-Identifier: MIT */
/* synth_pe: PE/COFF images and UKIs for the tests (see synth_pe.h). */
#include <stdlib.h>
#include <string.h>

#include <zeropage/pe.h>
#include "synth.h"
#include "synth_pe.h"

static uint32_t align_up(uint64_t v, uint32_t a)
{
	return (uint32_t)((v + a - 1) / a * a);
}

static void put_section(uint8_t *h, const char *name, uint32_t vsize, uint32_t vaddr,
			uint32_t raw, uint32_t off, uint32_t flags)
{
	memset(h, 0, 40);
	memcpy(h, name, strnlen(name, 8));
	synth_put32(h + 8, vsize);
	synth_put32(h + 12, vaddr);
	synth_put32(h + 16, raw);
	synth_put32(h + 20, off);
	synth_put32(h + 36, flags);
}

uint8_t *synth_pe(const struct synth_pe_section *s, unsigned n, size_t *len)
{
	uint32_t off = SYNTH_PE_HEADERS, va = SYNTH_PE_SECT_ALIGN, end = SYNTH_PE_HEADERS;
	uint32_t offs[16], vas[16], raws[16];
	uint32_t image_end = SYNTH_PE_SECT_ALIGN;
	uint8_t *img;

	if (n > 15)
		return NULL;
	for (unsigned i = 0; i < n; i++) {
		uint32_t vsize = s[i].vsize ? s[i].vsize : (uint32_t)s[i].len;

		offs[i] = s[i].offset ? s[i].offset : off;
		raws[i] = s[i].raw_size ? s[i].raw_size : align_up(s[i].len, SYNTH_PE_FILE_ALIGN);
		vas[i] = s[i].vaddr ? s[i].vaddr : va;
		off = align_up((uint64_t)offs[i] + raws[i], SYNTH_PE_FILE_ALIGN);
		va = align_up((uint64_t)vas[i] + (vsize ? vsize : raws[i]), SYNTH_PE_SECT_ALIGN);
		if (offs[i] + s[i].len > end && offs[i] < 0x10000000)
			end = (uint32_t)(offs[i] + s[i].len);
		if (offs[i] + raws[i] > end && offs[i] < 0x10000000 && raws[i] < 0x10000000)
			end = offs[i] + raws[i];
		if (va > image_end)
			image_end = va;
	}
	img = calloc(1, end);
	if (!img)
		return NULL;
	synth_put16(img, ZP_MZ_MAGIC);
	synth_put32(img + ZP_PE_LFANEW_OFFSET, SYNTH_PE_LFANEW);
	synth_put32(img + SYNTH_PE_LFANEW, ZP_PE_SIGNATURE);
	synth_put16(img + SYNTH_PE_COFF, ZP_PE_MACHINE_AMD64);
	synth_put16(img + SYNTH_PE_COFF + 2, (uint16_t)n);
	synth_put16(img + SYNTH_PE_COFF + 16, 240);	/* PE32+ with 16 data directories */
	synth_put16(img + SYNTH_PE_COFF + 18, 0x206);	/* executable image */
	synth_put16(img + SYNTH_PE_OPT, ZP_PE_OPT_MAGIC_PE32PLUS);
	synth_put32(img + SYNTH_PE_OPT + 16, SYNTH_PE_SECT_ALIGN);	/* entry */
	synth_put32(img + SYNTH_PE_OPT + 32, SYNTH_PE_SECT_ALIGN);
	synth_put32(img + SYNTH_PE_OPT + 36, SYNTH_PE_FILE_ALIGN);
	synth_put32(img + SYNTH_PE_OPT + 56, image_end);
	synth_put32(img + SYNTH_PE_OPT + 60, SYNTH_PE_HEADERS);
	synth_put16(img + SYNTH_PE_OPT + 68, ZP_PE_SUBSYSTEM_EFI_APPLICATION);
	synth_put32(img + SYNTH_PE_OPT + 108, 16);
	for (unsigned i = 0; i < n; i++) {
		uint32_t vsize = s[i].vsize ? s[i].vsize : (uint32_t)s[i].len;

		put_section(img + SYNTH_PE_SECTION(i), s[i].name, vsize, vas[i], raws[i], offs[i],
			    ZP_PE_SCN_CNT_INITIALIZED_DATA | ZP_PE_SCN_MEM_READ);
		if (s[i].data && offs[i] < end && s[i].len <= end - offs[i])
			memcpy(img + offs[i], s[i].data, s[i].len);
	}
	*len = end;
	return img;
}

uint8_t *synth_uki_from_stub(const uint8_t *stub, size_t stub_len,
			     const struct synth_pe_section *s, unsigned n, size_t *len)
{
	uint32_t pe = synth_get32(stub + ZP_PE_LFANEW_OFFSET);
	uint16_t nsec = (uint16_t)(stub[pe + 6] | stub[pe + 7] << 8);
	uint16_t optsz = (uint16_t)(stub[pe + 20] | stub[pe + 21] << 8);
	size_t opt = pe + 24, table = opt + optsz;
	uint32_t salign = synth_get32(stub + opt + 32), falign = synth_get32(stub + opt + 36);
	uint32_t headers = synth_get32(stub + opt + 60);
	const uint8_t *last = stub + table + 40 * (size_t)(nsec - 1);
	uint32_t va = align_up((uint64_t)synth_get32(last + 12) + synth_get32(last + 8), salign);
	size_t total = align_up(stub_len, falign);
	uint8_t *img;

	if (table + 40 * (size_t)(nsec + n) > headers)
		return NULL;
	for (unsigned i = 0; i < n; i++)
		total += align_up(s[i].len, falign);
	img = calloc(1, total);
	if (!img)
		return NULL;
	memcpy(img, stub, stub_len);
	size_t off = align_up(stub_len, falign);
	for (unsigned i = 0; i < n; i++) {
		uint32_t raw = align_up(s[i].len, falign);

		put_section(img + table + 40 * (size_t)(nsec + i), s[i].name, (uint32_t)s[i].len, va,
			    raw, (uint32_t)off, ZP_PE_SCN_CNT_INITIALIZED_DATA | ZP_PE_SCN_MEM_READ);
		if (s[i].len)
			memcpy(img + off, s[i].data, s[i].len);
		off += raw;
		va = align_up((uint64_t)va + s[i].len, salign);
	}
	synth_put16(img + pe + 6, (uint16_t)(nsec + n));
	synth_put32(img + opt + 56, va);	/* SizeOfImage */
	synth_put32(img + opt + 64, 0);		/* CheckSum, as ukify leaves it */
	*len = total;
	return img;
}
