/* SPDX-License-Identifier: MIT */
/*
 * cpio_guard.c - a newc cpio stream's headers walked and bounded before
 * libarchive parses them (cpio_guard.h says why).
 */
#include <string.h>

#include "image/cpio_guard.h"

/* The fields the layout needs (offsets in the 110-byte header). */
#define NEWC_FILESIZE	54
#define NEWC_NAMESIZE	94
#define NEWC_FIELD	8

void cpio_guard_init(struct cpio_guard *g)
{
	memset(g, 0, sizeof(*g));
}

static bool is_hex(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static uint32_t hex_field(const uint8_t *p)
{
	uint32_t v = 0;
	for (unsigned i = 0; i < NEWC_FIELD; i++)
		v = v << 4 | (uint32_t)(p[i] <= '9' ? p[i] - '0' : (p[i] | 0x20) - 'a' + 10);
	return v;
}

/* A header whole in g->header: the one libarchive's find_newc_header takes
 * where it stands (magic and every byte hex), a name it may read ahead. */
static int header_done(struct cpio_guard *g, struct tool_err *err)
{
	const uint8_t *h = g->header;
	uint64_t at = g->offset - CPIO_GUARD_HEADER;

	if (memcmp(h, "07070", 5) || (h[5] != '1' && h[5] != '2')) {
		tool_err_set(err, "member %lu: no newc cpio header at payload offset %llu "
			     "(RPM writes 070701)", g->member, (unsigned long long)at);
		return -1;
	}
	for (unsigned i = 6; i < CPIO_GUARD_HEADER; i++)
		if (!is_hex(h[i])) {
			tool_err_set(err, "member %lu: cpio header at payload offset %llu has a "
				     "non-hex byte at %u", g->member, (unsigned long long)at, i);
			return -1;
		}
	uint32_t namesize = hex_field(h + NEWC_NAMESIZE);
	uint32_t filesize = hex_field(h + NEWC_FILESIZE);
	if (namesize > CPIO_GUARD_NAME_MAX) {
		tool_err_set(err, "member %lu: cpio name size 0x%.8s exceeds %u", g->member,
			     (const char *)h + NEWC_NAMESIZE, CPIO_GUARD_NAME_MAX);
		return -1;
	}
	/* After the name, padding to 4 counting the 110-byte header. */
	uint64_t name_pad = (2u - namesize) & 3u;
	uint64_t data = (uint64_t)filesize + ((0u - filesize) & 3u);
	if (namesize == sizeof(g->name)) {	/* perhaps the trailer: read it */
		g->name_want = sizeof(g->name);
		g->name_have = 0;
		g->skip = name_pad + data;
	} else {
		g->skip = namesize + name_pad + data;
	}
	return 0;
}

/* Bytes of buf taken by the step the walk is at: a header's, a short
 * name's, or those skipped; -1 on a refused header. */
static long step(struct cpio_guard *g, const uint8_t *buf, size_t len, struct tool_err *err)
{
	size_t n;

	if (g->name_want) {
		n = g->name_want - g->name_have < len ? g->name_want - g->name_have : len;
		memcpy(g->name + g->name_have, buf, n);
		g->name_have += n;
		if (g->name_have == g->name_want) {
			g->name_want = 0;
			g->ended = !memcmp(g->name, "TRAILER!!!", sizeof(g->name));
		}
	} else if (g->skip) {
		n = g->skip < len ? (size_t)g->skip : len;
		g->skip -= n;
	} else {
		if (g->have == 0)
			g->member++;
		n = CPIO_GUARD_HEADER - g->have < len ? CPIO_GUARD_HEADER - g->have : len;
		memcpy(g->header + g->have, buf, n);
		g->have += n;
	}
	g->offset += n;
	if (g->have == CPIO_GUARD_HEADER) {
		g->have = 0;
		if (header_done(g, err))
			return -1;
	}
	return (long)n;
}

int cpio_guard_check(struct cpio_guard *g, const uint8_t *buf, size_t len, struct tool_err *err)
{
	if (g->refused) {
		tool_err_set(err, "cpio stream already refused");
		return -1;
	}
	while (len && !g->ended) {
		long n = step(g, buf, len, err);
		if (n < 0) {
			g->refused = true;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}
