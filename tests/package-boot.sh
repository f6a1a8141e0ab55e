#!/bin/sh
# A kernel given as its package boots: Debian's own .deb of the cloud
# kernel (scripts/fetch-kernel.sh --deb) fed to `zeropage matrix` as it is,
# as CI would feed `make bindeb-pkg` output.  The row reaches the probe,
# names the package and carries the SHA-256 of the kernel inside it.
. tests/lib.shinc

deb=$(sh scripts/fetch-kernel.sh --deb) || { echo "FAIL cannot fetch the kernel's .deb"; exit 1; }
plain=$(sh scripts/fetch-kernel.sh)
export TMPDIR="$work/tmp"
mkdir -p "$TMPDIR"

rc=0
nice "$ZP" matrix --paths qemu-bios --machine pc --json "$work/m.json" "$deb" \
	>"$work/out" 2>"$work/err" || rc=$?
check "matrix on the .deb: exit 0" "$rc" 0
check "the row reached the probe" "$(jq -r '.results[0].verdict' "$work/m.json")" ok
check "the row names the package" "$(jq -r '.results[0].kernel' "$work/m.json")" "$deb"
check "... with the kernel's SHA-256" "$(jq -r '.results[0].kernel_sha256' "$work/m.json")" \
	"$(sha256sum "$plain" | cut -d' ' -f1)"
grep -q "^zeropage matrix: $deb: kernel ${plain##*/vmlinuz-} (boot/vmlinuz-${plain##*/vmlinuz-})\$" "$work/err" &&
	ok "matrix says which kernel it took" || bad "matrix did not name the kernel: $(head -n 3 "$work/err")"
check "no run directory left behind" "$(ls -A "$TMPDIR")" ""
[ $fails -eq 0 ]
