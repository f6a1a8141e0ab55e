/* SPDX-License-Identifier: MIT */
/*
 * zeropage/loaders.h - where an image boots as it is, and what makes it
 * boot where it does not.
 *
 * Every loader a user runs a kernel with reads a few facts of the image
 * and refuses the rest: QEMU's -kernel takes a bzImage or an ELF with a
 * PVH note, Firecracker 1.16 an ELF64, Cloud Hypervisor a PVH ELF or a
 * bzImage, Xen the ELF notes inside a bzImage it decompresses, UEFI the EFI
 * stub's PE header, GRUB a 2.03+ setup header.  libzeropage reads all of
 * these facts already (zp_probe and friends); zp_loaders_judge turns them
 * into one verdict per loader: boots as it is or not, the rule that
 * decided (each rule cites its loader's source in lib/loaders.c), the
 * `zeropage bundle` / `zeropage extract` command that makes it boot, and
 * what the rule cannot know from the image alone (guest memory, the
 * initrd's place, the kernel's configuration beyond its notes).
 *
 * The core decides; the caller gathers: it probes the image, and for a
 * bzImage or a UKI it may decompress the payload and probe the vmlinux
 * inside (zp_probe_elf), since Xen's builders and `zeropage extract` act
 * on that ELF's notes.
 */
#ifndef ZEROPAGE_LOADERS_H
#define ZEROPAGE_LOADERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zeropage/zeropage.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What the caller read of the image. */
struct zp_loader_facts {
	enum zp_format format;		/* ZP_FORMAT_BZIMAGE, _ELF or _UKI */
	bool bundle;			/* an ELF that is a zeropage bundle ("ZeroPage" note) */
	const struct zp_bzimage *bz;	/* a bzImage, a UKI's .linux; NULL for an ELF */
	/* For an ELF: the image.  For a bzImage or a UKI: the vmlinux its
	 * payload decompresses to, or NULL when the caller did not (or could
	 * not) read it; payload_why then says why, for the verdicts that
	 * depend on it (NULL: "not read"). */
	const struct zp_elf *elf;
	const char *payload_why;
	uint16_t pe_machine;		/* the EFI stub's or the UKI's PE machine
					   (ZP_PE_MACHINE_*); 0: no PE header or unknown */
};

#define ZP_LOADER_WHY_MAX	384
#define ZP_LOADER_FIX_MAX	320

struct zp_loader_verdict {
	const char *loader;		/* stable name with its version range: "firecracker-1.16" */
	const char *versions;		/* the releases the rule is of, in words */
	const char *matrix_path;	/* the `zeropage matrix` row that boots this loader
					   here (checks the verdict), or NULL */
	const char *matrix_machine;	/* and the machine it runs on ("pc", "xen-domu"),
					   or NULL with matrix_path */
	bool boots;			/* the image as it is; false when !known */
	bool known;			/* false: the rule cannot tell from what was read
					   (a payload that did not decompress): `why`
					   says so, and boots is false without meaning no */
	char why[ZP_LOADER_WHY_MAX];	/* the rule: how it boots, or why not */
	char fix[ZP_LOADER_FIX_MAX];	/* the command that makes it boot, runnable as it
					   is ("" when it boots, or no command helps) */
	char fix_note[ZP_LOADER_FIX_MAX];	/* more: an alternative, or what helps where
						   no command does ("" for nothing) */
	const char *unknown;		/* what the rule cannot see in the image (static) */
};

/* Loader names, in the order zp_loaders_judge gives them. */
#define ZP_LOADERS_COUNT	15
const char *zp_loader_name(unsigned idx);	/* NULL past the end */

/* One verdict per known loader, ZP_LOADERS_COUNT of them, into out.
 * `image` is how the fix commands name the image (the caller quotes it
 * for a shell as it needs; NULL: "IMAGE").
 * returns: the number written (ZP_LOADERS_COUNT); ZP_EINVAL (NULL facts
 * or out, a bzImage or UKI without bz, an ELF without elf, a format we do
 * not judge); ZP_ENOSPACE when cap is below ZP_LOADERS_COUNT. */
int zp_loaders_judge(const struct zp_loader_facts *f, const char *image,
		     struct zp_loader_verdict *out, size_t cap);

#ifdef __cplusplus
}
#endif
#endif /* ZEROPAGE_LOADERS_H */
