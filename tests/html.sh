#!/bin/sh
# zeropage matrix --html and report --html on the real Debian cloud kernel
# under TCG: one small matrix (qemu-bios, qemu-pvh, shim-64 on pc, and
# xen-pv, which pc does not have: an n/a row), then everything else from
# its JSON with no boot.  The pages must be valid HTML5 (tidy, and
# html5lib's strict WHATWG parser) and load nothing (no URL in them);
# `report --html` of the run's JSON, and of that JSON cut into two shards,
# is the page the run wrote.  Rendered in
# headless Chromium, a reader sees every row's path, machine and verdict,
# and each timeline segment ends where its time puts it on the shared
# scale.  Then a shard whose reason, console and kernel version carry
# markup, quotes, controls and bytes that are not UTF-8: the page stays
# valid, shows them as text, and with its Content-Security-Policy taken
# out (so that only the escaping stands between them and the DOM) no
# element or script of theirs appears.  Chromium is optional (skipped where
# absent); tidy and html5lib are not (scripts/install-deps.sh).
. tests/lib.shinc

need_kernel
py=/usr/bin/python3
command -v tidy > /dev/null || { echo "FAIL no tidy: apt-get install tidy"; exit 1; }
"$py" -c 'import html5lib' 2> /dev/null ||
	{ echo "FAIL no html5lib: apt-get install python3-html5lib"; exit 1; }
chrome=$(command -v chromium || true)

# valid: tidy finds nothing to warn of, html5lib no parse error
valid() {
	if tidy -q -e "$1" > "$work/tidy" 2>&1; then
		ok "$2: tidy: no error or warning"
	else
		bad "$2: tidy: $(head -5 "$work/tidy")"
	fi
	if "$py" -c 'import html5lib, sys; html5lib.HTMLParser(strict=True).parse(open(sys.argv[1], "rb"))' \
		"$1" 2> "$work/h5"; then
		ok "$2: html5lib strict: no parse error"
	else
		bad "$2: html5lib: $(tail -1 "$work/h5")"
	fi
}

# what differs between pages $1 and $2, a tag a line
tagdiff() { tr '<' '\n' < "$1" > "$work/a"; tr '<' '\n' < "$2" > "$work/b"; diff "$work/a" "$work/b" | head -6; }

rc=0
"$ZP" matrix "$kernel" --paths qemu-bios,qemu-pvh,shim-64,xen-pv --machine pc -j2 --accel tcg \
	--timeout 120 --json "$work/run.json" --html "$work/run.html" > "$work/table" 2> "$work/err" || rc=$?
cat "$work/table"
check "matrix: exit code" $rc 0
valid "$work/run.html" "matrix --html"
"$ZP" report "$work/run.json" --html "$work/r1.html" > /dev/null 2>&1 || bad "report --html failed"
if cmp -s "$work/run.html" "$work/r1.html"; then
	ok "report --html of the run's JSON: the page the run wrote"
else
	bad "report --html differs: $(tagdiff "$work/run.html" "$work/r1.html")"
fi
# the run cut into the two shards --shard K/2 would have written (rows
# and consoles of row number K-1 modulo 2), merged by report: the same page
# (the diffs of shard 2's qemu-pvh made against shard 1's qemu-bios)
for k in 1 2; do
	jq --argjson k $k '.grid.shard = $k | .grid.shards = 2 |
		.results |= map(select(.row % 2 == $k - 1)) |
		.consoles |= map(select(.row % 2 == $k - 1))' "$work/run.json" > "$work/s$k.json"
done
rc=0
"$ZP" report "$work/s2.json" "$work/s1.json" --json "$work/m.json" --html "$work/m.html" \
	> /dev/null 2> "$work/err" || rc=$?
check "report --html of both shards: exit code" $rc 0
valid "$work/m.html" "report --html, merged"
echo "info: page of 4 rows: $(wc -c < "$work/m.html") bytes"
check "no URL, nothing to fetch" "$(grep -ciE '(src|href|action)=|url\(|@import|https?:|//' "$work/m.html")" 0
check "a CSP that allows no script and no fetch" \
	"$(grep -c "Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"" "$work/m.html")" 1
if cmp -s "$work/run.html" "$work/m.html"; then
	ok "report --html of the two shards: the page the whole run wrote"
else
	bad "report --html of the shards differs: $(tagdiff "$work/run.html" "$work/m.html")"
fi
check "qemu-pvh's zero page diffed against qemu-bios" \
	"$(grep -o '<tr id="row-1" .*' "$work/m.html" | grep -c '<summary>[a-z]')" 1
# refused before anything is booted or written: an unwritable page, a page
# over a shard
rc=0
"$ZP" matrix "$kernel" --paths qemu-bios --html "$work/no/such/dir/p.html" > /dev/null 2> "$work/e" || rc=$?
check "matrix --html into a missing directory: exit 1" "$rc $(grep -c 'cannot write' "$work/e")" "1 1"
rc=0
"$ZP" report "$work/s1.json" --html "$work/s1.json" > /dev/null 2> "$work/e" || rc=$?
check "report --html over its shard: exit 1, shard kept" \
	"$rc $(grep -c 'refusing to overwrite an input' "$work/e") $(jq .grid.shard "$work/s1.json")" "1 1 1"
check "rows in the page" "$(grep -o '<tr id="row-[0-9]*" class="[a-z]*"><td class="path mono">[a-z0-9-]*' \
	"$work/m.html" | sed 's/.*class="\([a-z]*\)"><td class="path mono">/\1 /' | paste -sd, -)" \
	"pass qemu-bios,pass qemu-pvh,pass shim-64,notrun xen-pv"

# the page in Chromium, without its CSP and with a script of ours that
# writes down what the layout gives: per row its path, machine and verdict
# as rendered text, whether the verdict cell has a size, and for each
# timeline segment its class, its right edge as a fraction of the track
# and the time it stands for
measure_script='<script>
var out = [];
document.querySelectorAll("table.matrix tbody tr").forEach(function (tr) {
	var c = tr.cells, track = tr.querySelector(".track"), segs = [], v = c[2].getBoundingClientRect();
	if (track) {
		var t = track.getBoundingClientRect(), left = t.left + track.clientLeft;
		tr.querySelectorAll(".seg").forEach(function (s) {
			segs.push(s.classList[1] + "=" + ((s.getBoundingClientRect().right - left) /
				track.clientWidth).toFixed(4) + "@" + s.dataset.end);
		});
	}
	out.push([c[0].innerText, c[1].innerText, c[2].innerText,
		  v.width > 0 && v.height > 0 ? "shown" : "hidden", segs.join(" ")].join("|"));
});
var p = document.createElement("pre");
p.id = "measured";
p.dataset.ms = performance.now().toFixed(1);
p.textContent = out.join("\n");
document.body.appendChild(p);
</script>'
# $1 page, $2 output DOM: 0, or 1 when Chromium failed
render() {
	{ grep -v -e 'http-equiv="Content-Security-Policy"' -e '^</body>$' -e '^</html>$' "$1"
	  printf '%s\n' "$measure_script" '</body>' '</html>'; } > "$work/r-page.html"
	timeout 120 "$chrome" --headless=new --no-sandbox --disable-gpu \
		--user-data-dir="$work/chrome" --dump-dom "file://$work/r-page.html" \
		> "$2" 2> "$work/chrome.err"
}
# the measured lines of DOM $1
measured() {
	"$py" -c 'import html5lib, sys
e = html5lib.parse(open(sys.argv[1], "rb"), namespaceHTMLElements=False).find(".//pre[@id=\"measured\"]")
print(e.text if e is not None and e.text else "")' "$1"
}

if [ -z "$chrome" ]; then
	echo "skip: chromium is not installed (scripts/install-deps.sh installs it): no rendering checks"
else
	start=$(date +%s%N)
	render "$work/m.html" "$work/dom" || bad "chromium --dump-dom failed: $(tail -3 "$work/chrome.err")"
	echo "info: Chromium in $(( ($(date +%s%N) - start) / 1000000 )) ms, its start included;" \
		"parsed and laid out $(grep -o 'id="measured" data-ms="[0-9.]*"' "$work/dom" |
		sed 's/.*data-ms="//; s/"//') ms after navigation began (the page's clock)"
	measured "$work/dom" > "$work/seen"
	cat "$work/seen"
	check "rendered rows: path, machine, verdict, shown" "$(cut -d'|' -f1-4 "$work/seen" | paste -sd, -)" \
		"qemu-bios|pc|ok|shown,qemu-pvh|pc|ok|shown,shim-64|pc|ok|shown,xen-pv|pc|n/a|shown"
	# the scale: the longest time of any row; every segment's right edge
	# at its time over the scale (to 1 %), the three booted rows with all
	# four segments, the n/a row with none
	scale=$(jq '[.results[].seconds | .first_byte, .banner, .init, .exit | select(. != null) |
		tonumber] | max' "$work/m.json")
	bars=$(cut -d'|' -f5 "$work/seen" | awk -v scale="$scale" '
		{ n = 0
		  for (i = 1; i <= NF; i++) {
			split($i, a, /[=@]/)
			want = a[3] / scale
			if (a[2] < want - 0.01 || a[2] > want + 0.01 || a[2] > 1.001)
				print "bad " $i " want " want
			n++ }
		  printf "%d%s", n, (NR < 4 ? "," : "") }')
	check "timeline segments per row, each where its time puts it" "$bars" "4,4,4,0"
	# the row whose run took longest (by the JSON) ends at the track's end;
	# other rows may end within a percent of it, so find that row by name
	longest=$(jq -r '[.results[] | select(.seconds.exit != null) |
		{path, t: (.seconds.exit | tonumber)}] | max_by(.t) | .path' "$work/m.json")
	check "the longest row's bar fills the track ($longest)" \
		"$(grep "^$longest|" "$work/seen" | grep -o 'to-exit=[0-9.]*' |
			awk -F= '{ print ($2 > 0.999 && $2 < 1.001) ? "full" : "at " $2 }')" full
	init_json=$(jq -r '[.results[] | .seconds.init | select(. != null) | tonumber |
		(. * 1000 | round / 1000)] | map(tostring) | join(",")' "$work/m.json")
	init_page=$(grep -o 'to-init=[0-9.]*@[0-9.]*' "$work/seen" | cut -d@ -f2 | awk '{ printf "%s%g", (NR > 1 ? "," : ""), $1 }')
	check "the init segments stand for the JSON's init times" "$init_page" "$init_json"
	chromium --headless=new --no-sandbox --disable-gpu --user-data-dir="$work/chrome" \
		--window-size=1600,600 --screenshot="$work/shot.png" "file://$work/m.html" \
		> /dev/null 2>&1 || true
	[ -s "$work/shot.png" ] && ok "screenshot: $(wc -c < "$work/shot.png") bytes of PNG" ||
		bad "no screenshot"
fi

# A hostile shard: row 1 panicked with a reason, a console tail and a
# kernel version that try to close the table, run a script, load an image,
# add elements, break out of an attribute; with ESC, NUL-free controls,
# and bytes that are not UTF-8 (@BAD@, put in after jq: JSON has no way to
# say them).
hostile='</td></tr></table><script>document.body.insertAdjacentHTML("beforeend","<p id=pwned>ran</p>")</script><img src=x onerror="this.id=1"><b id="pwned-b">b</b> it'"'"'s "q" & &amp; \u001b[31m\u0007 @BAD@'
jq --arg h "$hostile" '.results[1].verdict = "panic" | .results[1].passed = false |
	.results[1].reason = ($h | gsub("\\\\u001b"; "\u001b") | gsub("\\\\u0007"; "\u0007")) |
	.consoles[1].tail = "boot\n" + .results[1].reason + "\n" |
	.kernels[0].version = "6.1 <i id=\"pwned-v\">" + .kernels[0].version' "$work/m.json" |
	sed 's/@BAD@/\xff\xc0\xbc\xed\xa0\x80 \xc2\x9b/g' > "$work/h.json"
# the elements of theirs in document $1 (an id pwned*, an img, b or i, an
# onerror), each named, after how many there are and how many scripts
elements() {
	"$py" -c 'import html5lib, sys
d = html5lib.parse(open(sys.argv[1], "rb"), namespaceHTMLElements=False)
els = [e for e in d.iter() if isinstance(e.tag, str)]
bad = [e.tag + "#" + e.get("id", "") for e in els if e.get("id", "").startswith("pwned") or
       e.tag in ("img", "b", "i") or "onerror" in e.attrib]
print(len(bad), len([e for e in els if e.tag == "script"]), *bad)' "$1"
}
rc=0
"$ZP" report "$work/h.json" --html "$work/h.html" > /dev/null 2> "$work/h.err" || rc=$?
check "hostile shard: report exit code (a row failed)" $rc 8
valid "$work/h.html" "hostile page"
check "hostile page: no element of theirs, no script" "$(elements "$work/h.html")" "0 0"
check "hostile page: the reason as text, in the table and the failure's details" \
	"$(grep -cF '&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;document.body.insertAdjacentHTML(&quot;beforeend&quot;' "$work/h.html")" 3
check "hostile page: quotes, ampersands, ESC and BEL shown, bad bytes as U+FFFD" \
	"$(grep -c "it&#39;s &quot;q&quot; &amp; &amp;amp; $(printf '\342\220\233')\[31m$(printf '\342\220\207') $(printf '\357\277\275\357\277\275\357\277\275\357\277\275\357\277\275\357\277\275') $(printf '\357\277\275')" "$work/h.html")" 3
if [ -n "$chrome" ]; then
	render "$work/h.html" "$work/hdom" || bad "chromium on the hostile page failed"
	check "hostile page rendered: no element of theirs, one script (ours)" \
		"$(elements "$work/hdom")" "0 1"
	check "hostile page rendered: the reason as the row's text" \
		"$(grep -cF '<td class="reason">&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;' "$work/hdom")" 1
	check "hostile page rendered: rows as before" "$(measured "$work/hdom" | cut -d'|' -f1-3 | paste -sd, -)" \
		"qemu-bios|pc|ok,qemu-pvh|pc|panic,shim-64|pc|ok,xen-pv|pc|n/a"
fi
[ $fails -eq 0 ]
