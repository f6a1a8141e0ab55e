#!/bin/sh
# zeropage info on the real Debian cloud kernel and on its vmlinux, each
# value checked against the image's own bytes (od) or binutils (readelf),
# plus the error paths a user hits.  Needs jq (or python3) for --json.
# boots: none
. tests/lib.shinc
u() { od -An -t"u$3" -j "$(($2))" -N "$3" "$1" | tr -d ' '; }	# u FILE OFFSET BYTES
jget() { jq -r "$2" "$1"; }

need_kernel

# --- bzImage, text and JSON ---
"$ZP" info "$kernel" > "$work/info.txt" || bad "info exits 0 on the real kernel"
"$ZP" info --json "$kernel" > "$work/info.json" || bad "info --json exits 0"
jq -e . "$work/info.json" > /dev/null && ok "--json output parses" || bad "--json output parses"

ver=$(u "$kernel" 0x206 2)
check protocol "$(jget "$work/info.json" .protocol)" "$((ver >> 8)).$(printf %02d $((ver & 255)))"
check format "$(jget "$work/info.json" .format)" bzimage
# kernel_version: the NUL-terminated string at kernel_version + 0x200
kv_off=$(($(u "$kernel" 0x20e 2) + 0x200))
kv=$(dd if="$kernel" bs=1 skip=$kv_off count=127 status=none | tr '\0' '\n' | head -n 1)
check kernel_version "$(jget "$work/info.json" .kernel_version)" "$kv"
grep -qF "$kv" "$work/info.txt" && ok "text shows the version" || bad "text shows the version"
check pref_address "$(jget "$work/info.json" .pref_address)" "$(u "$kernel" 0x258 8)"
check init_size "$(jget "$work/info.json" .init_size)" "$(u "$kernel" 0x260 4)"
check kernel_alignment "$(jget "$work/info.json" .kernel_alignment)" "$(u "$kernel" 0x230 4)"
reloc=false; [ "$(u "$kernel" 0x234 1)" != 0 ] && reloc=true
check relocatable "$(jget "$work/info.json" .relocatable)" "$reloc"
setup=$(( ($(u "$kernel" 0x1f1 1) + 1) * 512 ))
poff=$((setup + $(u "$kernel" 0x248 4)))
check payload_offset "$(jget "$work/info.json" .payload_offset)" "$poff"
check payload_length "$(jget "$work/info.json" .payload_length)" "$(u "$kernel" 0x24c 4)"
magic=$(od -An -tx1 -j $poff -N4 "$kernel" | tr -d ' ')
case $magic in
02214c18) want=lz4 ;; 28b52ffd) want=zstd ;; fd377a58) want=xz ;; 1f8b*) want=gzip ;;
*) want="unknown magic $magic" ;;
esac
check compression "$(jget "$work/info.json" .compression)" "$want"
# entries from the flag bits: 64-bit iff XLF_KERNEL_64, EFI per handover bits
xlf=$(u "$kernel" 0x236 2)
has() { jq -e --arg e "$2" '.entries | index($e) != null' "$1" > /dev/null; }
has "$work/info.json" real16 && ok "entries has real16" || bad "entries has real16"
if [ $((xlf & 1)) -ne 0 ]; then has "$work/info.json" long64 && ok "long64 (XLF_KERNEL_64 set)" || bad "long64"; fi
if [ $((xlf & 8)) -ne 0 ]; then has "$work/info.json" efi64 && ok "efi64 (XLF_EFI_HANDOVER_64 set)" || bad "efi64"; fi
check "xloadflags value" "$(jget "$work/info.json" .xloadflags.value)" "$xlf"
[ $((xlf & 1)) -ne 0 ] && { grep -q "XLF_KERNEL_64" "$work/info.txt" && ok "text names XLF_KERNEL_64" || bad "text names XLF_KERNEL_64"; }
check "setup_header.handover_offset" "$(jget "$work/info.json" .setup_header.handover_offset)" "$(u "$kernel" 0x264 4)"
if [ "$ver" -ge $((0x20f)) ]; then
	ki=$((setup + $(u "$kernel" 0x268 4)))
	check "kernel_info.size_total" "$(jget "$work/info.json" .kernel_info.size_total)" "$(u "$kernel" $((ki + 8)) 4)"
fi

# --- JSON escaping: a copy whose version string has a quote, a backslash and a tab ---
cp "$kernel" "$work/odd"
printf 'a"b\\c\td' | dd of="$work/odd" bs=1 seek=$kv_off conv=notrunc status=none
"$ZP" info --json "$work/odd" > "$work/odd.json"
check "escaped kernel_version" "$(jget "$work/odd.json" .kernel_version)" "$(printf 'a"b\\c')"
# (the probe stops the version at the tab: it keeps printable ASCII only)

# --- ELF: the vmlinux inside the bzImage ---
"$ZP" extract -q "$kernel" -o "$work/vmlinux"
"$ZP" info --json "$work/vmlinux" > "$work/elf.json" || bad "info on the vmlinux"
"$ZP" info "$work/vmlinux" > "$work/elf.txt"
check "elf format" "$(jget "$work/elf.json" .format)" elf
check "elf class" "$(jget "$work/elf.json" .class)" 64
entry=$(readelf -h "$work/vmlinux" | sed -n 's/.*Entry point address: *//p')
check "elf entry" "$(jget "$work/elf.json" .entry)" "$((entry))"
check "PT_LOAD count" "$(jget "$work/elf.json" '.segments | length')" "$(readelf -lW "$work/vmlinux" | grep -c ' LOAD ')"
first_paddr=$(readelf -lW "$work/vmlinux" | awk '$1 == "LOAD" { print $4; exit }')
check "first PT_LOAD paddr" "$(jget "$work/elf.json" '.segments[0].paddr')" "$((first_paddr))"
# the PVH entry: readelf prints Xen note 0x12's bytes; read them as a little-endian number
pvh_hex=$(readelf -n "$work/vmlinux" | grep -A1 '(0x00000012)' | sed -n 's/.*description data: //p' |
	awk '{ s = ""; for (i = NF; i >= 1; i--) s = s $i; print s }')
if [ -n "$pvh_hex" ]; then
	check pvh_entry "$(jget "$work/elf.json" .pvh_entry)" "$((0x$pvh_hex))"
	jq -e '.entries | index("pvh") != null' "$work/elf.json" > /dev/null && ok "entries has pvh" || bad "entries has pvh"
	grep -q "PHYS32_ENTRY" "$work/elf.txt" && ok "text names PHYS32_ENTRY" || bad "text names PHYS32_ENTRY"
else
	check pvh_entry "$(jget "$work/elf.json" .pvh_entry)" null
fi
guest_os=$(jq -r '.notes[] | select(.name == "Xen" and .type == 6) | .string' "$work/elf.json")
if readelf -n "$work/vmlinux" | grep -q 'Xen.*(0x00000006)'; then
	check "GUEST_OS note string" "$guest_os" linux
fi

# --- errors ---
printf 'hello, not a kernel\n' > "$work/junk"
if "$ZP" info "$work/junk" 2> "$work/err"; then bad "junk exits non-zero"; else
	check "junk exit code" $? 1
	grep -q "zeropage info: $work/junk: not a kernel image we know" "$work/err" &&
		ok "junk message" || bad "junk message: $(cat "$work/err")"
fi
if "$ZP" info "$work/missing" 2> "$work/err"; then bad "missing file exits non-zero"; else
	check "missing file exit code" $? 1
	grep -q "No such file or directory" "$work/err" && ok "missing file message" || bad "missing file message"
fi
head -c 700 "$kernel" > "$work/trunc"
"$ZP" info "$work/trunc" 2> "$work/err" && bad "truncated bzImage exits non-zero" ||
	{ grep -q "not a kernel image we know" "$work/err" && ok "truncated bzImage: $(cat "$work/err")" || bad "truncated message"; }
rc=0; "$ZP" info > /dev/null 2>&1 || rc=$?
check "no IMAGE is a usage error" $rc 2
rc=0; "$ZP" info --help > "$work/help" || rc=$?
check "--help exits 0" $rc 0
grep -q -- "--json" "$work/help" && ok "--help mentions --json" || bad "--help mentions --json"

# getopt's complaints name the command as the user typed it
for cmd in info extract bundle boot matrix; do
	rc=0; "$ZP" $cmd --bogus 2> "$work/err" > /dev/null || rc=$?
	check "$cmd --bogus: exit code" $rc 2
	check "$cmd --bogus: message" "$(head -n 1 "$work/err")" "zeropage $cmd: unrecognized option '--bogus'"
done

[ $fails -eq 0 ] || { echo "info.sh: $fails failure(s)"; exit 1; }
echo "info.sh: all passed"
