/* SPDX-License-Identifier: MIT */
/*
 * test_linux_id: the core's word on whether a bzImage is Linux
 * (lib/linux_id.c), on synthetic images: Linux's version-string form,
 * memtest86+'s and iPXE's strings, a payload without a string, neither;
 * and the 32-bit entry that needs code32_start (lib/bzimage.c), with the
 * bundle's entry choice on it (zp_bundle_choose_entry).  And the same of
 * ELF kernels (zp_elf_linux_evidence) on synthetic ELFs with the notes a
 * vmlinux has (Xen's GUEST_OS "linux", Linux's BUILD_SALT/LTO_INFO) and
 * those a PVH unikernel has (a PHYS32_ENTRY only, another GUEST_OS).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <zeropage/bundle.h>
#include <zeropage/zeropage.h>
#include "synth.h"
#include "image/linux_id.h"

static const uint8_t gzip_magic[] = { 0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x02, 0x03 };
static const uint8_t not_a_stream[] = { 'n', 'o', 't', ' ', 'a', 'n', 'y' };

/* A 2.12 image: the version string and payload given, LOADED_HIGH,
 * code32_start 0x100000 (synth's), a 64-bit entry when long64. */
static uint8_t *image(const char *version, const void *payload, size_t plen, bool long64,
		      struct zp_bzimage *bz)
{
	struct synth_bzimage_opts o = {
		.protocol = 0x20c, .version = version, .payload = payload, .payload_len = plen,
		.xloadflags = long64 ? ZP_XLF_KERNEL_64 : 0,
	};
	size_t len;
	uint8_t *img = synth_bzimage(&o, &len);

	assert_non_null(img);
	assert_int_equal(zp_probe_bzimage(img, len, bz), ZP_OK);
	return img;
}

static void test_version_forms(void **state)
{
	(void)state;
	/* arch/x86/boot/version.c: UTS_RELEASE " (" BY "@" HOST ") " UTS_VERSION */
	assert_true(zp_is_linux_version_string("6.1.0-57-cloud-amd64 (debian-kernel@lists.debian.org) "
					       "#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-3 (2026-11-26)"));
	assert_true(zp_is_linux_version_string("2.6.32 (root@host) #1"));
	assert_false(zp_is_linux_version_string("Memtest86+ v6.10"));
	assert_false(zp_is_linux_version_string("1.0.0+git-20190125.36a4c85-5.1"));	/* iPXE */
	assert_false(zp_is_linux_version_string("mini1m (zeropage test kernel, loads at 1 MiB)"));
	assert_false(zp_is_linux_version_string(""));
	assert_false(zp_is_linux_version_string(NULL));
	assert_false(zp_is_linux_version_string(" (a@b) #1"));		/* no release */
	assert_false(zp_is_linux_version_string("6.1 (a@b)"));		/* no version after it */
	assert_false(zp_is_linux_version_string("6.1 (a@b) "));
	assert_false(zp_is_linux_version_string("6.1 (@b) #1"));	/* no user */
	assert_false(zp_is_linux_version_string("6.1 (a@) #1"));	/* no host */
	assert_false(zp_is_linux_version_string("6.1 (ab) #1"));	/* no @ */
}

static void test_evidence(void **state)
{
	struct zp_bzimage bz;
	uint8_t *img;
	(void)state;

	img = image("6.9.0 (u@h) #1 SMP", gzip_magic, sizeof(gzip_magic), true, &bz);
	assert_int_equal(zp_bzimage_linux_evidence(&bz), ZP_LINUX_VERSION);
	assert_true(zp_bzimage_is_linux(&bz));
	free(img);
	/* no version string: a compressed payload, as Linux's vmlinux */
	img = image(NULL, gzip_magic, sizeof(gzip_magic), true, &bz);
	assert_int_equal(zp_bzimage_linux_evidence(&bz), ZP_LINUX_PAYLOAD);
	assert_true(zp_bzimage_is_linux(&bz));
	assert_string_equal(zp_linux_evidence_name(ZP_LINUX_PAYLOAD), "payload");
	free(img);
	/* the version string outweighs a payload: Linux always writes its form */
	img = image("Memtest86+ v6.10", gzip_magic, sizeof(gzip_magic), true, &bz);
	assert_int_equal(zp_bzimage_linux_evidence(&bz), ZP_NOT_LINUX_VERSION);
	assert_false(zp_bzimage_is_linux(&bz));
	assert_string_equal(zp_linux_evidence_name(ZP_NOT_LINUX_VERSION), "version");
	free(img);
	img = image(NULL, NULL, 0, true, &bz);		/* memtest86+ without its string */
	assert_int_equal(zp_bzimage_linux_evidence(&bz), ZP_NOT_LINUX_NO_EVIDENCE);
	assert_false(zp_bzimage_is_linux(&bz));
	free(img);
	img = image(NULL, not_a_stream, sizeof(not_a_stream), true, &bz);
	assert_int_equal(zp_bzimage_linux_evidence(&bz), ZP_NOT_LINUX_NO_EVIDENCE);
	free(img);
}

/* A version string our copy cuts (127 bytes): its form up to the '@' counts. */
static void test_long_version_cut(void **state)
{
	char v[300];
	struct zp_bzimage bz;
	uint8_t *img;
	(void)state;

	memset(v, 'h', sizeof(v) - 1);
	v[sizeof(v) - 1] = 0;
	memcpy(v, "6.9.0 (user@", 12);
	img = image(v, gzip_magic, sizeof(gzip_magic), true, &bz);
	assert_int_equal(strlen(bz.version), sizeof(bz.version) - 1);
	assert_int_equal(zp_bzimage_linux_evidence(&bz), ZP_LINUX_VERSION);
	free(img);
	memcpy(v, "6.9.0 (userx", 12);		/* no '@' before the cut */
	img = image(v, gzip_magic, sizeof(gzip_magic), true, &bz);
	assert_int_equal(zp_bzimage_linux_evidence(&bz), ZP_NOT_LINUX_VERSION);
	free(img);
}

/* iPXE's .lkrn: LOADED_HIGH, code32_start 0: no 32-bit entry, and a
 * bundle has none to choose. */
static void test_code32_start_zero(void **state)
{
	struct zp_bzimage bz;
	struct zp_diag diag;
	uint32_t entry;
	bool fell_back;
	struct synth_bzimage_opts o = { .protocol = 0x207, .version = "1.0.0+git" };
	size_t len;
	uint8_t *img = synth_bzimage(&o, &len);
	(void)state;

	assert_int_equal(zp_probe_bzimage(img, len, &bz), ZP_OK);
	assert_true(bz.entries & ZP_ENTRY_PROT32);	/* synth's code32_start 0x100000 */
	synth_put32(img + 0x214, 0);
	assert_int_equal(zp_probe_bzimage(img, len, &bz), ZP_OK);
	assert_int_equal(bz.entries, ZP_ENTRY_REAL16);
	assert_int_equal(zp_bundle_choose_entry(&bz, ZP_BUNDLE_ENTRY_32, &entry, &fell_back, &diag),
			 ZP_EENTRY);
	assert_non_null(strstr(diag.msg, "code32_start is 0"));
	assert_non_null(strstr(diag.msg, "qemu-bios"));
	assert_int_equal(zp_bundle_choose_entry(&bz, 0, &entry, &fell_back, &diag), ZP_EENTRY);
	assert_non_null(strstr(diag.msg, "no 64-bit entry"));
	assert_non_null(strstr(diag.msg, "code32_start is 0"));
	free(img);
}

static void test_choose_entry(void **state)
{
	struct zp_bzimage bz;
	struct zp_diag diag;
	uint32_t entry;
	bool fell_back;
	uint8_t *img;
	(void)state;

	img = image("6.9.0 (u@h) #1", gzip_magic, sizeof(gzip_magic), true, &bz);
	assert_int_equal(zp_bundle_choose_entry(&bz, 0, &entry, &fell_back, &diag), ZP_OK);
	assert_int_equal(entry, ZP_BUNDLE_ENTRY_64);
	assert_false(fell_back);
	assert_string_equal(diag.msg, "");
	assert_int_equal(zp_bundle_choose_entry(&bz, ZP_BUNDLE_ENTRY_VMLINUX, &entry, &fell_back,
						&diag), ZP_OK);
	assert_int_equal(zp_bundle_choose_entry(&bz, 7, &entry, &fell_back, &diag), ZP_EINVAL);
	free(img);
	img = image("Memtest86+ v6.10", NULL, 0, false, &bz);	/* memtest86+'s ia32 build */
	assert_int_equal(zp_bundle_choose_entry(&bz, 0, &entry, &fell_back, &diag), ZP_OK);
	assert_int_equal(entry, ZP_BUNDLE_ENTRY_32);
	assert_true(fell_back);
	assert_non_null(strstr(diag.msg, "lacks XLF_KERNEL_64"));
	assert_int_equal(zp_bundle_choose_entry(&bz, ZP_BUNDLE_ENTRY_64, &entry, &fell_back, &diag),
			 ZP_EENTRY);
	free(img);
	img = image("Memtest86+ v6.10", NULL, 0, true, &bz);
	assert_int_equal(zp_bundle_choose_entry(&bz, ZP_BUNDLE_ENTRY_VMLINUX, &entry, &fell_back,
						&diag), ZP_EENTRY);
	assert_non_null(strstr(diag.msg, "no payload"));
	free(img);
}

/* An ELF with these notes and a PHYS32_ENTRY (the PVH kernel every one
 * of them is), probed. */
static uint8_t *elf_with(int elf_class, const struct synth_note *extra, unsigned n,
			 struct zp_elf *elf)
{
	static const uint32_t entry = 0x100000;
	struct synth_note notes[8] = {
		{ ZP_XEN_NOTE_NAME, ZP_XEN_ELFNOTE_PHYS32_ENTRY, &entry, 4 },
	};
	size_t len;
	uint8_t *img;

	assert_true(n < 8);
	if (n)	/* memcpy from NULL is undefined even for 0 bytes */
		memcpy(notes + 1, extra, n * sizeof(*extra));
	img = synth_elf(elf_class, 0x100000, notes, n + 1, &len);
	assert_non_null(img);
	assert_int_equal(zp_probe_elf(img, len, elf), ZP_OK);
	return img;
}

static enum zp_linux_evidence elf_evidence(int elf_class, const struct synth_note *extra,
					   unsigned n, char *why, size_t cap)
{
	static struct zp_elf elf;
	uint8_t *img = elf_with(elf_class, extra, n, &elf);
	enum zp_linux_evidence e = zp_elf_linux_evidence(&elf);

	assert_int_equal(zp_elf_is_linux(&elf), zp_linux_evidence_is_linux(e));
	linux_id_describe_elf(&elf, why, cap);
	free(img);
	return e;
}

static void test_elf_guest_os(void **state)
{
	static const uint32_t zero = 0;
	char why[200];
	(void)state;

	/* arch/x86/xen/xen-head.S: ELFNOTE(Xen, XEN_ELFNOTE_GUEST_OS, .asciz "linux") */
	struct synth_note linux_os[] = {
		{ ZP_XEN_NOTE_NAME, ZP_XEN_ELFNOTE_GUEST_OS, "linux", 6 },
		{ ZP_LINUX_NOTE_NAME, ZP_LINUX_ELFNOTE_LTO_INFO, &zero, 4 },
	};
	assert_int_equal(elf_evidence(64, linux_os, 2, why, sizeof(why)), ZP_LINUX_GUEST_OS);
	assert_string_equal(why, "Linux: its Xen GUEST_OS note says \"linux\"");
	assert_string_equal(zp_linux_evidence_name(ZP_LINUX_GUEST_OS), "guest_os");
	/* Xen pads its strings with NULs: still "linux" */
	struct synth_note padded[] = { { ZP_XEN_NOTE_NAME, ZP_XEN_ELFNOTE_GUEST_OS, "linux\0\0", 8 } };
	assert_int_equal(elf_evidence(32, padded, 1, why, sizeof(why)), ZP_LINUX_GUEST_OS);
	/* another system says so, even beside a "Linux" note */
	struct synth_note minios[] = {
		{ ZP_XEN_NOTE_NAME, ZP_XEN_ELFNOTE_GUEST_OS, "Mini-OS", 8 },
		{ ZP_LINUX_NOTE_NAME, ZP_LINUX_ELFNOTE_BUILD_SALT, "", 1 },
	};
	assert_int_equal(elf_evidence(64, minios, 2, why, sizeof(why)), ZP_NOT_LINUX_GUEST_OS);
	assert_string_equal(why, "not Linux: its Xen GUEST_OS note says 'Mini-OS'");
	/* the case and the length count: "Linux", "linux2", "linu" are not it */
	struct synth_note cap_l[] = { { ZP_XEN_NOTE_NAME, ZP_XEN_ELFNOTE_GUEST_OS, "Linux", 6 } };
	assert_int_equal(elf_evidence(64, cap_l, 1, why, sizeof(why)), ZP_NOT_LINUX_GUEST_OS);
	struct synth_note longer[] = { { ZP_XEN_NOTE_NAME, ZP_XEN_ELFNOTE_GUEST_OS, "linux2", 6 } };
	assert_int_equal(elf_evidence(64, longer, 1, why, sizeof(why)), ZP_NOT_LINUX_GUEST_OS);
	struct synth_note shorter[] = { { ZP_XEN_NOTE_NAME, ZP_XEN_ELFNOTE_GUEST_OS, "linu", 4 } };
	assert_int_equal(elf_evidence(64, shorter, 1, why, sizeof(why)), ZP_NOT_LINUX_GUEST_OS);
	/* the file's bytes, quoted as printable ASCII only */
	struct synth_note odd[] = { { ZP_XEN_NOTE_NAME, ZP_XEN_ELFNOTE_GUEST_OS, "a\033[2Jb\n", 8 } };
	assert_int_equal(elf_evidence(64, odd, 1, why, sizeof(why)), ZP_NOT_LINUX_GUEST_OS);
	assert_string_equal(why, "not Linux: its Xen GUEST_OS note says 'a?[2Jb?'");
	struct synth_note empty[] = { { ZP_XEN_NOTE_NAME, ZP_XEN_ELFNOTE_GUEST_OS, "", 0 } };
	assert_int_equal(elf_evidence(64, empty, 1, why, sizeof(why)), ZP_NOT_LINUX_GUEST_OS);
	assert_string_equal(why, "not Linux: its Xen GUEST_OS note says ''");
}

static void test_elf_linux_notes(void **state)
{
	static const uint32_t zero = 0;
	char why[200];
	(void)state;

	/* Debian's 686 vmlinux: no Xen notes but PVH's, Linux's own two */
	struct synth_note i686[] = {
		{ ZP_LINUX_NOTE_NAME, ZP_LINUX_ELFNOTE_LTO_INFO, &zero, 4 },
		{ ZP_LINUX_NOTE_NAME, ZP_LINUX_ELFNOTE_BUILD_SALT, "6.1.0-57-686", 13 },
	};
	assert_int_equal(elf_evidence(32, i686, 2, why, sizeof(why)), ZP_LINUX_NOTE);
	assert_non_null(strstr(why, "(LTO_INFO, BUILD_SALT)"));
	assert_string_equal(zp_linux_evidence_name(ZP_LINUX_NOTE), "linux_note");
	struct synth_note other[] = { { ZP_LINUX_NOTE_NAME, 0x2a, &zero, 4 } };
	assert_int_equal(elf_evidence(64, other, 1, why, sizeof(why)), ZP_LINUX_NOTE);
	assert_non_null(strstr(why, "(type 0x2a)"));
	/* a PVH unikernel: its entry note, a GNU build id, a note named like
	 * Linux's but not it ("LINUX" is core dumps') */
	struct synth_note unik[] = {
		{ "GNU", 3, "0123456789abcdefghij", 20 },
		{ "LINUX", ZP_LINUX_ELFNOTE_BUILD_SALT, "", 1 },
		{ "Linux2", ZP_LINUX_ELFNOTE_BUILD_SALT, "", 1 },
	};
	assert_int_equal(elf_evidence(64, unik, 3, why, sizeof(why)), ZP_NOT_LINUX_NO_EVIDENCE);
	assert_string_equal(why, "not Linux: no Xen GUEST_OS \"linux\" note and no \"Linux\" note");
	assert_int_equal(elf_evidence(32, NULL, 0, why, sizeof(why)), ZP_NOT_LINUX_NO_EVIDENCE);
	assert_string_equal(zp_linux_evidence_name(ZP_NOT_LINUX_NO_EVIDENCE), "none");
	assert_false(zp_elf_is_linux(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_forms),
		cmocka_unit_test(test_evidence),
		cmocka_unit_test(test_long_version_cut),
		cmocka_unit_test(test_code32_start_zero),
		cmocka_unit_test(test_choose_entry),
		cmocka_unit_test(test_elf_guest_os),
		cmocka_unit_test(test_elf_linux_notes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
