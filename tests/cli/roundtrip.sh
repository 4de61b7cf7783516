#!/bin/sh
# The compiled blob holds exactly the notes' sections: the section paths
# awsnote lists equal those an independent splitter (the Python one of
# bench/relevance-fts5.py) derives from the Markdown, and every section's
# text comes back through the blob (checked in C by tests/unit/test-blob).
. "$top_srcdir/tests/lib.sh"

command -v python3 >/dev/null || skip "python3 not installed"
splitter=$top_srcdir/bench/relevance-fts5.py
[ -f "$splitter" ] || skip "no $splitter"
python3 "$splitter" --notes "$SEED" --dump-sections >"$tmp/want" ||
	fail "python splitter failed"
"$AWSNOTE" -l >"$tmp/got" || fail "awsnote -l failed"
# The preamble, if any, is titled by the document name in awsnote.
grep -v '^aws-developer-associate$' "$tmp/got" >"$tmp/got2"
grep -v '^aws-developer-associate$' "$tmp/want" >"$tmp/want2"
diff -u "$tmp/want2" "$tmp/got2" >"$tmp/diff" ||
	fail "section paths differ:
$(head -n 30 "$tmp/diff")"
[ "$(wc -l <"$tmp/got2")" -ge 70 ] || fail "too few sections"

# Compiling twice gives the same bytes (reproducible builds).
"$AWSNOTE_INDEX" -q -o "$tmp/a.blob" "$SEED" &&
	"$AWSNOTE_INDEX" -q -o "$tmp/b.blob" "$SEED" ||
	fail "compile failed"
cmp -s "$tmp/a.blob" "$tmp/b.blob" || fail "two builds differ"
finish
