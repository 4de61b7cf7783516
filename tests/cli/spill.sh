#!/bin/sh
# awsnote-index with a small memory budget: postings and text go through
# temporary files, and the blob is byte for byte the one an all-in-memory
# build writes.  Failures of those files give one line and no blob.
. "$top_srcdir/tests/lib.sh"

# 120 notes with 40 sections each, words drawn from a large vocabulary
# and long titles, so a 64 KiB budget spills many runs of postings and
# of anchors (more than 16 of each, which merges them while building).
# Each section has an <a name>, and each note links to one of the next
# note's: past 4,096 names, HTML_NAMES keeps the 119 that links want.
# Its last section links to one of its own, led to the section (the
# reader holds such a note to its end, past 1K in a temporary file).
mkdir "$tmp/notes" "$tmp/spill"
awk 'BEGIN {
	srand(8);
	for (w = 0; w < 90; w++)
		title = title " anchored" w;
	for (f = 0; f < 120; f++) {
		file = sprintf("'"$tmp"'/notes/n%03d.md", f);
		for (s = 0; s < 40; s++) {
			printf "## Topic %d-%d %s\n\n", f, s, title > file;
			printf "<a name=\"t%d-%d\"></a>\n\n", f, s > file;
			if (s == 0 && f < 119)
				printf "[next](n%03d.md#t%d-5)\n\n", f + 1, f + 1 > file;
			if (s == 39)
				printf "[back](#t%d-1)\n\n", f > file;
			for (w = 0; w < 60; w++)
				printf "word%d ", int(rand() * 20000) > file;
			printf "\n\n" > file;
		}
		close(file);
	}
}'

expect_status 0 "$AWSNOTE_INDEX" -q -j 1 -m 1G -o "$tmp/mem.blob" "$tmp/notes"
for opts in "-j 1 -m 64K" "-j 2 -m 64K" "-j 2 -m 1K" "-j 2"; do
	# shellcheck disable=SC2086
	TMPDIR=$tmp/spill expect_status 0 "$AWSNOTE_INDEX" -q $opts \
		-o "$tmp/x.blob" "$tmp/notes"
	cmp -s "$tmp/mem.blob" "$tmp/x.blob" ||
		fail "awsnote-index $opts: blob differs from the in-memory build"
	[ -z "$(ls "$tmp/spill")" ] ||
		fail "awsnote-index $opts left temporary files: $(ls "$tmp/spill")"
done
expect_status 0 "$AWSNOTE" -f "$tmp/x.blob" topic
"$AWSNOTE" -f "$tmp/x.blob" --verify >/dev/null 2>&1 ||
	fail "the spilled build does not verify"

# Where the file system makes unnamed files (O_TMPFILE), a spill file
# never has a name: a build killed at any moment leaves none behind (a
# name between mkstemp and unlink did, once, under a SIGHUP).
if command -v strace >/dev/null 2>&1; then
	# LeakSanitizer cannot run under ptrace (the sanitizer build).
	TMPDIR=$tmp/spill ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
		strace -f -e trace=open,openat -o "$tmp/spill.strace" \
		"$AWSNOTE_INDEX" -q -j 2 -m 1K -o "$tmp/x.blob" "$tmp/notes" ||
		fail "awsnote-index -m 1K under strace"
	# The blob's own unnamed file, in $tmp, tells the file system can.
	if grep -q "O_TMPFILE.* = [0-9]" "$tmp/spill.strace"; then
		grep -q 'awsnote-spill' "$tmp/spill.strace" &&
			fail "a spill file was given a name: $(grep -m 1 awsnote-spill "$tmp/spill.strace")"
	else
		grep -q 'awsnote-spill' "$tmp/spill.strace" ||
			fail "no spill file was made under strace"
	fi
fi

# Few names are all kept, in a spilled table too.
mkdir "$tmp/few"
head -c 20000 "$tmp/notes/n000.md" >"$tmp/few/a.md"
TMPDIR=$tmp/spill expect_status 0 "$AWSNOTE_INDEX" -q -m 1K \
	-o "$tmp/few.blob" "$tmp/few"
expect_status 0 "$AWSNOTE_INDEX" -q -j 1 -o "$tmp/few-mem.blob" "$tmp/few"
cmp -s "$tmp/few.blob" "$tmp/few-mem.blob" ||
	fail "a blob with few names differs with -m 1K"

# The seed notes, and the shipped blob, are unchanged by a tiny budget.
TMPDIR=$tmp/spill expect_status 0 "$AWSNOTE_INDEX" -q -m 1K \
	-o "$tmp/seed.blob" "$SEED"
expect_status 0 "$AWSNOTE_INDEX" -q -o "$tmp/seed-mem.blob" "$SEED"
cmp -s "$tmp/seed.blob" "$tmp/seed-mem.blob" ||
	fail "seed blob differs with -m 1K"

# A spill directory that does not exist: one line naming it, no blob.
# (Not under check-valgrind: valgrind itself needs $TMPDIR.)
mkdir "$tmp/dest"
if [ -z "${AWSNOTE_UNDER_VALGRIND:-}" ]; then
	TMPDIR=$tmp/missing expect_status 2 "$AWSNOTE_INDEX" -q -m 64K \
		-o "$tmp/dest/x.blob" "$tmp/notes"
	expect_grep "^awsnote-index: .*temporary file in $tmp/missing: No such file" \
		"$tmp/err" "a missing spill directory is named"
	[ "$(wc -l <"$tmp/err")" = 1 ] ||
		fail "more than one line: $(cat "$tmp/err")"
	[ -z "$(ls "$tmp/dest")" ] || fail "blob left behind: $(ls "$tmp/dest")"
fi

# Spill files that cannot grow (a file size limit, SIGXFSZ ignored).
(
	trap '' XFSZ
	ulimit -f 16
	TMPDIR=$tmp/spill exec "$AWSNOTE_INDEX" -q -m 64K \
		-o "$tmp/dest/x.blob" "$tmp/notes"
) >"$tmp/stdout" 2>"$tmp/err"
status=$?
[ "$status" = 2 ] || fail "spill over the size limit: exit $status, want 2"
expect_grep "^awsnote-index: .*temporary file in .*(too large|File too large)" \
	"$tmp/err" "a failed spill write is named with its reason"
[ "$(wc -l <"$tmp/err")" = 1 ] || fail "more than one line: $(cat "$tmp/err")"
[ -z "$(ls "$tmp/dest")" ] || fail "blob left behind: $(ls "$tmp/dest")"
[ -z "$(ls "$tmp/spill")" ] || fail "temporary files left: $(ls "$tmp/spill")"

# Bad option values.
expect_status 2 "$AWSNOTE_INDEX" -m 0 -o "$tmp/x.blob" "$SEED"
expect_grep "^awsnote-index: -m wants" "$tmp/err" "-m 0 refused"
expect_status 2 "$AWSNOTE_INDEX" -j 3 -o "$tmp/x.blob" "$SEED"
expect_grep "^awsnote-index: -j wants" "$tmp/err" "-j 3 refused"

exit $((failures > 0))
