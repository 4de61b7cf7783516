#!/bin/sh
# Hostile input never crashes, hangs or loses data: every truncation and
# thousands of damaged copies of a blob, Markdown built to hurt, huge
# queries, and writes that fail.  Whatever happens, awsnote exits 0, 1 or
# 2 (never a signal: status > 128, nor a hang: timeout's 124), and a
# failed build leaves no blob behind.
. "$top_srcdir/tests/lib.sh"

MUTATE=$top_builddir/tests/fuzz/fuzz-mutate
[ -x "$MUTATE" ] || skip "no $MUTATE (make check builds it)"
# Under valgrind (make check-valgrind) every run costs a second: sample.
quick=${AWSNOTE_UNDER_VALGRIND:-0}
# Sanitizer builds are a few times slower; time bounds grow with them.
slow=1
if grep -q __asan_init "$top_builddir/cli/awsnote" 2>/dev/null; then
	slow=4
fi

# sane WHAT: the last run ended by itself with 0, 1 or 2.
sane() {
	case $status in
	0 | 1 | 2) ;;
	124) fail "$1: hang (killed after 10 s)" ;;
	*) fail "$1: exit $status $( [ "$status" -gt 128 ] &&
		echo "(signal $((status - 128)))"): $(head -c 300 "$tmp/err")" ;;
	esac
}

# ---- damaged blobs ------------------------------------------------------
cat >"$tmp/small.md" <<'EOF'
Intro with *style*.

# Widgets

A widget frobs; see [gears](#gears) and <https://example.com>.

## Sprockets

* teeth
  1. more `teeth`

# Gears

| gear | ratio |
|------|-------|
| spur | 1:2   |

```
code
```
EOF
expect_status 0 "$AWSNOTE_INDEX" -q -o "$tmp/small.blob" "$tmp/small.md"
size=$(wc -c <"$tmp/small.blob")

# Every mode of awsnote on FILE; the mode cycles with the counter N.
try_blob() { # FILE N
	case $(($2 % 6)) in
	0) run timeout 10 "$AWSNOTE" -f "$1" widget teeth ;;
	1) run timeout 10 "$AWSNOTE" -f "$1" -k gear ;;
	2) run timeout 10 "$AWSNOTE" -f "$1" -l ;;
	3) run timeout 10 "$AWSNOTE" -f "$1" --verify ;;
	4) run timeout 10 "$AWSNOTE" -f "$1" -l --where ;; # ORIGINS
	5) run timeout 10 "$AWSNOTE" -f "$1" -e 'e' -C 1 --where ;; # and the file
	esac
}

# Every truncation: refused (exit 2) once it starts like a blob.
mkdir "$tmp/trunc"
step=1
[ "$quick" = 1 ] && step=37
"$MUTATE" truncate "$tmp/small.blob" "$tmp/trunc" $step || fail "fuzz-mutate"
n=0
for f in "$tmp"/trunc/*; do
	n=$((n + 1))
	try_blob "$f" $n
	sane "$(basename "$f")"
	len=${f##*-}
	if [ "$len" -ge 8 ] && [ "$status" != 2 ]; then
		fail "$(basename "$f"): exit $status, want 2"
	fi
done
[ "$n" -ge $((size / step)) ] || fail "only $n truncations for $size bytes"

# Random byte changes, as they are (the checksums catch most) and with
# the checksums made to match, so the damage reaches the index and text.
# A sanitizer build starts each process slowly: fewer there (test-blob
# and the fuzzers cover flips in-process by the million).
flips=1000
[ "$slow" != 1 ] && flips=200
[ "$quick" = 1 ] && flips=25
mkdir "$tmp/flip" "$tmp/fixed"
"$MUTATE" flip "$tmp/small.blob" "$tmp/flip" $flips 7 || fail "fuzz-mutate"
"$MUTATE" flip "$tmp/small.blob" "$tmp/fixed" $flips 8 fix || fail "fuzz-mutate"
n=0 caught=0
for f in "$tmp"/flip/* "$tmp"/fixed/*; do
	n=$((n + 1))
	try_blob "$f" $n
	sane "$(basename "$(dirname "$f")")/$(basename "$f")"
	[ "$status" = 2 ] && caught=$((caught + 1))
done
[ "$n" = $((2 * flips)) ] || fail "ran $n damaged blobs, want $((2 * flips))"
[ "$caught" -gt 0 ] || fail "no damaged blob was refused"

# ---- Markdown built to hurt ---------------------------------------------
# (Each command has a timeout that only a hang or a blow-up reaches; no
# bound on the total, which a busy machine would break.)
md=$tmp/md
mkdir "$md"
# About 60 MB of real notes (1 MB under valgrind).
cp "$SEED" "$md/big.md"
doublings=10
[ "$quick" = 1 ] && doublings=4
i=0
while [ $i -lt $doublings ]; do
	cat "$md/big.md" "$md/big.md" >"$md/big2.md" && mv "$md/big2.md" "$md/big.md"
	i=$((i + 1))
done
# One line of 1 MB of words, and one word of 1 MB.
{
	echo "# Long lines"
	echo
	awk 'BEGIN { for (i = 0; i < 100000; i++) printf "longword%d ", i % 7; print "" }'
	echo
	awk 'BEGIN { for (i = 0; i < 100000; i++) printf "abcdefghij"; print "" }'
} >"$md/line.md"
# Nesting 10,000 deep: lists on one line, quotes, lists by indentation.
{
	echo "# Deep"
	echo
	awk 'BEGIN { for (i = 0; i < 10000; i++) printf "1. "; print "deepitem" }'
	echo
	awk 'BEGIN { for (i = 0; i < 10000; i++) printf "- "; print "deepbullet" }'
	echo
	awk 'BEGIN { for (i = 0; i < 10000; i++) printf "> "; print "deepquote" }'
	echo
	awk 'BEGIN { for (i = 0; i < 1000; i++) {
		for (j = 0; j < i; j++) printf "  "; print "* indented" } }'
	awk 'BEGIN { for (i = 0; i < 10000; i++) printf "["; print "deepbracket" }'
	awk 'BEGIN { for (i = 0; i < 10000; i++) printf "*"; print "deepstar" }'
} >"$md/deep.md"
# NUL bytes past the first 8 KiB (text), invalid UTF-8, CRLF, lone CR.
{
	printf '# Nul\n\n'
	awk 'BEGIN { for (i = 0; i < 1000; i++) print "filler text" }'
	printf 'before\000after nulword\n\n'
	printf '# Bytes \377\376\300\257\355\240\200 end\r\n\r\nbadword \200\201 x\r'
	printf '## Lone cr\rloneword here\r\r## Crlf\r\ncrlfword\r\n'
} >"$md/bytes.md"
# A paragraph of a million lines, each with links: md4c 0.4.8 walks a
# paragraph's lines from the first for every link, minutes of it unless
# the paragraph is cut into pieces (markdown.c, split_link_runs).
nlinks=1000000
[ "$quick" = 1 ] && nlinks=100000
awk -v n=$nlinks 'BEGIN { print "# Links"; print ""
	for (i = 0; i < n; i++) printf "[l%d](#links) and ![r][] x\n", i % 10
	print ""; print "[r]: #links" }' >"$md/links.md"
head -c 2000000 /dev/zero | tr '\0' '#' >"$md/hashes.md"
awk 'BEGIN { for (i = 1; i <= 3000; i++) { s = ""; for (j = 0; j < i % 12; j++) s = s "#"; print s } }' >>"$md/hashes.md"

expect_status 0 timeout $((60 * slow)) "$AWSNOTE_INDEX" -q -o "$tmp/big.blob" "$md/big.md"
expect_first_line "S3 > Encryption" timeout 10 "$AWSNOTE" -f "$tmp/big.blob" s3 encryption
expect_status 0 timeout 10 "$AWSNOTE" -f "$tmp/big.blob" --verify
for w in longword0 abcdefghijabcdefghij; do
	expect_status 0 timeout 10 "$AWSNOTE" -f "$md/line.md" "$w"
done
expect_first_line "Long lines" timeout 10 "$AWSNOTE" -f "$md/line.md" longword3
for w in deepitem deepbullet deepquote indented deepbracket deepstar; do
	expect_first_line "Deep" timeout $((10 * slow)) "$AWSNOTE" -f "$md/deep.md" "$w"
done
expect_first_line "Nul" timeout 10 "$AWSNOTE" -f "$md/bytes.md" nulword
expect_grep "before.after nulword" "$tmp/out" "a NUL is shown as one character"
for w in badword:'' loneword:' > Lone cr' crlfword:' > Crlf'; do
	run timeout 10 "$AWSNOTE" -f "$md/bytes.md" "${w%%:*}"
	head -n 1 "$tmp/out" | grep -q "^Bytes .* end${w#*:}\$" ||
		fail "${w%%:*}: first line '$(head -n 1 "$tmp/out")'"
	iconv -f UTF-8 -t UTF-8 "$tmp/out" >/dev/null 2>&1 ||
		fail "${w%%:*}: output is not valid UTF-8"
done
expect_status 0 timeout $((60 * slow)) "$AWSNOTE_INDEX" -q -o "$tmp/links.blob" "$md/links.md"
expect_status 0 timeout 10 "$AWSNOTE" -f "$tmp/links.blob" -c -e '^l[0-9] and r x$'
expect_grep "^Links:$nlinks\$" "$tmp/out" "every line of the links paragraph kept"
expect_status 1 timeout 10 "$AWSNOTE" -f "$md/hashes.md" anything
expect_status 0 timeout 10 "$AWSNOTE" -f "$md/hashes.md" -l
# A NUL at the start is a binary file: refused by name.
printf '# Binary\n\000\n' >"$md/binary.md"
expect_status 2 timeout 10 "$AWSNOTE" -f "$md/binary.md" binary
expect_grep "binary.md: binary file" "$tmp/err" "early NUL refused by name"
# Every such file, as a directory of notes, into one blob.
rm "$md/binary.md"
expect_status 0 timeout $((60 * slow)) "$AWSNOTE_INDEX" -q -o "$tmp/all.blob" "$md"
expect_first_line "deep > Deep" timeout 10 "$AWSNOTE" -f "$tmp/all.blob" deepquote

# ---- huge queries -------------------------------------------------------
words=$(awk 'BEGIN { for (i = 0; i < 20000; i++) printf "word "; }')
expect_status 2 timeout 10 "$AWSNOTE" -f "$tmp/small.blob" "$words"
expect_grep "^awsnote: .*query.*(long|large)" "$tmp/err" "a 100 KB query is refused clearly"
[ "$(wc -l <"$tmp/err")" = 1 ] || fail "100 KB query: not one line of error"
# shellcheck disable=SC2086 # one argument per word, on purpose
expect_status 2 timeout 10 "$AWSNOTE" -f "$tmp/small.blob" -k $words
expect_grep "^awsnote: .*query.*(long|large)" "$tmp/err" "20,000 words are refused clearly"
long=$(awk 'BEGIN { for (i = 0; i < 100000; i++) printf "q" }')
expect_status 2 timeout 10 "$AWSNOTE" -f "$tmp/small.blob" "$long"

# Regex bombs (-e) against long runs of one letter: stopped by the
# matcher's limits, quickly, with exit 0, 1 or 2, never a hang.
{
	echo "# Bombs"
	echo
	awk 'BEGIN { for (i = 0; i < 30000; i++) printf "a"; print "" }'
	echo
	awk 'BEGIN { for (i = 0; i < 3000; i++) printf "ab "; print "" }'
} >"$md/bombs.md"
for pat in '(a*)*b' '(a+)+$' '(a|aa)+c' '(.*a){12}x' '((a*)*)*\1b' \
	'(\w+\s?)+$x' "$long" '(((((((((((((((((((((a)))))))))))))))))))))'; do
	run timeout $((10 * slow)) "$AWSNOTE" -f "$md/bombs.md" -e "$pat"
	sane "regex bomb $(printf '%.30s' "$pat")"
	run timeout $((10 * slow)) "$AWSNOTE" -f "$md/bombs.md" -i -e "$pat"
	sane "regex bomb -i $(printf '%.30s' "$pat")"
done

# ---- the shell's history file -------------------------------------------
# A history file that cannot be read (not libedit's format, a directory)
# is reported once and left alone: the shell works on without it and
# never writes over it.  One in libedit's format but full of hostile
# lines loads, or is refused, without harm.
# shell_session STATE: look "sqs" up in the interactive shell.
shell_session() {
	printf 'sqs\n:quit\n' | XDG_STATE_HOME=$1 HOME=$tmp \
		timeout $((30 * slow)) script -qec "'$AWSNOTE' -i --no-pager" \
		/dev/null >"$tmp/typescript" 2>&1
	status=$?
}
hist=$tmp/state/awsnote/history
mkdir -p "$tmp/state/awsnote"
shell_session "$tmp/state"
if ! command -v script >/dev/null 2>&1; then
	echo "no script(1): history checks skipped"
elif ! grep -q 'awsnote>' "$tmp/typescript"; then
	echo "no interactive shell in this build: history checks skipped"
else
	sane "shell, no history yet"
	[ -s "$hist" ] || fail "the shell kept no history"
	{
		printf 'not a history \377\376\000 \033[2J\n'
		awk 'BEGIN { for (i = 0; i < 100000; i++) printf "h"; print "" }'
	} >"$hist"
	cp "$hist" "$tmp/history.orig"
	shell_session "$tmp/state"
	sane "shell with a foreign history file"
	expect_grep "Simple Queue Service" "$tmp/typescript" "lookup with a foreign history"
	expect_grep "cannot read history" "$tmp/typescript" "foreign history reported"
	cmp -s "$hist" "$tmp/history.orig" || fail "a foreign history file was replaced"
	rm "$hist"
	mkdir "$hist"
	shell_session "$tmp/state"
	sane "shell with a directory for a history"
	expect_grep "Simple Queue Service" "$tmp/typescript" "lookup with a directory as history"
	[ -d "$hist" ] || fail "the directory in the history's place was replaced"
	rmdir "$hist"
	{
		echo _HiStOrY_V2_
		awk 'BEGIN { for (i = 0; i < 100000; i++) printf "h"; print "" }'
		printf '\033[2J\\040\377\376\n\n\\\n'
	} >"$hist"
	shell_session "$tmp/state"
	sane "shell with hostile history lines"
	expect_grep "Simple Queue Service" "$tmp/typescript" "lookup with hostile history lines"
fi

# ---- a blob that shrinks while it is mapped ------------------------------
# The shell opens (maps) the blob and answers a first line; the blob is
# cut short, then a lookup reads a lost page: SIGBUS, which must end in a
# message and exit 2.  The cut waits for the answer, not for the mapping:
# a blob cut while it is still being opened is read as zeros past its new
# end in its first page (a checksum mismatch, rightly), and under
# valgrind opening takes long enough for that to happen most times.
if command -v mkfifo >/dev/null; then
	cp "$BLOB" "$tmp/shrinks.blob"
	mkfifo "$tmp/shell-in"
	: >"$tmp/out" # its redirection waits for the FIFO: empty it now
	"$AWSNOTE" -f "$tmp/shrinks.blob" -i <"$tmp/shell-in" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	exec 3>"$tmp/shell-in"
	echo "sqs" >&3
	i=0
	while [ ! -s "$tmp/out" ] && [ $i -lt 600 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	[ $i -lt 600 ] || fail "the shell did not answer its first line"
	truncate -s 200 "$tmp/shrinks.blob" 2>/dev/null || : >"$tmp/shrinks.blob"
	echo "s3 encryption" >&3
	exec 3>&-
	wait $pid
	status=$?
	[ "$status" = 2 ] || fail "blob cut short while mapped: exit $status, want 2"
	expect_grep "shrinks.blob: changed while it was read" "$tmp/err" "a blob cut short is named"
fi

# ---- writes that fail ---------------------------------------------------
# Output to a full device: an error, not silence.
for mode in "s3 encryption" "-k s3" "-l" "--help" "--version"; do
	# shellcheck disable=SC2086
	"$AWSNOTE" $mode >/dev/full 2>"$tmp/err"
	status=$?
	[ "$status" = 2 ] || fail "awsnote $mode >/dev/full: exit $status, want 2"
	expect_grep "^awsnote: .*(writ|No space)" "$tmp/err" "awsnote $mode >/dev/full says so"
done
for mode in --help --version; do
	"$AWSNOTE_INDEX" $mode >/dev/full 2>"$tmp/err"
	status=$?
	[ "$status" = 2 ] || fail "awsnote-index $mode >/dev/full: exit $status, want 2"
	expect_grep "^awsnote-index: .*writ" "$tmp/err" "awsnote-index $mode >/dev/full says so"
done
# The message names the reason, as grep's does.
"$AWSNOTE" -l >/dev/full 2>"$tmp/err"
expect_grep "^awsnote: error writing output: No space left on device$" "$tmp/err" \
	"awsnote -l >/dev/full gives the reason"
# A blob compiled but its message of success lost: the blob stays, but
# the lost output is an error all the same.
"$AWSNOTE_INDEX" -o "$tmp/full.blob" "$tmp/small.md" >/dev/full 2>"$tmp/err"
status=$?
[ "$status" = 2 ] || fail "awsnote-index -o BLOB >/dev/full: exit $status, want 2"
expect_grep "^awsnote-index: error writing output: No space left on device$" "$tmp/err" \
	"awsnote-index -o BLOB >/dev/full says so"
[ -s "$tmp/full.blob" ] || fail "awsnote-index >/dev/full: no blob written"
# The shell's batch mode stops at the first answer it cannot write, with
# one message, not one for every line after it.
printf 's3\nsqs\nkms\nlambda\n' | "$AWSNOTE" -i >/dev/full 2>"$tmp/err"
status=$?
[ "$status" = 2 ] || fail "awsnote -i >/dev/full: exit $status, want 2"
[ "$(grep -c 'error writing output' "$tmp/err")" = 1 ] ||
	fail "awsnote -i >/dev/full: $(grep -c 'error writing output' "$tmp/err") messages, want 1"

# A reader that goes away (head) while SIGPIPE is ignored, as some
# callers leave it: the rest of the output is dropped, silently, in
# every mode alike, and a script stops there.
for mode in "-e ." "-l" "s3" "--json -e ." "-o -e \w+"; do
	# shellcheck disable=SC2086
	(
		trap '' PIPE
		"$AWSNOTE" $mode 2>"$tmp/err" | head -c 1 >/dev/null
	)
	[ -s "$tmp/err" ] && fail "awsnote $mode | head, SIGPIPE ignored: $(head -c 200 "$tmp/err")"
done
(
	trap '' PIPE
	yes s3 2>/dev/null | head -n 200 | "$AWSNOTE" -i 2>"$tmp/err" | head -c 1 >/dev/null
)
[ -s "$tmp/err" ] && fail "awsnote -i | head, SIGPIPE ignored: $(head -c 200 "$tmp/err")"

# The blob compiler with a file size limit: the write fails (SIGXFSZ is
# ignored, as a careful caller would), the old blob stays whole and no
# temporary file is left.
mkdir "$tmp/dest"
expect_status 0 "$AWSNOTE_INDEX" -q -o "$tmp/dest/notes.blob" "$tmp/small.md"
cp "$tmp/dest/notes.blob" "$tmp/old.blob"
capped_index() { # OUT: compile the seed to OUT, files capped at 16 blocks
	(
		trap '' XFSZ
		ulimit -f 16
		exec "$AWSNOTE_INDEX" -q -o "$1" "$SEED"
	) >"$tmp/stdout" 2>"$tmp/err"
}
capped_index "$tmp/dest/notes.blob"
status=$?
[ "$status" = 2 ] || fail "write over the size limit: exit $status, want 2"
expect_grep "^awsnote-index: .*notes.blob.*(too large|File too large)" "$tmp/err" \
	"failed write named with its reason"
cmp -s "$tmp/dest/notes.blob" "$tmp/old.blob" || fail "the old blob was damaged"
[ "$(ls "$tmp/dest")" = notes.blob ] || fail "left behind: $(ls "$tmp/dest")"
capped_index "$tmp/dest/new.blob"
status=$?
[ "$status" = 2 ] || fail "new blob over the size limit: exit $status, want 2"
[ "$(ls "$tmp/dest")" = notes.blob ] || fail "partial blob left: $(ls "$tmp/dest")"
# ... and so through a symbolic link to a file not made yet, which was
# written straight to: half a blob was left where the link leads.
ln -s new.blob "$tmp/dest/link.blob"
capped_index "$tmp/dest/link.blob"
status=$?
[ "$status" = 2 ] || fail "through a link to nothing, over the size limit: exit $status, want 2"
[ -e "$tmp/dest/new.blob" ] && fail "partial blob left where a link leads"
[ "$(ls "$tmp/dest" | tr '\n' ' ')" = "link.blob notes.blob " ] ||
	fail "left behind, through a link: $(ls "$tmp/dest" | tr '\n' ' ')"
rm -f "$tmp/dest/link.blob" "$tmp/dest/new.blob"

# Killed while the blob is written (strace stops it with SIGKILL at the
# fsync after the last write): nothing is left under any name, and the
# blob already there stays whole.  A link that fails is an error, with
# nothing left either.  Not under valgrind, which strace would trace.
if command -v strace >/dev/null 2>&1 && [ "$quick" = 0 ] &&
	strace -o /dev/null true 2>/dev/null; then
	strace -f -o /dev/null -e trace=fsync -e inject=fsync:signal=KILL \
		"$AWSNOTE_INDEX" -q -o "$tmp/dest/notes.blob" "$SEED" \
		>/dev/null 2>&1
	status=$?
	[ "$status" = 137 ] || fail "the build was not killed at fsync: exit $status"
	cmp -s "$tmp/dest/notes.blob" "$tmp/old.blob" ||
		fail "the old blob was damaged by a kill"
	[ "$(ls -A "$tmp/dest")" = notes.blob ] ||
		fail "a kill while writing left: $(ls -A "$tmp/dest" | tr "\n" " ")"
	# LeakSanitizer cannot work under ptrace: no leak check here.
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -o "$tmp/trace" -e trace=linkat \
		-e inject=linkat:error=EXDEV \
		"$AWSNOTE_INDEX" -q -o "$tmp/dest/notes.blob" "$SEED" \
		>/dev/null 2>"$tmp/err"
	status=$?
	if grep -q '^[0-9]* *linkat' "$tmp/trace"; then
		[ "$status" = 2 ] ||
			fail "a failed link: exit $status, want 2: $(head -c 300 "$tmp/err")"
		expect_grep "^awsnote-index: .*notes.blob: Invalid cross-device link$" \
			"$tmp/err" "a failed link named with its reason"
		[ "$(ls -A "$tmp/dest")" = notes.blob ] ||
			fail "a failed link left: $(ls -A "$tmp/dest" | tr "\n" " ")"
		cmp -s "$tmp/dest/notes.blob" "$tmp/old.blob" ||
			fail "the old blob was damaged by a failed link"
	else
		echo "# no O_TMPFILE here: the link failure not tested"
	fi
else
	echo "# no strace (or it cannot trace here): kill test not run"
fi

# A read-only directory (root writes anyway, so only for other users).
if [ "$(id -u)" != 0 ]; then
	mkdir "$tmp/ro"
	chmod 555 "$tmp/ro"
	expect_status 2 "$AWSNOTE_INDEX" -q -o "$tmp/ro/notes.blob" "$tmp/small.md"
	expect_grep "ro/notes.blob.*Permission denied" "$tmp/err" "read-only directory named"
	[ -z "$(ls "$tmp/ro")" ] || fail "wrote into a read-only directory"
	chmod 755 "$tmp/ro"
fi
finish
