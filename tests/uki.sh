#!/bin/sh
# Unified Kernel Images made the way ukify makes them, from Debian's
# systemd-stub (systemd-boot-efi) and the real Debian cloud kernel, the
# probe initramfs as .initrd and a command line with console=ttyS0:
#  - info --json: format, uname, command line, os-release, the kernel;
#  - extract: byte-identical to extract on the plain kernel;
#  - bundle --kernel UKI: boots under QEMU (-kernel bundle.elf) to init with
#    the UKI's command line and initrd; --cmdline and --initrd override them;
#  - the UKI through the boot paths: whole under OVMF (systemd-stub starts
#    the kernel with the UKI's own .initrd: type_of_loader 0x21, EL64), its
#    parts on qemu-bios and shim-64, each reaching init;
#  - bad input: a PE that is not a UKI, a UKI cut inside a section, one
#    whose sections overlap in memory: a specific error, exit 1, and nothing
#    written by extract or bundle;
#  - systemd-stub's section rules: Debian's stub (252) boots the last
#    section whose name starts with a part's name, v257 and later the first
#    named exactly so (profile 0's over the base's).  .initrd + .initrdX, two
#    .linux, two .cmdline, two profiles with a .cmdline each: refused by
#    info, extract, bundle and boot, naming the section each would boot; a
#    profile's .cmdline after the base's, which both take: info and bundle
#    show it.
. tests/lib.shinc
set +e	# each step is judged by its own check
. tests/bundle_lib.shinc
. tests/uki_lib.shinc
TIMEOUT=${ZEROPAGE_BOOT_TIMEOUT:-90}

need_kernel
[ -r "$STUB" ] || { echo "FAIL $STUB missing: install systemd-boot-efi"; exit 1; }
"$ZP" initramfs -o "$work/probe.cpio" || { echo "FAIL zeropage initramfs"; exit 1; }
initrd_size=$(stat -c %s "$work/probe.cpio")
kernel_size=$(stat -L -c %s "$kernel")

cat > "$work/osrel" <<'EOF'
PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
ID=debian
EOF
uki_cmdline="console=ttyS0 reboot=t zp.uki=$$"
printf '%s\n' "$uki_cmdline" > "$work/cmdline"	# ukify's @file form ends in a newline
uname_r=$(basename "$(readlink -f "$kernel")" | sed -n 's/^vmlinuz-//p')
[ -n "$uname_r" ] || uname_r=6.1.0-test
printf '%s' "$uname_r" > "$work/uname"
uki=$work/uki.efi
make_uki "$uki" .osrel="$work/osrel" .cmdline="$work/cmdline" .uname="$work/uname" \
	.initrd="$work/probe.cpio" .linux="$kernel" || { echo "FAIL objcopy"; exit 1; }
ok "UKI made: $(stat -c %s "$uki") bytes from $STUB"

# --- info
"$ZP" info --json "$uki" > "$work/info.json" || bad "info --json exits 0"
j() { jq -r "$1" "$work/info.json"; }
check "info: format" "$(j .format)" uki
check "info: uname" "$(j .uname)" "$uname_r"
check "info: cmdline (its newline dropped, as systemd-stub does)" "$(j .cmdline)" "$uki_cmdline"
check "info: osrel NAME" "$(j .osrel.NAME)" "Debian GNU/Linux"
check "info: osrel VERSION_ID" "$(j .osrel.VERSION_ID)" 12
check "info: osrel PRETTY_NAME" "$(j .osrel.PRETTY_NAME)" "Debian GNU/Linux 12 (bookworm)"
check "info: osrel ID (unquoted)" "$(j .osrel.ID)" debian
check "info: initrd size" "$(j .initrd.size)" "$initrd_size"
check "info: .linux size" "$(j .linux.size)" "$kernel_size"
check "info: .linux format" "$(j .linux.format)" bzimage
check "info: kernel_version = the plain kernel's" "$(j .kernel_version)" \
	"$("$ZP" info --json "$kernel" | jq -r .kernel_version)"
check "info: .linux compression" "$(j .linux.compression)" \
	"$("$ZP" info --json "$kernel" | jq -r .compression)"
check "info: PE machine" "$(j .pe.machine)" x86-64
check "info: sections" "$(j '[.sections[].name] | join(" ")')" \
	"$(objdump -h "$uki" | awk '$1 ~ /^[0-9]+$/ { printf "%s%s", s, $2; s = " " }')"
"$ZP" info "$uki" > "$work/info.txt" 2>&1 && head -n 1 "$work/info.txt" | grep -q ": UKI (PE32+ x86-64 EFI application)" &&
	ok "info: text says UKI" || bad "info text: $(head -n 3 "$work/info.txt")"

# --- extract: the UKI's kernel's vmlinux, equal to the plain kernel's
"$ZP" extract "$uki" -o "$work/v-uki" -q || bad "extract UKI exits 0"
"$ZP" extract "$kernel" -o "$work/v-plain" -q || bad "extract kernel exits 0"
cmp -s "$work/v-uki" "$work/v-plain" && ok "extract: UKI's vmlinux = the kernel's ($(stat -c %s "$work/v-uki") bytes)" ||
	bad "extract: UKI's vmlinux differs from the kernel's"

# --- bundle --kernel UKI: its kernel, initrd and command line
bundle_boot() {	# NAME BUNDLE-OUT WANT-CMDLINE [bundle options]
	_name=$1 _b=$2 _want=$3
	shift 3
	if ! "$ZP" bundle --kernel "$uki" -o "$_b" "$@" > "$work/$_name.bundle" 2>&1; then
		bad "$_name: bundle: $(cat "$work/$_name.bundle")"
		return
	fi
	boot_qemu "$work/$_name.out" "$TIMEOUT" -M pc -m 256M -kernel "$_b" -append "zp.appended=$_name"
	if [ "$BOOT_STATUS" != probe ]; then
		bad "$_name: no probe report ($BOOT_STATUS); console tail:"
		tail -c 600 "$work/$_name.out" | tr -d '\r' | sed 's/^/    /'
		return
	fi
	check "$_name: /proc/cmdline" "$(probe_field "$work/$_name.out" cmdline)" \
		"$(hex_of "$_want zp.appended=$_name")"
	check "$_name: initrd size" "$(probe_field "$work/$_name.out" initrd)" "$initrd_size"
}
bundle_boot uki-parts "$work/b.elf" "$uki_cmdline"
grep -q "initrd .initrd ($initrd_size bytes); command line from .cmdline" "$work/uki-parts.bundle" &&
	ok "bundle: says what it took from the UKI" || bad "bundle said: $(cat "$work/uki-parts.bundle")"
bundle_boot cmdline-override "$work/b2.elf" "console=ttyS0 zp.override=1" --cmdline "console=ttyS0 zp.override=1"
# a UKI whose .initrd is no initramfs at all: only --initrd can reach init
head -c 8192 /dev/zero > "$work/not-an-initrd"
uki_bad_initrd=$work/uki-bad-initrd.efi
make_uki "$uki_bad_initrd" .cmdline="$work/cmdline" .initrd="$work/not-an-initrd" .linux="$kernel"
uki_save=$uki
uki=$uki_bad_initrd
bundle_boot initrd-override "$work/b3.elf" "$uki_cmdline" --initrd "$work/probe.cpio"
uki=$uki_save

# --- boot paths: whole under OVMF, parts elsewhere
mark="zp.test=$$.uki"
rc=0
"$ZP" matrix "$uki" --machine pc --paths qemu-bios,shim-64,ovmf -j2 --accel tcg --timeout 150 \
	--append "$mark" --json "$work/m.json" > "$work/table" 2>"$work/merr" || rc=$?
cat "$work/table"
check "matrix: exit code" $rc 0
# (jq on the file itself: dash's echo would turn the console's \r\n
# escapes in the JSON back into control characters)
row() { jq -r --arg p "$1" ".results[] | select(.path == \$p) | $2" "$work/m.json"; }
for r in "qemu-bios 176" "shim-64 255" "ovmf 33"; do
	set -- $r
	check "$1: verdict" "$(row $1 .verdict)" ok
	check "$1: type_of_loader" "$(row $1 .report.boot_params.type_of_loader)" $2
	check "$1: initrd" "$(row $1 .report.initrd)" "$initrd_size"
	case " $(row $1 .report.cmdline) " in
	*" $uki_cmdline "*" $mark "*) ok "$1: /proc/cmdline has the UKI's .cmdline, then ours" ;;
	*) bad "$1: /proc/cmdline '$(row $1 .report.cmdline)' lacks '$uki_cmdline ... $mark'" ;;
	esac
done
check "ovmf: ran on EFI" "$(row ovmf .report.efi)" true
check "ovmf: efi_loader_signature" "$(row ovmf .report.efi_loader_signature)" EL64

# Whole under OVMF, watched: no -initrd was given, so the kernel's initrd
# came from the UKI's .initrd, through systemd-stub.
rc=0
"$ZP" boot "$uki" --entry ovmf --machine pc --accel tcg --timeout 150 --json "$work/o.json" \
	> "$work/ovmf.out" 2>&1 || rc=$?
check "boot --entry ovmf: exit code" $rc 0
grep -aq "EFI stub: Loaded initrd from LINUX_EFI_INITRD_MEDIA_GUID device path" "$work/ovmf.out" &&
	ok "ovmf: the kernel's EFI stub loaded the initrd systemd-stub registered" ||
	bad "ovmf: no 'Loaded initrd from LINUX_EFI_INITRD_MEDIA_GUID' on the console"
check "ovmf: initrd" "$(jq -r .report.initrd "$work/o.json")" "$initrd_size"
# what cannot be booted whole: skipped with the reason
make_uki "$work/uki-noinitrd.efi" .cmdline="$work/cmdline" .linux="$kernel"
rc=0
"$ZP" boot "$work/uki-noinitrd.efi" --entry ovmf --machine pc -q > "$work/e.out" 2>&1 || rc=$?
check "ovmf, UKI without .initrd: exit code" $rc 1
grep -q "the UKI has no .initrd" "$work/e.out" && ok "ovmf, UKI without .initrd: says why" ||
	bad "ovmf, UKI without .initrd: $(cat "$work/e.out")"
rc=0
"$ZP" boot "$uki" --entry ovmf --machine pc --initrd "$work/probe.cpio" -q > "$work/e.out" 2>&1 || rc=$?
check "ovmf, UKI with --initrd: exit code" $rc 1
grep -q "the UKI brings its own .initrd" "$work/e.out" && ok "ovmf, UKI with --initrd: says why" ||
	bad "ovmf, UKI with --initrd: $(cat "$work/e.out")"

# --- bad input: exit 1, a specific message, nothing written
refuse() {	# NAME FILE PATTERN
	for cmd in info extract bundle; do
		rm -f "$work/out"
		rc=0
		case $cmd in
		info) "$ZP" info "$2" > "$work/e.out" 2>&1 || rc=$? ;;
		extract) "$ZP" extract "$2" -o "$work/out" > "$work/e.out" 2>&1 || rc=$? ;;
		bundle) "$ZP" bundle --kernel "$2" -o "$work/out" > "$work/e.out" 2>&1 || rc=$? ;;
		esac
		check "$1: $cmd exit code" $rc 1
		grep -q "$3" "$work/e.out" && ok "$1: $cmd says '$3'" ||
			bad "$1: $cmd said: $(cat "$work/e.out")"
		[ -e "$work/out" ] && bad "$1: $cmd left $work/out behind"
	done
	rc=0
	"$ZP" boot "$2" -q > "$work/e.out" 2>&1 || rc=$?
	check "$1: boot exit code" $rc 1
	grep -q "$3" "$work/e.out" && ok "$1: boot says '$3'" || bad "$1: boot said: $(cat "$work/e.out")"
}
refuse "not a UKI (the bare stub)" "$STUB" "a PE/COFF image (x86-64 EFI application) but not a UKI: no .linux section"
head -c $(( $(stat -c %s "$uki") - 100000 )) "$uki" > "$work/cut.efi"
refuse "UKI cut inside .linux" "$work/cut.efi" "PE/COFF image: section .linux: file range 0x[0-9a-f]*-0x[0-9a-f]* lies past the end of the file"
# .initrd placed inside .linux's addresses: the old fixed-address recipe's trap
make_uki "$work/linux-only.efi" .linux="$kernel"
linux_vma=$(objdump -h "$work/linux-only.efi" | awk '$2 == ".linux" { print $4 }')
make_uki "$work/overlap.efi" .linux="$kernel" .initrd@$((0x$linux_vma + 0x100000))="$work/probe.cpio"
refuse "sections overlapping in memory" "$work/overlap.efi" "PE/COFF image: sections .linux (memory 0x[0-9a-f]*-0x[0-9a-f]*) and .initrd (memory"

# --- the part systemd-stub boots (the stub's own sections are 0-7)
# renamed FILE FROM=TO...: two sections of one name, which make_uki cannot
# place (--change-section-vma would move both): added apart, renamed after.
renamed() {
	_f=$1
	shift
	for _r; do set -- "$@" --rename-section "$_r"; shift; done
	objcopy "$@" "$_f" "$_f.tmp" && mv "$_f.tmp" "$_f"
}
head -c 4096 /dev/urandom > "$work/junk"
ambiguous="a UKI whose parts depend on the systemd-stub version, refused"
printf 'console=ttyS0 zp.profile=0\n' > "$work/cmdline-p0"
printf 'console=ttyS0 zp.profile=1\n' > "$work/cmdline-p1"
printf 'ID=p\n' > "$work/profile"
make_uki "$work/prefix.efi" .cmdline="$work/cmdline" .initrd="$work/probe.cpio" \
	.initrdX="$work/junk" .linux="$kernel"
refuse ".initrd then .initrdX" "$work/prefix.efi" "$ambiguous: .initrd: systemd-stub <= v256 boots section 10 .initrdX (the last name starting .initrd), >= v257 section 9 .initrd (the first named .initrd)"
make_uki "$work/two-linux.efi" .cmdline="$work/cmdline" .linux="$kernel" .linuxB="$work/junk"
renamed "$work/two-linux.efi" .linuxB=.linux
refuse "two .linux" "$work/two-linux.efi" "$ambiguous: .linux: systemd-stub <= v256 boots section 10 .linux (the last name starting .linux), >= v257 section 9 .linux"
make_uki "$work/two-cmdline.efi" .cmdline="$work/cmdline" .cmdlinX="$work/cmdline-p1" \
	.initrd="$work/probe.cpio" .linux="$kernel"
renamed "$work/two-cmdline.efi" .cmdlinX=.cmdline
refuse "two .cmdline" "$work/two-cmdline.efi" "$ambiguous: .cmdline: systemd-stub <= v256 boots section 9 .cmdline (the last name starting .cmdline), >= v257 section 8 .cmdline"
make_uki "$work/two-profiles.efi" .cmdline="$work/cmdline" .initrd="$work/probe.cpio" \
	.linux="$kernel" .profile="$work/profile" .cmdlinX="$work/cmdline-p0" \
	.profilX="$work/profile" .cmdlinY="$work/cmdline-p1"
renamed "$work/two-profiles.efi" .cmdlinX=.cmdline .profilX=.profile .cmdlinY=.cmdline
refuse "two profiles with a .cmdline each" "$work/two-profiles.efi" "$ambiguous: .cmdline: systemd-stub <= v256 boots section 14 .cmdline (the last name starting .cmdline), >= v257 section 12 .cmdline"
# one profile: its .cmdline is the last (252) and profile 0's (257+)
make_uki "$work/profile.efi" .cmdline="$work/cmdline" .initrd="$work/probe.cpio" \
	.linux="$kernel" .profile="$work/profile" .cmdlinX="$work/cmdline-p0"
renamed "$work/profile.efi" .cmdlinX=.cmdline
"$ZP" info --json "$work/profile.efi" > "$work/info.json" || bad "profile: info --json exits 0"
check "profile: info's cmdline is profile 0's" "$(j .cmdline)" "console=ttyS0 zp.profile=0"
check "profile: info counts it" "$(j .profiles)" 1
"$ZP" bundle --kernel "$work/profile.efi" -o "$work/bp.elf" > "$work/e.out" 2>&1 ||
	bad "profile: bundle: $(cat "$work/e.out")"
check "profile: bundle's cmdline is profile 0's" \
	"$("$ZP" info --json "$work/bp.elf" | jq -r .cmdline)" "console=ttyS0 zp.profile=0"
# .initrdX before .initrd: both stubs boot .initrd
make_uki "$work/prefix-first.efi" .cmdline="$work/cmdline" .initrdX="$work/junk" \
	.initrd="$work/probe.cpio" .linux="$kernel"
"$ZP" info --json "$work/prefix-first.efi" > "$work/info.json" || bad "prefix first: info exits 0"
check "an .initrdX before .initrd: info's initrd is .initrd" "$(j .initrd.size)" "$initrd_size"
# A UKI the firmware will not start (its PE Subsystem, optional header +68,
# made 2, a Windows GUI program, which zeropage does not read): OVMF fails
# it, falls through its boot options to the UEFI shell, which waits for a
# key.  The boot ends there at once, in OVMF's words, far below the timeout.
cp "$uki" "$work/bad-subsystem.efi"
put_le "$work/bad-subsystem.efi" $(( $(od -An -tu4 -j60 -N4 "$uki") + 24 + 68 )) 2 2
rc=0
start=$(date +%s)
"$ZP" boot "$work/bad-subsystem.efi" --entry ovmf --machine pc --accel tcg --timeout 300 -q \
	--json "$work/bad.json" > "$work/bad.out" 2>&1 || rc=$?
took=$(( $(date +%s) - start ))
check "unstartable UKI: exit code (no init)" $rc 6
case $(jq -r .reason "$work/bad.json") in
"UEFI firmware stopped at its UEFI shell (no boot option started): BdsDxe: failed to load "*)
	ok "unstartable UKI: OVMF's words: $(jq -r .reason "$work/bad.json")" ;;
*)	bad "unstartable UKI: reason: $(jq -r .reason "$work/bad.json")" ;;
esac
[ $took -lt 60 ] && ok "unstartable UKI: ended in ${took}s of a 300 s timeout" ||
	bad "unstartable UKI: took ${took}s"
[ $fails -eq 0 ]
