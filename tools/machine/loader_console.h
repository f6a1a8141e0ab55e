/* SPDX-License-Identifier: MIT */
/*
 * loader_console.h - what firmware and boot loaders print when they give
 * up, found in a guest's console before the kernel's banner.
 *
 * A loader that cannot boot the kernel does not exit: GRUB drops to its
 * `grub>` prompt (or `grub rescue>`), OVMF to its UEFI shell or "No
 * bootable option", SeaBIOS to "No bootable device" and retries.  Each
 * waits for a keyboard nobody has.  qemu.c watches for these stops and
 * ends the boot at once; the reason is the loader's own words, the error
 * lines it printed before it stopped (GRUB's "error: ...", OVMF's BdsDxe
 * "failed to load/start ..." and "start failed" lines).
 *
 * Pure functions over the console bytes (any bytes, NULs included): the
 * fuzz target fuzz_console drives them.
 */
#ifndef ZEROPAGE_TOOLS_LOADER_CONSOLE_H
#define ZEROPAGE_TOOLS_LOADER_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

/* Where a loader stopped: which loader, how (its prompt or message as it
 * printed it), and the offset in the console just past that mark. */
struct loader_console_stop {
	const char *loader;	/* "GRUB", "UEFI firmware", "SeaBIOS" */
	const char *how;	/* "its prompt grub>", ... */
	size_t end;		/* console offset just past the mark */
};

/* The longest stop mark: a scan that resumes this many bytes before the
 * end of the last one misses no mark split across reads. */
size_t loader_console_mark_max(void);

/* The first stop in con[from..len), or false.  Call only on the console
 * before the kernel's banner: after it, the text is the kernel's. */
bool loader_console_find_stop(const char *con, size_t len, size_t from, struct loader_console_stop *s);

/* The loader's words before its stop, as one line in why (at most cap
 * bytes, NUL-terminated): "GRUB stopped at its prompt grub>: error: out
 * of memory. | error: you need to load the kernel first."  Error lines
 * are taken once each, in order, escape sequences dropped and control
 * bytes shown as '?'; OVMF's device paths are left out. */
void loader_console_reason(const char *con, size_t len, const struct loader_console_stop *s,
			   char *why, size_t cap);

/* Our own PVH shim is a loader too: its plan line ("zeropage-shim: entry
 * ..., cmdline N bytes (console=hvc0 added), ...", shim/main.c) says what
 * it added to the kernel's command line on its own (on Xen, a console
 * when the line named none, on dom0 with xen_console_io=1:
 * lib/shim_plan.c).  True with those parameters in param (at most cap
 * bytes, NUL-terminated; printable ASCII, no space at either end), from
 * the first plan line in con[0..len); false when there is none or it
 * added nothing. */
bool loader_console_shim_added(const char *con, size_t len, char *param, size_t cap);

/* For an image that is not Linux (memtest86+, iPXE): where its own
 * output begins, the only sign zeropage has that it ran.  The first text
 * no loader wrote: ANSI escape sequences (a screen cleared, the cursor
 * moved: OVMF's console does it, and memtest86+ before it draws) and
 * control bytes are not text, and a line that starts with a loader's own
 * words (the shim's "zeropage-shim:", OVMF's "BdsDxe:", GRUB's "error: ",
 * our grub.cfg's "zeropage: ", ...) is the loader's.  Scans con[*resume..
 * len) (start with *resume 0; it always stays at a line's start) and
 * returns true with *at the text's offset, or false, with *resume where
 * the next call continues, when there is none yet: a line still being
 * written counts once its text can no longer become a loader's. */
bool loader_console_image_text(const char *con, size_t len, size_t *resume, size_t *at);
/* The same where no loader writes escape sequences (QEMU's -kernel under
 * SeaBIOS or qboot, our shim): the image's first one counts too (memtest86+
 * clears the screen, then measures for tens of seconds under TCG before it
 * draws). */
bool loader_console_image_output(const char *con, size_t len, bool escapes_count, size_t *resume,
				 size_t *at);

/* con[at..len) as plain words for a one-line reason: escape sequences
 * dropped, runs of blanks, line ends and other control bytes made one
 * space, bytes outside printable ASCII shown as '?'; at most cap - 1
 * bytes, NUL-terminated. */
void loader_console_plain_text(const char *con, size_t len, size_t at, char *out, size_t cap);

#endif
