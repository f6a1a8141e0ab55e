#!/bin/sh
# ELF kernels that are not Linux: the core's word on an ELF
# (zp_elf_linux_evidence, from its notes) and what `boot` does with it.
# Needs nothing cached: tests/kernels/pvhmini.S is a PVH ELF (a
# PHYS32_ENTRY note and nothing else) that writes one line to COM1.
#
#  - info: pvhmini is not Linux ("no Xen GUEST_OS \"linux\" note and no
#    \"Linux\" note"), in text and JSON; the real kernel's vmlinux is
#    Linux (its Xen GUEST_OS note says "linux");
#  - boot --entry qemu-pvh on pc and microvm: the verdict is `started`
#    (exit 0) once pvhmini writes its line, with the
#    core's reason and the image's first words, not a timeout waiting for
#    a probe that cannot come.
. tests/lib.shinc
set +e	# each step is judged by its own check

img=$BUILD/tests/kernels/pvhmini.elf
[ -s "$img" ] || { echo "FAIL no $img (make test-kernels builds it)"; exit 1; }
need_kernel
why_none='not Linux: no Xen GUEST_OS "linux" note and no "Linux" note'

# ---- info: not Linux, and why ----
if "$ZP" info --json "$img" > "$work/p.json"; then
	check "info pvhmini: format" "$(jq -r .format "$work/p.json")" elf
	check "info pvhmini: linux" "$(jq -r .linux "$work/p.json")" false
	check "info pvhmini: evidence" "$(jq -r .linux_evidence "$work/p.json")" none
	check "info pvhmini: why" "$(jq -r .linux_why "$work/p.json")" "$why_none"
	check "info pvhmini: entries" "$(jq -r '.entries | join(" ")' "$work/p.json")" pvh
else
	bad "zeropage info --json pvhmini.elf"
fi
"$ZP" info "$img" > "$work/p.txt"
grep -qxF "  linux                  $why_none" "$work/p.txt" &&
	ok "info pvhmini (text): the linux line" || bad "info pvhmini (text): no linux line"

# ---- info: the real vmlinux is still Linux ----
if "$ZP" extract "$kernel" -o "$work/vmlinux" -q; then
	"$ZP" info --json "$work/vmlinux" > "$work/v.json"
	check "info vmlinux: linux" "$(jq -r .linux "$work/v.json")" true
	case $(jq -r .linux_evidence "$work/v.json") in
	guest_os|linux_note) ok "info vmlinux: evidence $(jq -r .linux_evidence "$work/v.json")" ;;
	*) bad "info vmlinux: evidence '$(jq -r .linux_evidence "$work/v.json")'" ;;
	esac
	"$ZP" info "$work/vmlinux" | grep -q '^  linux  *Linux: ' &&
		ok "info vmlinux (text): the linux line" || bad "info vmlinux (text): no linux line"
	rm -f "$work/vmlinux"
else
	bad "zeropage extract $kernel"
fi

# ---- boot: started once it speaks ----
# (the timeout is only a bound: the boot ends 3 s after that output)
for m in pc microvm; do
	nice "$ZP" boot "$img" --entry qemu-pvh --machine $m --timeout "${ZEROPAGE_BOOT_TIMEOUT:-60}" \
		--json "$work/b-$m.json" > "$work/b-$m.out" 2>&1
	check "boot pvhmini qemu-pvh $m: exit code" "$?" 0
	check "boot pvhmini qemu-pvh $m: verdict" "$(jq -r .verdict "$work/b-$m.json")" started
	case $(jq -r .reason "$work/b-$m.json") in
	*"$why_none (no probe runs there"*"its first words: 'pvhmini: a PVH kernel that is not Linux, entered at 0x100000'")
		ok "boot pvhmini $m: the reason says why, and what it wrote" ;;
	*) bad "boot pvhmini $m: reason '$(jq -r .reason "$work/b-$m.json")'" ;;
	esac
	[ "$(jq -r .seconds.image_output "$work/b-$m.json")" != null ] &&
		ok "boot pvhmini $m: its own output at $(jq -r .seconds.image_output "$work/b-$m.json") s" ||
		bad "boot pvhmini $m: no image_output time"
	grep -q "started via qemu-pvh on $m" "$work/b-$m.out" && ok "boot pvhmini $m: the verdict line" ||
		{ bad "boot pvhmini $m: no verdict line"; sed 's/^/    /' "$work/b-$m.out" | tail -5; }
done
[ $fails -eq 0 ]
