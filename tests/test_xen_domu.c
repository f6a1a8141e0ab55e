/* SPDX-License-Identifier: MIT */
/* test_xen_domu: the xen-domu machine's host side: its console split three
 * ways (Xen, the toolstack dom0, the domU), the toolstack's reason for a
 * failed row, the xl config, and the DT_NEEDED reader the dom0 initramfs
 * is made with.  The transcript lines are what the machine printed under
 * QEMU TCG (Xen 4.17, Debian 6.1 dom0 and domU). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fileio.h"
#include "image/elf_needed.h"
#include "machine/xen_domu.h"

static const char transcript[] =
	"(XEN) Xen version 4.17.7 (Debian 4.17.7+13-g2445b30a44-0+deb12u1)\r\n"
	"zp-dom0: toolstack up\n"
	"zp-dom0: d1: xl create\n"
	"zp-d1: [    0.000000] Linux version 6.1.0-57-cloud-amd64\r\n"
	"zp-d10: not ours\n"
	"(d1) zeropage-shim: entry 64\n"
	"(dx) not Xen's\n"
	"zp-d1: ZEROPAGE-PROBE v=1 cmdline=00\r\n"
	"zp-xl: Parsing config from /etc/zp/d1.cfg\n"
	"[  108.005548] reboot: Restarting system\n"
	"(XEN) Hardware Dom0 shutdown: rebooting machine";

static void split(const char *in, char **x, char **d, char **u)
{
	size_t n = strlen(in), xl, dl, ul;
	*x = malloc(n + 1);
	*d = malloc(n + 1);
	*u = malloc(n + 1);
	assert_non_null(*x);
	assert_non_null(*d);
	assert_non_null(*u);
	xen_domu_split_console(in, n, "d1", *x, &xl, *d, &dl, *u, &ul);
	assert_int_equal(xl, strlen(*x));
	assert_int_equal(dl, strlen(*d));
	assert_int_equal(ul, strlen(*u));
}

static void test_split(void **state)
{
	(void)state;
	char *x, *d, *u;
	split(transcript, &x, &d, &u);
	/* Xen's, and what Xen printed for the domU's debug port */
	assert_string_equal(x, "(XEN) Xen version 4.17.7 (Debian 4.17.7+13-g2445b30a44-0+deb12u1)\n"
			       "(d1) zeropage-shim: entry 64\n"
			       "(XEN) Hardware Dom0 shutdown: rebooting machine");
	/* the domU's lines without their prefix and CRs: the probe line whole */
	assert_string_equal(u, "[    0.000000] Linux version 6.1.0-57-cloud-amd64\n"
			       "ZEROPAGE-PROBE v=1 cmdline=00\n");
	/* another domU's lines ("zp-d10:", not "zp-d1: ") are not this one's */
	assert_string_equal(d, "zp-dom0: toolstack up\nzp-dom0: d1: xl create\nzp-d10: not ours\n"
			       "(dx) not Xen's\n"
			       "zp-xl: Parsing config from /etc/zp/d1.cfg\n"
			       "[  108.005548] reboot: Restarting system\n");
	free(x);
	free(d);
	free(u);
	/* nothing, and a prefix alone */
	split("", &x, &d, &u);
	assert_string_equal(x, "");
	free(x);
	free(d);
	free(u);
	split("zp-d1: ", &x, &d, &u);
	assert_string_equal(u, "");
	assert_string_equal(d, "");
	free(x);
	free(d);
	free(u);
}

static void test_stop_reason(void **state)
{
	(void)state;
	char why[300];

	/* all went well: no reason */
	xen_domu_stop_reason("zp-dom0: toolstack up\nzp-dom0: d1: done\n", "", why, sizeof(why));
	assert_string_equal(why, "");
	/* xl refused the kernel: our line, then libxc's panic (the cause) */
	xen_domu_stop_reason("zp-xl: Parsing config from /etc/zp/d1.cfg\n"
			     "zp-xl: xc: error: panic: xc_dom_core.c:702: xc_dom_find_loader: "
			     "no loader found: Invalid kernel\n"
			     "zp-xl: libxl: error: libxl_dom.c:586:libxl__build_dom: xc_dom_parse_image "
			     "failed\n"
			     "zp-dom0: error: xl create d1: libxl: error: ...\n", "", why, sizeof(why));
	assert_string_equal(why, "xl create d1: libxl: error: ...; xc: error: panic: xc_dom_core.c:702: "
				 "xc_dom_find_loader: no loader found: Invalid kernel");
	/* libxl's error when libxc said nothing */
	xen_domu_stop_reason("zp-xl: libxl: error: libxl_create.c:1: bad\n"
			     "zp-dom0: error: xl create d1: failed\n", "", why, sizeof(why));
	assert_string_equal(why, "xl create d1: failed; libxl: error: libxl_create.c:1: bad");
	/* libxc's panic alone, its "zp-xl: " dropped */
	xen_domu_stop_reason("zp-xl: xc: error: panic: xc_dom_boot.c:1: bad\n"
			     "zp-dom0: error: xl create d1: failed\n", "", why, sizeof(why));
	assert_string_equal(why, "xl create d1: failed; xc: error: panic: xc_dom_boot.c:1: bad");
	/* a crashed domU, with its last words to Xen */
	xen_domu_stop_reason("zp-dom0: error: d1 crashed\n",
			     "(XEN) (d1) first\n(XEN) (d1) Kernel panic - not syncing: x\n",
			     why, sizeof(why));
	assert_string_equal(why, "d1 crashed; Xen: '(XEN) (d1) Kernel panic - not syncing: x'");
	/* cut to the room given, terminated */
	char small[8];
	xen_domu_stop_reason("zp-dom0: error: a long reason\n", "", small, sizeof(small));
	assert_string_equal(small, "a long ");
}

static void test_config(void **state)
{
	(void)state;
	char cfg[1024], tiny[16];
	struct tool_err err;

	assert_int_equal(xen_domu_config(cfg, sizeof(cfg), "d1", false, "console=hvc0 x=1", 256,
					 &err), 0);
	assert_non_null(strstr(cfg, "type = \"pvh\"\n"));
	assert_non_null(strstr(cfg, "kernel = \"/etc/zp/d1-kernel\"\n"));
	assert_non_null(strstr(cfg, "cmdline = \"console=hvc0 x=1\"\n"));
	assert_non_null(strstr(cfg, "memory = 256\n"));
	assert_non_null(strstr(cfg, "on_crash = \"destroy\"\n"));
	assert_int_equal(xen_domu_config(cfg, sizeof(cfg), "d1", true, "", 64, &err), 0);
	assert_non_null(strstr(cfg, "type = \"pv\"\n"));
	/* what xl could not read back is refused, saying why */
	assert_int_equal(xen_domu_config(cfg, sizeof(cfg), "d1", false, "a=\"b\"", 256, &err), -1);
	assert_non_null(strstr(err.msg, "cannot take"));
	assert_int_equal(xen_domu_config(tiny, sizeof(tiny), "d1", false, "", 256, &err), -1);
	assert_non_null(strstr(err.msg, "longer than"));
}

/* This test program itself: a dynamically linked x86-64 ELF (cmocka, libc). */
static void test_elf_needed_self(void **state)
{
	(void)state;
	uint8_t *data;
	size_t len;
	struct tool_err err;
	struct elf_needed *need = malloc(sizeof(*need));
	bool libc = false;

	assert_non_null(need);
	assert_int_equal(fileio_read_all("/proc/self/exe", &data, &len, &err), 0);
	assert_int_equal(elf_needed_read(data, len, need, &err), 0);
	assert_true(need->interp[0] == '/');
	for (unsigned i = 0; i < need->count; i++)
		libc |= !strcmp(need->names[i], "libc.so.6");
	assert_true(libc);
	/* damaged: the program headers cut off, then not an ELF at all */
	assert_int_equal(elf_needed_read(data, 80, need, &err), -1);
	assert_non_null(strstr(err.msg, "outside the file"));
	data[1] = 'X';
	assert_int_equal(elf_needed_read(data, len, need, &err), -1);
	assert_string_equal(err.msg, "not an x86-64 ELF64 file");
	assert_int_equal(elf_needed_read(data, 3, need, &err), -1);
	free(data);
	free(need);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_stop_reason),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_elf_needed_self),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
