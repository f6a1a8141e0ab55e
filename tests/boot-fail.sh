#!/bin/sh
# zeropage boot when things go wrong, on the real kernel under TCG: a
# kernel panic, a hang (a timeout far below the boot time), a QEMU that
# cannot start, being killed ourselves; each with its documented exit code
# (tools/commands.h) and no QEMU left running afterwards.
. tests/lib.shinc
left() { pgrep -f "$1" || true; }

need_kernel

# Panic: no init where we point rdinit= and no root device to fall back to.
mark="zp.test=$$.panic"
mkdir "$work/ptmp"
rc=0
TMPDIR=$work/ptmp "$ZP" boot "$kernel" -q --accel tcg --timeout 90 --append "rdinit=/nonexistent $mark" \
	--json "$work/panic.json" > "$work/panic.out" 2>&1 || rc=$?
check "panic: exit code" $rc 3
check "panic: verdict" "$(jq -r .verdict "$work/panic.json")" panic
grep -q "Kernel panic - not syncing" "$work/panic.out" && ok "panic: reason quoted" ||
	bad "panic: reason: $(tail -n 1 "$work/panic.out")"
check "panic: no probe report" "$(jq -r .report "$work/panic.json")" null
check "panic: no QEMU left" "$(left "$mark")" ""
check "panic: temporary directory removed" "$(ls "$work/ptmp")" ""

# Hang: the deadline comes long before init.  Once before any output,
# once in the middle of the kernel's boot.
for t in 0.3 1.5; do
	mark="zp.test=$$.hang$t"
	rc=0
	start=$(date +%s.%N)
	"$ZP" boot "$kernel" -q --accel tcg --timeout $t --append "$mark" \
		--json "$work/hang.json" > "$work/hang.out" 2>&1 || rc=$?
	took=$(echo "$(date +%s.%N) - $start" | bc)
	check "timeout $t: exit code" $rc 4
	check "timeout $t: verdict" "$(jq -r .verdict "$work/hang.json")" timeout
	check "timeout $t: no QEMU left" "$(left "$mark")" ""
	[ "$(echo "$took < $t + 3" | bc)" = 1 ] && ok "timeout $t: returned in ${took}s" ||
		bad "timeout $t: took ${took}s"
done

# QEMU that cannot start: a missing binary, and an impossible machine size.
rc=0
ZEROPAGE_QEMU=/nonexistent/qemu "$ZP" boot "$kernel" -q --accel tcg > "$work/q.out" 2>&1 || rc=$?
check "missing QEMU: exit code" $rc 5
grep -q "/nonexistent/qemu: not found" "$work/q.out" && ok "missing QEMU: says which" ||
	bad "missing QEMU: $(tail -n 1 "$work/q.out")"
rc=0
"$ZP" boot "$kernel" -q --accel tcg --mem 64T > "$work/q.out" 2>&1 || rc=$?
check "QEMU refusing: exit code" $rc 5
grep -q "qemu-failed: qemu-system-x86_64: " "$work/q.out" && ok "QEMU refusing: QEMU's own words" ||
	bad "QEMU refusing: $(tail -n 1 "$work/q.out")"

# Killed ourselves (Ctrl-C, CI cancel): QEMU goes with us.
mark="zp.test=$$.killed"
mkdir "$work/tmp"
TMPDIR=$work/tmp "$ZP" boot "$kernel" -q --accel tcg --timeout 90 --append "$mark" > /dev/null 2>&1 &
zp=$!
i=0
while [ -z "$(left "$mark")" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ -n "$(left "$mark")" ] && ok "killed: QEMU was running" || bad "killed: QEMU never started"
kill -TERM $zp
rc=0; wait $zp 2>/dev/null || rc=$?
check "killed: zeropage died of SIGTERM" $rc 143
sleep 0.2
check "killed: no QEMU left" "$(left "$mark")" ""
check "killed: temporary directory removed" "$(ls "$work/tmp")" ""

# Our own errors and usage errors: 1 and 2, with a specific message.
rc=0; "$ZP" boot /etc/passwd -q > "$work/e.out" 2>&1 || rc=$?
check "not a kernel: exit code" $rc 1
grep -q "not a bzImage or ELF kernel" "$work/e.out" && ok "not a kernel: says so" ||
	bad "not a kernel: $(cat "$work/e.out")"
rc=0; "$ZP" boot /nonexistent -q > "$work/e.out" 2>&1 || rc=$?
check "missing kernel: exit code" $rc 1
rc=0; "$ZP" boot "$kernel" --entry 16 > /dev/null 2>&1 || rc=$?
check "bad --entry: exit code" $rc 2
rc=0; "$ZP" boot "$kernel" --entry qemu-bios --handoff subarch > /dev/null 2>&1 || rc=$?
check "--handoff on a QEMU path: exit code" $rc 2
rc=0; "$ZP" boot "$kernel" --timeout -1 > /dev/null 2>&1 || rc=$?
check "bad --timeout: exit code" $rc 2
rc=0; "$ZP" boot > /dev/null 2>&1 || rc=$?
check "no KERNEL: exit code" $rc 2

[ $fails -eq 0 ]
