#!/bin/sh
# zeropage boot when things go wrong, on the real kernel under TCG: a
# kernel panic, a hang (a timeout far below the boot time), a QEMU that
# cannot start, being killed ourselves; each with its documented exit code
# (tools/cli/commands.h) and no QEMU left running afterwards.
. tests/lib.shinc
# QEMU's own process (its -append carries the mark), never zeropage's, whose
# --append carries it too: "QEMU was running" must mean QEMU.
left() { pgrep -f "[-]append console=ttyS0 .*$1" || true; }

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
check "killed: exit code 128 + SIGTERM" $rc 143
sleep 0.2
check "killed: no QEMU left" "$(left "$mark")" ""
check "killed: temporary directory removed" "$(ls "$work/tmp")" ""

# Ctrl-C with --json: the boot is reported, not lost: an error saying it
# was stopped, in the text and the JSON; exit 130.
mark="zp.test=$$.int"
"$ZP" boot "$kernel" --accel tcg --timeout 90 --append "$mark" --json "$work/int.json" \
	> "$work/int.out" 2>&1 &
zp=$!
i=0
while [ -z "$(left "$mark")" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
kill -INT $zp
rc=0; wait $zp 2>/dev/null || rc=$?
check "Ctrl-C: exit code 128 + SIGINT" $rc 130
check "Ctrl-C: the JSON says so" "$(jq -r '.verdict + ": " + (.reason | sub(", after.*"; ""))' "$work/int.json")" \
	"error: stopped by SIGINT while it ran"
grep -q "^zeropage boot: error: stopped by SIGINT while it ran" "$work/int.out" &&
	ok "Ctrl-C: says so" || bad "Ctrl-C: $(tail -n 1 "$work/int.out")"
check "Ctrl-C: no QEMU left" "$(left "$mark")" ""

printf '#!/bin/sh\nwhile :; do sleep 0.1; done\n' > "$work/silent-qemu"	# a guest hung without output
chmod +x "$work/silent-qemu"
# Killed while `zeropage bundle` (run by us) is still writing the bundle
# into the temporary directory: that helper goes too, and nothing is left.
mkdir "$work/btmp"
TMPDIR=$work/btmp ZEROPAGE_QEMU=$work/silent-qemu "$ZP" boot "$kernel" -q --entry vmlinux \
	--timeout 90 > /dev/null 2>&1 &
zp=$!
i=0
writing() { ls -A "$work"/btmp/*/ 2>/dev/null | grep -q '^\.bundle-'; }	# its temporary file
while ! writing && [ $i -lt 1000 ]; do sleep 0.005; i=$((i + 1)); done
writing && ok "killed while bundling: the bundle was being written" ||
	bad "killed while bundling: never saw the bundle being written"
kill -TERM $zp
rc=0; wait $zp 2>/dev/null || rc=$?
check "killed while bundling: zeropage died of SIGTERM" $rc 143
sleep 0.5
check "killed while bundling: no helper left" "$(pgrep -f "[b]undle --kernel .* -o $work/btmp/" || true)" ""
check "killed while bundling: temporary directory removed" "$(ls -A "$work/btmp")" ""

# Killed with SIGKILL (kill -9, OOM killer, a CI hard stop): no handler
# runs, yet QEMU must not outlive us (the kernel ends it: PDEATHSIG).  A
# real guest printing on the console would die of SIGPIPE anyway, so the
# QEMU here is a silent stand-in, like a guest hung without output.
mark="zp.test=$$.sigkill"
mkdir "$work/ktmp"
TMPDIR=$work/ktmp ZEROPAGE_QEMU=$work/silent-qemu "$ZP" boot "$kernel" -q --timeout 90 \
	--append "$mark" > /dev/null 2>&1 &
zp=$!
i=0
while [ -z "$(left "$mark")" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ -n "$(left "$mark")" ] && ok "SIGKILL: QEMU was running" || bad "SIGKILL: QEMU never started"
kill -KILL $zp
wait $zp 2>/dev/null || true
i=0
while [ -n "$(left "$mark")" ] && [ $i -lt 40 ]; do sleep 0.05; i=$((i + 1)); done
q=$(left "$mark")
check "SIGKILL: no QEMU left" "$q" ""
[ -z "$q" ] || kill -KILL $q 2>/dev/null || true

# Our own errors and usage errors: 1 and 2, with a specific message.
rc=0; "$ZP" boot /etc/passwd -q > "$work/e.out" 2>&1 || rc=$?
check "not a kernel: exit code" $rc 1
grep -q "not a bzImage or ELF kernel" "$work/e.out" && ok "not a kernel: says so" ||
	bad "not a kernel: $(cat "$work/e.out")"
# A kernel cut short is our input error, refused before QEMU runs (which
# would fail with its own misleading words, or boot a silent guest).
head -c $(( $(stat -L -c %s "$kernel") / 2 )) "$kernel" > "$work/half"
: > "$work/empty"
for f in half empty; do
	rc=0; "$ZP" boot "$work/$f" -q --accel tcg --timeout 20 > "$work/e.out" 2>&1 || rc=$?
	check "$f kernel: exit code" $rc 1
	grep -q "zeropage boot: $work/$f: " "$work/e.out" && ok "$f kernel: $(tail -n 1 "$work/e.out")" ||
		bad "$f kernel: $(tail -n 1 "$work/e.out")"
done
# --json where nothing can be written: said before the boot, not after it.
printf '#!/bin/sh\ntouch "%s/ran"\n' "$work" > "$work/touch-qemu"
chmod +x "$work/touch-qemu"
rc=0; ZEROPAGE_QEMU=$work/touch-qemu "$ZP" boot "$kernel" -q --json "$work/no/such/dir/b.json" \
	> "$work/e.out" 2>&1 || rc=$?
check "unwritable --json: exit code" $rc 1
check "unwritable --json: QEMU not started" "$([ -e "$work/ran" ] && echo started || echo no)" no
grep -q "no/such/dir/b.json" "$work/e.out" && ok "unwritable --json: $(tail -n 1 "$work/e.out")" ||
	bad "unwritable --json: $(tail -n 1 "$work/e.out")"
rm -f "$work/ran"
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
long=$(printf '%0300d' 0)
rc=0; TMPDIR="/tmp/$long" "$ZP" boot "$kernel" > "$work/long.err" 2>&1 || rc=$?
check "TMPDIR too long: exit code" $rc 1
grep -q "TMPDIR of .* too long" "$work/long.err" && ok "TMPDIR too long: says so" ||
	bad "TMPDIR too long: message: $(head -1 "$work/long.err")"
for m in 1x 256MB 1.G ""; do
	rc=0; "$ZP" boot "$kernel" --mem "$m" > /dev/null 2>&1 || rc=$?
	check "bad --mem '$m': exit code" $rc 2
	rc=0; "$ZP" matrix "$kernel" --mem "$m" > /dev/null 2>&1 || rc=$?
	check "matrix bad --mem '$m': exit code" $rc 2
done

# Less memory than the kernel starts in (pref_address + init_size + the
# probe's pages): refused before QEMU runs, naming both sizes, where the
# guest would stop without a byte (40M) or QEMU abort (1M); and matrix
# rows end the same way, each saying why.
for m in 1M 40M; do
	rc=0; "$ZP" boot "$kernel" -q --mem $m --json "$work/mem.json" > "$work/mem.out" 2>&1 || rc=$?
	check "--mem $m below the kernel's floor: exit code" $rc 1
	grep -q "error: $m of guest memory is less than the kernel starts in: [0-9]* MiB" \
		"$work/mem.out" && ok "--mem $m: says what the kernel needs" ||
		bad "--mem $m: $(tail -n 1 "$work/mem.out")"
	check "--mem $m: QEMU never ran (no first byte)" "$(jq -r .seconds.first_byte "$work/mem.json")" null
done
"$ZP" info --json "$kernel" > "$work/info.json"
floor=$(sed -n 's/.*give --mem \([0-9]*\)M or more.*/\1/p' "$work/mem.out")
need=$(( ($(jq .pref_address "$work/info.json") + $(jq .init_size "$work/info.json") + 1048575) / 1048576 ))
[ "$floor" -ge "$need" ] 2>/dev/null && ok "the floor ($floor MiB) covers pref_address + init_size ($need MiB)" ||
	bad "the floor '$floor' against pref_address + init_size ($need MiB)"
rc=0; "$ZP" matrix "$kernel" --mem 40M --paths qemu-bios,shim-64 --json "$work/memm.json" \
	> /dev/null 2>&1 || rc=$?
check "matrix --mem 40M: exit code (rows failed)" $rc 8
check "matrix --mem 40M: each row (pc, microvm) an error saying so" \
	"$(jq -r '[.results[] | .verdict + ":" + (.reason | test("less than the kernel starts in") | tostring)] | join(",")' "$work/memm.json")" \
	"error:true,error:true,error:true,error:true"

# A command line longer than the kernel's cmdline_size: refused, naming it.
rc=0; "$ZP" boot "$kernel" -q --append "$(printf '%02100d' 0)" > "$work/cl.out" 2>&1 || rc=$?
check "command line past cmdline_size: exit code" $rc 1
grep -q "longer than the kernel takes: cmdline_size 2047" "$work/cl.out" &&
	ok "command line past cmdline_size: names the kernel's limit" ||
	bad "command line past cmdline_size: $(tail -n 1 "$work/cl.out")"

[ $fails -eq 0 ]
