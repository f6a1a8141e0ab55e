#!/bin/sh
# The README and doc/ say what the tree does: every doc page is linked from
# the README and every link between them resolves, and the README's tour
# runs as written.  Each ```console block of the tour that boots nothing
# (info, extract, bundle, initramfs) is run in a scratch directory, and
# every output line the README shows (other than "...") must appear in the
# real output, in order.  The tour was made on the 6.1.0-57 cloud kernel:
# on another kernel the numbers differ, so there the commands must only
# succeed.  (It shows no line that depends on the compiler, such as the
# shim's size: gcc and clang builds give the same output.)
# boots: none
. tests/lib.shinc
need_kernel

# --- links ---
for page in doc/*.md; do
	grep -qF "($page)" README.md && ok "README links $page" || bad "README does not link $page"
done
for f in README.md doc/*.md shim/README.md probe/README.md; do
	dir=$(dirname "$f")
	for link in $(grep -o '](\([^)#:]*\.md\))' "$f" | sed 's/^](//; s/)$//' | sort -u); do
		[ -f "$dir/$link" ] && ok "$f: link $link resolves" || bad "$f: link $link resolves to nothing"
	done
done

# --- the tour ---
tour_kernel=vmlinuz-6.1.0-57-cloud-amd64
compare=yes
[ "$(basename "$kernel")" = "$tour_kernel" ] || compare=no
echo "readme: comparing output: $compare (kernel $(basename "$kernel"))"

case $kernel in /*) ;; *) kernel=$PWD/$kernel ;; esac
build_dir=${BUILD:-build}
case $build_dir in /*) ;; *) build_dir=$PWD/$build_dir ;; esac
mkdir -p "$work/run"
ln -s "$build_dir" "$work/run/build"
awk -v dir="$work" '
	/^```console$/ { n++; inblock = 1; next }
	/^```$/ { inblock = 0; next }
	inblock { print > (dir "/block" n) }' README.md
blocks=0
for b in "$work"/block*; do
	grep -qE '^\$ build/zeropage (boot|matrix|report)' "$b" && continue	# they boot guests
	blocks=$((blocks + 1))
	: > "$work/out"
	rc=0
	while IFS= read -r line; do
		case "$line" in
		'$ K='*) ;;	# the kernel: the one this test was given
		'$ '*) (cd "$work/run" && K=$kernel && eval "${line#\$ }") >>"$work/out" 2>&1 ||
			{ rc=1; bad "tour: '${line#\$ }' fails: $(tail -n 3 "$work/out")"; } ;;
		esac
	done < "$b"
	[ $rc -eq 0 ] && ok "tour block $blocks: every command succeeds"
	[ $compare = yes ] || continue
	# every shown output line, in order ($K's path as the kernel's here)
	missing=$(grep -v -e '^\$ ' -e '^\.\.\.$' "$b" |
		sed "s|/root/.cache/zeropage/$tour_kernel|$kernel|" |
		awk -v out="$work/out" '
			{ want = $0
			  while ((getline line < out) > 0)
				if (line == want) next
			  print want; exit }')
	check "tour block $blocks: the output shown is the real output" "${missing:-all there}" "all there"
done
[ $blocks -ge 3 ] && ok "the tour has $blocks blocks that boot nothing" || bad "only $blocks tour blocks found"
[ $fails -eq 0 ]
