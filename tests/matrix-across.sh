#!/bin/sh
# zeropage matrix --across PATH: after the matrix table, PATH's zero page
# side by side across the machines the run just booted (the comparison of
# `report --across`, made from the rows in memory).  shim-64 on pc and
# microvm (two short boots): a column per machine, each start_info from
# the shim's line (QEMU's v1 on both), the fields that differ listed and
# the rest counted; xen-pv, n/a on both, is said in one line; --across a
# path not among --paths is refused before any boot.
. tests/lib.shinc

need_kernel
rc=0
"$ZP" matrix "$kernel" --paths shim-64,xen-pv --machine pc,microvm -j2 --accel tcg \
	--across shim-64 --across xen-pv --json "$work/m.json" > "$work/out" 2> "$work/err" || rc=$?
cat "$work/out"
check "exit" $rc 0
# the across table: from its heading on
sed -n '/^shim-64 across machines/,$p' "$work/out" > "$work/t"
cells() { awk -v f="$1" '$1 == f { $1 = ""; print substr($0, 2); exit }' "$work/t"; }
check "a column per machine" "$(cells machine)" "pc microvm"
check "both ok" "$(cells verdict)" "ok ok"
check "start_info from the shim's line, v1 on both" \
	"$(grep '^start_info ' "$work/t" | sed 's/ at 0x[0-9a-f]*//g' | tr -s ' ')" "start_info v1 v1"
check "known from the shim's line" "$(cells known)" "from the shim's line the shim's line"
# e820_entries as each row's JSON holds it: listed when the two differ,
# not listed when they are the same
want=$(jq -r '.results[] | select(.path == "shim-64") | .report.boot_params.e820_entries' \
	"$work/m.json" | xargs printf '0x%x ' | sed 's/ $//')
case $want in
"$(echo "$want" | cut -d' ' -f1) $(echo "$want" | cut -d' ' -f1)") want="" ;;
esac
check "e820_entries as the rows' zero pages hold it" "$(cells e820_entries)" "$want"
check "the count line" "$(grep -c 'fields\? differs\?; [0-9]* the same on all 2 machines' "$work/t")" 1
check "xen-pv: nothing to compare, in one line" \
	"$(grep -c '^xen-pv across machines, kernel .*: nothing to compare, 0 machines with an ok row of it (n/a on pc, microvm)$' "$work/out")" 1

rc=0
"$ZP" matrix "$kernel" --paths shim-64 --across qemu-pvh > "$work/out" 2> "$work/err" || rc=$?
check "--across a path not run: usage, before any boot" \
	"$rc $(grep -c 'not among --paths' "$work/err") $(grep -c boots "$work/err")" "2 1 0"
[ $fails -eq 0 ]
