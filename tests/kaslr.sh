#!/bin/sh
# KASLR on the fast path: the pre-decompressed vmlinux bundle lands at a
# random physical and virtual base on every boot.
#
# The Debian cloud kernel as a vmlinux bundle, booted several times on pc
# and on microvm under TCG with the probe initramfs.  What counts is what
# the kernel itself reports from init (the physical start of "Kernel code"
# in /proc/iomem, the virtual _text in /proc/kallsyms): each base 2 MiB
# aligned and in the kernel's own KASLR range, equal to what the shim said
# it chose, and different between boots.  Then the ways to the link
# address: `nokaslr` on the command line, a bundle made with --no-kaslr,
# a bundle whose relocation table was stripped (the shim says why), and
# that same bundle made with --kaslr=require (the shim halts, says why).
. tests/lib.shinc
set +e	# each step is judged by its own check, not by set -e
. tests/bundle_lib.shinc
TIMEOUT=${ZEROPAGE_BOOT_TIMEOUT:-60}

LINK_PHYS=0x1000000			# LOAD_PHYSICAL_ADDR
LINK_TEXT=0xffffffff81000000		# __START_KERNEL_map + LOAD_PHYSICAL_ADDR
# Kernel-virtual addresses are above 2^63, past the shell's arithmetic:
# they are compared by their low 32 bits under the 0xffffffff prefix
# (__START_KERNEL_map is 0xffffffff80000000, KERNEL_IMAGE_SIZE 1 GiB).
LINK_LOW=0x81000000 IMAGE_TOP_LOW=0xc0000000

need_kernel
"$ZP" initramfs -o "$work/probe.cpio" || { echo "FAIL zeropage initramfs"; exit 1; }
"$ZP" bundle --kernel "$kernel" --entry vmlinux -o "$work/kaslr.elf" >/dev/null ||
	{ echo "FAIL zeropage bundle --entry vmlinux"; exit 1; }
check "info: KASLR by the shim" "$("$ZP" info --json "$work/kaslr.elf" | jq -r .kaslr_by)" shim

# boot NAME BUNDLE MACHINE [APPEND]: leaves the console in $work/NAME.out
boot() {
	_m=$3 _extra=
	[ "$_m" = microvm ] && _extra=" $(microvm_args)"
	boot_qemu "$work/$1.out" "$TIMEOUT" -M "$_m" -m 512M -kernel "$2" \
		-initrd "$work/probe.cpio" -append "console=ttyS0 reboot=t${4:+ $4}$_extra"
}

shim_line() {
	tr -d '\r' < "$1" | grep -a '^zeropage-shim: ' | head -n 1
}

# One randomised boot: the kernel's own view, checked, printed as "PHYS TEXT".
randomised() {	# NAME MACHINE
	boot "$1" "$work/kaslr.elf" "$2"
	out=$work/$1.out
	if [ "$BOOT_STATUS" != probe ]; then
		bad "$1: no probe report ($BOOT_STATUS): $(shim_line "$out")"
		return
	fi
	phys=$(probe_field "$out" kernel_phys) text=$(probe_field "$out" kernel_text)
	line=$(shim_line "$out")
	echo "     $1: kernel_phys $phys kernel_text $text"
	[ $((phys % 0x200000)) -eq 0 ] && [ $((phys)) -ge $((LINK_PHYS)) ] &&
		ok "$1: physical base $phys 2 MiB aligned, from 16 MiB" ||
		bad "$1: physical base '$phys' not aligned or below 16 MiB"
	low=0x${text#0xffffffff}
	voff=$((low - LINK_LOW))
	[ "${text%????????}" = 0xffffffff ] && [ $((voff % 0x200000)) -eq 0 ] && [ $voff -ge 0 ] &&
		[ $((low)) -lt $((IMAGE_TOP_LOW)) ] &&
		ok "$1: virtual _text $text 2 MiB aligned, inside KERNEL_IMAGE_SIZE" ||
		bad "$1: virtual _text '$text' not aligned or out of range"
	case $line in
	*"kernel $(printf 0x%x $((phys))) (moved)"*"kaslr phys $(printf 0x%x $((phys)))"*"virt +$(printf 0x%x $voff) "*)
		ok "$1: the kernel runs where the shim said" ;;
	*)	bad "$1: kernel at $phys/+$(printf 0x%x $voff), shim said: $line" ;;
	esac
	# the plan's line before the move and relocation (the long step), a
	# second line once it is done, then the kernel (a virtual offset of 0,
	# one slot in a few hundred, is a move without relocation: "done moving")
	order=$(tr -d '\r' < "$out" | grep -a -e '^zeropage-shim: ' -e 'Linux version ' | head -n 3 |
		sed -e 's/^zeropage-shim: entry .*/plan/' \
		    -e 's/^zeropage-shim: done \(moving and relocating\|moving\|relocating\) the kernel in [0-9]* TSC ticks$/done/' \
		    -e 's/.*Linux version .*/kernel/' | tr '\n' ' ')
	check "$1: the shim's lines around its move" "$order" "plan done kernel "
	echo "$phys $text" >> "$work/bases"
}

: > "$work/bases"
for i in 1 2 3; do randomised "pc-$i" pc; done
for i in 1 2; do randomised "microvm-$i" microvm; done
# Five boots, each drawing from about 200 physical and 480 virtual slots:
# two may collide now and then, all five being the same would be a fixed
# choice (odds about 1 in 10^9 for random draws).
for col in 1 2; do
	what=$([ $col = 1 ] && echo physical || echo virtual)
	n=$(cut -d' ' -f$col "$work/bases" | sort -u | wc -l)
	[ "$n" -ge 2 ] && ok "five boots, $n different $what bases" ||
		bad "five boots, always the same $what base: $(cut -d' ' -f$col "$work/bases" | head -n 1)"
done

# The link address, and the shim's line saying why.
at_link() {	# NAME BUNDLE APPEND WHY
	boot "$1" "$2" pc "$3"
	out=$work/$1.out
	check "$1: kernel_phys" "$(probe_field "$out" kernel_phys)" "$LINK_PHYS"
	check "$1: kernel_text" "$(probe_field "$out" kernel_text)" "$LINK_TEXT"
	case $(shim_line "$out") in
	*"kaslr off: $4") ok "$1: the shim says 'kaslr off: $4'" ;;
	*)	bad "$1: shim line: $(shim_line "$out")" ;;
	esac
}
at_link nokaslr "$work/kaslr.elf" nokaslr "nokaslr on the command line"
"$ZP" bundle --kernel "$kernel" --entry vmlinux --no-kaslr -o "$work/off.elf" >/dev/null
at_link no-kaslr-bundle "$work/off.elf" "" "bundled with --no-kaslr"

# Stripped: the descriptor's relocs_size (offset 0x70) zeroed in the file.
strip_relocs() {	# IN OUT
	cp "$1" "$2"
	_desc=$("$ZP" info --json "$1" | jq -r .descriptor)
	set -- "$2" $(phdr_of "$1" LOAD "$_desc")
	put_le "$1" $(($3 + 0x70)) 8 0
}
strip_relocs "$work/kaslr.elf" "$work/stripped.elf"
at_link stripped "$work/stripped.elf" "" \
	"the bundle has no relocation table (a kernel built without RANDOMIZE_BASE)"

"$ZP" bundle --kernel "$kernel" --entry vmlinux --kaslr=require -o "$work/req.elf" >/dev/null
check "info: KASLR required" "$("$ZP" info --json "$work/req.elf" | jq -r .kaslr_required)" true
strip_relocs "$work/req.elf" "$work/req-stripped.elf"
boot require "$work/req-stripped.elf" pc
check "require: the shim halts" "$BOOT_STATUS" shim-error
case $(shim_line "$work/require.out") in
*"error: KASLR required (--kaslr=require), but the bundle has no relocation table"*)
	ok "require: the shim says why" ;;
*)	bad "require: shim line: $(shim_line "$work/require.out")" ;;
esac
check "require: no kernel banner" "$(grep -ac 'Linux version' "$work/require.out")" 0

[ $fails -eq 0 ] && echo "kaslr.sh: all passed"
