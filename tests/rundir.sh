#!/bin/sh
# Temporary directories of runs killed with SIGKILL are removed by the next
# run; nothing else is (tools/machine/rundir.c): never a live run's, never
# a user's directory that merely looks like ours or looks old.
#
# A `zeropage matrix` is killed with SIGKILL while it boots: its directory
# stays (nothing can act on its own SIGKILL).  Beside it, directories made
# by hand: one marked as ours whose lock a live process holds, one marked
# and free (a dead run's, with a symlink out and a subtree), and a user's
# look-alikes: zeropage.backup and zeropage.abcdef (the right length, no
# marker, two days old), a copy of the killed run's directory (its marker
# names another inode), a marked one under another name pattern, a symlink
# to a marked one, and (as root) a marked one of another user.  The next
# `zeropage boot` must remove the killed run's and the dead one, and keep
# every other, with the files behind the symlinks.
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
[ -f "$killed/.zeropage-run" ] && ok "it carries our marker" || bad "no marker in $killed"

# What a run writes into its marker, for a directory made here.
mark() {
	printf 'zeropage run directory\nuid %s\ndir %s:%s\n' "$(stat -c %u "$1")" \
		$(stat -c '%d %i' "$1") > "$1/.zeropage-run"
}

mkdir "$T/zeropage.Live01" "$T/zeropage.Dead01" "$work/victim"
mark "$T/zeropage.Live01"
mark "$T/zeropage.Dead01"
echo precious > "$work/victim/file"
mkdir -p "$T/zeropage.Dead01/a/b/c"
echo x > "$T/zeropage.Dead01/a/b/c/f"
ln -s "$work/victim" "$T/zeropage.Dead01/a/out"
ln -s "$work/victim/file" "$T/zeropage.Dead01/file-link"

mkdir -p "$T/zeropage.backup/src" "$T/zeropage.abcdef"
echo mine > "$T/zeropage.backup/src/notes"
: > "$T/zeropage.abcdef/.lock"
cp -a "$killed" "$T/zeropage.Copy01"
mkdir "$T/zeropage.old" "$work/linked"
mark "$T/zeropage.old"
mark "$work/linked"
ln -s "$work/linked" "$T/zeropage.Link01"
if [ "$(id -u)" = 0 ]; then
	mkdir "$T/zeropage.Other1"
	chown 65534 "$T/zeropage.Other1"
	mark "$T/zeropage.Other1"
fi
touch -d '2 days ago' "$T/zeropage.backup" "$T/zeropage.abcdef" "$T/zeropage.Copy01" \
	"$T/zeropage.old" "$T/zeropage.Dead01"
# the lock's holder is the sleep itself, so killing it leaves nothing running
(exec 9>>"$T/zeropage.Live01/.zeropage-run" && flock 9 && exec sleep 60) &
holder=$!
sleep 0.3

# any boot sweeps first; a short timeout is enough, its verdict does not matter
TMPDIR=$T "$ZP" boot "$kernel" --entry qemu-bios --timeout 1 >/dev/null 2>&1 || true
state() { [ -e "$1" ] && echo kept || echo removed; }
check "the killed run's directory is removed" "$(state "$killed")" removed
check "a dead run's directory (marker, free lock) is removed" "$(state "$T/zeropage.Dead01")" removed
check "  without following its symlinks out" "$(cat "$work/victim/file")" precious
check "a live run's directory is kept" "$(state "$T/zeropage.Live01")" kept
check "a user's zeropage.backup is kept" "$(cat "$T/zeropage.backup/src/notes")" mine
check "an old zeropage.abcdef without our marker is kept" "$(state "$T/zeropage.abcdef/.lock")" kept
check "a copy of a run's directory (marker of another inode) is kept" \
	"$(state "$T/zeropage.Copy01/.zeropage-run")" kept
check "a marked directory under another name is kept" "$(state "$T/zeropage.old/.zeropage-run")" kept
check "a symlink with our name is not followed" "$(state "$work/linked/.zeropage-run")" kept
if [ "$(id -u)" = 0 ]; then
	check "another user's marked directory is kept" "$(state "$T/zeropage.Other1")" kept
else
	echo "skip another user's directory: needs root to make one"
fi
check "nothing of the boot is left" \
	"$(ls -A "$T" | grep -cv '^zeropage\.\(Live01\|backup\|abcdef\|Copy01\|old\|Link01\|Other1\)$')" 0
kill $holder 2>/dev/null
wait $holder 2>/dev/null || true
[ $fails -eq 0 ] && echo "rundir.sh: all passed"
