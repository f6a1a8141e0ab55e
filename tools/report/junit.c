/* SPDX-License-Identifier: MIT */
/* junit.c - see junit.h. */
#include <stdbool.h>
#include <string.h>

#include "report/junit.h"
#include "common/utf8.h"

/* Length of the valid UTF-8 sequence at s (at most n bytes) that XML 1.0
 * allows as a character, or 0: no overlongs, surrogates, U+FFFE/U+FFFF or
 * values past U+10FFFF.  A console is bytes; the document says UTF-8. */
static size_t xml_utf8_len(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len = utf8_sequence(s, n, &cp);

	return len && cp != 0xfffe && cp != 0xffff ? len : 0;
}

void junit_xml_escape(FILE *f, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		size_t u;

		if (c >= 0x80) {	/* valid UTF-8 as is, any other byte as '?' */
			if ((u = xml_utf8_len((const unsigned char *)s + i, len - i)) != 0) {
				fwrite(s + i, 1, u, f);
				i += u - 1;
			} else {
				fputc('?', f);
			}
			continue;
		}
		switch (c) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default:
			/* XML 1.0 allows only tab, LF and CR below 0x20, not
			 * even as character references; a console has ESC etc. */
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				fputc('?', f);
			else
				fputc(c, f);
		}
	}
}

static void attr(FILE *f, const char *name, const char *v)
{
	fprintf(f, " %s=\"", name);
	junit_xml_escape(f, v ? v : "", v ? strlen(v) : 0);
	fputc('"', f);
}

/* The testcase's <properties>, when it has any with a value. */
static void write_properties(FILE *f, const struct junit_case *c)
{
	bool any = false;

	for (size_t i = 0; c->prop_names && c->prop_names[i]; i++) {
		if (!c->prop_values[i])
			continue;
		if (!any)
			fprintf(f, "      <properties>\n");
		any = true;
		fprintf(f, "        <property");
		attr(f, "name", c->prop_names[i]);
		attr(f, "value", c->prop_values[i]);
		fprintf(f, "/>\n");
	}
	if (any)
		fprintf(f, "      </properties>\n");
}

void junit_write(FILE *f, const char *suite, const struct junit_case *cases, size_t n)
{
	size_t fails = 0, skips = 0;
	double total = 0;
	for (size_t i = 0; i < n; i++) {
		fails += cases[i].status == JUNIT_FAIL;
		skips += cases[i].status == JUNIT_SKIP;
		total += cases[i].seconds > 0 ? cases[i].seconds : 0;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite");
	attr(f, "name", suite);
	fprintf(f, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" time=\"%.3f\">\n",
		n, fails, skips, total);
	for (size_t i = 0; i < n; i++) {
		const struct junit_case *c = &cases[i];
		fprintf(f, "    <testcase");
		attr(f, "classname", c->classname);
		attr(f, "name", c->name);
		fprintf(f, " time=\"%.3f\">\n", c->seconds > 0 ? c->seconds : 0);
		write_properties(f, c);
		if (c->status == JUNIT_FAIL) {
			fprintf(f, "      <failure");
			attr(f, "message", c->message);
			fprintf(f, "/>\n");
		} else if (c->status == JUNIT_SKIP) {
			fprintf(f, "      <skipped");
			attr(f, "message", c->message);
			fprintf(f, "/>\n");
		}
		if (c->output && c->output_len) {
			fprintf(f, "      <system-out>");
			junit_xml_escape(f, c->output, c->output_len);
			fprintf(f, "</system-out>\n");
		}
		fprintf(f, "    </testcase>\n");
	}
	fprintf(f, "  </testsuite>\n</testsuites>\n");
}
