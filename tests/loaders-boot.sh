#!/bin/sh
# The loader verdicts of `zeropage info --loaders` against real boots, where
# our own matrix boots that loader (each verdict's matrix_path): a verdict
# "boots" must boot to the probe's report, a verdict "does not" must be
# refused by the matrix row, skipped for the same missing fact.  Few boots
# (TCG): the cloud bzImage on QEMU's bzImage loader and on GRUB for BIOS,
# its vmlinux on QEMU's
# PVH loader, and the 686 kernel bundled as its own fix says (row
# shim-32: `boot` checks a bundle file against the kernel's own PVH entry
# on row qemu-pvh, so the matrix's shim row boots it); the 686 kernel and
# its vmlinux on the PVH loader are refused before any guest starts, and
# x64 OVMF, which the verdict says cannot start its i386 EFI stub, is run
# and must not boot it.
. tests/lib.shinc

need_kernel
zp_abs=$(cd "$(dirname "$ZP")" && pwd)/$(basename "$ZP")	# for the fixes, run from $work

. tests/loaders_lib.shinc

agree "$kernel" qemu-bzimage
agree "$kernel" grub-bios
"$ZP" extract -q "$kernel" -o "$work/vmlinux" || bad "extract"
agree "$work/vmlinux" qemu-pvh

k686=${kernel%-cloud-amd64}-686
if [ "$k686" != "$kernel" ] && [ -r "$k686" ]; then
	agree "$k686" qemu-pvh
	"$ZP" extract -q "$k686" -o "$work/vmlinux-686" || bad "extract 686"
	agree "$work/vmlinux-686" qemu-pvh
	# x64 UEFI and an i386 EFI stub: the verdict says no; the ovmf row has
	# no rule of its own for it, so the firmware itself is asked (it falls
	# back to its shell: no-init), and must not boot it either
	check "686: the verdict for ovmf" "$("$ZP" info --json "$k686" |
		jq -r '.loaders[] | select(.loader == "ovmf") | .boots')" false
	nice "$ZP" boot "$k686" --entry ovmf --machine pc --accel tcg --timeout "$TIMEOUT" -q \
		--json "$work/ovmf686.json" > "$work/ovmf686.out" 2>&1 || true
	v=$(jq -r .verdict "$work/ovmf686.json" 2>/dev/null || echo "no JSON")
	case $v in
	ok|"no JSON") bad "686 on ovmf: the verdict says no, the boot said '$v'" ;;
	*) ok "686 on ovmf: the verdict says no, and x64 OVMF does not boot it ($v: $(jq -r .reason "$work/ovmf686.json" | cut -c1-60))" ;;
	esac
	# the fix the verdict printed: the bundle, which the verdict on it
	# says QEMU's PVH loader boots; the matrix boots that bundle (the
	# shim's --entry 32 for a kernel without XLF_KERNEL_64) as row shim-32,
	# `boot --entry 32`
	fix=$(jq -r '.loaders[] | select(.loader == "qemu-pvh") | .fix' "$work/$(basename "$k686").qemu-pvh.info")
	check "686: the fix is the bundle" "$fix" "zeropage bundle --kernel $k686 -o bundle.elf"
	(cd "$work" && eval "\"\$zp_abs\" ${fix#zeropage }") > /dev/null || bad "the fix runs"
	check "686: the bundle's entry" "$("$ZP" info --json "$work/bundle.elf" | jq -r .entry)" 32
	check "686: the verdict on the bundle" "$("$ZP" info --json "$work/bundle.elf" |
		jq -r '.loaders[] | select(.loader == "qemu-pvh") | .boots')" true
	nice "$ZP" boot "$k686" --entry 32 --machine pc --accel tcg --timeout "$TIMEOUT" -q \
		--json "$work/shim32.json" > "$work/shim32.out" 2>&1 || true
	check "686: the bundle boots on QEMU's PVH loader (row shim-32)" \
		"$(jq -r .verdict "$work/shim32.json" 2>/dev/null)" ok
else
	ok "686 kernel: skipped ($k686 absent)"
fi

[ $fails -eq 0 ]
