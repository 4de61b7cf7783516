#!/bin/sh
# Where a section is written: --where prints FILE:LINE of its heading
# (with -k or -l, FILE:LINE:PATH a section), --json --where adds
# "source", and the shell's :where and :edit; the file is the real
# path of the Markdown as compiled, the line counted as grep -n counts.
. "$top_srcdir/tests/lib.sh"

seed_file=$(cd "$top_srcdir/share" && pwd -P)/aws-developer-associate.md
# line HEADING FILE: the line grep -n gives the heading line HEADING.
line() { grep -n -x -F -- "$1" "$2" | head -n 1 | cut -d: -f1; }

# The seed: the best match's heading, checked against grep -n.
for q in "dynamodb streams|### Streams" "lambda concurrency|### Concurrency" \
	"cognito|## Cognito"; do
	words=${q%%|*} heading=${q#*|}
	n=$(line "$heading" "$SEED")
	[ -n "$n" ] || fail "no '$heading' in the seed"
	expect_first_line "$seed_file:$n" "$AWSNOTE" --where $words
	[ "$(wc -l <"$tmp/out")" = 1 ] || fail "--where $words: more than a line"
done
# ... -n N: the N-th match's.
run "$AWSNOTE" -k lambda concurrency
second=$(sed -n 2p "$tmp/out" | sed 's/ - .*//')
run "$AWSNOTE" -k --where lambda concurrency
[ "$(sed -n 2p "$tmp/out" | cut -d: -f3-)" = "$second" ] ||
	fail "-k --where's second line is not -k's: $(sed -n 2p "$tmp/out")"
expect_first_line "$(sed -n 2p "$tmp/out" | cut -d: -f1-2)" \
	"$AWSNOTE" --where -n 2 lambda concurrency
# -k --where: one line a hit, in -k's order, each FILE:LINE:PATH.
run "$AWSNOTE" -k kms
sed 's/ - .*//' "$tmp/out" >"$tmp/k.paths"
run "$AWSNOTE" -k --where kms
cut -d: -f3- "$tmp/out" | cmp -s - "$tmp/k.paths" ||
	fail "-k --where lists other sections than -k: $(head -c 300 "$tmp/out")"
while IFS=: read -r f n p; do
	[ "$f" = "$seed_file" ] || fail "-k --where: file $f"
	title=${p##* > }
	sed -n "${n}p" "$SEED" | grep -q -F -- "$title" ||
		fail "-k --where: line $n of the seed is not '$title'"
done <"$tmp/out"
# -l --where: every section; with words, the outline of the best match.
"$AWSNOTE" -l >"$tmp/l.paths"
run "$AWSNOTE" -l --where
cut -d: -f3- "$tmp/out" | cmp -s - "$tmp/l.paths" ||
	fail "-l --where lists other sections than -l: $(head -c 300 "$tmp/out")"
cut -d: -f2 "$tmp/out" >"$tmp/l.lines"
for n in $(grep -n '^#' "$SEED" | cut -d: -f1); do
	grep -q -x "$n" "$tmp/l.lines" || fail "-l --where: no section at line $n"
done
expect_first_line "$seed_file:$(line '# S3' "$SEED"):S3" "$AWSNOTE" -l --where s3
# --json --where: "source"; --json alone has none (and reads no record).
run "$AWSNOTE" --json --where cognito
expect_grep "\"source\":\\{\"file\":\"$seed_file\",\"line\":$(line '## Cognito' "$SEED")\\}" \
	"$tmp/out" "--json --where"
run "$AWSNOTE" --json -k --where kms
[ "$(grep -c '"source":{"file":' "$tmp/out")" = "$(wc -l <"$tmp/out")" ] ||
	fail "--json -k --where: a hit without source"
run "$AWSNOTE" --json -l --where s3
[ "$(grep -c '"source":{"file":' "$tmp/out")" = "$(wc -l <"$tmp/out")" ] ||
	fail "--json -l --where: a section without source"
run "$AWSNOTE" --json cognito
grep -q '"source"' "$tmp/out" && fail "--json without --where has a source"
# Not with the shell's options (with -e, see grep-where.sh).
expect_status 2 "$AWSNOTE" --where -i
expect_grep "^awsnote: --where cannot be combined" "$tmp/err" "--where -i"

# Notes of my own: CRLF and front matter, a setext heading (its text's
# line, not the underline's), a BOM, a fenced '#', a heading in a quote
# (no section), empty headings, a .markdown in a directory, and a file
# given by a name without either suffix.
mkdir -p "$tmp/notes/sub"
printf -- '---\r\ntitle: x\r\nfoo: bar\r\n---\r\nIntro alphaone\r\n\r\n# Alpha heading\r\nbody\r\n\r\nBeta setext\r\nline two\r\n==========\r\nbetaone body\r\n\r\n#\r\nzetaone body\r\n' \
	>"$tmp/notes/crlf.md"
printf '\357\273\277Preamble gammaone\n\nGamma Title\n-----------\n\n```\n# not a heading\n```\n\n## Delta\n> # quoted heading\n\n##\n\nepsilonone\n' \
	>"$tmp/notes/sub/bom.markdown"
# Headings without text after others (md4c gives no position but
# through text): an image alone, then an HTML comment, then an empty one.
printf 'Top <a name="top"></a>\n\n# First &amp; one\n\ntext\n\n# ![](x.png)\n\nimgbody words\n\n<!-- c -->\n\n##\n\nemptyhead words\n\n# <a name="n2"></a> Named\n\nnamedbody\n' \
	>"$tmp/notes/textless.md"
# TOML front matter (Hugo's "+++") is skipped as YAML's is.
printf '+++\ntitle = "x"\n+++\n\n# Omega heading\n\nomegaone\n' >"$tmp/notes/toml.md"
notes=$(cd "$tmp/notes" && pwd -P)
for q in "alphaone|crlf.md:1" "alpha heading|crlf.md:7" "betaone|crlf.md:10" \
	"omegaone|toml.md:5" \
	"zetaone|crlf.md:15" "gammaone|sub/bom.markdown:1" \
	"gamma title|sub/bom.markdown:3" "delta|sub/bom.markdown:10" \
	"epsilonone|sub/bom.markdown:13" "first one|textless.md:3" \
	"imgbody|textless.md:7" "emptyhead|textless.md:13" \
	"namedbody|textless.md:17"; do
	expect_first_line "$notes/${q#*|}" "$AWSNOTE" -f "$tmp/notes" --where ${q%%|*}
done
# ... from another directory, by a relative path: the real path.
run sh -c 'cd "$1" && "$2" -f notes --where alpha heading' sh "$tmp" "$AWSNOTE"
[ "$(cat "$tmp/out")" = "$notes/crlf.md:7" ] || fail "-f by a relative path: $(cat "$tmp/out")"
cp "$tmp/notes/crlf.md" "$tmp/plain"
run "$AWSNOTE" -f "$tmp/plain" --where alpha heading
[ "$(cat "$tmp/out")" = "$(cd "$tmp" && pwd -P)/plain:7" ] ||
	fail "a file without a suffix: $(cat "$tmp/out")"
# 10,000 lines before a heading.
seq 1 10000 | sed 's/^/line /' >"$tmp/long.md"
printf '# Far heading\n\nfarword\n' >>"$tmp/long.md"
expect_first_line "$(cd "$tmp" && pwd -P)/long.md:10001" "$AWSNOTE" -f "$tmp/long.md" --where farword

# A blob of awsnote-index: the files as they were, by absolute paths,
# printed from anywhere, and still printed once they are gone.
"$AWSNOTE_INDEX" -o "$tmp/mine.blob" "$tmp/notes" >/dev/null 2>&1 ||
	fail "awsnote-index of my notes"
run sh -c 'cd / && "$1" -f "$2" --where delta' sh "$AWSNOTE" "$tmp/mine.blob"
[ "$(cat "$tmp/out")" = "$notes/sub/bom.markdown:10" ] || fail "a blob: $(cat "$tmp/out") $(cat "$tmp/err")"
mv "$tmp/notes" "$tmp/moved"
expect_first_line "$notes/sub/bom.markdown:10" "$AWSNOTE" -f "$tmp/mine.blob" --where delta
mv "$tmp/moved" "$tmp/notes"

# A blob without the record (written before it: the table's type made
# one no reader knows) or with it damaged: one line naming the blob,
# exit 2; lookups go on as before.
MUTATE=$top_builddir/tests/fuzz/fuzz-mutate
if [ -x "$MUTATE" ]; then
	"$MUTATE" retype "$tmp/mine.blob" "$tmp/old.blob" 20 63 || fail "fuzz-mutate retype"
	expect_status 2 "$AWSNOTE" -f "$tmp/old.blob" --where delta
	[ "$(cat "$tmp/err")" = "awsnote: $tmp/old.blob: no record of the files its notes were read from (built before awsnote had one); rebuild it with awsnote-index" ] ||
		fail "a blob without ORIGINS: $(cat "$tmp/err")"
	[ -s "$tmp/out" ] && fail "a blob without ORIGINS: output $(cat "$tmp/out")"
	expect_status 2 "$AWSNOTE" -f "$tmp/old.blob" --json --where delta
	expect_status 0 "$AWSNOTE" -f "$tmp/old.blob" delta
	# ... among other notes: a listing fails whole, not half way; a
	# lookup whose sections all have the record does not fail.
	for mode in -l "--json -l"; do
		# shellcheck disable=SC2086
		expect_status 2 "$AWSNOTE" -f "$tmp/mine.blob" -f "$tmp/old.blob" \
			--where $mode
		[ -s "$tmp/out" ] && fail "--where $mode with an old blob among others printed $(head -c 200 "$tmp/out")"
	done
	expect_first_line "$notes/crlf.md:7" "$AWSNOTE" -f "$tmp/mine.blob" -f "$tmp/old.blob" -d crlf --where alpha heading
	# A root of length 0 (notes a program gave as bytes): no file to
	# print, said before anything is; --json gives the line alone.
	"$AWSNOTE_INDEX" -o "$tmp/two.blob" "$tmp/notes/sub" "$tmp/long.md" >/dev/null 2>&1 ||
		fail "awsnote-index of two paths"
	"$MUTATE" put32 "$tmp/two.blob" "$tmp/nodir.blob" 20 36 0 || fail "fuzz-mutate put32"
	expect_status 2 "$AWSNOTE" -f "$tmp/nodir.blob" -l --where
	[ -s "$tmp/out" ] && fail "a root without a directory: -l --where printed $(head -c 200 "$tmp/out")"
	expect_grep ': the notes do not say which file it was read from$' "$tmp/err" "a root without a directory"
	expect_status 0 "$AWSNOTE" -f "$tmp/nodir.blob" --json --where farword
	expect_grep '"source":\{"line":10001\}' "$tmp/out" "--json --where without a directory"
	"$MUTATE" put32 "$tmp/mine.blob" "$tmp/bad.blob" 20 0 99 || fail "fuzz-mutate put32"
	expect_status 2 "$AWSNOTE" -f "$tmp/bad.blob" -k --where delta
	[ "$(cat "$tmp/err")" = "awsnote: $tmp/bad.blob: corrupt blob (ORIGINS)" ] ||
		fail "a damaged ORIGINS: $(cat "$tmp/err")"
fi

# The cache: an edit moves the line, and the next run sees it, even
# with the file's time put back (its size is in the stamp too).  Files
# of the last seconds are not kept: these are made older.
mkdir "$tmp/cache"
find "$tmp/notes" -type f -exec touch -d '2020-01-02 03:04:05' {} +
expect_first_line "$notes/crlf.md:7" env AWSNOTE_CACHE_DIR="$tmp/cache" \
	"$AWSNOTE" -f "$tmp/notes" --where alpha heading
[ -n "$(ls "$tmp/cache")" ] || fail "nothing kept in the cache"
printf 'one\r\ntwo\r\n' | cat - "$tmp/notes/crlf.md" >"$tmp/x" && mv "$tmp/x" "$tmp/notes/crlf.md"
touch -d '2020-01-02 03:04:05' "$tmp/notes/crlf.md"
expect_first_line "$notes/crlf.md:9" env AWSNOTE_CACHE_DIR="$tmp/cache" \
	"$AWSNOTE" -f "$tmp/notes" --where alpha heading

# The shell: :where, and :edit with an editor that records its
# arguments and puts a heading of four lines above the rest.
cat >"$tmp/ed" <<'EOS'
#!/bin/sh
printf '%s\n' "$@" >"$ED_LOG"
for f; do :; done
printf '# Added heading\n\nzebrafish words\n\n' | cat - "$f" >"$f.new" && mv "$f.new" "$f"
EOS
chmod +x "$tmp/ed"
mkdir "$tmp/ed-notes"
printf 'Intro.\n\n# Kappa\n\nkappa words\n' >"$tmp/ed-notes/k.md"
ednotes=$(cd "$tmp/ed-notes" && pwd -P)
printf 'kappa\n:where\n:edit\n:where\nzebrafish\n:where\n' >"$tmp/in"
run env EDITOR="$tmp/ed" ED_LOG="$tmp/ed.log" AWSNOTE_CACHE_DIR="$tmp/cache" \
	"$AWSNOTE" -f "$tmp/ed-notes" -i <"$tmp/in"
[ "$status" = 0 ] || fail "the shell's :where and :edit: exit $status: $(cat "$tmp/err")"
printf '+3\n%s/k.md\n' "$ednotes" | cmp -s - "$tmp/ed.log" ||
	fail ":edit ran the editor with $(cat "$tmp/ed.log")"
grep -x -F "$ednotes/k.md:3" "$tmp/out" >/dev/null || fail ":where before the edit: $(cat "$tmp/out")"
grep -x -F "$ednotes/k.md:7" "$tmp/out" >/dev/null || fail ":where after the edit (the section on show kept): $(cat "$tmp/out")"
grep -x -F "$ednotes/k.md:1" "$tmp/out" >/dev/null || fail "the next lookup does not see the edit: $(cat "$tmp/out")"
# ... also where looking at the notes' files is slow (8,000 of them):
# a script's shell then looks only now and then, but not right after
# :edit.
mkdir "$tmp/many"
awk -v d="$tmp/many" 'BEGIN { for (i = 0; i < 8000; i++) {
	f = sprintf("%s/n%04d.md", d, i); printf "# Note %d\n\nw%d\n", i, i > f; close(f) } }'
printf 'Intro.\n\n# Kappa\n\nkappa words\n' >"$tmp/many/k.md"
printf 'kappa\n:edit\n:where\n' >"$tmp/in"
run env EDITOR="$tmp/ed" ED_LOG="$tmp/ed.log" "$AWSNOTE" -f "$tmp/many" -i <"$tmp/in"
grep -x -F "$(cd "$tmp/many" && pwd -P)/k.md:7" "$tmp/out" >/dev/null ||
	fail ":where after :edit over 8,000 notes: $(tail -n 3 "$tmp/out") $(cat "$tmp/err")"
# $VISUAL before $EDITOR; the editor's command split at blanks.
printf 'kappa\n:edit\n' >"$tmp/in"
run env VISUAL="$tmp/ed -x" EDITOR=false ED_LOG="$tmp/ed.log" "$AWSNOTE" -f "$tmp/ed-notes" -i <"$tmp/in"
printf -- '-x\n+7\n%s/k.md\n' "$ednotes" | cmp -s - "$tmp/ed.log" ||
	fail ":edit with VISUAL: $(cat "$tmp/ed.log")"
# A file gone: said in one line, no editor.
"$AWSNOTE_INDEX" -o "$tmp/ed.blob" "$tmp/ed-notes" >/dev/null 2>&1 || fail "awsnote-index"
rm "$tmp/ed-notes/k.md" "$tmp/ed.log"
printf 'kappa\n:edit\n:where\n' >"$tmp/in"
run env EDITOR="$tmp/ed" ED_LOG="$tmp/ed.log" "$AWSNOTE" -f "$tmp/ed.blob" -i <"$tmp/in"
[ "$status" = 2 ] || fail ":edit of a file gone: exit $status"
[ "$(cat "$tmp/err")" = "awsnote: $ednotes/k.md: No such file or directory (the notes were compiled from it)" ] ||
	fail ":edit of a file gone: $(cat "$tmp/err")"
[ -e "$tmp/ed.log" ] && fail ":edit ran the editor on a file gone"
grep -x -F "$ednotes/k.md:11" "$tmp/out" >/dev/null || fail ":where of a file gone: $(cat "$tmp/out")"
# An editor that cannot be run.
printf 'Intro.\n' >"$tmp/ed-notes/k.md"
printf 'intro\n:edit\n' >"$tmp/in"
run env EDITOR="$tmp/no-such-editor" "$AWSNOTE" -f "$tmp/ed-notes" -i <"$tmp/in"
expect_grep "^awsnote: the editor '$tmp/no-such-editor' cannot be run: No such file" "$tmp/err" ":edit without an editor"
# An editor that fails (vi's :cq) is said, and a script's shell exits 2;
# the notes are still looked at (it may have saved first).
printf '#!/bin/sh\nprintf "\\n# Saved\\n\\nsaved words\\n" >>"$2"\nexit 3\n' >"$tmp/ed-fail"
chmod +x "$tmp/ed-fail"
printf 'intro\n:edit\nsaved\n' >"$tmp/in"
run env EDITOR="$tmp/ed-fail" "$AWSNOTE" -f "$tmp/ed-notes" -i <"$tmp/in"
[ "$status" = 2 ] || fail ":edit with a failing editor: exit $status"
[ "$(cat "$tmp/err")" = "awsnote: the editor '$tmp/ed-fail' exited with status 3" ] ||
	fail ":edit with a failing editor: $(cat "$tmp/err")"
grep -qx "Saved" "$tmp/out" || fail ":edit with a failing editor, the save not seen: $(cat "$tmp/out")"
# Without a section on show.
printf ':where\n' >"$tmp/in"
run "$AWSNOTE" -i <"$tmp/in"
[ "$status" = 1 ] || fail ":where before a lookup: exit $status"

# A file edited after its blob was written: --where gives the line the
# blob records, and says once (for a file's run of sections) that it
# may have moved; exit 0.  Not for notes compiled from the file itself.
mkdir "$tmp/aged"
printf '# One\n\nalpha\n\n# Two\n\nbeta\n' >"$tmp/aged/n.md"
expect_status 0 "$AWSNOTE_INDEX" -q -o "$tmp/aged/n.blob" "$tmp/aged/n.md"
aged=$(cd "$tmp/aged" && pwd -P)/n.md
touch -d '2020-01-02' "$tmp/aged/n.blob"
touch -d '2020-01-01' "$tmp/aged/n.md"
expect_first_line "$aged:5" "$AWSNOTE" -f "$tmp/aged/n.blob" --where beta
[ -s "$tmp/err" ] && fail "an older file said to be newer: $(cat "$tmp/err")"
printf '# Zero\n\nnew\n\n# One\n\nalpha\n\n# Two\n\nbeta\n' >"$tmp/aged/n.md"
moved="awsnote: $aged: changed since the notes were compiled from it; its lines may have moved (compile them again)"
expect_first_line "$aged:5" "$AWSNOTE" -f "$tmp/aged/n.blob" --where beta
[ "$(cat "$tmp/err")" = "$moved" ] || fail "--where, a file edited since: $(cat "$tmp/err")"
expect_status 0 "$AWSNOTE" -f "$tmp/aged/n.blob" --where -l
[ "$(wc -l <"$tmp/out")" = 2 ] && [ "$(cat "$tmp/err")" = "$moved" ] ||
	fail "-l --where, a file edited since: $(cat "$tmp/out" "$tmp/err")"
expect_status 0 "$AWSNOTE" -f "$tmp/aged/n.blob" --where --json beta
[ "$(cat "$tmp/err")" = "$moved" ] || fail "--json --where, a file edited since: $(cat "$tmp/err")"
expect_first_line "$aged:9" "$AWSNOTE" -f "$tmp/aged/n.md" --where beta
[ -s "$tmp/err" ] && fail "--where on the Markdown itself: $(cat "$tmp/err")"
# The shell looks again at each line: a file :edit changed is seen.
touch -d '2020-01-01' "$tmp/aged/n.md"
printf '#!/bin/sh\necho >>"$2"\n' >"$tmp/ed-append"
chmod +x "$tmp/ed-append"
printf 'beta\n:where\n:edit\n:where\n' >"$tmp/in"
run env EDITOR="$tmp/ed-append" "$AWSNOTE" -f "$tmp/aged/n.blob" -i <"$tmp/in"
[ "$status" = 0 ] && [ "$(cat "$tmp/err")" = "$moved" ] ||
	fail "the shell's :where after :edit of a blob's file: exit $status: $(cat "$tmp/err")"

# awsnote-index --source-dir: the notes named below the directory given
# (a '/' at its end dropped), for a blob installed apart from them;
# several paths all below it; a relative directory refused.
mkdir -p "$tmp/src/sub"
printf '# Alpha\n\ntext\n' >"$tmp/src/a.md"
printf 'intro\n\n## Beta\n' >"$tmp/src/sub/b.md"
printf '# Gamma\n' >"$tmp/g.markdown"
expect_status 0 "$AWSNOTE_INDEX" -q --source-dir=/opt/notes/ -o "$tmp/sd.blob" \
	"$tmp/src" "$tmp/g.markdown"
run "$AWSNOTE" -f "$tmp/sd.blob" -l --where
printf '%s\n' "/opt/notes/a.md:1:a > Alpha" \
	"/opt/notes/sub/b.md:1:sub/b" "/opt/notes/sub/b.md:3:sub/b > Beta" \
	"/opt/notes/g.markdown:1:g > Gamma" | cmp -s - "$tmp/out" ||
	fail "--source-dir: $(cat "$tmp/out")"
expect_status 0 "$AWSNOTE_INDEX" -q --source-dir / -o "$tmp/sd.blob" "$tmp/src/a.md"
expect_first_line "/a.md:1" "$AWSNOTE" -f "$tmp/sd.blob" --where alpha
expect_status 2 "$AWSNOTE_INDEX" --source-dir=opt -o "$tmp/sd2.blob" "$tmp/src"
expect_grep "^awsnote-index: --source-dir wants an absolute directory, not 'opt'$" \
	"$tmp/err" "a relative --source-dir"
[ -e "$tmp/sd2.blob" ] && fail "a relative --source-dir wrote a blob"

finish
