#!/bin/sh
# Firmware and boot loader paths on the real Debian cloud kernel under TCG,
# on q35, two at a time: x64 OVMF starting the EFI stub (ovmf), 32-bit OVMF
# booting the 64-bit kernel in mixed mode (ovmf-ia32), and GRUB from a CD
# loading kernel and initrd from a disk, under SeaBIOS (grub-bios) and OVMF
# (grub-efi).  Each must reach init with the loader its path gives, the EFI
# ones on EFI (/sys/firmware/efi) with their efi_loader_signature, and say
# the kernel entry they saw (OVMF's PE start, its mixed-mode handover, and
# GRUB's 32-bit entry on BIOS and UEFI alike); an image
# without an EFI stub, or a missing firmware, is "skipped" with the reason;
# a machine without the firmware is a usage error.
. tests/lib.shinc

need_kernel
"$ZP" initramfs -o "$work/probe.cpio"
want_initrd=$(stat -c %s "$work/probe.cpio")
mark="zp.test=$$.efi"

rc=0
"$ZP" matrix "$kernel" --machine q35 --paths ovmf,ovmf-ia32,grub-bios,grub-efi -j2 --accel tcg \
	--timeout 120 \
	--append "$mark" --json "$work/m.json" > "$work/table" 2>"$work/err" || rc=$?
cat "$work/table"
check "exit code" $rc 0
check "no QEMU left" "$(pgrep -f "$mark" || true)" ""
# path, type_of_loader (0x21 EFI stub, 0xb0 QEMU's header in mixed mode,
# 0x72 GRUB), on EFI, efi_loader_signature, the kernel entry the row saw
for row in "ovmf 33 true EL64 efi-pe" "ovmf-ia32 176 true EL32 efi-handover-32" \
	"grub-bios 114 false - boot-protocol-32" "grub-efi 114 true EL64 boot-protocol-32"; do
	set -- $row
	r=$(jq -c ".results[] | select(.path == \"$1\")" "$work/m.json")
	check "$1: verdict" "$(echo "$r" | jq -r .verdict)" ok
	check "$1: entry" "$(echo "$r" | jq -r .entry)" $5
	check "$1: /sys/firmware/efi" "$(echo "$r" | jq -r .report.efi)" $3
	[ "$4" = - ] ||
		check "$1: efi_loader_signature" "$(echo "$r" | jq -r .report.efi_loader_signature)" $4
	check "$1: type_of_loader" "$(echo "$r" | jq -r .report.boot_params.type_of_loader)" $2
	check "$1: initrd" "$(echo "$r" | jq -r .report.initrd)" "$want_initrd"
	case " $(echo "$r" | jq -r .report.cmdline) " in
	*" $mark "*) ok "$1: /proc/cmdline has the appended string" ;;
	*) bad "$1: /proc/cmdline lacks '$mark'" ;;
	esac
done

# An image without an EFI stub: no "MZ"/PE header and no EFI handover
# flags (xloadflags bits 2 and 3 at 0x236) - a BIOS-only kernel.
cp "$kernel" "$work/noefi"
printf '\000\000' | dd of="$work/noefi" bs=1 seek=0 conv=notrunc status=none
xlf=$(od -An -tu1 -j $((0x236)) -N1 "$kernel" | tr -d ' ')
printf "\\$(printf %o $((xlf & ~12)))" | dd of="$work/noefi" bs=1 seek=$((0x236)) conv=notrunc status=none
rc=0
"$ZP" matrix "$work/noefi" --machine q35 --paths ovmf,ovmf-ia32,grub-efi --accel tcg \
	--json "$work/n.json" > "$work/o" 2>&1 || rc=$?
check "no EFI stub: exit code (skipped is not a failure)" $rc 0
check "no EFI stub: ovmf skipped" "$(jq -r '.results[] | select(.path == "ovmf") | .verdict' "$work/n.json")" skipped
jq -r '.results[] | select(.path == "ovmf") | .reason' "$work/n.json" | grep -q "no EFI stub" &&
	ok "no EFI stub: says why" || bad "no EFI stub: $(cat "$work/o")"
check "no EFI stub: grub-efi skipped" "$(jq -r '.results[] | select(.path == "grub-efi") | .verdict' "$work/n.json")" skipped
jq -r '.results[] | select(.path == "ovmf-ia32") | .reason' "$work/n.json" | grep -q "no 32-bit EFI entry" &&
	ok "no EFI stub: ovmf-ia32 says why" || bad "no EFI stub, ia32: $(cat "$work/o")"

# Missing firmware: skipped, naming the file and the package.
rc=0
ZEROPAGE_OVMF_DIR=/nonexistent "$ZP" boot "$kernel" --machine q35 --entry ovmf -q \
	> "$work/o" 2>&1 || rc=$?
check "missing firmware: error exit" $rc 1
grep -q "/nonexistent/OVMF_CODE_4M.fd: firmware not installed (install ovmf)" "$work/o" &&
	ok "missing firmware: names file and package" || bad "missing firmware: $(cat "$work/o")"

# The default memory is raised where a path needs more, and said.
grep -q "grub-efi gets 512M of guest memory, not the default 256M: GRUB for UEFI" "$work/err" &&
	ok "grub-efi: its raised memory said" || bad "grub-efi: no memory line in: $(cat "$work/err")"

# A boot loader that gives up ends the boot at once, in its own words: GRUB
# for UEFI in too little memory (--mem is taken as asked) prints "error:
# out of memory." and stops at its prompt, which nobody answers.  Far
# below the timeout, whatever the machine's speed: not a time gate, the
# check that the prompt was not waited on.
rc=0
start=$(date +%s)
"$ZP" boot "$kernel" --entry grub-efi --mem 192M --accel tcg --timeout 300 -q \
	--json "$work/g.json" > "$work/g.out" 2>&1 || rc=$?
took=$(( $(date +%s) - start ))
check "GRUB out of memory: exit code (no init)" $rc 6
check "GRUB out of memory: verdict" "$(jq -r .verdict "$work/g.json")" no-init
case $(jq -r .reason "$work/g.json") in
"GRUB stopped at its prompt grub>: error: out of memory."*)
	ok "GRUB out of memory: GRUB's words: $(jq -r .reason "$work/g.json")" ;;
*)	bad "GRUB out of memory: reason: $(jq -r .reason "$work/g.json")" ;;
esac
[ $took -lt 60 ] && ok "GRUB out of memory: ended in ${took}s of a 300 s timeout" ||
	bad "GRUB out of memory: took ${took}s"

# GRUB's CD is made once and kept in the cache.
[ -s "${ZEROPAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/zeropage}/grub-rescue-2.iso" ] &&
	ok "GRUB's CD cached" || bad "no cached GRUB CD"

# No UEFI on microvm, no 32-bit OVMF on pc: usage errors before any boot.
rc=0
"$ZP" boot "$kernel" --machine microvm --entry ovmf > "$work/o" 2>&1 || rc=$?
check "ovmf on microvm: usage error" $rc 2
rc=0
"$ZP" boot "$kernel" --machine microvm --entry grub-bios > "$work/o" 2>&1 || rc=$?
check "grub-bios on microvm: usage error" $rc 2
rc=0
"$ZP" boot "$kernel" --machine pc --entry ovmf-ia32 > "$work/o" 2>&1 || rc=$?
check "ovmf-ia32 on pc: usage error" $rc 2
grep -q "q35 only" "$work/o" && ok "ovmf-ia32 on pc: says why" || bad "ovmf-ia32 on pc: $(cat "$work/o")"
[ $fails -eq 0 ]
