#!/bin/sh
# check-layers.sh [ROOT] - the include graph goes one way (`make check-layers`).
#
# tools/ is layered, each folder a layer:
#
#   common   file I/O, the JSON writer, safe_text/utf8, the verdict, the
#            tools' diagnostic: what every other layer uses
#   image    files read and written (kernels, bundles, UKIs, initramfs)
#   report   what is printed and read back (guest reports, rows, JUnit, KCIDB)
#   machine  running guests; it reads images and parses guest reports
#   cli      the command's faces; the only layer that knows exit codes
#
# A file may include its own folder's headers and those of lower layers.
# image and report are peers: neither includes the other, so a change to
# how images are read cannot reach how reports are printed but through
# common/.  lib/ (and its public headers, include/zeropage/) is the
# freestanding core: it includes nothing from tools/ and no hosted header.
#
# tools/ uses zp_ and ZP_ only for the names include/zeropage/*.h declares.
#
# Only `#include` lines (and zp_ words) are read; each wrong one is named as file:line with
# the rule it breaks, and the exit status is 1 if there was any.
set -u
root=${1:-.}
cd "$root" || exit 2

# rank of a tools/ folder; image and report share one (peers)
rank() {
	case $1 in
	common) echo 0 ;; image|report) echo 1 ;; machine) echo 2 ;; cli) echo 3 ;;
	*) echo -1 ;;
	esac
}

tmp=$(mktemp) || exit 2
trap 'rm -f "$tmp" "$tmp.names"' EXIT
bad=0
fail() {	# fail FILE:LINE RULE
	echo "$1: $2" >&2
	bad=1
}

# tools/: every "folder/name.h" against the including file's folder
for f in tools/*/*.c tools/*/*.h tools/*/*.S; do
	[ -f "$f" ] || continue
	from=${f#tools/}; from=${from%%/*}
	rf=$(rank "$from")
	if [ "$rf" -lt 0 ]; then
		fail "$f:1" "tools/$from/ is no layer (common, image, report, machine, cli): add it to scripts/check-layers.sh"
		continue
	fi
	grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
	sed 's/^\([0-9]*\):[^"]*"\([^"]*\)".*/\1 \2/' > "$tmp"
	while read -r line inc; do
		case $inc in
		*/*) to=${inc%%/*} ;;
		*) fail "$f:$line" "\"$inc\": name the folder (\"$from/$inc\"), includes are relative to tools/"; continue ;;
		esac
		[ "$to" = "$from" ] && continue
		# the probe's report-line format: plain #defines the guest program
		# and the host's reader share (a wire format, below every layer)
		[ "$inc" = probe/report_line.h ] && continue
		rt=$(rank "$to")
		if [ "$rt" -lt 0 ]; then
			fail "$f:$line" "\"$inc\": $from/ may include only common/, image/, report/, machine/ or cli/ headers below it"
		elif [ "$rt" -eq "$rf" ]; then
			fail "$f:$line" "\"$inc\": $from/ and $to/ are peers and may not include each other (move what both need to common/)"
		elif [ "$rt" -gt "$rf" ]; then
			fail "$f:$line" "\"$inc\": $from/ may not include $to/, a higher layer (common < image, report < machine < cli)"
		fi
	done < "$tmp"
done

# tools/: the zp_ prefix is libzeropage's API alone (a name in tools/ starts
# with its module's), so every zp_ or ZP_ word in tools/ is one that
# include/zeropage/*.h declares
grep -ohE '\b(zp|ZP)_[A-Za-z0-9_]+' include/zeropage/*.h | sort -u > "$tmp"
for f in tools/*/*.c tools/*/*.h tools/*/*.S; do
	[ -f "$f" ] || continue
	grep -noE '\b(zp|ZP)_[A-Za-z0-9_]+' "$f" |
	awk -F: -v f="$f" 'NR == FNR { api[$0] = 1; next }
		!($2 in api) { print f ":" $1 ": " $2 ": zp_ is libzeropage'"'"'s API alone (include/zeropage/*.h); name it after its module" }' \
		"$tmp" - > "$tmp.names"
	if [ -s "$tmp.names" ]; then
		cat "$tmp.names" >&2
		bad=1
	fi
	rm -f "$tmp.names"
done

# lib/ and include/zeropage/: <zeropage/...>, the freestanding headers
# (C11 5.1.2.1: those a freestanding implementation provides), and lib's
# own private headers, nothing else
for f in lib/*.c lib/*.h include/zeropage/*.h; do
	[ -f "$f" ] || continue
	grep -n '^[[:space:]]*#[[:space:]]*include' "$f" |
	sed 's/^\([0-9]*\):[^"<]*\([<"][^">]*[">]\).*/\1 \2/' > "$tmp"
	while read -r line inc; do
		case $inc in
		'<zeropage/'*'>') ;;
		'<stddef.h>'|'<stdint.h>'|'<stdbool.h>'|'<stdarg.h>'|'<limits.h>'|'<float.h>'|\
		'<stdalign.h>'|'<stdnoreturn.h>'|'<iso646.h>') ;;
		'"'*/*'"') fail "$f:$line" "$inc: the freestanding core includes nothing outside lib/ and include/zeropage/" ;;
		'"'*'"')
			n=${inc#\"}; n=${n%\"}
			case $f in
			lib/*) [ -f "lib/$n" ] || fail "$f:$line" "$inc: not a header of lib/" ;;
			*) fail "$f:$line" "$inc: a public header includes only <zeropage/...> and freestanding headers" ;;
			esac ;;
		*) fail "$f:$line" "$inc: a hosted header; the freestanding core has no libc" ;;
		esac
	done < "$tmp"
done

[ "$bad" = 0 ] && echo "tools/ includes go one way and use zp_ for the library's names only; lib/ includes nothing hosted"
exit "$bad"
