/* SPDX-License-Identifier: MIT */
/*
 * kcidb.h - a matrix's results as KCIDB I/O JSON (github.com/kernelci/
 * kcidb-io, schema v5.3), the format KernelCI's common results database
 * takes: `kcidb-submit` reads it as it is.
 *
 * One checkout per kernel source, one build per kernel image, one test per
 * row of the matrix:
 *   checkout  id ORIGIN:RELEASE@H, H the first 16 hex digits of the SHA-256
 *             of the kernel's version string (a bzImage and its vmlinux have
 *             the same), comment the version string; an image without one
 *             has ORIGIN:unknown@ and its file's hash
 *   build     id ORIGIN:SHA256, the image file's hash (`sha256sum`), status
 *             PASS: the image exists and could be read; architecture x86_64
 *   test      id ORIGIN:H16/boot.PATH.MACHINE (H16: the file hash's first 16
 *             digits), path boot.PATH.MACHINE, status by verdict (below),
 *             start_time, duration (wall clock: building the path's image
 *             and booting it), log_excerpt the console's tail, comment
 *             "PATH on MACHINE: VERDICT: REASON", environment the machine and
 *             accelerator, misc our own fields (verdict, reason, row, zero-
 *             page differences, KASLR cell, stage times)
 * The ids depend on nothing but the image, the path and the machine: a
 * shard or a re-run reports the same test again, and KCIDB keeps one.
 */
#ifndef ZEROPAGE_TOOLS_KCIDB_H
#define ZEROPAGE_TOOLS_KCIDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "report/matrix_rows.h"

#define KCIDB_MAJOR		5
#define KCIDB_MINOR		3
#define KCIDB_EXCERPT	16384	/* the schema's maxLength of log_excerpt */

/* The KCIDB status of a verdict:
 *   ok                                  PASS
 *   mismatch, panic, timeout, no-init   FAIL  the kernel booted (or was
 *                                             started) and did not do what
 *                                             the path must: it or its
 *                                             loader is at fault
 *   error, qemu-failed                  ERROR the test did not complete:
 *                                             zeropage or QEMU failed, the
 *                                             kernel's state is unknown
 *   skipped, n/a                        SKIP  not run: the kernel cannot
 *                                             take the path, or the path
 *                                             does not exist on the machine */
const char *kcidb_status(enum verdict v);

/* An origin KCIDB takes: [a-z0-9_]+. */
bool kcidb_origin_ok(const char *origin);

/* The ids described above, and the test's path (characters outside
 * [A-Za-z0-9_-] in a path or machine name become '_'). */
void kcidb_checkout_id(char *out, size_t cap, const char *origin,
		       const struct kernel_id *k);
void kcidb_build_id(char *out, size_t cap, const char *origin, const struct kernel_id *k);
void kcidb_test_id(char *out, size_t cap, const char *origin, const struct kernel_id *k,
		   const char *path, const char *machine);
void kcidb_test_path(char *out, size_t cap, const char *path, const char *machine);

/* The console's tail as a log excerpt: at most KCIDB_EXCERPT - 1 bytes
 * (so at most that many characters however it is escaped), starting at a
 * line when it was cut, without NUL bytes (the schema forbids them) or the
 * CRs of CR LF.  Returns the length written to out (cap > 0). */
size_t kcidb_excerpt(const char *console, size_t len, char *out, size_t cap);

/* The whole document: version, checkouts, builds, tests; `origin` checked
 * with kcidb_origin_ok beforehand. */
matrix_rows_writer kcidb_write;

#endif
