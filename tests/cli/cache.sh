#!/bin/sh
# Notes given as Markdown are kept compiled between runs: reused while
# their files are unchanged, compiled again after an edit, and a cache
# that cannot be used never fails a lookup.
. "$top_srcdir/tests/lib.sh"

cache=$tmp/cache
AWSNOTE_CACHE_DIR=$cache
export AWSNOTE_CACHE_DIR
mkdir -p "$tmp/notes/sub" "$tmp/decoy"
printf '# Widgets\n\nA widget frobs the sprocket.\n' >"$tmp/notes/widgets.md"
printf '# Gears\n\nTeeth and cogs.\n' >"$tmp/notes/sub/gears.md"
printf '# Decoy\n\nA decoy sprocket.\n' >"$tmp/decoy/decoy.md"

# blobs DIR: the kept blobs in DIR, one name a line
blobs() {
	ls "$1" 2>/dev/null | grep '\.blob$'
}

# settle: date every note a minute back.  A note modified in the last
# two seconds is compiled but not kept (its time may not show the next
# write in the same clock tick), which the next paragraph shows.
settle() {
	find "$tmp" -name '*.md' -exec touch -d "@$(($(date +%s) - 60))" {} +
}

# "Just written" whatever the run takes (valgrind starts in seconds on a
# busy machine): a time ahead of the clock is as recent as it gets.
touch -d "@$(($(date +%s) + 3600))" "$tmp/notes/widgets.md"
expect_first_line "widgets > Widgets" "$AWSNOTE" -f "$tmp/notes" sprocket
[ -z "$(blobs "$cache")" ] || fail "a note just written was kept"
settle

# The first run compiles and keeps the blob in a private directory.
expect_first_line "widgets > Widgets" "$AWSNOTE" -f "$tmp/notes" sprocket
[ "$(blobs "$cache" | wc -l)" -eq 1 ] || fail "one blob kept: $(ls -a "$cache")"
[ "$(stat -c %a "$cache")" = 700 ] || fail "cache directory mode $(stat -c %a "$cache")"
kept=$cache/$(blobs "$cache")
[ "$(head -c 4 "$kept" | od -An -tx1 | tr -d ' ')" = 8941574e ] ||
	fail "the kept file is a blob"
ls -a "$cache" | grep -q '\.tmp$' && fail "a temporary file left behind"

# What it prints is what compiling every time prints.
for q in "-l" "sprocket" "-k cogs" "-e [a-z]+s\b"; do
	# shellcheck disable=SC2086
	"$AWSNOTE" -f "$tmp/notes" $q >"$tmp/cached" 2>&1
	# shellcheck disable=SC2086
	AWSNOTE_CACHE_DIR= "$AWSNOTE" -f "$tmp/notes" $q >"$tmp/fresh" 2>&1
	cmp -s "$tmp/cached" "$tmp/fresh" || fail "cached and fresh differ for '$q'"
done

# The second run reads the kept blob: swapped for another one, that
# other one answers.
"$AWSNOTE_INDEX" -q -o "$kept" "$tmp/decoy" || fail "compile the decoy"
expect_first_line "Decoy" "$AWSNOTE" -f "$tmp/notes" sprocket
rm -f "$kept"

# An edit, a new file and a removed file are seen at once, and the blob
# they replace is removed.
expect_first_line "widgets > Widgets" "$AWSNOTE" -f "$tmp/notes" sprocket
printf '# Widgets two\n\nA widget frobs the sprocket twice.\n' >"$tmp/notes/widgets.md"
expect_first_line "widgets > Widgets two" "$AWSNOTE" -f "$tmp/notes" sprocket
settle
expect_first_line "widgets > Widgets two" "$AWSNOTE" -f "$tmp/notes" sprocket
[ "$(blobs "$cache" | wc -l)" -eq 1 ] || fail "the replaced blob is removed: $(ls "$cache")"
printf '# Flanges\n\nFlange bolts.\n' >"$tmp/notes/sub/new.md"
expect_first_line "sub/new > Flanges" "$AWSNOTE" -f "$tmp/notes" flange
expect_status 0 "$AWSNOTE" -f "$tmp/notes" cogs
rm "$tmp/notes/sub/gears.md"
expect_status 1 "$AWSNOTE" -f "$tmp/notes" cogs
settle
expect_status 1 "$AWSNOTE" -f "$tmp/notes" cogs
# A hidden file is not notes, so it changes nothing.
kept=$cache/$(blobs "$cache")
printf '# Hidden\n\nhidden cogs\n' >"$tmp/notes/.hidden.md"
expect_status 1 "$AWSNOTE" -f "$tmp/notes" cogs
[ -f "$kept" ] || fail "a hidden file made a new blob"

# One Markdown file is kept too; its document is named as it was given,
# so a link to it under another name is another blob.
expect_first_line "Widgets two" "$AWSNOTE" -f "$tmp/notes/widgets.md" sprocket
ln -s "$tmp/notes/widgets.md" "$tmp/alias.md"
expect_first_line "alias > Widgets two" "$AWSNOTE" -f "$tmp/alias.md" -f "$tmp/decoy" sprocket
expect_first_line "alias > Widgets two" "$AWSNOTE" -f "$tmp/alias.md" -f "$tmp/decoy" sprocket
[ "$(blobs "$cache" | wc -l)" -eq 4 ] || fail "four notes, four blobs: $(ls "$cache")"

# A damaged blob in the cache is compiled again, without a word.
for f in $(blobs "$cache"); do head -c 100 "$cache/$f" >"$tmp/cut" && cp "$tmp/cut" "$cache/$f"; done
expect_first_line "widgets > Widgets two" "$AWSNOTE" -f "$tmp/notes" sprocket
[ -s "$tmp/err" ] && fail "a damaged cache makes noise: $(cat "$tmp/err")"
printf 'not a blob at all\n' >"$cache/$(blobs "$cache" | head -n 1)"
expect_status 0 "$AWSNOTE" -f "$tmp/notes" -f "$tmp/notes/widgets.md" -f "$tmp/decoy" -f "$tmp/alias.md" sprocket

# A kept blob whose text is damaged on disk opens (a lookup checks only
# what it reads) and fails the lookup that reads that text; it is then
# removed, and the next run compiles the notes again.
rm -f "$cache"/*.blob
expect_first_line "widgets > Widgets two" "$AWSNOTE" -f "$tmp/notes" sprocket
kept=$cache/$(blobs "$cache")
at=$(grep -abo 'frobs the sprocket' "$kept" | head -n 1 | cut -d: -f1)
[ -n "$at" ] || fail "no text to damage in $kept"
printf 'F' | dd of="$kept" bs=1 seek="$at" conv=notrunc 2>/dev/null
expect_status 2 "$AWSNOTE" -f "$tmp/notes" sprocket
expect_grep "checksum mismatch" "$tmp/err" "damaged text reported"
expect_grep "checksum mismatch); removed it from the cache, the next run compiles the notes again$" \
	"$tmp/err" "the damaged kept blob removed"
[ "$(wc -l <"$tmp/err")" = 1 ] || fail "not one line: $(cat "$tmp/err")"
[ -e "$kept" ] && fail "the damaged kept blob is still there"
expect_first_line "widgets > Widgets two" "$AWSNOTE" -f "$tmp/notes" sprocket
[ -s "$tmp/err" ] && fail "noise after recompiling: $(cat "$tmp/err")"
# The same through a regex search, which reads the block.
printf 'F' | dd of="$kept" bs=1 seek="$at" conv=notrunc 2>/dev/null
expect_status 2 "$AWSNOTE" -f "$tmp/notes" -e 'frobs the'
expect_grep "checksum mismatch); removed it from the cache" "$tmp/err" \
	"-e: the damaged kept blob removed"
[ "$(wc -l <"$tmp/err")" = 1 ] || fail "-e: not one line: $(cat "$tmp/err")"
[ -e "$kept" ] && fail "-e: the damaged kept blob is still there"
expect_status 0 "$AWSNOTE" -f "$tmp/notes" -e 'frobs the'
[ -s "$tmp/err" ] && fail "-e: noise after recompiling: $(cat "$tmp/err")"
# A blob given by -f is the user's own: damaged, it is reported, kept.
cp "$kept" "$tmp/own.blob"
at=$(grep -abo 'frobs the sprocket' "$tmp/own.blob" | head -n 1 | cut -d: -f1)
printf 'F' | dd of="$tmp/own.blob" bs=1 seek="$at" conv=notrunc 2>/dev/null
expect_status 2 "$AWSNOTE" -f "$tmp/own.blob" sprocket
[ -e "$tmp/own.blob" ] || fail "a damaged blob of the user's own was removed"
expect_grep "checksum mismatch" "$tmp/err" "damaged text of a -f blob reported"
grep -q "removed" "$tmp/err" && fail "said removed for the user's blob"

# awsnote-shell, the shell's line-editing front end, is the same code:
# it uses the blobs awsnote keeps rather than compiling its own.
if [ -x "$top_builddir/cli/awsnote-shell" ]; then
	before=$(blobs "$cache")
	expect_first_line "widgets > Widgets two" \
		"$top_builddir/cli/awsnote-shell" -f "$tmp/notes" sprocket
	[ "$(blobs "$cache")" = "$before" ] ||
		fail "awsnote-shell kept blobs of its own: $(blobs "$cache")"
fi

# Something else under a kept blob's name is passed over and replaced,
# and a FIFO there does not hang the lookup.
kind=fifo
for f in $(blobs "$cache"); do
	rm -f "$cache/$f"
	if [ $kind = fifo ]; then mkfifo "$cache/$f"; else ln -s /dev/zero "$cache/$f"; fi
	kind=link
done
run timeout 10 "$AWSNOTE" -f "$tmp/notes" -f "$tmp/notes/widgets.md" -f "$tmp/decoy" -f "$tmp/alias.md" sprocket
[ "$status" = 0 ] || fail "kept names taken by a FIFO or a link: exit $status $(cat "$tmp/err")"
for f in $(blobs "$cache"); do
	[ -f "$cache/$f" ] && [ ! -L "$cache/$f" ] ||
		fail "a FIFO or a link under a kept name was not replaced: $f"
done

# A cache that cannot be used is passed over: the lookup answers, and
# says in one line why the directory the user named keeps nothing.
: >"$tmp/plainfile"
mkdir -m 777 "$tmp/open"
for case in "plainfile:Not a directory" "plainfile/sub:Not a directory" \
	"open:writable by other users" "gone/sub:No such file or directory"; do
	dir=$tmp/${case%%:*}
	AWSNOTE_CACHE_DIR=$dir expect_first_line "widgets > Widgets two" "$AWSNOTE" -f "$tmp/notes" sprocket
	want="awsnote: AWSNOTE_CACHE_DIR=$dir: ${case#*:}; Markdown notes are compiled on every run"
	[ "$(cat "$tmp/err")" = "$want" ] || fail "cache $dir said: $(cat "$tmp/err")"
done
[ -z "$(blobs "$tmp/open")" ] || fail "a blob kept where others can write"
# A relative directory would be another one in every working directory.
(
	cd "$tmp" || exit 1
	AWSNOTE_CACHE_DIR=rel "$AWSNOTE" -f "$tmp/notes" sprocket >"$tmp/rel.out" 2>"$tmp/rel.err"
	echo $? >"$tmp/rel.status"
)
[ "$(cat "$tmp/rel.status")" = 0 ] && [ "$(head -n 1 "$tmp/rel.out")" = "widgets > Widgets two" ] ||
	fail "a relative cache: exit $(cat "$tmp/rel.status"): $(cat "$tmp/rel.out" "$tmp/rel.err")"
[ "$(cat "$tmp/rel.err")" = "awsnote: AWSNOTE_CACHE_DIR=rel: not an absolute path; Markdown notes are compiled on every run" ] ||
	fail "a relative cache said: $(cat "$tmp/rel.err")"
[ -e "$tmp/rel" ] && fail "a relative cache directory was made"
[ -e "$tmp/gone" ] && fail "a cache's missing parent was made"
# Only a directory the user named is reported: HOME's is passed over.
expect_first_line "widgets > Widgets two" env -u AWSNOTE_CACHE_DIR \
	-u XDG_CACHE_HOME HOME="$tmp/plainfile" "$AWSNOTE" -f "$tmp/notes" sprocket
[ -s "$tmp/err" ] && fail "an unusable HOME cache: $(cat "$tmp/err")"
# Runs that compile the same notes at once each answer, and leave one
# blob and no temporary file.
rm -rf "$tmp/race"
settle
for i in 1 2 3 4 5 6; do
	AWSNOTE_CACHE_DIR=$tmp/race "$AWSNOTE" -f "$tmp/notes" -k sprocket \
		>"$tmp/race.$i" 2>&1 &
done
wait
for i in 2 3 4 5 6; do
	cmp -s "$tmp/race.1" "$tmp/race.$i" || fail "racing runs differ: $(cat "$tmp/race.$i")"
done
expect_grep "^widgets > Widgets two - " "$tmp/race.1" "racing runs answer"
[ "$(ls -A "$tmp/race" | wc -l)" = 1 ] || fail "racing runs left $(ls -A "$tmp/race")"
# ... and so is one on a full file system, or a read-only one: the
# lookup answers, says nothing, and leaves no file there (a tmpfs in a
# mount namespace of our own; skipped where there is none).
settle
cat >"$tmp/cachefs.sh" <<'SH'
t=$1 awsnote=$2
mkdir "$t/cfs" && mount -t tmpfs -o size=64k tmpfs "$t/cfs" || exit 3
chmod 700 "$t/cfs"
cat /dev/zero >"$t/cfs/filler" 2>/dev/null
AWSNOTE_CACHE_DIR=$t/cfs "$awsnote" -f "$t/notes" sprocket >"$t/full.out" 2>&1
echo $? >>"$t/full.out"
rm "$t/cfs/filler"
mount -o remount,ro "$t/cfs" || exit 3
AWSNOTE_CACHE_DIR=$t/cfs "$awsnote" -f "$t/notes" sprocket >"$t/ro.out" 2>&1
echo $? >>"$t/ro.out"
ls -A "$t/cfs" >"$t/cfs.ls"
SH
run unshare -rm sh "$tmp/cachefs.sh" "$tmp" "$AWSNOTE"
if [ "$status" = 0 ]; then
	AWSNOTE_CACHE_DIR= "$AWSNOTE" -f "$tmp/notes" sprocket >"$tmp/want.out"
	echo 0 >>"$tmp/want.out"
	cmp -s "$tmp/want.out" "$tmp/full.out" || fail "a full cache: $(cat "$tmp/full.out")"
	cmp -s "$tmp/want.out" "$tmp/ro.out" || fail "a read-only cache: $(cat "$tmp/ro.out")"
	[ -s "$tmp/cfs.ls" ] && fail "a full cache: left $(cat "$tmp/cfs.ls")"
fi

# ... and so is a file size limit (ulimit -f) below the blob's size:
# the write raised SIGXFSZ, which killed the lookup (exit 153, nothing
# printed) and left the temporary file in the cache.
mkdir "$tmp/big"
cp "$SEED" "$tmp/big/seed.md"
settle
(
	ulimit -f 16
	AWSNOTE_CACHE_DIR=$tmp/capped exec "$AWSNOTE" -f "$tmp/big" -k sqs
) >"$tmp/capped.out" 2>&1
status=$?
AWSNOTE_CACHE_DIR= "$AWSNOTE" -f "$tmp/big" -k sqs >"$tmp/want.out" 2>&1
[ "$status" = 0 ] || fail "a file size limit: exit $status, $(cat "$tmp/capped.out")"
cmp -s "$tmp/want.out" "$tmp/capped.out" || fail "a file size limit: $(cat "$tmp/capped.out")"
[ -z "$(ls -A "$tmp/capped")" ] || fail "a file size limit: left $(ls -A "$tmp/capped")"
[ "$(stat -c %s "$BLOB")" -gt 16384 ] || fail "the seed's blob fits the limit"
rm -r "$tmp/big"

# Where: $AWSNOTE_CACHE_DIR; set but empty, nowhere; else
# $XDG_CACHE_HOME/awsnote, else ~/.cache/awsnote.
mkdir "$tmp/home"
run env -u AWSNOTE_CACHE_DIR -u XDG_CACHE_HOME HOME="$tmp/home" "$AWSNOTE" -f "$tmp/notes" sprocket
[ -n "$(blobs "$tmp/home/.cache/awsnote")" ] || fail "~/.cache/awsnote by default"
run env -u AWSNOTE_CACHE_DIR XDG_CACHE_HOME="$tmp/xdg" HOME="$tmp/home" "$AWSNOTE" -f "$tmp/notes" sprocket
[ -n "$(blobs "$tmp/xdg/awsnote")" ] || fail "\$XDG_CACHE_HOME/awsnote"
rm -rf "$tmp/home"
mkdir "$tmp/home"
run env AWSNOTE_CACHE_DIR= XDG_CACHE_HOME="$tmp/home/x" HOME="$tmp/home" "$AWSNOTE" -f "$tmp/notes" sprocket
[ -z "$(ls -A "$tmp/home")" ] || fail "AWSNOTE_CACHE_DIR= still keeps blobs: $(ls -AR "$tmp/home")"

# A home directory is never made: with HOME missing (as root, the lookup
# made /nonexistent/.cache/awsnote), a file, unset, empty or relative,
# the notes are compiled and nothing is kept or made.  Nor is the parent
# of $XDG_CACHE_HOME or of $AWSNOTE_CACHE_DIR; they themselves are.
mkdir "$tmp/cwd"
: >"$tmp/homefile"
for home in "HOME=$tmp/gone" "HOME=$tmp/homefile" "-u HOME" "HOME=" "HOME=cwd"; do
	rm -rf "$tmp/gone"
	# shellcheck disable=SC2086
	(cd "$tmp/cwd" && env -u AWSNOTE_CACHE_DIR -u XDG_CACHE_HOME $home \
		"$AWSNOTE" -f "$tmp/notes" sprocket >"$tmp/out" 2>"$tmp/err")
	[ "$(head -n 1 "$tmp/out")" = "widgets > Widgets two" ] ||
		fail "$home: $(cat "$tmp/out" "$tmp/err")"
	[ -s "$tmp/err" ] && fail "$home: $(cat "$tmp/err")"
	[ -e "$tmp/gone" ] && fail "$home: made the home directory"
	[ -z "$(ls -A "$tmp/cwd")" ] || fail "$home: made $(ls -A "$tmp/cwd")"
done
for var in XDG_CACHE_HOME AWSNOTE_CACHE_DIR; do
	rm -rf "$tmp/gone"
	run env -u AWSNOTE_CACHE_DIR HOME="$tmp/home" "$var=$tmp/gone/cache" \
		"$AWSNOTE" -f "$tmp/notes" sprocket
	# Only awsnote's own variable is reported (see above).
	said=
	[ $var = AWSNOTE_CACHE_DIR ] && said="awsnote: $var=$tmp/gone/cache: No such file or directory; Markdown notes are compiled on every run"
	[ "$status" = 0 ] && [ "$(cat "$tmp/err")" = "$said" ] ||
		fail "$var's parent missing: $(cat "$tmp/err")"
	[ -e "$tmp/gone" ] && fail "$var's parent was made"
	mkdir "$tmp/gone"
	run env -u AWSNOTE_CACHE_DIR HOME="$tmp/home" "$var=$tmp/gone/cache" \
		"$AWSNOTE" -f "$tmp/notes" sprocket
	[ -n "$(find "$tmp/gone/cache" -name '*.blob')" ] || fail "$var not made"
	[ -s "$tmp/err" ] && fail "$var made: $(cat "$tmp/err")"
done
rm -rf "$tmp/home/.cache"
run env -u AWSNOTE_CACHE_DIR -u XDG_CACHE_HOME HOME="$tmp/home" "$AWSNOTE" -f "$tmp/notes" sprocket
[ "$(stat -c %a "$tmp/home/.cache") $(stat -c %a "$tmp/home/.cache/awsnote")" = "700 700" ] ||
	fail "~/.cache/awsnote made private: $(ls -ld "$tmp/home/.cache" "$tmp/home/.cache/awsnote")"

# Two builds of awsnote whose code differs (an installed one and a build
# tree's) keep a blob each of the same notes: each removed the other's,
# so every run compiled.  An edit replaces the blob of the build that
# sees it, no other.  The other build is this one with its source id
# (lib/source-id.h, which the name hashes) changed.
id=$(sed -n 's/^#define AWN_SOURCE_ID "\(.*\)"$/\1/p' "$top_builddir/lib/source-id.h")
cp "$top_builddir/cli/awsnote" "$tmp/other-awsnote"
at=$(grep -abo -F "$id" "$tmp/other-awsnote" | cut -d: -f1)
if [ -z "$id" ] || [ "$(echo "$at" | wc -w)" != 1 ]; then
	fail "no one source id '$id' to change in cli/awsnote: $at"
else
	printf X | dd of="$tmp/other-awsnote" bs=1 seek="$at" conv=notrunc 2>/dev/null
	settle
	export AWSNOTE_CACHE_DIR="$tmp/two"
	expect_first_line "widgets > Widgets two" "$AWSNOTE" -f "$tmp/notes" sprocket
	mine=$(blobs "$tmp/two")
	expect_first_line "widgets > Widgets two" "$tmp/other-awsnote" -f "$tmp/notes" sprocket
	theirs=$(blobs "$tmp/two" | grep -vx "$mine")
	[ "$(blobs "$tmp/two" | wc -l)" = 2 ] && [ -n "$theirs" ] ||
		fail "two builds keep one blob each: $(ls -A "$tmp/two")"
	inode=$(stat -c %i "$tmp/two/$mine")
	expect_first_line "widgets > Widgets two" "$AWSNOTE" -f "$tmp/notes" sprocket
	[ "$(stat -c %i "$tmp/two/$mine" 2>&1)" = "$inode" ] ||
		fail "the other build's run made this one compile again"
	printf '\nMore sprockets.\n' >>"$tmp/notes/widgets.md"
	settle
	expect_first_line "widgets > Widgets two" "$AWSNOTE" -f "$tmp/notes" sprocket
	[ "$(blobs "$tmp/two" | wc -l)" = 2 ] && [ -f "$tmp/two/$theirs" ] &&
		[ ! -e "$tmp/two/$mine" ] ||
		fail "an edit replaces this build's blob only: $(ls -A "$tmp/two")"
	export AWSNOTE_CACHE_DIR="$cache"
fi

# Blobs are read as they are, not kept again; errors are as before.
rm -rf "$cache"
expect_status 0 "$AWSNOTE" -f "$BLOB" sqs
[ -e "$cache" ] && fail "a blob was cached"
expect_status 2 "$AWSNOTE" -f "$tmp/nosuch" sqs
expect_grep "nosuch: No such file" "$tmp/err" "missing notes"
mkdir "$tmp/empty"
expect_status 2 "$AWSNOTE" -f "$tmp/empty" sqs
expect_grep "no Markdown files" "$tmp/err" "a directory without notes"
[ -z "$(blobs "$cache")" ] || fail "failed compiles kept something"

exit $((failures > 0))
