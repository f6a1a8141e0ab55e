/* SPDX-License-Identifier: MIT */
/*
 * synth_pe: PE/COFF images and UKIs built in memory for the tests.
 *
 * synth_pe() writes a minimal PE32+ x86-64 EFI application around the
 * sections it is given; synth_uki_from_stub() adds sections to an existing
 * image (systemd-stub) the way ukify does: after the stub's last section,
 * each one's data at the next FileAlignment boundary with SizeOfRawData
 * rounded up to it, VirtualSize the data's length, VirtualAddress the next
 * SectionAlignment boundary after the previous section, SizeOfImage grown.
 */
#ifndef ZEROPAGE_TESTS_SYNTH_PE_H
#define ZEROPAGE_TESTS_SYNTH_PE_H

#include <stddef.h>
#include <stdint.h>

struct synth_pe_section {
	const char *name;		/* up to 8 characters */
	const void *data;		/* may be NULL (then len zero bytes) */
	size_t len;
	uint32_t vsize;			/* VirtualSize; 0: len */
	uint32_t vaddr;			/* VirtualAddress; 0: after the previous */
	uint32_t raw_size;		/* SizeOfRawData; 0: len rounded up */
	uint32_t offset;		/* PointerToRawData; 0: after the previous */
};

#define SYNTH_PE_LFANEW		0x80
#define SYNTH_PE_HEADERS	0x400	/* SizeOfHeaders: room for 15 sections */
#define SYNTH_PE_FILE_ALIGN	0x200
#define SYNTH_PE_SECT_ALIGN	0x1000
/* Where synth_pe puts things, for tests that corrupt them. */
#define SYNTH_PE_COFF		(SYNTH_PE_LFANEW + 4)
#define SYNTH_PE_OPT		(SYNTH_PE_COFF + 20)
#define SYNTH_PE_TABLE		(SYNTH_PE_OPT + 240)
#define SYNTH_PE_SECTION(i)	(SYNTH_PE_TABLE + 40 * (i))

/* A malloc'ed image of *len bytes; NULL if more than 15 sections. */
uint8_t *synth_pe(const struct synth_pe_section *s, unsigned n, size_t *len);

/* stub plus the sections (their vaddr/offset/raw_size fields ignored), or
 * NULL when the stub's headers have no room for them. */
uint8_t *synth_uki_from_stub(const uint8_t *stub, size_t stub_len,
			     const struct synth_pe_section *s, unsigned n, size_t *len);

#endif
