#!/bin/bash
# Times `zeropage extract` against the compressor's own tool on the same
# payload bytes, on a real kernel.
#
#   bench/extract.sh [KERNEL]      (default: the cached Debian cloud kernel)
#   RUNS=N (default 9)  ZEROPAGE=path (default $BUILD/zeropage)
#
# The two commands alternate run by run, so a noisy neighbour on this shared
# machine slows both alike; each side's median is reported, and the ratio
# extract/raw says what our parsing, checking and library glue cost on top
# of the decompression itself.  It measures and prints; it never fails on a
# time.  It does fail if the two outputs differ, since a fast wrong answer
# is not a benchmark result.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-9}
zp=${ZEROPAGE:-${BUILD:-build}/zeropage}
kernel=${1:-$(sh scripts/fetch-kernel.sh)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rd() { od -An -tu"$2" -j $(($1)) -N"$2" "$kernel" | tr -d ' '; }
sects=$(rd 0x1f1 1)
((sects)) || sects=4
off=$(((sects + 1) * 512 + $(rd 0x248 4)))
len=$(rd 0x24c 4)
# The payload minus size_append's 4-byte trailer, which the CLI tools
# would otherwise reject as garbage after the stream.
dd if="$kernel" bs=64K iflag=skip_bytes,count_bytes skip="$off" count=$((len - 4)) \
	of="$tmp/payload" status=none
magic=$(od -An -tx1 -N6 "$tmp/payload" | tr -d ' ')
case $magic in
1f8b*) raw=(gzip -dc) name=gzip ;;
425a68*) raw=(bzip2 -dc) name=bzip2 ;;
5d00*) raw=(xz --format=lzma -dc) name=lzma ;;
fd377a585a00) raw=(xz -dc) name=xz ;;
894c5a4f*) raw=(lzop -dc) name=lzo ;;
02214c18*) raw=(lz4 -dc) name=lz4 ;;
28b52ffd*) raw=(zstd -q -dc) name=zstd ;;
*) echo "extract.sh: payload magic $magic is no compressor we know" >&2; exit 1 ;;
esac
# gzip keeps its ISIZE inside the stream: give it the whole payload.
[ "$name" = gzip ] && dd if="$kernel" bs=64K iflag=skip_bytes,count_bytes skip="$off" \
	count="$len" of="$tmp/payload" status=none

now() { date +%s%N; }
run_zp() { "$zp" extract "$kernel" -o "$tmp/ours" >/dev/null; }
run_raw() { "${raw[@]}" "$tmp/payload" >"$tmp/theirs"; }

run_zp
run_raw
cmp -s "$tmp/ours" "$tmp/theirs" || { echo "extract.sh: outputs differ" >&2; exit 1; }
out_mb=$(($(stat -c %s "$tmp/ours") / 1048576))

zp_t=() raw_t=()
for ((i = 0; i < runs; i++)); do
	# Alternate which goes first, so neither always runs on a warm cache.
	if ((i % 2)); then
		t0=$(now); run_raw; t1=$(now); run_zp; t2=$(now)
		raw_t+=($((t1 - t0))) zp_t+=($((t2 - t1)))
	else
		t0=$(now); run_zp; t1=$(now); run_raw; t2=$(now)
		zp_t+=($((t1 - t0))) raw_t+=($((t2 - t1)))
	fi
done
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }
zm=$(median "${zp_t[@]}") rm_=$(median "${raw_t[@]}")
echo "kernel:   $kernel ($name payload, $((len / 1024)) KiB -> ${out_mb} MiB)"
awk -v z="$zm" -v r="$rm_" -v n="$runs" -v raw="${raw[*]}" 'BEGIN {
	printf "extract:  %-18s median %8.1f ms  (%d runs each, interleaved)\n", "zeropage extract", z / 1e6, n
	printf "extract:  %-18s median %8.1f ms\n", raw, r / 1e6
	printf "extract:  ratio zeropage/raw = %.2f\n", z / r
}'
