/* SPDX-License-Identifier: MIT */
/*
 * zeropage boot KERNEL: boot one kernel under QEMU through one entry path,
 * stream its console, and say whether it reached init and what it saw.
 * Exit codes (tools/commands.h): 0 reached init and stopped, 1 our error,
 * 2 usage, 3 kernel panic, 4 timeout, 5 QEMU failed, 6 stopped without
 * reaching init, 7 the probe saw other than the path was asked to give.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel.h"
#include "bootpath.h"
#include "commands.h"
#include "fileio.h"
#include "json.h"

static void boot_usage(FILE *f)
{
	fprintf(f,
		"usage: zeropage boot KERNEL [options]\n"
		"\n"
		"Boot KERNEL (a bzImage, or a vmlinux with a PVH note for qemu-pvh) under\n"
		"qemu-system-x86_64, streaming its serial console.  Without --initrd the\n"
		"probe initramfs is used and its report is printed at the end.\n"
		"\n"
		"  --entry E       qemu-bios (default: QEMU's bzImage loader), qemu-pvh (QEMU's\n"
		"                  PVH loader on the extracted vmlinux), or 64, 32, vmlinux\n"
		"                  (the PVH shim from `zeropage bundle --entry E`); on machine\n"
		"                  xen: xen-pv, xen-pvh (Xen's dom0 builders; default xen-pvh)\n"
		"                  or 64, 32, vmlinux (the shim as Xen's PVH dom0)\n"
		"  --handoff H     native (default) or subarch, for the shim entries\n"
		"  --initrd F      boot F instead of the probe initramfs\n"
		"  --append S      add S to the kernel command line (console=ttyS0 is always there)\n"
		"  --machine M     pc (default), q35, microvm, or xen (Debian's Xen under QEMU\n"
		"                  q35 with the kernel as dom0 and --mem as dom0's memory)\n"
		"  --accel A       auto (default: KVM only if it runs at hardware speed), tcg, kvm\n"
		"  --mem SIZE      guest memory, QEMU syntax (default 256M)\n"
		"  --timeout S     give up after S seconds (default 60; 240 on xen)\n"
		"  --json F        write the verdict, timings and probe report to F\n"
		"  -q, --quiet     do not copy the console to stdout\n"
		"\n"
		"exit: 0 ok, 1 error, 2 usage, 3 kernel panic, 4 timeout, 5 QEMU failed,\n"
		"      6 no init reached, 7 the probe saw other than asked\n");
}

static int in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

static void write_json(FILE *f, const char *kernel, const char *entry, const char *handoff,
		       const struct zp_boot_req *req, const struct zp_boot_outcome *o)
{
	struct json j;
	json_init(&j, f);
	json_object_begin(&j, NULL);
	json_string(&j, "kernel", kernel);
	json_string(&j, "path", zp_path_name(req->path));
	json_string(&j, "entry", entry);
	json_string(&j, "handoff", handoff);
	json_string(&j, "machine", req->machine);
	json_string(&j, "accel", req->accel);
	json_string(&j, "verdict", zp_verdict_name(o->verdict));
	json_string(&j, "reason", o->reason);
	json_string(&j, "cmdline_given", o->cmdline);
	json_object_begin(&j, "seconds");
	const double t[4] = { o->q.t_first_byte, o->q.t_banner, o->q.t_init, o->q.t_exit };
	const char *names[4] = { "first_byte", "banner", "init", "exit" };
	for (int i = 0; i < 4; i++) {
		char v[32];
		if (t[i] < 0) {
			json_null(&j, names[i]);
			continue;
		}
		snprintf(v, sizeof(v), "%.3f", t[i]);
		json_string(&j, names[i], v);
	}
	json_object_end(&j);
	if (o->has_report)
		zp_probe_json(&j, "report", o->report);
	else
		json_null(&j, "report");
	if (o->xen_log)
		json_string(&j, "xen_log", o->xen_log);
	json_object_end(&j);
	json_finish(&j);
}

int cmd_boot(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "initrd", required_argument, NULL, 'i' },
		{ "append", required_argument, NULL, 'a' },
		{ "entry", required_argument, NULL, 'e' },
		{ "handoff", required_argument, NULL, 'H' },
		{ "machine", required_argument, NULL, 'M' },
		{ "accel", required_argument, NULL, 'A' },
		{ "mem", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 't' },
		{ "json", required_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const entries[] = { "qemu-bios", "qemu-pvh", "64", "32", "vmlinux",
					       "xen-pv", "xen-pvh", NULL };
	static const char *const handoffs[] = { "native", "subarch", NULL };
	static const char *const accels[] = { "auto", "tcg", "kvm", NULL };
	const char *initrd = NULL, *append = NULL, *entry = NULL, *handoff = NULL;
	const char *machine = "pc", *accel = "auto", *mem = "256M", *json_path = NULL;
	double timeout = 0;
	int quiet = 0, c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': initrd = optarg; break;
		case 'a': append = optarg; break;
		case 'e': entry = optarg; break;
		case 'H': handoff = optarg; break;
		case 'M': machine = optarg; break;
		case 'A': accel = optarg; break;
		case 'm': mem = optarg; break;
		case 'j': json_path = optarg; break;
		case 'q': quiet = 1; break;
		case 't': {
			char *end;
			timeout = strtod(optarg, &end);
			if (*end || end == optarg || !(timeout > 0) || timeout > 86400) {
				fprintf(stderr, "zeropage boot: --timeout '%s': expected seconds in (0, 86400]\n",
					optarg);
				return ZP_EXIT_USAGE;
			}
			break;
		}
		case 'h': boot_usage(stdout); return ZP_EXIT_OK;
		default: boot_usage(stderr); return ZP_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "zeropage boot: missing KERNEL\n");
		boot_usage(stderr);
		return ZP_EXIT_USAGE;
	}
	if (optind + 1 < argc) {
		fprintf(stderr, "zeropage boot: one KERNEL expected, got '%s' too\n", argv[optind + 1]);
		return ZP_EXIT_USAGE;
	}
	if (!entry)
		entry = zp_machine_is_xen(machine) ? "xen-pvh" : "qemu-bios";
	const char *bad = !in_list(entry, entries) ? "--entry" :
			  handoff && !in_list(handoff, handoffs) ? "--handoff" :
			  !zp_machine_known(machine) ? "--machine" :
			  !in_list(accel, accels) ? "--accel" : NULL;
	if (bad) {
		fprintf(stderr, "zeropage boot: %s: unknown value (see --help)\n", bad);
		return ZP_EXIT_USAGE;
	}
	if (!zp_qemu_mem_size_ok(mem)) {
		fprintf(stderr, "zeropage boot: --mem '%s': expected a size such as 256M\n", mem);
		return ZP_EXIT_USAGE;
	}

	struct zp_boot_req req = {
		.machine = machine, .mem = mem, .append = append, .timeout_s = timeout,
		.echo = quiet ? NULL : stdout,
	};
	if (!timeout)
		timeout = zp_machine_default_timeout(machine);
	req.timeout_s = timeout;
	if (!strncmp(entry, "qemu-", 5) || !strncmp(entry, "xen-", 4)) {
		if (handoff && strcmp(handoff, "native")) {
			fprintf(stderr, "zeropage boot: --handoff %s needs a shim entry (64, 32, vmlinux)\n",
				handoff);
			return ZP_EXIT_USAGE;
		}
		zp_path_parse(entry, &req.path);
	} else {
		req.shim_entry = entry;
		req.shim_handoff = handoff ? handoff : "native";
		req.path = !strcmp(req.shim_handoff, "subarch") ? ZP_PATH_SHIM_SUBARCH :
			   !strcmp(entry, "64") ? ZP_PATH_SHIM_64 :
			   !strcmp(entry, "32") ? ZP_PATH_SHIM_32 : ZP_PATH_SHIM_VMLINUX;
	}
	if (!handoff)
		handoff = "native";
	char why[256] = "";
	if (!zp_path_applies(req.path, machine, why, sizeof(why))) {
		fprintf(stderr, "zeropage boot: --entry %s on --machine %s: %s\n", entry, machine, why);
		return ZP_EXIT_USAGE;
	}

	struct zp_bootctx ctx;
	char err[320];
	if (json_path && zp_check_writable(json_path, err, sizeof(err))) {
		fprintf(stderr, "zeropage boot: --json %s\n", err);
		return ZP_EXIT_ERROR;
	}
	zp_qemu_install_signal_handlers();
	if (zp_bootctx_init(&ctx, argv[optind], initrd, err, sizeof(err))) {
		fprintf(stderr, "zeropage boot: %s\n", err);
		return ZP_EXIT_ERROR;
	}
	if (zp_machine_is_xen(machine))
		zp_bootctx_prepare_xen(&ctx);
	if (!strcmp(accel, "auto"))
		accel = zp_accel_auto(why, sizeof(why));
	req.accel = accel;
	if (!quiet && why[0])
		fprintf(stderr, "zeropage boot: --accel auto chose %s: %s\n", accel, why);
	struct zp_boot_outcome o;
	zp_boot_run(&ctx, &req, &o);
	zp_bootctx_free(&ctx);

	if (!quiet && o.q.console_len && o.q.console[o.q.console_len - 1] != '\n')
		putchar('\n');
	if (o.has_report)
		zp_probe_print(stdout, o.report);
	printf("zeropage boot: %s via %s on %s (%s)", zp_verdict_name(o.verdict),
	       zp_path_name(req.path), machine, accel);
	if (o.q.t_first_byte >= 0)
		printf(": first byte %.2f s", o.q.t_first_byte);
	if (o.q.t_banner >= 0)
		printf(", banner %.2f s", o.q.t_banner);
	if (o.q.t_init >= 0)
		printf(", init %.2f s", o.q.t_init);
	printf("\n");
	fflush(stdout);
	if (o.verdict != ZP_VERDICT_OK)
		fprintf(stderr, "zeropage boot: %s: %s\n", zp_verdict_name(o.verdict),
			o.reason[0] ? o.reason : "(no detail)");

	int rc = zp_verdict_exit(o.verdict);
	if (json_path) {
		FILE *f = fopen(json_path, "w");
		if (!f) {
			perror(json_path);
			rc = ZP_EXIT_ERROR;
		} else {
			write_json(f, argv[optind], entry, handoff, &req, &o);
			if (fclose(f)) {
				perror(json_path);
				rc = ZP_EXIT_ERROR;
			}
		}
	}
	zp_boot_outcome_free(&o);
	return rc;
}
