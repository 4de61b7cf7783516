#!/bin/sh
# POST_SKIPS (awsnote(5)): notes with a word in 4,200 sections get the
# table; a lookup reading that list by blocks answers as the same blob
# with the table hidden (an unknown type, as an old writer's blob reads),
# and a damaged table is one line, exit 2, never a crash or an answer.
. "$top_srcdir/tests/lib.sh"

MUTATE=$top_builddir/tests/fuzz/fuzz-mutate
[ -x "$MUTATE" ] || fail "no $MUTATE"

# 4,200 sections with "kelp", a few with "otter" (far rarer: read by
# blocks), titles with "kelp" now and then, and large tf.
awk 'BEGIN {
	for (i = 0; i < 4200; i++) {
		printf "%s Forest %d%s\n\n", i % 50 ? "##" : "#", i,
			i % 7 ? "" : " kelp"
		printf "The kelp"
		for (k = 0; k < i % 9; k++) printf " kelp"
		if (i % 97 == 3) printf " and an otter"
		printf ".\n\n"
	}
}' >"$tmp/kelp.md"
"$AWSNOTE_INDEX" -q -o "$tmp/good.blob" "$tmp/kelp.md" || fail "index"

# The table's type and place, from the directory.
u32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
n=$(u32 "$tmp/good.blob" 24)
found=
i=0
while [ "$i" -lt "$n" ]; do
	[ "$(u32 "$tmp/good.blob" $((64 + 24 * i)))" = 18 ] && found=$i
	i=$((i + 1))
done
[ -n "$found" ] || fail "no POST_SKIPS table in the blob"

"$MUTATE" retype "$tmp/good.blob" "$tmp/hidden.blob" 18 99 || fail "retype"
for q in "kelp otter" "otter kelp forest" "--json -k kelp otter" \
	"-k otter forest"; do
	# shellcheck disable=SC2086
	run "$AWSNOTE" -f "$tmp/good.blob" $q
	cp "$tmp/out" "$tmp/with"
	# shellcheck disable=SC2086
	run "$AWSNOTE" -f "$tmp/hidden.blob" $q
	[ "$status" = 0 ] || fail "$q: exit $status"
	cmp -s "$tmp/with" "$tmp/out" || fail "$q: differs with the table hidden"
done

# bad NAME OFFSET VALUE WHAT: the u32 at OFFSET of the table set to VALUE
# makes "otter kelp forest" exit 2 with one line naming the file and WHAT
# (forest's list comes first in the table, its blocks at offset 32 of the
# three lists' table).
bad() {
	"$MUTATE" put32 "$tmp/good.blob" "$tmp/$1.blob" 18 "$2" "$3" ||
		fail "put32 $1"
	run timeout 10 "$AWSNOTE" -f "$tmp/$1.blob" otter kelp forest
	[ "$status" = 2 ] || fail "$1: exit $status, want 2"
	[ "$(wc -l <"$tmp/err")" = 1 ] || fail "$1: not one line: $(cat "$tmp/err")"
	expect_grep "^awsnote: .*$1.blob: corrupt blob \\($4" "$tmp/err" "$1 message"
}
bad block-size 0 100 "posting skips"         # not a power of two
bad lists 4 4294967295 "posting skips"       # records past the table
bad end-offset 12 4294967295 "posting skips" # its blocks past the table
bad block-zero 32 0 "posting"                # forest's first block's varints
finish
