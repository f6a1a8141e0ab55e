/* SPDX-License-Identifier: MIT */
/*
 * guest_report.h - the report the probe (probe/init.c, the guest's /init)
 * prints: its line found in a console transcript, parsed and decoded.
 *
 * The line's format and limits are probe/report_line.h's: space-separated
 * key=value fields, v cmdline initrd uptime memmap bootparams required,
 * efi, kernel_phys and kernel_text optional (older probes lack them).
 * Unknown keys are ignored so a newer probe can add fields.  The zero page
 * is decoded by field NAME, with offsets taken from include/zeropage/abi.h.
 */
#ifndef ZEROPAGE_TOOLS_GUEST_REPORT_H
#define ZEROPAGE_TOOLS_GUEST_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/tool_err.h"
#include "probe/report_line.h"
#include "report/zero_page.h"
struct guest_report_memmap {
	uint64_t start, end;	/* inclusive end, as sysfs shows it */
	char type[REPORT_LINE_MAX_MEMMAP_TYPE + 1];	/* spaces were turned into '_' by the probe */
};

struct guest_report {
	unsigned version;
	char cmdline[REPORT_LINE_MAX_CMDLINE + 1];	/* decoded, NUL-terminated */
	size_t cmdline_len;
	int64_t initrd;			/* bytes, -1 when the kernel did not say */
	double uptime;			/* seconds */
	unsigned nmemmap;
	struct guest_report_memmap memmap[REPORT_LINE_MAX_MEMMAP];
	int efi;			/* /sys/firmware/efi: 1, 0, or -1 (an older probe) */
	/* Where the kernel runs: the physical start of "Kernel code" in
	 * /proc/iomem and _text's virtual address from /proc/kallsyms.  0 when
	 * unknown: an older probe, or addresses hidden by kptr_restrict. */
	uint64_t kernel_phys, kernel_text;
	bool has_bootparams;		/* false when the probe could not read it */
	uint8_t bootparams[REPORT_LINE_BOOTPARAMS_SIZE];
};

/* Parses one line (trailing CR/LF allowed).  Returns 0, or -1 with a
 * specific message in err ("missing field 'initrd'", "cmdline: odd number
 * of hex digits", ...). */
int guest_report_parse(const char *line, size_t len, struct guest_report *r,
		   struct tool_err *err);

/* Finds the probe line in console output; returns its start and sets *len
 * (without CR/LF), or NULL. */
const char *guest_report_find(const char *console, size_t console_len, size_t *len);

/* The probe's report from a whole console transcript, malloc'ed: its own
 * line, or else the line joined from the parts it sent through the kernel
 * log ("ZEROPAGE-PROBE-PART i/n ...", probe/init.c).  NULL when neither is
 * complete. */
char *guest_report_extract(const char *console, size_t console_len);

/* Human-readable report: cmdline, initrd, uptime, loader fields, e820, memmap. */
void guest_report_print(FILE *f, const struct guest_report *r);

struct json;
/* The report as a JSON object member `key` (decoded fields plus the raw
 * zero page as hex). */
void guest_report_json(struct json *j, const char *key, const struct guest_report *r);

#endif
