#!/bin/sh
# zeropage info on bundles whose descriptor the shim could not honour: a
# bundle of the real kernel (command line and initrd included) with one
# descriptor field overwritten at a time.  Each is refused, text and
# --json alike: exit 1, nothing on stdout, and one line on stderr naming
# the file, the field and its value.  (Until this test, cmdline_len =
# UINT64_MAX overflowed a pointer and entry 2 was described as valid.)
# boots: none
. tests/lib.shinc
. tests/bundle_lib.shinc

need_kernel
"$ZP" initramfs -o "$work/probe.cpio" || { echo "FAIL zeropage initramfs"; exit 1; }
"$ZP" bundle --kernel "$kernel" --initrd "$work/probe.cpio" --cmdline "console=ttyS0" \
	-o "$work/good.elf" || { echo "FAIL bundle"; exit 1; }
"$ZP" info "$work/good.elf" > /dev/null && ok "info on the good bundle exits 0" ||
	bad "info on the good bundle exits 0"
desc=$("$ZP" info --json "$work/good.elf" | jq -r .descriptor)
set -- $(phdr_of "$work/good.elf" LOAD "$desc")
[ -n "${2:-}" ] || { echo "FAIL no PT_LOAD at the descriptor $desc"; exit 1; }
at=$2

refused() {	# NAME FIELD-OFFSET BYTES VALUE WANT
	cp "$work/good.elf" "$work/bad.elf"
	put_le "$work/bad.elf" $((at + $2)) "$3" "$4"
	for json in "" --json; do
		rc=0
		"$ZP" info $json "$work/bad.elf" > "$work/out" 2> "$work/err" || rc=$?
		if [ $rc -eq 1 ] && [ ! -s "$work/out" ] && [ "$(wc -l < "$work/err")" -eq 1 ] &&
		   grep -q "^zeropage info: $work/bad.elf: bundle descriptor: " "$work/err" &&
		   grep -qF -- "$5" "$work/err"; then
			ok "$1${json:+ ($json)}: $(cat "$work/err")"
		else
			bad "$1${json:+ ($json)}: exit $rc, stdout $(wc -c < "$work/out") bytes, stderr '$(cat "$work/err")', want '$5'"
		fi
	done
}

# Offsets: include/zeropage/bundle.h (ZP_PIN).  put_le takes shell numbers,
# so UINT64_MAX is -1 and 0xfffffffffffff000 is -4096.
refused "cmdline_len UINT64_MAX" 0x60 8 -1 "cmdline_len 0xffffffffffffffff"
refused "entry 2" 0x0c 4 2 "entry 2 is none of 64, 32, 1 (vmlinux)"
refused "handoff 0xffffffff" 0x10 4 0xffffffff "handoff 4294967295 (0xffffffff)"
refused "unknown flags" 0x14 4 0x100 "flags 0x100 has unknown bits 0x100"
refused "initrd that wraps" 0x48 8 -4096 "initrd_paddr 0xfffffffffffff000 + initrd_size"
refused "initrd past the file" 0x50 8 0x1000000 "initrd_size 0x1000000 lies past the end"
refused "kernel above 4 GiB" 0x30 8 0x100000000 "kernel_addr 0x100000000 + kernel_span"
refused "kernel_span too small" 0x38 8 0x1000 "kernel_span 0x1000 is smaller than the kernel"

[ $fails -eq 0 ] && echo "bundle descriptors: all ok"
exit $((fails != 0))
