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
#include <unistd.h>

#include "cli/kernel_arg.h"
#include "common/clock.h"
#include "common/tool_err.h"
#include "machine/accel.h"
#include "machine/bootpath.h"
#include "machine/process.h"
#include "cli/commands.h"
#include "common/fileio.h"
#include "common/safe_text.h"
#include "common/json.h"
#include "report/kernel_id.h"
#include "report/zeropage_across.h"

static void boot_usage(FILE *f)
{
	fprintf(f,
		"usage: zeropage boot KERNEL [options]\n"
		"\n"
		"Boot KERNEL (a bzImage, or a vmlinux with a PVH note for qemu-pvh) under\n"
		"qemu-system-x86_64, streaming its serial console.  Without --initrd the\n"
		"probe initramfs is used and its report is printed at the end.  KERNEL may\n"
		"be a UKI: ovmf boots it whole (its own .initrd, its .cmdline then ours),\n"
		"every other entry its parts (.linux, the probe, its .cmdline then ours).\n"
		"KERNEL may be a .deb or .rpm package holding a kernel.\n"
		"\n"
		"  --entry PATH    the path to boot through, one of the paths below (default\n"
		"                  qemu-bios; on machine xen xen-pvh)\n"
		"  --handoff H     native or subarch: the shim's handoff (a shim path with\n"
		"                  subarch is shim-subarch with that path's entry)\n"
		"  --initrd F      boot F instead of the probe initramfs\n"
		"  --append S      add S to the kernel command line (console=ttyS0 is always there;\n"
		"                  on xen and xen-domu console=hvc0, which the shim entries leave to\n"
		"                  the shim)\n"
		"  --machine M     pc (default), q35, microvm, xen (Debian's Xen under QEMU\n"
		"                  q35 with the kernel as dom0 and --mem as dom0's memory), or\n"
		"                  xen-domu (the same Xen, the kernel as a domU of --mem that\n"
		"                  `xl create` builds in a toolstack dom0)\n"
		"  --dom0 KERNEL   xen-domu: dom0's kernel, built with CONFIG_XEN_DOM0 (default:\n"
		"                  the newest generic vmlinuz-*-amd64 in the cache, its Xen\n"
		"                  modules from modules-VERSION beside it); a .deb or .rpm\n"
		"                  gives its kernel and the Xen modules in it\n"
		"  --accel A       auto (default: KVM only if it runs at hardware speed), tcg, kvm\n"
		"  --mem SIZE      guest memory, QEMU syntax (default 256M; 512M on grub-efi);\n"
		"                  less than the kernel starts in (where it runs + init_size +\n"
		"                  the initrd) is an error that says how much\n"
		"  --timeout S     give up after S seconds (default 60; 240 on xen, 480 on\n"
		"                  xen-domu)\n"
		"  --json F        write the verdict, timings and probe report to F\n"
		"  -q, --quiet     do not copy the console to stdout\n"
		"  --kernel-version V  the package's kernel V, where it holds several\n"
		"\n"
		"paths, with the machines each exists on (`matrix` boots them all):\n");
	names_print_paths(f);
	fprintf(f,
		"On machine xen the shim paths are started by Xen's PVH dom0 builder.\n"
		"\n"
		"exit: 0 ok (or started: an image that is not Linux ran), 1 error, 2 usage,\n"
		"      3 kernel panic, 4 timeout, 5 QEMU failed, 6 no init reached, 7 the\n"
		"      probe saw other than asked; 128 + the signal when stopped (Ctrl-C: 130),\n"
		"      the boot reported as an error that says so\n");
}

static int in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

/* The shim's line ("zeropage-shim: entry ..., start_info vN ...") from
 * the console or the logs, as matrix --json keeps it: what `report
 * --across` reads the start_info from. */
static void shim_line_json(struct json *j, const struct bootpath_outcome *o)
{
	const char *where[] = { o->q.console, o->xen_log, o->dom0_log };
	size_t len[] = { o->q.console_len, o->xen_log ? strlen(o->xen_log) : 0,
			 o->dom0_log ? strlen(o->dom0_log) : 0 };
	char line[ACROSS_SHIM_LINE];

	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++)
		if (where[i] && across_shim_line(where[i], len[i], line, sizeof(line))) {
			json_string(j, "shim_line", line);
			return;
		}
}

static void write_json(FILE *f, const char *kernel, const struct kernel_id *kid,
		       const char *entry, const char *handoff,
		       const struct bootpath_req *req, const struct bootpath_outcome *o)
{
	struct json j;
	json_init(&j, f);
	json_object_begin(&j, NULL);
	json_string(&j, "kernel", kernel);
	if (kid->sha256[0]) {	/* what names the kernel across files (report --across) */
		json_string(&j, "kernel_sha256", kid->sha256);
		json_string(&j, "kernel_version", kid->version);
	}
	json_string(&j, "path", bootpath_name(req->path));
	json_string(&j, "entry", entry);
	json_string(&j, "handoff", handoff);
	json_string(&j, "machine", req->machine);
	json_string(&j, "accel", req->accel);
	json_string(&j, "verdict", verdict_name(o->verdict));
	json_string(&j, "reason", o->reason);
	json_string(&j, "cmdline_given", o->cmdline);
	/* "entry" is the --entry asked for; the kernel's own entry: */
	json_string(&j, "kernel_entry", boot_entry_name(o->entry));
	json_string(&j, "kernel_entry_why", o->entry_why);
	json_object_begin(&j, "seconds");
	/* image_output: an image that is not Linux, its own first output */
	const double t[5] = { o->q.t_first_byte, o->q.t_banner, o->q.t_init, o->q.t_exit,
			      o->q.t_image };
	const char *names[5] = { "first_byte", "banner", "init", "exit", "image_output" };
	for (int i = 0; i < 5; i++) {
		char v[32];
		if (t[i] < 0) {
			json_null(&j, names[i]);
			continue;
		}
		snprintf(v, sizeof(v), "%.3f", t[i]);
		json_string(&j, names[i], v);
	}
	json_object_end(&j);
	kaslr_seen_json(&j, o->has_report ? o->report : NULL, &o->link);
	if (o->has_report)
		guest_report_json(&j, "report", o->report);
	else
		json_null(&j, "report");
	if (o->xen_log)
		json_string(&j, "xen_log", o->xen_log);
	if (o->shim_added[0])	/* not in cmdline_given: the shim's own addition */
		json_string(&j, "cmdline_added_by_shim", o->shim_added);
	if (o->dom0_log)
		json_string(&j, "dom0_log", o->dom0_log);
	shim_line_json(&j, o);
	json_object_end(&j);
	json_finish(&j);
}

/* What the command line asked for. */
struct boot_opts {
	const char *kernel, *initrd, *append, *entry, *handoff, *machine, *accel, *mem, *dom0;
	const char *json_path;
	const char *kernel_version;	/* a package's kernel */
	struct kernel_id kid;	/* the image booted; sha256 "" when unreadable as one */
	FILE *text;		/* the console and the verdict: stderr when the JSON is stdout */
	double timeout;		/* 0: the machine's default */
	int quiet;
};

#define HELP_SHOWN	(-1)

/* Options into b; 0, HELP_SHOWN, or CLI_EXIT_USAGE. */
static int parse_options(int argc, char **argv, struct boot_opts *b)
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
		{ "dom0", required_argument, NULL, 'D' },
		{ "json", required_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "kernel-version", required_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	char *end;

	optind = 0;
	while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': b->initrd = optarg; break;
		case 'a': b->append = optarg; break;
		case 'e': b->entry = optarg; break;
		case 'H': b->handoff = optarg; break;
		case 'M': b->machine = optarg; break;
		case 'A': b->accel = optarg; break;
		case 'm': b->mem = optarg; break;
		case 'D': b->dom0 = optarg; break;
		case 'j': b->json_path = optarg; break;
		case 'q': b->quiet = 1; break;
		case 'V': b->kernel_version = optarg; break;
		case 't':
			b->timeout = strtod(optarg, &end);
			if (*end || end == optarg || !(b->timeout > 0) || b->timeout > 86400) {
				tool_error("--timeout '%s': expected seconds in (0, 86400]",
					optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'h': boot_usage(stdout); return HELP_SHOWN;
		default: boot_usage(stderr); return CLI_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		tool_error("missing KERNEL");
		boot_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (optind + 1 < argc) {
		tool_error("one KERNEL expected, got '%s' too", argv[optind + 1]);
		return CLI_EXIT_USAGE;
	}
	b->kernel = argv[optind];
	return 0;
}

/* The shim path that boots `bundle --entry ENTRY --handoff HANDOFF`: the
 * table's path of that entry and handoff, else its path of that handoff
 * (shim-subarch, whose entry the request then overrides); -1 if none. */
static int shim_path_for(const char *entry, const char *handoff)
{
	int any = -1;

	for (int p = 0; p < BOOTPATH_COUNT; p++) {
		const struct bootpath_def *d = bootpath_def((enum bootpath)p);
		if (!d->shim_entry || strcmp(d->shim_handoff, handoff))
			continue;
		if (!strcmp(d->shim_entry, entry))
			return p;
		if (any < 0)
			any = p;
	}
	return any;
}

/* --entry and --handoff into req->path (and the shim's entry and handoff):
 * 0, or CLI_EXIT_USAGE with the reason.  An entry is a path's name; the
 * older names 64, 32 and vmlinux (the shim's own, as `bundle --entry`
 * takes them) still name shim-64, shim-32 and shim-vmlinux. */
static int entry_request(struct boot_opts *b, struct bootpath_req *req)
{
	static const char *const older_shim_entries[] = { "64", "32", "vmlinux", NULL };
	static const char *const handoffs[] = { "native", "subarch", NULL };
	enum bootpath named;
	const struct bootpath_def *d = NULL;

	if (!bootpath_parse(b->entry, &named))
		d = bootpath_def(named);
	else if (!in_list(b->entry, older_shim_entries)) {
		tool_error("--entry %s: not a path (zeropage help --names paths lists them)",
			   b->entry);
		return CLI_EXIT_USAGE;
	}
	if (b->handoff && !in_list(b->handoff, handoffs)) {
		tool_error("--handoff %s: expected native or subarch", b->handoff);
		return CLI_EXIT_USAGE;
	}
	if (d && !d->shim_entry) {
		if (b->handoff && strcmp(b->handoff, "native")) {
			tool_error("--handoff %s needs a shim path", b->handoff);
			return CLI_EXIT_USAGE;
		}
		req->path = named;
		return 0;
	}
	const char *entry = d ? d->shim_entry : b->entry;
	const char *handoff = b->handoff ? b->handoff : d ? d->shim_handoff : "native";
	if (d && !strcmp(d->shim_handoff, "subarch") && strcmp(handoff, "subarch")) {
		tool_error("--entry %s is the subarch handoff, not --handoff %s", b->entry,
			   handoff);
		return CLI_EXIT_USAGE;
	}
	int p = shim_path_for(entry, handoff);
	if (p < 0) {
		tool_error("--entry %s --handoff %s: no such shim path", b->entry, handoff);
		return CLI_EXIT_USAGE;
	}
	req->path = (enum bootpath)p;
	req->shim_entry = entry;
	req->shim_handoff = handoff;
	return 0;
}

/* The request the options name: 0, or CLI_EXIT_USAGE with the reason. */
static int make_request(struct boot_opts *b, struct bootpath_req *req)
{
	static const char *const accels[] = { "auto", "tcg", "kvm", NULL };
	char why[256];
	int rc;

	if (!b->entry)
		b->entry = bootpath_machine_is_xen(b->machine) ? "xen-pvh" : "qemu-bios";
	if (!bootpath_machine_known(b->machine) || !in_list(b->accel, accels)) {
		tool_error("%s: unknown value (see --help)",
			   !bootpath_machine_known(b->machine) ? "--machine" : "--accel");
		return CLI_EXIT_USAGE;
	}
	if (b->mem && !qemu_mem_size_ok(b->mem)) {
		tool_error("--mem '%s': expected a size such as 256M", b->mem);
		return CLI_EXIT_USAGE;
	}
	*req = (struct bootpath_req){
		.machine = b->machine, .mem = b->mem, .append = b->append, .dom0 = b->dom0,
		.timeout_s = b->timeout ? b->timeout : bootpath_machine_default_timeout(b->machine),
		.echo = b->quiet ? NULL : b->text,
	};
	if ((rc = entry_request(b, req)))
		return rc;
	if (!b->handoff)
		b->handoff = req->shim_handoff ? req->shim_handoff : "native";
	if (!bootpath_applies(req->path, b->machine, why, sizeof(why))) {
		tool_error("--entry %s on --machine %s: %s", b->entry,
			b->machine, why);
		return CLI_EXIT_USAGE;
	}
	if (b->dom0 && !bootpath_machine_is_xen_domu(b->machine)) {
		tool_error("--dom0 is for --machine xen-domu");
		return CLI_EXIT_USAGE;
	}
	return 0;
}

/* The report, the verdict line and the JSON; returns the exit code. */
/* The exit code for how the boot ended (zeropage(1)): decided here, in
 * cli/, not by the machine that ran it. */
static int verdict_exit(enum verdict v)
{
	switch (v) {
	case VERDICT_OK:
	case VERDICT_STARTED: return CLI_EXIT_OK;	/* all a non-Linux image shows */
	case VERDICT_PANIC: return CLI_EXIT_PANIC;
	case VERDICT_TIMEOUT: return CLI_EXIT_TIMEOUT;
	case VERDICT_QEMU: return CLI_EXIT_QEMU;
	case VERDICT_NOINIT: return CLI_EXIT_NOINIT;
	case VERDICT_MISMATCH: return CLI_EXIT_MISMATCH;
	case VERDICT_SKIPPED:
	case VERDICT_NA:
	case VERDICT_ERROR: return CLI_EXIT_ERROR;
	}
	return CLI_EXIT_ERROR;
}

static int report(const struct boot_opts *b, const struct bootpath_req *req,
		  const struct bootpath_outcome *o)
{
	int rc = verdict_exit(o->verdict);

	if (!b->quiet && o->q.console_len && o->q.console[o->q.console_len - 1] != '\n')
		fputc('\n', b->text);
	if (o->has_report) {
		guest_report_print(b->text, o->report);
		kaslr_seen_print(b->text, o->report, &o->link);
	}
	if (o->shim_added[0])
		fprintf(b->text, "zeropage boot: %s added by the shim (the command line named no "
			"console)\n", o->shim_added);
	fprintf(b->text, "zeropage boot: %s via %s on %s (%s)", verdict_name(o->verdict),
		bootpath_name(req->path), req->machine, req->accel);
	if (o->q.t_first_byte >= 0)
		fprintf(b->text, ": first byte %.2f s", o->q.t_first_byte);
	if (o->q.t_banner >= 0)
		fprintf(b->text, ", banner %.2f s", o->q.t_banner);
	if (o->q.t_init >= 0)
		fprintf(b->text, ", init %.2f s", o->q.t_init);
	if (o->q.t_image >= 0)
		fprintf(b->text, ", the image's own output %.2f s", o->q.t_image);
	fputc('\n', b->text);
	if (o->entry != BOOT_ENTRY_NONE)
		safe_text_printf(b->text, "kernel entry: %s (%s)\n", boot_entry_name(o->entry),
				 o->entry_why);
	fflush(b->text);
	if (o->verdict != VERDICT_OK)
		tool_error("%s: %s", verdict_name(o->verdict),
			       o->reason[0] ? o->reason : "(no detail)");	/* the guest's words */
	if (!b->json_path)
		return rc;
	struct fileio_atomic af;
	struct tool_err err;
	FILE *f = fileio_atomic_fopen(b->json_path, 0666, &af, &err);
	if (f) {
		/* "entry": the shim's bundle entry ("64") whichever name
		 * asked for it, else the path */
		write_json(f, b->kernel, &b->kid, req->shim_entry ? req->shim_entry : b->entry,
			   b->handoff, req, o);
		if (fileio_atomic_fclose(f, &af, b->json_path, &err) == 0)
			return rc;
	}
	tool_error("--json %s", err.msg);
	return CLI_EXIT_ERROR;
}

int cmd_boot(int argc, char **argv)
{
	struct boot_opts b = { .machine = "pc", .accel = "auto" };	/* .mem: bootpath_mem */
	struct bootpath_req req;
	struct bootctx ctx;
	struct bootpath_outcome o;
	struct tool_err err;
	char why[256] = "", mem[32], note[256];
	int rc = parse_options(argc, argv, &b);

	if (rc)
		return rc == HELP_SHOWN ? CLI_EXIT_OK : rc;
	b.text = b.json_path && fileio_output_fd(b.json_path) == STDOUT_FILENO ? stderr : stdout;
	if ((rc = make_request(&b, &req)))
		return rc;
	const struct fileio_named_path inputs[] = {
		{ "KERNEL", b.kernel }, { "--initrd", b.initrd }
	};
	if (b.json_path && fileio_check_writable(b.json_path, &err)) {
		tool_error("--json %s", err.msg);
		return CLI_EXIT_ERROR;
	}
	if (b.json_path &&
	    fileio_check_output_not_input("--json", b.json_path, inputs, 2, &err)) {
		tool_error("%s", err.msg);
		return CLI_EXIT_ERROR;
	}
	/* Ctrl-C: the boot ends as an error that says so, reported and in
	 * --json, exit 128 + the signal; a second one ends us at once */
	process_install_interrupt_handlers();
	struct kernel_arg k;	/* a package: the kernel in it */
	if (kernel_arg_open(&k, b.kernel, b.kernel_version, &err)) {
		tool_error("%s", err.msg);
		return CLI_EXIT_ERROR;
	}
	kernel_arg_say(&k, false);
	if (b.json_path && kernel_id_read(k.path, &b.kid, &err))
		b.kid.sha256[0] = 0;	/* a UKI, say: the JSON goes without it */
	struct kernel_arg dom0;	/* a package: its kernel and Xen modules */
	if (kernel_arg_open_dom0(&dom0, b.dom0, b.quiet, &err)) {
		tool_error("%s", err.msg);
		kernel_arg_close(&k);
		return CLI_EXIT_ERROR;
	}
	req.dom0 = dom0.path;
	if (bootctx_init(&ctx, k.path, b.initrd, &err)) {
		kernel_arg_name_in(&k, &err);
		tool_error("%s", err.msg);	/* may name a UKI's sections */
		kernel_arg_close(&dom0);
		kernel_arg_close(&k);
		return CLI_EXIT_ERROR;
	}
	if (bootpath_machine_is_xen(b.machine))
		bootctx_prepare_xen(&ctx);
	req.accel = strcmp(b.accel, "auto") ? b.accel : accel_auto(why, sizeof(why));
	if (!b.quiet && why[0])
		tool_error("--accel auto chose %s: %s", req.accel, why);
	bootpath_mem(&req, mem, sizeof(mem), note, sizeof(note));
	if (note[0])
		tool_error("%s", note);
	double t0 = clock_mono_s();
	bootpath_run(&ctx, &req, &o);
	int sig = bootpath_mark_stopped(&o, clock_mono_s() - t0);
	bootctx_free(&ctx);
	kernel_arg_close(&dom0);
	kernel_arg_close(&k);
	rc = report(&b, &req, &o);
	bootpath_outcome_free(&o);
	return sig ? 128 + sig : rc;	/* as a shell reports a command the signal ended */
}
