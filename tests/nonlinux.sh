#!/bin/sh
# Images that use the x86 boot protocol but are not Linux: Debian's
# memtest86+ (6.10) and iPXE's .lkrn, as scripts/fetch-foreign.sh caches
# them (.ci/run fetches them; without them this script skips, saying so).
#
#  - info: the core's classification (not Linux, from the version string),
#    iPXE's lone 16-bit entry (code32_start 0: no 32-bit one);
#  - bundle: refuses iPXE (no 64-bit entry, and code32_start 0), naming
#    the field and what boots it; memtest86+'s ia32 build falls back to the
#    32-bit entry and says so; a memtest86+ bundle claims no KASLR;
#  - boot: one memtest86+ boot through QEMU's -kernel (microvm), which ends soon
#    after memtest86+'s first output with the verdict "started" (exit 0),
#    not a timeout waiting for a kernel banner that never comes.
. tests/lib.shinc
set +e	# each step is judged by its own check

cache=${ZEROPAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/zeropage}
dir=${ZEROPAGE_FOREIGN:-$cache/foreign}
for f in memtest86+x64.bin memtest86+ia32.bin ipxe.lkrn; do
	if [ ! -s "$dir/$f" ]; then
		echo "skip nonlinux: no $dir/$f (scripts/fetch-foreign.sh fetches Debian's memtest86+ and ipxe)"
		exit 0
	fi
done
mt=$dir/memtest86+x64.bin mt32=$dir/memtest86+ia32.bin ipxe=$dir/ipxe.lkrn

# ---- info: not Linux, and why ----
for img in "$mt" "$ipxe"; do
	n=${img##*/}
	if "$ZP" info --json "$img" > "$work/$n.json"; then
		check "info $n: linux" "$(jq -r .linux "$work/$n.json")" false
		check "info $n: evidence" "$(jq -r .linux_evidence "$work/$n.json")" version
	else
		bad "zeropage info --json $n"
	fi
done
check "info memtest: why" "$(jq -r .linux_why "$work/memtest86+x64.bin.json")" \
	"not Linux: its version string is 'Memtest86+ v6.10'"
check "info memtest: entries" "$(jq -r '.entries | join(" ")' "$work/memtest86+x64.bin.json")" \
	"real16 prot32 long64 efi64"
check "info ipxe: code32_start" "$(jq -r .code32_start "$work/ipxe.lkrn.json")" 0
check "info ipxe: entries (no prot32 with code32_start 0)" \
	"$(jq -r '.entries | join(" ")' "$work/ipxe.lkrn.json")" real16
"$ZP" info "$mt" > "$work/info.txt"
grep -q "^  linux  *not Linux: its version string is 'Memtest86+ v6.10'$" "$work/info.txt" &&
	ok "info memtest (text): the linux line" || bad "info memtest (text): no linux line"

# ---- bundle: what it refuses, what it says ----
for e in "" 32; do
	rm -f "$work/i.elf"
	"$ZP" bundle --kernel "$ipxe" ${e:+--entry $e} -o "$work/i.elf" 2> "$work/err"
	rc=$?
	if [ $rc -eq 1 ] && grep -q "code32_start is 0" "$work/err" &&
	   grep -q "qemu-bios" "$work/err" && [ ! -e "$work/i.elf" ]; then
		ok "bundle ipxe ${e:+--entry $e}: refused: $(cat "$work/err")"
	else
		bad "bundle ipxe ${e:+--entry $e}: rc $rc, '$(cat "$work/err")'"
	fi
done
if "$ZP" bundle --kernel "$mt32" -o "$work/m32.elf" > /dev/null 2> "$work/err" &&
   grep -q "no 64-bit entry (xloadflags 0x4 lacks XLF_KERNEL_64, protocol 2.12): the 32-bit entry" \
	"$work/err"; then
	ok "bundle memtest ia32: falls back to 32, saying so"
else
	bad "bundle memtest ia32: '$(cat "$work/err")'"
fi
check "bundle memtest ia32: its entry" "$("$ZP" info --json "$work/m32.elf" | jq -r .entry)" 32
if "$ZP" bundle --kernel "$mt" -o "$work/m.elf" > /dev/null 2> "$work/err"; then
	[ -s "$work/err" ] && bad "bundle memtest x64: said '$(cat "$work/err")'" ||
		ok "bundle memtest x64: entry 64, nothing on stderr"
	"$ZP" info --json "$work/m.elf" > "$work/m.json"
	check "bundle memtest x64: kaslr_by" "$(jq -r .kaslr_by "$work/m.json")" none
	check "bundle memtest x64: kaslr" "$(jq -r .kaslr "$work/m.json")" false
else
	bad "bundle memtest x64: '$(cat "$work/err")'"
fi

# ---- boot: started, soon after memtest86+'s first output ----
# (the timeout is only a bound: the boot ends 3 s after that output).
# microvm: qboot starts memtest86+ within a second or two under TCG; on pc
# it spends tens of seconds under SeaBIOS before its first byte.
nice "$ZP" boot "$mt" --entry qemu-bios --machine microvm --timeout "${ZEROPAGE_BOOT_TIMEOUT:-120}" \
	--json "$work/boot.json" > "$work/boot.out" 2>&1
rc=$?
check "boot memtest qemu-bios: exit code" "$rc" 0
check "boot memtest qemu-bios: verdict" "$(jq -r .verdict "$work/boot.json")" started
case $(jq -r .reason "$work/boot.json") in
*"not Linux: its version string is 'Memtest86+ v6.10'"*) ok "boot memtest: the reason says why" ;;
*) bad "boot memtest: reason '$(jq -r .reason "$work/boot.json")'" ;;
esac
io=$(jq -r .seconds.image_output "$work/boot.json")
ex=$(jq -r '.seconds.exit // empty' "$work/boot.json")
[ "$io" != null ] && ok "boot memtest: its own output at $io s" ||
	bad "boot memtest: no image_output time"
grep -q "started via qemu-bios on microvm" "$work/boot.out" && ok "boot memtest: the verdict line" ||
	{ bad "boot memtest: no verdict line"; sed 's/^/    /' "$work/boot.out" | tail -5; }
[ -z "$ex" ] || [ "$ex" = null ] || bad "boot memtest: QEMU exited by itself at $ex s"
[ $fails -eq 0 ]
