/* SPDX-License-Identifier: MIT */
/*
 * loader_console.c - see loader_console.h.
 *
 * The marks are the loaders' own strings, as they print them on a serial
 * console (seen under QEMU with Debian 12's GRUB 2.06, OVMF 2022.11 and
 * SeaBIOS 1.16):
 *   GRUB     "error: out of memory." then, once its script ends without
 *            booting, the prompt "grub>" (normal mode) or "grub rescue>"
 *            (when it cannot even load its modules);
 *   OVMF     BdsDxe's "BdsDxe: failed to load Boot0001 \"...\" from
 *            PciRoot(...)/...: Unsupported" (or "failed to start ...",
 *            after "Error: Image at ... start failed: ..."), then, having
 *            tried every boot option, "UEFI Interactive Shell" (the shell
 *            is the last boot option in Debian's OVMF) or, without a
 *            shell, "No bootable option or device was found.";
 *   SeaBIOS  "Boot failed: ..." then "No bootable device." (it retries
 *            every 60 s);
 *   systemd-boot (252)  "Error loading \\zeropage\\vmlinuz: Not Found" or
 *            "Error preparing initrd: ...", then "Failed to execute zeropage
 *            (...): ..." (or, with no entry, "No loader found.
 *            Configuration files in \\loader\\entries\\*.conf are
 *            needed."), after which it exits and the firmware tries its
 *            next boot option: with a disk in the boot order, OVMF's setup
 *            menu ("BdsDxe: loading Boot0000 \"UiApp\" ..."), which waits
 *            for a key: the firmware's stop, systemd-boot's lines the reason.
 *   ours     efi/handover.c: "zeropage-handover: error: ..." then
 *            "zeropage-handover: stopped" (it then powers the machine off).
 * GRUB on a serial console prints everything twice (its serial and its
 * firmware console terminals both reach the UART), wrapped in escape
 * sequences; the reason takes each line once, without them.
 */
#include <stdio.h>
#include <string.h>

#include "machine/loader_console.h"

struct mark {
	const char *text, *loader, *how;
};

/* Where a loader stops and waits for a key. */
static const struct mark stops[] = {
	{ "grub rescue>", "GRUB", "its rescue prompt grub rescue>" },
	{ "grub>", "GRUB", "its prompt grub>" },
	{ "UEFI Interactive Shell", "UEFI firmware", "its UEFI shell (no boot option started)" },
	{ "\"UiApp\"", "UEFI firmware", "its setup menu UiApp (no boot option started)" },
	{ "No bootable option or device was found", "UEFI firmware",
	  "\"No bootable option or device was found\"" },
	{ "No bootable device", "SeaBIOS", "\"No bootable device\"" },
	{ "zeropage-handover: stopped", "zeropage's EFI loader", "its refusal (efi/handover.c)" },
};

/* The lines that say why: each from its mark to the end of its line. */
static const char *const words[] = {
	"error: ",		/* GRUB */
	"BdsDxe: failed to ",	/* OVMF: load or start a boot option */
	"Error: Image at ",	/* OVMF: "... start failed: <status>" */
	"Boot failed: ",	/* SeaBIOS */
	"Error loading ",	/* systemd-boot: its entry's kernel or UKI */
	"Error preparing initrd: ",	/* systemd-boot */
	"Error registering initrd: ",	/* systemd-boot */
	"Failed to execute ",	/* systemd-boot: the entry it gave up on */
	"No loader found. ",	/* systemd-boot: no entry at all */
};

#define REASON_LINES	4	/* at most this many distinct lines */
#define LINE_MAX_CHARS	120	/* each cut to this */

size_t loader_console_mark_max(void)
{
	size_t m = 0;

	for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++)
		if (strlen(stops[i].text) > m)
			m = strlen(stops[i].text);
	return m;
}

bool loader_console_find_stop(const char *con, size_t len, size_t from, struct loader_console_stop *s)
{
	const char *best = NULL;
	size_t best_i = 0;

	if (from >= len)
		return false;
	for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++) {
		const char *p = memmem(con + from, len - from, stops[i].text, strlen(stops[i].text));
		/* "grub rescue>" is listed first: at the same place it wins */
		if (p && (!best || p < best)) {
			best = p;
			best_i = i;
		}
	}
	if (!best)
		return false;
	*s = (struct loader_console_stop){ .loader = stops[best_i].loader, .how = stops[best_i].how,
				      .end = (size_t)(best - con) + strlen(stops[best_i].text) };
	return true;
}

/* The line at con[at..end) up to CR/LF as text: escape sequences (ESC [
 * ... final byte) dropped, other control and non-ASCII bytes as '?'. */
static size_t clean_line(const char *con, size_t at, size_t end, char *out, size_t cap)
{
	size_t n = 0;

	for (size_t i = at; i < end && con[i] != '\r' && con[i] != '\n' && n + 1 < cap; i++) {
		unsigned char c = (unsigned char)con[i];
		if (c == 0x1b && i + 1 < end && con[i + 1] == '[') {
			for (i += 2; i < end && !((unsigned char)con[i] >= 0x40 &&
						  (unsigned char)con[i] <= 0x7e); i++)
				;
			continue;
		}
		out[n++] = c < 0x20 || c >= 0x7f ? '?' : (char)c;
	}
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = 0;
	return n;
}

/* OVMF names the device path of the option it failed on: "... from
 * PciRoot(0x0)/Pci(0x1,0x1)/Ata(Primary,Master,0x0): Not Found".  The
 * option's name and the status say it; the path only makes the line long. */
static void drop_device_path(char *line)
{
	char *from = strstr(line, "\" from ");
	char *status = from ? strrchr(from, ':') : NULL;

	if (from && status && status[1] == ' ')
		memmove(from + 1, status, strlen(status) + 1);
}

/* The next word line at or after `at` before `end`: its offset, or end. */
static size_t next_word(const char *con, size_t at, size_t end)
{
	size_t best = end;

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		const char *p = at < best ? memmem(con + at, best - at, words[i], strlen(words[i])) : NULL;
		if (p)
			best = (size_t)(p - con);
	}
	return best;
}

void loader_console_reason(const char *con, size_t len, const struct loader_console_stop *s,
			   char *why, size_t cap)
{
	char seen[REASON_LINES][LINE_MAX_CHARS + 1], line[512];
	size_t end = s->end < len ? s->end : len, nseen = 0;
	int n;

	if (!cap)
		return;
	n = snprintf(why, cap, "%s stopped at %s", s->loader, s->how);
	for (size_t at = next_word(con, 0, end); at < end && nseen < REASON_LINES;
	     at = next_word(con, at + 1, end)) {
		if (!clean_line(con, at, end, line, sizeof(line)))
			continue;
		drop_device_path(line);
		line[LINE_MAX_CHARS] = 0;	/* after the path is gone */
		bool dup = false;
		for (size_t i = 0; i < nseen && !dup; i++)
			dup = !strcmp(seen[i], line);
		if (dup)
			continue;
		memcpy(seen[nseen], line, LINE_MAX_CHARS + 1);
		if (n >= 0 && (size_t)n < cap)
			n += snprintf(why + n, cap - (size_t)n, "%s%s", nseen ? " | " : ": ", line);
		nseen++;
	}
	if (!nseen && n >= 0 && (size_t)n < cap)
		snprintf(why + n, cap - (size_t)n, " (no error line before it)");
}

bool loader_console_shim_added(const char *con, size_t len, char *param, size_t cap)
{
	static const char plan[] = "zeropage-shim: entry ", open_[] = " bytes (", close_[] = " added)";
	const char *line = con ? memmem(con, len, plan, sizeof(plan) - 1) : NULL;
	const char *end, *from, *to;

	if (!line || !cap)
		return false;
	end = memchr(line, '\n', len - (size_t)(line - con));
	end = end ? end : con + len;
	from = memmem(line, (size_t)(end - line), open_, sizeof(open_) - 1);
	if (!from)
		return false;
	from += sizeof(open_) - 1;
	to = memmem(from, (size_t)(end - from), close_, sizeof(close_) - 1);
	if (!to || to == from || (size_t)(to - from) >= cap)
		return false;
	if (*from == ' ' || to[-1] == ' ')
		return false;
	for (const char *p = from; p < to; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			return false;	/* parameters, as the shim prints them */
	memcpy(param, from, (size_t)(to - from));
	param[to - from] = 0;
	return true;
}

/* Lines that loaders write before and as they start the image (the
 * words each prints on the serial line in our paths). */
static const char *const loader_line_prefixes[] = {
	"zeropage-shim:",	/* our PVH shim (shim/main.c) */
	"zeropage-handover:",	/* our EFI loader (efi/handover.c) */
	"zeropage: ",		/* our grub.cfg's echo (path_grub.c, grub_cd.c) */
	"BdsDxe:",		/* OVMF's boot manager */
	"error: ",		/* GRUB */
	"Welcome to GRUB",	/* GRUB */
	"Booting ",		/* GRUB, SeaBIOS */
	"Loading ",		/* GRUB */
	"Boot failed",		/* SeaBIOS */
	"No bootable",		/* SeaBIOS, OVMF */
	"Error ",		/* systemd-boot */
	"Failed to ",		/* systemd-boot */
	"No loader found",	/* systemd-boot */
};

/* 0: text that is no loader's; 1: a loader's line; 2: could still become
 * one (a prefix of a loader's words). */
static int loader_line_kind(const char *text, size_t n)
{
	int kind = 0;

	for (size_t i = 0; i < sizeof(loader_line_prefixes) / sizeof(loader_line_prefixes[0]); i++) {
		size_t pl = strlen(loader_line_prefixes[i]);
		if (n >= pl && !memcmp(text, loader_line_prefixes[i], pl))
			return 1;
		if (n < pl && !memcmp(text, loader_line_prefixes[i], n))
			kind = 2;
	}
	return kind;
}

/* The length of the escape sequence at p[0] == ESC, or 0 when it is not
 * yet complete: CSI (ESC [ parameters intermediates final) or ESC + one. */
static size_t escape_len(const char *p, size_t avail)
{
	size_t i = 2;

	if (avail < 2)
		return 0;
	if (p[1] != '[')
		return 2;
	while (i < avail && (unsigned char)p[i] >= 0x20 && (unsigned char)p[i] <= 0x3f)
		i++;
	if (i >= avail)
		return 0;
	return i + 1;	/* the final byte, whatever it is: a broken sequence ends here */
}

bool loader_console_image_text(const char *con, size_t len, size_t *resume, size_t *at)
{
	return loader_console_image_output(con, len, false, resume, at);
}

bool loader_console_image_output(const char *con, size_t len, bool escapes_count, size_t *resume,
				 size_t *at)
{
	char text[32];
	size_t n = 0, first = 0, i = *resume, line = *resume;

	while (i < len) {
		unsigned char c = (unsigned char)con[i];
		if (c == '\n' || c == '\r') {
			if (n && loader_line_kind(text, n) != 1) {
				*at = first;
				return true;
			}
			n = 0;
			line = ++i;
			continue;
		}
		if (c == 0x1b) {
			size_t e = escape_len(con + i, len - i);
			if (!e)
				break;
			if (escapes_count && n == 0) {	/* not inside a loader's words */
				*at = i;
				return true;
			}
			i += e;
			continue;
		}
		if ((c < 0x20 || c == 0x7f) || (c == ' ' && n == 0)) {
			i++;
			continue;
		}
		if (n == 0)
			first = i;
		if (n < sizeof(text))
			text[n++] = (char)c;
		i++;
		if (loader_line_kind(text, n) == 0) {
			*at = first;
			return true;
		}
	}
	*resume = line;
	return false;
}

void loader_console_plain_text(const char *con, size_t len, size_t at, char *out, size_t cap)
{
	size_t n = 0;
	bool blank = false;

	if (!cap)
		return;
	for (size_t i = at; i < len && n + 1 < cap;) {
		unsigned char c = (unsigned char)con[i];
		if (c == 0x1b) {
			size_t e = escape_len(con + i, len - i);
			i += e ? e : len - i;
			blank = n > 0;	/* a cursor move separates words */
			continue;
		}
		i++;
		if (c <= ' ' || c == 0x7f) {
			blank = n > 0;
			continue;
		}
		if (blank && n + 2 < cap)
			out[n++] = ' ';
		blank = false;
		out[n++] = c < 0x7f ? (char)c : '?';
	}
	out[n] = 0;
}
