#!/bin/sh
# A blob kept in the cache has no name until it is whole and synced
# (O_TMPFILE, then linkat): a run killed while storing it leaves nothing
# behind, where a named temporary file stayed until a day-old prune.
# Where the file system makes no unnamed files, the named file is used.
. "$top_srcdir/tests/lib.sh"

command -v strace >/dev/null 2>&1 || skip "no strace"
# Signals and errors injected into system calls (strace 4.16 and later).
strace -o /dev/null -e trace=fsync -e inject=fsync:error=EIO true 2>/dev/null ||
	skip "this strace injects nothing"
# LeakSanitizer cannot run under ptrace (the sanitizer build).
ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"
export ASAN_OPTIONS

mkdir "$tmp/notes" "$tmp/cache"
printf '# Widgets\n\nA widget frobs the sprocket.\n' >"$tmp/notes/widgets.md"
# Written a minute ago: a note written in the last two seconds is not kept.
touch -d "@$(($(date +%s) - 60))" "$tmp/notes/widgets.md"
AWSNOTE_CACHE_DIR=$tmp/cache
export AWSNOTE_CACHE_DIR

# No file name is made but the blob's own (strace shows every path a
# system call is given).
run strace_whole "$tmp/store.strace" -e trace=file "$AWSNOTE" -f "$tmp/notes" sprocket
[ "$status" = 0 ] || fail "a lookup under strace: exit $status, $(cat "$tmp/err")"
[ "$(ls -A "$tmp/cache" | grep -c '\.blob$')" = 1 ] ||
	fail "one blob kept: $(ls -A "$tmp/cache")"
if grep -q "\"$tmp/cache\", .*O_TMPFILE.* = [0-9]" "$tmp/store.strace"; then
	grep -q '\.tmp"' "$tmp/store.strace" &&
		fail "a temporary file was named: $(grep -m 1 '\.tmp"' "$tmp/store.strace")"
	grep -q 'linkat(.*/proc/self/fd/[0-9]*", .*\.blob", AT_SYMLINK_FOLLOW) = 0' \
		"$tmp/store.strace" || fail "the unnamed blob was not linked in"
else
	grep -q '\.tmp"' "$tmp/store.strace" ||
		fail "no unnamed file, and no named one either"
fi

# Killed after writing the blob, before it has its name: nothing stays.
# (The sync just before the name is given is where the kill lands.)
rm -rf "$tmp/cache"
run strace -f -o /dev/null -e trace=fsync -e inject=fsync:signal=SIGKILL \
	"$AWSNOTE" -f "$tmp/notes" sprocket
[ "$status" = 0 ] && fail "the run storing the blob was not killed"
[ -d "$tmp/cache" ] || fail "the cache directory was not made"
[ -z "$(ls -A "$tmp/cache")" ] || fail "a killed run left $(ls -A "$tmp/cache")"
expect_first_line "Widgets" "$AWSNOTE" -f "$tmp/notes" sprocket
[ "$(ls -A "$tmp/cache" | grep -c '\.blob$')" = 1 ] ||
	fail "the next run keeps the blob: $(ls -A "$tmp/cache")"

# A file system without unnamed files (O_TMPFILE fails with EOPNOTSUPP,
# the cache directory's first open): the blob is written under a
# temporary name and renamed, as it was everywhere before.
rm -rf "$tmp/cache"
mkdir -m 700 "$tmp/cache"
run strace_whole "$tmp/named.strace" -e trace=openat,open \
	-e inject=openat:error=EOPNOTSUPP:when=1 -P "$tmp/cache" \
	"$AWSNOTE" -f "$tmp/notes" sprocket
[ "$status" = 0 ] || fail "O_TMPFILE refused: exit $status, $(cat "$tmp/err")"
grep -q 'O_TMPFILE.*INJECTED' "$tmp/named.strace" ||
	fail "O_TMPFILE was not refused: $(cat "$tmp/named.strace")"
[ "$(ls -A "$tmp/cache")" = "$(ls "$tmp/cache" | grep '\.blob$')" ] &&
	[ -n "$(ls "$tmp/cache")" ] ||
	fail "O_TMPFILE refused: one blob kept, no other file: $(ls -A "$tmp/cache")"
expect_first_line "Widgets" "$AWSNOTE" -f "$tmp/notes" sprocket

# No /proc to name the unnamed file through (linkat and access of
# /proc/self/fd/N fail): its bytes are copied to a named file, which is
# renamed; the unnamed one is still read for the lookup.
rm -rf "$tmp/cache"
mkdir -m 700 "$tmp/cache"
"$AWSNOTE_INDEX" -q -o "$tmp/want.blob" "$tmp/notes"
for fd in 3 4 5 6; do
	run strace_whole "$tmp/noproc.strace" -e trace=linkat,access \
		-e inject=linkat,access:error=ENOENT -P "/proc/self/fd/$fd" \
		"$AWSNOTE" -f "$tmp/notes" sprocket
	grep -q 'INJECTED' "$tmp/noproc.strace" && break
	rm -f "$tmp"/cache/*
done
grep -q 'access(.*INJECTED' "$tmp/noproc.strace" ||
	fail "no /proc: nothing injected: $(cat "$tmp/noproc.strace")"
[ "$status" = 0 ] && [ "$(head -n 1 "$tmp/out")" = Widgets ] ||
	fail "no /proc: exit $status, $(head -n 1 "$tmp/out") $(cat "$tmp/err")"
set -- "$tmp"/cache/*.blob
[ "$(ls -A "$tmp/cache")" = "$(basename "$1")" ] &&
	cmp -s "$tmp/want.blob" "$1" ||
	fail "no /proc: the blob kept whole, no other file: $(ls -A "$tmp/cache")"

exit $((failures > 0))
