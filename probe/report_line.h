/* SPDX-License-Identifier: MIT */
/*
 * report_line.h - the report line's format and limits, written once for
 * both its parties: the probe that writes it (probe/init.c, a static guest
 * program without libc, hence nothing here but #defines) and the host that
 * reads it (tools/report/guest_report.c).
 *
 *   ZEROPAGE-PROBE v=1 cmdline=<hex> initrd=<bytes|-1> uptime=<secs>
 *       memmap=<start>-<end>:<type>,... efi=<0|1> kernel_phys=0x<hex>
 *       kernel_text=0x<hex> bootparams=<8192 hex chars>
 *
 * all on one line; or, through the kernel log, in numbered parts
 * "ZEROPAGE-PROBE-PART <i>/<n> <text>" that the host joins.
 *
 * The probe reads one item more than a limit allows where it can (a byte
 * of command line, a memmap entry), so that a guest beyond the limit gives
 * a report the host refuses by name instead of one cut short in silence.
 */
#ifndef ZEROPAGE_PROBE_REPORT_LINE_H
#define ZEROPAGE_PROBE_REPORT_LINE_H

#define REPORT_LINE_PREFIX		"ZEROPAGE-PROBE"
#define REPORT_LINE_PART_PREFIX		REPORT_LINE_PREFIX "-PART"
#define REPORT_LINE_VERSION		1

/* Bytes of /proc/cmdline, without its final newline.  x86's
 * COMMAND_LINE_SIZE is 2048 (arch/x86/include/uapi/asm/setup.h): room to
 * spare. */
#define REPORT_LINE_MAX_CMDLINE		4096
/* Entries of /sys/firmware/memmap, and the characters of one's type
 * ("ACPI Non-volatile Storage" is the longest Linux names). */
#define REPORT_LINE_MAX_MEMMAP		128
#define REPORT_LINE_MAX_MEMMAP_TYPE	47
/* /sys/kernel/boot_params/data: the zero page, one page. */
#define REPORT_LINE_BOOTPARAMS_SIZE	4096
/* Parts of a report sent through the kernel log. */
#define REPORT_LINE_MAX_PARTS		256

#endif
