#!/bin/sh
# zeropage bundle on the real Debian cloud kernel: every entry (64, 32,
# vmlinux) x every handoff (native, subarch) x machine (pc, microvm), booted
# under QEMU TCG with the probe initramfs.  A boot passes only on what the
# kernel itself reports from init: /proc/cmdline equal to bundled + " " +
# appended, the initrd of the right size, and from its own zero page
# type_of_loader, hardware_subarch, hardware_subarch_data (a reserved e820
# range for subarch, 0 for native) and an e820 table of the loader's memmap
# plus the ISA range (and the subarch copy), as Linux's own PVH entry builds.  Then: a VMM's initrd (module 0) replaces the bundled one, and a
# bundle boots with no -append at all.
. tests/lib.shinc
set +e	# each step is judged by its own check, not by set -e
. tests/bundle_lib.shinc
TIMEOUT=${ZEROPAGE_BOOT_TIMEOUT:-60}

need_kernel
"$ZP" initramfs -o "$work/probe.cpio" || { echo "FAIL zeropage initramfs"; exit 1; }
initrd_size=$(wc -c < "$work/probe.cpio")

# Checks one probe report against what the boot was asked to do.
check_report() {	# NAME OUT ENTRY HANDOFF EXPECTED-CMDLINE
	name=$1 out=$2 entry=$3 handoff=$4 want=$5
	if [ "$BOOT_STATUS" != probe ]; then
		bad "$name: no probe report ($BOOT_STATUS); console tail:"
		tail -c 600 "$out" | tr -d '\r' | sed 's/^/    /'
		return
	fi
	check "$name: shim entered the kernel by entry $entry" \
		"$(grep -ac "^zeropage-shim: entry $entry," "$out")" 1
	check "$name: /proc/cmdline" "$(probe_field "$out" cmdline)" "$(hex_of "$want")"
	check "$name: initrd size" "$(probe_field "$out" initrd)" "$initrd_size"
	check "$name: type_of_loader" "$(bp_le "$out" 0x210 1)" 255
	check "$name: hardware_subarch (TCG is not Xen: PC)" "$(bp_le "$out" 0x23c 4)" 0
	data=$(bp_le "$out" 0x240 8)
	if [ "$handoff" = subarch ]; then
		if [ "$data" -ne 0 ]; then
			check "$name: hardware_subarch_data $(printf 0x%x "$data") in a reserved range" \
				"$(memmap_type_at "$out" "$data")" Reserved
		else
			bad "$name: hardware_subarch_data is 0 with the subarch handoff"
		fi
	else
		check "$name: hardware_subarch_data" "$data" 0
	fi
	# Linux's own PVH form: the loader's memmap entries as given, the ISA
	# range, and for subarch the start_info copy, each one more entry
	given=$(sed -n 's/^zeropage-shim: entry .*memmap from start_info (\([0-9]*\) entries).*/\1/p' "$out" | tr -d '\r')
	check "$name: e820 entries = the loader's memmap + ISA range${handoff#native}" \
		"$(bp_le "$out" 0x1e8 1)" "$(( ${given:-0} + 1 + $([ "$handoff" = subarch ] && echo 1 || echo 0) ))"
}

for entry in 64 32 vmlinux; do
	for handoff in native subarch; do
		b=$work/b-$entry-$handoff.elf
		bundled="console=ttyS0 quiet zp.bundled=$entry.$handoff"
		if ! "$ZP" bundle --kernel "$kernel" --initrd "$work/probe.cpio" --cmdline "$bundled" \
			--entry $entry --handoff $handoff -o "$b"; then
			bad "bundle --entry $entry --handoff $handoff"
			continue
		fi
		for machine in pc microvm; do
			name="$machine entry=$entry handoff=$handoff"
			out=$work/$machine-$entry-$handoff.out
			append="zp.appended=$machine"
			[ $machine = microvm ] && append="$append $(microvm_args)"
			boot_qemu "$out" "$TIMEOUT" -M $machine -m 256M -kernel "$b" -append "$append"
			check_report "$name" "$out" $entry $handoff "$bundled $append"
		done
	done
done

# A VMM's initrd (PVH module 0) replaces the bundled one: the bundled one here
# is not an initramfs at all, so only the VMM's can reach init.  And with no
# -append, the command line is exactly the bundled one.
head -c 5000 /dev/zero > "$work/not-an-initrd"
"$ZP" bundle --kernel "$kernel" --initrd "$work/not-an-initrd" --cmdline "console=ttyS0 quiet" \
	-o "$work/b-replace.elf" || bad "bundle with a dummy initrd"
boot_qemu "$work/replace.out" "$TIMEOUT" -M pc -m 256M -kernel "$work/b-replace.elf" \
	-initrd "$work/probe.cpio"
check "VMM initrd: the shim took module 0" \
	"$(grep -ac '^zeropage-shim: entry 64,.*(module 0)' "$work/replace.out")" 1
check_report "pc -initrd, no -append" "$work/replace.out" 64 native "console=ttyS0 quiet"

# With no bundled command line, the VMM's alone may use all of cmdline_size
# (boot.rst: the maximum size without the terminating zero).
csize=$(od -An -tu4 -j $((0x238)) -N4 "$kernel" | tr -d ' ')
"$ZP" bundle --kernel "$kernel" --initrd "$work/probe.cpio" -o "$work/b-nocmd.elf" ||
	bad "bundle without --cmdline"
full="console=ttyS0 quiet zp.pad="
full="$full$(head -c $((csize - ${#full})) /dev/zero | tr '\0' x)"
boot_qemu "$work/full.out" "$TIMEOUT" -M pc -m 256M -kernel "$work/b-nocmd.elf" -append "$full"
check "-append of exactly cmdline_size ($csize) bytes, nothing bundled: booted" "$BOOT_STATUS" probe
same=no
[ "$(probe_field "$work/full.out" cmdline)" = "$(hex_of "$full")" ] && same=yes
check "-append of exactly cmdline_size bytes: /proc/cmdline is all of it" "$same" yes

# The subarch handoff's start_info copy must still be intact when userspace
# runs (reserved memory the kernel never reused): read it through QEMU's
# monitor after init's report; with -no-shutdown QEMU keeps the powered-off
# guest's memory.  start_info magic, version 1, and its memmap pointer
# pointing inside the same reserved copy.
mkfifo "$work/mon.in"
"$QEMU" -accel tcg -display none -nodefaults -no-reboot -no-shutdown -M pc -m 256M \
	-serial "file:$work/keep.out" -monitor stdio -kernel "$work/b-64-subarch.elf" \
	< "$work/mon.in" > "$work/mon.out" 2>&1 &
qpid=$!
exec 3> "$work/mon.in"
deadline=$(($(date +%s) + TIMEOUT))
while ! has_probe "$work/keep.out" && [ "$(date +%s)" -lt $deadline ] && kill -0 $qpid 2>/dev/null; do
	sleep 0.1
done
if has_probe "$work/keep.out"; then
	copy=$(bp_le "$work/keep.out" 0x240 8)
	echo "xp /12wx $copy" >&3
	sleep 1
	words=$(tr -d '\r' < "$work/mon.out" | grep -a "^0*$(printf %x "$copy"):" -A2 |
		sed 's/^[0-9a-f]*://' | tr -s ' \n' ' ')
	set -- $words
	check "subarch: start_info copy at $(printf 0x%x "$copy") after boot: magic" "${1:-}" 0x336ec578
	check "subarch: start_info copy: version" "${2:-}" 0x00000001
	mm=$(( ${11:-0} + (${12:-0} << 32) ))
	check "subarch: start_info copy: memmap in the same reserved range" \
		"$(memmap_type_at "$work/keep.out" "$mm")" Reserved
else
	bad "subarch: no probe report for the start_info copy check"
fi
echo quit >&3
exec 3>&-
kill $qpid 2>/dev/null
wait $qpid 2>/dev/null

# The one case where the shim moves the kernel: this guest's memory map (a
# start_info of our own, see with_start_info) has a hole where the kernel's
# init_size room would be, and RAM further up.  The relocatable kernel must
# run from the first 2 MiB-aligned RAM that holds it, and still reach init.
"$ZP" bundle --kernel "$kernel" --initrd "$work/probe.cpio" --cmdline "console=ttyS0 quiet" \
	-o "$work/b-move.elf" || bad "bundle for the move test"
tamper_setup "$work/b-move.elf"
m=$work/b-moved.elf
with_start_info "$m"
put_le "$m" $TAMPER_SI_OFF 4 0x336ec578			# magic
put_le "$m" $((TAMPER_SI_OFF + 4)) 4 1				# version 1
put_le "$m" $((TAMPER_SI_OFF + 0x18)) 8 $((TAMPER_SI + 0x200))	# cmdline_paddr
put_bytes "$m" $((TAMPER_SI_OFF + 0x200)) 'zp.appended=moved'
put_le "$m" $((TAMPER_SI_OFF + 0x28)) 8 $((TAMPER_SI + 0x80))	# memmap_paddr
put_le "$m" $((TAMPER_SI_OFF + 0x30)) 4 3			# memmap_entries
i=0
for e in "0 0x9fc00" "0x100000 0x1f00000" "0x4000000 0xc000000"; do	# RAM, hole 32-64 MiB
	set -- $e
	put_le "$m" $((TAMPER_SI_OFF + 0x80 + 24 * i)) 8 $1
	put_le "$m" $((TAMPER_SI_OFF + 0x88 + 24 * i)) 8 $2
	put_le "$m" $((TAMPER_SI_OFF + 0x90 + 24 * i)) 4 1
	i=$((i + 1))
done
boot_qemu "$work/moved.out" "$TIMEOUT" -M pc -m 256M -kernel "$m"
check "memory hole: the shim moved the kernel to 64 MiB" \
	"$(grep -ac '^zeropage-shim: entry 64, kernel 0x4000000 (moved)' "$work/moved.out")" 1
check_report "pc, kernel moved past a hole" "$work/moved.out" 64 native \
	"console=ttyS0 quiet zp.appended=moved"
check "memory hole: the kernel's map has the hole" "$(memmap_type_at "$work/moved.out" 0x3000000)" ""

[ $fails -eq 0 ] && echo "bundle boots: all ok"
exit $((fails != 0))
