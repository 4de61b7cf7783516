#!/bin/sh
# Truncated, corrupted and wrong-version blobs: exit 2 with one line naming
# the file and the problem; never a crash (a signal) or a hang.
. "$top_srcdir/tests/lib.sh"

cp "$BLOB" "$tmp/good.blob"
size=$(wc -c <"$tmp/good.blob")

# patch FILE OFFSET BYTE: overwrite one byte (BYTE in octal).
patch() {
	printf "\\$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

check_bad() { # FILE WHAT-PATTERN
	run timeout 10 "$AWSNOTE" -f "$1" s3 encryption
	[ "$status" = 2 ] || fail "$(basename "$1"): exit $status, want 2"
	[ "$(wc -l <"$tmp/err")" = 1 ] || fail "$(basename "$1"): not one line: $(cat "$tmp/err")"
	expect_grep "^awsnote: .*$(basename "$1"): $2" "$tmp/err" "$(basename "$1") message"
}

# Truncation anywhere is caught by the size in the header.
for n in 0 1 7 8 63 64 100 1000 $((size / 2)) $((size - 1)); do
	head -c "$n" "$tmp/good.blob" >"$tmp/trunc-$n.blob"
	if [ "$n" -lt 8 ]; then
		# Too short to be a blob: awsnote reads it as (odd) Markdown
		# unless it starts like a blob.
		run timeout 10 "$AWSNOTE" -f "$tmp/trunc-$n.blob" s3
		[ "$status" -le 2 ] || fail "trunc-$n: exit $status"
		continue
	fi
	check_bad "$tmp/trunc-$n.blob" "(corrupt blob|not an awsnote blob)"
done
expect_grep "truncated" "$tmp/err" "truncation is called that"

# Appended garbage.
cp "$tmp/good.blob" "$tmp/appended.blob"
echo garbage >>"$tmp/appended.blob"
check_bad "$tmp/appended.blob" "corrupt blob"

# Bad magic, wrong version.
cp "$tmp/good.blob" "$tmp/magic.blob"
patch "$tmp/magic.blob" 1 142
check_bad "$tmp/magic.blob" "not an awsnote blob"
cp "$tmp/good.blob" "$tmp/version.blob"
patch "$tmp/version.blob" 8 007
check_bad "$tmp/version.blob" "blob format version 7"

# Flips in the header, the directory and the index are caught by CRCs.
for off in 20 30 50 70 100 200 $((size - 100)); do
	cp "$tmp/good.blob" "$tmp/flip-$off.blob"
	orig=$(od -An -tu1 -j "$off" -N1 "$tmp/good.blob" | tr -d ' ')
	new=$(( (orig + 1) % 256 ))
	patch "$tmp/flip-$off.blob" "$off" "$(printf '%03o' "$new")"
	run timeout 10 "$AWSNOTE" -f "$tmp/flip-$off.blob" s3 encryption
	case $status in
	0 | 1 | 2) ;;
	*) fail "flip at $off: exit $status" ;;
	esac
	if [ "$off" -lt $((size - 20000)) ] && [ "$status" != 2 ]; then
		fail "flip at $off not detected (exit $status)"
	fi
done

# A flip in the compressed text (the last table) is caught when that text
# is read, and by --verify for the whole file.
cp "$tmp/good.blob" "$tmp/text.blob"
off=$((size - 50))
orig=$(od -An -tu1 -j "$off" -N1 "$tmp/good.blob" | tr -d ' ')
patch "$tmp/text.blob" "$off" "$(printf '%03o' $(( (orig + 1) % 256 )))"
run timeout 10 "$AWSNOTE" -f "$tmp/text.blob" --verify
[ "$status" = 2 ] || fail "--verify missed a flip in the text"
expect_grep "text block" "$tmp/err" "--verify names the text block"
run timeout 10 "$AWSNOTE" -f "$tmp/text.blob" -e .
[ "$status" = 2 ] || fail "a search over every block missed a flip in the text"
expect_grep "text block checksum mismatch" "$tmp/err" "the search names the block"

# A lookup whose section's text is damaged names the block and prints
# nothing: not the path line before the error.  (The seed's text is
# stored, so the section's own words are in the file as they are.)
off=$(grep -a -b -o 'SSE-C: Customer-Provided' "$tmp/good.blob" | head -n 1 |
	cut -d: -f1)
[ -n "$off" ] || fail "S3 > Encryption's text not found in the blob"
cp "$tmp/good.blob" "$tmp/section.blob"
patch "$tmp/section.blob" "$off" "$(printf '%03o' 120)" # 'S' -> 'x'
run timeout 10 "$AWSNOTE" -f "$tmp/section.blob" s3 encryption
[ "$status" = 2 ] || fail "a lookup read a damaged section (exit $status)"
expect_grep "text block checksum mismatch" "$tmp/err" "the lookup names the block"
[ ! -s "$tmp/out" ] || fail "a failed lookup printed: $(cat "$tmp/out")"

# Tables are checked before their first use: a lookup refuses a damaged
# table it reads, and answers right, unharmed, when it never reads it.
table_off() { # TYPE: where table TYPE starts (the directory is at 64)
	n=$(od -An -tu4 -j 24 -N4 "$tmp/good.blob" | tr -d ' ')
	i=0
	while [ "$i" -lt "$n" ]; do
		d=$((64 + 24 * i))
		if [ "$(od -An -tu4 -j "$d" -N4 "$tmp/good.blob" | tr -d ' ')" = "$1" ]; then
			od -An -tu8 -j $((d + 8)) -N8 "$tmp/good.blob" | tr -d ' '
			return
		fi
		i=$((i + 1))
	done
	fail "no table of type $1"
}
flip_table() { # TYPE NAME: NAME.blob with one byte of table TYPE changed
	cp "$tmp/good.blob" "$tmp/$2.blob"
	off=$(($(table_off "$1") + 5))
	orig=$(od -An -tu1 -j "$off" -N1 "$tmp/good.blob" | tr -d ' ')
	patch "$tmp/$2.blob" "$off" "$(printf '%03o' $(( (orig + 1) % 256 )))"
}
same_as_good() { # LABEL ARGS...: exit 0 and the good blob's output
	label=$1
	shift
	"$AWSNOTE" -f "$tmp/good.blob" "$@" >"$tmp/want" 2>&1
	run timeout 10 "$AWSNOTE" -f "$tmp/$label.blob" "$@"
	[ "$status" = 0 ] || fail "$label: $*: exit $status, want 0"
	cmp -s "$tmp/want" "$tmp/out" || fail "$label: $*: output differs"
}
flip_table 5 postings
check_bad "$tmp/postings.blob" "corrupt blob \(POSTINGS table checksum mismatch\)"
same_as_good postings -e 'SSE-\w+'
run timeout 10 "$AWSNOTE" -f "$tmp/postings.blob" --verify
[ "$status" = 2 ] || fail "--verify missed a flip in POSTINGS"
flip_table 21 keys
check_bad "$tmp/keys.blob" "corrupt blob \(TERM_KEYS table checksum mismatch\)"
same_as_good keys -e 'SSE-\w+'
flip_table 11 filters
same_as_good filters s3 encryption
run timeout 10 "$AWSNOTE" -f "$tmp/filters.blob" -e 'SSE-\w+'
[ "$status" = 2 ] || fail "a regex search read damaged BLOCK_GRAMS (exit $status)"
expect_grep "BLOCK_GRAMS" "$tmp/err" "the regex search names the damage"
flip_table 10 grams
same_as_good grams s3 encryption
run timeout 10 "$AWSNOTE" -f "$tmp/grams.blob" encrpytion
[ "$status" = 2 ] || fail "a typo lookup read damaged TERM_GRAMS (exit $status)"
expect_grep "dictionary" "$tmp/err" "the typo lookup names the damage"
finish
