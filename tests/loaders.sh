#!/bin/sh
# zeropage info --loaders and the "loaders" member of info --json, on the
# real Debian cloud kernel, its vmlinux, a bundle, the 686 flavour, a UKI
# and a kernel whose payload is corrupt: text and JSON agree, every loader
# is named, and each fix command, run as printed, gives an image the
# verdict then says boots there.  (Verdicts against real boots:
# tests/loaders-boot.sh; each rule on its own: tests/test_loaders.c.)
# boots: none
. tests/lib.shinc

need_kernel
zp_abs=$(cd "$(dirname "$ZP")" && pwd)/$(basename "$ZP")	# for the fixes, run from $work
names="qemu-bzimage qemu-pvh firecracker-1.16 firecracker-main cloud-hypervisor-53
linux-loader-0.14 xen-pv-domu xen-pvh-domu xen-pv-dom0 xen-pvh-dom0-upto-4.18
xen-pvh-dom0-4.19 ovmf ovmf-ia32 grub-bios grub-efi"

# verdict FILE.json LOADER KEY: one member of one loader's verdict
verdict() { jq -r --arg l "$2" ".loaders[] | select(.loader == \$l) | .$3" "$1"; }

# run_fix FIX: the fix command as a user pastes it, our build for `zeropage`
run_fix() {
	case $1 in
	"zeropage "*) (cd "$work" && eval "\"\$zp_abs\" ${1#zeropage }") > /dev/null ;;
	*) return 1 ;;
	esac
}

# --- the cloud bzImage: JSON schema, text table, verdicts ---
"$ZP" info --json "$kernel" > "$work/k.json" || bad "info --json exits 0"
check "loaders: one verdict per loader" "$(jq '.loaders | length' "$work/k.json")" 15
check "loaders: the names, in order" "$(jq -r '.loaders[].loader' "$work/k.json" | tr '\n' ' ')" \
	"$(echo $names) "
check "loaders: every verdict has a bool boots, known true, a why, a fix string or null" \
	"$(jq '[.loaders[] | (.boots | type) == "boolean" and .known == true and
		(.why | type) == "string" and (.why | length) > 0 and
		((.fix | type) == "string" or .fix == null)] | all' "$work/k.json")" true
check "loaders: no fix where it boots" \
	"$(jq '[.loaders[] | select(.boots) | .fix == null and .fix_note == null] | all' "$work/k.json")" true
check "loaders: matrix_path names the matrix row for qemu-bzimage" \
	"$(verdict "$work/k.json" qemu-bzimage matrix_path)" qemu-bios

"$ZP" info --loaders "$kernel" > "$work/k.txt" || bad "info --loaders exits 0"
check "text: header" "$(sed -n 1p "$work/k.txt")" "$kernel: where it boots as it is"
for l in $names; do	# the text row says what the JSON says
	want=$(verdict "$work/k.json" "$l" boots | sed 's/true/yes/; s/false/no/; s/null/?/')
	got=$(awk -v l="$l" '$1 == l { print $2 }' "$work/k.txt")
	[ "$got" = "$want" ] || bad "text row $l: '$got', JSON says '$want'"
done
ok "text rows agree with the JSON for all 15 loaders"
check "text: the fix line follows its row" \
	"$(grep -A1 '^  qemu-pvh ' "$work/k.txt" | sed -n '2s/^ *//p')" "fix: zeropage extract $kernel -o vmlinux"
check "--json --loaders: the same document as --json" \
	"$("$ZP" info --json --loaders "$kernel" | jq -c .loaders)" "$(jq -c .loaders "$work/k.json")"

for l in qemu-bzimage firecracker-main cloud-hypervisor-53 xen-pvh-domu xen-pv-dom0 ovmf \
	 ovmf-ia32 grub-bios grub-efi; do
	check "cloud kernel boots on $l" "$(verdict "$work/k.json" "$l" boots)" true
done
check "cloud kernel: not on qemu-pvh as it is" "$(verdict "$work/k.json" qemu-pvh boots)" false
check "cloud kernel: not on firecracker-1.16" "$(verdict "$work/k.json" firecracker-1.16 boots)" false

# the fix for qemu-pvh and Firecracker 1.16: extract, and the vmlinux boots there
fix=$(verdict "$work/k.json" firecracker-1.16 fix)
check "firecracker-1.16 fix" "$fix" "zeropage extract $kernel -o vmlinux"
run_fix "$fix" || bad "the fix runs: $fix"
"$ZP" info --json "$work/vmlinux" > "$work/v.json" || bad "info --json on the vmlinux"
for l in qemu-pvh firecracker-1.16 firecracker-main cloud-hypervisor-53 linux-loader-0.14; do
	check "the extracted vmlinux boots on $l" "$(verdict "$work/v.json" "$l" boots)" true
done
check "vmlinux: not a bzImage for QEMU" "$(verdict "$work/v.json" qemu-bzimage boots)" false
check "vmlinux: no fix command for GRUB, a note" \
	"$(verdict "$work/v.json" grub-bios fix)|$(verdict "$work/v.json" grub-bios fix_note)" \
	"null|none from an ELF: boot the bzImage it came from"

# --- the 686 flavour: no PVH note anywhere; the bundle is the fix ---
k686=$(dirname "$kernel")/vmlinuz-6.1.0-57-686
case $kernel in *-cloud-amd64) k686=${kernel%-cloud-amd64}-686 ;; esac
if [ -r "$k686" ]; then
	"$ZP" info --json "$k686" > "$work/686.json" || bad "info --json on the 686 kernel"
	check "686: not on qemu-pvh" "$(verdict "$work/686.json" qemu-pvh boots)" false
	check "686: its vmlinux has no PVH note" \
		"$(verdict "$work/686.json" qemu-pvh why | grep -c 'its vmlinux has no PVH note')" 1
	check "686: not on firecracker-main (no 64-bit entry)" \
		"$(verdict "$work/686.json" firecracker-main boots)" false
	check "686: on 32-bit UEFI, by its i386 EFI stub" "$(verdict "$work/686.json" ovmf-ia32 boots)" true
	check "686: not on x64 UEFI" "$(verdict "$work/686.json" ovmf boots)" false
	fix=$(verdict "$work/686.json" qemu-pvh fix)
	check "686: the qemu-pvh fix" "$fix" "zeropage bundle --kernel $k686 -o bundle.elf"
	run_fix "$fix" || bad "the fix runs: $fix"
	"$ZP" info --json "$work/bundle.elf" > "$work/b.json" || bad "info --json on the bundle"
	check "the bundle: format" "$(jq -r .format "$work/b.json")" bundle
	for l in qemu-pvh firecracker-1.16 firecracker-main cloud-hypervisor-53 xen-pvh-domu; do
		check "the 686 bundle boots on $l" "$(verdict "$work/b.json" "$l" boots)" true
	done
	check "the bundle: no Xen PV entry" "$(verdict "$work/b.json" xen-pv-domu boots)" false
else
	ok "686 kernel: skipped ($k686 absent)"
fi

# --- a path a shell would split: the fix quotes it, and still runs ---
odd="$work/my kernel's"
ln -s "$kernel" "$odd"
"$ZP" info --json "$odd" > "$work/odd.json" || bad "info --json on '$odd'"
fix=$(verdict "$work/odd.json" qemu-pvh fix)
check "fix quotes the path" "$fix" "zeropage extract '$work/my kernel'\\''s' -o vmlinux"
rm -f "$work/vmlinux"
run_fix "$fix" && [ -s "$work/vmlinux" ] && ok "the quoted fix runs" || bad "the quoted fix runs: $fix"

# --- a UKI (systemd-stub + .linux): UEFI yes, QEMU's loaders no ---
STUB=${ZEROPAGE_UKI_STUB:-/usr/lib/systemd/boot/efi/linuxx64.efi.stub}
if [ -r "$STUB" ]; then
	objcopy --add-section .linux="$kernel" --change-section-vma .linux=0x4000000 \
		"$STUB" "$work/uki.efi" || bad "objcopy made no UKI"
	"$ZP" info --json "$work/uki.efi" > "$work/u.json" || bad "info --json on the UKI"
	check "UKI: format" "$(jq -r .format "$work/u.json")" uki
	check "UKI: on x64 UEFI" "$(verdict "$work/u.json" ovmf boots)" true
	check "UKI: QEMU's -kernel refuses it" "$(verdict "$work/u.json" qemu-bzimage why |
		grep -c 'linux kernel too old to load a ram disk')" 1
	check "UKI: the bundle is QEMU's fix" "$(verdict "$work/u.json" qemu-bzimage fix)" \
		"zeropage bundle --kernel $work/uki.efi -o bundle.elf"
	check "UKI: GRUB EFI can chainload it" "$(verdict "$work/u.json" grub-efi fix_note | grep -c chainloader)" 1
else
	ok "UKI: skipped ($STUB absent)"
fi

# --- a payload that does not decompress: the rules that need it say so ---
cp "$kernel" "$work/corrupt"
poff=$(jq -r .payload_offset "$work/k.json")
dd if=/dev/zero of="$work/corrupt" bs=1 seek=$((poff + 64)) count=4096 conv=notrunc 2>/dev/null
"$ZP" info --json "$work/corrupt" > "$work/c.json" || bad "info --json on a corrupt payload exits 0"
check "corrupt payload: Xen cannot be judged" \
	"$(verdict "$work/c.json" xen-pvh-domu why | grep -c '^cannot tell: .*did not decompress')" 1
check "corrupt payload: not known, so boots is null, not false" \
	"$(verdict "$work/c.json" xen-pvh-domu known) $(verdict "$work/c.json" xen-pvh-domu boots)" \
	"false null"
"$ZP" info --loaders "$work/corrupt" > "$work/c.txt" || bad "info --loaders on a corrupt payload"
check "corrupt payload: the text says ? for Xen" \
	"$(awk '$1 == "xen-pvh-domu" { print $2 }' "$work/c.txt")" "?"
check "corrupt payload: the header's own verdicts stand" "$(verdict "$work/c.json" qemu-bzimage boots)" true
check "corrupt payload: the bundle, not extract, for qemu-pvh" \
	"$(verdict "$work/c.json" qemu-pvh fix)" "zeropage bundle --kernel $work/corrupt -o bundle.elf"

# --- images that are not Linux (Debian's memtest86+ and iPXE, fetched into
# the cache's foreign/ when present): definite verdicts, no KASLR claimed ---
foreign=${ZEROPAGE_FOREIGN:-$HOME/.cache/zeropage/foreign}
find_foreign() { find "$foreign" -name "$1" -type f 2>/dev/null | head -n 1; }
memtest=$(find_foreign 'memtest86+x64.bin')
if [ -n "$memtest" ]; then
	"$ZP" info --json "$memtest" > "$work/mt.json" || bad "info --json on memtest86+"
	check "memtest86+: every verdict is known" "$(jq '[.loaders[].known] | all' "$work/mt.json")" true
	check "memtest86+: Xen says no, for want of a payload" \
		"$(verdict "$work/mt.json" xen-pvh-domu boots) $(verdict "$work/mt.json" xen-pvh-domu why |
		grep -c 'no payload (payload_length 0)')" "false 1"
	check "memtest86+: no KASLR claimed" \
		"$(jq '[.loaders[].why | select(test("randomise"))] | length' "$work/mt.json")" 0
else
	ok "memtest86+: skipped (no memtest86+x64.bin under $foreign)"
fi
ipxe=$(find_foreign 'ipxe.lkrn')
if [ -n "$ipxe" ]; then
	"$ZP" info --json "$ipxe" > "$work/ipxe.json" || bad "info --json on ipxe.lkrn"
	check "ipxe.lkrn: QEMU runs its 16-bit setup" "$(verdict "$work/ipxe.json" qemu-bzimage boots)" true
	check "ipxe.lkrn: GRUB's linux has no 32-bit entry to enter" \
		"$(verdict "$work/ipxe.json" grub-bios boots) $(verdict "$work/ipxe.json" grub-bios why |
		grep -c 'no 32-bit entry; try with .linux16')" "false 1"
	check "ipxe.lkrn: Xen needs protocol 2.08" \
		"$(verdict "$work/ipxe.json" xen-pv-dom0 why | grep -c '^protocol 2.07: .*need 2.08')" 1
	check "ipxe.lkrn: no bundle offered (no entry for its shim)" \
		"$(jq '[.loaders[].fix // empty | select(test("bundle"))] | length' "$work/ipxe.json")" 0
else
	ok "ipxe.lkrn: skipped (none under $foreign)"
fi

# --- bad input ---
printf 'not a kernel' > "$work/junk"
rc=0; "$ZP" info --loaders "$work/junk" > /dev/null 2> "$work/err" || rc=$?
check "not a kernel: exit 1" "$rc" 1
check "not a kernel: says so" "$(grep -c 'not a kernel image we know' "$work/err")" 1
rc=0; "$ZP" info --loaders > /dev/null 2>&1 || rc=$?
check "no IMAGE: usage, exit 2" "$rc" 2
"$ZP" info --help | grep -q -- '--loaders' && ok "help names --loaders" || bad "help names --loaders"

[ $fails -eq 0 ]
