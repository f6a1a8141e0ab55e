#!/bin/sh
# zeropage matrix --kcidb on the real Debian cloud kernel under TCG: a small
# matrix (qemu-bios and qemu-pvh on pc) whose KCIDB I/O document must be
# valid against KCIDB's own JSON Schema (tests/fixtures/, v5.3, checked by
# python3-jsonschema), with the ids, paths, statuses, times and log
# excerpts zeropage promises (tools/report/kcidb.h); then a run that fails
# and skips on purpose (the extracted vmlinux: no qemu-bios; a timeout too
# short to boot; xen-pv, which pc does not have) for FAIL and SKIP.
. tests/lib.shinc

need_kernel
need_kcidb_schema
validate() {
	if "$py" tests/fixtures/kcidb-validate.py "$schema" "$1" 2>"$work/verr"; then
		ok "$2: valid KCIDB v5.3"
	else
		bad "$2: not valid KCIDB v5.3: $(head -3 "$work/verr")"
	fi
}

rc=0
"$ZP" matrix "$kernel" --paths qemu-bios,qemu-pvh --machine pc -j2 --accel tcg --timeout 120 \
	--kcidb "$work/k.json" --kcidb-origin zp_test --json "$work/m.json" \
	> "$work/table" 2> "$work/err" || rc=$?
cat "$work/table"
check "exit code" $rc 0
validate "$work/k.json" "matrix --kcidb"

sha=$(sha256sum "$kernel" | cut -c1-64)
version=$("$ZP" info --json "$kernel" | jq -r .kernel_version)
k="$work/k.json"
check "schema version" "$(jq -c .version "$k")" '{"major":5,"minor":3}'
check "one checkout" "$(jq '.checkouts | length' "$k")" 1
check "checkout: the kernel's version" "$(jq -r '.checkouts[0].comment' "$k")" "$version"
check "checkout id" "$(jq -r '.checkouts[0].id' "$k" | sed 's/@[0-9a-f]\{16\}$/@H/')" \
	"zp_test:$(echo "$version" | cut -d' ' -f1)@H"
check "build id: origin and sha256sum" "$(jq -r '.builds[] | .id' "$k")" "zp_test:$sha"
check "build -> checkout" "$(jq -r '.builds[0].checkout_id == .checkouts[0].id' "$k")" true
check "tests" "$(jq -r '[.tests[] | "\(.id) \(.path) \(.status)"] | join(",")' "$k")" \
	"zp_test:$(echo $sha | cut -c1-16)/boot.qemu-bios.pc boot.qemu-bios.pc PASS,zp_test:$(echo $sha | cut -c1-16)/boot.qemu-pvh.pc boot.qemu-pvh.pc PASS"
check "tests -> build" "$(jq '[.tests[] | .build_id == "zp_test:'$sha'"] | all' "$k")" true
check "start_time RFC 3339, duration > 0" "$(jq '[.tests[] | (.start_time | test("^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\.[0-9]{6}\\+00:00$")) and .duration > 0] | all' "$k")" true
check "log_excerpt: the console's tail, at most 16384" \
	"$(jq '[.tests[].log_excerpt | contains("ZEROPAGE-PROBE") and length <= 16384 and (explode | index(0)) == null] | all' "$k")" true
check "misc: our verdict" "$(jq -r '[.tests[].misc.verdict] | join(",")' "$k")" "ok,ok"
check "misc: the kernel entry" "$(jq -r '[.tests[].misc.entry] | join(",")' "$k")" "real-mode-16,pvh"
check "environment" "$(jq -r '.tests[1].environment.comment' "$k")" "QEMU pc, tcg"
# the KCIDB status and the JSON's verdict agree row by row
check "same rows as --json" "$(jq -r '[.results[] | "boot.\(.path).\(.machine)"] | join(",")' "$work/m.json")" \
	"$(jq -r '[.tests[].path] | join(",")' "$k")"

# FAIL and SKIP from a run that cannot pass: the vmlinux has no bzImage
# for qemu-bios (skipped), 0.5 s is too short to boot (timeout), pc has
# no Xen (n/a)
"$ZP" extract "$kernel" -o "$work/vmlinux" > /dev/null
rc=0
"$ZP" matrix "$work/vmlinux" --paths qemu-bios,qemu-pvh,xen-pv --machine pc --accel tcg \
	--timeout 0.5 --kcidb "$work/f.json" > "$work/ftable" 2> "$work/ferr" || rc=$?
check "failing run: exit code" $rc 8
validate "$work/f.json" "failing run --kcidb"
check "failing run: statuses" \
	"$(jq -r '[.tests[] | "\(.path)=\(.status)/\(.misc.verdict)"] | join(" ")' "$work/f.json")" \
	"boot.qemu-bios.pc=SKIP/skipped boot.qemu-pvh.pc=FAIL/timeout boot.xen-pv.pc=SKIP/n/a"
check "failing run: default origin" "$(jq -r '[.tests[].id | startswith("zeropage:")] | all' "$work/f.json")" true
# the vmlinux is the bzImage's kernel: the same checkout, another build
check "vmlinux: the bzImage's checkout" "$(jq -r '.checkouts[0].id' "$work/f.json" | cut -d: -f2)" \
	"$(jq -r '.checkouts[0].id' "$k" | cut -d: -f2)"

rc=0
"$ZP" matrix "$kernel" --kcidb "$work/x.json" --kcidb-origin Bad-Origin 2> "$work/uerr" || rc=$?
check "bad origin: usage error" $rc 2
grep -q "expected \[a-z0-9_\]+" "$work/uerr" && ok "bad origin: says why" || bad "bad origin: $(cat "$work/uerr")"

[ $fails -eq 0 ]
