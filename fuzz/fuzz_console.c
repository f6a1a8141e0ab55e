/* SPDX-License-Identifier: MIT */
/*
 * fuzz_console: what zeropage reads from a guest's console, which the guest
 * controls entirely: the probe's report found in a transcript (its own line
 * or joined from kernel-log parts) and parsed, Xen's lines split from
 * dom0's with Xen's stop reason, the xen-domu console's three voices
 * (Xen, the toolstack dom0, the domU) with the toolstack's reason, a
 * firmware's or boot loader's stop with its words as the reason, and the
 * kernel entry the report and the EFI stub's lines show, and the shim's
 * start_info line (`report --across`), joined from Xen's pieces.  Any
 * bytes, NULs and CRs included.
 */
#include <stdlib.h>
#include <string.h>

#include "common/tool_err.h"
#include "machine/loader_console.h"
#include "machine/xen_domu.h"
#include "machine/xen_machine.h"
#include "report/boot_entry.h"
#include "report/guest_report.h"
#include "report/zeropage_across.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	struct tool_err err;
	char why[240], sig[5];
	char *line = guest_report_extract(in, size);

	if (line) {
		struct guest_report *r = malloc(sizeof(*r));
		if (r && guest_report_parse(line, strlen(line), r, &err) == 0 &&
		    r->has_bootparams) {
			zero_page_efi_signature(r->bootparams, sig);
			struct boot_entry_evidence ev = {
				.zero_page = r->bootparams, .efi = r->efi > 0,
				.stub_lines = boot_entry_stub_lines(in, size),
				.bios_disks = size & 1,
			};
			bool contra;
			char ewhy[480];
			/* every declared entry, the loader's choice included */
			for (int e = 0; e < BOOT_ENTRY_COUNT; e++) {
				enum boot_entry got = boot_entry_decide((enum boot_entry)e, &ev, &contra,
									ewhy, sizeof(ewhy));
				if ((unsigned)got >= BOOT_ENTRY_COUNT || strlen(ewhy) >= sizeof(ewhy))
					abort();
			}
		}
		free(r);
		free(line);
	}
	char shim[ACROSS_SHIM_LINE];
	struct across_start_info si;
	if (across_shim_line(in, size, shim, sizeof(shim))) {
		if (strlen(shim) >= sizeof(shim))
			abort();
		if (across_start_info_parse(shim, &si) == 0 && !si.seen)
			abort();
	}
	char *x = malloc(size + 1), *g = malloc(size + 1);
	size_t xl, gl;
	if (x && g) {
		xen_machine_split_console(in, size, x, &xl, g, &gl);
		if (xl > size || gl > size || xl + gl > size)
			abort();	/* the split never grows the text */
		xen_machine_stop_reason(x, why, sizeof(why));
	}
	char *d = malloc(size + 1), *u = malloc(size + 1), domu_why[300];
	size_t dl, ul;
	if (x && g && d && u) {
		xen_domu_split_console(in, size, "d1", x, &xl, d, &dl, u, &ul);
		if (xl + dl + ul > size || strlen(d) > dl || strlen(u) > ul)
			abort();	/* the split never grows the text */
		xen_domu_stop_reason(d, x, domu_why, sizeof(domu_why));
	}
	free(d);
	free(u);
	free(x);
	free(g);
	/* as qemu.c scans it: from the start, then resumed from any offset */
	struct loader_console_stop stop;
	char reason[256];
	size_t from = size ? data[0] % (size + 1) : 0;
	if (loader_console_find_stop(in, size, 0, &stop) || loader_console_find_stop(in, size, from, &stop)) {
		if (stop.end > size)
			abort();	/* the stop lies inside what was read */
		loader_console_reason(in, size, &stop, reason, sizeof(reason));
		for (const char *p = reason; *p; p++)
			if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
				abort();	/* the reason is plain text */
	}
	/* what the shim's plan line says it added: printable, trimmed */
	char added[32];
	if (loader_console_shim_added(in, size, added, sizeof(added))) {
		size_t n = strlen(added);
		if (!n || n >= sizeof(added) || added[0] == ' ' || added[n - 1] == ' ')
			abort();
		for (const char *p = added; *p; p++)
			if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
				abort();
	}
	/* a non-Linux image's first text, as qemu.c scans it read by read
	 * (split at `from`), then its words: found inside what was read,
	 * the same either way, and plain printable text */
	size_t resume = 0, at = 0, at_whole = 0, resume_whole = 0;
	bool found = loader_console_image_text(in, from, &resume, &at) ||
		     loader_console_image_text(in, size, &resume, &at);
	if (resume > size || (found && at >= size))
		abort();
	if (found != loader_console_image_text(in, size, &resume_whole, &at_whole) ||
	    (found && at != at_whole))
		abort();
	char words[120];
	loader_console_plain_text(in, size, found ? at : 0, words, sizeof(words));
	for (const char *p = words; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			abort();
	return 0;
}
