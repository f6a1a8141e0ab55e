#!/bin/sh
# Runs every test program and integration script; exits non-zero if any fails.
# BUILD names the build directory (default: build).
BUILD=${BUILD:-build}
export BUILD
fail=0
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	echo "== $t"
	"$t" || { echo "FAILED: $t"; fail=1; }
done
for s in tests/*.sh; do
	[ "$s" = tests/run.sh ] && continue
	[ -f "$s" ] || continue
	echo "== $s"
	sh "$s" || { echo "FAILED: $s"; fail=1; }
done
[ $fail -eq 0 ] && echo "all tests passed"
exit $fail
