#!/bin/sh
# What must NOT boot, and how it fails.
#
# `zeropage bundle` refuses kernels that cannot take the chosen entry, with a
# clear message and exit 1, and writes nothing.  In the guest, a bare shim,
# a corrupted bundle, a guest too small for the kernel and a bad start_info
# each give the shim's one-line COM1 error, "zeropage-shim: error: ...", and
# a halt: QEMU is still running afterwards and the guest says nothing more
# (it never jumps on bad input).
#
# The bad start_infos are made by editing a bundle (with_start_info in
# tests/bundle_lib.shinc): a stub enters the shim with %ebx at a start_info
# the test wrote.  QEMU's own start_info is never used.
. tests/lib.shinc
set +e	# each step is judged by its own check, not by set -e
. tests/bundle_lib.shinc
TIMEOUT=${ZEROPAGE_BOOT_TIMEOUT:-60}

need_kernel
"$ZP" initramfs -o "$work/probe.cpio" || { echo "FAIL zeropage initramfs"; exit 1; }

# ---- zeropage bundle refuses, clearly ----
refuses() {	# NAME EXPECTED-MESSAGE-PART ARGS...
	name=$1 want=$2
	shift 2
	rm -f "$work/out.elf"
	"$ZP" bundle "$@" -o "$work/out.elf" 2> "$work/err"
	rc=$?
	if [ $rc -eq 1 ] && grep -q -- "$want" "$work/err" && [ ! -e "$work/out.elf" ]; then
		ok "$name: $(head -n 1 "$work/err")"
	else
		bad "$name: exit $rc, stderr '$(cat "$work/err")', want exit 1 with '$want' and no output"
	fi
}

cp "$kernel" "$work/no64"	# xloadflags (0x236) without XLF_KERNEL_64
put_le "$work/no64" 0x236 2 $(( $(od -An -tu2 -j $((0x236)) -N 2 "$kernel") & ~1 ))
refuses "entry 64 without XLF_KERNEL_64" "cannot take entry 64" --kernel "$work/no64" --entry 64
refuses "entry vmlinux without XLF_KERNEL_64" "cannot take entry vmlinux" \
	--kernel "$work/no64" --entry vmlinux
cp "$kernel" "$work/no32"	# loadflags (0x211) without LOADED_HIGH: a zImage
put_le "$work/no32" 0x211 1 $(( $(od -An -tu1 -j $((0x211)) -N 1 "$kernel") & ~1 ))
refuses "entry 32 without a 32-bit entry" "cannot take entry 32" --kernel "$work/no32" --entry 32
cp "$kernel" "$work/badpayload"	# payload bytes destroyed mid-stream
setup=$(( ($(od -An -tu1 -j $((0x1f1)) -N 1 "$kernel") + 1) * 512 ))
poff=$(( setup + $(od -An -tu4 -j $((0x248)) -N 4 "$kernel") ))
dd if=/dev/zero of="$work/badpayload" bs=1 seek=$((poff + 4096)) count=4096 conv=notrunc status=none
refuses "entry vmlinux with a payload that does not extract" "cannot take entry vmlinux" \
	--kernel "$work/badpayload" --entry vmlinux
refuses "not a bzImage" "not a bzImage" --kernel "$work/probe.cpio"
long=$(head -c 3000 /dev/zero | tr '\0' x)
refuses "command line longer than cmdline_size" "exceeds the kernel's cmdline_size" \
	--kernel "$kernel" --cmdline "$long"

# ---- in the guest: one line, then a halt ----
halts() {	# NAME EXPECTED-MESSAGE-PART QEMU-ARGS...
	name=$1 want=$2
	shift 2
	boot_qemu "$work/halt.out" "$TIMEOUT" "$@"
	line=$(tr -d '\r' < "$work/halt.out" | grep -a '^zeropage-shim: error:' | head -n 1)
	if [ "$BOOT_STATUS" = shim-error ] && [ "$BOOT_ALIVE" = yes ] &&
	   printf '%s' "$line" | grep -q -- "$want"; then
		ok "$name: $line"
	else
		bad "$name: status $BOOT_STATUS, halted $BOOT_ALIVE, line '$line', want '$want'"
		tail -c 400 "$work/halt.out" | tr -d '\r' | sed 's/^/    /'
	fi
}

halts "bare shim (no kernel inside)" "no kernel in this image" \
	-M pc -m 256M -kernel "$BUILD/zeropage-shim.elf"

"$ZP" bundle --kernel "$kernel" --initrd "$work/probe.cpio" --cmdline "console=ttyS0" \
	-o "$work/good.elf" || { echo "FAIL bundle"; exit 1; }
json=$("$ZP" info --json "$work/good.elf")
image=$(printf '%s' "$json" | jq -r .image_paddr)
desc=$(printf '%s' "$json" | jq -r .descriptor)
# info --json on a bundle: the same "file" key as for every other image
check "info --json on a bundle: file" "$(printf '%s' "$json" | jq -r .file)" "$work/good.elf"
check "info --json on a bundle: format" "$(printf '%s' "$json" | jq -r .format)" bundle

# The descriptor's version (offset 4) from the future.
cp "$work/good.elf" "$work/badver.elf"
set -- $(phdr_of "$work/good.elf" LOAD "$desc")
put_le "$work/badver.elf" $(($2 + 4)) 4 9
halts "bundle descriptor of an unknown version" "descriptor version 9" \
	-M pc -m 256M -kernel "$work/badver.elf"

# A handoff no shim knows (offset 0x10): the shim halts with the words
# `zeropage info` refuses it with (tests/bundle-desc.sh): one rule, in lib/.
cp "$work/good.elf" "$work/badhandoff.elf"
put_le "$work/badhandoff.elf" $(($2 + 0x10)) 4 0xffffffff
halts "bundle descriptor with handoff 0xffffffff" \
	"bundle descriptor: handoff 4294967295 (0xffffffff) is neither" \
	-M pc -m 256M -kernel "$work/badhandoff.elf"

# The bzImage inside the bundle without its "HdrS" (the zero page's source).
cp "$work/good.elf" "$work/badhdr.elf"
set -- $(phdr_of "$work/good.elf" LOAD "$image")
put_bytes "$work/badhdr.elf" $(($2 + 0x202)) 'XXXX'
halts "bundle whose bzImage header is corrupt" "not a valid bzImage" \
	-M pc -m 256M -kernel "$work/badhdr.elf"

# Guests too small: the kernel loads but its init_size does not fit; or the
# VMM could not even load the kernel image.
halts "guest too small for init_size" "kernel needs 52 MiB at 0x1000000, guest RAM ends at" \
	-M microvm -m 48M -kernel "$work/good.elf"
halts "guest too small to hold the kernel image" "is not in guest RAM" \
	-M microvm -m 16M -kernel "$work/good.elf"

# ---- bad start_info ----
# (tamper_setup/with_start_info: tests/bundle_lib.shinc)
tamper_setup "$work/good.elf"
si=$TAMPER_SI si_off=$TAMPER_SI_OFF

with_start_info "$work/si-magic.elf"
put_le "$work/si-magic.elf" $si_off 4 0xdeadbeef
put_le "$work/si-magic.elf" $((si_off + 4)) 4 1
halts "start_info with a wrong magic" "bad start_info at $(printf 0x%x $si)" \
	-M pc -m 256M -kernel "$work/si-magic.elf"

with_start_info "$work/si-v0.elf"
put_le "$work/si-v0.elf" $si_off 4 0x336ec578
halts "start_info v0 without a memory map" "start_info v0 has no memory map" \
	-M pc -m 256M -kernel "$work/si-v0.elf"

with_start_info "$work/si-mods.elf"
put_le "$work/si-mods.elf" $si_off 4 0x336ec578
put_le "$work/si-mods.elf" $((si_off + 4)) 4 1
put_le "$work/si-mods.elf" $((si_off + 12)) 4 1000	# nr_modules
put_le "$work/si-mods.elf" $((si_off + 16)) 8 $((si + 0x100))
halts "start_info with 1000 modules" "bad start_info" \
	-M pc -m 256M -kernel "$work/si-mods.elf"

# A memory map with only the first 2 MiB (shim and start_info included): everything the bundle put above it
# was not loaded into RAM this start_info knows about.
with_start_info "$work/si-small.elf"
put_le "$work/si-small.elf" $si_off 4 0x336ec578
put_le "$work/si-small.elf" $((si_off + 4)) 4 1
put_le "$work/si-small.elf" $((si_off + 0x28)) 8 $((si + 0x80))	# memmap_paddr
put_le "$work/si-small.elf" $((si_off + 0x30)) 4 1			# memmap_entries
put_le "$work/si-small.elf" $((si_off + 0x88)) 8 0x200000		# [0]: 0-2 MiB RAM
put_le "$work/si-small.elf" $((si_off + 0x90)) 4 1
halts "start_info whose memory map lacks the kernel" "is not in guest RAM" \
	-M pc -m 256M -kernel "$work/si-small.elf"

[ $fails -eq 0 ] && echo "bundle errors: all ok"
exit $((fails != 0))
