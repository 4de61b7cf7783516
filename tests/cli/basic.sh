#!/bin/sh
# Options, exit statuses and output modes of a plain lookup.
. "$top_srcdir/tests/lib.sh"

expect_status 0 "$AWSNOTE" --help
expect_grep '^Usage: awsnote' "$tmp/out" "--help prints usage on stdout"
for opt in --apropos --list --nth --file --color --no-pager --width; do
	expect_grep "$opt" "$tmp/out" "--help documents $opt"
done
expect_status 0 "$AWSNOTE" --version
expect_grep '^awsnote [0-9]' "$tmp/out" "--version"

# Bad command lines: usage on stderr, exit 2.
expect_status 2 "$AWSNOTE" --bogus s3
expect_grep "unrecognized option|invalid option" "$tmp/err" "unknown option named"
# getopt's messages begin "awsnote:" as ours do, though run by its path.
expect_grep "^awsnote: unrecognized option '--bogus'" "$tmp/err" "getopt names the program"
expect_status 2 "$AWSNOTE" -x
expect_grep "^awsnote: invalid option -- 'x'" "$tmp/err" "getopt names the program"
expect_grep "awsnote --help" "$tmp/err" "hint at --help"
expect_status 2 "$AWSNOTE" -f
expect_status 2 "$AWSNOTE" -n 0 s3
expect_status 2 "$AWSNOTE" -n x s3
# Digits only: not the blanks and signs strtoul also takes.
for n in " 2" "+2" "-2" "2 " ""; do
	expect_status 2 "$AWSNOTE" -n "$n" s3
	grep -Fq "awsnote: invalid count for -n '$n'" "$tmp/err" ||
		fail "-n '$n': $(cat "$tmp/err")"
done
expect_status 2 "$AWSNOTE" --color=sometimes s3
# An argument shown in a message never carries escapes to the terminal.
expect_status 2 "$AWSNOTE" --width="$(printf '4\033[2J')" s3
expect_grep "^awsnote: invalid width '4.*\[2J'" "$tmp/err" "bad width named"
grep -q "$(printf '\033')" "$tmp/err" && fail "an escape in --width's message"
expect_status 2 "$AWSNOTE" --color="$(printf '\033[2J')" s3
grep -q "$(printf '\033')" "$tmp/err" && fail "an escape in --color's message"
# ... nor an option getopt does not know, short or long; getopt's own
# message stays when the arguments are plain.
esc=$(printf '\033')
for bad in "-$esc[2J" "--$esc[2J" "--json=$esc[2J" "--co$esc"; do
	expect_status 2 "$AWSNOTE" "$bad" s3
	grep -q "$esc" "$tmp/err" && fail "an escape in the message for $bad"
	expect_grep "option" "$tmp/err" "a message for a bad option"
done
expect_status 2 "$AWSNOTE" -e "-$esc" --co
expect_grep "^awsnote: unrecognized option '--co'" "$tmp/err" "--co among hostile arguments"
expect_status 2 "$AWSNOTE" --co
expect_grep "^awsnote: option '--co' is ambiguous" "$tmp/err" "getopt's own message"
expect_status 2 "$AWSNOTE_INDEX" "-$esc[2J"
grep -q "$esc" "$tmp/err" && fail "an escape in awsnote-index's message"
# An escape far into a long option is still seen.
long=--$(printf '%070d' 0)
expect_status 2 "$AWSNOTE" "$long$esc[2J" s3
grep -q "$esc" "$tmp/err" && fail "an escape after 64 bytes of an option"
expect_status 2 "$AWSNOTE_INDEX" "$long$esc[2J"
grep -q "$esc" "$tmp/err" && fail "an escape after 64 bytes, awsnote-index"
# ... and after a "--" that is an option's argument, not the end of
# the options.
expect_status 2 "$AWSNOTE" -e -- "--$esc[2J" s3
grep -q "$esc" "$tmp/err" && fail "an escape after -e --"
expect_status 2 "$AWSNOTE_INDEX" -o -- "--$esc[2J"
grep -q "$esc" "$tmp/err" && fail "an escape after -o --"
# A byte past 0x7f as a short option is named as itself.
expect_status 2 "$AWSNOTE" "-$(printf '\377')k" s3
expect_grep "^awsnote: invalid option -- '$(printf '\357\277\275')'" \
	"$tmp/err" "an invalid byte named as the option"
expect_status 2 "$AWSNOTE"
expect_grep "no words" "$tmp/err" "no query"
# Short, as grep's: the synopsis and where the help is, not all of it.
expect_grep "^Try 'awsnote --help'" "$tmp/err" "no query points to --help"
[ "$(wc -l <"$tmp/err")" -le 5 ] ||
	fail "no query: $(wc -l <"$tmp/err") lines of usage"

# ---- long options after the words ----------------------------------------
# An argument "--NAME" after the first word is an option, as if given
# before the words; "--" ends the options; "-word" stays an exclusion.
run "$AWSNOTE" --json s3 encryption
cp "$tmp/out" "$tmp/want"
expect_status 0 "$AWSNOTE" s3 encryption --json
cmp -s "$tmp/want" "$tmp/out" || fail "s3 encryption --json: $(head -c 200 "$tmp/out")"
expect_grep '^\{"type":"section","path":\["S3","Encryption"\]' "$tmp/out" "--json after the words"
# The same getopt reads it: an abbreviation, an argument attached or in
# the next word, options after options and between words.
expect_status 0 "$AWSNOTE" s3 --js encryption
cmp -s "$tmp/want" "$tmp/out" || fail "s3 --js encryption: $(head -c 200 "$tmp/out")"
printf '# Widgets\n\nA widget frobs.\n\n## Sprockets\n\nTeeth.\n' >"$tmp/w.md"
printf '# Valves\n\n## Sprockets\n\nTeeth too.\n' >"$tmp/v.md"
expect_first_line "Widgets > Sprockets" "$AWSNOTE" sprocket --file "$tmp/w.md"
expect_first_line "Widgets > Sprockets" "$AWSNOTE" sprocket --file="$tmp/w.md" --no-pager
expect_first_line "v > Valves > Sprockets" "$AWSNOTE" -f "$tmp/w.md" sprocket \
	--file "$tmp/v.md" teeth --doc v
run "$AWSNOTE" --width 40 s3 encryption
cp "$tmp/out" "$tmp/want"
expect_status 0 "$AWSNOTE" s3 encryption --width 40
cmp -s "$tmp/want" "$tmp/out" || fail "--width 40 after the words: $(head -c 200 "$tmp/out")"
run "$AWSNOTE" -k kms
cp "$tmp/out" "$tmp/want"
expect_status 0 "$AWSNOTE" kms --apropos
cmp -s "$tmp/want" "$tmp/out" || fail "kms --apropos is not -k kms"
run "$AWSNOTE" -c -e SSE-KMS s3
cp "$tmp/out" "$tmp/want"
expect_status 0 "$AWSNOTE" s3 --regex SSE-KMS --count
cmp -s "$tmp/want" "$tmp/out" || fail "s3 --regex SSE-KMS --count: $(head -c 200 "$tmp/out")"
expect_status 0 "$AWSNOTE" s3 --help
expect_grep '^Usage: awsnote' "$tmp/out" "--help after the words"
printf 'sqs\n' | "$AWSNOTE" lambda --shell >"$tmp/out" 2>"$tmp/err" ||
	fail "lambda --shell: $(head -c 200 "$tmp/err")"
expect_grep '^Lambda$' "$tmp/out" "--shell after the words looks them up first"
expect_grep '^Messaging > Simple Queue Service SQS$' "$tmp/out" "--shell after the words"
# Checked as before the words: a combination, a missing argument.
expect_status 2 "$AWSNOTE" lambda --shell --json
expect_status 2 "$AWSNOTE" s3 --file
expect_grep "^awsnote: option '--file' requires an argument" "$tmp/err" "--file last"
expect_status 2 "$AWSNOTE" s3 --json=yes
# "--" ends the options, before the words or after them.
expect_first_line "$("$AWSNOTE" json | head -n 1)" "$AWSNOTE" -- --json
expect_first_line "$("$AWSNOTE" s3 json | head -n 1)" "$AWSNOTE" s3 -- --json
grep -q '^{' "$tmp/out" && fail "s3 -- --json printed JSON"
expect_first_line "Lambda > Invocations" "$AWSNOTE" lambda -- --invocation-type
# An unknown or ambiguous long option is an error after the words too,
# with a hint for who meant a word.
expect_status 2 "$AWSNOTE" s3 --bogus
[ -s "$tmp/out" ] && fail "output for s3 --bogus"
expect_grep "^awsnote: unrecognized option '--bogus'" "$tmp/err" "--bogus after the words"
expect_grep "^awsnote: to look up '--bogus' as a word, put -- before it" "$tmp/err" "hint at --"
expect_status 2 "$AWSNOTE" s3 --co
expect_grep "^awsnote: option '--co' is ambiguous" "$tmp/err" "--co after the words"
# Single-dash arguments after the first word are words: exclusions, not
# options.
expect_status 0 "$AWSNOTE" -k encryption
expect_grep 'KMS' "$tmp/out" "-k encryption lists KMS"
expect_status 0 "$AWSNOTE" -k encryption -kms
grep -q 'KMS' "$tmp/out" && fail "-k encryption -kms lists KMS"
expect_status 0 "$AWSNOTE" -k encryption -kms --json
grep -q 'KMS' "$tmp/out" && fail "-k encryption -kms --json lists KMS"
expect_grep '^\{"type":"hit",' "$tmp/out" "-k ... --json"
run "$AWSNOTE" -- s3 encryption -k -e x
cp "$tmp/out" "$tmp/want"
expect_status 0 "$AWSNOTE" s3 encryption -k -e x
cmp -s "$tmp/want" "$tmp/out" || fail "-k -e after the words are not words"
expect_grep '^S3 > Encryption$' "$tmp/out" "s3 encryption -k -e x"
# ... which grep's users, whose getopt permutes, take for options: one
# that spells an option letter by itself is an exclusion still, with a
# line on stderr saying so, unless -- said the words go on.
expect_first_line "S3 > Encryption" "$AWSNOTE" s3 encryption -k
expect_grep "^awsnote: '-k' after the words excludes sections holding 'k'; options go before the words \('-- -k' says the exclusion is meant\)$" \
	"$tmp/err" "a note for -k after the words"
[ "$(wc -l <"$tmp/err")" = 1 ] || fail "one line for -k after the words"
expect_status 0 "$AWSNOTE" -e TTL dynamodb -i
expect_grep "^awsnote: '-i' after the words" "$tmp/err" "a note for -i after -e's words"
expect_first_line "S3 > Encryption" "$AWSNOTE" s3 encryption -- -k
[ -s "$tmp/err" ] && fail "a note for -k after --: $(cat "$tmp/err")"
for quiet in "-k encryption -kms" "-- s3 -k" "--verify s3 -k"; do
	# shellcheck disable=SC2086 # the words, split
	run "$AWSNOTE" $quiet
	[ -s "$tmp/err" ] && fail "a note for awsnote $quiet: $(cat "$tmp/err")"
done
run "$AWSNOTE" -i s3 -k </dev/null
[ -s "$tmp/err" ] && fail "a note for the shell's first line: $(cat "$tmp/err")"
# Escapes in an option after the words stay off the terminal, and
# getopt's own message stays when the arguments are plain.
for bad in "--$esc[2J" "--json=$esc[2J" "--co$esc" "--width=4$esc[2J"; do
	expect_status 2 "$AWSNOTE" s3 "$bad"
	grep -q "$esc" "$tmp/err" && fail "an escape in the message for s3 $bad"
	expect_grep "option|width" "$tmp/err" "a message for s3 $bad"
done
expect_status 2 "$AWSNOTE" s3 "-$esc" --bogus
grep -q "$esc" "$tmp/err" && fail "an escape in the message for s3 -ESC --bogus"
expect_grep "^awsnote: unrecognized option '--bogus'" "$tmp/err" "--bogus among hostile words"
expect_status 0 "$AWSNOTE" s3 encryption "-$esc" --json
expect_grep '^\{"type":"section"' "$tmp/out" "--json after a hostile exclusion"

# The uninstalled binary finds the blob of its build tree.
expect_first_line "S3 > Encryption" "$AWSNOTE" s3 encryption
[ "$status" = 0 ] || fail "lookup exit $status"
# ... however it was run: from elsewhere, by name through PATH, through
# a symbolic link (the name it was run by is then not its directory).
bindir=$(cd "$(dirname "$AWSNOTE")" && pwd)
mkdir -p "$tmp/bin"
ln -s "$bindir/awsnote" "$tmp/bin/awsnote-link"
expect_first_line "S3 > Encryption" sh -c 'cd / && "$1" s3 encryption' sh \
	"$bindir/awsnote"
expect_first_line "S3 > Encryption" env PATH="$bindir:$PATH" awsnote s3 encryption
expect_first_line "S3 > Encryption" "$tmp/bin/awsnote-link" s3 encryption
# In a pipe: no escapes, the section's own text, then its subsections.
if grep -q "$(printf '\033')" "$tmp/out"; then fail "escape codes in a pipe"; fi
expect_grep "SSE-KMS: KMS-Managed Encryption keys" "$tmp/out" "section body"
if grep -q '\*\*' "$tmp/out"; then fail "markdown markup in plain output"; fi

expect_first_line "S3" "$AWSNOTE" s3
expect_grep "^S3 > Storage classes|^S3 > Advanced > Storage classes" "$tmp/out" \
	"subsections printed with their paths"
expect_grep "^S3 > Encryption$" "$tmp/out" "subsection path line"

# Case and punctuation do not matter.
expect_first_line "Route-53" "$AWSNOTE" route 53
expect_first_line "Route-53" "$AWSNOTE" ROUTE-53
expect_first_line "Route-53" "$AWSNOTE" route53

# Nothing found: exit 1, message on stderr, nothing on stdout.
expect_status 1 "$AWSNOTE" zzqxj
[ -s "$tmp/out" ] && fail "output for a miss"
expect_grep "nothing found" "$tmp/err" "miss message"

# -n picks the N-th match; past the end is a miss.
run "$AWSNOTE" -k encryption
second=$(sed -n 2p "$tmp/out" | sed 's/ - .*//')
expect_first_line "$second" "$AWSNOTE" -n 2 encryption
expect_status 1 "$AWSNOTE" -n 500 encryption

# -k: ranked, one per line, path then summary.
expect_status 0 "$AWSNOTE" -k kms
expect_grep "^Security and Encryption > KMS - " "$tmp/out" "-k lists KMS with a summary"
[ "$(wc -l <"$tmp/out")" -ge 3 ] || fail "-k kms lists several sections"

# -l: every section, as a path, in document order.
expect_status 0 "$AWSNOTE" -l
nsec=$(wc -l <"$tmp/out")
nhead=$(grep -cE '^#{1,6} |^(=+|-+)\s*$' "$SEED")
[ "$nsec" -ge 70 ] || fail "-l lists $nsec sections"
expect_grep "^RDS > RDS > Read replicas:$" "$tmp/out" "-l paths"
cp "$tmp/out" "$tmp/all-sections"

# -l WORDS: the outline of what the lookup shows, the best match (-n: the
# N-th) and its subsections, as the same lines as in the whole list.
expect_status 0 "$AWSNOTE" -l s3
grep -E '^S3( > |$)' "$tmp/all-sections" >"$tmp/want"
[ "$(wc -l <"$tmp/want")" -ge 5 ] || fail "the seed's S3 has subsections"
cmp -s "$tmp/want" "$tmp/out" || fail "-l s3 is not S3's outline: $(head -c 300 "$tmp/out")"
second=$("$AWSNOTE" -n 2 s3 | head -n 1)
expect_first_line "$second" "$AWSNOTE" -l -n 2 s3
grep -Fxq -- "$second" "$tmp/all-sections" || fail "-n 2 s3 path '$second'"
expect_status 1 "$AWSNOTE" -l qqqzzzxxx
expect_grep "nothing found for 'qqqzzzxxx'" "$tmp/err" "-l with no match says so"
[ -s "$tmp/out" ] && fail "-l with no match printed a list"

# A heading without text shows as (untitled) in paths and the outline.
printf '# Top\n\ntext\n\n### <a name="x"></a>\n\n#### Reads\n\nreads text\n' >"$tmp/untitled.md"
expect_first_line "Top > (untitled) > Reads" "$AWSNOTE" -f "$tmp/untitled.md" reads
expect_status 0 "$AWSNOTE" -f "$tmp/untitled.md" -l
[ "$(sed -n 2p "$tmp/out")" = "Top > (untitled)" ] || fail "-l of an empty heading: $(head -c 100 "$tmp/out")"
run "$AWSNOTE" -f "$tmp/untitled.md" --json top
grep -q '"title":"",' "$tmp/out" || fail "--json keeps an empty title empty: $(head -c 300 "$tmp/out")"

# tldr-style marked letters are words: "E[x]tract" is found by extract.
printf '# arc\n\n> Pack files.\n\n- E[x]tract an archive:\n\n`arc x a.arc`\n\n- [c]reate one:\n\n`arc c a.arc`\n' >"$tmp/arc.md"
expect_first_line "arc" "$AWSNOTE" -f "$tmp/arc.md" extract
expect_first_line "arc" "$AWSNOTE" -f "$tmp/arc.md" create
expect_first_line "arc" "$AWSNOTE" -f "$tmp/arc.md" e[x]tract

# Colours only when asked for in a pipe; NO_COLOR and never win over auto.
run "$AWSNOTE" --color=always s3 encryption
grep -q "$(printf '\033')\[" "$tmp/out" || fail "--color=always gives escapes"
run env NO_COLOR=1 "$AWSNOTE" --color=auto s3 encryption
if grep -q "$(printf '\033')" "$tmp/out"; then fail "NO_COLOR"; fi

# --width in a pipe wraps.
run "$AWSNOTE" --width 40 s3 encryption
long=$(awk 'length > 40' "$tmp/out" | wc -l)
[ "$long" = 0 ] || fail "--width 40 left $long long lines"

# -f / AWSNOTE_FILE: a blob, a Markdown file, a directory.
expect_first_line "S3 > Encryption" "$AWSNOTE" -f "$BLOB" s3 encryption
expect_first_line "S3 > Encryption" "$AWSNOTE" -f "$SEED" s3 encryption
mkdir "$tmp/notes"
printf '# Widgets\n\nA widget frobs.\n\n## Sprockets\n\nTeeth.\n' >"$tmp/notes/w.md"
expect_first_line "Widgets > Sprockets" "$AWSNOTE" -f "$tmp/notes" sprocket
expect_first_line "Widgets" env AWSNOTE_FILE="$tmp/notes/w.md" "$AWSNOTE" widget
expect_status 0 "$AWSNOTE" --verify
expect_grep "OK" "$tmp/out" "--verify"
# The build tree's blob named as a newcomer would type it: no "cli/..".
grep -q 'cli/\.\./share' "$tmp/out" && fail "--verify: $(cat "$tmp/out")"
finish
