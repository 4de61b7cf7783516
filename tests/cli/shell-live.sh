#!/bin/sh
# The shell over notes being edited: a note written in another window
# while the shell runs is what its next lookup shows.  Lines go to the
# shell through a FIFO, each after the answer to the one before, so the
# edits fall between lookups as a person's would.
. "$top_srcdir/tests/lib.sh"

WAIT=${AWSNOTE_TEST_WAIT:-30} # seconds before a wait gives up

mkdir -p "$tmp/notes/sub"
printf '# Kiwi\n\nkiwi fruit\n' >"$tmp/notes/kiwi.md"
printf '# Plum\n\nplum stone\n' >"$tmp/notes/sub/plum.md"
"$AWSNOTE_INDEX" -q -o "$tmp/own.blob" "$SEED" || fail "compile the seed"

# start ARG...: the shell on ARGs, its commands from the FIFO on fd 3.
start() {
	rm -f "$tmp/cmds"
	mkfifo "$tmp/cmds"
	# The redirections wait for the FIFO: until then ask would count the
	# answers of the shell before.
	: >"$tmp/live.out"
	: >"$tmp/live.err"
	"$AWSNOTE" "$@" -i <"$tmp/cmds" >"$tmp/live.out" 2>"$tmp/live.err" &
	pid=$!
	exec 3>"$tmp/cmds"
	asked=0
}

# ask LINE: send LINE and wait for its answer, which a :help after it
# marks the end of (a lookup that finds nothing prints nothing).  Under
# valgrind a look at the notes takes over 5 ms, so the shell reading a
# script does not look again before ten times as long has gone by (see
# the end): LINE waits a second there, for the edit before it to be seen.
ask() {
	asked=$((asked + 1))
	[ -z "${AWSNOTE_UNDER_VALGRIND:-}" ] || sleep 1
	printf '%s\n:help\n' "$1" >&3
	i=0
	while [ "$(grep -c '^title words' "$tmp/live.out")" -lt "$asked" ]; do
		i=$((i + 1))
		[ "$i" -le $((WAIT * 10)) ] || {
			fail "no answer to '$1' in ${WAIT}s"
			return
		}
		sleep 0.1
	done
}

# stop: end the shell and wait for it.
stop() {
	exec 3>&-
	wait "$pid"
	status=$?
}

# answers: what the shell printed, without the :help blocks.
answers() {
	sed '/^WORDS /,/^title words/d' "$tmp/live.out" | grep -v '^$'
}

start -f "$tmp/notes"
ask kiwi
printf '# Kiwi\n\nkiwi mango smoothie\n' >"$tmp/notes/kiwi.md"
ask mango
printf '# Fig\n\nfig leaf\n' >"$tmp/notes/sub/fig.md"
ask fig
rm "$tmp/notes/sub/plum.md"
ask plum
stop
[ "$(answers)" = "kiwi > Kiwi
kiwi fruit
kiwi > Kiwi
kiwi mango smoothie
sub/fig > Fig
fig leaf" ] || fail "edits while the shell runs: $(answers)"
expect_grep "nothing found for 'plum'" "$tmp/live.err" "a removed note is gone"
[ "$(grep -c . "$tmp/live.err")" = 1 ] || fail "messages: $(cat "$tmp/live.err")"

# Notes that no longer open (the folder emptied, say, half way through a
# checkout) are said to be in one line, and the notes as they were keep
# answering until they open again; -d is applied again each time.
start -f "$tmp/notes" -d kiwi
ask kiwi
mv "$tmp/notes/kiwi.md" "$tmp/kiwi.txt"
ask mango
ask mango
printf '# Kiwi\n\nkiwi papaya\n' >"$tmp/notes/kiwi.md"
ask papaya
ask fig
stop
[ "$(answers)" = "kiwi > Kiwi
kiwi mango smoothie
kiwi > Kiwi
kiwi mango smoothie
kiwi > Kiwi
kiwi mango smoothie
kiwi > Kiwi
kiwi papaya" ] || fail "notes that do not open: $(answers)"
expect_grep "^awsnote: no document or directory named 'kiwi' .*; the shell keeps the notes as they were$" \
	"$tmp/live.err" "the failed reopening said"
[ "$(grep -c 'keeps the notes' "$tmp/live.err")" = 1 ] ||
	fail "said once, not at every line: $(cat "$tmp/live.err")"
expect_grep "nothing found for 'fig'" "$tmp/live.err" "-d still keeps to kiwi"

# A blob written anew by awsnote-index (renamed into place) is read again.
start -f "$tmp/own.blob"
ask kiwi
"$AWSNOTE_INDEX" -q -o "$tmp/own.blob" "$tmp/notes" || fail "compile the notes"
ask kiwi
stop
[ "$(answers)" = "kiwi > Kiwi
kiwi papaya" ] || fail "a blob compiled again: $(answers)"

# A script of many lines over a large folder: a check that took long
# (over 5 ms; 5,000 files under strace take several times that) is not
# repeated before ten times as long has gone by, so 200 lines stat the
# files a few times, not 200 (1,000,000 calls before).
if command -v strace >/dev/null 2>&1; then
	mkdir "$tmp/many"
	i=0
	while [ $i -lt 5000 ]; do
		printf '# N%d\n\nmanyword%d\n' $i $i >"$tmp/many/n$i.md"
		i=$((i + 1))
	done
	i=0
	while [ $i -lt 200 ]; do
		echo manyword7
		i=$((i + 1))
	done >"$tmp/many.lines"
	# LeakSanitizer cannot run under ptrace (the sanitizer build).
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
		strace -f -c -o "$tmp/many.strace" -e trace=stat,lstat,fstat,newfstatat,statx \
		"$AWSNOTE" -i -f "$tmp/many" <"$tmp/many.lines" >"$tmp/many.out" 2>&1 ||
		fail "the batch over 5,000 files: $(tail -n 3 "$tmp/many.out")"
	[ "$(grep -c '^n7 > N7$' "$tmp/many.out")" = 200 ] ||
		fail "the batch over 5,000 files answered $(grep -c '^n7 > N7$' "$tmp/many.out") of 200"
	calls=$(awk '$NF == "total" { print $4 }' "$tmp/many.strace")
	[ -n "$calls" ] && [ "$calls" -lt 100000 ] ||
		fail "200 lines over 5,000 files: $calls stat calls"
fi

exit $((failures > 0))
