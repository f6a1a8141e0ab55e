#!/bin/sh
# Runs every test program and integration script; exits non-zero if any fails.
#
#   BUILD            build directory (default: build)
#   ZEROPAGE_KERNEL  real kernel to test on (default: the current Debian
#                    cloud kernel, fetched and cached by scripts/fetch-kernel.sh)
#   ZEROPAGE_TESTS   "fast": the unit tests and only the scripts that boot no
#                    guest, those whose header has the line "# boots: none"
#                    (make check-san; a minute instead of minutes);
#                    "xen": only the scripts whose header has the line
#                    "# suite: xen" (make check-xen), which every other run
#                    leaves out: they boot Xen with a toolstack dom0 under
#                    TCG, minutes per row
BUILD=${BUILD:-build}
export BUILD

if [ -z "${ZEROPAGE_KERNEL:-}" ]; then
	ZEROPAGE_KERNEL=$(sh scripts/fetch-kernel.sh) || {
		echo "tests: cannot fetch the Debian cloud kernel (apt-get download failed)" >&2
		exit 1
	}
fi
export ZEROPAGE_KERNEL
echo "tests: real kernel $ZEROPAGE_KERNEL"

fail=0
failed=""
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	[ "${ZEROPAGE_TESTS:-}" = xen ] && continue	# make check ran them
	echo "== $t"
	"$t" || { fail=1; failed="$failed $t"; }
done
for s in tests/*.sh; do
	[ "$s" = tests/run.sh ] && continue
	[ -f "$s" ] || continue
	in_xen=$(grep -cx '# suite: xen' "$s" || true)
	if [ "${ZEROPAGE_TESTS:-}" = xen ] && [ "$in_xen" = 0 ]; then
		continue
	fi
	if [ "${ZEROPAGE_TESTS:-}" != xen ] && [ "$in_xen" != 0 ]; then
		echo "== $s: skipped (make check-xen runs it)"
		continue
	fi
	if [ "${ZEROPAGE_TESTS:-}" = fast ] && ! grep -qx '# boots: none' "$s"; then
		echo "== $s: skipped (ZEROPAGE_TESTS=fast, it boots guests)"
		continue
	fi
	echo "== $s"
	start=$(date +%s)
	sh "$s" || { fail=1; failed="$failed $s"; }
	echo "   ($(( $(date +%s) - start )) s)"
done
if [ $fail -eq 0 ]; then
	echo "all tests passed"
else
	echo "FAILED:$failed"
fi
exit $fail
