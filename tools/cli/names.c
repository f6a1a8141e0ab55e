/* SPDX-License-Identifier: MIT */
/*
 * names.c - the names a user types for a path or a machine, listed from
 * the one table each lives in (machine/paths.c): the path lists of `boot
 * --help` and `matrix --help`, and `zeropage help --names`, which the bash
 * completion (completions/zeropage) asks at completion time.  So a path
 * added to the table is in the help, the completion and `boot --entry` at
 * once, and tests/names.sh holds the man page to the same set.
 */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "machine/bootpath.h"

#define NAMES_WIDTH	79	/* help lines fit an 80-column terminal */
#define NAMES_INDENT	16	/* where the summaries start */

/* Prints text's words from column col on, wrapping at NAMES_WIDTH to
 * NAMES_INDENT; returns the column reached. */
static int print_wrapped(FILE *f, const char *text, int col)
{
	while (*text) {
		size_t len = strcspn(text, " ");
		if (col > NAMES_INDENT && col + 1 + (int)len > NAMES_WIDTH) {
			fprintf(f, "\n%*s", NAMES_INDENT, "");
			col = NAMES_INDENT;
		} else if (col > NAMES_INDENT) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", (int)len, text);
		col += (int)len;
		text += len;
		text += strspn(text, " ");
	}
	return col;
}

void names_print_paths(FILE *f)
{
	for (int p = 0; p < BOOTPATH_COUNT; p++) {
		const struct bootpath_def *d = bootpath_def((enum bootpath)p);
		char where[64];
		size_t n = 0;

		/* a name too long for its column gets a line of its own */
		fprintf(f, "  %-*s", NAMES_INDENT - 2, d->name);
		if (strlen(d->name) + 2 >= NAMES_INDENT)
			fprintf(f, "\n%*s", NAMES_INDENT, "");
		int col = print_wrapped(f, d->summary ? d->summary : "", NAMES_INDENT);
		/* the machines, "pc,q35" as "(pc, q35)" */
		where[n++] = '(';
		for (const char *m = d->machines; *m && n + 3 < sizeof(where); m++) {
			where[n++] = *m;
			if (*m == ',')
				where[n++] = ' ';
		}
		where[n++] = ')';
		where[n] = '\0';
		/* kept whole on one line */
		if (col + 1 + (int)n > NAMES_WIDTH)
			fprintf(f, "\n%*s%s\n", NAMES_INDENT, "", where);
		else
			fprintf(f, " %s\n", where);
	}
}

int names_print(FILE *f, const char *kind)
{
	if (!strcmp(kind, "paths")) {
		for (int p = 0; p < BOOTPATH_COUNT; p++)
			fprintf(f, "%s\n", bootpath_name((enum bootpath)p));
	} else if (!strcmp(kind, "machines")) {
		for (unsigned i = 0; bootpath_machine_name(i); i++)
			fprintf(f, "%s\n", bootpath_machine_name(i));
	} else {
		return -1;
	}
	return 0;
}
