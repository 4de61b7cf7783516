#!/bin/sh
# The shell fed from a pipe (awsnote -i < script): plain answers, each
# introduced by its section path line and separated by a blank line;
# commands work as at the prompt; the exit status sums up the script.
. "$top_srcdir/tests/lib.sh"

# batch LINE...: run the shell on LINEs, one per line.
batch() {
	printf '%s\n' "$@" >"$tmp/in"
	"$AWSNOTE" -i <"$tmp/in"
}

# The example of awsnote(1): two lookups, two answers, status 0.
expect_golden shell-batch.out batch "s3 encryption" "sqs"
[ "$status" = 0 ] || fail "two good lookups: exit $status, want 0"
[ -s "$tmp/err" ] && fail "stderr not empty: $(head -c 200 "$tmp/err")"
# An answer in the shell is the answer of a one-shot lookup.
"$AWSNOTE" s3 encryption >"$tmp/one"
head -n "$(wc -l <"$tmp/one")" "$tmp/out" | cmp -s - "$tmp/one" ||
	fail "the shell's first answer differs from 'awsnote s3 encryption'"

# ...and that is the example awsnote(1) gives.
mkdir "$tmp/bin"
ln -s "$AWSNOTE" "$tmp/bin/awsnote"
example=$(sed -n 's/^\$ \(printf .* | awsnote \\-i\)$/\1/p' \
	"$top_srcdir/man/awsnote.1" |
	sed -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\e/\\/g')
[ -n "$example" ] || fail "no 'printf ... | awsnote -i' example in awsnote(1)"
PATH="$tmp/bin:$PATH" sh -c "$example" >"$tmp/ex.out" 2>&1 ||
	fail "the manual's shell example failed: $example"
cmp -s "$tmp/ex.out" "$top_srcdir/tests/golden/shell-batch.out" ||
	fail "the manual's shell example ($example) is not the golden answer"

# Moving around: siblings, parent, back - each answer is a section's
# path line and text, as a lookup prints it.
expect_golden shell-batch-nav.out batch "s3 encryption" ":next" ":prev" \
	":up" ":back" ":back" ":back"
[ "$status" = 0 ] || fail "navigation script: exit $status, want 0"
# count PATTERN: lines of the last output matching it.
count() { grep -c -- "$1" "$tmp/out"; }
expect_status 0 batch "s3 encryption" ":next"
[ "$(count '^S3 > Security$')" = 1 ] || fail ":next is not the next sibling"
expect_status 0 batch "s3 encryption" ":next" ":prev"
[ "$(count '^S3 > Encryption$')" = 2 ] || fail ":prev does not come back"
expect_status 0 batch "s3 encryption" ":up"
[ "$(count '^S3$')" = 1 ] || fail ":up does not show the parent"
expect_status 0 batch "s3 encryption" ":next" ":next" ":back" ":back"
[ "$(count '^S3 > Security$')" = 2 ] || fail ":back does not retrace"
[ "$(count '^S3 > Encryption$')" = 2 ] || fail ":back does not retrace twice"

# :list numbers the last lookup's results and marks the one on show; a
# bare number opens that result.
expect_status 0 batch "s3 encryption" ":list" "2"
grep -E '^[ *] *[0-9]+  ' "$tmp/out" >"$tmp/list"
[ "$(wc -l <"$tmp/list")" -ge 3 ] || fail ":list shows fewer than 3 results"
expect_grep '^\*  1  S3 > Encryption - ' "$tmp/list" ":list marks result 1"
second=$(sed -n '2s/^ *2  \(.*\) - .*/\1/p' "$tmp/list")
[ -n "$second" ] || fail "no result 2 in :list"
[ "$(tail -n 1 "$tmp/list" | sed 's/^[ *] *\([0-9]*\).*/\1/')" = \
	"$(wc -l <"$tmp/list" | tr -d ' ')" ] || fail ":list is not numbered 1..N"
expect_grep "^$second\$" "$tmp/out" "'2' opens result 2 ($second)"

# Links of the shown section, numbered; following one shows its target.
expect_golden shell-batch-links.out batch "table of contents" ":links" \
	":follow 3" ":follow 1"
[ "$status" = 1 ] || fail ":follow without links: exit $status, want 1"
expect_grep "^   3  Security and Encryption  -> Security and Encryption$" \
	"$tmp/out" ":links numbers internal links"
expect_grep "^Security and Encryption > KMS$" "$tmp/out" ":follow 3"
expect_grep "no link 1" "$tmp/err" ":follow past the links"
expect_grep "no such heading" "$tmp/out" "a broken anchor is marked"
expect_status 1 batch "sqs dead letter" ":links"
expect_grep "has no links" "$tmp/err" ":links without links says so"
# Links out of the notes only: :links lists them unnumbered, and :follow
# says there is nothing to follow rather than that :links lists 0.
expect_status 1 batch "sqs" ":links" ":follow 1"
expect_grep "^Links out of the notes:$" "$tmp/out" ":links lists web links"
expect_grep "^awsnote: no link 1: this section links to no other section" \
	"$tmp/err" ":follow with web links only"
grep -q "lists 0" "$tmp/err" && fail ":follow says :links lists 0: $(cat "$tmp/err")"
# -d keeps :next and :prev to its documents: a document's top section
# is the last and the first at its level, and in a directory the next
# document of it follows.
mkdir -p "$tmp/nd/g"
printf '# Alpha\n\nA.\n' >"$tmp/nd/g/a.md"
printf '# Bravo\n\nB.\n' >"$tmp/nd/g/b.md"
printf '# Charlie\n\nC.\n' >"$tmp/nd/h.md"
printf 'alpha\n:next\n' >"$tmp/in"
run "$AWSNOTE" -f "$tmp/nd" -i <"$tmp/in"
expect_grep "^g/b > Bravo$" "$tmp/out" ":next without -d goes to the next document"
run "$AWSNOTE" -f "$tmp/nd" -d g/a -i <"$tmp/in"
[ "$status" = 1 ] || fail ":next past -d's document: exit $status, want 1"
expect_grep "last section at its level" "$tmp/err" ":next past -d's document"
printf 'bravo\n:next\n:prev\n:prev\n' >"$tmp/in"
run "$AWSNOTE" -f "$tmp/nd" -d g/ -i <"$tmp/in"
grep -q "Charlie" "$tmp/out" && fail ":next leaves -d's directory: $(cat "$tmp/out")"
expect_grep "^g/a > Alpha$" "$tmp/out" ":prev stays in -d's directory"
expect_grep "first section at its level" "$tmp/err" ":prev past -d's directory"

# A link whose text is its address (an autolink, as every tldr page has)
# shows the address once; another text stays in front of it.
printf '# Au\n\n<https://e.com/a>, www.e.org, [t](https://e.com/t)\n' \
	>"$tmp/au.md"
printf 'au\n:links\n' >"$tmp/in"
run "$AWSNOTE" -f "$tmp/au.md" -i <"$tmp/in"
[ "$(sed -n '/^Links out/,$p' "$tmp/out")" = "Links out of the notes:
      <https://e.com/a>
      <http://www.e.org>
      t <https://e.com/t>" ] || fail ":links external: $(cat "$tmp/out")"

# Commands may be shortened to a unique prefix; an ambiguous one names
# the candidates.
expect_status 0 batch "sqs" ":u" ":n" ":b"
expect_grep "^Messaging$" "$tmp/out" ":u goes up"
expect_status 2 batch "sqs" ":l"
expect_grep ":links :list" "$tmp/err" "ambiguous prefix lists the commands"

# Exit status: 1 if any line found nothing, 2 if any line was an error;
# the other lines still run.
expect_status 1 batch "zzqqxx nothing" "sqs"
expect_grep "nothing found for 'zzqqxx nothing'" "$tmp/err" "nothing found"
expect_first_line "Messaging > Simple Queue Service SQS" batch "zzqqxx" "sqs"
expect_status 2 batch ":bogus" "sqs" "zzqqxx"
expect_grep "unknown command ':bogus'" "$tmp/err" "unknown command"
expect_grep "^Messaging > Simple Queue Service SQS$" "$tmp/out" \
	"lines after an error still run"
expect_status 2 batch "sqs" ":follow" ":next 2"
expect_grep ":follow needs a number" "$tmp/err" ":follow without N"
expect_grep ":next takes no argument" "$tmp/err" ":next with an argument"
# Nothing on show, nothing remembered: nowhere to go.
for cmd in ":next" ":prev" ":up" ":links" ":follow 1" ":back" ":list" "1"; do
	expect_status 1 batch "$cmd"
	[ -s "$tmp/out" ] && fail "'$cmd' with nothing on show printed output"
	[ -s "$tmp/err" ] || fail "'$cmd' with nothing on show said nothing"
done
expect_status 1 batch "sqs" "99"
expect_grep "no result 99" "$tmp/err" "result out of range"
expect_status 1 batch "s3 encryption" ":next" ":next" ":next" ":next" \
	":next" ":next" ":next"
expect_grep "last section at its level" "$tmp/err" ":next at the end"
expect_status 1 batch "s3" ":up"
expect_grep "top already" "$tmp/err" ":up at the top"

# Blank lines and surrounding blanks are ignored; empty input is fine.
expect_status 0 batch "" "   sqs   " "	"
expect_first_line "Messaging > Simple Queue Service SQS" batch "  sqs  "
: >"$tmp/in"
expect_status 0 "$AWSNOTE" -i <"$tmp/in"
[ -s "$tmp/out" ] && fail "empty input printed something"

# :quit ends the script; the lines after it do not run.
expect_status 0 batch "sqs" ":quit" "zzqqxx" ":bogus"
expect_grep "^Messaging > Simple Queue Service SQS$" "$tmp/out" "before :quit"
[ -s "$tmp/err" ] && fail "lines after :quit ran: $(cat "$tmp/err")"

# Words on the command line are the first lookup.
printf 'sqs\n' >"$tmp/in"
expect_first_line "S3 > Encryption" "$AWSNOTE" -i s3 encryption <"$tmp/in"
expect_grep "^Messaging > Simple Queue Service SQS$" "$tmp/out" \
	"then the script"

# :help and :toc print to stdout.
expect_status 0 batch ":help"
for cmd in :list :toc :next :prev :up :links :follow :back :quit :exit \
	/PATTERN; do
	expect_grep "$cmd" "$tmp/out" ":help mentions $cmd"
done
expect_status 0 batch ":toc"
"$AWSNOTE" -l >"$tmp/list"
cmp -s "$tmp/out" "$tmp/list" || fail ":toc differs from awsnote -l"
expect_status 0 batch ":toc rds aurora"
"$AWSNOTE" -l rds aurora >"$tmp/list"
[ "$(wc -l <"$tmp/list")" -ge 2 ] || fail "-l rds aurora lists Aurora's outline"
cmp -s "$tmp/out" "$tmp/list" || fail ":toc WORDS differs from awsnote -l WORDS"
expect_status 1 batch ":toc qqqzzzxxx"
expect_grep "nothing found for 'qqqzzzxxx'" "$tmp/err" ":toc with no match"
expect_status 2 batch ":up 3"
expect_grep ":up takes no argument" "$tmp/err" "a command without arguments"

# /PATTERN is the regex search of -e, whatever state it is in.
"$AWSNOTE" -e 'SSE-KMS' >"$tmp/grep.out" 2>"$tmp/grep.err"
grep_status=$?
expect_status "$grep_status" batch "/SSE-KMS"
cmp -s "$tmp/out" "$tmp/grep.out" || fail "/SSE-KMS differs from -e SSE-KMS"
expect_status 2 batch "/"
expect_grep "needs a pattern" "$tmp/err" "empty pattern"

# A line too long to be a query is an error, and the script goes on.
long=$(head -c 5000 /dev/zero | tr '\0' x)
expect_status 2 batch "$long" "sqs"
expect_grep "longer than" "$tmp/err" "long line reported"
expect_grep "^Messaging > Simple Queue Service SQS$" "$tmp/out" \
	"the line after a long one runs"

# -i and --shell are one option: either, in any order, with -k or -l is
# a usage error (not the table of contents, nor apropos).
# So are -n and --json, which the shell would ignore.
for opts in "-i -l" "-l -i" "--shell -l" "-l --shell" "-i -k" "-k -i" \
	"--shell -k" "-k --shell" "-i -n 2" "-n 2 --shell" "-i --json" \
	"--json --shell" "--verify --shell" "-i --verify"; do
	# shellcheck disable=SC2086 # the options are words
	expect_status 2 sh -c 'printf "sqs\n" | "$0" "$@"' "$AWSNOTE" $opts sqs
	expect_grep "cannot be combined with -k" "$tmp/err" "$opts: no message"
	[ -s "$tmp/out" ] && fail "$opts printed: $(head -c 200 "$tmp/out")"
done

# The limit does not count the line end, CRLF included: a 4096-byte
# line is a query, one of 4097 is not.
printf 'sqs%4090ssqs\r\n' '' >"$tmp/in"
expect_status 0 "$AWSNOTE" -i <"$tmp/in"
expect_grep "^Messaging > Simple Queue Service SQS$" "$tmp/out" \
	"a 4096-byte line ending in CRLF"
printf 'sqs%4091ssqs\r\n' '' >"$tmp/in"
expect_status 2 "$AWSNOTE" -i <"$tmp/in"
expect_grep "longer than 4096 bytes" "$tmp/err" "a 4097-byte line ending in CRLF"

# Batch mode never touches the history.
mkdir "$tmp/home"
printf 'sqs\n' >"$tmp/in"
HOME=$tmp/home XDG_STATE_HOME=$tmp/home/state "$AWSNOTE" -i <"$tmp/in" \
	>/dev/null 2>&1 || fail "lookup with a private HOME failed"
[ -e "$tmp/home/state" ] && fail "batch mode wrote a history"

finish
