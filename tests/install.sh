#!/bin/sh
# `make install` honours PREFIX and DESTDIR, and what it installs is usable:
# the command runs, the man page is there, and a program built only from the
# installed headers and library (found through pkg-config) probes a kernel.
set -eu
BUILD=${BUILD:-build}
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT

make -s BUILD="$BUILD" install DESTDIR="$dest" PREFIX=/opt/zp >/dev/null
for f in bin/zeropage lib/libzeropage.a include/zeropage/abi.h \
	 include/zeropage/zeropage.h share/man/man1/zeropage.1 lib/pkgconfig/zeropage.pc \
	 share/bash-completion/completions/zeropage; do
	[ -f "$dest/opt/zp/$f" ] || { echo "install: missing /opt/zp/$f"; exit 1; }
done
"$dest/opt/zp/bin/zeropage" --help | grep -q '^usage: zeropage' ||
	{ echo "install: installed command does not run"; exit 1; }
man -l "$dest/opt/zp/share/man/man1/zeropage.1" 2>/dev/null | grep -q 'zeropage' ||
	groff -man -Tutf8 "$dest/opt/zp/share/man/man1/zeropage.1" >/dev/null 2>&1 ||
	{ echo "install: man page does not render"; exit 1; }

# bash-completion finds the installed completion where it looks (its data
# directories' bash-completion/completions) and it completes the installed
# command's path names.
bc=/usr/share/bash-completion/bash_completion
if [ -f "$bc" ]; then
	got=$(XDG_DATA_DIRS="$dest/opt/zp/share" bash --norc --noprofile -c '
		. '"$bc"'
		__load_completion zeropage && complete -p zeropage
		COMP_WORDS=("$1" boot K --entry shim-6); COMP_CWORD=4
		COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
		_zeropage; echo "${COMPREPLY[@]}"' sh "$dest/opt/zp/bin/zeropage")
	[ "$got" = "complete -F _zeropage zeropage
shim-64" ] || { echo "install: bash-completion does not load the completion: '$got'"; exit 1; }
fi

# Every option a COMMAND --help lists is documented in that command's
# section of the man page, so the page cannot fall behind the code.
man_src=$(sed 's/\\-/-/g' doc/zeropage.1)
man_missing=0
for cmd in info extract bundle initramfs boot matrix; do
	section=$(echo "$man_src" | awk -v c="\"zeropage $cmd " '/^\.S[SH]/ { on = index($0, c) > 0 } on')
	[ -n "$section" ] || { echo "install: man page has no section for $cmd"; exit 1; }
	for opt in $("$BUILD/zeropage" $cmd --help | grep -E '^ +-' |
		     grep -oE '(^|[ ,])--?[a-z][a-z-]*' | sed 's/^[ ,]*//' | sort -u); do
		case $opt in -h|--help) continue ;; esac
		echo "$section" | grep -qE -- "(^|[^a-z-])$opt([^a-z-]|\$)" || {
			echo "install: zeropage $cmd --help lists $opt, the man page does not"
			man_missing=1
		}
	done
done
[ $man_missing -eq 0 ] || exit 1

# The installed library exports the public API and nothing else: every
# global symbol it defines is named in the installed headers.  The headers
# go through the preprocessor, which drops comments, so a private function
# a comment mentions does not pass for declared.
inc="$dest/opt/zp/include"
(cd "$inc" && ls zeropage/*.h) | sed 's/.*/#include <&>/' |
	${CC:-cc} -E -P -I"$inc" -x c - | grep -oE '[A-Za-z_][A-Za-z0-9_]*' |
	sort -u > "$dest/declared"
nm -g --defined-only "$dest/opt/zp/lib/libzeropage.a" | awk 'NF == 3 { print $3 }' |
	sort -u > "$dest/exported"
[ -s "$dest/exported" ] || { echo "install: libzeropage.a defines no symbols"; exit 1; }
undeclared=$(comm -23 "$dest/exported" "$dest/declared")
[ -z "$undeclared" ] || {
	echo "install: libzeropage.a exports symbols no public header declares:" $undeclared
	exit 1
}

# The .pc file names the prefix; point pkg-config at the staged tree.
pc="$dest/opt/zp/lib/pkgconfig"
grep -q '^prefix=/opt/zp$' "$pc/zeropage.pc" || { echo "install: zeropage.pc has wrong prefix"; exit 1; }
flags=$(PKG_CONFIG_PATH="$pc" PKG_CONFIG_SYSROOT_DIR="$dest" pkg-config --cflags --libs zeropage)
cat > "$dest/probe.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <zeropage/zeropage.h>
int main(int argc, char **argv)
{
	static unsigned char buf[64 << 20];
	static struct zp_image img;
	FILE *f = fopen(argv[argc - 1], "rb");
	size_t n = f ? fread(buf, 1, sizeof(buf), f) : 0;
	int err = zp_probe(buf, n, &img);
	if (err) { fprintf(stderr, "%s\n", zp_strerror(err)); return 1; }
	printf("%s\n", img.format == ZP_FORMAT_BZIMAGE ? "bzimage" : "elf");
	return 0;
}
C
${CC:-cc} -o "$dest/probe" "$dest/probe.c" $flags
out=$("$dest/probe" "$ZEROPAGE_KERNEL")
[ "$out" = bzimage ] || { echo "install: program linked against installed lib says '$out'"; exit 1; }
echo "install: ok (PREFIX=/opt/zp DESTDIR=$dest, pkg-config build probes the kernel)"
