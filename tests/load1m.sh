#!/bin/sh
# A kernel that is NOT relocatable and must run at 0x100000, where the shim
# itself is linked: tests/kernels/mini1m.S, a boot-protocol image (no Linux)
# whose 32-bit (load address) and 64-bit (+0x200) entries check where they
# run and print one line on COM1,
#
#   mini1m: entry=64 at=0x100000 bp=0x... loader=0x.. cmdline="..." e820=N initrd=0x...+0x... ok
#
# ("at=0x... WRONG" instead of "ok" anywhere else), then triple-fault, which
# ends QEMU under -no-reboot.  First the header as `zeropage info` reads it;
# then for --entry 64 and 32 a bundle booted under QEMU -M pc: the shim's
# line, then mini1m's, which must say it runs at 0x100000 on the zero page
# the shim announced, with the bundled command line; last the same image
# through QEMU's own bzImage loader (-kernel mini1m.bzImage: its 16-bit
# setup enters the 32-bit entry).
. tests/lib.shinc
set +e	# each step is judged by its own check, not by set -e
TIMEOUT=${ZEROPAGE_BOOT_TIMEOUT:-60}
QEMU=${QEMU:-qemu-system-x86_64}
img=$BUILD/tests/kernels/mini1m.bzImage
cmdline="hello from mini1m"

if [ ! -f "$img" ]; then
	echo "FAIL $img is not built (tests/kernels/kernels.mk: make BUILD=$BUILD tests)"
	exit 1
fi

# ---- the header, as zeropage reads it ----
"$ZP" info "$img"
if "$ZP" info --json "$img" > "$work/info.json"; then
	check "info: relocatable" "$(jq -r .relocatable "$work/info.json")" false
	check "info: pref_address" "$(jq -r .pref_address "$work/info.json")" 1048576
	check "info: code32_start" "$(jq -r .code32_start "$work/info.json")" 1048576
	check "info: init_size" "$(jq -r .init_size "$work/info.json")" 2097152
	check "info: entries" "$(jq -r '.entries | join(" ")' "$work/info.json")" "real16 prot32 long64"
	check "info: protocol" "$(jq -r .protocol "$work/info.json")" 2.12
else
	bad "zeropage info --json $img"
fi

# boot OUT QEMU-ARGS...: one QEMU, serial to OUT (\r stripped into OUT.txt),
# ended by the guest's triple fault or by timeout; BOOT_RC is its exit code.
boot() {
	_out=$1
	shift
	: > "$_out"
	timeout "$TIMEOUT" "$QEMU" -M pc -m 256 -accel tcg -display none -nodefaults \
		-monitor none -no-reboot -serial "file:$_out" "$@" > "$_out.qemu" 2>&1
	BOOT_RC=$?
	tr -d '\r' < "$_out" > "$_out.txt"
	echo "   serial output:"
	sed 's/^/    | /' "$_out.txt"
	[ -s "$_out.qemu" ] && sed 's/^/    qemu: /' "$_out.qemu"
}

# check_mini NAME OUT ENTRY CMDLINE INITRD-SIZE-HEX: mini1m's line.
# Sets $line to it.
check_mini() {
	name=$1 out=$2 entry=$3 want_cmdline=$4 want_rdsize=$5
	case $BOOT_RC in
	0) ok "$name: QEMU ended (triple fault under -no-reboot)" ;;
	124) bad "$name: QEMU still running after ${TIMEOUT}s" ;;
	*) bad "$name: QEMU exit code $BOOT_RC" ;;
	esac
	check "$name: one mini1m line" "$(grep -ac '^mini1m: ' "$out.txt")" 1
	line=$(grep -a -m 1 '^mini1m: ' "$out.txt")
	case "$line " in
	*" entry=$entry at=0x100000 "*) ok "$name: entered by entry $entry at 0x100000" ;;
	*) bad "$name: not entry $entry at 0x100000: '$line'" ;;
	esac
	case "$line" in
	*" ok") ok "$name: line ends in ok" ;;
	*) bad "$name: line does not end in ok: '$line'" ;;
	esac
	case "$line" in
	*" cmdline=\"$want_cmdline\" "*) ok "$name: cmdline \"$want_cmdline\"" ;;
	*) bad "$name: cmdline is not \"$want_cmdline\": '$line'" ;;
	esac
	printf '%s\n' "$line" | grep -Eq ' loader=0x[0-9a-f]+ ' &&
		ok "$name: loader $(printf '%s\n' "$line" | sed -n 's/.* loader=\(0x[0-9a-f]*\) .*/\1/p')" ||
		bad "$name: no loader=0x..: '$line'"
	printf '%s\n' "$line" | grep -Eq ' bp=0x[1-9a-f][0-9a-f]* ' &&
		ok "$name: a zero page" || bad "$name: no zero page address: '$line'"
	printf '%s\n' "$line" | grep -Eq ' e820=[1-9][0-9]* ' &&
		ok "$name: e820 entries" || bad "$name: no e820 entries: '$line'"
	printf '%s\n' "$line" | grep -Eq " initrd=0x[0-9a-f]+\\+$want_rdsize " &&
		ok "$name: initrd size $want_rdsize" || bad "$name: initrd size not $want_rdsize: '$line'"
}

# ---- through the shim: zeropage bundle, QEMU's PVH loader ----
for entry in 64 32; do
	b=$work/b-$entry.elf
	if ! "$ZP" bundle --kernel "$img" --entry $entry --cmdline "$cmdline" -o "$b" \
		2> "$work/bundle-$entry.err"; then
		bad "entry $entry: zeropage bundle refused $img:"
		sed 's/^/    /' "$work/bundle-$entry.err"
		continue
	fi
	ok "entry $entry: zeropage bundle"
	"$ZP" info "$b" || bad "entry $entry: zeropage info on the bundle"
	out=$work/pvh-$entry.out
	boot "$out" -kernel "$b"
	check_mini "bundle entry=$entry" "$out" $entry "$cmdline" 0x0
	shim=$(grep -a -m 1 '^zeropage-shim: ' "$out.txt")
	case "$shim" in
	"zeropage-shim: entry $entry,"*) ok "bundle entry=$entry: the shim's line" ;;
	*) bad "bundle entry=$entry: no 'zeropage-shim: entry $entry,' line" ;;
	esac
	awk '/^zeropage-shim: / && !s { s = NR } /^mini1m: / && !m { m = NR }
		END { exit !(s && m && s < m) }' "$out.txt" &&
		ok "bundle entry=$entry: the shim spoke first" ||
		bad "bundle entry=$entry: the shim's line is not before mini1m's"
	# the zero page and e820 count the shim announced are the ones mini1m saw
	check "bundle entry=$entry: bp = the shim's zero page" \
		"$(printf '%s\n' "$line" | sed -n 's/.* bp=\(0x[0-9a-f]*\) .*/\1/p')" \
		"$(printf '%s\n' "$shim" | sed -n 's/.* zero page \(0x[0-9a-f]*\),.*/\1/p')"
	check "bundle entry=$entry: e820 = the shim's" \
		"$(printf '%s\n' "$line" | sed -n 's/.* e820=\([0-9]*\) .*/\1/p')" \
		"$(printf '%s\n' "$shim" | sed -n 's/.* e820 \([0-9]*\),.*/\1/p')"
done

# ---- natively: QEMU's bzImage loader, mini1m's own 16-bit setup ----
printf 'mini1m initrd\n' > "$work/initrd"	# 14 bytes
out=$work/native.out
boot "$out" -kernel "$img" -append "$cmdline" -initrd "$work/initrd"
check_mini "qemu -kernel bzImage" "$out" 32 "$cmdline" 0xe
check "qemu -kernel bzImage: QEMU's loader id" \
	"$(printf '%s\n' "$line" | sed -n 's/.* loader=\(0x[0-9a-f]*\) .*/\1/p')" 0xb0

[ $fails -eq 0 ]
