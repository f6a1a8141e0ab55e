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

# A failing path's console goes into <system-out>; a console is bytes, not
# UTF-8 (line noise, a cut multi-byte character, U+FFFF): the XML must
# still be well-formed.  The QEMU here prints such bytes and exits 0.
printf '#!/bin/sh\nprintf "noise \\377\\376 cut \\303 nonchar \\357\\277\\277 end\\n"\n' > "$work/noisy-qemu"
chmod +x "$work/noisy-qemu"
rc=0
ZEROPAGE_QEMU=$work/noisy-qemu "$ZP" matrix "$kernel" --paths qemu-bios --machine pc --accel tcg \
	--junit "$work/n.xml" > /dev/null 2>&1 || rc=$?
check "noisy console: exit code" $rc 8
grep -q 'noise ' "$work/n.xml" && ok "noisy console: in <system-out>" || bad "noisy console: not in the junit"
if command -v xmllint > /dev/null; then
	xmllint --noout "$work/n.xml" 2> "$work/n.err" && ok "noisy console: junit well-formed" ||
		bad "noisy console: junit not well-formed: $(head -n 1 "$work/n.err")"
fi

# --json/--junit where nothing can be written: said before any boot.
printf '#!/bin/sh\ntouch "%s/ran"\n' "$work" > "$work/touch-qemu"
chmod +x "$work/touch-qemu"
for opt in --json --junit; do
	rc=0; ZEROPAGE_QEMU=$work/touch-qemu "$ZP" matrix "$kernel" --paths qemu-bios --machine pc \
		--accel tcg $opt "$work/no/such/dir/out" > "$work/e.out" 2>&1 || rc=$?
	check "unwritable $opt: exit code" $rc 1
	check "unwritable $opt: QEMU not started" "$([ -e "$work/ran" ] && echo started || echo no)" no
	rm -f "$work/ran"
done

rc=0; "$ZP" matrix "$kernel" --paths qemu-bios,bogus > /dev/null 2>&1 || rc=$?
check "unknown path: exit code" $rc 2
rc=0; "$ZP" matrix "$kernel" --machine pc,pc > /dev/null 2>&1 || rc=$?
check "repeated machine: exit code" $rc 2
rc=0; "$ZP" matrix "$kernel" -j 0 > /dev/null 2>&1 || rc=$?
check "-j 0: exit code" $rc 2

# A kernel without the shim entry a path takes (a 32-bit kernel: here the
# real one with XLF_KERNEL_64 cleared): those rows are skipped with the
# core's reason, as `bundle` refuses the entry, not errors; nothing boots.
cp "$kernel" "$work/k32"
printf "\\$(printf '%03o' $(( $(od -An -tu1 -j $((0x236)) -N1 "$kernel") & 0xfe )))" |
	dd of="$work/k32" bs=1 seek=$((0x236)) conv=notrunc 2>/dev/null
rc=0
"$ZP" matrix "$work/k32" --accel tcg --paths shim-64,shim-subarch,shim-vmlinux --machine pc \
	--json "$work/k32.json" > "$work/k32.out" 2>&1 || rc=$?
check "no 64-bit entry: exit code (nothing failed)" $rc 0
check "no 64-bit entry: rows skipped with the reason" \
	"$(jq -r '[.results[] | .verdict + ":" + (.reason | test("no XLF_KERNEL_64") | tostring)] | join(",")' "$work/k32.json")" \
	"skipped:true,skipped:true,skipped:true"


# Stopped by the user (Ctrl-C, a CI cancel) while the first row boots: the
# rows are not lost.  The table and the JSON hold every row: the one
# running ends as an error saying so, the rest are not run; exit 130 as a
# shell reports SIGINT; no QEMU and no run directory left.
mark="zp.test=$$.stop"
mkdir "$work/stoptmp"
TMPDIR=$work/stoptmp "$ZP" matrix "$kernel" --accel tcg --paths qemu-bios,qemu-pvh,shim-64 \
	--machine pc --append "$mark" --json "$work/stop.json" > "$work/stop.out" 2>&1 &
zp=$!
i=0
while [ -z "$(pgrep -f "[-]append console=ttyS0 .*$mark" || true)" ] && [ $i -lt 600 ]; do
	sleep 0.05; i=$((i + 1))
done
kill -INT $zp
rc=0; wait $zp || rc=$?
check "stopped: exit code (128 + SIGINT)" $rc 130
check "stopped: every row in the JSON, the running one an error, the rest not run" \
	"$(jq -r '[.results[] | .verdict + ":" + (.reason | test("stopped by SIGINT while it ran|not run: the matrix was stopped \\(SIGINT\\)") | tostring)] | join(",")' "$work/stop.json")" \
	"error:true,skipped:true,skipped:true"
grep -q "stopped by SIGINT: 1 of 3 rows ran" "$work/stop.out" && ok "stopped: says how many rows ran" ||
	bad "stopped: $(tail -n 1 "$work/stop.out")"
check "stopped: no QEMU left" "$(pgrep -f "$mark" || true)" ""
check "stopped: run directory removed" "$(ls "$work/stoptmp")" ""

[ $fails -eq 0 ]
