#!/bin/sh
# A bundle of the real Debian cloud kernel started by a *foreign* PVH loader:
# tests/fw/pvhfw.bin, a QEMU -bios firmware that writes the hvm_start_info
# exactly as Firecracker does (v1 at 0x6000, modlist 0x6040, memmap 0x7000
# in Firecracker's unsorted order with its reserved EBDA..RSDP and PCI
# MMCONFIG entries, command line at 0x20000; pvhfw.c cites where each comes
# from), a layout QEMU's own PVH loader never makes.  QEMU's generic loader
# puts the bundle and the probe initramfs in RAM; fw_cfg strings tell pvhfw
# the PVH entry, the initrd and the command line.  Two boots, -M pc, TCG:
#   (a) -m 1024, the initrd at the top of low RAM, where Firecracker puts it;
#   (b) -m 5G, the initrd above 4 GiB, at 0x100000000.
# Each passes on init's own report (command line, initrd size, the memory
# map the kernel got) and on the firmware's and the shim's lines naming the
# module.  Skips (saying why) only when QEMU is not installed.
. tests/lib.shinc
set +e	# each step is judged by its own check, not by set -e
. tests/bundle_lib.shinc
TIMEOUT=${ZEROPAGE_BOOT_TIMEOUT:-60}
FW=$BUILD/tests/fw/pvhfw.bin

if ! command -v "$QEMU" >/dev/null 2>&1; then
	echo "skip: $QEMU is not installed (scripts/install-deps.sh installs qemu-system-x86)"
	exit 0
fi
[ -f "$FW" ] || { echo "FAIL $FW is not built (tests/fw/fw.mk, TEST_FIRMWARE)"; exit 1; }

need_kernel
"$ZP" initramfs -o "$work/probe.cpio" || { echo "FAIL zeropage initramfs"; exit 1; }
size=$(wc -c < "$work/probe.cpio")
bundled="console=ttyS0 quiet"
"$ZP" bundle --kernel "$kernel" --cmdline "$bundled" -o "$work/b.elf" ||
	{ echo "FAIL zeropage bundle"; exit 1; }
entry=$("$ZP" info --json "$work/b.elf" | jq -r .pvh_entry)

# foreign NAME MEM INITRD-ADDR FC-MEMMAP-ENTRIES [ADDR=TYPE ...]
#   boots the bundle under pvhfw with the probe initramfs at INITRD-ADDR;
#   FC-MEMMAP-ENTRIES is the size of Firecracker's memmap for this RAM (3
#   fixed entries + its RAM regions), which the kernel's e820 must keep; each
#   ADDR=TYPE is a type the kernel's memory map must show at ADDR.
foreign() {
	name=$1 mem=$2 addr=$(printf 0x%x "$3") nmm=$4
	shift 4
	out=$work/$name.out
	mod="$addr+$(printf 0x%x "$size")"
	# No ACPI here (SeaBIOS is not running, so nobody installs QEMU's
	# tables): no HPET, no PM timer, and the kernel can only calibrate the
	# TSC against the PIT, which fails under TCG on a loaded host, as on
	# microvm; microvm_args gives the TSC rate (and reboot=t).
	append="zp.appended=foreign-$name $(microvm_args)"
	# CMDLINE_AT: the command line goes there instead (a NUL-terminated
	# file the generic loader puts in RAM); CPU: QEMU's -cpu.  ($work has
	# no spaces: mktemp -d.)
	extra=""
	if [ -n "${CMDLINE_AT:-}" ]; then
		printf '%s\0' "$append" > "$work/cmdline.bin"
		extra="-device loader,file=$work/cmdline.bin,addr=$CMDLINE_AT,force-raw=on
			-fw_cfg name=opt/zeropage/cmdline_paddr,string=$CMDLINE_AT"
	fi
	# shellcheck disable=SC2086
	boot_qemu "$out" "$TIMEOUT" -M pc -m "$mem" -bios "$FW" -cpu "${CPU:-qemu64}" \
		-device "loader,file=$work/b.elf" \
		-device "loader,file=$work/probe.cpio,addr=$addr,force-raw=on" \
		-fw_cfg "name=opt/zeropage/entry,string=$(printf 0x%x "$entry")" \
		-fw_cfg "name=opt/zeropage/initrd,string=$addr $(printf 0x%x "$size")" \
		-fw_cfg "name=opt/zeropage/cmdline,string=$append" $extra

	fwline=$(tr -d '\r' < "$out" | grep -a '^pvhfw: ' | head -n 1)
	shimline=$(tr -d '\r' < "$out" | grep -a '^zeropage-shim: ' | head -n 1)
	printf '     %s\n     %s\n' "${fwline:-(no pvhfw line)}" "${shimline:-(no zeropage-shim line)}"
	case $fwline in
	"pvhfw: start_info v1 at 0x6000 memmap $nmm entries at 0x7000, module $mod"*)
		ok "$name: pvhfw wrote Firecracker's start_info, $nmm memmap entries, module $mod" ;;
	*)	bad "$name: pvhfw line is not 'start_info v1 at 0x6000 memmap $nmm entries at 0x7000, module $mod ...'" ;;
	esac
	case $shimline in
	"zeropage-shim: error:"*)
		bad "$name: the shim refused the start_info: ${shimline#zeropage-shim: }" ;;
	*"initrd $mod (module 0)"*)
		ok "$name: the shim took module 0 at $mod" ;;
	*)	bad "$name: the shim's line does not name 'initrd $mod (module 0)'" ;;
	esac
	if [ "$BOOT_STATUS" != probe ]; then
		bad "$name: no probe report ($BOOT_STATUS); console tail:"
		tail -c 800 "$out" | tr -d '\r' | sed 's/^/    /'
		return
	fi
	ok "$name: reached init"
	check "$name: /proc/cmdline" "$(probe_field "$out" cmdline)" "$(hex_of "$bundled $append")"
	check "$name: initrd size" "$(probe_field "$out" initrd)" "$size"
	# Firecracker's entries, then the ISA range as Linux's own PVH entry adds it
	check "$name: e820 entries = Firecracker's memmap + ISA range" "$(bp_le "$out" 0x1e8 1)" "$((nmm + 1))"
	for want in "$@"; do
		check "$name: kernel's memory map at ${want%%=*}" \
			"$(memmap_type_at "$out" "${want%%=*}")" "${want#*=}"
	done
}

# (a) Firecracker's initrd_load_addr() (src/vmm/src/arch/x86_64/mod.rs,
# firecracker commit 81b38b9dad6056d7a48073e95ac5a9aed51cb2ab): the end of
# the guest memory region at address 0, minus the initrd's size, aligned
# down to GUEST_PAGE_SIZE 4096.  -M pc -m 1024: all of the RAM is that
# region (QEMU puts RAM below 3.5 GiB all below 4 GiB: hw/i386/pc_piix.c),
# and so would Firecracker (its region at 0 ends at min(RAM, 3 GiB)).
low=$((1024 << 20))
foreign a 1024 $(((low - size) / 4096 * 4096)) 4 \
	0x9fc00=Reserved 0xeec00000=Reserved 0x100000=System_RAM

# (b) -M pc -m 5G: QEMU splits at 3 GiB when the RAM is 3.5 GiB or more
# (pc_piix.c, gigabyte_align), RAM 0-3 GiB and 4-6 GiB: Firecracker's own
# split for 5 GiB (MMIO32_MEM_START = 3 GiB, layout.rs), so its memmap has a
# fifth entry, RAM from 4 GiB.  Firecracker would put the initrd below
# 3 GiB; here it is above 4 GiB, where the PVH ABI lets a module be.
foreign b 5G 0x100000000 5 \
	0x9fc00=Reserved 0xeec00000=Reserved 0xbfffffff=System_RAM 0x100000000=System_RAM

# (c) the command line above 4 GiB too (the PVH ABI allows any address):
# the shim maps the first 512 GiB with 1 GiB pages where the CPU has them.
CPU=qemu64,+pdpe1gb CMDLINE_AT=0x140000000
foreign c 6G 0x100000000 5 0x100000000=System_RAM
CPU="" CMDLINE_AT=""

# (d) the same without 1 GiB pages: the shim sees only the low 4 GiB and
# says so, one line, and halts.
boot_qemu "$work/d.out" 20 -M pc -m 6G \
	-bios "$FW" -cpu qemu64 -device "loader,file=$work/b.elf" \
	-device "loader,file=$work/cmdline.bin,addr=0x140000000,force-raw=on" \
	-fw_cfg "name=opt/zeropage/entry,string=$(printf 0x%x "$entry")" \
	-fw_cfg "name=opt/zeropage/cmdline_paddr,string=0x140000000"
dline=$(tr -d '\r' < "$work/d.out" | grep -a '^zeropage-shim: ' | head -n 1)
echo "     $dline"
case $dline in
*"error: bad start_info"*"cmdline 0x140000000"*"no 1 GiB pages"*)
	ok "d: without 1 GiB pages, a command line above 4 GiB is refused with the reason" ;;
*)	bad "d: expected the shim to refuse the command line above 4 GiB, got '$dline'" ;;
esac

[ $fails -eq 0 ] && echo "foreign PVH loader boots: all ok"
exit $((fails != 0))
