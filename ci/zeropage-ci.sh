#!/bin/sh
# ci/zeropage-ci.sh - the boot matrix's two CI steps.  The job definitions
# (ci/github/zeropage-matrix.yml, ci/gitlab/zeropage-matrix.yml) call this
# and nothing else for the matrix, so tests/shard-merge.sh runs exactly
# what a CI runs (doc/ci.md).
#
#   ci/zeropage-ci.sh shard K N   run shard K of N of the grid: shard-K.json
#   ci/zeropage-ci.sh merge       merge every shard-*.json: matrix.xml (JUnit),
#                                 kcidb.json (KCIDB), matrix.json; the table
#                                 on stdout
#
# Settings, from the job's environment (every shard must get the same):
#   ZEROPAGE              the zeropage to run (default build/zeropage)
#   ZEROPAGE_CI_KERNELS   kernel images, separated by spaces (default: the
#                         Debian cloud kernel, scripts/fetch-kernel.sh)
#   ZEROPAGE_CI_MACHINES  --machine (default: zeropage's, pc,microvm)
#   ZEROPAGE_CI_PATHS     --paths (default: every path)
#   ZEROPAGE_CI_JOBS      -j, guests at a time per shard (default 2)
#   ZEROPAGE_CI_TIMEOUT   --timeout per boot (default: zeropage's)
#   ZEROPAGE_CI_ACCEL     --accel (default auto: KVM where the runner's
#                         /dev/kvm runs at hardware speed, else TCG)
#   ZEROPAGE_CI_ORIGIN    the KCIDB origin (default zeropage)
#   ZEROPAGE_CI_OUT       where the files go (default .)
#   ZEROPAGE_CI_DRY       1: print the zeropage command instead of running it
#
# Exit: a shard fails only when the matrix could not run (1, 2): rows that
# failed (8) are the merge's to judge, after every shard has reported.
# The merge exits as `zeropage report` does: 0 all passed, 8 some row
# failed, 1 a shard missing or not of the grid.
set -eu

zp=${ZEROPAGE:-build/zeropage}
out=${ZEROPAGE_CI_OUT:-.}

run() {
	if [ "${ZEROPAGE_CI_DRY:-}" = 1 ]; then
		printf '%s\n' "$*"
		return 0
	fi
	"$@"
}

shard() {
	k=$1 n=$2
	case $k/$n in
	*[!0-9/]* | /* | */) echo "zeropage-ci: shard K N: numbers, got '$k' '$n'" >&2; exit 2 ;;
	esac
	kernels=${ZEROPAGE_CI_KERNELS:-}
	if [ -z "$kernels" ]; then
		kernels=$(sh scripts/fetch-kernel.sh)
	fi
	# the optional settings, as positional parameters after the kernels
	set -f	# split at spaces, expand no patterns
	set -- $kernels
	set +f
	[ -z "${ZEROPAGE_CI_MACHINES:-}" ] || set -- "$@" --machine "$ZEROPAGE_CI_MACHINES"
	[ -z "${ZEROPAGE_CI_PATHS:-}" ] || set -- "$@" --paths "$ZEROPAGE_CI_PATHS"
	[ -z "${ZEROPAGE_CI_TIMEOUT:-}" ] || set -- "$@" --timeout "$ZEROPAGE_CI_TIMEOUT"
	mkdir -p "$out"
	rc=0
	run "$zp" matrix "$@" -j "${ZEROPAGE_CI_JOBS:-2}" --accel "${ZEROPAGE_CI_ACCEL:-auto}" \
		--shard "$k/$n" --json "$out/shard-$k.json" || rc=$?
	[ $rc -eq 0 ] || [ $rc -eq 8 ] || exit $rc
}

merge() {
	set -- "$out"/shard-*.json
	run "$zp" report "$@" --junit "$out/matrix.xml" --kcidb "$out/kcidb.json" \
		--kcidb-origin "${ZEROPAGE_CI_ORIGIN:-zeropage}" --json "$out/matrix.json"
}

case ${1:-} in
shard)
	[ $# -eq 3 ] || { echo "usage: $0 shard K N" >&2; exit 2; }
	shard "$2" "$3" ;;
merge)
	[ $# -eq 1 ] || { echo "usage: $0 merge" >&2; exit 2; }
	merge ;;
*)
	echo "usage: $0 shard K N | merge" >&2
	exit 2 ;;
esac
