#!/bin/sh
# CommonMark conformance smoke test: every file of the CommonMark and GFM
# specs and of the other authors' notes in ../shared/corpora compiles,
# and every section of it - and every example of the specs, as a
# document of its own - renders in plain and styled modes without error,
# without control bytes and without escapes other than SGR
# (tests/cli/render-smoke.c).  Then the text of every example must
# survive: the words the HTML the spec expects shows are the words of
# the plain text, in order, none lost, doubled, glued or leaked
# (tests/cli/text-fidelity.c, which lists the examples that differ on
# purpose).  Skips when the corpora are absent.
. "$top_srcdir/tests/lib.sh"

SMOKE=$top_builddir/tests/cli/render-smoke
TEXT=$top_builddir/tests/cli/text-fidelity
[ -d "$CORPORA" ] || skip "no corpora in $CORPORA"
[ -x "$SMOKE" ] || skip "render-smoke not built"
[ -x "$TEXT" ] || skip "text-fidelity not built"

specs=$(find "$CORPORA/commonmark-spec" "$CORPORA/gfm-spec" -type f \
	-name '*.txt' 2>/dev/null | sort)
[ -n "$specs" ] || fail "no spec files under $CORPORA"
# shellcheck disable=SC2086 # paths under the corpora hold no blanks
"$SMOKE" -x $specs >"$tmp/out" 2>"$tmp/err" ||
	fail "specs: $(head -n 20 "$tmp/err")"
cat "$tmp/out"
expect_grep '[0-9]{3,} examples' "$tmp/out" "the specs' examples were not rendered"
# shellcheck disable=SC2086 # as above
"$TEXT" $specs >"$tmp/out" 2>"$tmp/err" ||
	fail "specs' text: $(head -n 30 "$tmp/err")"
cat "$tmp/out"
expect_grep '^[0-9]{4,} examples, [0-9]{4,} words compared' "$tmp/out" \
	"the specs' words were not compared"

# The notes of the other authors: every Markdown file on its own (the
# compressed large sets are left to the benchmarks).
find "$CORPORA" -type f \( -name '*.md' -o -name '*.markdown' \) \
	! -path "$CORPORA/README.md" | sort >"$tmp/notes"
[ -s "$tmp/notes" ] || fail "no notes under $CORPORA"
count=0
while IFS= read -r f; do
	count=$((count + 1))
	"$SMOKE" "$f" >"$tmp/out" 2>"$tmp/err" ||
		fail "$f: $(head -n 5 "$tmp/err")"
done <"$tmp/notes"
echo "$count note files rendered"
finish
