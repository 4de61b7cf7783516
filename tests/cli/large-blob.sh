#!/bin/sh
# A blob of 4 MiB or more is mapped as large blobs are (db.c: huge pages
# asked for, and TEXT mapped a second time off the 2 MiB grid); what a
# lookup, a list, a regex search and --verify read there must be what
# the same notes compiled in memory give.
. "$top_srcdir/tests/lib.sh"

# ~7 MB of notes that compress badly: words of random hex digits, so the
# blob passes 4 MiB.
mkdir "$tmp/notes"
od -An -vtx4 -N 1800000 /dev/urandom | awk -v dir="$tmp/notes" '
	NR % 400 == 1 { f = dir "/part" int(NR / 400) ".md"; n = 0 }
	NR % 8 == 1 { printf "## Topic %d\n\n", NR >> f }
	{ printf "%s word%d %s\n", $0, NR % 50, (NR % 97 == 0 ? "sprocket" : "") >> f }
	NR % 8 == 0 { printf "\n" >> f }'
"$AWSNOTE_INDEX" -q -o "$tmp/big.blob" "$tmp/notes" || fail "compile large notes"
size=$(wc -c <"$tmp/big.blob")
[ "$size" -ge 4194304 ] || fail "the blob is $size bytes, under 4 MiB"

expect_status 0 "$AWSNOTE" -f "$tmp/big.blob" --verify
for q in "topic 1601" "word7 sprocket" "-k sprocket" "-e sprocket" "-e ^1[0-9a-f]{7}\\b -c"; do
	# shellcheck disable=SC2086 # the query is words
	"$AWSNOTE" -f "$tmp/big.blob" $q >"$tmp/blob.out" 2>&1
	# shellcheck disable=SC2086
	AWSNOTE_CACHE_DIR= "$AWSNOTE" -f "$tmp/notes" $q >"$tmp/md.out" 2>&1
	[ -s "$tmp/blob.out" ] || fail "$q: nothing from the blob"
	cmp -s "$tmp/blob.out" "$tmp/md.out" ||
		fail "$q: the blob file and the notes differ: $(diff "$tmp/md.out" "$tmp/blob.out" | head -5)"
done

# The writer wrote it in 2 MiB pieces at multiples of 2 MiB
# (blob-write.c, STAGE_SIZE), so the page cache holds it in 2 MiB folios:
# every write but the last is 2 MiB.  Not under valgrind, whose own
# writes (the program's command line, to a file of its own) strace
# counts too.
if command -v strace >/dev/null 2>&1 && [ -z "${AWSNOTE_UNDER_VALGRIND:-}" ]; then
	ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0 strace -f -e trace=write \
		-o "$tmp/wtrace" "$AWSNOTE_INDEX" -q -o "$tmp/big2.blob" \
		"$tmp/notes" || fail "compile large notes under strace"
	cmp -s "$tmp/big.blob" "$tmp/big2.blob" || fail "two builds differ"
	sed -n 's/.*write(.*) = \([0-9][0-9]*\)$/\1/p' "$tmp/wtrace" >"$tmp/sizes"
	awk -v total="$size" '
		{ n[NR] = $1; sum += $1 }
		END {
			if (sum != total) { print "wrote " sum " bytes of " total; exit 1 }
			for (i = 1; i < NR; i++)
				if (n[i] != 2097152) { print "write " i " of " NR ": " n[i] " bytes"; exit 1 }
		}' "$tmp/sizes" >"$tmp/why" || fail "blob writes: $(cat "$tmp/why")"
fi

# The path under test was taken: strace shows the second mapping, on
# Linux 4.17 and later (MAP_FIXED_NOREPLACE).
kernel=$(uname -r | sed 's/^\([0-9]*\)\.\([0-9]*\).*/\1 \2/')
if command -v strace >/dev/null 2>&1 && [ "$(uname -s)" = Linux ] &&
	[ "${kernel% *}" -gt 4 -o \( "${kernel% *}" = 4 -a "${kernel#* }" -ge 17 \) ]; then
	ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0 strace -e trace=mmap \
		-o "$tmp/trace" "$AWSNOTE" -f "$tmp/big.blob" sprocket >/dev/null 2>&1
	grep -q 'MAP_FIXED_NOREPLACE.*= 0x' "$tmp/trace" ||
		fail "TEXT was not mapped again: $(grep -c mmap "$tmp/trace") mmaps"
fi

finish
