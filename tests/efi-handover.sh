#!/bin/sh
# The kernel's EFI handover entries, entered by zeropage's own EFI loader
# (efi/handover.c) on the real Debian cloud kernel under TCG: efi-handover
# (x64 OVMF, the 64-bit entry; pc and q35) and efi-handover-ia32 (32-bit
# OVMF, the 32-bit entry in mixed mode; q35).  Each must reach init on EFI
# (/sys/firmware/efi) with the efi_loader_signature of its width, the
# initrd the loader read from its disk, our command line, and the loader's
# type_of_loader 0xff.  A kernel whose handover_offset is cleared is
# skipped with the reason, and, booted anyway, refused by the loader in its
# own words; a missing firmware is a clear error naming file and package.
. tests/lib.shinc

need_kernel
"$ZP" initramfs -o "$work/probe.cpio"
want_initrd=$(stat -c %s "$work/probe.cpio")
mark="zp.test=$$.handover"

# OVMF under TCG on a shared machine: minutes, not the default 60 s.
rc=0
"$ZP" matrix "$kernel" --machine pc,q35 --paths efi-handover,efi-handover-ia32 -j2 --accel tcg \
	--timeout 240 --append "$mark" --json "$work/m.json" > "$work/table" 2>"$work/err" || rc=$?
cat "$work/table"
check "exit code" $rc 0
check "no QEMU left" "$(pgrep -f "$mark" || true)" ""
# path, machine, efi_loader_signature
for row in "efi-handover pc EL64" "efi-handover q35 EL64" "efi-handover-ia32 q35 EL32"; do
	set -- $row
	r=$(jq -c ".results[] | select(.path == \"$1\" and .machine == \"$2\")" "$work/m.json")
	check "$1 on $2: verdict" "$(echo "$r" | jq -r .verdict)" ok
	check "$1 on $2: /sys/firmware/efi" "$(echo "$r" | jq -r .report.efi)" true
	check "$1 on $2: efi_loader_signature" "$(echo "$r" | jq -r .report.efi_loader_signature)" $3
	check "$1 on $2: type_of_loader" "$(echo "$r" | jq -r .report.boot_params.type_of_loader)" 255
	check "$1 on $2: initrd" "$(echo "$r" | jq -r .report.initrd)" "$want_initrd"
	case " $(echo "$r" | jq -r .report.cmdline) " in
	*" $mark "*) ok "$1 on $2: /proc/cmdline has the appended string" ;;
	*) bad "$1 on $2: /proc/cmdline lacks '$mark'" ;;
	esac
done
check "efi-handover-ia32 on pc: n/a" \
	"$(jq -r '.results[] | select(.path == "efi-handover-ia32" and .machine == "pc") | .verdict' \
	"$work/m.json")" n/a

# handover_offset (setup header offset 0x264, 4 bytes) cleared: what a
# kernel built without CONFIG_EFI_HANDOVER_PROTOCOL has.  Skipped before
# any boot, with the reason.
cp "$kernel" "$work/nohandover"
printf '\000\000\000\000' | dd of="$work/nohandover" bs=1 seek=$((0x264)) conv=notrunc status=none
rc=0
"$ZP" matrix "$work/nohandover" --machine q35 --paths efi-handover,efi-handover-ia32 --accel tcg \
	--json "$work/n.json" > "$work/o" 2>&1 || rc=$?
check "no handover_offset: exit code (skipped is not a failure)" $rc 0
for p in efi-handover efi-handover-ia32; do
	check "no handover_offset: $p skipped" \
		"$(jq -r ".results[] | select(.path == \"$p\") | .verdict" "$work/n.json")" skipped
	jq -r ".results[] | select(.path == \"$p\") | .reason" "$work/n.json" |
		grep -q "EFI handover: handover_offset is 0: the kernel has no EFI handover entry" &&
		ok "no handover_offset: $p says why" || bad "no handover_offset, $p: $(cat "$work/o")"
done

# Booted anyway (the host's check bypassed): our loader refuses it itself,
# on the console, and the run ends on its words, not at the timeout.
rc=0
ZEROPAGE_EFI_HANDOVER_NO_CHECK=1 "$ZP" boot "$work/nohandover" --machine q35 --entry efi-handover \
	--accel tcg --timeout 240 -q --json "$work/r.json" > "$work/r.out" 2>&1 || rc=$?
check "loader's refusal: exit code (no init)" $rc 6
case $(jq -r .reason "$work/r.json") in
"zeropage's EFI loader stopped at its refusal"*"error: refusing the kernel: handover_offset is 0"*)
	ok "loader's refusal: its words: $(jq -r .reason "$work/r.json")" ;;
*)	bad "loader's refusal: reason: $(jq -r .reason "$work/r.json")" ;;
esac

# A BIOS-only image (no handover flags in xloadflags, 0x236 bits 2, 3):
# skipped, naming the flag.
cp "$kernel" "$work/noefi"
xlf=$(od -An -tu1 -j $((0x236)) -N1 "$kernel" | tr -d ' ')
printf "\\$(printf %o $((xlf & ~12)))" | dd of="$work/noefi" bs=1 seek=$((0x236)) conv=notrunc status=none
rc=0
"$ZP" boot "$work/noefi" --machine q35 --entry efi-handover-ia32 -q > "$work/o" 2>&1 || rc=$?
grep -q "XLF_EFI_HANDOVER_32" "$work/o" && ok "no handover flags: names XLF_EFI_HANDOVER_32" ||
	bad "no handover flags: $(cat "$work/o")"

# Missing firmware: an error naming the file and the package, per width.
for p in "efi-handover OVMF_CODE_4M.fd ovmf" "efi-handover-ia32 OVMF32_CODE_4M.secboot.fd ovmf-ia32"; do
	set -- $p
	rc=0
	ZEROPAGE_OVMF_DIR=/nonexistent "$ZP" boot "$kernel" --machine q35 --entry $1 -q \
		> "$work/o" 2>&1 || rc=$?
	check "$1, missing firmware: error exit" $rc 1
	grep -q "/nonexistent/$2: firmware not installed (install $3)" "$work/o" &&
		ok "$1, missing firmware: names file and package" || bad "$1, missing firmware: $(cat "$work/o")"
done

# No UEFI on microvm, no 32-bit OVMF on pc: usage errors before any boot.
rc=0
"$ZP" boot "$kernel" --machine microvm --entry efi-handover > "$work/o" 2>&1 || rc=$?
check "efi-handover on microvm: usage error" $rc 2
rc=0
"$ZP" boot "$kernel" --machine pc --entry efi-handover-ia32 > "$work/o" 2>&1 || rc=$?
check "efi-handover-ia32 on pc: usage error" $rc 2
[ $fails -eq 0 ]
