#!/bin/sh
# zeropage extract on the real Debian cloud kernel: byte-identical to the
# compressor's own tool on the payload, an ELF64 by readelf; and damaged
# copies of it: exit 1, a clear message, no output file left behind.
# boots: none
. tests/lib.shinc
u() { od -An -t"u$3" -j "$(($2))" -N "$3" "$1" | tr -d ' '; }	# u FILE OFFSET BYTES

need_kernel

# Where the payload is, from the header itself (boot.rst: payload_offset is
# relative to the protected-mode code, which follows (setup_sects+1) sectors).
setup=$(( ($(u "$kernel" 0x1f1 1) + 1) * 512 ))
poff=$((setup + $(u "$kernel" 0x248 4)))
plen=$(u "$kernel" 0x24c 4)
dd if="$kernel" of="$work/payload" bs=4096 iflag=skip_bytes,count_bytes skip=$poff count=$plen status=none
comp=$("$ZP" info --json "$kernel" | jq -r .compression)
case $comp in
lz4) tool="lz4 -dc" ;; zstd) tool="zstd -dcq" ;; xz) tool="xz -dc" ;; lzma) tool="lzma -dc" ;;
gzip) tool="gzip -dc" ;; bzip2) tool="bzip2 -dc" ;; lzo) tool="lzop -dc" ;;
*) echo "FAIL unexpected compression '$comp'"; exit 1 ;;
esac

"$ZP" extract "$kernel" -o "$work/vmlinux" > "$work/out" || bad "extract exits 0"
ok "extract: $(cat "$work/out")"

# The kernel build appends the uncompressed size (4 bytes, little-endian)
# after the stream; the tools do not expect it (lz4 -d writes everything,
# then exits 1 on the 4 stray bytes).  So the honest reference is the tool
# on the payload without its trailer, which must succeed.
trailer=$(u "$work/payload" $((plen - 4)) 4)
head -c $((plen - 4)) "$work/payload" > "$work/stream"
rc=0; $tool < "$work/stream" > "$work/reference" || rc=$?
check "$tool on the stream without the size trailer exits" $rc 0
if cmp "$work/vmlinux" "$work/reference"; then ok "byte-identical to $tool ($(stat -c %s "$work/vmlinux") bytes)"
else bad "output differs from $tool"; fi
check "output size equals the size trailer" "$(stat -c %s "$work/vmlinux")" "$trailer"
if [ "$comp" = lz4 ]; then
	rc=0; lz4 -dc < "$work/payload" > "$work/with-trailer" 2> /dev/null || rc=$?
	[ $rc -ne 0 ] && ok "lz4 -d on the whole payload complains about the trailer (exit $rc)" ||
		bad "lz4 -d on the whole payload exits 0: re-check the trailer handling"
	cmp -s "$work/with-trailer" "$work/reference" && ok "...yet writes the same bytes" ||
		bad "lz4 -d on the whole payload writes different bytes"
fi
class=$(readelf -h "$work/vmlinux" | sed -n 's/^ *Class: *//p')
check "readelf -h class" "$class" ELF64
check "readelf -h machine" "$(readelf -h "$work/vmlinux" | sed -n 's/^ *Machine: *//p')" \
	"Advanced Micro Devices X86-64"

# --- damage: each must fail with exit 1 and leave nothing behind ---
expect_failure() { # NAME IMAGE PATTERN
	mkdir "$work/out.d"
	rc=0; "$ZP" extract "$2" -o "$work/out.d/vmlinux" 2> "$work/err" > /dev/null || rc=$?
	check "$1: exit code" $rc 1
	grep -q "$3" "$work/err" && ok "$1: $(cat "$work/err")" || bad "$1: message '$(cat "$work/err")' lacks '$3'"
	check "$1: files left in the output directory" "$(ls -A "$work/out.d" | wc -l)" 0
	rm -rf "$work/out.d"
}
# payload_length one KiB short: the stream ends early
cp "$kernel" "$work/short"
printf "$(printf '\\%03o' $(( (plen - 1024) & 255 )) $(( (plen - 1024) >> 8 & 255 )) \
	$(( (plen - 1024) >> 16 & 255 )) $(( (plen - 1024) >> 24 & 255 )))" |
	dd of="$work/short" bs=1 seek=$((0x24c)) conv=notrunc status=none
expect_failure "payload_length short by 1 KiB" "$work/short" "$comp: truncated input\|$comp: .*trailer\|$comp: corrupt"
# 64 KiB of zeros in the middle of the stream
cp "$kernel" "$work/zeroed"
dd if=/dev/zero of="$work/zeroed" bs=1 count=65536 seek=$((poff + plen / 2)) conv=notrunc status=none
expect_failure "64 KiB zeroed mid-payload" "$work/zeroed" "$comp: "
# the file cut in the middle of the payload: the header now points past the end
head -c $((poff + plen / 2)) "$kernel" > "$work/cut"
expect_failure "file cut mid-payload" "$work/cut" "not a kernel image we know"
# payload_length 0: a 2.08+ header without a payload, not an old protocol
cp "$kernel" "$work/nopayload"
dd if=/dev/zero of="$work/nopayload" bs=1 count=4 seek=$((0x24c)) conv=notrunc status=none
expect_failure "payload_length 0" "$work/nopayload" "payload_length is 0"
# not a kernel at all: said once, plainly
head -c 4096 /dev/zero > "$work/zeros"
expect_failure "zeros" "$work/zeros" "not a kernel image we know (not a bzImage, an ELF file or a UKI)$"

# an existing output survives a failed extract untouched
echo precious > "$work/keep"
"$ZP" extract "$work/zeroed" -o "$work/keep" 2> /dev/null && bad "zeroed copy extracts" || true
check "existing output untouched after failure" "$(cat "$work/keep")" precious

# output directory that does not exist
rc=0; "$ZP" extract "$kernel" -o "$work/no/such/dir/vmlinux" 2> "$work/err" || rc=$?
check "unwritable output: exit code" $rc 1
grep -q "cannot create" "$work/err" && ok "unwritable output: $(cat "$work/err")" || bad "unwritable output message"
rc=0; "$ZP" extract "$kernel" 2> /dev/null || rc=$?
check "missing -o is a usage error" $rc 2

[ $fails -eq 0 ] || { echo "extract.sh: $fails failure(s)"; exit 1; }
echo "extract.sh: all passed"
