#!/bin/bash
# Times `zeropage extract` against each compressor's own tool, on every
# compressor the kernel build knows, side by side in one run.
#
#   bench/extract.sh [KERNEL]      (default: the cached Debian cloud kernel)
#   RUNS=N (default 7)  ZEROPAGE=path (default $BUILD/zeropage)
#   COMPRESSORS="lz4 zstd ..." (default all seven)
#
# The kernel's payload is decompressed once, then compressed again with each
# compressor the way the kernel build does (scripts/Makefile.lib: the tool's
# output, then the 4-byte size except for gzip), and spliced into a copy of
# the bzImage in place of the original payload (payload_length patched): a
# bzImage per compressor whose payload is the same vmlinux.  Compression
# levels are lower than the kernel's where the kernel's would take minutes;
# decoding speed barely depends on them.
#
# For each, `zeropage extract` and the tool's own decompressor (`gzip -dc`,
# `lz4 -dc`, ...) alternate run by run, so a noisy neighbour slows both alike;
# the medians and the ratio extract/tool are printed.  It measures and prints;
# it never fails on a time.  It does fail if the two outputs differ: a fast
# wrong answer is not a result.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-7}
zp=${ZEROPAGE:-${BUILD:-build}/zeropage}
kernel=${1:-$(sh scripts/fetch-kernel.sh)}
all="gzip bzip2 lzma xz lzo lz4 zstd"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rd() { od -An -tu"$2" -j $(($1)) -N"$2" "$3" | tr -d ' '; }
sects=$(rd 0x1f1 1 "$kernel")
((sects)) || sects=4
poff=$(((sects + 1) * 512 + $(rd 0x248 4 "$kernel")))
plen=$(rd 0x24c 4 "$kernel")
"$zp" extract "$kernel" -o "$tmp/vmlinux.bin" >/dev/null
size=$(stat -c %s "$tmp/vmlinux.bin")

# compress NAME: the kernel build's command (lighter levels), on stdin
compress() {
	case $1 in
	gzip) gzip -n -6 ;;
	bzip2) bzip2 -9 ;;
	lzma) xz --format=lzma -6 ;;
	xz) xz --check=crc32 --x86 --lzma2=dict=32MiB -6 ;;
	lzo) lzop -6 ;;
	lz4) lz4 -l -9 ;;
	zstd) zstd -q -12 --long=27 ;;
	esac
}
decompress_cmd() {
	case $1 in
	gzip) echo "gzip -dc" ;; bzip2) echo "bzip2 -dc" ;; lzma) echo "xz --format=lzma -dc" ;;
	xz) echo "xz -dc" ;; lzo) echo "lzop -dc" ;; lz4) echo "lz4 -dc" ;;
	zstd) echo "zstd -q -dc --long=27" ;;
	esac
}
le32() { printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) \
	$(($1 >> 16 & 255)) $(($1 >> 24 & 255)))"; }

# make NAME: $tmp/NAME.payload (what the tool decodes) and $tmp/NAME.bzImage
make_image() {
	compress "$1" < "$tmp/vmlinux.bin" > "$tmp/$1.payload"
	cp "$tmp/$1.payload" "$tmp/$1.spliced"
	[ "$1" = gzip ] || le32 "$size" >> "$tmp/$1.spliced"
	{
		head -c "$poff" "$kernel"
		cat "$tmp/$1.spliced"
		tail -c +$((poff + plen + 1)) "$kernel"
	} > "$tmp/$1.bzImage"
	new=$(stat -c %s "$tmp/$1.spliced")
	le32 "$new" | dd of="$tmp/$1.bzImage" bs=1 seek=$((0x24c)) conv=notrunc status=none
	# kernel_info (0x268, protocol 2.15) lies after the payload: it moved
	kio=$(rd 0x268 4 "$kernel")
	if [ $((kio)) -ge $((poff - (sects + 1) * 512 + plen)) ]; then
		le32 $((kio + new - plen)) |
			dd of="$tmp/$1.bzImage" bs=1 seek=$((0x268)) conv=notrunc status=none
	fi
}

now() { date +%s%N; }
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }

echo "kernel:   $kernel (payload of $((plen / 1024)) KiB -> $((size / 1048576)) MiB vmlinux)"
printf '%-6s %9s %10s %10s %7s  %s\n' "comp" "payload" "extract" "tool" "ratio" "tool command"
for c in ${COMPRESSORS:-$all}; do
	make_image "$c"
	raw=$(decompress_cmd "$c")
	run_zp() { "$zp" extract "$tmp/$c.bzImage" -o "$tmp/ours" >/dev/null; }
	run_raw() { $raw "$tmp/$c.payload" > "$tmp/theirs"; }
	run_zp
	run_raw
	cmp -s "$tmp/ours" "$tmp/theirs" || { echo "extract.sh: $c: outputs differ" >&2; exit 1; }
	zp_t=() raw_t=()
	for ((i = 0; i < runs; i++)); do
		if ((i % 2)); then	# alternate which goes first
			t0=$(now); run_raw; t1=$(now); run_zp; t2=$(now)
			raw_t+=($((t1 - t0))) zp_t+=($((t2 - t1)))
		else
			t0=$(now); run_zp; t1=$(now); run_raw; t2=$(now)
			zp_t+=($((t1 - t0))) raw_t+=($((t2 - t1)))
		fi
	done
	awk -v c="$c" -v p="$(stat -c %s "$tmp/$c.payload")" -v z="$(median "${zp_t[@]}")" \
		-v r="$(median "${raw_t[@]}")" -v raw="$raw" 'BEGIN {
		printf "%-6s %7.1f M %7.1f ms %7.1f ms %6.2fx  %s\n", c, p / 1048576, z / 1e6, r / 1e6, z / r, raw
	}'
	rm -f "$tmp/$c.payload" "$tmp/$c.spliced" "$tmp/$c.bzImage"
done
echo "($runs runs each, interleaved; medians; both write a file, neither fsyncs)"
