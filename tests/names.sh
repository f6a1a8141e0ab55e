#!/bin/sh
# One set of path names: the path table (tools/machine/paths.c), as
# `zeropage help --names paths` prints it, is what `boot --help` and
# `matrix --help` list, what the man page's BOOT PATHS section lists (with
# the same machines), what `boot --entry` takes and what `matrix` prints as
# its rows, n/a exactly on the machines the help does not name.  QEMU is a
# stand-in that fails at once (ZEROPAGE_QEMU): nothing boots, the rows and
# the JSON still say which path each name chose.
# boots: none
. tests/lib.shinc

need_kernel
names=$("$ZP" help --names paths)
machines=$("$ZP" help --names machines)
list() { printf '%s\n' "$@" | paste -sd' ' -; }
check "help --names paths: the table" "$(echo "$names" | wc -l)" \
	"$(grep -c '^	\[BOOTPATH_[A-Z0-9_]*\] = &path_' tools/machine/paths.c)"
check "help --names machines" "$(list $machines)" "pc q35 microvm xen xen-domu"

# A help text's path list as "name (machines)" lines: an entry starts at
# two spaces and a name, its machines end it in parentheses.
help_paths() {
	"$ZP" "$1" --help | awk '
		function flush() {
			if (e == "") return
			m = text; sub(/.*\(/, "", m); sub(/\).*/, "", m); print e " (" m ")"; e = ""
		}
		/^paths, with|^entry path, on/ { on = 1; next }
		!on { next }
		/^  [a-z0-9]/ { flush(); e = $1; text = $0; next }
		/^   / { text = text " " $0; next }
		{ flush(); on = 0 }'
}
for cmd in boot matrix; do
	check "$cmd --help: the table's paths" "$(help_paths $cmd | cut -d' ' -f1 | paste -sd' ' -)" \
		"$(list $names)"
done
# every path says what it is (bootpath_def.summary), not just its machines
check "boot --help: a summary for every path" \
	"$("$ZP" boot --help | grep -cE '^  [a-z0-9-]+ +\([a-z0-9, ]*\)$' || true)" 0
# The man page's BOOT PATHS: a .TP, the name in bold, its machines.
man_paths() {
	awk '/^\.SH / { on = ($0 == ".SH BOOT PATHS") }
	     on && prev == ".TP" && /^\.B / { name = $2 }
	     on && name && /^\(/ { print name " " $0; name = "" }
	     { prev = $0 }' doc/zeropage.1
}
check "man page BOOT PATHS: the table's paths, its machines" "$(man_paths | paste -sd';' -)" \
	"$(help_paths boot | paste -sd';' -)"

# Every name is taken by boot --entry on a machine it exists on: refused
# only for the KERNEL that is not there (exit 1), never as a name (2).
for p in $names; do
	m=$(help_paths boot | awk -v p="$p" '$1 == p { gsub(/[(),]/, "", $2); print $2 }')
	rc=0
	"$ZP" boot /nonexistent --entry "$p" --machine "$m" -q > /dev/null 2> "$work/e" || rc=$?
	check "boot --entry $p --machine $m: taken" "$rc $(grep -c -- '--entry' "$work/e" || true)" "1 0"
done
for m in $machines; do
	rc=0
	"$ZP" boot /nonexistent --machine "$m" -q > /dev/null 2>&1 || rc=$?
	check "boot --machine $m: taken" $rc 1
done
rc=0
"$ZP" boot "$kernel" --entry shim-65 > /dev/null 2> "$work/e" || rc=$?
check "boot --entry shim-65: refused" "$rc $(cat "$work/e")" \
	"2 zeropage boot: --entry shim-65: not a path (zeropage help --names paths lists them)"
rc=0
"$ZP" boot "$kernel" --entry shim-subarch --handoff native > /dev/null 2> "$work/e" || rc=$?
check "boot --entry shim-subarch --handoff native: refused" "$rc $(cat "$work/e")" \
	"2 zeropage boot: --entry shim-subarch is the subarch handoff, not --handoff native"
check "help boot: boot --help" "$("$ZP" help boot | cksum)" "$("$ZP" boot --help | cksum)"
rc=0
"$ZP" help nope > /dev/null 2> "$work/e" || rc=$?
check "help nope: refused" "$rc $(cat "$work/e")" "2 zeropage help: unknown command 'nope'"
rc=0
"$ZP" help --names kernels > /dev/null 2> "$work/e" || rc=$?
check "help --names kernels: refused" "$rc $(cat "$work/e")" \
	"2 zeropage help: --names kernels: expected commands, paths or machines"

# Which path, entry and handoff each name chose: the boot's JSON (written
# for a QEMU that failed too).  The older names 64, 32, vmlinux are the
# shim's paths still; a shim path with --handoff subarch is shim-subarch.
printf '#!/bin/sh\nexit 1\n' > "$work/qemu"
chmod +x "$work/qemu"
chosen() {
	rc=0
	ZEROPAGE_QEMU=$work/qemu "$ZP" boot "$kernel" -q --json "$work/b.json" "$@" \
		> /dev/null 2>&1 || rc=$?
	echo "$rc $(jq -r '"\(.path) \(.entry) \(.handoff)"' "$work/b.json")"
}
check "--entry shim-64" "$(chosen --entry shim-64)" "5 shim-64 64 native"
check "--entry shim-vmlinux" "$(chosen --entry shim-vmlinux)" "5 shim-vmlinux vmlinux native"
check "--entry shim-subarch" "$(chosen --entry shim-subarch)" "5 shim-subarch 64 subarch"
check "--entry shim-32 --handoff subarch" "$(chosen --entry shim-32 --handoff subarch)" \
	"5 shim-subarch 32 subarch"
check "--entry 64 (older name)" "$(chosen --entry 64)" "5 shim-64 64 native"
check "--entry 32 (older name)" "$(chosen --entry 32)" "5 shim-32 32 native"
check "--entry vmlinux (older name)" "$(chosen --entry vmlinux)" "5 shim-vmlinux vmlinux native"
check "--entry qemu-pvh" "$(chosen --entry qemu-pvh)" "5 qemu-pvh qemu-pvh native"

# matrix over every name on every machine: its rows are the table's names,
# n/a exactly where the help says the path does not exist.
rc=0
ZEROPAGE_QEMU=$work/qemu "$ZP" matrix "$kernel" --paths "$(list $names | tr ' ' ,)" \
	--machine "$(list $machines | tr ' ' ,)" --accel tcg --json "$work/m.json" \
	> "$work/m.table" 2> "$work/m.err" || rc=$?
check "matrix over every name: exit code (every boot failed)" $rc 8
for m in $machines; do
	check "matrix on $m: the rows' paths" \
		"$(jq -r --arg m "$m" '.results[] | select(.machine == $m) | .path' "$work/m.json" |
		   paste -sd' ' -)" "$(list $names)"
	check "matrix on $m: the paths that exist there" \
		"$(jq -r --arg m "$m" '.results[] | select(.machine == $m and .verdict != "n/a") |
		   .path' "$work/m.json" | paste -sd' ' -)" \
		"$(help_paths boot | grep -E "[(, ]$m[,)]" | cut -d' ' -f1 | paste -sd' ' -)"
done
check "matrix table: the rows' paths" "$(awk 'NR > 1 && /^[a-z]/ { print $1 }' "$work/m.table" |
	sort -u | paste -sd' ' -)" "$(echo "$names" | sort | paste -sd' ' -)"
[ $fails -eq 0 ]
