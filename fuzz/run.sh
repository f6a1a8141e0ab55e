#!/bin/sh
# Runs one libFuzzer target for a bounded time.
#
#   fuzz/run.sh BIN SEED_DIR SECONDS
#
# New inputs go to a work corpus beside BIN, never into the committed seeds.
# On a crash the input is kept under <dir of BIN>/crashes/<target>/ and the
# command that replays it is printed, so a CI log alone is enough to reproduce.
set -eu
bin=$1 seeds=$2 secs=$3
name=$(basename "$bin")
target=${name#fuzz_}
dir=$(dirname "$bin")
work="$dir/work/$target" art="$dir/crashes/$target" log="$dir/logs/$target.log"
mkdir -p "$work" "$art" "$(dirname "$log")"
: "${UBSAN_OPTIONS:=print_stacktrace=1}"
export UBSAN_OPTIONS

echo "fuzz: $name for ${secs}s (seeds $seeds, log $log)"
rc=0
# -timeout: one slow input (a decompression bomb) is a finding, not a hang.
"$bin" -max_total_time="$secs" -timeout=25 -rss_limit_mb=2560 \
	-print_final_stats=1 -artifact_prefix="$art/" \
	"$work" "$seeds" >"$log" 2>&1 || rc=$?

grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' \
	"$log" | sed "s/^/  $target /" || true
grep -E '^#[0-9]+ *DONE' "$log" | tail -n 1 | sed "s/^/  $target /" || true
if [ $rc -ne 0 ]; then
	crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
	# The report from its first line (sanitizer, invariant or libFuzzer).
	first=$(grep -n -m1 -E '==ERROR|invariant broken|runtime error|ERROR: libFuzzer' "$log" |
		cut -d: -f1)
	sed -n "$((${first:-1} > 1 ? ${first:-1} - 1 : 1)),+80p" "$log"
	echo "fuzz: $name FAILED (exit $rc)"
	if [ -n "$crash" ]; then
		echo "fuzz: crashing input: $crash"
		echo "fuzz: reproduce with: $bin $crash"
	fi
	exit 1
fi
echo "fuzz: $name ok"
