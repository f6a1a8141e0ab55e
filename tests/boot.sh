#!/bin/sh
# zeropage boot on the real Debian cloud kernel under TCG, -M pc: through
# QEMU's bzImage loader (qemu-bios) and QEMU's PVH loader on the extracted
# vmlinux (qemu-pvh).  A boot passes on the guest's own report: the probe's
# /proc/cmdline must hold what we appended, its initrd size must be the
# probe initramfs's size, and the zero page must name QEMU's loader.  The
# probe also says where the kernel runs (KASLR), with and without nokaslr.
. tests/lib.shinc

need_kernel
"$ZP" initramfs -o "$work/probe.cpio"
want_initrd=$(stat -c %s "$work/probe.cpio")

for entry in qemu-bios qemu-pvh; do
	mark="zp.test=$$.$entry"
	rc=0
	"$ZP" boot "$kernel" --entry "$entry" --machine pc --accel tcg --timeout 90 \
		--append "$mark" --json "$work/$entry.json" > "$work/$entry.out" 2>"$work/$entry.err" || rc=$?
	check "$entry: exit code" $rc 0
	check "$entry: verdict" "$(jq -r .verdict "$work/$entry.json")" ok
	# the console was streamed to stdout, the decoded report follows it
	grep -aq "Linux version" "$work/$entry.out" && ok "$entry: console streamed" ||
		bad "$entry: no kernel banner on stdout"
	grep -q "^probe report:" "$work/$entry.out" && ok "$entry: report printed" ||
		bad "$entry: no report on stdout"
	cmdline=$(jq -r .report.cmdline "$work/$entry.json")
	case " $cmdline " in
	*" $mark "*) ok "$entry: /proc/cmdline has '$mark'" ;;
	*) bad "$entry: /proc/cmdline '$cmdline' lacks '$mark'" ;;
	esac
	case " $cmdline " in
	*" console=ttyS0 "*) ok "$entry: /proc/cmdline has console=ttyS0" ;;
	*) bad "$entry: /proc/cmdline '$cmdline' lacks console=ttyS0" ;;
	esac
	check "$entry: initrd size seen by the kernel" "$(jq -r .report.initrd "$work/$entry.json")" "$want_initrd"
	check "$entry: ramdisk_size in the zero page" \
		"$(jq -r .report.boot_params.ramdisk_size "$work/$entry.json")" "$want_initrd"
	# 0xb0: QEMU's loader ID; the kernel's own PVH entry claims it too
	# when not on Xen (arch/x86/platform/pvh/enlighten.c)
	check "$entry: type_of_loader" "$(jq -r .report.boot_params.type_of_loader "$work/$entry.json")" 176
	check "$entry: hardware_subarch_data" \
		"$(jq -r .report.boot_params.hardware_subarch_data "$work/$entry.json")" 0
	[ "$(jq -r '.report.memmap | length' "$work/$entry.json")" -gt 0 ] &&
		ok "$entry: memmap reported" || bad "$entry: empty memmap"
	e820=$(jq -r '.report.boot_params.e820_entries' "$work/$entry.json")
	check "$entry: e820 table length matches e820_entries" \
		"$(jq -r '.report.boot_params.e820_table | length' "$work/$entry.json")" "$e820"
	check "$entry: no QEMU left" "$(pgrep -f "$mark" || true)" ""
done

# The same boot under the other loader's path must differ only where the
# loaders differ: the bzImage path keeps the setup header, PVH does not.
check "qemu-bios keeps the HdrS magic" "$(jq -r .report.boot_params.header "$work/qemu-bios.json")" 1400005704
check "qemu-pvh zero page has no HdrS" "$(jq -r .report.boot_params.header "$work/qemu-pvh.json")" 0

# Where the kernel runs.  Debian's decompressor randomises both bases
# unless told nokaslr, so under qemu-bios only plausibility is certain (a
# random base may happen to be the link address); the PVH entry skips the
# decompressor, so the kernel runs exactly where it was linked.
# kernel_text is a hex string: jq 1.6 would round it as a number.
check "qemu-bios: kernel_phys known" \
	"$(jq -r '.kernel_phys != null and .kernel_phys != "0x0"' "$work/qemu-bios.json")" true
text=$(jq -r .kernel_text "$work/qemu-bios.json")
case $text in
0xffffffff[89a-f]???????) ok "qemu-bios: kernel_text $text in the kernel map" ;;
*) bad "qemu-bios: kernel_text '$text' below 0xffffffff80000000" ;;
esac
grep -q "^kernel runs at phys 0x[0-9a-f]*, virt $text (offset [+-]0x[0-9a-f]* / [+-]0x[0-9a-f]*)\$" \
	"$work/qemu-bios.out" && ok "qemu-bios: 'kernel runs at' line" ||
	bad "qemu-bios: no 'kernel runs at' line for $text"
check "qemu-pvh: offsets from the link address" \
	"$(jq -c '[.kaslr.phys_offset, .kaslr.virt_offset]' "$work/qemu-pvh.json")" "[0,0]"

# Quiet mode: nothing from the console, still the report.  The same boot
# (saving one) says nokaslr: then qemu-bios runs the kernel exactly at its
# link addresses, 16 MiB and 0xffffffff81000000.
rc=0
"$ZP" boot "$kernel" -q --accel tcg --append "zp.test=$$.quiet nokaslr" \
	--json "$work/q.json" > "$work/q.out" 2>&1 || rc=$?
check "quiet: exit code" $rc 0
check "quiet: no console on stdout" "$(grep -ac 'Linux version' "$work/q.out" || true)" 0
grep -q "^zeropage boot: ok via qemu-bios" "$work/q.out" && ok "quiet: verdict line" ||
	bad "quiet: no verdict line: $(tail -n 2 "$work/q.out")"
check "nokaslr: kernel_phys, kernel_text" \
	"$(jq -r '"\(.kernel_phys) \(.kernel_text)"' "$work/q.json")" "0x1000000 0xffffffff81000000"
check "nokaslr: offsets" "$(jq -c '[.kaslr.phys_offset, .kaslr.virt_offset]' "$work/q.json")" "[0,0]"
grep -q "^kernel runs at phys 0x1000000, virt 0xffffffff81000000 (offset +0x0 / +0x0)\$" "$work/q.out" &&
	ok "nokaslr: 'kernel runs at' line" || bad "nokaslr: $(grep '^kernel runs' "$work/q.out")"

[ $fails -eq 0 ]
