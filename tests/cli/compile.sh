#!/bin/sh
# awsnote -f DIR compiles the notes as awsnote-index builds them: the
# same blob, with the text compressed in a second thread (and, past the
# 64 MiB budget, temporary files in $TMPDIR; spill.sh tests those).
. "$top_srcdir/tests/lib.sh"

# 60 notes of 30 sections, ~1.5 MB: several text segments, so the
# second thread has blocks to compress.
mkdir "$tmp/notes" "$tmp/cache"
random_notes "$tmp/notes" 60 30 120 5000 Topic word
# Notes changed a moment ago are not kept (cache.c's CACHE_SETTLE).
find "$tmp/notes" -name '*.md' -exec touch -d "@$(($(date +%s) - 60))" {} +

expect_status 0 "$AWSNOTE_INDEX" -q -o "$tmp/index.blob" "$tmp/notes"
AWSNOTE_CACHE_DIR=$tmp/cache expect_status 0 "$AWSNOTE" -f "$tmp/notes" \
	topic 7-3
expect_grep '^n007 > Topic 7-3$' "$tmp/out" "lookup in compiled notes"
set -- "$tmp"/cache/*.blob
[ $# = 1 ] && [ -f "$1" ] || fail "no compiled notes kept: $*"
cmp -s "$tmp/index.blob" "$1" ||
	fail "awsnote -f kept a blob other than awsnote-index's"

# The second thread: a clone with CLONE_THREAD while the notes compile,
# none for a lookup in a blob.  (Not under valgrind, which runs threads
# its own way; LeakSanitizer cannot run under ptrace.)
if command -v strace >/dev/null 2>&1 &&
	[ -z "${AWSNOTE_UNDER_VALGRIND:-}" ]; then
	for what in notes blob; do
		src=$tmp/notes
		[ $what = blob ] && src=$tmp/index.blob
		ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
			strace -f -e trace=clone,clone3 -o "$tmp/$what.strace" \
			"$AWSNOTE" -f "$src" topic 7-3 >/dev/null 2>&1 ||
			fail "awsnote -f $what under strace"
	done
	grep -q 'CLONE_THREAD' "$tmp/notes.strace" ||
		fail "compiling notes started no thread: $(cat "$tmp/notes.strace")"
	grep -q 'CLONE_THREAD' "$tmp/blob.strace" &&
		fail "a lookup in a blob started a thread"
fi

# The blob goes straight into the cache's new file, and the lookup
# reads it mapped from there: the whole blob is never in memory (ten
# times awsdocs+tldr: 169 MB at most, against 388 MB through memory).
# Seen as a map of the file the build opened in the cache, of the
# kept blob's size.  (Where the file system makes no unnamed file, a
# named one is opened instead.)
if command -v strace >/dev/null 2>&1 &&
	[ -z "${AWSNOTE_UNDER_VALGRIND:-}" ]; then
	rm -f "$tmp"/cache/*.blob
	AWSNOTE_CACHE_DIR=$tmp/cache ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
		strace -f -e trace=openat,mmap -o "$tmp/map.strace" \
		"$AWSNOTE" -f "$tmp/notes" topic 7-3 >/dev/null 2>&1 ||
		fail "awsnote -f notes under strace"
	size=$(stat -c %s "$tmp/index.blob")
	fd=$(sed -n "s|.*openat(AT_FDCWD, \"$tmp/cache[^\"]*\", O_RDWR.* = \([0-9]*\)\$|\1|p" \
		"$tmp/map.strace" | head -n 1)
	[ -n "$fd" ] || fail "no file opened in the cache: $(grep cache "$tmp/map.strace")"
	grep -q "mmap(NULL, $size, PROT_READ, MAP_PRIVATE, $fd, 0)" "$tmp/map.strace" ||
		fail "the blob was not read from the file it was written to: $(grep -E 'cache|mmap' "$tmp/map.strace")"
	# Without a cache, into a file without a name in $TMPDIR.
	mkdir "$tmp/t"
	TMPDIR=$tmp/t AWSNOTE_CACHE_DIR= \
		ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
		strace -f -e trace=openat,mmap -o "$tmp/temp.strace" \
		"$AWSNOTE" -f "$tmp/notes" topic 7-3 >"$tmp/out" 2>&1 ||
		fail "awsnote -f notes without a cache: $(cat "$tmp/out")"
	expect_grep '^n007 > Topic 7-3$' "$tmp/out" "lookup without a cache"
	fd=$(sed -n "s|.*openat(AT_FDCWD, \"$tmp/t[/\"].* = \([0-9]*\)\$|\1|p" \
		"$tmp/temp.strace" | tail -n 1)
	[ -n "$fd" ] || fail "no temporary file opened: $(grep "$tmp/t" "$tmp/temp.strace")"
	grep -q "mmap(NULL, $size, PROT_READ, MAP_PRIVATE, $fd, 0)" "$tmp/temp.strace" ||
		fail "the blob was not read from a temporary file: $(grep -E "$tmp/t|mmap" "$tmp/temp.strace")"
	[ -z "$(ls -A "$tmp/t")" ] || fail "a temporary file was left: $(ls -A "$tmp/t")"
fi

# A TMPDIR that does not exist is only a problem once a build spills,
# which 1.5 MB of notes never does under the 64 MiB budget.  (Not under
# valgrind, which keeps files of its own in TMPDIR.)
[ -n "${AWSNOTE_UNDER_VALGRIND:-}" ] ||
	TMPDIR=$tmp/missing expect_status 0 "$AWSNOTE" -f "$tmp/notes" \
		topic 7-3
finish
