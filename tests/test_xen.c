/* SPDX-License-Identifier: MIT */
/* test_xen: the xen machine's host side: Xen's console apart from dom0's,
 * why Xen stopped, the multiboot module list QEMU takes, Xen's command
 * line, and finding the Xen image. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/tool_err.h"
#include "machine/xen_machine.h"

static void test_split_console(void **state)
{
	(void)state;
	/* as QEMU's pipe gives it: CRLF, Xen's lines between dom0's, a dom0
	 * line that happens to mention (XEN) in its middle, no final newline */
	const char in[] = "(XEN) Xen version 4.17\r\n"
			  "zeropage-shim: entry 64\r\n"
			  "(XEN) d0v0 something\r\n"
			  "[    0.000000] Linux version 6.1 (XEN) x\r\n"
			  "(XEN) Hardware Dom0 shutdown: rebooting machine";
	char xen[sizeof(in)], guest[sizeof(in)];
	size_t xl, gl;

	assert_int_equal(xen_machine_split_console(in, strlen(in), xen, &xl, guest, &gl), 0);
	assert_string_equal(xen, "(XEN) Xen version 4.17\n(XEN) d0v0 something\n"
				 "(XEN) Hardware Dom0 shutdown: rebooting machine");
	assert_string_equal(guest, "zeropage-shim: entry 64\n"
				   "[    0.000000] Linux version 6.1 (XEN) x\n");
	assert_int_equal(xl, strlen(xen));
	assert_int_equal(gl, strlen(guest));

	assert_int_equal(xen_machine_split_console("", 0, xen, &xl, guest, &gl), 0);
	assert_int_equal(xl + gl, 0);
	assert_string_equal(xen, "");
}

static void test_stop_reason(void **state)
{
	(void)state;
	char why[200];

	xen_machine_stop_reason("(XEN) ****************************************\n"
			   "(XEN) Panic on CPU 0:\n"
			   "(XEN) Could not construct domain 0\n"
			   "(XEN) ****************************************\n", why, sizeof(why));
	assert_string_equal(why, "Xen panic: Could not construct domain 0");
	xen_machine_stop_reason("(XEN) Hardware Dom0 crashed: rebooting machine in 5 seconds.\n",
			   why, sizeof(why));
	assert_string_equal(why, "Xen: dom0 crashed");
	xen_machine_stop_reason("(XEN) Hardware Dom0 halted: halting machine\n", why, sizeof(why));
	assert_string_equal(why, "Xen: dom0 halted");
	xen_machine_stop_reason("(XEN) Hardware Dom0 shutdown: rebooting machine\n", why, sizeof(why));
	assert_string_equal(why, "");
	xen_machine_stop_reason("(XEN) Panic on CPU 0:", why, sizeof(why));	/* cut short */
	assert_string_equal(why, "Xen panic: ");
}

static void test_modules(void **state)
{
	(void)state;
	struct tool_err err;
	char out[256];

	assert_int_equal(xen_machine_modules("/t/k", "console=hvc0 a=1,2", "/t/i.cpio", out,
					sizeof(out), &err), 0);
	assert_string_equal(out, "/t/k console=hvc0 a=1,,2,/t/i.cpio");
	assert_int_equal(xen_machine_modules("/t/k", "", NULL, out, sizeof(out), &err), 0);
	assert_string_equal(out, "/t/k");
	assert_int_equal(xen_machine_modules("/t/my kernel", "x", NULL, out, sizeof(out), &err), -1);
	assert_non_null(strstr(err.msg, "space or a comma"));
	assert_int_equal(xen_machine_modules("/t/k", "x", "/t/a,b", out, sizeof(out), &err), -1);
	assert_int_equal(xen_machine_modules("/t/kernel", "x", NULL, out, 8, &err), -1);
	assert_non_null(strstr(err.msg, "longer than 8 bytes"));
}

static void test_cmdline(void **state)
{
	(void)state;
	char out[256];

	xen_machine_cmdline(out, sizeof(out), 256, true);
	assert_non_null(strstr(out, "console=com1 "));
	assert_non_null(strstr(out, "dom0_mem=256M,max:256M"));
	assert_non_null(strstr(out, " dom0=pvh"));
	xen_machine_cmdline(out, sizeof(out), 1024, false);
	assert_non_null(strstr(out, "dom0_mem=1024M,max:1024M"));
	assert_null(strstr(out, "dom0=pvh"));
}

/* ZEROPAGE_XEN names the image; a gzipped one is unpacked into the cache
 * once, a missing or non-ELF one is refused with the reason. */
static void test_image(void **state)
{
	(void)state;
	struct tool_err err;
	char dir[] = "/tmp/zp-test-xen.XXXXXX", path[512], out[512], cmd[1200];

	assert_non_null(mkdtemp(dir));
	setenv("ZEROPAGE_CACHE", dir, 1);

	snprintf(path, sizeof(path), "%s/missing.gz", dir);
	setenv("ZEROPAGE_XEN", path, 1);
	assert_int_equal(xen_machine_image(out, sizeof(out), &err), -1);
	assert_non_null(strstr(err.msg, "No such file"));

	snprintf(path, sizeof(path), "%s/xen-9.9.gz", dir);
	snprintf(cmd, sizeof(cmd), "printf 'not an elf' | gzip > %s", path);
	assert_int_equal(system(cmd), 0);
	setenv("ZEROPAGE_XEN", path, 1);
	assert_int_equal(xen_machine_image(out, sizeof(out), &err), -1);
	assert_non_null(strstr(err.msg, "not an ELF"));

	snprintf(cmd, sizeof(cmd), "printf '\\177ELF-fake-image' | gzip > %s", path);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(xen_machine_image(out, sizeof(out), &err), 0);
	char want[600];
	snprintf(want, sizeof(want), "%s/xen-9.9.elf", dir);
	assert_string_equal(out, want);
	FILE *f = fopen(out, "rb");
	char buf[64] = "";
	assert_non_null(f);
	assert_int_equal(fread(buf, 1, sizeof(buf), f), 15);
	fclose(f);
	assert_memory_equal(buf, "\177ELF-fake-image", 15);

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	unsetenv("ZEROPAGE_XEN");
	unsetenv("ZEROPAGE_CACHE");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_console),
		cmocka_unit_test(test_stop_reason),
		cmocka_unit_test(test_modules),
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_image),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
