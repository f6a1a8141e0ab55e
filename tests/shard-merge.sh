#!/bin/sh
# The CI job definitions (ci/github/zeropage-matrix.yml,
# ci/gitlab/zeropage-matrix.yml) run here as the engines would run them:
# tests/fixtures/ci-jobs.py reads each (python3-yaml: well-formed, the
# shape the jobs need) and writes the commands of its N shard jobs and its
# merge job, the engine's shard numbers put in as the engine does (GitHub's
# matrix.shard and strategy.job-total, GitLab's CI_NODE_INDEX and
# CI_NODE_TOTAL from `parallel`).  Both engines must run the same
# zeropage commands (ZEROPAGE_CI_DRY prints them); then GitHub's shards and
# merge run for real, in a directory laid out as the job's checkout, on a
# grid small enough for TCG (the real kernel and its extracted vmlinux x
# qemu-bios, qemu-pvh, shim-64, shim-32 on pc; `--accel auto` as in the
# jobs, TCG here), and the merged report's rows must be those of one
# unsharded `zeropage matrix` run.
. tests/lib.shinc

need_kernel
need_kcidb_schema
"$ZP" extract "$kernel" -o "$work/vmlinux" > /dev/null
top=$(pwd)
for engine in github gitlab; do
	mkdir -p "$work/$engine"
	if "$py" tests/fixtures/ci-jobs.py $engine ci/$engine/zeropage-matrix.yml "$work/$engine" \
		2> "$work/$engine.err"; then
		ok "$engine: the job definition reads, $(cat "$work/$engine/shards") shards"
	else
		bad "$engine: $(cat "$work/$engine.err")"
	fi
done
check "github and gitlab: as many shards" "$(cat "$work/github/shards")" "$(cat "$work/gitlab/shards")"
check "github and gitlab: the same settings" "$(sort "$work/github/env" | paste -sd';' -)" \
	"$(sort "$work/gitlab/env" | paste -sd';' -)"
n=$(cat "$work/github/shards")

# A job: its variables, then this test's grid (kernels, paths, machines:
# small enough for TCG), then its commands, in a directory that is the
# checkout as the job sees it (ci/, scripts/, build/).
mkdir -p "$work/run"
ln -s "$top/ci" "$work/run/ci"
ln -s "$top/scripts" "$work/run/scripts"
ln -s "$(cd "$BUILD" && pwd)" "$work/run/build"
job() {	# job ENGINE SCRIPT [VAR=VALUE...]
	e=$1 s=$2
	shift 2
	(cd "$work/run" && . "$work/$e/env" &&
	 export ZEROPAGE_CI_KERNELS="$kernel $work/vmlinux" ZEROPAGE_CI_MACHINES=pc \
		ZEROPAGE_CI_PATHS=qemu-bios,qemu-pvh,shim-64,shim-32 ZEROPAGE_CI_TIMEOUT=120 "$@" &&
	 sh -e "$work/$e/$s")
}
for s in $(seq 1 "$n" | sed 's/.*/shard-&.sh/') merge.sh; do
	check "github and gitlab: $s runs the same" \
		"$(job github $s ZEROPAGE_CI_DRY=1 2>&1)" "$(job gitlab $s ZEROPAGE_CI_DRY=1 2>&1)"
done
k=2
check "shard $k/$n: the command" "$(job gitlab shard-$k.sh ZEROPAGE_CI_DRY=1)" \
	"build/zeropage matrix $kernel $work/vmlinux --machine pc --paths qemu-bios,qemu-pvh,shim-64,shim-32 --timeout 120 -j 2 --accel auto --shard $k/$n --json ./shard-$k.json"

for k in $(seq 1 "$n"); do
	rc=0
	job github shard-$k.sh > "$work/s$k.out" 2>&1 || rc=$?
	check "github shard $k/$n: exit code" $rc 0
	# --accel auto: KVM where it runs at hardware speed, TCG elsewhere
	# (here), said on stderr and kept in every row
	accel=$(sed -n 's/^zeropage matrix: --accel auto chose \([a-z]*\):.*/\1/p' "$work/s$k.out")
	check "github shard $k/$n: --accel auto chose, rows ran with it" \
		"$(jq -r '[.results[].accel] | unique | join(",")' "$work/run/shard-$k.json")" "${accel:-none said}"
done
rc=0
job github merge.sh > "$work/merge.out" 2>&1 || rc=$?
cat "$work/merge.out"
check "github merge: exit code" $rc 0

rc=0
"$ZP" matrix "$kernel" "$work/vmlinux" --paths qemu-bios,qemu-pvh,shim-64,shim-32 --machine pc \
	--timeout 120 -j2 --json "$work/all.json" > "$work/all.out" 2>&1 || rc=$?
check "unsharded: exit code" $rc 0
rows() { jq -r '.results[] | "\(.row) \(.kernel) \(.path) \(.machine) \(.verdict)"' "$1" | sort -n; }
check "unsharded: 8 rows" "$(rows "$work/all.json" | wc -l)" 8
check "merged: the unsharded rows" "$(rows "$work/run/matrix.json" | paste -sd';' -)" \
	"$(rows "$work/all.json" | paste -sd';' -)"
check "merged: the unsharded table" \
	"$(grep -E '^(qemu|shim)-' "$work/merge.out" | awk '{print $1, $2, $3}' | paste -sd';' -)" \
	"$(grep -E '^(qemu|shim)-' "$work/all.out" | awk '{print $1, $2, $3}' | paste -sd';' -)"
xmllint --noout "$work/run/matrix.xml" 2> /dev/null && ok "merged: matrix.xml well-formed" ||
	bad "merged: matrix.xml not well-formed"
check "merged: JUnit, a test a row" "$(grep -c '<testcase ' "$work/run/matrix.xml")" 8
if "$py" tests/fixtures/kcidb-validate.py "$schema" "$work/run/kcidb.json" 2> "$work/verr"; then
	ok "merged: kcidb.json valid v5.3"
else
	bad "merged: kcidb.json: $(head -3 "$work/verr")"
fi
check "merged: KCIDB origin from the job's settings" \
	"$(jq -r '[.tests[].origin] | unique | join(",")' "$work/run/kcidb.json")" zeropage

# a shard job that failed before uploading: the merge fails, naming it
rm "$work/run/shard-2.json"
rc=0
job github merge.sh > /dev/null 2> "$work/missing.err" || rc=$?
check "merge without shard 2: exit code" $rc 1
grep -q "shard 2/$n is missing" "$work/missing.err" && ok "merge without shard 2: says so" ||
	bad "merge without shard 2: $(cat "$work/missing.err")"
# a shard whose matrix cannot run fails its job; rows that fail do not
rc=0
job github shard-1.sh ZEROPAGE_CI_PATHS=no-such-path > /dev/null 2>&1 || rc=$?
check "shard with a bad grid: exit code" $rc 2
[ $fails -eq 0 ]
