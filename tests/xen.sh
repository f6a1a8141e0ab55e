#!/bin/sh
# The xen machine on the real Debian cloud kernel: Debian's Xen 4.17 under
# QEMU TCG with the kernel as dom0.  Xen's own dom0 builders (xen-pv,
# xen-pvh) must reach init with Xen's loader ID; the shim paths are started
# by Xen's PVH builder and each must either reach init or end in a specific
# verdict with the shim's line on Xen's console; the subarch handoff must
# name Xen.  A user's own initrd through the shim: the shim gives the
# kernel a console and says so, and the user's init is heard (its console
# line with a kernel that has xen_console_io, Linux 7).  Skips (saying
# why) only when Xen is not installed.
. tests/lib.shinc

if ! ls /boot/xen-*.gz >/dev/null 2>&1 && [ -z "${ZEROPAGE_XEN:-}" ]; then
	echo "skip: Xen is not installed (no /boot/xen-*.gz; scripts/install-deps.sh installs xen-hypervisor-4.17-amd64)"
	exit 0
fi
need_kernel
"$ZP" initramfs -o "$work/probe.cpio"
want_initrd=$(stat -c %s "$work/probe.cpio")
mark="zp.test=$$.xen"

rc=0
"$ZP" matrix "$kernel" --machine xen -j2 --accel tcg --append "$mark" \
	--paths xen-pv,xen-pvh,shim-64,shim-32,shim-vmlinux,shim-subarch,qemu-bios \
	--json "$work/m.json" > "$work/table" 2>"$work/err" || rc=$?
cat "$work/table"
check "no QEMU left" "$(pgrep -f "$mark" || true)" ""
check "rows" "$(jq '.results | length' "$work/m.json")" 7
row() { jq -c ".results[] | select(.path == \"$1\")" "$work/m.json"; }

check "qemu-bios on xen: not applicable" "$(row qemu-bios | jq -r .verdict)" n/a
for path in xen-pv xen-pvh; do
	r=$(row $path)
	check "$path: verdict" "$(printf "%s\n" "$r" | jq -r .verdict)" ok
	check "$path: type_of_loader (Xen's 0x90)" \
		"$(printf "%s\n" "$r" | jq -r .report.boot_params.type_of_loader)" 144
	check "$path: initrd" "$(printf "%s\n" "$r" | jq -r .report.initrd)" "$want_initrd"
	case " $(printf "%s\n" "$r" | jq -r .report.cmdline) " in
	*" $mark "*) ok "$path: /proc/cmdline has the appended string" ;;
	*) bad "$path: /proc/cmdline lacks '$mark'" ;;
	esac
	printf "%s\n" "$r" | jq -r .xen_log | grep -q '^(XEN) Xen version' &&
		ok "$path: Xen's boot messages kept in xen_log" || bad "$path: no Xen banner in xen_log"
	printf "%s\n" "$r" | jq -r .xen_log | grep -v '^(XEN)' | grep -q . &&
		bad "$path: xen_log holds a line not Xen's" || ok "$path: xen_log holds Xen's lines only"
done
check "xen-pv: hardware_subarch X86_SUBARCH_XEN" \
	"$(row xen-pv | jq -r .report.boot_params.hardware_subarch)" 2

# The shim as Xen's PVH dom0: ok, or a specific verdict - never an error
# of ours, a skip, or a silent machine.
for path in shim-64 shim-32 shim-vmlinux shim-subarch; do
	r=$(row $path)
	v=$(printf "%s\n" "$r" | jq -r .verdict)
	case $v in
	ok|panic|no-init|timeout|mismatch) ok "$path: verdict $v ($(printf "%s\n" "$r" | jq -r .reason | cut -c1-120))" ;;
	*) bad "$path: verdict $v: $(printf "%s\n" "$r" | jq -r .reason)" ;;
	esac
	if [ "$v" != ok ]; then
		printf "%s\n" "$r" | jq -r .reason | grep -q "last: '" &&
			ok "$path: the reason names how far it got" || bad "$path: reason without progress"
	fi
done
# A user's own initrd through the shim: a static /init (not the probe)
# that says a line on its console (fd 1, /dev/console when the kernel
# opened one) and another in the kernel log, then restarts.  The line
# zeropage gives the xen shim rows names no console, so the shim adds
# console=hvc0 (and, dom0's hvc0 being console_io, xen_console_io=1) and
# says so; `boot` repeats it, in text and JSON.
cat > "$work/init.c" <<'EOF_INIT'
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
int main(void)
{
	static const char con[] = "ZP-USER-INIT console " MARK "\n", log[] = "ZP-USER-INIT kmsg " MARK "\n";
	int k;

	if (write(1, con, sizeof(con) - 1) < 0) { /* no console: the kernel said why */ }
	if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL))
		mknod("/dev/kmsg", S_IFCHR | 0600, makedev(1, 11));
	k = open("/dev/kmsg", O_WRONLY);
	if (k >= 0 && write(k, log, sizeof(log) - 1) < 0) { /* nothing else to say it with */ }
	sync();
	reboot(RB_AUTOBOOT);
	return 0;
}
EOF_INIT
mkdir -p "$work/user/dev"
cc -static -Os -DMARK="\"$$\"" -o "$work/user/init" "$work/init.c" || bad "cc -static the user's init"
(cd "$work/user" && find . | cpio -o -H newc --quiet) > "$work/user.cpio"
added="console=hvc0 xen_console_io=1"	# dom0: its hvc0 is console_io (lib/shim_plan.c)
# user_boot NAME KERNEL: shim-64 on xen with the user's initrd; checks
# what the shim added and that the user's init ran.
user_boot() {
	rc=0
	"$ZP" boot "$2" --machine xen --entry 64 --accel tcg --append "$mark" \
		--initrd "$work/user.cpio" --json "$work/$1.json" > "$work/$1.out" 2>&1 || rc=$?
	check "$1: exit" $rc 0
	grep -q '^zeropage-shim: entry 64' "$work/$1.out" &&
		ok "$1: the shim's line is on Xen's console" ||
		bad "$1: no shim line on the console: $(tail -3 "$work/$1.out")"
	grep -q "^zeropage-shim: entry 64.* bytes ($added added)" "$work/$1.out" &&
		ok "$1: the shim's line says it added $added" ||
		bad "$1: the shim's line does not say '$added added'"
	check "$1: --json cmdline_added_by_shim" "$(jq -r .cmdline_added_by_shim "$work/$1.json")" "$added"
	grep -q "^zeropage boot: $added added by the shim" "$work/$1.out" &&
		ok "$1: boot says the shim added it" || bad "$1: boot does not say what the shim added"
	grep -q "Kernel command line: .*$mark $added[[:space:]]*$" "$work/$1.out" &&
		ok "$1: the kernel's command line ends with what the shim added" ||
		bad "$1: not after the line given: $(grep 'Kernel command line' "$work/$1.out")"
	grep -q "ZP-USER-INIT kmsg $$" "$work/$1.out" &&
		ok "$1: the user's init ran (its kernel-log line reached the host)" ||
		bad "$1: the user's init left no line in the kernel log"
}
# Whether a kernel knows xen_console_io (Linux 7.x): dom0 entered
# natively is no initial domain to hvc_xen without it (only Xen's PV and
# PVH entries tell the kernel so) and Xen keeps COM1, so such a kernel
# has no console for init and says so.
knows_console_io() {
	"$ZP" extract "$1" -o "$work/vmlinux.k" >/dev/null 2>&1 &&
		grep -aq parse_xen_console_io "$work/vmlinux.k"
}
user_boot user "$kernel"
if grep -q "ZP-USER-INIT console $$" "$work/user.out"; then
	ok "user: the user's init's console line reached the host"
elif knows_console_io "$kernel"; then
	bad "user: the kernel knows xen_console_io, yet the console line did not come"
else
	grep -q 'Warning: unable to open an initial console' "$work/user.out" &&
		ok "user: $(basename "$kernel") has no xen_console_io: no console for init, and the kernel says so" ||
		bad "user: the console line was lost without the kernel's warning"
fi
# The console line itself, with a kernel that has xen_console_io: the
# one in $ZEROPAGE_XEN_CONSOLE_KERNEL, else the newest in zeropage's
# cache (~/.cache/zeropage) that has it.
ck=${ZEROPAGE_XEN_CONSOLE_KERNEL:-}
if [ -z "$ck" ]; then
	for k in $(ls -r "${ZEROPAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/zeropage}"/vmlinuz-*-amd64 2>/dev/null); do
		knows_console_io "$k" && { ck=$k; break; }
	done
fi
if [ -n "$ck" ]; then
	user_boot console-io "$ck"
	grep -q "ZP-USER-INIT console $$" "$work/console-io.out" &&
		ok "console-io: $(basename "$ck"): the user's init's console line reached the host" ||
		bad "console-io: $(basename "$ck"): no console line from the user's init"
else
	echo "skip: no kernel with xen_console_io (Linux 7) in the cache or \$ZEROPAGE_XEN_CONSOLE_KERNEL: the user's console line on dom0 is not checked"
fi
r=$(row shim-subarch)
if [ "$(printf "%s\n" "$r" | jq -r .verdict)" = ok ]; then
	check "shim-subarch: hardware_subarch names Xen" \
		"$(printf "%s\n" "$r" | jq -r .report.boot_params.hardware_subarch)" 2
fi

# Bad input: a path that does not exist on the machine is a usage error.
rc=0
"$ZP" boot "$kernel" --machine pc --entry xen-pv > "$work/o" 2>&1 || rc=$?
check "xen-pv on pc: usage error" $rc 2
grep -q "run on machines xen and xen-domu only" "$work/o" && ok "xen-pv on pc: says why" || bad "xen-pv on pc: $(cat "$work/o")"
# A Xen that is not there: skipped with the reason, no hang.
rc=0
ZEROPAGE_XEN=/nonexistent/xen.gz "$ZP" boot "$kernel" --machine xen --entry xen-pv -q \
	> "$work/o" 2>&1 || rc=$?
check "missing Xen: error exit" $rc 1
grep -q "nonexistent/xen.gz" "$work/o" && ok "missing Xen: names the file" || bad "missing Xen: $(cat "$work/o")"
[ $fails -eq 0 ]
