#!/bin/sh
# zeropage matrix on the real Debian cloud kernel under TCG: every path on
# pc and microvm (UEFI and GRUB on pc only), two at a time.  Every path must be ok, and - checked here
# again from the JSON, on the guest's own report - have seen the command
# line we appended, the probe initramfs's size, its loader's type_of_loader
# and hardware_subarch_data set exactly for the subarch handoff; and say
# where the kernel runs (the kaslr column and JSON); and the kernel entry
# each row went through (JSON, table, JUnit).
. tests/lib.shinc

need_kernel
"$ZP" initramfs -o "$work/probe.cpio"
want_initrd=$(stat -c %s "$work/probe.cpio")
mark="zp.test=$$.matrix"

rc=0
"$ZP" matrix "$kernel" -j2 --accel tcg --timeout 120 --append "$mark" \
	--json "$work/m.json" --junit "$work/m.xml" > "$work/table" 2>"$work/err" || rc=$?
cat "$work/table"
check "exit code" $rc 0
check "no QEMU left" "$(pgrep -f "$mark" || true)" ""
# six paths on pc and microvm, and UEFI and GRUB (ovmf, grub-bios,
# grub-efi, systemd-boot, efi-handover) on pc: microvm has neither, and the rows of paths
# that do not exist on a machine are not shown
check "rows" "$(jq '.results | length' "$work/m.json")" 17
check "table rows" "$(grep -cE '^(qemu-|shim-|ovmf |grub-|systemd-boot |efi-handover )' "$work/table")" 17

for machine in pc microvm; do
	for path in qemu-bios qemu-pvh shim-64 shim-32 shim-vmlinux shim-subarch; do
		r=$(jq -c ".results[] | select(.path == \"$path\" and .machine == \"$machine\")" "$work/m.json")
		n="$path/$machine"
		check "$n: verdict" "$(echo "$r" | jq -r .verdict)" ok
		cmdline=$(echo "$r" | jq -r .report.cmdline)
		case " $cmdline " in
		*" $mark "*) ok "$n: /proc/cmdline has the appended string" ;;
		*) bad "$n: /proc/cmdline '$cmdline' lacks '$mark'" ;;
		esac
		check "$n: initrd" "$(echo "$r" | jq -r .report.initrd)" "$want_initrd"
		case $path in
		qemu-*) want_loader=176 ;;	# 0xb0, QEMU
		*) want_loader=255 ;;		# 0xff, undefined: the shim
		esac
		check "$n: type_of_loader" "$(echo "$r" | jq -r .report.boot_params.type_of_loader)" $want_loader
		sd=$(echo "$r" | jq -r .report.boot_params.hardware_subarch_data)
		if [ $path = shim-subarch ]; then
			[ "$sd" != 0 ] && ok "$n: hardware_subarch_data set ($sd)" ||
				bad "$n: hardware_subarch_data is 0"
			echo "$r" | jq -r '.diff[].field' | grep -qx hardware_subarch_data &&
				ok "$n: the diff names hardware_subarch_data" ||
				bad "$n: hardware_subarch_data missing from the diff"
		else
			check "$n: hardware_subarch_data" "$sd" 0
		fi
		case $path in
		shim-*) echo "$r" | jq -r '.diff[].field' | grep -qx type_of_loader &&
			ok "$n: the diff names type_of_loader" ||
			bad "$n: type_of_loader missing from the diff" ;;
		esac
		t=$(echo "$r" | jq -r '[.seconds.first_byte, .seconds.banner, .seconds.init] | map(tonumber) | (.[0] <= .[1] and .[1] <= .[2])')
		check "$n: first byte <= banner <= init" "$t" true
	done
done

# x64 UEFI: the kernel ran on EFI, its EFI stub said so.
r=$(jq -c '.results[] | select(.path == "efi-handover")' "$work/m.json")
check "efi-handover/pc: verdict" "$(echo "$r" | jq -r .verdict)" ok
check "efi-handover/pc: type_of_loader (our EFI loader's 0xff)" \
	"$(echo "$r" | jq -r .report.boot_params.type_of_loader)" 255
check "efi-handover/pc: efi_loader_signature" "$(echo "$r" | jq -r .report.efi_loader_signature)" EL64
r=$(jq -c '.results[] | select(.path == "ovmf")' "$work/m.json")
check "ovmf/pc: verdict" "$(echo "$r" | jq -r .verdict)" ok
check "ovmf/pc: type_of_loader (EFI stub 0x21)" "$(echo "$r" | jq -r .report.boot_params.type_of_loader)" 33
check "ovmf/pc: /sys/firmware/efi" "$(echo "$r" | jq -r .report.efi)" true
check "ovmf/pc: efi_loader_signature" "$(echo "$r" | jq -r .report.efi_loader_signature)" EL64
for g in "grub-bios false" "grub-efi true"; do
	set -- $g
	r=$(jq -c ".results[] | select(.path == \"$1\")" "$work/m.json")
	check "$1/pc: verdict" "$(echo "$r" | jq -r .verdict)" ok
	check "$1/pc: type_of_loader (GRUB 0x72)" "$(echo "$r" | jq -r .report.boot_params.type_of_loader)" 114
	check "$1/pc: /sys/firmware/efi" "$(echo "$r" | jq -r .report.efi)" $2
done
check "qemu-bios/pc: no /sys/firmware/efi" \
	"$(jq -r '.results[] | select(.path == "qemu-bios" and .machine == "pc") | .report.efi' "$work/m.json")" false

# Every row says where its kernel runs: inside the kernel map, at offsets
# KASLR may have randomised; the PVH entry has no decompressor and so no
# KASLR, its kernel runs at the link addresses.  (Hex strings: jq 1.6
# would round kernel_text as a number.)
check "every row: kernel_phys and kernel_text known" "$(jq -r '.results[] |
	select((.kernel_phys // "0x0") == "0x0" or
	       ((.kernel_text // "") | test("^0xffffffff[89a-f][0-9a-f]{7}$") | not)) |
	"\(.path)/\(.machine)"' "$work/m.json" | tr '\n' ' ')" ""
check "qemu-pvh: offsets 0 on every machine" \
	"$(jq -c '[.results[] | select(.path == "qemu-pvh") | .kaslr.phys_offset, .kaslr.virt_offset] | unique' "$work/m.json")" "[0]"
grep -Eq '^path .* init  kaslr ' "$work/table" &&
	grep -Eq '^qemu-pvh +pc +pvh +ok +[0-9.]+s +[0-9.]+s +[0-9.]+s  -  ' "$work/table" &&
	ok "table: kaslr column" ||
	bad "table: no kaslr '-' for qemu-pvh: $(grep -E '^qemu-pvh +pc ' "$work/table")"

# The table's diff column names fields, never offsets.
grep -E '^shim-64 +pc ' "$work/table" | grep -Eq " (alt_mem_k|type_of_loader|e820_entries) 0x[0-9a-f]+->0x[0-9a-f]+" &&
	ok "table shows fields by name" || bad "table: $(grep -E '^shim-64 +pc ' "$work/table")"

# The entry each row went through: the paths' own, confirmed by the zero
# page; and where a loader chose, what the zero page shows (measured: OVMF
# and systemd-boot start the PE entry, Debian's GRUB 2.06 enters the 32-bit
# boot protocol on BIOS and on UEFI alike, filling efi_info itself).
check "entries (pc)" "$(jq -r '[.results[] | select(.machine == "pc") | "\(.path)=\(.entry)"] | join(" ")' "$work/m.json")" \
	"qemu-bios=real-mode-16 qemu-pvh=pvh shim-64=boot-protocol-64 shim-32=boot-protocol-32 shim-vmlinux=vmlinux-64 shim-subarch=boot-protocol-64 ovmf=efi-pe grub-bios=boot-protocol-32 grub-efi=boot-protocol-32 systemd-boot=efi-pe efi-handover=efi-handover-64"
check "every row says why" "$(jq '[.results[] | select((.entry_why // "") == "")] | length' "$work/m.json")" 0
grep -Eq '^grub-efi +pc +boot-protocol-32 +ok ' "$work/table" && ok "table: entry column" ||
	bad "table: $(grep -E '^grub-efi ' "$work/table")"
grep -q '<property name="entry" value="efi-pe"/>' "$work/m.xml" && ok "junit: the entry as a property" ||
	bad "junit: no entry property"

# JUnit: the same 17 results, all passing.
grep -q '<testsuite name="zeropage matrix" tests="17" failures="0"' "$work/m.xml" &&
	ok "junit: 17 tests, 0 failures" || bad "junit: $(grep '<testsuite ' "$work/m.xml")"
check "junit: testcases" "$(grep -c '<testcase ' "$work/m.xml")" 17
if command -v xmllint > /dev/null; then
	xmllint --noout "$work/m.xml" && ok "junit: well-formed" || bad "junit: not well-formed"
fi

[ $fails -eq 0 ]
