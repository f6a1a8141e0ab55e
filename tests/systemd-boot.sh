#!/bin/sh
# The systemd-boot path on the real Debian cloud kernel under TCG (q35):
# x64 OVMF boots an ESP with Debian's systemd-boot (systemd-boot-efi 252),
# which boots its one Boot Loader Specification entry without a menu:
#  - a Type #1 entry for the kernel and the probe initramfs: the kernel runs
#    on EFI (/sys/firmware/efi, "EL64"), sees the probe as its initrd (from
#    systemd-boot, through LINUX_EFI_INITRD_MEDIA_GUID) and our command line
#    (after systemd-boot's own initrd= word), and was entered through the
#    EFI stub's PE entry (type_of_loader 0x21): the row's entry, efi-pe;
#  - a UKI (made as tests/uki.sh makes one) as a Type #2 entry: booted with
#    its own .initrd and .cmdline, entry efi-pe;
#  - what cannot be: --append with a UKI, a missing systemd-boot-efi, a
#    kernel without the stub's PE header, microvm: skipped or n/a with the
#    reason.
. tests/lib.shinc
set +e	# each step is judged by its own check
. tests/uki_lib.shinc
TIMEOUT=${ZEROPAGE_BOOT_TIMEOUT:-180}

need_kernel
[ -r /usr/lib/systemd/boot/efi/systemd-bootx64.efi ] ||
	{ echo "FAIL systemd-bootx64.efi missing: install systemd-boot-efi"; exit 1; }
"$ZP" initramfs -o "$work/probe.cpio" || { echo "FAIL zeropage initramfs"; exit 1; }
initrd_size=$(stat -c %s "$work/probe.cpio")
mark="zp.sdboot=$$"

# --- Type #1: the kernel, the probe, our command line ---
rc=0
nice "$ZP" boot "$kernel" --entry systemd-boot --machine q35 --accel tcg --timeout "$TIMEOUT" \
	--append "$mark" --json "$work/b.json" > "$work/b.out" 2>&1 || rc=$?
check "Type #1: exit code" "$rc $(jq -r .verdict "$work/b.json")" "0 ok"
check "Type #1: /sys/firmware/efi" "$(jq -r .report.efi "$work/b.json")" true
check "Type #1: efi_loader_signature" "$(jq -r .report.efi_loader_signature "$work/b.json")" EL64
check "Type #1: type_of_loader (the stub's PE entry)" \
	"$(jq -r .report.boot_params.type_of_loader "$work/b.json")" 33
check "Type #1: the probe as initrd" "$(jq -r .report.initrd "$work/b.json")" "$initrd_size"
case " $(jq -r .report.cmdline "$work/b.json") " in
*' initrd=\zeropage\initrd '*" $mark "*) ok "Type #1: systemd-boot's initrd= word, then our line" ;;
*) bad "Type #1: cmdline '$(jq -r .report.cmdline "$work/b.json")'" ;;
esac
check "Type #1: the entry" "$(jq -r .kernel_entry "$work/b.json")" efi-pe
grep -q '^kernel entry: efi-pe (type_of_loader 0x21 (only the EFI stub' "$work/b.out" &&
	ok "Type #1: boot says the entry and why" || bad "Type #1: $(grep 'kernel entry' "$work/b.out")"
grep -q 'BdsDxe: starting Boot0001 "UEFI QEMU HARDDISK' "$work/b.out" &&
	ok "Type #1: OVMF started systemd-boot from the disk" || bad "Type #1: no BdsDxe line"

# --- Type #2: a UKI with the probe as .initrd ---
if [ -r "$STUB" ]; then
	uki_cmdline="console=ttyS0 reboot=t zp.uki=$$"
	printf '%s\n' "$uki_cmdline" > "$work/cmdline"
	printf 'ID=debian\nVERSION_ID="12"\n' > "$work/osrel"
	make_uki "$work/uki.efi" .osrel="$work/osrel" .cmdline="$work/cmdline" \
		.initrd="$work/probe.cpio" .linux="$kernel" || bad "objcopy"
	rc=0
	nice "$ZP" boot "$work/uki.efi" --entry systemd-boot --machine q35 --accel tcg \
		--timeout "$TIMEOUT" -q --json "$work/u.json" > "$work/u.out" 2>&1 || rc=$?
	check "Type #2: exit code" "$rc $(jq -r .verdict "$work/u.json")" "0 ok"
	check "Type #2: the UKI's .cmdline" "$(jq -r .report.cmdline "$work/u.json")" "$uki_cmdline"
	check "Type #2: its .initrd" "$(jq -r .report.initrd "$work/u.json")" "$initrd_size"
	check "Type #2: EFI, EL64" "$(jq -r '"\(.report.efi) \(.report.efi_loader_signature)"' "$work/u.json")" \
		"true EL64"
	check "Type #2: the entry" "$(jq -r .kernel_entry "$work/u.json")" efi-pe
	rc=0
	"$ZP" boot "$work/uki.efi" --entry systemd-boot --machine q35 --append x -q \
		> "$work/ua.out" 2>&1 || rc=$?
	check "Type #2 with --append: error exit" $rc 1
	grep -q "skipped: a Type #2 entry boots with the UKI's own .cmdline: --append cannot reach" \
		"$work/ua.out" && ok "Type #2 with --append: skipped, saying why" ||
		bad "Type #2 with --append: $(cat "$work/ua.out")"
else
	bad "$STUB missing: install systemd-boot-efi"
fi

# --- what cannot be ---
rc=0
ZEROPAGE_SYSTEMD_BOOT=/nonexistent/systemd-bootx64.efi "$ZP" boot "$kernel" --entry systemd-boot \
	--machine q35 -q > "$work/m.out" 2>&1 || rc=$?
check "missing systemd-boot: error exit" $rc 1
grep -q "skipped: /nonexistent/systemd-bootx64.efi missing (install systemd-boot-efi)" "$work/m.out" &&
	ok "missing systemd-boot: names the file and the package" || bad "missing: $(cat "$work/m.out")"
# the kernel without its PE header ("MZ" gone), its handover entries kept:
# systemd-boot only LoadImages a Type #1 kernel
cp "$kernel" "$work/nope"
printf '\000\000' | dd of="$work/nope" bs=1 seek=0 conv=notrunc status=none
rc=0
"$ZP" boot "$work/nope" --entry systemd-boot --machine q35 -q > "$work/p.out" 2>&1 || rc=$?
check "no PE header: error exit" $rc 1
grep -q "skipped: no EFI stub PE header: systemd-boot starts the kernel with LoadImage" "$work/p.out" &&
	ok "no PE header: skipped, saying why" || bad "no PE header: $(cat "$work/p.out")"
rc=0
"$ZP" matrix "$kernel" --paths systemd-boot --machine microvm --json "$work/n.json" \
	> /dev/null 2>&1 || rc=$?
check "microvm: n/a, not a failure" "$rc $(jq -r '.results[0] | "\(.verdict) \(.entry)"' "$work/n.json")" \
	"0 n/a none"

[ $fails -eq 0 ]
