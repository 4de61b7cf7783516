#!/bin/sh
# Long titles are shown whole wherever a path or title is: a heading of
# 5 KB is kept as a title of at most 1,024 bytes ending in "..." (its first
# 170 words here), and that title, or a path of 5.9 KB, comes out whole in
# the lookup's path line, -k, -l, --json, -e, the shell and the path a
# link into the notes shows; the heading's anchor is the slug of all of
# it, so that a link to it lands.  A 1 KiB buffer once cut every title in a
# path and a 4 KiB one every path.  Completion read titles through a
# 4 KiB buffer: a title past it (a blob's document name, from a deep tree)
# offered no word of its end.
. "$top_srcdir/tests/lib.sh"

# words FIRST LAST PREFIX: "P0001 P0002 ..." (six bytes a word).
words() {
	awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN {
		for (i = a; i <= b; i++) printf "%s%04d%s", p, i, i < b ? " " : ""
	}'
}

{
	printf '# %s\n\nzebra zebra stripes.\n\n' "$(words 1 834 t)"
	printf '## Child\n\nA zebra foal; [back up](#%s).\n' \
		"$(words 1 834 t | tr ' ' -)"
} >"$tmp/big.md"
[ "$(head -n 1 "$tmp/big.md" | wc -c)" -gt 5000 ] || fail "the heading is not 5 KB"
title="$(words 1 170 t)..."
[ "${#title}" = 1022 ] || fail "test: title of ${#title} bytes"

expect_first_line "$title" "$AWSNOTE" -f "$tmp/big.md" zebra stripes
expect_first_line "$title > Child" "$AWSNOTE" -f "$tmp/big.md" foal
run "$AWSNOTE" -f "$tmp/big.md" -k zebra
grep -qxF "$title - zebra zebra stripes." "$tmp/out" || fail "-k: $(cut -c 1-80,1000- "$tmp/out")"
grep -qxF "$title > Child - A zebra foal; back up." "$tmp/out" ||
	fail "-k, the child: $(cut -c 1-80,1000- "$tmp/out")"
run "$AWSNOTE" -f "$tmp/big.md" -l
[ "$(cat "$tmp/out")" = "$title
$title > Child" ] || fail "-l: $(cut -c 1-80,1000- "$tmp/out")"
run "$AWSNOTE" -f "$tmp/big.md" -e foal
grep -qxF "$title > Child:A zebra foal; back up." "$tmp/out" ||
	fail "-e: $(cut -c 1-80,1000- "$tmp/out")"

# --json: "path" as "title" has it (the title holds no character JSON
# escapes).
run "$AWSNOTE" -f "$tmp/big.md" --json zebra stripes
grep -qF "\"path\":[\"$title\"]" "$tmp/out" || fail "--json path: $(cut -c 1-300 "$tmp/out")"
grep -qF "\"title\":\"$title\"" "$tmp/out" || fail "--json title: $(cut -c 1-300 "$tmp/out")"
grep -qF "\"path\":[\"$title\",\"Child\"]" "$tmp/out" ||
	fail "--json, subsection's path: $(cut -c 1-300 "$tmp/out")"
for mode in -k -l; do
	run "$AWSNOTE" -f "$tmp/big.md" --json $mode zebra
	grep -qF "\"path\":[\"$title\",\"Child\"]" "$tmp/out" ||
		fail "--json $mode: $(cut -c 1-300 "$tmp/out")"
done

# The shell from a pipe: the path line and :list.
printf 'zebra stripes\n:list\n' | "$AWSNOTE" -f "$tmp/big.md" -i >"$tmp/out" 2>"$tmp/err"
[ "$(head -n 1 "$tmp/out")" = "$title" ] || fail "shell: $(head -c 200 "$tmp/out")"
grep -qxF "*  1  $title - zebra zebra stripes." "$tmp/out" ||
	fail "shell :list: $(cut -c 1-80 "$tmp/out")"

# A link to the long section shows its path whole where links are
# resolved (wrapping on): its lines joined again.
run "$AWSNOTE" --width 1000 -f "$tmp/big.md" foal
tr '\n' ' ' <"$tmp/out" | grep -qF "back up (→ $title)" ||
	fail "link path: $(tail -c 300 "$tmp/out")"

# The anchor is GitHub's, the slug of the whole heading, not of the cut
# title: a link written to it lands, from the same document (above) and
# from another, compiled with it or apart.
mkdir "$tmp/two"
# (after another section: a link whose anchor is not found leads to the
# document's start)
{ printf '# Intro\n\nFirst.\n\n' && cat "$tmp/big.md"; } >"$tmp/two/big.md"
printf '# Elsewhere\n\nSee [the stripes](big.md#%s).\n' \
	"$(words 1 834 t | tr ' ' -)" >"$tmp/two/other.md"
for notes in "-f $tmp/two" "-f $tmp/two/other.md -f $tmp/two/big.md"; do
	# shellcheck disable=SC2086
	printf 'elsewhere\n:follow 1\n' | "$AWSNOTE" $notes -i >"$tmp/out" 2>"$tmp/err"
	grep -qxF "big > $title" "$tmp/out" ||
		fail "a link to the long heading from elsewhere ($notes): $(cut -c 1-80 "$tmp/out")"
done
run "$AWSNOTE" -f "$tmp/big.md" --json zebra stripes
grep -qF "\"anchor\":\"$(words 1 834 t | tr ' ' -)\"" "$tmp/out" ||
	fail "--json anchor: $(cut -c 1-200 "$tmp/out")"

# Six levels of titles of 979 bytes: a path of 5.9 KB.
for lv in 1 2 3 4 5 6; do
	printf '%s %s\n\n' "$(printf '%*s' "$lv" '' | tr ' ' '#')" \
		"$(words $((lv * 1000)) $((lv * 1000 + 139)) "l$lv")"
done >"$tmp/deep.md"
printf 'okapi okapi\n' >>"$tmp/deep.md"
path=
for lv in 1 2 3 4 5 6; do
	path="$path${path:+ > }$(words $((lv * 1000)) $((lv * 1000 + 139)) "l$lv")"
done
[ "${#path}" -gt 5800 ] || fail "test: a path of ${#path} bytes"
expect_first_line "$path" "$AWSNOTE" -f "$tmp/deep.md" okapi
run "$AWSNOTE" -f "$tmp/deep.md" -k okapi
[ "$(cat "$tmp/out")" = "$path - okapi okapi" ] || fail "-k, a deep path: $(cut -c 1-80 "$tmp/out")"
run "$AWSNOTE" -f "$tmp/deep.md" --json okapi
grep -qF "\"path\":[\"$(printf '%s' "$path" | sed 's/ > /","/g')\"]" "$tmp/out" ||
	fail "--json, a deep path: $(cut -c 1-200 "$tmp/out")"

# A title of 4.8 KB (tests/lib.sh): its last words complete
# (--complete, as the shell's Tab: tests/cli/shell.sh).
deep_title_blob "$tmp/deep.blob"
run "$AWSNOTE" -f "$tmp/deep.blob" -l
[ "$(head -n 1 "$tmp/out" | wc -c)" -gt 4700 ] ||
	fail "test: the document's title is $(head -n 1 "$tmp/out" | wc -c) bytes"
run "$AWSNOTE" -f "$tmp/deep.blob" --complete quag
[ "$status" = 0 ] && [ "$(cat "$tmp/out")" = "QuaggaZone" ] ||
	fail "--complete, the end of a 4.8 KB title: status $status, $(cat "$tmp/out")"
finish
