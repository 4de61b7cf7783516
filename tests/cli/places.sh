#!/bin/sh
# Notes from several places: a relative link that leaves the notes its
# document was compiled with ("../b.md" in sub/c.md, read with -f b.md)
# leads where it does on disk, for Markdown read this run (its kept blob
# too) and between the paths of one awsnote-index build.
. "$top_srcdir/tests/lib.sh"

mkdir -p "$tmp/n/sub" "$tmp/far/away" "$tmp/else"
printf '# Bee\n\nIntro.\n\n## Xray\n\nThe x section.\n' >"$tmp/n/b.md"
printf '# Cee\n\nSee [the x](../b.md#xray), [bee](../b.md) and [far](../../far/away/d.md).\n\n## Gamma\n\nGamma words.\n' \
	>"$tmp/n/sub/c.md"
printf '# Dee\n\nBack to [cee](../../n/sub/c.md#gamma).\n' >"$tmp/far/away/d.md"
want="See the x (→ b > Bee > Xray), bee (→ b > Bee) and far[1]."
wantd="See the x (→ b > Bee > Xray), bee (→ b > Bee) and far (→ d > Dee)."

# -f FILE -f FILE from other directories, by relative and absolute paths.
check() { # WANT WHAT CMD...
	w=$1 what=$2
	shift 2
	run "$@" --width 200 cee
	[ "$(sed -n 3p "$tmp/out")" = "$w" ] || fail "$what: $(cat "$tmp/out") $(cat "$tmp/err")"
}
check "$want" "-f sub/c.md -f b.md" sh -c 'cd "$1/n" && "$2" -f sub/c.md -f b.md "$@"' sh "$tmp" "$AWSNOTE"
check "$want" "-f c.md -f ../b.md" sh -c 'cd "$1/n/sub" && "$2" -f c.md -f ../b.md "$@"' sh "$tmp" "$AWSNOTE"
check "$wantd" "three files by absolute paths" \
	"$AWSNOTE" -f "$tmp/n/sub/c.md" -f "$tmp/far/away/d.md" -f "$tmp/n/b.md"
# ... a directory and a file elsewhere, both ways round.
run "$AWSNOTE" -f "$tmp/far/away/d.md" -f "$tmp/n" --width 200 dee
[ "$(sed -n 3p "$tmp/out")" = "Back to cee (→ sub/c > Cee > Gamma)." ] ||
	fail "a file linking into a directory given: $(cat "$tmp/out")"
check "$wantd" "a directory linking out to a file" \
	"$AWSNOTE" -f "$tmp/n" -f "$tmp/far/away/d.md"
# ... in the shell's :links and :follow.
run sh -c 'printf "cee\n:links\n:follow 1\n" | "$1" -f "$2" -f "$3" -i' sh \
	"$AWSNOTE" "$tmp/n/sub/c.md" "$tmp/n/b.md"
expect_grep "^   1  the x  -> b > Bee > Xray$" "$tmp/out" ":links across places"
expect_grep "^b > Bee > Xray$" "$tmp/out" ":follow across places"

# A link to where no notes given lie stays an address: d.md is not
# beside c.md's directory's parent in this tree.
mkdir -p "$tmp/x" "$tmp/y"
cp "$tmp/n/sub/c.md" "$tmp/x/c.md"
cp "$tmp/n/b.md" "$tmp/y/b.md"
run "$AWSNOTE" -f "$tmp/x/c.md" -f "$tmp/y/b.md" --width 200 cee
expect_grep "^See the x\[1\], bee\[2\] and far\[3\]\.$" "$tmp/out" "a link to no file given"

# A file given through a symbolic link reads its links from where the
# link is, as an editor opening that name does.
mv "$tmp/n/sub/c.md" "$tmp/else/c.md"
ln -s "$tmp/else/c.md" "$tmp/n/sub/c.md"
check "$want" "a file given by a link" "$AWSNOTE" -f "$tmp/n/sub/c.md" -f "$tmp/n/b.md"

# Kept compiled: the same from the cache's blobs (files old enough to
# be kept), on the run that keeps them and the one that reads them.
cache=$tmp/cache
touch -h -d '1 hour ago' "$tmp/n/sub/c.md" "$tmp/else/c.md" "$tmp/n/b.md"
for pass in keeps reads; do
	check "$want" "kept blobs ($pass)" env AWSNOTE_CACHE_DIR="$cache" \
		"$AWSNOTE" -f "$tmp/n/sub/c.md" -f "$tmp/n/b.md"
done
[ "$(find "$cache" -name '*.blob' | wc -l)" = 2 ] || fail "two notes kept: $(ls "$cache")"

# One awsnote-index build of paths in several directories says where
# each lay, relative to the others: the blob leads the same links, also
# after it is moved.
"$AWSNOTE_INDEX" -q -o "$tmp/all.blob" "$tmp/n/sub/c.md" "$tmp/far" "$tmp/n/b.md" ||
	fail "compile three places"
mkdir "$tmp/moved"
mv "$tmp/all.blob" "$tmp/moved/all.blob"
check "See the x (→ b > Bee > Xray), bee (→ b > Bee) and far (→ away/d > Dee)." \
	"a blob of several places" "$AWSNOTE" -f "$tmp/moved/all.blob"
run "$AWSNOTE" -f "$tmp/moved/all.blob" --width 200 dee
[ "$(sed -n 3p "$tmp/out")" = "Back to cee (→ c > Cee > Gamma)." ] ||
	fail "a blob of several places, from a directory: $(cat "$tmp/out")"
# ... and says nothing of it where there was one place: such a blob is
# what it was (no SOURCES table), and leads no link out of its notes.
"$AWSNOTE_INDEX" -q -o "$tmp/one.blob" "$tmp/n/sub/c.md" || fail "compile one file"
"$AWSNOTE_INDEX" -q -o "$tmp/two.blob" "$tmp/n/sub/c.md" "$tmp/else/c.md" ||
	fail "compile one file by two names"
cmp -s "$tmp/one.blob" "$tmp/two.blob" || fail "the same file by two names gives one blob"
check "See the x[1], bee[2] and far[3]." "a blob of one place, with -f b.md" \
	"$AWSNOTE" -f "$tmp/one.blob" -f "$tmp/n/b.md"
# The types in a blob's table directory (awsnote(5)): SOURCES is 17.
types() {
	n=$(od -A n -t u4 -j 24 -N 4 "$1" | tr -d ' ')
	i=0
	while [ "$i" -lt "$n" ]; do
		od -A n -t u4 -j $((64 + 24 * i)) -N 4 "$1" | tr -d ' '
		i=$((i + 1))
	done
}
types "$tmp/moved/all.blob" | grep -qx 17 || fail "a build of three places has no SOURCES"
! types "$tmp/one.blob" | grep -qx 17 || fail "a build of one path wrote SOURCES"
expect_status 0 "$AWSNOTE" --verify -f "$tmp/moved/all.blob"
exit $((failures > 0))
