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

# mapped_from STRACE DIR WHAT: in STRACE (openat and mmap), the blob
# (the size of awsnote-index's) is mapped from a file opened in DIR.
mapped_from() {
	fd=$(sed -n "s|.*openat(AT_FDCWD, \"$2[/\"].*O_RDWR.* = \([0-9]*\)\$|\1|p" \
		"$1" | tail -n 1)
	[ -n "$fd" ] || fail "$3: no file opened in $2 to write: $(grep "$2" "$1" | head -n 3)"
	want="mmap(NULL, $(stat -c %s "$tmp/index.blob"), PROT_READ, MAP_PRIVATE, $fd, 0)"
	grep -qF "$want" "$1" ||
		fail "$3: the blob was not read from the file it was written to (no $want)"
}

# Not under valgrind, which runs threads its own way and keeps files of
# its own in TMPDIR.
if command -v strace >/dev/null 2>&1 &&
	[ -z "${AWSNOTE_UNDER_VALGRIND:-}" ]; then
	# LeakSanitizer cannot run under ptrace (the sanitizer build).
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"
	export ASAN_OPTIONS

	# The second thread: a clone with CLONE_THREAD while the notes
	# compile, none for a lookup in a blob.
	for what in notes blob; do
		src=$tmp/notes
		[ $what = blob ] && src=$tmp/index.blob
		strace -f -e trace=clone,clone3 -o "$tmp/$what.strace" \
			"$AWSNOTE" -f "$src" topic 7-3 >/dev/null 2>&1 ||
			fail "awsnote -f $what under strace"
	done
	grep -q 'CLONE_THREAD' "$tmp/notes.strace" ||
		fail "compiling notes started no thread: $(cat "$tmp/notes.strace")"
	grep -q 'CLONE_THREAD' "$tmp/blob.strace" &&
		fail "a lookup in a blob started a thread"

	# The blob goes straight into the cache's new file, and the lookup
	# reads it mapped from there: the whole blob is never in memory
	# (ten times awsdocs+tldr: 169 MB at most, against 388 MB through
	# memory).  The file is unnamed, or where the file system makes no
	# such file, named.
	rm -f "$tmp"/cache/*.blob
	AWSNOTE_CACHE_DIR=$tmp/cache \
		strace_whole "$tmp/map.strace" -e trace=openat,mmap \
		"$AWSNOTE" -f "$tmp/notes" topic 7-3 >/dev/null 2>&1 ||
		fail "awsnote -f notes under strace"
	mapped_from "$tmp/map.strace" "$tmp/cache" "kept in the cache"

	# Without a cache, into a file without a name in $TMPDIR.
	mkdir "$tmp/t"
	TMPDIR=$tmp/t AWSNOTE_CACHE_DIR= \
		strace_whole "$tmp/temp.strace" -e trace=openat,mmap \
		"$AWSNOTE" -f "$tmp/notes" topic 7-3 >"$tmp/out" 2>&1 ||
		fail "awsnote -f notes without a cache: $(cat "$tmp/out")"
	expect_grep '^n007 > Topic 7-3$' "$tmp/out" "lookup without a cache"
	mapped_from "$tmp/temp.strace" "$tmp/t" "without a cache"
	[ -z "$(ls -A "$tmp/t")" ] || fail "a temporary file was left: $(ls -A "$tmp/t")"

	# A cache that makes no file (a read-only file system, mounted in
	# a namespace of our own; skipped where there is none): the same.
	cat >"$tmp/ro.sh" <<'SH'
tmp=$1
shift
mkdir "$tmp/ro" && mount -t tmpfs -o size=64k tmpfs "$tmp/ro" &&
	chmod 700 "$tmp/ro" && mount -o remount,ro "$tmp/ro" || exit 3
TMPDIR=$tmp/t AWSNOTE_CACHE_DIR=$tmp/ro exec "$@"
SH
	run unshare -rm sh "$tmp/ro.sh" "$tmp" \
		strace -ff -o "$tmp/ro.strace" -e trace=openat,mmap \
		"$AWSNOTE" -f "$tmp/notes" topic 7-3
	strace_join "$tmp/ro.strace"
	if [ "$status" != 3 ]; then
		[ "$status" = 0 ] && [ "$(head -n 1 "$tmp/out")" = "n007 > Topic 7-3" ] ||
			fail "a read-only cache: exit $status, $(head -n 1 "$tmp/out") $(cat "$tmp/err")"
		mapped_from "$tmp/ro.strace" "$tmp/t" "a read-only cache"
	fi
fi

# A TMPDIR that does not exist is only a problem once a build spills,
# which 1.5 MB of notes never does under the 64 MiB budget.  (Not under
# valgrind, which keeps files of its own in TMPDIR.)
[ -n "${AWSNOTE_UNDER_VALGRIND:-}" ] ||
	TMPDIR=$tmp/missing expect_status 0 "$AWSNOTE" -f "$tmp/notes" \
		topic 7-3
finish
