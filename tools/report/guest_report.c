/* SPDX-License-Identifier: MIT */
/* guest_report.c - see guest_report.h. */
#include <stdlib.h>
#include <string.h>

#include <zeropage/abi.h>

#include "common/json.h"
#include "common/tool_err.h"
#include "report/guest_report.h"
#include "common/safe_text.h"

/* ------------------------------------------------------------------ */
/* Parsing */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* hex text -> bytes; returns bytes written or -1 with err */
static long unhex(const char *what, const char *s, size_t n, uint8_t *out, size_t cap,
		  struct tool_err *err)
{
	if (n % 2) {
		tool_err_set(err, "%s: odd number of hex digits (%zu)", what, n);
		return -1;
	}
	if (n / 2 > cap) {
		tool_err_set(err, "%s: %zu bytes, more than %zu", what, n / 2, cap);
		return -1;
	}
	for (size_t i = 0; i < n; i += 2) {
		int h = hexval(s[i]), l = hexval(s[i + 1]);
		if (h < 0 || l < 0) {
			tool_err_set(err, "%s: invalid hex digit at offset %zu", what,
				 h < 0 ? i : i + 1);
			return -1;
		}
		out[i / 2] = (uint8_t)(h << 4 | l);
	}
	return (long)(n / 2);
}

/* "0x1f" or "1f" -> value; the whole of s[0..n) must be consumed. */
static int parse_hex_num(const char *s, size_t n, uint64_t *v)
{
	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		n -= 2;
	}
	if (!n || n > 16)
		return -1;
	uint64_t x = 0;
	for (size_t i = 0; i < n; i++) {
		int h = hexval(s[i]);
		if (h < 0)
			return -1;
		x = x << 4 | (uint64_t)h;
	}
	*v = x;
	return 0;
}

static int parse_memmap(const char *s, size_t n, struct guest_report *r,
			struct tool_err *err)
{
	r->nmemmap = 0;
	size_t i = 0;
	while (i < n) {
		size_t e = i;
		while (e < n && s[e] != ',')
			e++;
		const char *ent = s + i;
		size_t el = e - i;
		const char *dash = memchr(ent, '-', el);
		const char *colon = memchr(ent, ':', el);
		if (!dash || !colon || dash > colon) {
			tool_err_set(err, "memmap entry %u: expected START-END:TYPE", r->nmemmap);
			return -1;
		}
		if (r->nmemmap == REPORT_LINE_MAX_MEMMAP) {
			tool_err_set(err, "memmap: more than %d entries", REPORT_LINE_MAX_MEMMAP);
			return -1;
		}
		struct guest_report_memmap *m = &r->memmap[r->nmemmap];
		size_t tl = el - (size_t)(colon + 1 - ent);
		if (parse_hex_num(ent, (size_t)(dash - ent), &m->start) ||
		    parse_hex_num(dash + 1, (size_t)(colon - dash - 1), &m->end)) {
			tool_err_set(err, "memmap entry %u: bad hex address", r->nmemmap);
			return -1;
		}
		if (m->end < m->start) {
			tool_err_set(err, "memmap entry %u: end 0x%llx below start 0x%llx",
				 r->nmemmap, (unsigned long long)m->end, (unsigned long long)m->start);
			return -1;
		}
		if (!tl || tl >= sizeof(m->type)) {
			tool_err_set(err, "memmap entry %u: type of %zu characters", r->nmemmap, tl);
			return -1;
		}
		memcpy(m->type, colon + 1, tl);
		m->type[tl] = 0;
		r->nmemmap++;
		i = e + 1;
		if (e + 1 == n) {
			tool_err_set(err, "memmap: trailing ','");
			return -1;
		}
	}
	return 0;
}

static int parse_uptime(const char *s, size_t n, double *out)
{
	double v = 0, scale = 0;
	if (!n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.' && scale == 0) {
			scale = 1;
		} else if (s[i] >= '0' && s[i] <= '9') {
			if (scale == 0) {
				v = v * 10 + (s[i] - '0');
			} else {
				scale /= 10;
				v += (s[i] - '0') * scale;
			}
		} else {
			return -1;
		}
	}
	*out = v;
	return 0;
}

static int parse_initrd(const char *s, size_t n, int64_t *out)
{
	if (n == 2 && s[0] == '-' && s[1] == '1') {
		*out = -1;
		return 0;
	}
	if (!n || n > 18)
		return -1;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* One known field's value into r: 0, or -1 with the reason in err. */
static int parse_field(int which, const char *val, size_t vl, struct guest_report *r,
		       struct tool_err *err)
{
	switch (which) {
	case 0:
		if (vl != 1 || val[0] != '0' + REPORT_LINE_VERSION) {
			tool_err_set(err, "unsupported probe version '%.*s' (expected %d)",
				 (int)(vl > 16 ? 16 : vl), val, REPORT_LINE_VERSION);
			return -1;
		}
		r->version = REPORT_LINE_VERSION;
		return 0;
	case 1: {
		long n = unhex("cmdline", val, vl, (uint8_t *)r->cmdline,
			       REPORT_LINE_MAX_CMDLINE, err);
		if (n < 0)
			return -1;
		if (memchr(r->cmdline, 0, (size_t)n)) {
			tool_err_set(err, "cmdline: contains a NUL byte");
			return -1;
		}
		r->cmdline[n] = 0;
		r->cmdline_len = (size_t)n;
		return 0;
	}
	case 2:
		if (parse_initrd(val, vl, &r->initrd)) {
			tool_err_set(err, "initrd: '%.*s' is not a size or -1",
				 (int)(vl > 24 ? 24 : vl), val);
			return -1;
		}
		return 0;
	case 3:
		if (parse_uptime(val, vl, &r->uptime)) {
			tool_err_set(err, "uptime: '%.*s' is not a number of seconds",
				 (int)(vl > 24 ? 24 : vl), val);
			return -1;
		}
		return 0;
	case 4:
		if (parse_memmap(val, vl, r, err))
			return -1;
		return 0;
	case 5:
		if (vl == 0)
			return 0;	/* the probe could not read it */
		if (vl != 2 * sizeof(r->bootparams)) {
			tool_err_set(err, "bootparams: %zu hex digits, expected %zu",
				 vl, 2 * sizeof(r->bootparams));
			return -1;
		}
		if (unhex("bootparams", val, vl, r->bootparams, sizeof(r->bootparams),
			  err) < 0)
			return -1;
		r->has_bootparams = true;
		return 0;
	case 6:
		if (vl != 1 || (val[0] != '0' && val[0] != '1')) {
			tool_err_set(err, "efi: '%.*s' is not 0 or 1",
				 (int)(vl > 16 ? 16 : vl), val);
			return -1;
		}
		r->efi = val[0] - '0';
		return 0;
	case 7:
	case 8:
		if (parse_hex_num(val, vl, which == 7 ? &r->kernel_phys : &r->kernel_text)) {
			tool_err_set(err, "%s: '%.*s' is not a hex address",
				 which == 7 ? "kernel_phys" : "kernel_text",
				 (int)(vl > 24 ? 24 : vl), val);
			return -1;
		}
		return 0;
	}
	return 0;
}

int guest_report_parse(const char *line, size_t len, struct guest_report *r,
		   struct tool_err *err)
{
	/* the first NREQUIRED are required; later ones came with newer probes */
	static const char *const names[] = { "v", "cmdline", "initrd", "uptime", "memmap",
					     "bootparams", "efi", "kernel_phys", "kernel_text" };
	enum { NREQUIRED = 6, NNAMES = sizeof(names) / sizeof(names[0]) };
	unsigned seen = 0;

	memset(r, 0, sizeof(*r));
	r->initrd = -1;
	r->efi = -1;
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	size_t pl = strlen(REPORT_LINE_PREFIX);
	if (len < pl || memcmp(line, REPORT_LINE_PREFIX, pl) || (len > pl && line[pl] != ' ')) {
		tool_err_set(err, "not a %s line", REPORT_LINE_PREFIX);
		return -1;
	}
	size_t i = pl;
	while (i < len) {
		if (line[i] == ' ') {
			i++;
			continue;
		}
		size_t e = i;
		while (e < len && line[e] != ' ')
			e++;
		const char *tok = line + i, *eq = memchr(tok, '=', e - i);
		if (!eq) {
			tool_err_set(err, "field '%.*s' has no '='", (int)(e - i > 32 ? 32 : e - i), tok);
			return -1;
		}
		size_t kl = (size_t)(eq - tok);
		const char *val = eq + 1;
		size_t vl = e - i - kl - 1;
		int which = -1;
		for (int k = 0; k < NNAMES; k++)
			if (strlen(names[k]) == kl && !memcmp(names[k], tok, kl))
				which = k;
		i = e;
		if (which < 0)
			continue;	/* a newer probe's field */
		if (seen & (1u << which)) {
			tool_err_set(err, "field '%s' appears twice", names[which]);
			return -1;
		}
		seen |= 1u << which;
		if (parse_field(which, val, vl, r, err))
			return -1;
	}
	for (int k = 0; k < NREQUIRED; k++)
		if (!(seen & (1u << k))) {
			tool_err_set(err, "missing field '%s'", names[k]);
			return -1;
		}
	return 0;
}

const char *guest_report_find(const char *console, size_t console_len, size_t *len)
{
	static const char mark[] = REPORT_LINE_PREFIX " v=";
	const char *p = memmem(console, console_len, mark, sizeof(mark) - 1);
	if (!p)
		return NULL;
	size_t rest = console_len - (size_t)(p - console), l = 0;
	while (l < rest && p[l] != '\n' && p[l] != '\r')
		l++;
	if (l == rest)
		return NULL;	/* not terminated: the guest died mid-line */
	*len = l;
	return p;
}

/* The parts a probe sends through the kernel log (probe/init.c,
 * zeropage.probe=kmsg): "ZEROPAGE-PROBE-PART <i>/<n> <text>" anywhere in a
 * line (after the kernel's timestamp), parts 1..n joined in order.  The
 * first copy of each part counts; all n must be there, with one n. */
#define PART_MARK	REPORT_LINE_PART_PREFIX " "
#define PARTS_MAX	REPORT_LINE_MAX_PARTS

/* A decimal number at *p, before end (the console is not NUL-terminated):
 * advances *p past it; false when there is none or it is absurdly long. */
static bool take_number(const char **p, const char *end, unsigned long *out)
{
	unsigned long v = 0;
	const char *q = *p;

	while (q < end && *q >= '0' && *q <= '9' && q - *p < 9)
		v = v * 10 + (unsigned long)(*q++ - '0');
	if (q == *p)
		return false;
	*p = q;
	*out = v;
	return true;
}

static char *join_parts(const char *console, size_t len)
{
	const char *text[PARTS_MAX] = { 0 };
	size_t tlen[PARTS_MAX] = { 0 }, total = 0;
	unsigned long n = 0;

	for (const char *p = console, *end = console + len;
	     (p = memmem(p, (size_t)(end - p), PART_MARK, sizeof(PART_MARK) - 1));) {
		const char *q = p + sizeof(PART_MARK) - 1;
		unsigned long i, pn;
		p = q;
		if (!take_number(&q, end, &i) || q == end || *q++ != '/' ||
		    !take_number(&q, end, &pn) || q == end || *q != ' ' ||
		    i < 1 || i > pn || pn > PARTS_MAX || (n && pn != n))
			continue;
		n = pn;
		const char *t = q + 1, *e = t;
		while (e < end && *e != '\n' && *e != '\r')
			e++;
		if (e == end)
			break;		/* the guest died mid-line */
		if (!text[i - 1]) {
			text[i - 1] = t;
			tlen[i - 1] = (size_t)(e - t);
			total += tlen[i - 1];
		}
		p = e;
	}
	if (!n)
		return NULL;
	for (unsigned long i = 0; i < n; i++)
		if (!text[i])
			return NULL;
	char *line = malloc(total + 1), *w = line;
	if (!line)
		return NULL;
	for (unsigned long i = 0; i < n; i++) {
		memcpy(w, text[i], tlen[i]);
		w += tlen[i];
	}
	*w = 0;
	return line;
}

char *guest_report_extract(const char *console, size_t console_len)
{
	static const char mark[] = REPORT_LINE_PREFIX " v=";
	const char *p = console, *end = console + console_len;

	/* A line of its own, not the head of part 1 */
	while ((p = memmem(p, (size_t)(end - p), mark, sizeof(mark) - 1))) {
		const char *ls = p;
		while (ls > console && ls[-1] != '\n')
			ls--;
		if (!memmem(ls, (size_t)(p - ls), PART_MARK, sizeof(PART_MARK) - 1)) {
			size_t l;
			const char *line = guest_report_find(p, (size_t)(end - p), &l);
			return line ? strndup(line, l) : NULL;
		}
		p += sizeof(mark) - 1;
	}
	return join_parts(console, console_len);
}

/* ------------------------------------------------------------------ */
/* Output */

static const char *e820_type_name(uint32_t t)
{
	return zp_e820_type_name(t) ? zp_e820_type_name(t) : "?";
}

void guest_report_print(FILE *f, const struct guest_report *r)
{
	fprintf(f, "probe report:\n");
	/* the guest wrote the command line and the memmap types it read */
	fprintf(f, "  cmdline               ");
	safe_text_write(f, r->cmdline, r->cmdline_len, SAFE_TEXT_LINE);
	fputc('\n', f);
	if (r->initrd < 0)
		fprintf(f, "  initrd                unknown\n");
	else
		fprintf(f, "  initrd                %lld bytes\n", (long long)r->initrd);
	fprintf(f, "  uptime at init        %.2f s\n", r->uptime);
	if (r->efi >= 0)
		fprintf(f, "  /sys/firmware/efi     %s\n", r->efi ? "present" : "absent");
	if (r->has_bootparams) {
		const uint8_t *bp = r->bootparams;
		char sig[5];
		zero_page_efi_signature(bp, sig);
		fprintf(f, "  efi_loader_signature  %s\n", sig[0] ? sig : "(none)");
		fprintf(f, "  type_of_loader        0x%02llx\n",
			(unsigned long long)zero_page_get(bp, "type_of_loader"));
		fprintf(f, "  hardware_subarch      %llu\n",
			(unsigned long long)zero_page_get(bp, "hardware_subarch"));
		fprintf(f, "  hardware_subarch_data 0x%llx\n",
			(unsigned long long)zero_page_get(bp, "hardware_subarch_data"));
		fprintf(f, "  ramdisk_size          %llu\n",
			(unsigned long long)(zero_page_get(bp, "ramdisk_size") |
					     zero_page_get(bp, "ext_ramdisk_size") << 32));
		fprintf(f, "  acpi_rsdp_addr        0x%llx\n",
			(unsigned long long)zero_page_get(bp, "acpi_rsdp_addr"));
		unsigned cnt = (unsigned)zero_page_get(bp, "e820_entries");
		fprintf(f, "  e820_entries          %u\n", cnt);
		for (unsigned k = 0; k < cnt && k < ZP_E820_MAX_ZEROPAGE; k++) {
			const uint8_t *e = bp + offsetof(struct zp_boot_params, e820_table) +
					   k * sizeof(struct zp_e820_entry);
			uint64_t addr = zero_page_le(e, 8), size = zero_page_le(e + 8, 8);
			uint32_t type = (uint32_t)zero_page_le(e + 16, 4);
			fprintf(f, "    [%2u] 0x%012llx-0x%012llx %s\n", k, (unsigned long long)addr,
				(unsigned long long)(addr + size - (size ? 1 : 0)), e820_type_name(type));
		}
	} else {
		fprintf(f, "  boot_params           unavailable\n");
	}
	fprintf(f, "  memmap (/sys/firmware/memmap) %u entries\n", r->nmemmap);
	for (unsigned k = 0; k < r->nmemmap; k++)
		safe_text_printf(f, "    [%2u] 0x%012llx-0x%012llx %s\n", k,
				 (unsigned long long)r->memmap[k].start,
				 (unsigned long long)r->memmap[k].end, r->memmap[k].type);
}

void guest_report_json(struct json *j, const char *key, const struct guest_report *r)
{
	json_object_begin(j, key);
	json_string_n(j, "cmdline", r->cmdline, r->cmdline_len);
	json_int(j, "initrd", r->initrd);
	{
		char up[32];
		snprintf(up, sizeof(up), "%.2f", r->uptime);
		json_string(j, "uptime", up);
	}
	json_array_begin(j, "memmap");
	for (unsigned k = 0; k < r->nmemmap; k++) {
		json_object_begin(j, NULL);
		json_uint(j, "start", r->memmap[k].start);
		json_uint(j, "end", r->memmap[k].end);
		json_string(j, "type", r->memmap[k].type);
		json_object_end(j);
	}
	json_array_end(j);
	if (r->efi >= 0)
		json_bool(j, "efi", r->efi == 1);
	else
		json_null(j, "efi");
	if (r->has_bootparams) {
		char sig[5];
		zero_page_efi_signature(r->bootparams, sig);
		json_string(j, "efi_loader_signature", sig);
		json_object_begin(j, "boot_params");
		for (size_t i = 0; i < zero_page_nfields; i++) {
			const struct zero_page_field *f = &zero_page_fields[i];
			if (f->kind == ZERO_PAGE_BYTES || f->kind == ZERO_PAGE_E820)
				continue;
			json_uint(j, f->name, zero_page_le(r->bootparams + f->offset, f->size));
		}
		unsigned cnt = r->bootparams[offsetof(struct zp_boot_params, e820_entries)];
		json_array_begin(j, "e820_table");
		for (unsigned k = 0; k < cnt && k < ZP_E820_MAX_ZEROPAGE; k++) {
			const uint8_t *e = r->bootparams + offsetof(struct zp_boot_params, e820_table) +
					   k * sizeof(struct zp_e820_entry);
			json_object_begin(j, NULL);
			json_uint(j, "addr", zero_page_le(e, 8));
			json_uint(j, "size", zero_page_le(e + 8, 8));
			json_uint(j, "type", zero_page_le(e + 16, 4));
			json_object_end(j);
		}
		json_array_end(j);
		json_object_end(j);
		char hex[2 * sizeof(r->bootparams) + 1];
		for (size_t k = 0; k < sizeof(r->bootparams); k++)
			snprintf(hex + 2 * k, 3, "%02x", r->bootparams[k]);
		json_string(j, "boot_params_hex", hex);
	} else {
		json_null(j, "boot_params");
	}
	json_object_end(j);
}
