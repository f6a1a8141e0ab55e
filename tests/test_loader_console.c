/* SPDX-License-Identifier: MIT */
/* test_loader_console: a firmware or boot loader that gave up, found on the
 * console, and its own words as the reason (machine/loader_console.c).  The
 * transcripts are what QEMU's serial pipe gave, cut short: GRUB 2.06 on
 * OVMF with Debian's generic kernel in 256 MiB, and OVMF 2022.11 failing a
 * corrupt BOOTX64.EFI. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "machine/loader_console.h"

/* GRUB prints every line twice (serial and firmware console terminals)
 * and wraps them in escape sequences. */
static const char grub_oom[] =
	"\x1b[2J\x1b[01;01HBdsDxe: loading Boot0001 \"UEFI QEMU DVD-ROM QM00002 \" from "
	"PciRoot(0x0)/Pci(0x1,0x1)/Ata(Primary,Slave,0x0)\r\n"
	"\x1b[0m\x1b[30m\x1b[47mWelcome to GRUB!\n\r\n"
	"\r\x1b[0m\x1b[37m\x1b[40mzeropage: GRUB loading the kernelzeropage: GRUB loading the kernel\n\r\n"
	"\rerror: out of memory.\n"
	"\rerror: out of memory.\n"
	"\rerror: you need to load the kernel first.\n"
	"\rerror: you need to load the kernel first.\n"
	"\r\x1b[H\x1b[J\x1b[1;1H\x1b[2;24HGNU GRUB  version 2.06-13+deb12u2\n"
	"\r\n\r\x1b[?25h   Minimal BASH-like line editing is supported.\n"
	"\rgrub>grub>  ";

static const char ovmf_fail[] =
	"\x1b[2J\x1b[01;01HBdsDxe: loading Boot0001 \"UEFI QEMU HARDDISK QM00001 \" from "
	"PciRoot(0x0)/Pci(0x1,0x1)/Ata(Primary,Master,0x0)\r\n"
	"BdsDxe: failed to load Boot0001 \"UEFI QEMU HARDDISK QM00001 \" from "
	"PciRoot(0x0)/Pci(0x1,0x1)/Ata(Primary,Master,0x0): Unsupported\r\n"
	"BdsDxe: loading Boot0002 \"EFI Internal Shell\" from Fv(7CB8BDC9-F8EB-4F34-AAEA-"
	"3EE4AF6516A1)/FvFile(7C04A583-9E3E-4F1C-AD65-E05268D0B4D1)\r\n"
	"BdsDxe: starting Boot0002 \"EFI Internal Shell\" from Fv(7CB8BDC9-F8EB-4F34-AAEA-"
	"3EE4AF6516A1)/FvFile(7C04A583-9E3E-4F1C-AD65-E05268D0B4D1)\r\n"
	"\x1b[2J\x1b[01;01H\x1b[01;01HUEFI Interactive Shell v2.2\r\nEDK II\r\n";

static void test_grub_prompt(void **state)
{
	struct loader_console_stop s;
	char why[256];

	(void)state;
	assert_true(loader_console_find_stop(grub_oom, strlen(grub_oom), 0, &s));
	assert_string_equal(s.loader, "GRUB");
	/* just past the first "grub>" */
	assert_int_equal(s.end, (size_t)(strstr(grub_oom, "grub>") - grub_oom) + 5);
	loader_console_reason(grub_oom, strlen(grub_oom), &s, why, sizeof(why));
	assert_string_equal(why, "GRUB stopped at its prompt grub>: error: out of memory. | "
				 "error: you need to load the kernel first.");
}

static void test_ovmf_shell(void **state)
{
	struct loader_console_stop s;
	char why[256];

	(void)state;
	assert_true(loader_console_find_stop(ovmf_fail, strlen(ovmf_fail), 0, &s));
	assert_string_equal(s.loader, "UEFI firmware");
	loader_console_reason(ovmf_fail, strlen(ovmf_fail), &s, why, sizeof(why));
	/* the device path left out; the option's name and the status kept */
	assert_string_equal(why, "UEFI firmware stopped at its UEFI shell (no boot option started): "
				 "BdsDxe: failed to load Boot0001 \"UEFI QEMU HARDDISK QM00001 \": "
				 "Unsupported");
}

/* systemd-boot 252 with an entry whose kernel is missing (measured under
 * QEMU): it drops the entry, finds none, exits; OVMF starts its setup menu. */
static const char sdboot_fail[] =
	"\x1b[2J\x1b[01;01HBdsDxe: loading Boot0001 \"UEFI QEMU HARDDISK QM00001 \" from "
	"PciRoot(0x0)/Pci(0x1F,0x2)/Sata(0x0,0xFFFF,0x0)\r\n"
	"BdsDxe: starting Boot0001 \"UEFI QEMU HARDDISK QM00001 \" from "
	"PciRoot(0x0)/Pci(0x1F,0x2)/Sata(0x0,0xFFFF,0x0)\r\n"
	"\x1b[31mNo loader found. Configuration files in \\loader\\entries\\*.conf are needed.\r\n"
	"BdsDxe: loading Boot0000 \"UiApp\" from Fv(7CB8BDC9-F8EB-4F34-AAEA-3EE4AF6516A1)/"
	"FvFile(462CAA21-7614-4503-836E-8AB6F4662331)\r\n";

static void test_systemd_boot(void **state)
{
	struct loader_console_stop s;
	char why[256];

	(void)state;
	assert_true(loader_console_find_stop(sdboot_fail, strlen(sdboot_fail), 0, &s));
	assert_string_equal(s.loader, "UEFI firmware");
	loader_console_reason(sdboot_fail, strlen(sdboot_fail), &s, why, sizeof(why));
	assert_string_equal(why, "UEFI firmware stopped at its setup menu UiApp (no boot option "
				 "started): No loader found. Configuration files in "
				 "\\loader\\entries\\*.conf are needed.");
}

static void test_other_stops(void **state)
{
	struct loader_console_stop s;
	char why[256];
	const char rescue[] = "error: unknown filesystem.\r\nEntering rescue mode...\r\ngrub rescue> ";
	const char seabios[] = "Booting from DVD/CD...\r\nBoot failed: Could not read from CDROM "
			       "(code 0003)\r\nNo bootable device.\r\n";
	const char noopt[] = "BdsDxe: failed to start Boot0001 \"app\" from X: Time out\r\n"
			     "BdsDxe: No bootable option or device was found.\r\n";

	(void)state;
	assert_true(loader_console_find_stop(rescue, strlen(rescue), 0, &s));
	loader_console_reason(rescue, strlen(rescue), &s, why, sizeof(why));
	assert_string_equal(why, "GRUB stopped at its rescue prompt grub rescue>: "
				 "error: unknown filesystem.");
	assert_true(loader_console_find_stop(seabios, strlen(seabios), 0, &s));
	loader_console_reason(seabios, strlen(seabios), &s, why, sizeof(why));
	assert_string_equal(why, "SeaBIOS stopped at \"No bootable device\": "
				 "Boot failed: Could not read from CDROM (code 0003)");
	assert_true(loader_console_find_stop(noopt, strlen(noopt), 0, &s));
	loader_console_reason(noopt, strlen(noopt), &s, why, sizeof(why));
	assert_string_equal(why, "UEFI firmware stopped at \"No bootable option or device was "
				 "found\": BdsDxe: failed to start Boot0001 \"app\": Time out");
	/* a prompt with nothing before it */
	assert_true(loader_console_find_stop("grub>", 5, 0, &s));
	loader_console_reason("grub>", 5, &s, why, sizeof(why));
	assert_string_equal(why, "GRUB stopped at its prompt grub> (no error line before it)");
}

/* A console being read: a scan resumes loader_console_mark_max() bytes before
 * the end of the last, so a mark cut across two reads is still found. */
static void test_split_across_reads(void **state)
{
	struct loader_console_stop s;
	const char *con = "Welcome to GRUB!\r\nerror: file `/zeropage/vmlinuz' not found.\r\ngrub>";
	size_t len = strlen(con), from = 0;
	bool found = false;

	(void)state;
	for (size_t have = 1; have <= len && !found; have++) {
		found = loader_console_find_stop(con, have, from, &s);
		if (!found && have > loader_console_mark_max())
			from = have - loader_console_mark_max();
	}
	assert_true(found);
	assert_int_equal(s.end, len);
	/* a boot that goes well has no stop */
	const char ok[] = "BdsDxe: starting Boot0001\r\nzeropage: GRUB loading the kernel\r\n"
			  "EFI stub: Loaded initrd from LINUX_EFI_INITRD_MEDIA_GUID device path\r\n";
	assert_false(loader_console_find_stop(ok, strlen(ok), 0, &s));
	assert_false(loader_console_find_stop(ok, strlen(ok), strlen(ok), &s));
	assert_false(loader_console_find_stop(ok, 0, 0, &s));
}

/* What a guest controls: escape and control bytes in an error line, NULs,
 * many lines, long lines, a small buffer.  The reason is text, bounded. */
static void test_hostile(void **state)
{
	struct loader_console_stop s;
	char why[256], small[12], big[2048];
	const char esc[] = "error: \x1b]0;title\x07 bad\x1b[31m red\x01\xff\r\ngrub>";
	size_t n = 0;

	(void)state;
	assert_true(loader_console_find_stop(esc, sizeof(esc) - 1, 0, &s));
	loader_console_reason(esc, sizeof(esc) - 1, &s, why, sizeof(why));
	assert_string_equal(why, "GRUB stopped at its prompt grub>: error: ?]0;title? bad red??");
	for (const char *p = why; *p; p++)
		assert_true(*p >= 0x20 && *p < 0x7f);

	for (int i = 0; i < 9; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "error: %d %0150d\n", i, 0);
	memcpy(big + n, "\0\0grub>", 7);
	n += 7;
	assert_true(loader_console_find_stop(big, n, 0, &s));
	assert_int_equal(s.end, n);
	loader_console_reason(big, n, &s, why, sizeof(why));
	assert_int_equal(strlen(why), sizeof(why) - 1);	/* cut, terminated */
	loader_console_reason(big, n, &s, small, sizeof(small));
	assert_string_equal(small, "GRUB stoppe");
	loader_console_reason(big, n, &s, small, 0);		/* no room: nothing written */
	assert_string_equal(small, "GRUB stoppe");
	/* an error line cut by the stop itself is read up to it, no further */
	s.end = 3;
	loader_console_reason(big, n, &s, why, sizeof(why));
	assert_string_equal(why, "GRUB stopped at its prompt grub> (no error line before it)");
}

/* The shim's plan line, as shim/main.c prints it on Xen: what it added
 * is read back (on dom0 two parameters); a line that added nothing, a
 * line cut short, a later line's words, a too small buffer or a
 * parenthesis that starts with a space are not. */
static void test_shim_added(void **state)
{
	static const char xen[] = "(XEN) Xen version 4.17\r\nzeropage-shim: entry 64, kernel "
		"0x1000000, zero page 0x135000, cmdline 88 bytes (console=hvc0 added), initrd "
		"0x4378000+0x1e4400 (module 0), e820 12, subarch pc data 0x0\n[    0.000000] Linux\n";
	static const char none[] = "zeropage-shim: entry 64, kernel 0x1000000, cmdline 75 bytes, "
		"initrd 0x4378000+0x1e4400 (module 0)\nlater: 3 bytes (console=ttyS0 added)\n";
	static const char skipped[] = "zeropage-shim: entry 64, cmdline 2047 bytes "
		"(console=hvc0 not added: no room: the command line would exceed the kernel's "
		"cmdline_size), initrd 0x0+0x0 (bundled)\n";
	static const char dom0[] = "zeropage-shim: entry 64, cmdline 92 bytes (console=hvc0 "
		"xen_console_io=1 added), initrd 0x4c3b000+0x1e4400 (module 0)\n";
	static const char spaced[] = "zeropage-shim: entry 64, cmdline 9 bytes ( a added)\n";
	char p[32];

	(void)state;
	assert_true(loader_console_shim_added(xen, sizeof(xen) - 1, p, sizeof(p)));
	assert_string_equal(p, "console=hvc0");
	assert_false(loader_console_shim_added(none, sizeof(none) - 1, p, sizeof(p)));
	assert_false(loader_console_shim_added(skipped, sizeof(skipped) - 1, p, sizeof(p)));
	assert_true(loader_console_shim_added(dom0, sizeof(dom0) - 1, p, sizeof(p)));
	assert_string_equal(p, "console=hvc0 xen_console_io=1");
	assert_false(loader_console_shim_added(spaced, sizeof(spaced) - 1, p, sizeof(p)));
	assert_false(loader_console_shim_added(xen, 120, p, sizeof(p)));	/* cut before "added)" */
	assert_false(loader_console_shim_added(xen, sizeof(xen) - 1, p, 12));	/* no room for the NUL */
	assert_true(loader_console_shim_added(xen, sizeof(xen) - 1, p, 13));
	assert_false(loader_console_shim_added(NULL, 0, p, sizeof(p)));
}

/* A non-Linux image's own first output, as the consoles of real boots of
 * memtest86+ 6.10 showed it (OVMF's screen clearing, then memtest's
 * words; the shim's lines, then memtest's escape sequences). */
static size_t image_at(const char *con, bool escapes_count)
{
	size_t resume = 0, at = 0;

	if (!loader_console_image_output(con, strlen(con), escapes_count, &resume, &at))
		return (size_t)-1;
	return at;
}

static void test_image_output(void **state)
{
	static const char ovmf[] = "\x1b[2J\x1b[01;01H\x1b[=3h\x1b[2J\x1b[01;01H"
				   "set_screen_info() failed\r\nefi_setup() failed\r\n";
	static const char shim[] = "zeropage-shim: entry 64, kernel 0x100000 (moved)\r\n"
				   "zeropage-shim: done moving the kernel in 546042 TSC ticks\r\n"
				   "\x1b[2J\x1b[?25l";
	static const char grub[] = "\x1b[H\x1b[Jzeropage: GRUB loading the kernel\r\n"
				   "Booting in blind mode\r\n";
	char words[64];
	size_t resume = 0, at;
	(void)state;

	assert_int_equal(image_at(ovmf, false), strlen("\x1b[2J\x1b[01;01H\x1b[=3h\x1b[2J\x1b[01;01H"));
	loader_console_plain_text(ovmf, strlen(ovmf), image_at(ovmf, false), words, sizeof(words));
	assert_string_equal(words, "set_screen_info() failed efi_setup() failed");
	/* the shim's lines are a loader's; its escape sequences are memtest's */
	assert_int_equal(image_at(shim, false), (size_t)-1);
	assert_int_equal(image_at(shim, true), strlen(shim) - strlen("\x1b[2J\x1b[?25l"));
	assert_int_equal(image_at(grub, false), (size_t)-1);	/* GRUB's words only */
	/* a line being written waits until it cannot be a loader's */
	assert_false(loader_console_image_text("zeropage-sh", 11, &resume, &at));
	assert_int_equal(resume, 0);
	assert_true(loader_console_image_text("zeropage-sx", 11, &resume, &at));
	assert_int_equal(at, 0);
	resume = 0;
	assert_false(loader_console_image_text("BdsDxe: loading Boot0001\r\n\x1b[", 28, &resume, &at));
	assert_int_equal(resume, 26);		/* resumes at the unfinished line */
	assert_true(loader_console_image_text("BdsDxe: loading Boot0001\r\n\x1b[0mMemtest", 37,
					      &resume, &at));
	assert_int_equal(at, 30);
	loader_console_plain_text("\x1b[7m a\x01\xff  b\r\n", 13, 0, words, sizeof(words));
	assert_string_equal(words, "a ? b");	/* a control byte parts words */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grub_prompt),
		cmocka_unit_test(test_ovmf_shell),
		cmocka_unit_test(test_systemd_boot),
		cmocka_unit_test(test_other_stops),
		cmocka_unit_test(test_split_across_reads),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_shim_added),
		cmocka_unit_test(test_image_output),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
