#!/bin/sh
# Bad notes files and bad compiler runs: one clear line, exit 2, no crash,
# no partial output file.
. "$top_srcdir/tests/lib.sh"

expect_status 2 "$AWSNOTE" -f "$tmp/missing.blob" s3
expect_grep "^awsnote: .*missing.blob: No such file or directory$" "$tmp/err" "missing file"
[ "$(wc -l <"$tmp/err")" = 1 ] || fail "one line for a missing file"

# A binary file is refused by name.
head -c 4096 /dev/urandom >"$tmp/random.bin"
printf '\0' >>"$tmp/random.bin"
printf '\0\0\0' | cat - "$tmp/random.bin" >"$tmp/binary.md"
expect_status 2 "$AWSNOTE" -f "$tmp/binary.md" s3
expect_grep "binary.md: binary file" "$tmp/err" "binary file named"

# Empty and odd Markdown still works: found nothing is exit 1, not 2.
: >"$tmp/empty.md"
expect_status 1 "$AWSNOTE" -f "$tmp/empty.md" s3
printf '#\n##\n###\n#######\n' >"$tmp/hashes.md"
expect_status 1 "$AWSNOTE" -f "$tmp/hashes.md" s3
printf '# Caf\351 cr\350me\r\n\r\nbad utf8 \377\376 here\rlone cr\n' >"$tmp/latin1.md"
expect_first_line "Caf� cr�me" "$AWSNOTE" -f "$tmp/latin1.md" utf8
mkdir "$tmp/nomd"
expect_status 2 "$AWSNOTE" -f "$tmp/nomd" s3
expect_grep "nomd: no Markdown files" "$tmp/err" "empty directory named"
expect_status 2 "$AWSNOTE_INDEX" -o "$tmp/empty.blob" "$tmp/nomd"
# An empty -f or -d (an unset variable) is a usage error that says so,
# not "'': No such file" nor "no document named ''".
expect_status 2 "$AWSNOTE" -f "" s3
expect_grep "^awsnote: an empty file name for -f$" "$tmp/err" "-f ''"
expect_status 2 "$AWSNOTE" s3 --file=
expect_grep "^awsnote: an empty file name for -f$" "$tmp/err" "--file= after the words"
expect_status 2 "$AWSNOTE" -d "" s3
expect_grep "^awsnote: an empty document name for -d$" "$tmp/err" "-d ''"
[ -e "$tmp/empty.blob" ] && fail "blob written for an empty directory"
expect_status 2 "$AWSNOTE" -f /dev/null/x s3

# The compiler: usage errors, unreadable input, unwritable output.
expect_status 2 "$AWSNOTE_INDEX"
expect_grep "no output file" "$tmp/err" "awsnote-index without -o"
expect_status 2 "$AWSNOTE_INDEX" -o "$tmp/out.blob"
expect_grep "no input files" "$tmp/err" "awsnote-index without inputs"
expect_status 2 "$AWSNOTE_INDEX" --bogus
expect_grep "^awsnote-index: unrecognized option '--bogus'" "$tmp/err" "getopt names awsnote-index"
expect_status 2 "$AWSNOTE_INDEX" -o "$tmp/out.blob" "$tmp/nope.md"
expect_grep "nope.md: No such file" "$tmp/err" "missing input named"
# A path longer than a message holds keeps its end and the reason.
long=$(awk 'BEGIN { for (i = 0; i < 3; i++) { printf "/"; for (j = 0; j < 250; j++) printf "d" } }')
expect_status 2 "$AWSNOTE" -f "$tmp$long/deep-notes.md" s3
expect_grep "\.\.\..*/deep-notes\.md: No such file or directory$" "$tmp/err" "a long path's reason"
expect_status 2 "$AWSNOTE_INDEX" -o "$tmp/out.blob" "$tmp$long/deep-notes.md"
expect_grep "deep-notes\.md: No such file or directory$" "$tmp/err" "a long input path's reason"
[ -e "$tmp/out.blob" ] && fail "blob written after a failed build"
expect_status 2 "$AWSNOTE_INDEX" -o "$tmp/no/such/dir/x.blob" "$SEED"
expect_grep "x.blob" "$tmp/err" "unwritable output named"
ls "$tmp/no" >/dev/null 2>&1 && fail "created directories"

# An output that is not a regular file (a FIFO, /dev/null) is written
# straight to: renaming a finished blob over it would replace it (as
# root, /dev/null itself).
mkfifo "$tmp/fifo"
cat "$tmp/fifo" >"$tmp/from-fifo.blob" &
reader=$!
expect_status 0 "$AWSNOTE_INDEX" -o "$tmp/fifo" "$SEED"
if [ -p "$tmp/fifo" ]; then
	wait "$reader"
else
	kill "$reader" 2>/dev/null
	fail "the FIFO was replaced by a file"
fi
expect_status 0 "$AWSNOTE_INDEX" -o "$tmp/file.blob" "$SEED"
cmp -s "$tmp/from-fifo.blob" "$tmp/file.blob" || fail "blob through a FIFO differs"
expect_status 0 "$AWSNOTE_INDEX" -o /dev/null "$SEED"
[ -c /dev/null ] || fail "/dev/null is no longer a device"
[ -s "$tmp/out" ] && fail "a message with the blob sent to a device"
"$AWSNOTE_INDEX" -o /dev/stdout "$SEED" | cat >"$tmp/piped.blob"
cmp -s "$tmp/piped.blob" "$tmp/file.blob" || fail "blob through a pipe differs"
# A symbolic link stays one; the file it names gets the blob.
: >"$tmp/target.blob"
ln -s target.blob "$tmp/link.blob"
expect_status 0 "$AWSNOTE_INDEX" -o "$tmp/link.blob" "$SEED"
[ -L "$tmp/link.blob" ] || fail "the link was replaced by a file"
cmp -s "$tmp/target.blob" "$tmp/file.blob" || fail "blob through a link differs"
# A link to a file not made yet: the file is made (tests/cli/hostile.sh:
# nothing is left there when the write fails), and a link into a
# directory that does not exist is reported before the notes are read,
# as such a directory given itself is.
ln -s new.blob "$tmp/new-link.blob"
expect_status 0 "$AWSNOTE_INDEX" -o "$tmp/new-link.blob" "$SEED"
[ -L "$tmp/new-link.blob" ] || fail "a link to nothing was replaced by a file"
cmp -s "$tmp/new.blob" "$tmp/file.blob" || fail "blob through a link to nothing differs"
ln -s nodir/x.blob "$tmp/lost-link.blob"
expect_status 2 "$AWSNOTE_INDEX" -o "$tmp/lost-link.blob" "$tmp/binary.md"
expect_grep "^awsnote-index: .*lost-link.blob \(a link to .*/nodir/x.blob\): No such file or directory$" "$tmp/err" \
	"a link into a missing directory, named with where it leads, before the notes are read"
ls "$tmp" | grep -q '\.tmp' && fail "a temporary file left behind"
expect_status 2 "$AWSNOTE_INDEX" -o "$tmp" "$SEED"
expect_grep "Is a directory" "$tmp/err" "a directory as the output"
# An output that is one of the inputs, by name or through a link: the
# notes are not replaced by their blob.  (Named .txt: a .md output is
# refused for its name alone, below.)
cp "$SEED" "$tmp/mine.txt"
ln -s mine.txt "$tmp/mine-link.txt"
expect_status 2 "$AWSNOTE_INDEX" -o "$tmp/mine.txt" "$tmp/mine.txt"
expect_grep "the output is also an input" "$tmp/err" "-o names an input"
expect_status 2 "$AWSNOTE_INDEX" -o "$tmp/mine-link.txt" "$SEED" "$tmp/mine.txt"
expect_grep "the output is also an input" "$tmp/err" "-o links to an input"
cmp -s "$tmp/mine.txt" "$SEED" || fail "an input was overwritten"
# ... or found in an input directory, where a Markdown name is refused
# before the notes are read.
mkdir "$tmp/mynotes"
cp "$SEED" "$tmp/mynotes/kinesis.md"
expect_status 2 "$AWSNOTE_INDEX" -o "$tmp/mynotes/kinesis.md" "$tmp/mynotes"
expect_grep "kinesis.md: a Markdown name for the blob" "$tmp/err" \
	"-o names a file of an input directory"
cmp -s "$tmp/mynotes/kinesis.md" "$SEED" || fail "a note of an input directory was overwritten"
expect_status 2 "$AWSNOTE_INDEX" -o "$tmp/out.blob" "$tmp/binary.md"
[ -e "$tmp/out.blob" ] && fail "blob written after a bad input"
# An endless binary stream is refused from its first bytes, not read to
# the 1 GiB limit first.
if [ -c /dev/zero ]; then
	expect_status 2 timeout 10 "$AWSNOTE_INDEX" -o "$tmp/out.blob" /dev/zero
	expect_grep "/dev/zero: binary file" "$tmp/err" "/dev/zero as notes"
fi
ls "$tmp" | grep -q 'tmp' && fail "temporary file left behind: $(ls "$tmp")"

# A good build replaces the old blob atomically.
expect_status 0 "$AWSNOTE_INDEX" -q -o "$tmp/out.blob" "$SEED"
[ -s "$tmp/out.blob" ] || fail "no blob"
[ -s "$tmp/out" ] && fail "-q printed something"
expect_first_line "S3 > Encryption" "$AWSNOTE" -f "$tmp/out.blob" s3 encryption
finish
