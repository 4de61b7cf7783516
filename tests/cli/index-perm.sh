#!/bin/sh
# What this user may not read or write: an unreadable note or directory
# in a tree fails the build (awsnote-index and awsnote -f alike) with
# one line naming it; an output or temporary directory that cannot be
# written is named before any note is read.  Root reads everything, so as
# root the programs run without the capabilities that let it (setpriv);
# skipped where that cannot be done.
. "$top_srcdir/tests/lib.sh"

if [ "$(id -u)" = 0 ]; then
	drop() { setpriv --bounding-set=-dac_override,-dac_read_search "$@"; }
else
	drop() { "$@"; }
fi
: >"$tmp/probe"
chmod 000 "$tmp/probe"
drop cat "$tmp/probe" >/dev/null 2>&1 &&
	skip "permissions cannot be shown here (root, and setpriv cannot drop them)"

# unreadable NAME PATH: both programs fail on PATH with one line, the
# same but for their names, ending in "NAME: Permission denied".
unreadable() {
	expect_status 2 drop "$AWSNOTE_INDEX" -o "$tmp/x.blob" "$2"
	sed 's/^awsnote-index: //' "$tmp/err" >"$tmp/err.index"
	expect_grep "$1: Permission denied$" "$tmp/err" "$1 unreadable, named"
	[ "$(wc -l <"$tmp/err")" = 1 ] || fail "$1: not one line: $(cat "$tmp/err")"
	[ -e "$tmp/x.blob" ] && fail "$1: a blob written"
	expect_status 2 drop "$AWSNOTE" -f "$2" s3
	sed 's/^awsnote: //' "$tmp/err" >"$tmp/err.direct"
	cmp -s "$tmp/err.index" "$tmp/err.direct" ||
		fail "$1: the errors differ: $(cat "$tmp/err.index" "$tmp/err.direct")"
}

mkdir -p "$tmp/notes/sub"
printf '# Ok\n\nok\n' >"$tmp/notes/ok.md"
printf '# Sub\n\nsub\n' >"$tmp/notes/sub/s.md"
printf '# Locked\n\nlocked\n' >"$tmp/notes/locked.md"
chmod 000 "$tmp/notes/locked.md"
unreadable "notes/locked.md" "$tmp/notes"
chmod 644 "$tmp/notes/locked.md"
# A directory that cannot be listed, or listed but not entered.
for mode in 000 311; do
	chmod "$mode" "$tmp/notes/sub"
	unreadable "notes/sub" "$tmp/notes"
	chmod 755 "$tmp/notes/sub"
done
# A name with a newline still gives one line.
printf '# Nl\n\nnl\n' >"$tmp/notes/new
line.md"
chmod 000 "$tmp/notes/new
line.md"
unreadable "notes/new$(printf '\357\277\275')line.md" "$tmp/notes"
rm -f "$tmp/notes/new
line.md"
expect_status 0 drop "$AWSNOTE_INDEX" -q -o "$tmp/x.blob" "$tmp/notes"

# An output directory that cannot be written: said before the notes are
# read (the missing note would be named otherwise).
mkdir "$tmp/ro"
chmod 555 "$tmp/ro"
expect_status 2 drop "$AWSNOTE_INDEX" -o "$tmp/ro/x.blob" "$tmp/nope.md"
expect_grep "^awsnote-index: $tmp/ro/x.blob: Permission denied$" "$tmp/err" \
	"an unwritable output directory, named first"

# A temporary directory that cannot be written, with a budget that needs
# it: the directory is named, not the note being read at the time (not
# under valgrind, which needs TMPDIR itself).
mkdir "$tmp/spill"
chmod 555 "$tmp/spill"
if [ -z "${AWSNOTE_UNDER_VALGRIND:-}" ]; then
	TMPDIR=$tmp/spill expect_status 2 drop "$AWSNOTE_INDEX" -m 1K \
		-o "$tmp/y.blob" "$SEED"
	expect_grep "^awsnote-index: temporary file in $tmp/spill: Permission denied$" \
		"$tmp/err" "an unwritable TMPDIR"
	[ -e "$tmp/y.blob" ] && fail "a blob written without its temporary files"
fi
chmod 755 "$tmp/spill" "$tmp/ro"
left=$(ls -A "$tmp/spill")$(ls -A "$tmp/ro")
[ -z "$left" ] || fail "files left: $left"
finish
