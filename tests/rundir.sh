#!/bin/sh
# Temporary directories of runs killed with SIGKILL are removed by the next
# run, and never one of a live run (tools/machine/rundir.c).
#
# A `zeropage matrix` is killed with SIGKILL while it boots: its directory
# stays (nothing can act on its own SIGKILL).  Beside it, a directory whose
# lock a live process holds, one with a free lock, and one without a lock
# file that is fresh.  The next `zeropage boot` must remove the killed
# run's and the free one, and keep the live and the fresh ones.
. tests/lib.shinc
need_kernel
T=$work/tmp
mkdir -p "$T"

TMPDIR=$T "$ZP" matrix "$kernel" --paths qemu-bios --machine pc --timeout 60 \
	>/dev/null 2>&1 &
pid=$!
# wait for its directory and its QEMU
for _ in $(seq 100); do
	set -- "$T"/zeropage.*
	[ -d "$1" ] && pgrep -P $pid >/dev/null && break
	sleep 0.1
done
killed=$1
kill -9 $pid
wait $pid 2>/dev/null || true
[ -d "$killed" ] && ok "SIGKILL leaves $killed behind" || bad "no directory left to test with"

mkdir "$T/zeropage.live" "$T/zeropage.free" "$T/zeropage.fresh"
: > "$T/zeropage.free/.lock"
flock "$T/zeropage.live/.lock" sleep 60 &
holder=$!
sleep 0.3

# any boot sweeps first; a short timeout is enough, its verdict does not matter
TMPDIR=$T "$ZP" boot "$kernel" --entry qemu-bios --timeout 1 >/dev/null 2>&1 || true
check "the killed run's directory is removed" "$([ -e "$killed" ] && echo kept || echo removed)" removed
check "a free lock's directory is removed" "$([ -e "$T/zeropage.free" ] && echo kept || echo removed)" removed
check "a live run's directory is kept" "$([ -d "$T/zeropage.live" ] && echo kept || echo removed)" kept
check "a fresh lockless directory is kept" "$([ -d "$T/zeropage.fresh" ] && echo kept || echo removed)" kept
check "nothing else of the boot is left" "$(ls -A "$T" | grep -cv '^zeropage\.\(live\|fresh\)$')" 0
kill $holder 2>/dev/null
wait $holder 2>/dev/null || true
[ $fails -eq 0 ] && echo "rundir.sh: all passed"
