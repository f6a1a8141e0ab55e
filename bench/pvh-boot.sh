#!/bin/sh
# bench/pvh-boot.sh [KERNEL]: time from QEMU start to init's report, per
# boot path, for one kernel (default: the Debian cloud kernel).
#
#   qemu-bios       QEMU's own bzImage loader (-kernel bzImage: SeaBIOS,
#                   linuxboot option ROM, 16-bit entry, decompressor)
#   qemu-pvh        QEMU's PVH loader on the extracted vmlinux (the
#                   kernel's own PVH entry, no decompressor, no KASLR)
#   bundle-64       zeropage bundle --entry 64 (shim, then decompressor)
#   vmlinux-kaslr   zeropage bundle --entry vmlinux, the default bundle: the
#                   shim, no decompressor; the shim randomises the kernel's
#                   physical base and virtual offset (moves it, applies the
#                   kernel's relocation table)
#   vmlinux-nokaslr zeropage bundle --entry vmlinux --no-kaslr (the kernel
#                   stays at its link address)
#
# Runs are interleaved (one of each path per round, RUNS rounds, default 5,
# the order rotated every round) so that a slow moment of a shared host hits
# every path alike; the table gives the median, min and max and each
# median's ratio to qemu-bios and to qemu-pvh.  The clock stops when the
# probe init's line is complete on the serial console, so every path is
# timed to the same event: userspace reporting.
#
# Then: whether the KASLR row is within 1.10x of qemu-pvh in this run
# (information, never a gate), what KASLR costs against --no-kaslr (the
# shim's move and relocation in the guest), and a check from the shim's
# console line that every KASLR boot was randomised ("kaslr phys ...") and
# every --no-kaslr boot was not ("kaslr off: ..."), with the bases seen.
# Exit status 1 only when that check fails; never on a time.
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
	--entry 64 -o "$work/b64.elf" > /dev/null &&
"$ZP" bundle --kernel "$kernel" --initrd "$work/probe.cpio" --cmdline "$cmdline" \
	--entry vmlinux -o "$work/bvm.elf" > /dev/null &&
"$ZP" bundle --kernel "$kernel" --initrd "$work/probe.cpio" --cmdline "$cmdline" \
	--entry vmlinux --no-kaslr -o "$work/bvm-nokaslr.elf" > /dev/null || exit 1

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# One boot; prints milliseconds from QEMU start to the complete probe line,
# or "fail".  QEMU is always killed afterwards.  The console stays in
# $work/serial until the next boot.
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

# What the shim said about KASLR on the last boot: the end of its plan's
# line after "kaslr ", then its second line's time for the move and
# relocation when it randomised ("done ... in N TSC ticks"), or "none" when
# it printed no line.
shim_kaslr() {
	l=$(tr -d '\r' < "$work/serial" | grep -a '^zeropage-shim: entry ' | head -n 1)
	d=$(tr -d '\r' < "$work/serial" | grep -a '^zeropage-shim: done ' | head -n 1)
	case $l in
	*", kaslr phys "*) printf '%s%s\n' "${l##*, kaslr }" "${d:+; ${d#zeropage-shim: }}" ;;
	*", kaslr "*) printf '%s\n' "${l##*, kaslr }" ;;
	*) echo none ;;
	esac
}

label() {
	case $1 in
	qemu-bios) echo "qemu-bios (-kernel bzImage)" ;;
	qemu-pvh) echo "qemu-pvh (-kernel vmlinux)" ;;
	bundle-64) echo "bundle entry 64" ;;
	vmlinux-kaslr) echo "bundle entry vmlinux (KASLR)" ;;
	vmlinux-nokaslr) echo "bundle entry vmlinux --no-kaslr" ;;
	esac
}

paths="qemu-bios qemu-pvh bundle-64 vmlinux-kaslr vmlinux-nokaslr"
npaths=$(echo $paths | wc -w)
for p in $paths; do : > "$work/t.$p"; : > "$work/k.$p"; done
r=1
while [ $r -le "$RUNS" ]; do
	# this round's order: the list rotated by r - 1
	set -- $paths
	i=1
	while [ $i -lt $(((r - 1) % npaths + 1)) ]; do
		first=$1; shift; set -- "$@" "$first"; i=$((i + 1))
	done
	for p in "$@"; do
		case $p in
		qemu-bios) t=$(time_boot -kernel "$kernel" -initrd "$work/probe.cpio" \
				-append "$cmdline$extra") ;;
		qemu-pvh) t=$(time_boot -kernel "$work/vmlinux" -initrd "$work/probe.cpio" \
				-append "$cmdline$extra") ;;
		bundle-64) t=$(time_boot -kernel "$work/b64.elf" -append "${extra# }") ;;
		vmlinux-kaslr) t=$(time_boot -kernel "$work/bvm.elf" -append "${extra# }") ;;
		vmlinux-nokaslr) t=$(time_boot -kernel "$work/bvm-nokaslr.elf" \
				-append "${extra# }") ;;
		esac
		# one line per round, in round order, for the paired ratios
		echo "$r $t" >> "$work/t.$p"
		case $p in vmlinux-*) shim_kaslr >> "$work/k.$p" ;; esac
		printf 'round %d %-16s %s ms\n' "$r" "$p" "$t" >&2
	done
	r=$((r + 1))
done

stats() {	# FILE -> "n median min max fails"
	cut -d' ' -f2 "$1" | grep -v fail | sort -n | awk -v fails="$(grep -c fail "$1")" '
		{ v[NR] = $1 }
		END {
			if (NR == 0) { print 0, "-", "-", "-", fails; exit }
			m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			print NR, m, v[1], v[NR], fails
		}'
}

ratio() {	# A B -> A / B to two places, or "-"
	if [ "$1" = - ] || [ "$2" = - ]; then echo -; return; fi
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

# Median over the rounds where both booted of A's time OP B's time
# (OP "/" or "-"), or "-".
paired() {	# FILE-A FILE-B OP
	paste -d ' ' "$1" "$2" | awk -v op="$3" '$2 != "fail" && $4 != "fail" {
			v[++n] = op == "/" ? $2 / $4 : $2 - $4 }
		END {
			if (!n) { print "-"; exit }
			for (i = 2; i <= n; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
			m = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
			printf op == "/" ? "%.3f\n" : "%+.0f\n", m
		}'
}

set -- $(stats "$work/t.qemu-bios"); bios=$2
set -- $(stats "$work/t.qemu-pvh"); pvh=$2
set -- $(stats "$work/t.vmlinux-kaslr"); kaslr=$2
set -- $(stats "$work/t.vmlinux-nokaslr"); nokaslr=$2
printf '\nTime from QEMU start to init'"'"'s report, %s, TCG, %s interleaved rounds, %s\n' \
	"$MACHINE" "$RUNS" "$(basename "$kernel")"
printf '%-32s %3s %9s %7s %7s %5s %13s %12s\n' path ok median_s min_s max_s fail \
	"vs qemu-bios" "vs qemu-pvh"
for p in $paths; do
	set -- $(stats "$work/t.$p")
	if [ "$2" = - ]; then
		printf '%-32s %3s %9s %7s %7s %5s %13s %12s\n' "$(label $p)" 0 - - - "$5" - -
		continue
	fi
	awk -v p="$(label $p)" -v n="$1" -v m="$2" -v lo="$3" -v hi="$4" -v f="$5" \
	    -v rb="$(ratio "$2" "$bios")" -v rp="$(ratio "$2" "$pvh")" 'BEGIN {
		printf "%-32s %3d %9.3f %7.3f %7.3f %5d %13s %12s\n", p, n, m / 1000, lo / 1000,
			hi / 1000, f, rb, rp }'
done

echo
rk=$(ratio "$kaslr" "$pvh")
if [ "$rk" = - ]; then
	echo "KASLR row vs qemu-pvh: no comparison (a path failed every round)"
else
	verdict=$(awk -v r="$kaslr" -v b="$pvh" 'BEGIN { print (r <= 1.10 * b) ? "within" : "ABOVE" }')
	printf 'KASLR row vs qemu-pvh: %sx (medians %s s / %s s): %s 1.10x in this run (information, not a gate)\n' \
		"$rk" "$(awk -v a="$kaslr" 'BEGIN { printf "%.3f", a / 1000 }')" \
		"$(awk -v a="$pvh" 'BEGIN { printf "%.3f", a / 1000 }')" "$verdict"
	printf '  median of the per-round ratios: KASLR / qemu-pvh %s, --no-kaslr / qemu-pvh %s\n' \
		"$(paired "$work/t.vmlinux-kaslr" "$work/t.qemu-pvh" /)" \
		"$(paired "$work/t.vmlinux-nokaslr" "$work/t.qemu-pvh" /)"
fi
if [ "$kaslr" != - ] && [ "$nokaslr" != - ]; then
	printf 'KASLR - --no-kaslr: %s ms between the medians, %s ms median per-round difference:\n' \
		"$(awk -v a="$kaslr" -v b="$nokaslr" 'BEGIN { printf "%+.0f", a - b }')" \
		"$(paired "$work/t.vmlinux-kaslr" "$work/t.vmlinux-nokaslr" -)"
	echo "  the shim's move of the kernel and its relocation, in the guest under TCG (bench/relocs: the host's cost)"
fi

# The shim's own word on every KASLR boot.
echo
ok=yes
n=$(grep -c . "$work/k.vmlinux-kaslr")
nr=$(grep -c '^phys 0x' "$work/k.vmlinux-kaslr")
nphys=$(sed -n 's/^phys \(0x[0-9a-f]*\) .*/\1/p' "$work/k.vmlinux-kaslr" | sort -u | grep -c .)
nvirt=$(sed -n 's/.* virt +\(0x[0-9a-f]*\) .*/\1/p' "$work/k.vmlinux-kaslr" | sort -u | grep -c .)
printf 'kaslr check, %s: %d of %d boots say "kaslr phys", %d distinct phys, %d distinct virt\n' \
	"$(label vmlinux-kaslr)" "$nr" "$n" "$nphys" "$nvirt"
sed 's/^/  /' "$work/k.vmlinux-kaslr"
[ "$nr" -eq "$n" ] && [ "$n" -gt 0 ] || ok=no
# The shim times its move and relocation in TSC ticks; under TCG the
# guest's TSC is the host's, so the host's rate converts them.
mhz=$(awk -F: '/^cpu MHz/ { print $2; exit }' /proc/cpuinfo)
ticks=$(sed -n 's/.*done moving and relocating the kernel in \([0-9]*\) TSC ticks.*/\1/p' \
	"$work/k.vmlinux-kaslr" | sort -n)
if [ -n "$ticks" ] && [ -n "$mhz" ]; then
	med=$(echo "$ticks" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
	printf 'shim move + relocation, in the guest: median %.1f ms over %d boots (%s TSC ticks at %.0f MHz)\n' \
		"$(awk -v t="$med" -v m="$mhz" 'BEGIN { print t / m / 1000 }')" \
		"$(echo "$ticks" | grep -c .)" "$med" "$mhz"
fi
n=$(grep -c . "$work/k.vmlinux-nokaslr")
no=$(grep -c '^off: ' "$work/k.vmlinux-nokaslr")
printf 'kaslr check, %s: %d of %d boots say "kaslr off:"\n' "$(label vmlinux-nokaslr)" "$no" "$n"
sort -u "$work/k.vmlinux-nokaslr" | sed 's/^/  /'
[ "$no" -eq "$n" ] && [ "$n" -gt 0 ] || ok=no
if [ $ok = no ]; then
	echo "kaslr check FAILED: a KASLR boot was not randomised, or a --no-kaslr one was"
	exit 1
fi
echo "kaslr check: ok"
