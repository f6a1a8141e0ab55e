/* SPDX-License-Identifier: MIT */
/* xen_domu_console.c - the xen-domu console's three voices apart, and the
 * toolstack's reason for a failed row (xen_domu.h).  The bytes are the
 * guests' and dom0's: any bytes, bounded by len, never trusted to end. */
#include <stdio.h>
#include <string.h>

#include "machine/xen_domu.h"

#define DOM0_ERROR	"zp-dom0: error: "

/* Appends in[i..end) without CRs, then a line end if the line had one. */
static void put_line(char *dst, size_t *dn, const char *in, size_t i, size_t end, bool nl)
{
	for (size_t k = i; k < end; k++)
		if (in[k] != '\r')
			dst[(*dn)++] = in[k];
	if (nl)
		dst[(*dn)++] = '\n';
}

/* "(d1) ...": Xen's own print of what domain 1 wrote to the 0xe9 debug
 * port or the console_io hypercall (guest_loglvl=all), without "(XEN)". */
static bool is_guest_debug(const char *p, size_t l)
{
	size_t k = 2;

	if (l < 4 || p[0] != '(' || p[1] != 'd')
		return false;
	while (k < l && k < 8 && p[k] >= '0' && p[k] <= '9')
		k++;
	return k > 2 && k < l && p[k] == ')';
}

void xen_domu_split_console(const char *in, size_t len, const char *name, char *xen,
			    size_t *xen_len, char *dom0, size_t *dom0_len, char *domu,
			    size_t *domu_len)
{
	char prefix[40];
	size_t pl = (size_t)snprintf(prefix, sizeof(prefix), "zp-%s: ", name);
	size_t xn = 0, dn = 0, un = 0, i = 0;

	if (pl >= sizeof(prefix))
		pl = sizeof(prefix) - 1;
	while (i < len) {
		size_t end = i;
		while (end < len && in[end] != '\n')
			end++;
		size_t l = end - i;
		bool nl = end < len;
		if ((l >= 5 && !memcmp(in + i, "(XEN)", 5)) || is_guest_debug(in + i, l))
			put_line(xen, &xn, in, i, end, nl);
		else if (l >= pl && !memcmp(in + i, prefix, pl))
			put_line(domu, &un, in, i + pl, end, nl);
		else
			put_line(dom0, &dn, in, i, end, nl);
		i = end + 1;
	}
	xen[xn] = dom0[dn] = domu[un] = 0;
	*xen_len = xn;
	*dom0_len = dn;
	*domu_len = un;
}

/* The first line starting with (or, when anywhere, holding) mark, into
 * out: after `skip` bytes of it, or whole but for xl's "zp-xl: " when
 * found anywhere; false when there is none. */
static bool find_line(const char *log, const char *mark, size_t skip, bool anywhere, char *out,
		      size_t cap)
{
	size_t ml = strlen(mark);

	for (const char *p = log; *p;) {
		size_t l = strcspn(p, "\n");
		const char *at = NULL;
		if (l >= ml && !memcmp(p, mark, ml))
			at = p + skip;
		else if (anywhere && memmem(p, l, mark, ml))
			at = l >= 7 && !memcmp(p, "zp-xl: ", 7) ? p + 7 : p;
		if (at) {
			snprintf(out, cap, "%.*s", (int)(l - (size_t)(at - p)), at);
			return true;
		}
		p += l + (p[l] == '\n');
	}
	return false;
}

/* The last line of the log holding mark. */
static void last_line_with(const char *log, const char *mark, char *out, size_t cap)
{
	out[0] = 0;
	for (const char *p = log; *p;) {
		size_t l = strcspn(p, "\n");
		if (memmem(p, l, mark, strlen(mark)))
			snprintf(out, cap, "%.*s", (int)l, p);
		p += l + (p[l] == '\n');
	}
}

void xen_domu_stop_reason(const char *dom0_log, const char *xen_log, char *out, size_t cap)
{
	char why[200], tool[200] = "", d1[160];

	out[0] = 0;
	if (!find_line(dom0_log, DOM0_ERROR, strlen(DOM0_ERROR), false, why, sizeof(why)))
		return;
	/* the toolstack's own words: libxc's "panic" (the domain builder's
	 * cause: "no loader found", ...) before libxl's error about it */
	if (!find_line(dom0_log, "panic:", 0, true, tool, sizeof(tool)) &&
	    !find_line(dom0_log, "zp-xl: xc: error: ", 7, false, tool, sizeof(tool)))
		find_line(dom0_log, "zp-xl: libxl: error: ", 7, false, tool, sizeof(tool));
	last_line_with(xen_log, "(d1)", d1, sizeof(d1));
	snprintf(out, cap, "%s%s%s%s%s%s", why, tool[0] ? "; " : "", tool,
		 d1[0] ? "; Xen: '" : "", d1, d1[0] ? "'" : "");
}
