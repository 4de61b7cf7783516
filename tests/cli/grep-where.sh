#!/bin/sh
# -e PATTERN --where: grep -Hn for the notes.  Each matching line as
# FILE:LINE:TEXT with the line of the Markdown file it was written on
# (the file read again at query time), context as FILE-LINE-TEXT, -o,
# -l, -c and --json with the file's lines; a file edited or deleted
# since the notes were compiled is named once on stderr and its lines
# left out, the other files' printed, and the exit status is 2 (grep's).
. "$top_srcdir/tests/lib.sh"

seed_file=$(cd "$top_srcdir/share" && pwd -P)/aws-developer-associate.md

# The seed: the lines grep -n finds, for patterns that markup does not
# hide (a link's address is not text, so no pattern of one here).
for p in 'SSE-[A-Z0-9]+' Lambda DynamoDB KMS '[0-9]{3,}' CloudFormation \
	Cognito 'API Gateway' X-Ray; do
	run "$AWSNOTE" -e "$p" --where
	[ "$status" = 0 ] || fail "-e '$p' --where: exit $status: $(cat "$tmp/err")"
	grep -nE -- "$p" "$SEED" | cut -d: -f1 >"$tmp/want"
	cut -d: -f2 "$tmp/out" | cmp -s - "$tmp/want" ||
		fail "-e '$p' --where: lines $(cut -d: -f2 "$tmp/out" | tr '\n' ' ') want $(tr '\n' ' ' <"$tmp/want")"
	cut -d: -f1 "$tmp/out" | grep -v -x -F -- "$seed_file" >/dev/null &&
		fail "-e '$p' --where: another file than $seed_file"
	# The text is -e's, without the section's path.
	"$AWSNOTE" -e "$p" | sed 's/^[^:]*://' >"$tmp/text"
	cut -d: -f3- "$tmp/out" | cmp -s - "$tmp/text" ||
		fail "-e '$p' --where: other text than -e's"
done
# Every line of the seed's text: its first word is on the line given,
# and the lines never go back.
run "$AWSNOTE" -e . --where
[ "$(wc -l <"$tmp/out")" -gt 600 ] || fail "-e . --where: $(wc -l <"$tmp/out") lines"
awk -v bad=0 'FNR == NR { src[FNR] = $0; next }
	{ n = $0; sub(/^[^:]*:/, "", n); text = n; sub(/:.*/, "", n)
	  sub(/^[^:]*:/, "", text)
	  if (n + 0 < last) { print "back at " n; bad++ }
	  last = n + 0
	  if (match(text, /[A-Za-z0-9]{3,}/) &&
	      index(src[n], substr(text, RSTART, RLENGTH)) == 0) {
		print "line " n ": " text; bad++ } }
	END { exit bad > 0 }' "$SEED" "$tmp/out" >"$tmp/bad" ||
	fail "-e . --where: $(head -c 300 "$tmp/bad")"

# A note of every kind of block, CRLF ends, a BOM and front matter: each
# tokNN is found on the line grep -n finds it on.
printf '\357\273\277---\r\ntitle: tok00\r\n---\r\nSetext tok01\r\n=============\r\n\r\nPara tok02 first\r\nsoft tok03 second\r\nthird *emph tok04* and [link tok05](http://x/tok99) end\r\n\r\n```sh\r\ncode tok06\r\n\r\n  code tok07 indented\r\n```\r\n\r\n* item tok08\r\n  continuation tok09\r\n* item tok10\r\n\r\n| Col tok11 | B |\r\n|---|---|\r\n| cell tok12 | x |\r\n\r\n> quote tok13\r\n> quote tok14\r\n\r\n<div>\r\nhtml tok15\r\n<b>tok16</b>\r\n</div>\r\n\r\n## ATX tok17\r\n\r\n**strong tok18** `code tok19`\r\n\r\n---\r\n\r\nafter rule tok20\r\n\r\n```\r\ncode tok21\r\n```\r\n\r\n***\r\n' \
	>"$tmp/note.md"
note=$(cd "$tmp" && pwd -P)/note.md
"$AWSNOTE_INDEX" -o "$tmp/note.blob" "$tmp/note.md" >/dev/null 2>&1 ||
	fail "awsnote-index of note.md"
for notes in "$tmp/note.md" "$tmp/note.blob"; do
	run "$AWSNOTE" -f "$notes" -e 'tok[0-9]+' --where
	grep -n 'tok[0-9]' "$tmp/note.md" | grep -v tok00 | cut -d: -f1 >"$tmp/want"
	cut -d: -f2 "$tmp/out" | cmp -s - "$tmp/want" ||
		fail "$notes: lines $(cut -d: -f2 "$tmp/out" | tr '\n' ' ') want $(tr '\n' ' ' <"$tmp/want")"
	grep -q -x -F "$note:9:third emph tok04 and link tok05 end" "$tmp/out" ||
		fail "$notes: the line with emphasis and a link: $(sed -n 4p "$tmp/out")"
	# Blank lines and rules stand for theirs (past a closing fence).
	run "$AWSNOTE" -f "$notes" -e '^(---)?$' --where
	[ "$(cut -d: -f2 "$tmp/out" | tr '\n' ' ')" = "10 16 20 24 28 36 37 38 40 44 45 " ] ||
		fail "$notes: blank lines and a rule at $(cut -d: -f2 "$tmp/out" | tr '\n' ' ')"
done
expect_status 1 "$AWSNOTE" -f "$tmp/note.md" -e tok99 --where
# A note with <a name> tags, whose sections the reader holds to its end.
printf '# One <a name="n1"></a>

nameone [to two](#n2)

<a name="n2"></a>

## Two

nametwo
namethree
' \
	>"$tmp/named.md"
run "$AWSNOTE" -f "$tmp/named.md" -e 'name(one|two|three)' --where
[ "$(cut -d: -f2 "$tmp/out" | tr '\n' ' ')" = "3 9 10 " ] ||
	fail "a note with <a name>: $(cat "$tmp/out" "$tmp/err")"

# Markdown kept compiled in the cache: its record names the file too,
# and an edit is compiled again before the file is read for lines.
mkdir "$tmp/cache"
touch -d "@$(($(date +%s) - 60))" "$tmp/note.md" # not just written
for i in 1 2; do
	run env AWSNOTE_CACHE_DIR="$tmp/cache" "$AWSNOTE" -f "$tmp/note.md" -e tok13 --where
	[ "$(cat "$tmp/out")" = "$note:25:> quote tok13" ] || fail "cached notes, run $i: $(cat "$tmp/out" "$tmp/err")"
done
[ -n "$(ls "$tmp/cache")" ] || fail "nothing kept in the cache"
cp "$tmp/note.md" "$tmp/note.orig"
{ printf '\n\n\n'; cat "$tmp/note.orig"; } >"$tmp/note.md"
touch -d "@$(($(date +%s) - 30))" "$tmp/note.md"
run env AWSNOTE_CACHE_DIR="$tmp/cache" "$AWSNOTE" -f "$tmp/note.md" -e tok13 --where
[ "$(cat "$tmp/out")" = "$note:28:> quote tok13" ] || fail "cached notes, edited: $(cat "$tmp/out" "$tmp/err")"
mv "$tmp/note.orig" "$tmp/note.md"

# Context as grep -n gives it: FILE-LINE-TEXT, "--" between groups.
run "$AWSNOTE" -f "$tmp/note.md" -e 'tok03|tok13' -C 1 --where
printf '%s\n' "$note-7-Para tok02 first" "$note:8:soft tok03 second" \
	"$note-9-third emph tok04 and link tok05 end" -- "$note-24-" \
	"$note:25:> quote tok13" "$note-26-> quote tok14" >"$tmp/want"
diff -u "$tmp/want" "$tmp/out" >"$tmp/diff" || fail "-C 1 --where: $(cat "$tmp/diff")"
run "$AWSNOTE" -f "$tmp/note.md" -e 'tok06' -A 2 --where
printf '%s\n' "$note:12:    code tok06" "$note-13-    " \
	"$note-14-      code tok07 indented" >"$tmp/want"
diff -u "$tmp/want" "$tmp/out" >"$tmp/diff" || fail "-A 2 --where: $(cat "$tmp/diff")"
run "$AWSNOTE" -f "$tmp/note.md" -e 'tok1[02]' -B 1 --where
printf '%s\n' "$note-18-  continuation tok09" "$note:19:* item tok10" -- \
	"$note-21-Col tok11 | B" "$note:23:cell tok12 | x" >"$tmp/want"
diff -u "$tmp/want" "$tmp/out" >"$tmp/diff" || fail "-B 1 --where: $(cat "$tmp/diff")"
# -o: FILE:LINE:MATCH; -l: FILE:LINE:PATH of the heading; -c the same
# and ":COUNT".
run "$AWSNOTE" -f "$tmp/note.md" -e 'tok0[23]|tok17' -o --where
printf '%s\n' "$note:7:tok02" "$note:8:tok03" "$note:33:tok17" >"$tmp/want"
diff -u "$tmp/want" "$tmp/out" >"$tmp/diff" || fail "-o --where: $(cat "$tmp/diff")"
run "$AWSNOTE" -f "$tmp/note.md" -e 'tok1[0-9]' -l --where
printf '%s\n' "$note:4:Setext tok01" "$note:33:Setext tok01 > ATX tok17" >"$tmp/want"
diff -u "$tmp/want" "$tmp/out" >"$tmp/diff" || fail "-l --where: $(cat "$tmp/diff")"
run "$AWSNOTE" -f "$tmp/note.md" -e 'tok' -c --where
printf '%s\n' "$note:4:Setext tok01:15" "$note:33:Setext tok01 > ATX tok17:4" >"$tmp/want"
diff -u "$tmp/want" "$tmp/out" >"$tmp/diff" || fail "-c --where: $(cat "$tmp/diff")"
# --json: each match's "source" is its own line; -l's the heading's.
run "$AWSNOTE" -f "$tmp/note.md" --json -e 'tok1[34]' --where
[ "$(grep -c "\"source\":{\"file\":\"$note\",\"line\":2[56]}" "$tmp/out")" = 2 ] ||
	fail "--json -e --where: $(cat "$tmp/out")"
run "$AWSNOTE" -f "$tmp/note.md" --json -e 'tok17' -l --where
expect_grep "\"source\":\\{\"file\":\"$note\",\"line\":33\\}" "$tmp/out" "--json -l -e --where"
# Colours as -e's: the file in magenta, the line in green.
run "$AWSNOTE" -f "$tmp/note.md" --color=always -e 'tok02' --where
expect_grep "$(printf '^\033\\[1;35m')$note$(printf '\033\\[0m'):$(printf '\033\\[32m')7" \
	"$tmp/out" "--color=always -e --where"

# Edited since the blob was compiled: a word, or a line above that moves
# the rest.  One line naming the file, exit 2; -l and -c need only
# the headings' lines and -e alone the blob.
cp "$tmp/note.md" "$tmp/note.orig"
sed 's/quote tok14/quote tok41/' "$tmp/note.orig" >"$tmp/note.md"
expect_status 2 "$AWSNOTE" -f "$tmp/note.blob" -e tok13 --where
[ "$(cat "$tmp/err")" = "awsnote: $note: changed since the notes were compiled from it; compile them again" ] ||
	fail "an edited file: $(cat "$tmp/err")"
[ -s "$tmp/out" ] && fail "an edited file: output $(cat "$tmp/out")"
expect_status 0 "$AWSNOTE" -f "$tmp/note.blob" -e tok13
expect_status 0 "$AWSNOTE" -f "$tmp/note.blob" -e tok13 -l --where
{ printf '\r\n'; cat "$tmp/note.orig"; } >"$tmp/note.md"
expect_status 2 "$AWSNOTE" -f "$tmp/note.blob" -e tok13 --where
[ "$(wc -l <"$tmp/err")" = 1 ] || fail "a moved file: $(cat "$tmp/err")"
# ... gone: one line, exit 2.
rm "$tmp/note.md"
expect_status 2 "$AWSNOTE" -f "$tmp/note.blob" -e tok13 --where
[ "$(cat "$tmp/err")" = "awsnote: $note: No such file or directory (the notes were compiled from it)" ] ||
	fail "a file gone: $(cat "$tmp/err")"
# ... no file but a FIFO (not waited for) or a directory.
for kind in mkfifo mkdir; do
	$kind "$tmp/note.md" || fail "$kind"
	expect_status 2 timeout 20 "$AWSNOTE" -f "$tmp/note.blob" -e tok13 --where
	[ "$(cat "$tmp/err")" = "awsnote: $note: not a regular file (the notes were compiled from it)" ] ||
		fail "a $kind in its place: $(cat "$tmp/err")"
	rm -rf "$tmp/note.md"
done
mv "$tmp/note.orig" "$tmp/note.md"
expect_first_line "$note:25:> quote tok13" "$AWSNOTE" -f "$tmp/note.blob" -e tok13 --where

# A blob without the record of its files: the message --where gives,
# before any line.
MUTATE=$top_builddir/tests/fuzz/fuzz-mutate
if [ -x "$MUTATE" ]; then
	"$MUTATE" retype "$tmp/note.blob" "$tmp/old.blob" 20 63 || fail "fuzz-mutate retype"
	expect_status 2 "$AWSNOTE" -f "$tmp/old.blob" -e tok13 --where
	[ "$(cat "$tmp/err")" = "awsnote: $tmp/old.blob: no record of the files its notes were read from (built before awsnote had one); rebuild it with awsnote-index" ] ||
		fail "-e --where on a blob without ORIGINS: $(cat "$tmp/err")"
	[ -s "$tmp/out" ] && fail "-e --where on a blob without ORIGINS: output $(cat "$tmp/out")"
fi

# Several files, some of which cannot be used: as grep, each is named
# once on stderr (however many of its sections match), its lines left
# out, the others' lines all printed, exit 2 at the end.
mkdir "$tmp/set"
printf '# Alpha\n\nzebra in alpha one\n\n## Alpha two\n\na zebra again\n' >"$tmp/set/a.md"
printf '# Bravo\n\nfirst zebra line\nno match here\nsecond zebra line\n\n## Bravo two\n\nthird zebra line\nokapi only here\n' >"$tmp/set/b.md"
printf '# Charlie\n\nzebra charlie\n\n## Charlie two\n\nzebra charlie two\n' >"$tmp/set/c.md"
"$AWSNOTE_INDEX" -o "$tmp/set.blob" "$tmp/set" >/dev/null 2>&1 ||
	fail "awsnote-index of set/"
set_dir=$(cd "$tmp/set" && pwd -P)
run "$AWSNOTE" -f "$tmp/set.blob" --json -e zebra --where
cp "$tmp/out" "$tmp/set.json"
[ "$(grep -c '"type":"match"' "$tmp/set.json")" = 7 ] || fail "set/: $(cat "$tmp/out" "$tmp/err")"
for opts in "" "-C 1" "-o" "-B 2"; do
	# shellcheck disable=SC2086 # OPTS is words
	"$AWSNOTE" -f "$tmp/set/b.md" -e zebra --where $opts >"$tmp/b.$(echo "x$opts" | tr -d ' -')"
done
grep -n zebra "$tmp/set/b.md" | sed "s|^|$set_dir/b.md:|" >"$tmp/want"
cmp -s "$tmp/want" "$tmp/b.x" || fail "b.md alone: $(cat "$tmp/b.x")"
# a.md edited (a line above its first heading), c.md gone.
{ printf '\n'; cat "$tmp/set/a.md"; } >"$tmp/set/a.new"
mv "$tmp/set/a.new" "$tmp/set/a.md"
rm "$tmp/set/c.md"
printf '%s\n' "awsnote: $set_dir/a.md: changed since the notes were compiled from it; compile them again" \
	"awsnote: $set_dir/c.md: No such file or directory (the notes were compiled from it)" >"$tmp/want-err"
for opts in "" "-C 1" "-o" "-B 2"; do
	# shellcheck disable=SC2086
	expect_status 2 "$AWSNOTE" -f "$tmp/set.blob" -e zebra --where $opts
	diff -u "$tmp/b.$(echo "x$opts" | tr -d ' -')" "$tmp/out" >"$tmp/diff" ||
		fail "-e --where $opts, a file changed and one gone: $(cat "$tmp/diff")"
	diff -u "$tmp/want-err" "$tmp/err" >"$tmp/diff" ||
		fail "-e --where $opts, a file changed and one gone, stderr: $(cat "$tmp/diff")"
done
expect_status 2 "$AWSNOTE" -f "$tmp/set.blob" --json -e zebra --where
grep -F "\"file\":\"$set_dir/b.md\"" "$tmp/set.json" | diff -u - "$tmp/out" >"$tmp/diff" ||
	fail "--json -e --where, a file changed and one gone: $(cat "$tmp/diff")"
diff -u "$tmp/want-err" "$tmp/err" >"$tmp/diff" ||
	fail "--json -e --where, a file changed and one gone, stderr: $(cat "$tmp/diff")"
# -m counts the lines printed: the first is b.md's; c.md is not reached.
expect_status 2 "$AWSNOTE" -f "$tmp/set.blob" -e zebra --where -m 1
[ "$(cat "$tmp/out")" = "$set_dir/b.md:3:first zebra line" ] || fail "-m 1: $(cat "$tmp/out")"
[ "$(cat "$tmp/err")" = "$(head -n 1 "$tmp/want-err")" ] || fail "-m 1, stderr: $(cat "$tmp/err")"
# -l and -c read no file (the headings' lines are in the notes): every
# section, exit 0; a.md, newer than the blob, named once as perhaps
# moved (c.md is gone: nothing to compare).
printf '%s\n' "awsnote: $set_dir/a.md: changed since the notes were compiled from it; its lines may have moved (compile them again)" >"$tmp/want-moved"
for opt in -l -c; do
	expect_status 0 "$AWSNOTE" -f "$tmp/set.blob" -e zebra --where "$opt"
	[ "$(wc -l <"$tmp/out")" = 6 ] || fail "$opt --where, files changed or gone: $(cat "$tmp/out")"
	diff -u "$tmp/want-moved" "$tmp/err" >"$tmp/diff" ||
		fail "$opt --where, files changed or gone: $(cat "$tmp/diff")"
	expect_status 0 "$AWSNOTE" -f "$tmp/set.blob" --json -e zebra --where "$opt"
	[ "$(grep -c '"source":{"file"' "$tmp/out")" = 6 ] || fail "--json $opt --where: $(cat "$tmp/out")"
	diff -u "$tmp/want-moved" "$tmp/err" >"$tmp/diff" ||
		fail "--json $opt --where, files changed or gone: $(cat "$tmp/diff")"
done
# Nothing to print from a bad file: it is not read, nothing fails.
expect_status 0 "$AWSNOTE" -f "$tmp/set.blob" -e okapi --where
[ "$(cat "$tmp/out")" = "$set_dir/b.md:10:okapi only here" ] && [ ! -s "$tmp/err" ] ||
	fail "-e okapi --where: $(cat "$tmp/out" "$tmp/err")"
expect_status 1 "$AWSNOTE" -f "$tmp/set.blob" -e gnu --where
[ -s "$tmp/out" ] || [ -s "$tmp/err" ] && fail "-e gnu --where: $(cat "$tmp/out" "$tmp/err")"
# A word changed in a.md's second section only: the first's line is
# known (compared byte for byte) and stays; from the change on a.md is
# named, once.
{ printf '# Alpha\n\nzebra in alpha one\n\n## Alpha two\n\na zebra again, edited\n'; } >"$tmp/set/a.md"
mkfifo "$tmp/set/c.md" || fail "mkfifo"
expect_status 2 timeout 20 "$AWSNOTE" -f "$tmp/set.blob" -e zebra --where
{ echo "$set_dir/a.md:3:zebra in alpha one"; cat "$tmp/b.x"; } | diff -u - "$tmp/out" >"$tmp/diff" ||
	fail "a change below a match: $(cat "$tmp/diff")"
[ "$(sed -n 1p "$tmp/err")" = "$(head -n 1 "$tmp/want-err")" ] &&
	[ "$(sed -n 2p "$tmp/err")" = "awsnote: $set_dir/c.md: not a regular file (the notes were compiled from it)" ] &&
	[ "$(wc -l <"$tmp/err")" = 2 ] || fail "a change below a match, stderr: $(cat "$tmp/err")"
rm "$tmp/set/c.md"
# A failed file is read once, not again for each of its sections.
if command -v strace >/dev/null 2>&1; then
	{ printf '\n'; cat "$tmp/set/a.md"; } >"$tmp/set/a.new"
	mv "$tmp/set/a.new" "$tmp/set/a.md"
	ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0 strace -f -e trace=openat \
		-o "$tmp/trace" "$AWSNOTE" -f "$tmp/set.blob" -e zebra --where >/dev/null 2>&1
	for f in a.md c.md; do
		[ "$(grep -c "/set/$f\"" "$tmp/trace")" = 1 ] ||
			fail "-e --where opened $f $(grep -c "/set/$f\"" "$tmp/trace") times"
	done
fi

# No line past the file's last: an empty list item ending the file,
# right after a paragraph, was line 5 of a 4-line file (the fuzzer's
# find; the blank line the reader puts before the list has none).
printf '# IAM\n\n[IAM FAQ](https://x/)\n* ' >"$tmp/end.md"
run "$AWSNOTE" -f "$tmp/end.md" -e '^' --where
[ "$(cut -d : -f 2 "$tmp/out" | tr '\n' ' ')" = "1 3 4 4 " ] ||
	fail "-e --where lines at the end of a file: $(cat "$tmp/out")"

# Many matches in a file: it is read once (strace, where there is one).
if command -v strace >/dev/null 2>&1; then
	ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0 strace -f -e trace=openat \
		-o "$tmp/trace" "$AWSNOTE" -f "$tmp/note.blob" -e tok --where >/dev/null 2>&1
	[ "$(grep -c "note.md\"" "$tmp/trace")" = 1 ] ||
		fail "-e --where opened note.md $(grep -c "note.md\"" "$tmp/trace") times"
fi

finish
