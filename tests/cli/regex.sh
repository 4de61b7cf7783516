#!/bin/sh
# -e: grep-style regex search.  Goldens for each option, counts checked
# against grep on the raw notes, keyword restriction, exit statuses, bad
# and runaway patterns, hostile notes.
. "$top_srcdir/tests/lib.sh"

ESC=$(printf '\033')

# ---- Output of each option, in a pipe (goldens) ----------------------------
expect_golden regex-sse.out "$AWSNOTE" -e 'SSE-\w+'
expect_golden regex-count.out "$AWSNOTE" -c -i -e encrypt
expect_golden regex-list.out "$AWSNOTE" -l -i -e kms
expect_golden regex-only.out "$AWSNOTE" -o -e 'SSE-\w+' -e '[0-9]+ ?MB'
expect_golden regex-context.out "$AWSNOTE" -i -C 1 -e visibility
expect_golden regex-groups.out "$AWSNOTE" -C 1 -e FIFO
[ "$(grep -c '^--$' "$tmp/out")" = 2 ] || fail "-C: '--' between groups"
expect_golden regex-after.out "$AWSNOTE" -A 2 -e 'Scan'
expect_golden regex-before.out "$AWSNOTE" -B 1 -e 'RCU'
expect_golden regex-max.out "$AWSNOTE" -i -m 3 -A 1 -e kms
expect_golden regex-word.out "$AWSNOTE" -w -e 'SQS'
expect_golden regex-fixed.out "$AWSNOTE" -F -e '(CREATE, UPDATE, DELETE)'
expect_golden regex-keywords.out "$AWSNOTE" -e TTL dynamodb
expect_golden regex-color.out "$AWSNOTE" --color=always -e 'SSE-\w+' -B 1

# ---- What a line is -------------------------------------------------------
# Plain text, as a lookup prints it: no markup, PATH: in front.
run "$AWSNOTE" -e 'x-amz-server-side-encryption'
expect_grep '^S3 > Encryption:  1\. SSE-KMS: .*"x-amz-server-side-encryption":"aws:kms"$' \
	"$tmp/out" "a line's plain text, code markup removed"
if grep -q '`\|\*\*\|\](' "$tmp/out"; then fail "markup in -e output"; fi
if grep -q "$ESC" "$tmp/out"; then fail "escapes in a pipe"; fi
# Every printed line is what the lookup of its section prints.
run "$AWSNOTE" s3 encryption
grep -F -x -e '  2. SSE-S3: Amazon S3-Managed Encryption keys. Must set header "x-amz-server-side-encryption":"AES-256"' \
	"$tmp/out" >/dev/null || fail "lookup and -e disagree on a line"
# Link destinations are not text: grep sees AmazonS3 in URLs, -e does not.
grep -q AmazonS3 "$SEED" || fail "precondition: AmazonS3 in a URL of the notes"
expect_status 1 "$AWSNOTE" -e AmazonS3
# A heading is a line of its section.
run "$AWSNOTE" -e '^Encryption$'
expect_grep '^S3 > Encryption:Encryption$' "$tmp/out" "a heading's line"

# ---- Counts agree with grep -c on the raw notes -----------------------------
# For patterns whose lines hold no link (nor does markup split a match),
# the plain text has the same matching lines as the Markdown.
count_sum() {
	"$AWSNOTE" -c "$@" | awk -F: '{ s += $NF } END { print s + 0 }'
}
for p in KMS Kinesis 'SSE-[A-Z0-9]+' '[0-9]+ ?(MB|KB|GB)' Timeout 'Read (replicas|Replica)'; do
	if grep -E "$p" "$SEED" | grep -q ']('; then
		fail "precondition: /$p/ is on a line with a link"
	fi
	expected=$(grep -cE "$p" "$SEED")
	got=$(count_sum -e "$p")
	[ "$expected" -gt 0 ] || fail "precondition: /$p/ is in the notes"
	[ "$got" = "$expected" ] || fail "-c -e '$p' sums to $got, grep -c says $expected"
	# Without -c the same number of lines.
	got=$("$AWSNOTE" -e "$p" | wc -l)
	[ "$got" = "$expected" ] || fail "-e '$p' printed $got lines, grep -c says $expected"
done
[ "$(count_sum -i -e kinesis)" = "$(grep -ci kinesis "$SEED")" ] || fail "-i counts"
[ "$(count_sum -w -e SQS)" = "$(grep -cw SQS "$SEED")" ] || fail "-w counts"
[ "$(count_sum -w -e SQS)" -lt "$(count_sum -e SQS)" ] || fail "-w counts fewer"
# A \Q left open quotes to the end of the pattern, not -w's own close.
[ "$(count_sum -w -e 'SQS\Q')" = "$(count_sum -w -e SQS)" ] || fail "-w with an open \\Q"
[ "$(count_sum -F -e 'SSE-')" = "$(grep -cF 'SSE-' "$SEED")" ] || fail "-F counts"
# Several patterns: a line counts once if any matches.
[ "$(count_sum -e KMS -e Kinesis)" = "$(grep -cE 'KMS|Kinesis' "$SEED")" ] ||
	fail "several -e count lines once"
# A pattern with newlines is one pattern a line, as grep takes it (as
# one, it could never match: no line holds a newline).
nl='
'
[ "$(count_sum -e "KMS${nl}Kinesis")" = "$(count_sum -e KMS -e Kinesis)" ] ||
	fail "-e 'KMS\nKinesis' is two patterns"
[ "$(count_sum -F -e "SSE-${nl}KMS")" = "$(grep -cF -e 'SSE-' -e KMS "$SEED")" ] ||
	fail "-F -e 'SSE-\nKMS' is two strings"
expect_status 2 "$AWSNOTE" -e "KMS${nl}("
expect_grep "^awsnote: bad pattern '\(': " "$tmp/err" "a bad line of a pattern is named alone"
many=$(i=0; while [ $i -lt 63 ]; do printf 'zq%dxj\n' $i; i=$((i + 1)); done)
expect_status 1 "$AWSNOTE" -e "${many}${nl}zzqxj"
expect_status 2 "$AWSNOTE" -e "${many}${nl}zzqxj${nl}zzqxk"
expect_grep "more than 64 patterns" "$tmp/err" "64 patterns at most, lines counted"
# "\c\" is one character, so the '|' after the group is an alternation:
# no line needs "zzzz" (a prefilter that read "\)" as an escaped ')'
# skipped every line).
[ "$(count_sum -e 'zzzz(\c\)|(Kinesis)')" = "$(grep -c Kinesis "$SEED")" ] ||
	fail "-e with \\c\\ before an alternation"
[ "$(count_sum -e 'zzzz(*MARK:()|(Kinesis)')" = "$(grep -c Kinesis "$SEED")" ] ||
	fail "-e with a verb named '(' before an alternation"
# -m stops after N matching lines in all.
[ "$("$AWSNOTE" -m 5 -e Lambda | wc -l)" = 5 ] || fail "-m 5"
[ "$(count_sum -m 5 -e Lambda)" = 5 ] || fail "-m 5 -c"
# -m 0, as grep's: nothing is read, nothing printed, status 1; the notes
# need not even exist.  Still only with -e.
expect_status 1 "$AWSNOTE" -m 0 -e Lambda
[ -s "$tmp/out" ] && fail "-m 0 printed: $(cat "$tmp/out")"
[ -s "$tmp/err" ] && fail "-m 0 said: $(cat "$tmp/err")"
expect_status 1 "$AWSNOTE" -f "$tmp/no-such.blob" -c -m 0 -e Lambda
expect_status 2 "$AWSNOTE" -m 0 lambda

# ---- Pipes into grep and sort work as users expect ----------------------------
"$AWSNOTE" -e kms -i | grep -i encrypt >"$tmp/piped" || fail "-e | grep"
[ "$(wc -l <"$tmp/piped")" -ge 3 ] || fail "-e kms | grep encrypt finds lines"
"$AWSNOTE" -o -e 'SSE-\w+' | cut -d: -f2 | sort -u >"$tmp/sorted"
[ "$(cat "$tmp/sorted")" = "SSE-C
SSE-KMS
SSE-S3" ] || fail "-o | sort -u: $(cat "$tmp/sorted")"

# ---- Keywords restrict the search to the sections they find -------------
run "$AWSNOTE" -e TTL
[ "$(wc -l <"$tmp/out")" -ge 3 ] || fail "TTL is in several sections"
run "$AWSNOTE" -e TTL dynamodb
[ "$(wc -l <"$tmp/out")" = 1 ] || fail "-e TTL dynamodb: $(cat "$tmp/out")"
# Every hit, not just the best, each as its own text: subsections too.
run "$AWSNOTE" -c -e 'RCU|WCU' dynamodb
expect_grep '^DynamoDB > Provisioned Throughput:' "$tmp/out" "a subsection hit is searched"
# A word in a section's heading brings all its subsections; a word in
# its text only the section.
printf '# Widgets\n\nAbout them.\n\n## Gears\n\nTeeth.\n\n# Tools\n\nA widget wrench.\n\n## Spanners\n\nSizes.\n' \
	>"$tmp/subtree.md"
run "$AWSNOTE" -f "$tmp/subtree.md" -l -e . widget
[ "$(cat "$tmp/out")" = "Widgets
Widgets > Gears
Tools" ] || fail "-e with a heading word: $(cat "$tmp/out")"
expect_status 1 "$AWSNOTE" -e TTL zzqxjw
expect_grep "nothing found for 'zzqxjw'" "$tmp/err" "keywords that find nothing"
# -d keeps to one document.
mkdir "$tmp/notes"
printf '# Widgets\n\nA widget frobs.\n' >"$tmp/notes/a.md"
printf '# Gadgets\n\nA widget, again.\n' >"$tmp/notes/b.md"
run "$AWSNOTE" -f "$tmp/notes" -e widget
[ "$(wc -l <"$tmp/out")" = 2 ] || fail "-e over two documents"
expect_first_line "b > Gadgets:A widget, again." "$AWSNOTE" -f "$tmp/notes" -d b -e widget
[ "$(wc -l <"$tmp/out")" = 1 ] || fail "-e -d: $(cat "$tmp/out")"

# ---- Exit statuses and errors ---------------------------------------------
expect_status 0 "$AWSNOTE" -e Lambda
expect_status 1 "$AWSNOTE" -e 'zzq[x]jw'
[ -s "$tmp/out" ] && fail "output for no match"
[ -s "$tmp/err" ] && fail "a message for no match (grep is silent)"
expect_status 1 "$AWSNOTE" -c -e 'zzqxjw'
expect_status 2 "$AWSNOTE" -e '('
[ "$(cat "$tmp/err")" = "awsnote: bad pattern '(': missing closing parenthesis at offset 1" ] ||
	fail "bad pattern message: $(cat "$tmp/err")"
[ -s "$tmp/out" ] && fail "output for a bad pattern"
expect_status 2 "$AWSNOTE" -e ok -e 'a{2,1}'
expect_grep "^awsnote: bad pattern 'a\{2,1\}': .* at offset 5$" "$tmp/err" "second pattern bad"
[ "$(wc -l <"$tmp/err")" = 1 ] || fail "one line on stderr"
expect_status 2 "$AWSNOTE" -c s3
expect_grep "^awsnote: -c \(--count\) needs -e PATTERN$" "$tmp/err" "-c without -e"
# -i alone means the shell; --ignore-case only ever means -e's option.
expect_status 2 "$AWSNOTE" --ignore-case kms
expect_grep "^awsnote: --ignore-case needs -e PATTERN$" "$tmp/err" "--ignore-case without -e"
# The option given is named, not every one that needs -e.
expect_status 2 "$AWSNOTE" -i -w s3
expect_grep "^awsnote: -w \(--word-regexp\) needs -e PATTERN$" "$tmp/err" "-w without -e"
expect_status 2 "$AWSNOTE" -C 2 s3
expect_grep "^awsnote: -A, -B or -C \(context\) needs -e PATTERN$" "$tmp/err" "-C without -e"
run "$AWSNOTE" --ignore-case -e 'SSE-KMS' -c
[ "$(cat "$tmp/out")" = "$("$AWSNOTE" -i -e 'sse-kms' -c)" ] ||
	fail "--ignore-case with -e is -i"
expect_status 2 "$AWSNOTE" -e x -k s3

# A pattern that matches empty at once but backtracks hard for anything
# longer (fuzz-query found it): -c and a plain search need only that a
# line matches, not the longer match -o would show (2 s before, spent
# looking for it on every line).
hard='"||,|||the||||(||||((((((((((a*)*)*)*)*)*)*)*)z*)*)*b"||,|||the||||||||||a(|a)d)d'
expect_status 0 timeout 10 "$AWSNOTE" -i -c -e "$hard"
[ "$(wc -l <"$tmp/out")" -gt 20 ] || fail "-i -c with a hard pattern: $(head -n 3 "$tmp/out")"
expect_status 0 timeout 10 "$AWSNOTE" -i -e "$hard"
# -o must look for the longer match: the JIT, through a copy of the
# pattern compiled anchored, gets to the match limit in milliseconds
# where the interpreter took 24 s.
expect_status 2 timeout 10 "$AWSNOTE" -i -o -e "$hard"
expect_grep "is too costly: match limit exceeded" "$tmp/err" "-o with a hard pattern"
# A runaway pattern stops at PCRE2's limits, quickly, with exit 2.
words=$(awk 'BEGIN { for (i = 0; i < 60; i++) printf "xword%d ", i }')
printf '# Runaway\n\nshort\n\n%s\n' "$words" >"$tmp/runaway.md"
expect_status 2 timeout 10 "$AWSNOTE" -f "$tmp/runaway.md" -e '(\w+\s?)+$x'
expect_grep "^awsnote: pattern '\(\\\\w\+\\\\s\?\)\+\\\$x' is too costly: match limit exceeded on line 4 of 'Runaway'$" \
	"$tmp/err" "runaway pattern message"
# Under a path of 600 bytes the message names the section whole or, too
# long for one message, cut visibly: its start and its end around "..."
# (the path was cut silently at 256 bytes, its section lost).
long=$(awk 'BEGIN { for (i = 0; i < 100; i++) printf "t%03d ", i }')
printf '# Top %sendmark\n\n## Runaway\n\nshort\n\n%s\n' "$long" "$words" \
	>"$tmp/runaway-deep.md"
expect_status 2 timeout 10 "$AWSNOTE" -f "$tmp/runaway-deep.md" -e '(\w+\s?)+$x'
expect_grep "^awsnote: pattern .* on line 4 of 'Top t000 t001 .*\.\.\..* t099 endmark > Runaway'$" \
	"$tmp/err" "runaway pattern message, a long path"
# With -i and -w too; on short lines the same pattern is harmless.
expect_status 2 timeout 10 "$AWSNOTE" -f "$tmp/runaway.md" -i -w -e '(\w+\s?)+$x'
printf '# Short\n\nfew words here\n' >"$tmp/short.md"
expect_status 1 timeout 10 "$AWSNOTE" -f "$tmp/short.md" -e '(\w+\s?)+$x'

# Hostile notes: invalid UTF-8 and controls are shown as U+FFFD.
printf '# Bad\n\nab\377cd \033[31m red\n' >"$tmp/bad.md"
expect_status 0 "$AWSNOTE" -f "$tmp/bad.md" -e 'b.c'
[ "$(cat "$tmp/out")" = "Bad:ab$(printf '\357\277\275')cd $(printf '\357\277\275')[31m red" ] ||
	fail "hostile line: $(od -c "$tmp/out" | head -3)"
iconv -f UTF-8 -t UTF-8 "$tmp/out" >/dev/null 2>&1 || fail "invalid UTF-8 printed"
# A table row's empty last cell keeps its " | " (blanks at the end of
# other lines are dropped).
printf '# T\n\n| a | b |\n|---|---|\n| x |   |\n\nend  \n' >"$tmp/cells.md"
expect_status 0 "$AWSNOTE" -f "$tmp/cells.md" -e ' \| $'
[ "$(cat "$tmp/out")" = "T:x | " ] || fail "empty last cell: '$(cat "$tmp/out")'"
expect_status 1 "$AWSNOTE" -f "$tmp/cells.md" -e 'end $'
# A blank line inside a quote is empty to the search, whether the
# pattern has a literal that lets lines be skipped ('> >') or not.
printf '# T\n\n> > first\n> >\n> > second\n' >"$tmp/nested.md"
for p in '^> >$' '^>\s>$' '>$'; do
	expect_status 1 "$AWSNOTE" -f "$tmp/nested.md" -e "$p"
done
expect_status 0 "$AWSNOTE" -f "$tmp/nested.md" -c -e '^$'
[ "$(cat "$tmp/out")" = "T:1" ] || fail "a quoted blank is empty: $(cat "$tmp/out")"
# As a context line it shows its mark, as the lookup prints it.
printf '# T\n\n> first\n>\n> second\n' >"$tmp/quote.md"
expect_status 0 "$AWSNOTE" -f "$tmp/quote.md" -e second -B2
[ "$(cat "$tmp/out")" = "T-> first
T->
T:> second" ] || fail "quoted blank as context: $(cat "$tmp/out")"
# So are the characters that reorder a line on the screen (bidi
# overrides, embeddings, isolates) and the line separators, in every mode.
rlo=$(printf '\342\200\256') pdf=$(printf '\342\200\254')
lri=$(printf '\342\201\246') lsep=$(printf '\342\200\250')
printf '# Bidi %s head

abc %s evil %s def %s iso x%sy
' \
	"$rlo" "$rlo" "$pdf" "$lri" "$lsep" >"$tmp/bidi.md"
for mode in "-e evil" "-e evil --color=always" "bidi" "bidi --color=always --no-pager" "-k evil" "-l"; do
	# shellcheck disable=SC2086
	expect_status 0 "$AWSNOTE" -f "$tmp/bidi.md" $mode
	if grep -q "$rlo\|$pdf\|$lri\|$lsep" "$tmp/out"; then
		fail "awsnote $mode printed a bidi control: $(od -c "$tmp/out" | head -3)"
	fi
	grep -q "$(printf '\357\277\275')" "$tmp/out" || fail "awsnote $mode: no U+FFFD"
done

# ---- On a terminal's terms: headings, highlights ---------------------------
run "$AWSNOTE" --color=always -e 'SSE-\w+'
expect_grep "^${ESC}\[1;35mS3 > Encryption${ESC}\[0m$" "$tmp/out" "section heading"
expect_grep "${ESC}\[1;31mSSE-KMS${ESC}\[0m" "$tmp/out" "match in bold red"
run env NO_COLOR=1 "$AWSNOTE" -e 'SSE-\w+'
if grep -q "$ESC" "$tmp/out"; then fail "NO_COLOR in a pipe"; fi
finish
