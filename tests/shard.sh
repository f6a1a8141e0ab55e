#!/bin/sh
# zeropage matrix --shard and zeropage report on the real Debian cloud
# kernel under TCG.  The grid: two kernels x qemu-bios, qemu-pvh x pc.  The
# second kernel is the same build's vmlinux, extracted by `zeropage extract`
# (only one real kernel is at hand): another image, so another KCIDB build
# of the same checkout, on which qemu-bios is skipped (no bzImage) and
# qemu-pvh boots.  Shards 1/2 and 2/2 together must be the unsharded run's
# rows, none twice; `report` on them prints every row, diffs the zero pages
# across shards again, and writes valid JUnit and KCIDB.  Then the report's
# refusals (a shard missing, one twice) and the progress line a terminal
# gets.
. tests/lib.shinc

need_kernel
need_kcidb_schema
"$ZP" extract "$kernel" -o "$work/vmlinux" > /dev/null
grid() {
	"$ZP" matrix "$kernel" "$work/vmlinux" --paths qemu-bios,qemu-pvh --machine pc -j2 \
		--accel tcg --timeout 120 "$@"
}
# the rows as "row kernel path machine verdict", one a line (rows) or
# joined with ';' (rowlist, for messages)
rows() { jq -r '.results[] | "\(.row) \(.kernel) \(.path) \(.machine) \(.verdict)"' "$@" | sort -n; }
rowlist() { rows "$@" | paste -sd';' -; }

rc=0
grid --json "$work/all.json" > "$work/all.table" 2> "$work/all.err" || rc=$?
cat "$work/all.table"
check "unsharded: exit code" $rc 0
check "unsharded: rows" "$(rows "$work/all.json" | wc -l)" 4
for k in 1 2; do
	rc=0
	grid --shard $k/2 --json "$work/s$k.json" > "$work/s$k.table" 2> "$work/s$k.err" || rc=$?
	check "shard $k/2: exit code" $rc 0
	check "shard $k/2: its rows (row mod 2 = $((k - 1)))" \
		"$(jq -r "[.results[].row % 2 == $((k - 1))] | all" "$work/s$k.json")" true
	check "shard $k/2: grid" "$(jq -c '.grid | [.rows, .shard, .shards, .paths, .machines, .hidden]' \
		"$work/s$k.json")" "[4,$k,2,[\"qemu-bios\",\"qemu-pvh\"],[\"pc\"],[]]"
	check "shard $k/2: grid identity" "$(jq -c '.grid | [.append, .mem, .timeout]' "$work/s$k.json")" \
		'[null,"256M",120]'
	check "shard $k/2: its rows within its run" "$(jq '.run as $r | [.results[] |
		.start_time >= $r.start_time and .start_time <= $r.end_time] | all' "$work/s$k.json")" true
done
check "shards: no row twice" "$(rows "$work/s1.json" "$work/s2.json" | cut -d' ' -f1 | uniq -d)" ""
check "shards: the unsharded rows" "$(rowlist "$work/s1.json" "$work/s2.json")" "$(rowlist "$work/all.json")"
check "skipped row: the vmlinux's qemu-bios" \
	"$(rows "$work/all.json" | grep ' skipped$' | cut -d' ' -f2,3)" "$work/vmlinux qemu-bios"
check "no progress lines without a terminal" "$(grep -c ' done, ' "$work/s1.err" || true)" 0

rc=0
"$ZP" report "$work/s2.json" "$work/s1.json" --junit "$work/r.xml" --kcidb "$work/r.kcidb" \
	--json "$work/r.json" > "$work/r.table" 2> "$work/r.err" || rc=$?
cat "$work/r.table"
check "report: exit code" $rc 0
check "report: every row" "$(grep -cE '^qemu-(bios|pvh) +pc ' "$work/r.table")" 4
check "report: a block per kernel" "$(grep -c '^kernel ' "$work/r.table")" 2
# the table's rows as the unsharded run printed them, up to the times and
# the KASLR offsets, which change from boot to boot
cells() { grep -E '^qemu-' "$1" | awk '{print $1, $2, $3, $4}' | paste -sd';' -; }
check "report: the unsharded table's rows" "$(cells "$work/r.table")" "$(cells "$work/all.table")"
# qemu-pvh's zero page ran in shard 2/2, its kernel's qemu-bios in 1/2:
# the merged diff is against qemu-bios, as unsharded, not the shard's own
check "shard 2/2 alone: qemu-pvh its own reference" \
	"$(jq -r '.results[] | select(.row == 1) | .diff_against' "$work/s2.json")" qemu-pvh
check "report: diffed again across shards" \
	"$(jq -c '.results[] | select(.row == 1) | [.diff_against, (.diff | map(.field))]' "$work/r.json")" \
	"$(jq -c '.results[] | select(.row == 1) | [.diff_against, (.diff | map(.field))]' "$work/all.json")"
check "report --json: the rows" "$(rowlist "$work/r.json")" "$(rowlist "$work/all.json")"
check "report --json: each row's entry, as unsharded" \
	"$(jq -c '[.results[] | .entry]' "$work/r.json")" "$(jq -c '[.results[] | .entry]' "$work/all.json")"
check "report --json: one shard of the grid" "$(jq -c '.grid | [.rows, .shard, .shards]' "$work/r.json")" \
	'[4,1,1]'
rc=0
"$ZP" report "$work/r.json" > "$work/rr.table" 2>&1 || rc=$?
check "report of the report" "$rc $(grep -cE '^qemu-' "$work/rr.table")" "0 4"

xmllint --noout "$work/r.xml" 2> /dev/null && ok "junit: well-formed" || bad "junit: not well-formed"
grep -q '<testsuite name="zeropage matrix" tests="4" failures="0" errors="0" skipped="1"' "$work/r.xml" &&
	ok "junit: 4 tests, 1 skipped" || bad "junit: $(grep '<testsuite ' "$work/r.xml")"
check "junit: a class per kernel" "$(grep -o 'classname="[^"]*"' "$work/r.xml" | sort -u | wc -l)" 2

if "$py" tests/fixtures/kcidb-validate.py "$schema" "$work/r.kcidb" 2> "$work/verr"; then
	ok "kcidb: valid v5.3"
else
	bad "kcidb: $(head -3 "$work/verr")"
fi
check "kcidb: one checkout, two builds, four tests" \
	"$(jq -c '[(.checkouts | length), (.builds | length), (.tests | length)]' "$work/r.kcidb")" "[1,2,4]"
check "kcidb: test ids unique" "$(jq '[.tests[].id] | unique | length' "$work/r.kcidb")" 4
check "kcidb: statuses" "$(jq -r '[.tests[].status] | join(",")' "$work/r.kcidb")" "PASS,PASS,SKIP,PASS"

rc=0
"$ZP" report "$work/s1.json" > /dev/null 2> "$work/e1" || rc=$?
check "report: a shard missing: error" "$rc $(cat "$work/e1")" \
	"1 zeropage report: shard 2/2 is missing: 1 of 2 shards given"
rc=0
"$ZP" report "$work/s1.json" "$work/s1.json" "$work/s2.json" > /dev/null 2> "$work/e2" || rc=$?
check "report: a shard twice: error" "$rc" 1
grep -q "are both shard 1/2" "$work/e2" && ok "report: says which" || bad "report: $(cat "$work/e2")"

# the progress line, when stderr is a terminal (script(1) gives it one):
# a row that needs no boot, the vmlinux's qemu-bios
if command -v script > /dev/null; then
	script -qec "$ZP matrix $work/vmlinux --paths qemu-bios --machine pc" /dev/null \
		> "$work/tty" 2>&1 || true
	grep -q 'zeropage matrix: 1/1 done, 0 left (qemu-bios pc skipped)' "$work/tty" &&
		ok "progress line on a terminal" || bad "progress: $(cat "$work/tty")"
fi

[ $fails -eq 0 ]
