#!/bin/sh
# zeropage matrix on the real Debian cloud kernel under TCG: every path on
# pc and microvm (UEFI and GRUB on pc only), two at a time.  Every path must be ok, and - checked here
# again from the JSON, on the guest's own report - have seen the command
# line we appended, the probe initramfs's size, its loader's type_of_loader
# and hardware_subarch_data set exactly for the subarch handoff; and say
# where the kernel runs (the kaslr column and JSON).
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
# grub-efi, efi-handover) on pc: microvm has neither, and the rows of paths
# that do not exist on a machine are not shown
check "rows" "$(jq '.results | length' "$work/m.json")" 16
check "table rows" "$(grep -cE '^(qemu-|shim-|ovmf |grub-|efi-handover )' "$work/table")" 16

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
	grep -Eq '^qemu-pvh +pc +ok +[0-9.]+s +[0-9.]+s +[0-9.]+s  -  ' "$work/table" &&
	ok "table: kaslr column" ||
	bad "table: no kaslr '-' for qemu-pvh: $(grep -E '^qemu-pvh +pc ' "$work/table")"

# The table's diff column names fields, never offsets.
grep -E '^shim-64 +pc ' "$work/table" | grep -Eq " (alt_mem_k|type_of_loader|e820_entries) 0x[0-9a-f]+->0x[0-9a-f]+" &&
	ok "table shows fields by name" || bad "table: $(grep -E '^shim-64 +pc ' "$work/table")"

# JUnit: the same 16 results, all passing.
grep -q '<testsuite name="zeropage matrix" tests="16" failures="0"' "$work/m.xml" &&
	ok "junit: 16 tests, 0 failures" || bad "junit: $(grep '<testsuite ' "$work/m.xml")"
check "junit: testcases" "$(grep -c '<testcase ' "$work/m.xml")" 16
if command -v xmllint > /dev/null; then
	xmllint --noout "$work/m.xml" && ok "junit: well-formed" || bad "junit: not well-formed"
fi

[ $fails -eq 0 ]
