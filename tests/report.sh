#!/bin/sh
# zeropage report on shards that must not merge, with no boot: the grid is
# the real kernel's vmlinux on qemu-bios (skipped: it needs a bzImage) and
# xen-pv (n/a on pc and q35), so `zeropage matrix` writes real shards in
# a second or two.  Shards of other grids (other --paths, --machine,
# --append, --mem, --timeout), a shard missing or twice, a row missing or
# twice, no rows, an older zeropage's shard, numbers that are not seconds
# (inf, 1e999, NaN) and impossible times are each refused, exit 1, with a
# message naming the member, and no report written; the good pair still
# merges, exit 0, and its KCIDB is valid against KCIDB's schema.
# tests/test_report.c covers the loader case by case; tests/shard.sh
# merges shards of real boots.
. tests/lib.shinc

need_kernel
need_kcidb_schema
"$ZP" extract "$kernel" -o "$work/vmlinux" > /dev/null
# shard K/2 of the grid, with other options after the first two arguments
shard() {
	k=$1 out=$2
	shift 2
	"$ZP" matrix "$work/vmlinux" --paths qemu-bios,xen-pv --machine pc,q35 --accel tcg \
		--shard "$k/2" --json "$work/$out" "$@" > /dev/null 2> "$work/$out.err" ||
		bad "matrix --shard $k/2 $*: $(cat "$work/$out.err")"
}
shard 1 s1.json
shard 2 s2.json

# the good pair: merged as before, every output valid
rc=0
"$ZP" report "$work/s2.json" "$work/s1.json" --json "$work/r.json" --kcidb "$work/r.kcidb" \
	--junit "$work/r.xml" > "$work/r.table" 2> "$work/r.err" || rc=$?
check "good pair: exit code" "$rc $(cat "$work/r.err")" "0 zeropage report: 4 rows from 2 shards"
check "good pair: every row" "$(grep -cE '^(qemu-bios|xen-pv) +(pc|q35) ' "$work/r.table")" 4
if "$py" tests/fixtures/kcidb-validate.py "$schema" "$work/r.kcidb" 2> "$work/verr"; then
	ok "good pair: KCIDB valid v5.3"
else
	bad "good pair: KCIDB: $(head -3 "$work/verr")"
fi
check "good pair: the grid kept" "$(jq -c '.grid | [.rows, .shard, .shards, .paths, .machines]' \
	"$work/r.json")" '[4,1,1,["qemu-bios","xen-pv"],["pc","q35"]]'
check "good pair: no row started a kernel: entry none" \
	"$(jq -c '[.results[].entry] | unique' "$work/r.json")" '["none"]'
rc=0
"$ZP" report "$work/r.json" > /dev/null 2>&1 || rc=$?
check "report of the report" $rc 0

# refused: exit 1, the message, and the report not written (an old one kept)
echo old > "$work/old.kcidb"
refused() {
	what=$1 want=$2
	shift 2
	rc=0
	"$ZP" report "$@" --kcidb "$work/old.kcidb" --json "$work/new.json" > /dev/null \
		2> "$work/e" || rc=$?
	if [ $rc -eq 1 ] && grep -qF -- "$want" "$work/e"; then
		ok "$what: refused ($(cat "$work/e"))"
	else
		bad "$what: exit $rc, '$(cat "$work/e")', want 1 and '$want'"
	fi
	[ "$(cat "$work/old.kcidb")" = old ] && [ ! -e "$work/new.json" ] ||
		bad "$what: a report was written"
}
shard 2 paths.json --paths qemu-bios,xen-pvh
refused "other --paths" "paths.json: grid \"paths\" is [\"qemu-bios\",\"xen-pvh\"], in $work/s1.json [\"qemu-bios\",\"xen-pv\"]: not shards of one grid" \
	"$work/s1.json" "$work/paths.json"
shard 2 machine.json --machine pc,microvm
refused "other --machine" "machine.json: grid \"machines\" is [\"pc\",\"microvm\"], in $work/s1.json [\"pc\",\"q35\"]" \
	"$work/s1.json" "$work/machine.json"
shard 2 append.json --append quiet
refused "other --append" "append.json: grid \"append\" is \"quiet\", in $work/s1.json null" \
	"$work/s1.json" "$work/append.json"
shard 2 mem.json --mem 512M --timeout 30
refused "other --mem" "mem.json: grid \"mem\" is \"512M\", in $work/s1.json \"256M\"" \
	"$work/s1.json" "$work/mem.json"
refused "the same shard twice" "$work/s1.json and $work/s1.json are both shard 1/2" \
	"$work/s1.json" "$work/s1.json"
refused "a shard missing" "shard 2/2 is missing: 1 of 2 shards given" "$work/s1.json"

# rows: one twice, one missing, none at all
jq '.results += [.results[0]]' "$work/s1.json" > "$work/dup.json"
refused "a row twice" "dup.json: results[2] (row 0: qemu-bios on pc, kernel 1): \"row\": 0 is in this file twice" \
	"$work/dup.json" "$work/s2.json"
jq 'del(.results[1])' "$work/s1.json" > "$work/short.json"
refused "a row missing" "rows missing: row 2 (qemu-bios on q35, kernel 1 vmlinux) of $work/short.json" \
	"$work/short.json" "$work/s2.json"
jq '.results = []' "$work/s1.json" > "$work/e1.json"
jq '.results = []' "$work/s2.json" > "$work/e2.json"
refused "two shards without rows" "rows missing: row 0 (qemu-bios on pc, kernel 1 vmlinux) of $work/e1.json; row 1 (xen-pv on pc" \
	"$work/e1.json" "$work/e2.json"
jq '.grid.hidden = [0, 1, 2, 3]' "$work/e1.json" > "$work/h1.json"
jq '.grid.hidden = [0, 1, 2, 3]' "$work/e2.json" > "$work/h2.json"
refused "no rows in the grid" "no rows to report (a grid of 4 rows, 4 hidden)" \
	"$work/h1.json" "$work/h2.json"
# a grid member of another type (found by fuzz_report: json-c aborted)
jq '.grid.paths = "qemu-bios"' "$work/s1.json" > "$work/paths-string.json"
refused "grid paths not an array" "paths-string.json: grid: \"paths\": missing, or not an array" \
	"$work/paths-string.json" "$work/s2.json"
jq 'del(.grid.paths, .grid.machines, .grid.hidden, .grid.append, .grid.mem, .grid.timeout, .run)' \
	"$work/s1.json" > "$work/old.json"
refused "an older zeropage's shard" "old.json: shard written by an older zeropage, without grid identity" \
	"$work/old.json" "$work/s2.json"

# an entry zeropage has no name for
jq '.results[0].entry = "efi-handover"' "$work/s1.json" > "$work/entry.json"
refused "an unknown entry" "entry.json: results[0]: \"entry\": \"efi-handover\" is not an entry zeropage knows" \
	"$work/entry.json" "$work/s2.json"
# a shard of a zeropage before rows had entries still merges
jq 'del(.results[].entry, .results[].entry_why)' "$work/s1.json" > "$work/noentry.json"
rc=0
"$ZP" report "$work/noentry.json" "$work/s2.json" > "$work/ne.table" 2>&1 || rc=$?
check "shard without entries: merged" $rc 0
grep -Eq '^qemu-bios +pc +- +skipped' "$work/ne.table" && ok "shard without entries: '-' in the table" ||
	bad "shard without entries: $(grep -E '^qemu-bios +pc' "$work/ne.table")"

# numbers that are not seconds; times that cannot be
row0="results[0] (row 0: qemu-bios on pc, kernel 1)"
jq '.results[0].duration = "inf"' "$work/s1.json" > "$work/inf.json"
refused "duration \"inf\"" "inf.json: $row0: \"duration\": \"inf\" is not a number of seconds from 0 to 604800" \
	"$work/inf.json" "$work/s2.json"
# what jq cannot write: a number too big for a double, and NaN (json-c takes both)
sed '0,/"duration": [0-9.]*/s//"duration": 1e999/' "$work/s1.json" > "$work/big.json"
refused "duration 1e999" "big.json: $row0: \"duration\": 1e999 is not a number of seconds" \
	"$work/big.json" "$work/s2.json"
sed '0,/"build": "[0-9.]*"/s//"build": NaN/' "$work/s1.json" > "$work/nan.json"
refused "seconds NaN" "nan.json: $row0: \"seconds\": \"build\": NaN is not a number of seconds" \
	"$work/nan.json" "$work/s2.json"
jq '.results[0].start_time = "1969-12-31T23:59:59Z"' "$work/s1.json" > "$work/neg.json"
refused "start_time before 1970" "neg.json: $row0: \"start_time\": \"1969-12-31T23:59:59Z\" is before its run started" \
	"$work/neg.json" "$work/s2.json"
jq '.results[0].start_time = "2999-01-01T00:00:00Z"' "$work/s1.json" > "$work/future.json"
refused "start_time in 2999" "future.json: $row0: \"start_time\": \"2999-01-01T00:00:00Z\" ends after its run ended" \
	"$work/future.json" "$work/s2.json"
jq '.results[0].start_time = "2025-02-30T12:00:00Z"' "$work/s1.json" > "$work/feb30.json"
refused "start_time 2025-02-30" "feb30.json: $row0: \"start_time\": \"2025-02-30T12:00:00Z\" is not an RFC 3339 date and time that exists" \
	"$work/feb30.json" "$work/s2.json"
jq '.run.end_time = "2001-01-01T00:00:00Z"' "$work/s1.json" > "$work/ended.json"
refused "run ends before it starts" "ended.json: run: \"end_time\": \"2001-01-01T00:00:00Z\" is before its \"start_time\"" \
	"$work/ended.json" "$work/s2.json"

# A row of an image that is not Linux (started) passes, and the summary
# says how many rows passed on the image's own output alone.
jq '.results[0].verdict = "started" | .results[0].passed = true' \
	tests/fixtures/across-shim-64.json > "$work/started.json"
rc=0; "$ZP" report "$work/started.json" > /dev/null 2> "$work/started.err" || rc=$?
check "a started row: exit code (passes)" $rc 0
grep -q "^zeropage report: 1 row started an image that is not Linux" "$work/started.err" &&
	ok "a started row: the summary counts it" || bad "a started row: $(cat "$work/started.err")"

[ $fails -eq 0 ]
