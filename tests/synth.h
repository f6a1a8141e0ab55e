/* SPDX-License-Identifier: MIT */
/*
 * synth: synthetic kernel images built in memory for the tests.
 *
 * Every image is generated from the options, so a test states what it
 * builds and asserts what the probe reads back; nothing is a stored blob.
 */
#ifndef ZEROPAGE_TESTS_SYNTH_H
#define ZEROPAGE_TESTS_SYNTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct synth_bzimage_opts {
	uint16_t protocol;		/* e.g. 0x20f; 0x200 minimum */
	uint16_t xloadflags;		/* written for 2.12+ */
	uint8_t setup_sects;		/* 0 = default 4 (written as 0: the header's own "means 4") */
	const void *payload;		/* compressed payload bytes, may be NULL */
	size_t payload_len;
	const char *version;		/* kernel_version string or NULL */
	uint32_t init_size;		/* 2.10+; 0 = a plausible default */
	uint64_t pref_address;		/* 2.10+; 0 = 0x1000000 */
	uint32_t kernel_alignment;	/* 2.05+; 0 = 0x200000 */
	bool relocatable;		/* 2.05+ */
	uint32_t handover_offset;	/* 2.11+ */
	bool kernel_info;		/* 2.15+: add a kernel_info block */
	uint32_t cmdline_size;		/* 2.06+; 0 = 2047 */
};

/* Where synth_bzimage put things, for tests that corrupt or cross-check. */
#define SYNTH_VERSION_OFFSET	0x280	/* kernel_version string, in the setup area */
#define SYNTH_PM_CODE_SIZE	0x200	/* bytes of protected-mode "code" before the rest */

/* Returns a malloc'ed image and its length in *len. */
uint8_t *synth_bzimage(const struct synth_bzimage_opts *o, size_t *len);

/* Header end (exclusive, image offset) a real kernel of `protocol` has. */
size_t synth_header_end(uint16_t protocol);

struct synth_note {
	const char *name;
	uint32_t type;
	const void *desc;
	uint32_t desc_len;
};

/* One PT_LOAD + one PT_NOTE; ELF32 (EM_386) for elf_class 32, ELF64
 * (EM_X86_64) for 64.  Program headers follow the ELF header directly. */
uint8_t *synth_elf(int elf_class, uint64_t entry, const struct synth_note *notes,
		   unsigned nnotes, size_t *len);

#define SYNTH_ELF_LOAD_PADDR	0x1000000u

/* Little-endian stores/loads, for tests that poke at image bytes. */
void synth_put16(uint8_t *p, uint16_t v);
void synth_put32(uint8_t *p, uint32_t v);
void synth_put64(uint8_t *p, uint64_t v);
uint32_t synth_get32(const uint8_t *p);

#endif
