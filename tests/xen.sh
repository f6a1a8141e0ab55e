#!/bin/sh
# The xen machine on the real Debian cloud kernel: Debian's Xen 4.17 under
# QEMU TCG with the kernel as dom0.  Xen's own dom0 builders (xen-pv,
# xen-pvh) must reach init with Xen's loader ID; the shim paths are started
# by Xen's PVH builder and each must either reach init or end in a specific
# verdict with the shim's line on Xen's console; the subarch handoff must
# name Xen.  Skips (saying why) only when Xen is not installed.
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
# the shim's line reaches Xen's console: boot one and read the console
"$ZP" boot "$kernel" --machine xen --entry 64 --accel tcg --append "$mark" \
	> "$work/shim64.out" 2>&1 || true
grep -q '^zeropage-shim: entry 64' "$work/shim64.out" &&
	ok "shim-64 on xen: the shim's line is on Xen's console" ||
	bad "shim-64 on xen: no shim line on the console: $(tail -3 "$work/shim64.out")"
r=$(row shim-subarch)
if [ "$(printf "%s\n" "$r" | jq -r .verdict)" = ok ]; then
	check "shim-subarch: hardware_subarch names Xen" \
		"$(printf "%s\n" "$r" | jq -r .report.boot_params.hardware_subarch)" 2
fi

# Bad input: a path that does not exist on the machine is a usage error.
rc=0
"$ZP" boot "$kernel" --machine pc --entry xen-pv > "$work/o" 2>&1 || rc=$?
check "xen-pv on pc: usage error" $rc 2
grep -q "run on machine xen only" "$work/o" && ok "xen-pv on pc: says why" || bad "xen-pv on pc: $(cat "$work/o")"
# A Xen that is not there: skipped with the reason, no hang.
rc=0
ZEROPAGE_XEN=/nonexistent/xen.gz "$ZP" boot "$kernel" --machine xen --entry xen-pv -q \
	> "$work/o" 2>&1 || rc=$?
check "missing Xen: error exit" $rc 1
grep -q "nonexistent/xen.gz" "$work/o" && ok "missing Xen: names the file" || bad "missing Xen: $(cat "$work/o")"
[ $fails -eq 0 ]
