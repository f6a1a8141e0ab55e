#!/bin/sh
# zeropage report --across PATH, with no boot: the fixture is a real run's
# JSON (tests/fixtures/across-shim-64.json: shim-64 on pc, xen and
# xen-domu, the consoles and logs dropped), fed whole, split into one run
# per machine, split into shards, with a row that did not report, and
# without the shim's line.  The table has a column per machine, lists the
# fields that differ (values as the zero pages hold them), counts the
# rest, and says where each start_info came from; bad input is refused
# with its reason and exit 1 (2 for usage).  A `boot --json` file
# (tests/fixtures/across-boot-microvm.json: shim-64 on microvm, trimmed to
# what --across reads) is one row, its kernel known by kernel_sha256 (or,
# without it, by the kernel's file name).  tests/test_across.c covers
# the comparison field by field.
# boots: none
. tests/lib.shinc

fx=tests/fixtures/across-shim-64.json
# the header row of the table: "machine  pc  xen ..." as words
header() { awk '$1 == "machine" { $1 = ""; print substr($0, 2); exit }' "$1"; }
# the cells of field $1 in table $2, as words
cells() { awk -v f="$1" '$1 == f { $1 = ""; print substr($0, 2); exit }' "$2"; }

rc=0
"$ZP" report --across shim-64 "$fx" --json "$work/a.json" > "$work/a.table" 2> "$work/a.err" || rc=$?
check "whole run: exit" "$rc $(cat "$work/a.err")" "0 "
check "whole run: a column per machine" "$(header "$work/a.table")" "pc xen xen-domu"
check "whole run: start_info versions, from the shim's line" \
	"$(grep '^start_info ' "$work/a.table" | tr -s ' ')" \
	"start_info v1 at 0x21e0 v0 at 0x437c060 v1 at 0x437b000"
check "whole run: the loaders" "$(cells loader "$work/a.table")" \
	"QEMU's PVH loader Xen's PVH dom0 builder libxc (xl create)"
check "whole run: where the map came from" "$(cells memmap "$work/a.table")" \
	"from start_info (7 entries) XENMEM_memory_map (11 entries) start_info (5 entries)"
check "whole run: acpi_rsdp_addr differs" "$(cells acpi_rsdp_addr "$work/a.table")" \
	"0xf59d0 0x10060f26 0xfc008000"
check "whole run: e820_entries differs" "$(cells e820_entries "$work/a.table")" "0x8 0xc 0x6"
check "whole run: e820, sorted, decoded" "$(cells 'e820[5]' "$work/a.table")" \
	"0xffe0000+0x20000 reserved 0x10060f26+0x7a ACPI 0xfeff8000+0x8000 reserved"
check "whole run: what is the same is not listed" "$(cells type_of_loader "$work/a.table")" ""
check "whole run: the count" "$(tail -1 "$work/a.table")" \
	"15 fields differ; 61 the same on all 3 machines with a zero page (e820 entries sorted by address)"
check "--json: machines, versions and their source" \
	"$(jq -c '.[0].machines | map([.machine, .start_info.version, .start_info.source])' "$work/a.json")" \
	'[["pc",1,"shim_line"],["xen",0,"shim_line"],["xen-domu",1,"shim_line"]]'
check "--json: a differing field's values" \
	"$(jq -c '.[0].differ[] | select(.field == "e820_entries") | .values' "$work/a.json")" \
	'{"pc":"0x8","xen":"0xc","xen-domu":"0x6"}'
check "--json: the counts" "$(jq -c '.[0] | [.differ_count, .same_count, (.differ | length)]' \
	"$work/a.json")" "[15,61,15]"

# one run per machine, as `matrix --machine M` writes it alone
for i in 0 1 2; do
	jq --argjson i $i '.grid.machines = [.grid.machines[$i]] | .grid.rows = 1 | .consoles = [] |
		.results = [.results[$i] | .row = 0]' "$fx" > "$work/run$i.json"
done
rc=0
"$ZP" report --across shim-64 "$work/run2.json" "$work/run0.json" "$work/run1.json" \
	> "$work/s.table" 2> "$work/s.err" || rc=$?
check "three runs: exit" "$rc $(cat "$work/s.err")" "0 "
check "three runs: a column each, in the files' order" "$(header "$work/s.table")" "xen-domu pc xen"
check "three runs: the same count" "$(tail -1 "$work/s.table" | cut -d';' -f1)" "15 fields differ"

# shards 1/2 (rows 0 and 2) and 2/2 (row 1) of the run, merged as report merges them
jq '.grid.shards = 2 | .results = [.results[0], .results[2]]' "$fx" > "$work/sh1.json"
jq '.grid.shard = 2 | .grid.shards = 2 | .results = [.results[1]]' "$fx" > "$work/sh2.json"
rc=0
"$ZP" report --across shim-64 "$work/sh2.json" "$work/sh1.json" > "$work/sh.table" 2>&1 || rc=$?
check "shards: exit" $rc 0
check "shards: merged in grid order" "$(header "$work/sh.table")" "pc xen xen-domu"
rc=0
"$ZP" report --across shim-64 "$work/sh1.json" > "$work/e" 2>&1 || rc=$?
check "a shard alone: refused as report refuses it" \
	"$rc $(grep -c 'shard 2/2.*missing\|missing.*shard' "$work/e")" "1 1"

# xen-domu's row did not boot: said in the header, "-" in its cells, not compared
jq '.results[2] |= (.verdict = "timeout" | .passed = false | .reason = "no init in 480 s" |
	.report = null | del(.shim_line, .diff, .diff_against, .kaslr, .kernel_phys, .kernel_text))' \
	"$fx" > "$work/timeout.json"
rc=0
"$ZP" report --across shim-64 "$work/timeout.json" --json "$work/t.json" > "$work/t.table" \
	2> "$work/t.err" || rc=$?
check "no report: exit" "$rc $(cat "$work/t.err")" "0 "
check "no report: said in the header" "$(cells verdict "$work/t.table")" "ok ok timeout: no report"
check "no report: its cells" "$(cells acpi_rsdp_addr "$work/t.table")" "0xf59d0 0x10060f26 -"
check "no report: the machine's known loader instead of the shim's line" \
	"$(cells known "$work/t.table")" \
	"from the shim's line the shim's line the machine (no shim line)"
check "no report: compared on two" "$(tail -1 "$work/t.table" | sed 's/.*same on all //')" \
	"2 machines with a zero page (e820 entries sorted by address)"
check "no report: --json" "$(jq -c '.[0].machines[2] | [.verdict, .report, .zero_page]' "$work/t.json")" \
	'["timeout",false,false]'

# an older run's JSON, without shim_line: the machines' known loaders
jq '.results |= map(del(.shim_line))' "$fx" > "$work/old.json"
"$ZP" report --across shim-64 "$work/old.json" > "$work/o.table"
check "no shim line: versions the machines' loaders give" \
	"$(grep '^start_info ' "$work/o.table" | tr -s ' ')" "start_info v1 v0 v1"

# a `boot --json` file: one more column, beside the matrix run's
bt=tests/fixtures/across-boot-microvm.json
rc=0
"$ZP" report --across shim-64 "$fx" "$bt" > "$work/b.table" 2> "$work/b.err" || rc=$?
check "boot file: exit" "$rc $(cat "$work/b.err")" "0 "
check "boot file: its machine a column of the same kernel's table" \
	"$(header "$work/b.table") $(grep -c 'across machines' "$work/b.table")" "pc xen xen-domu microvm 1"
check "boot file: its start_info from its shim_line" \
	"$(grep '^start_info ' "$work/b.table" | tr -s ' ' | cut -d' ' -f11-)" "v1 at 0xf31e0"
check "boot file: its zero page compared" "$(cells e820_entries "$work/b.table")" "0x8 0xc 0x6 0x7"
# two boot files alone, written before boot recorded the kernel's hash:
# one table, the kernel by its file's name
jq 'del(.kernel_sha256, .kernel_version)' "$bt" > "$work/old-mv.json"
jq 'del(.kernel_sha256, .kernel_version) | .machine = "pc"' "$bt" > "$work/old-pc.json"
rc=0
"$ZP" report --across shim-64 "$work/old-mv.json" "$work/old-pc.json" > "$work/ob.table" 2>&1 || rc=$?
check "boot files without the hash: one table by the kernel's name" \
	"$rc $(head -1 "$work/ob.table") / $(header "$work/ob.table")" \
	"0 shim-64 across machines, kernel vmlinuz-6.1.0-57-cloud-amd64 / microvm pc"
jq '.machine = "pc"' "$bt" > "$work/boot-pc.json"
jq '.report.boot_params_hex |= .[2:]' "$bt" > "$work/boot-cut.json"

# refused
refused() {
	what=$1 want_rc=$2 want=$3
	shift 3
	rc=0
	"$ZP" report "$@" > "$work/out" 2> "$work/e" || rc=$?
	if [ $rc -eq "$want_rc" ] && grep -qF -- "$want" "$work/e" && [ ! -s "$work/out" ]; then
		ok "$what: exit $rc ($(head -1 "$work/e"))"
	else
		bad "$what: exit $rc, '$(cat "$work/e")', want $want_rc and '$want'"
	fi
}
refused "a path no run has" 1 "no row of path qemu-pvh in" --across qemu-pvh "$fx"
refused "a path zeropage does not know" 2 "--across: unknown path 'shim-65'" --across shim-65 "$fx"
printf '{"grid": {"rows": 3,' > "$work/cut.json"
refused "JSON cut short" 1 "cut.json: not JSON: line 1 column" --across shim-64 "$work/cut.json"
refused "no such file" 1 "nothere.json" --across shim-64 "$work/nothere.json"
refused "one machine's row in two runs" 1 "shim-64 on pc (kernel" \
	--across shim-64 "$work/run0.json" "$fx"
refused "a boot file's machine also in a matrix file" 1 \
	"boot-pc.json: shim-64 on pc (kernel 1a7ac0c40b10b983...) is in another file too" \
	--across shim-64 "$fx" "$work/boot-pc.json"
refused "a boot file's zero page cut short" 1 \
	"boot-cut.json: report.boot_params_hex is not 8192 hex digits" --across shim-64 "$work/boot-cut.json"
refused "--junit with --across" 2 "only --json goes with it" --across shim-64 "$fx" --junit "$work/j.xml"
refused "no file" 2 "missing SHARD.json" --across shim-64
[ $fails -eq 0 ]
