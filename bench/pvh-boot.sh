#!/bin/sh
# bench/pvh-boot.sh [KERNEL]: time from QEMU start to init's report, per
# boot path, for one kernel (default: the Debian cloud kernel).
#
#   qemu-bios       QEMU's own bzImage loader (-kernel bzImage: SeaBIOS,
#                   linuxboot option ROM, 16-bit entry, decompressor)
#   qemu-pvh        QEMU's PVH loader on the extracted vmlinux (the
#                   kernel's own PVH entry, no decompressor)
#   bundle-64       zeropage bundle --entry 64 (shim, then decompressor)
#   bundle-vmlinux  zeropage bundle --entry vmlinux (shim, no decompressor)
#
# Runs are interleaved (one of each path per round, RUNS rounds, default 5)
# so that a slow moment of a shared host hits every path alike; the table
# gives the median, min and max and each median's ratio to qemu-bios.  The
# clock stops when the probe init's line is complete on the serial console,
# so every path is timed to the same event: userspace reporting.
#
#   RUNS=N  MACHINE=pc|microvm  BUILD=dir
set -u
BUILD=${BUILD:-build}
ZP=$BUILD/zeropage
RUNS=${RUNS:-5}
MACHINE=${MACHINE:-pc}
. tests/bundle_lib.shinc
kernel=${1:-$(sh scripts/fetch-kernel.sh)} || { echo "cannot fetch the kernel" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmdline="console=ttyS0 quiet"
extra=
[ "$MACHINE" = microvm ] && extra=" $(microvm_args)"
"$ZP" initramfs -o "$work/probe.cpio" &&
"$ZP" extract -q "$kernel" -o "$work/vmlinux" &&
"$ZP" bundle --kernel "$kernel" --initrd "$work/probe.cpio" --cmdline "$cmdline" \
	--entry 64 -o "$work/b64.elf" &&
"$ZP" bundle --kernel "$kernel" --initrd "$work/probe.cpio" --cmdline "$cmdline" \
	--entry vmlinux -o "$work/bvm.elf" || exit 1

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# One boot; prints milliseconds from QEMU start to the complete probe line,
# or "fail".  QEMU is always killed afterwards.
time_boot() {
	out=$work/serial
	: > "$out"
	t0=$(now_ms)
	"$QEMU" -accel tcg -display none -nodefaults -no-reboot -M "$MACHINE" -m 256M \
		-serial "file:$out" "$@" > /dev/null 2>&1 &
	pid=$!
	t=fail
	while [ $(($(now_ms) - t0)) -lt 120000 ]; do
		if has_probe "$out"; then
			t=$(($(now_ms) - t0))
			break
		fi
		kill -0 $pid 2>/dev/null || { has_probe "$out" &&
					     t=$(($(now_ms) - t0)); break; }
		sleep 0.01
	done
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	echo "$t"
}

paths="qemu-bios qemu-pvh bundle-64 bundle-vmlinux"
for p in $paths; do : > "$work/t.$p"; done
r=1
while [ $r -le "$RUNS" ]; do
	for p in $paths; do
		case $p in
		qemu-bios) t=$(time_boot -kernel "$kernel" -initrd "$work/probe.cpio" \
				-append "$cmdline$extra") ;;
		qemu-pvh) t=$(time_boot -kernel "$work/vmlinux" -initrd "$work/probe.cpio" \
				-append "$cmdline$extra") ;;
		bundle-64) t=$(time_boot -kernel "$work/b64.elf" -append "${extra# }") ;;
		bundle-vmlinux) t=$(time_boot -kernel "$work/bvm.elf" -append "${extra# }") ;;
		esac
		echo "$t" >> "$work/t.$p"
		printf 'round %d %-15s %s ms\n' "$r" "$p" "$t" >&2
	done
	r=$((r + 1))
done

stats() {	# FILE -> "n median min max fails"
	grep -v fail "$1" | sort -n | awk -v fails="$(grep -c fail "$1")" '
		{ v[NR] = $1 }
		END {
			if (NR == 0) { print 0, "-", "-", "-", fails; exit }
			m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			print NR, m, v[1], v[NR], fails
		}'
}

set -- $(stats "$work/t.qemu-bios")
base=$2
printf '\nTime from QEMU start to init'"'"'s report, %s, TCG, %s interleaved rounds\n' \
	"$MACHINE" "$RUNS"
printf '%-15s %5s %10s %8s %8s %6s %12s\n' path ok median_s min_s max_s fail "vs qemu-bios"
for p in $paths; do
	set -- $(stats "$work/t.$p")
	if [ "$2" = - ]; then
		printf '%-15s %5s %10s %8s %8s %6s %12s\n' "$p" 0 - - - "$5" -
		continue
	fi
	ratio=-
	[ "$base" != - ] && ratio=$(awk -v a="$2" -v b="$base" 'BEGIN { printf "%.2f", a / b }')
	awk -v p="$p" -v n="$1" -v m="$2" -v lo="$3" -v hi="$4" -v f="$5" -v r="$ratio" 'BEGIN {
		printf "%-15s %5d %10.3f %8.3f %8.3f %6d %12s\n", p, n, m / 1000, lo / 1000, hi / 1000, f, r }'
done
