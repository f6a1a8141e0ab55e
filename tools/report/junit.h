/* SPDX-License-Identifier: MIT */
/*
 * junit.h - JUnit XML, the test-report format CI systems (GitLab, Jenkins,
 * GitHub actions) import: one <testsuite> of <testcase>s, each passed,
 * failed (<failure>) or skipped (<skipped>).
 */
#ifndef ZEROPAGE_TOOLS_JUNIT_H
#define ZEROPAGE_TOOLS_JUNIT_H

#include <stddef.h>
#include <stdio.h>

enum junit_status { JUNIT_PASS, JUNIT_FAIL, JUNIT_SKIP };

struct junit_case {
	const char *classname;	/* e.g. "matrix.pc" */
	const char *name;	/* e.g. "shim-64" */
	double seconds;
	enum junit_status status;
	const char *message;	/* failure/skip message, may be NULL */
	const char *output;	/* <system-out> (console tail), may be NULL */
	/* <properties> of the testcase (as JUnit's testsuite has them):
	 * name/value pairs, the names NULL past the last; may be NULL */
	const char *const *prop_names, *const *prop_values;
	size_t output_len;
};

/* Writes the whole document. */
void junit_write(FILE *f, const char *suite, const struct junit_case *cases, size_t n);

/* s[0..len) as XML character data / attribute text: &<>"' escaped, and
 * characters XML 1.0 forbids (most C0 controls, bytes that are not UTF-8,
 * U+FFFE/U+FFFF) written as '?'. */
void junit_xml_escape(FILE *f, const char *s, size_t len);

#endif
