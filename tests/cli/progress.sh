#!/bin/sh
# A build's progress on a terminal: awsnote-index, and awsnote compiling
# a folder for its cache, show "N files, X MB read" on standard error
# once they have read 1,000 files (or 16 MB), rewrite it in place and
# erase it at the end; into a pipe, with -q, or for fewer files, never.
. "$top_srcdir/tests/lib.sh"

command -v script >/dev/null 2>&1 || {
	echo "SKIP: no script(1) to give a terminal"
	exit 77
}
mkdir "$tmp/many" "$tmp/few"
i=0
while [ $i -lt 1000 ]; do
	printf '# Page %d\n\nText of page %d.\n' $i $i >"$tmp/many/p$i.md"
	i=$((i + 1))
done
cp "$tmp/many/p1.md" "$tmp/many/p2.md" "$tmp/few/"
# Old enough for the cache to trust (a file changed in the last seconds
# may change again unseen: cache.c).
touch -d '2020-01-01' "$tmp/many"/*.md "$tmp/many"

# on_tty COMMAND...: run it with standard error on a terminal (script's),
# its output in $tmp/screen, carriage returns kept as "<CR>".
on_tty() {
	printf '%s ' "$@" >"$tmp/cmd.sh"
	echo >>"$tmp/cmd.sh"
	script -qec "sh $tmp/cmd.sh" /dev/null </dev/null >"$tmp/typescript" 2>&1
	sed 's/\r/<CR>/g' "$tmp/typescript" >"$tmp/screen"
}

on_tty "\"$AWSNOTE_INDEX\"" -o "$tmp/many.blob" "$tmp/many" 2\>\&1
expect_grep "awsnote-index: 1000 files, 0\.0 MB read, writing the index" \
	"$tmp/screen" "awsnote-index: the count as the blob is written"
# Erased (blanks, then back to the start) before the last message.
expect_grep "<CR> +<CR>awsnote-index: wrote $tmp/many.blob" "$tmp/screen" \
	"awsnote-index: the line erased before 'wrote'"
on_tty "\"$AWSNOTE_INDEX\"" -q -o "$tmp/q.blob" "$tmp/many" 2\>\&1
grep -q "files," "$tmp/screen" && fail "-q showed progress: $(cat "$tmp/screen")"
on_tty "\"$AWSNOTE_INDEX\"" -o "$tmp/few.blob" "$tmp/few" 2\>\&1
grep -q "files," "$tmp/screen" && fail "2 files showed progress: $(cat "$tmp/screen")"
"$AWSNOTE_INDEX" -o "$tmp/pipe.blob" "$tmp/many" 2>"$tmp/err" >/dev/null
[ -s "$tmp/err" ] && fail "progress into a pipe: $(cat "$tmp/err")"
cmp -s "$tmp/many.blob" "$tmp/pipe.blob" || fail "progress changed the blob"

# awsnote -f DIR: while compiling, not once the cache has it.
AWSNOTE_CACHE_DIR=$tmp/cache
export AWSNOTE_CACHE_DIR
on_tty "\"$AWSNOTE\"" -f "$tmp/many" page 999 \>"$tmp/out"
expect_grep "awsnote: compiling notes: 1000 files" "$tmp/screen" \
	"awsnote -f DIR: progress while compiling"
expect_grep "<CR> +<CR>$" "$tmp/screen" "awsnote: the line erased"
expect_grep "^p999 > Page 999$" "$tmp/out" "awsnote -f DIR: the answer"
on_tty "\"$AWSNOTE\"" -f "$tmp/many" page 999 \>"$tmp/out"
grep -q "files," "$tmp/screen" && fail "a cached folder showed progress"
expect_grep "^p999 > Page 999$" "$tmp/out" "awsnote -f DIR from the cache"
finish
