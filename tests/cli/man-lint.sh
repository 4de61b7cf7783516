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
# mandoc's style check, which -W warning leaves out, without depending
# on its version: no text line over 80 bytes (a reflow slip).
for p in $pages; do
	LC_ALL=C awk 'length($0) > 80 && !/^[.\047]/ { print FILENAME ":" FNR }' "$p"
done >"$tmp/long"
[ -s "$tmp/long" ] && fail "text lines over 80 bytes: $(cat "$tmp/long")"
[ "$tools" -gt 0 ] || skip "neither groff nor mandoc is installed"
finish
