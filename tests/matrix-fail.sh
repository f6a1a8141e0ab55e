#!/bin/sh
# zeropage matrix when paths fail: a panicking and a hanging kernel are
# killed and reported per path, the exit code says something failed (8),
# JUnit counts the failures, and no QEMU is left running.
. tests/lib.shinc

need_kernel

mark="zp.test=$$.mpanic"
rc=0
"$ZP" matrix "$kernel" -j2 --accel tcg --paths qemu-bios,shim-64 --machine pc \
	--append "rdinit=/nonexistent $mark" --json "$work/p.json" --junit "$work/p.xml" \
	> "$work/p.out" 2>&1 || rc=$?
check "panic: exit code" $rc 8
check "panic: verdicts" "$(jq -r '[.results[].verdict] | join(",")' "$work/p.json")" "panic,panic"
grep -q 'tests="2" failures="2"' "$work/p.xml" && ok "panic: junit counts 2 failures" ||
	bad "panic: junit: $(grep '<testsuite ' "$work/p.xml")"
grep -q '<failure message="panic: Kernel panic' "$work/p.xml" && ok "panic: junit says why" ||
	bad "panic: junit failure message"
check "panic: no QEMU left" "$(pgrep -f "$mark" || true)" ""

mark="zp.test=$$.mhang"
rc=0
"$ZP" matrix "$kernel" -j2 --accel tcg --paths qemu-bios,qemu-pvh,shim-64 --machine pc,microvm \
	--timeout 1 --append "$mark" --json "$work/h.json" > "$work/h.out" 2>&1 || rc=$?
check "hang: exit code" $rc 8
check "hang: verdicts" "$(jq -r '[.results[].verdict] | unique | join(",")' "$work/h.json")" timeout
check "hang: rows" "$(jq '.results | length' "$work/h.json")" 6
check "hang: no QEMU left" "$(pgrep -f "$mark" || true)" ""

rc=0; "$ZP" matrix "$kernel" --paths qemu-bios,bogus > /dev/null 2>&1 || rc=$?
check "unknown path: exit code" $rc 2
rc=0; "$ZP" matrix "$kernel" --machine pc,pc > /dev/null 2>&1 || rc=$?
check "repeated machine: exit code" $rc 2
rc=0; "$ZP" matrix "$kernel" -j 0 > /dev/null 2>&1 || rc=$?
check "-j 0: exit code" $rc 2

[ $fails -eq 0 ]
