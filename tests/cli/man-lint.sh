#!/bin/sh
# The manual pages lint clean: groff -ww and mandoc -Tlint (each only when
# installed) say nothing about any of them.
. "$top_srcdir/tests/lib.sh"

pages="$top_srcdir/man/awsnote.1 $top_srcdir/man/awsnote-index.1 $top_srcdir/man/awsnote.5"
tools=0
if command -v groff >/dev/null 2>&1; then
	tools=$((tools + 1))
	for p in $pages; do
		groff -man -ww -z "$p" >"$tmp/out" 2>&1
		[ -s "$tmp/out" ] && fail "groff on $(basename "$p"): $(head -n 10 "$tmp/out")"
	done
else
	echo "SKIP: no groff"
fi
if command -v mandoc >/dev/null 2>&1; then
	tools=$((tools + 1))
	for p in $pages; do
		mandoc -Tlint -W warning "$p" >"$tmp/out" 2>&1
		[ -s "$tmp/out" ] && fail "mandoc on $(basename "$p"): $(head -n 10 "$tmp/out")"
	done
else
	echo "SKIP: no mandoc"
fi
# A path or a typed command broken by hyphenation ("com-" then "pletions")
# cannot be copied from a narrow terminal: they are marked \% (no
# hyphenation).  Any width may show it, so several are tried.
if command -v groff >/dev/null 2>&1; then
	for p in $pages; do
		for w in 40 45 50 55 60 65 70 80 90 100; do
			groff -man -Tutf8 -rLL=${w}n -P-cbou "$p" 2>/dev/null |
				grep "$(printf '\342\200\220')\$" | awk '{ print $NF }' |
				grep / | sed "s|^|$(basename "$p") at $w columns: |"
		done
	done >"$tmp/hyph"
	[ -s "$tmp/hyph" ] && fail "hyphenated paths: $(sort -u "$tmp/hyph" | head -n 5)"
fi
# mandoc's style check, which -W warning leaves out, without depending
# on its version: no text line over 80 bytes (a reflow slip).
for p in $pages; do
	LC_ALL=C awk 'length($0) > 80 && !/^[.\047]/ { print FILENAME ":" FNR }' "$p"
done >"$tmp/long"
[ -s "$tmp/long" ] && fail "text lines over 80 bytes: $(cat "$tmp/long")"
# awsnote-index(1)'s SYNOPSIS shows every option of its --help but -h
# and -V (awsnote(1)'s says [option...]): by its short name, else its
# long one.
sed -n '/^\.SH SYNOPSIS/,/^\.SH DESCRIPTION/p' "$top_srcdir/man/awsnote-index.1" \
	>"$tmp/synopsis"
"$AWSNOTE_INDEX" --help | sed -n 's/^  \(-[a-zA-Z]\)\{0,1\}[, ]*\(--[a-z-]*\).*/\2 \1/p' |
	while read -r long short; do
		case $long in --help | --version) continue ;; esac
		case $short in -?) want=$short ;; *) want=$long ;; esac
		pat=$(printf '%s\n' "$want" | sed 's/-/\\\\-/g')
		grep -q -- "$pat" "$tmp/synopsis" || echo "$want"
	done >"$tmp/missing"
[ -s "$tmp/missing" ] &&
	fail "awsnote-index(1)'s SYNOPSIS lacks: $(tr '\n' ' ' <"$tmp/missing")"
[ "$tools" -gt 0 ] || skip "neither groff nor mandoc is installed"
finish
