#!/bin/sh
# Several notes at once: -f repeated, AWSNOTE_PATH, -d, and document names
# leading every path when more than one document is loaded.
. "$top_srcdir/tests/lib.sh"

mkdir -p "$tmp/mine/sub/deep"
printf '# Widgets\n\nA widget frobs the sprocket.\n\n## Gears\n\nTeeth and cogs.\n' \
	>"$tmp/mine/widgets.md"
printf '# Kinesis\n\nMy own kinesis shard notes: resharding.\n' >"$tmp/mine/sub/streams.md"
printf '# Tips\n\nOil the gears weekly.\n' >"$tmp/mine/sub/deep/tips.md"
"$AWSNOTE_INDEX" -q -o "$tmp/mine.blob" "$tmp/mine" || fail "compile a directory"

# A directory gives one document per file, named by relative path.
expect_first_line "widgets > Widgets > Gears" "$AWSNOTE" -f "$tmp/mine.blob" cogs
expect_first_line "sub/streams > Kinesis" "$AWSNOTE" -f "$tmp/mine.blob" resharding

# Two sources: both searched, the better section wins wherever it is.
expect_first_line "widgets > Widgets" "$AWSNOTE" -f "$BLOB" -f "$tmp/mine.blob" widget
expect_first_line "aws-developer-associate > S3 > Encryption" \
	"$AWSNOTE" -f "$BLOB" -f "$tmp/mine" s3 encryption
run "$AWSNOTE" -f "$BLOB" -f "$tmp/mine.blob" -k kinesis
expect_grep "^aws-developer-associate > Messaging > Kinesis - " "$tmp/out" "-k across sources"
expect_grep "^sub/streams > Kinesis - " "$tmp/out" "-k across sources (mine)"

# -d keeps to one document, by full name or its last components.
expect_first_line "sub/streams > Kinesis" "$AWSNOTE" -f "$BLOB" -f "$tmp/mine.blob" -d streams kinesis
expect_first_line "aws-developer-associate > Messaging > Kinesis" \
	"$AWSNOTE" -f "$BLOB" -f "$tmp/mine.blob" -d aws-developer-associate kinesis
expect_status 2 "$AWSNOTE" -f "$BLOB" -d nosuch kinesis
expect_grep "no document or directory named 'nosuch'" "$tmp/err" "-d with a wrong name"
# -l names the documents only when there are several: of one, the
# message names it instead of sending the user there.
expect_grep "^awsnote: no document or directory named 'nosuch' \(the notes are one document, 'aws-developer-associate'\)$" \
	"$tmp/err" "-d on notes of one document names it"
expect_status 2 "$AWSNOTE" -f "$tmp/mine/widgets.md" -d widget -l
expect_grep "one document, 'widgets'\)$" "$tmp/err" "-d on one file names its document"
expect_status 2 "$AWSNOTE" -f "$BLOB" -f "$tmp/mine.blob" -d nosuch kinesis
expect_grep "^awsnote: no document or directory named 'nosuch' \(awsnote -l shows the names\)$" \
	"$tmp/err" "-d's hint with several documents"
expect_first_line "sub/deep/tips > Tips" "$AWSNOTE" -f "$tmp/mine.blob" -d deep/tips gears
expect_first_line "sub/deep/tips > Tips" "$AWSNOTE" -f "$tmp/mine.blob" -d sub/deep/tips gears
expect_status 2 "$AWSNOTE" -f "$tmp/mine.blob" -d eep/tips gears
expect_grep "no document or directory named 'eep/tips'" "$tmp/err" "-d with part of a component"
expect_status 2 "$AWSNOTE" -f "$tmp/mine.blob" -d /tips gears
# The file's name names its document too.
expect_first_line "sub/deep/tips > Tips" "$AWSNOTE" -f "$tmp/mine.blob" -d deep/tips.md gears
expect_first_line "sub/streams > Kinesis" "$AWSNOTE" -f "$tmp/mine.blob" -d streams.markdown kinesis
expect_status 2 "$AWSNOTE" -f "$tmp/mine.blob" -d .md gears
# ... a file's, not a directory's: there is no sub.md.
expect_status 2 "$AWSNOTE" -f "$tmp/mine.blob" -d sub.md -l
expect_grep "no document or directory named 'sub.md'" "$tmp/err" "-d FILE.md is no directory"
expect_status 2 "$AWSNOTE" -f "$tmp/mine.blob" -d sub/.md -l
# Case counts only where it tells names apart: "Sub/Deep/TIPS" is
# sub/deep/tips when nothing is named so exactly, and a name that is
# exactly there wins over one that differs in case.
expect_first_line "sub/deep/tips > Tips" "$AWSNOTE" -f "$tmp/mine.blob" -d Sub/Deep/TIPS -l
expect_first_line "sub/deep/tips > Tips" "$AWSNOTE" -f "$tmp/mine.blob" -d DEEP/tips.md -l
run "$AWSNOTE" -f "$tmp/mine.blob" -d SUB/ -l
[ "$(cat "$tmp/out")" = "sub/deep/tips > Tips
sub/streams > Kinesis" ] || fail "-d DIR with another case: $(cat "$tmp/out")"
printf '# Upper\n\nShouting gears.\n' >"$tmp/TIPS.md"
expect_first_line "TIPS > Upper" "$AWSNOTE" -f "$tmp/mine.blob" -f "$tmp/TIPS.md" -d TIPS -l
expect_first_line "sub/deep/tips > Tips" "$AWSNOTE" -f "$tmp/mine.blob" -f "$tmp/TIPS.md" -d tips -l
expect_status 2 "$AWSNOTE" -f "$tmp/mine.blob" -d EEP/tips -l
# Documents of one name from two places ("README" of p1/README.md and
# p2/README.md given alone, or of two folders) are told apart by the
# path they were read from, as the shell completes it, when no name
# matches: a blob, a file or a directory given, or a file or directory
# below one; -d README is the first, as for any name.
mkdir -p "$tmp/p1" "$tmp/p2"
printf '# One readme\n\nInstall one.\n' >"$tmp/p1/README.md"
printf '# Two readme\n\nInstall two.\n' >"$tmp/p2/README.md"
for d in "$tmp/p2/README.md" "$tmp/p2/" "$tmp/p2/../p2"; do
	expect_first_line "p2/README > Two readme" \
		"$AWSNOTE" -f "$tmp/p1/README.md" -f "$tmp/p2/README.md" -d "$d" -l
done
expect_first_line "p1/README > One readme" \
	"$AWSNOTE" -f "$tmp/p1/README.md" -f "$tmp/p2/README.md" -d README -l
expect_first_line "p2/README > Two readme" \
	"$AWSNOTE" -f "$tmp/p1" -f "$tmp/p2" -d "$tmp/p2" -l
run sh -c 'cd "$1" && "$2" -f p1 -f p2 -d p2/README.md -k install' sh "$tmp" "$AWSNOTE"
[ "$(cat "$tmp/out")" = "p2/README > Two readme - Install two." ] ||
	fail "-d a file below a folder given, by its path: $(cat "$tmp/out")"
expect_first_line "sub/deep/tips > Tips" \
	"$AWSNOTE" -f "$tmp/p1" -f "$tmp/mine" -d "$tmp/mine/sub/deep/tips.md" -l
run "$AWSNOTE" -f "$tmp/p1" -f "$tmp/mine" -d "$tmp/mine/sub/" -l
[ "$(cat "$tmp/out")" = "sub/deep/tips > Tips
sub/streams > Kinesis" ] || fail "-d a folder below a folder given, by its path: $(cat "$tmp/out")"
run "$AWSNOTE" -f "$tmp/p1" -f "$tmp/mine.blob" -d "$tmp/mine.blob" -l
[ "$(cat "$tmp/out")" = "sub/deep/tips > Tips
sub/streams > Kinesis
widgets > Widgets
widgets > Widgets > Gears" ] || fail "-d a blob given, by its path: $(cat "$tmp/out")"
expect_status 2 "$AWSNOTE" -f "$tmp/p1" -f "$tmp/p2" -d "$tmp/mine" -l
expect_grep "no document or directory named '$tmp/mine'" "$tmp/err" "-d a path not read"
# ... or to the documents under a directory: whole components, anywhere.
run "$AWSNOTE" -f "$tmp/mine.blob" -d sub -l
[ "$(cat "$tmp/out")" = "sub/deep/tips > Tips
sub/streams > Kinesis" ] || fail "-l -d DIR lists its documents: $(cat "$tmp/out")"
expect_first_line "sub/deep/tips > Tips" "$AWSNOTE" -f "$tmp/mine.blob" -d deep/ gears
run "$AWSNOTE" -f "$tmp/mine.blob" -d sub -k gears
expect_grep "^sub/deep/tips > Tips - " "$tmp/out" "-k -d DIR"
! grep -q "^widgets" "$tmp/out" || fail "-k -d DIR leaves out the rest: $(cat "$tmp/out")"
run "$AWSNOTE" -f "$tmp/mine.blob" -d sub -e 'Teeth|Oil'
[ "$(cat "$tmp/out")" = "sub/deep/tips > Tips:Oil the gears weekly." ] ||
	fail "-e -d DIR: $(cat "$tmp/out")"
# A document without sections (an empty file) lists nothing: -l says so
# and exits 1, as for notes with no sections at all.
: >"$tmp/blank.md"
for json in "" --json; do
	# shellcheck disable=SC2086
	expect_status 1 "$AWSNOTE" -f "$tmp/mine.blob" -f "$tmp/blank.md" -d blank -l $json
	[ -s "$tmp/out" ] && fail "-l $json -d of an empty document printed: $(cat "$tmp/out")"
	expect_grep "'blank' has no sections" "$tmp/err" "-l $json -d of an empty document"
done
expect_status 2 "$AWSNOTE" -f "$tmp/mine.blob" -d widgets/ cogs
expect_grep "no document or directory named 'widgets/'" "$tmp/err" "-d DIR/ is a directory"
expect_status 2 "$AWSNOTE" -f "$tmp/mine.blob" -d ub cogs
run "$AWSNOTE" -f "$BLOB" -f "$tmp/mine.blob" -d widgets -l
[ "$(cat "$tmp/out")" = "widgets > Widgets
widgets > Widgets > Gears" ] || fail "-l -d lists one document: $(cat "$tmp/out")"

# The outline of -l (wrapped text) is one per document, under its name:
# titles alone would not say which document each is in.  A preamble is
# titled with that name already.
printf 'Before any heading.\n\n# Widgets\n\nMore.\n' >"$tmp/pre.md"
run "$AWSNOTE" -f "$tmp/mine.blob" -f "$tmp/pre.md" --width 60 -l
[ "$(cat "$tmp/out")" = "sub/deep/tips
  Tips
sub/streams
  Kinesis
widgets
  Widgets
    Gears
pre
  Widgets" ] || fail "-l outline of several documents: $(cat "$tmp/out")"
run "$AWSNOTE" -f "$tmp/mine/widgets.md" --width 60 -l
[ "$(cat "$tmp/out")" = "Widgets
  Gears" ] || fail "-l outline of one document: $(cat "$tmp/out")"

# The same page in several places (same file name and headings) is found
# in the first place, though a shorter copy scores higher; pages with
# other names or headings rank by score as ever.
mkdir -p "$tmp/tl/pages/common" "$tmp/tl/pages.xx/common" "$tmp/tl/other"
printf '# tar\n\nArchive files with tar, the tape archiver, and many more words here.\n\n- List an archive: `tar tf file`\n' \
	>"$tmp/tl/pages/common/tar.md"
printf '# tar\n\nXx tar.\n\n- Xx: `tar tf file`\n' >"$tmp/tl/pages.xx/common/tar.md"
"$AWSNOTE_INDEX" -q -o "$tmp/tl.blob" "$tmp/tl" || fail "compile copies"
expect_first_line "pages/common/tar > tar" "$AWSNOTE" -f "$tmp/tl.blob" tar
run "$AWSNOTE" -f "$tmp/tl.blob" -k tar
[ "$(cut -d ' ' -f 1 "$tmp/out")" = "pages/common/tar
pages.xx/common/tar" ] || fail "-k lists copies in notes order: $(cat "$tmp/out")"
expect_first_line "pages.xx/common/tar > tar" "$AWSNOTE" -f "$tmp/tl.blob" -d pages.xx/ tar
# A page that is no copy comes before the copies of one listed already,
# though it scores lower (the query is not in its heading).
printf '# gtar

This command is an alias of GNU tar, with a longer text.
' \
	>"$tmp/tl/pages/common/gtar.md"
"$AWSNOTE_INDEX" -q -o "$tmp/tl.blob" "$tmp/tl" || fail "compile gtar"
run "$AWSNOTE" -f "$tmp/tl.blob" -k tar
[ "$(cut -d ' ' -f 1 "$tmp/out")" = "pages/common/tar
pages/common/gtar
pages.xx/common/tar" ] || fail "-k lists other pages before copies: $(cat "$tmp/out")"
expect_first_line "pages.xx/common/tar > tar" "$AWSNOTE" -f "$tmp/tl.blob" -d pages.xx/ tar
run "$AWSNOTE" -f "$tmp/tl.blob" -d pages/ -k tar
[ "$(cut -d ' ' -f 1 "$tmp/out")" = "pages/common/tar
pages/common/gtar" ] || fail "-d pages/ -k tar: $(cat "$tmp/out")"
# ... but not before a copy that matches more of the words.
run "$AWSNOTE" -f "$tmp/tl.blob" -k tar tf
[ "$(cut -d ' ' -f 1 "$tmp/out")" = "pages/common/tar
pages.xx/common/tar
pages/common/gtar" ] || fail "-k tar tf: copies matching all words: $(cat "$tmp/out")"
rm "$tmp/tl/pages/common/gtar.md"
# The shorter page wins when its file name differs (the names name the
# query alike, so neither gains more from its name)...
mv "$tmp/tl/pages.xx/common/tar.md" "$tmp/tl/pages.xx/common/tar-xx.md"
mv "$tmp/tl/pages/common/tar.md" "$tmp/tl/pages/common/tar-en.md"
"$AWSNOTE_INDEX" -q -o "$tmp/tl.blob" "$tmp/tl" || fail "compile non-copies"
expect_first_line "pages.xx/common/tar-xx > tar" "$AWSNOTE" -f "$tmp/tl.blob" tar
mv "$tmp/tl/pages/common/tar-en.md" "$tmp/tl/pages/common/tar.md"
# ... or its headings do (here the level).
printf '## tar\n\nXx tar.\n\n- Xx: `tar tf file`\n' >"$tmp/tl/other/tar.md"
rm "$tmp/tl/pages.xx/common/tar-xx.md"
"$AWSNOTE_INDEX" -q -o "$tmp/tl.blob" "$tmp/tl" || fail "compile other headings"
expect_first_line "other/tar > tar" "$AWSNOTE" -f "$tmp/tl.blob" tar
# More shorter copies than a lookup keeps of its best sections (20): the
# lookup still shows the first copy, as -k does.
rm -r "$tmp/tl/other"
for l in a b c d e f g h i j k l m n o p q r s t u v w x y; do
	mkdir -p "$tmp/tl/pages.$l/common"
	printf '# tar\n\nXx tar.\n\n- Xx: `tar tf file`\n' \
		>"$tmp/tl/pages.$l/common/tar.md"
done
"$AWSNOTE_INDEX" -q -o "$tmp/tl.blob" "$tmp/tl" || fail "compile 26 copies"
expect_first_line "pages/common/tar > tar" "$AWSNOTE" -f "$tmp/tl.blob" tar
run "$AWSNOTE" -f "$tmp/tl.blob" -k tar
[ "$(head -n 1 "$tmp/out" | cut -d ' ' -f 1)" = "pages/common/tar" ] ||
	fail "-k with 26 copies: $(head -n 3 "$tmp/out")"

# Copies among more hits than are compared pairwise (128) are grouped by
# a hash of their file names and heading paths, to the same order: here
# the English page, the pages that are no copy, then the 70 copies in
# notes order.  Without the groups, the copies would come first (their
# text is shortest) and a tool page last.
mkdir -p "$tmp/many/pages/common"
printf '# tar\n\nArchive files with tar, the tape archiver, and more words.\n' \
	>"$tmp/many/pages/common/tar.md"
i=1
while [ $i -le 70 ]; do
	n=$(printf '%02d' $i)
	mkdir -p "$tmp/many/pages.l$n/common"
	printf '# tar\n\nXx tar.\n' >"$tmp/many/pages.l$n/common/tar.md"
	printf '# tool %s\n\nThe tool %s wraps tar.\n' $n $n \
		>"$tmp/many/pages/common/tool$n.md"
	i=$((i + 1))
done
"$AWSNOTE_INDEX" -q -o "$tmp/many.blob" "$tmp/many" || fail "compile 70 copies"
# -k keeps the best 100, compared pairwise: 29 tools make the cut.
run "$AWSNOTE" -f "$tmp/many.blob" -k tar
cut -d ' ' -f 1 "$tmp/out" >"$tmp/many-k"
[ "$(wc -l <"$tmp/many-k")" -eq 100 ] &&
	[ "$(head -n 1 "$tmp/many-k")" = "pages/common/tar" ] &&
	[ "$(sed -n '2,30p' "$tmp/many-k" | grep -c '^pages/common/tool[0-9][0-9]$')" -eq 29 ] &&
	[ "$(sed -n '31p;100p' "$tmp/many-k" | tr '\n' ' ')" = "pages.l01/common/tar pages.l70/common/tar " ] ||
	fail "-k with 100 of 141 hits: $(head -n 3 "$tmp/many-k")"
# -n 129 and -n 141 keep that many, and their last is the last copy.
expect_first_line "pages.l70/common/tar > tar" "$AWSNOTE" -f "$tmp/many.blob" -n 129 tar
expect_first_line "pages.l70/common/tar > tar" "$AWSNOTE" -f "$tmp/many.blob" -n 141 tar

# A document's page named as the query beats a longer section that
# repeats the name in its text (W_EXACT).
mkdir -p "$tmp/ex"
{
	printf '# Init reference\n\n## Related frob-init calls\n\n'
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		printf -- '- frob-init --stack s%d runs frob-init for s%d.\n' $i $i
	done
} >"$tmp/ex/init.md"
printf '# frob-init\n\nReads the metadata and runs frob-init once.\n' \
	>"$tmp/ex/frob-init.md"
"$AWSNOTE_INDEX" -q -o "$tmp/ex.blob" "$tmp/ex" || fail "compile exact"
expect_first_line "frob-init > frob-init" "$AWSNOTE" -f "$tmp/ex.blob" frob-init

# A page's file name counts: of two pages titled with the query, the one
# whose name is the query comes first (W_NAME)...
mkdir -p "$tmp/nm"
printf '# Working with nested stacks\n\nA nested stack is a stack that another stack creates as one of its resources.\n' \
	>"$tmp/nm/using-nested-stacks.md"
printf '# Change sets for nested stacks\n\nA change set of a stack with nested stacks previews what changes in each of the nested stacks.\n' \
	>"$tmp/nm/change-sets-for-nested-stacks.md"
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	printf '# Topic %d\n\nNotes on widget %d and its gears.\n' $i $i >"$tmp/nm/topic-$i.md"
done
"$AWSNOTE_INDEX" -q -o "$tmp/nm.blob" "$tmp/nm" || fail "compile names"
expect_first_line "using-nested-stacks > Working with nested stacks" \
	"$AWSNOTE" -f "$tmp/nm.blob" nested stacks
run "$AWSNOTE" -f "$tmp/nm.blob" -k nested stacks
[ "$(head -n 1 "$tmp/out" | cut -d ' ' -f 1)" = "using-nested-stacks" ] ||
	fail "-k puts the named page first: $(head -n 2 "$tmp/out")"
# ... but one document's name tells its sections nothing apart.
cat "$tmp/nm/change-sets-for-nested-stacks.md" "$tmp/nm/using-nested-stacks.md" \
	"$tmp/nm"/topic-*.md >"$tmp/one.md"
expect_first_line "Change sets for nested stacks" "$AWSNOTE" -f "$tmp/one.md" nested stacks

# A file or directory given twice, by any name, is read once: each
# document, and each result, appears once.
"$AWSNOTE_INDEX" -q -o "$tmp/twice.blob" "$tmp/mine" "$tmp/mine/" \
	"$tmp/mine/sub/../../mine" || fail "compile a directory given twice"
run "$AWSNOTE" -f "$tmp/twice.blob" -l
[ "$(cat "$tmp/out")" = "sub/deep/tips > Tips
sub/streams > Kinesis
widgets > Widgets
widgets > Widgets > Gears" ] || fail "a directory given twice: $(cat "$tmp/out")"
"$AWSNOTE_INDEX" -q -o "$tmp/twice.blob" "$tmp/mine/widgets.md" \
	"$tmp/mine/../mine/widgets.md" || fail "compile a file given twice"
run "$AWSNOTE" -f "$tmp/twice.blob" -l
[ "$(cat "$tmp/out")" = "Widgets
Widgets > Gears" ] || fail "a file given twice: $(cat "$tmp/out")"
run "$AWSNOTE" -f "$tmp/mine.blob" -f "$tmp/mine/../mine.blob" -k cogs
[ "$(cut -d ' ' -f 1 "$tmp/out")" = "widgets" ] ||
	fail "-f with the same blob twice: $(cat "$tmp/out")"
run "$AWSNOTE" -f "$tmp/mine" -f "$tmp/mine/" -k cogs
[ "$(cut -d ' ' -f 1 "$tmp/out")" = "widgets" ] ||
	fail "-f with the same directory twice: $(cat "$tmp/out")"
run env AWSNOTE_PATH="$tmp/mine.blob:$BLOB:$tmp/mine.blob" "$AWSNOTE" -c -e cogs
[ "$(cat "$tmp/out")" = "widgets > Widgets > Gears:1" ] ||
	fail "AWSNOTE_PATH with the same notes twice: $(cat "$tmp/out")"
run env AWSNOTE_PATH="$BLOB" "$AWSNOTE" -l
expect_grep "^S3 > Encryption$" "$tmp/out" "AWSNOTE_PATH naming the default notes"
# ... and so is a file or directory that a directory given reads too,
# before or after it, by a link or not; one the walk passes over (a
# hidden name, a name not *.md) is read as given.
all="sub/deep/tips > Tips
sub/streams > Kinesis
widgets > Widgets
widgets > Widgets > Gears"
ln -s sub "$tmp/mine/sublink"
for first in "$tmp/mine/widgets.md" "$tmp/mine/sub" "$tmp/mine/sub/deep/tips.md" \
	"$tmp/mine/sublink/streams.md" "$tmp/mine/sublink"; do
	run "$AWSNOTE" -f "$first" -f "$tmp/mine" -l
	[ "$(cat "$tmp/out")" = "$all" ] ||
		fail "-f $first -f its directory: $(cat "$tmp/out")"
	run "$AWSNOTE" -f "$tmp/mine" -f "$first" -c -e 'cogs|Oil|resharding'
	[ "$(cat "$tmp/out")" = "sub/deep/tips > Tips:1
sub/streams > Kinesis:1
widgets > Widgets > Gears:1" ] || fail "-f DIR -f $first: $(cat "$tmp/out")"
	"$AWSNOTE_INDEX" -q -o "$tmp/held.blob" "$first" "$tmp/mine" ||
		fail "compile $first with its directory"
	run "$AWSNOTE" -f "$tmp/held.blob" -l
	[ "$(cat "$tmp/out")" = "$all" ] ||
		fail "awsnote-index $first with its directory: $(cat "$tmp/out")"
done
rm "$tmp/mine/sublink"
run env AWSNOTE_PATH="$tmp/mine/sub" AWSNOTE_FILE="$tmp/mine" "$AWSNOTE" -c -e Oil
[ "$(cat "$tmp/out")" = "sub/deep/tips > Tips:1" ] ||
	fail "AWSNOTE_PATH naming a directory inside the notes: $(cat "$tmp/out")"
# A leading ~ in the variables is $HOME, as a shell's assignment makes
# it but quotes do not; ~user is left alone.
run env HOME="$tmp" AWSNOTE_PATH="~/mine/sub:~/nosuch.blob" "$AWSNOTE" -l
expect_grep "^awsnote: $tmp/nosuch.blob: No such file or directory \(named by AWSNOTE_PATH\)$" \
	"$tmp/err" "AWSNOTE_PATH=~/..."
run env HOME="$tmp" AWSNOTE_PATH="~/mine/sub" "$AWSNOTE" -c -e Oil
[ "$(cat "$tmp/out")" = "deep/tips > Tips:1" ] || fail "AWSNOTE_PATH=~/DIR: $(cat "$tmp/out")"
run env HOME="$tmp" AWSNOTE_FILE="~/mine/widgets.md" "$AWSNOTE" -l
[ "$(cat "$tmp/out")" = "Widgets
Widgets > Gears" ] || fail "AWSNOTE_FILE=~/FILE: $(cat "$tmp/out")"
expect_status 2 env HOME="$tmp" AWSNOTE_PATH="~nobody/x.md" "$AWSNOTE" -l
expect_grep "^awsnote: ~nobody/x.md: No such file" "$tmp/err" "AWSNOTE_PATH=~user/..."
mkdir "$tmp/mine/.hidden"
printf '# Hidden\n\nSecret cogs.\n' >"$tmp/mine/.hidden/h.md"
printf '# Text\n\nPlain cogs.\n' >"$tmp/mine/notes.txt"
run "$AWSNOTE" -f "$tmp/mine/.hidden/h.md" -f "$tmp/mine/notes.txt" -f "$tmp/mine" -k cogs
[ "$(cut -d ' ' -f 1 "$tmp/out" | sort | tr '\n' ' ')" = "h notes.txt widgets " ] ||
	fail "files the walk passes over are read as given: $(cat "$tmp/out")"
rm -r "$tmp/mine/.hidden" "$tmp/mine/notes.txt"

# A relative link to another Markdown file of the notes leads to the
# document it became (at the fragment's heading, else at its start), as
# a link to a heading does; one to a file the notes lack, or a URL that
# ends in .md, stays an address.
mkdir -p "$tmp/ln/guide" "$tmp/ln/other"
printf '# Start\n\nSee [the next page](next.md), [gears](../other/parts.md#gears), [a lost part](next.md#no-such-heading), [spaced](my%%20page.md), [gone](gone.md) and [the web](https://example.com/x.md).\n' \
	>"$tmp/ln/guide/start.md"
printf '# Next page\n\nMore.\n' >"$tmp/ln/guide/next.md"
printf '# Spaced page\n\nSpace.\n' >"$tmp/ln/guide/my page.md"
printf '# Parts\n\nAll parts.\n\n## Gears\n\nCogs.\n' >"$tmp/ln/other/parts.md"
run "$AWSNOTE" -f "$tmp/ln" --width 200 start
[ "$(cat "$tmp/out")" = "guide/start > Start

See the next page (→ guide/next > Next page), gears (→ other/parts > Parts > Gears), a lost part (→ guide/next > Next page), spaced (→ guide/my page > Spaced page), gone[1] and the web[2].

[1] gone.md
[2] https://example.com/x.md" ] || fail "links to other files of the notes: $(cat "$tmp/out")"
# A link to ".md" or "dir/.md" names no file, not the directory's
# document (guide/start.md's directory is guide, not other/guide); nor
# do "..md" and "...md", whose names are no "." or "..".
printf '# Guide\n\nTop.\n' >"$tmp/ln/guide.md"
printf '# Dot\n\n[a](.md) [b](other/.md) [c](../guide.md) [d](../guide/..md) [e](x/...md)\n' \
	>"$tmp/ln/guide/dot.md"
run "$AWSNOTE" -f "$tmp/ln" --width 200 -d guide/dot dot
[ "$(sed -n 3p "$tmp/out")" = "a[1] b[2] c (→ guide > Guide) d[3] e[4]" ] ||
	fail "links that name no file: $(cat "$tmp/out")"
run sh -c 'printf "start\n:links\n:follow 2\n" | "$1" -f "$2" -i' sh "$AWSNOTE" "$tmp/ln"
expect_grep "^   2  gears  -> other/parts > Parts > Gears$" "$tmp/out" ":links lists a link to another file"
expect_grep "^      gone <gone.md>$" "$tmp/out" ":links keeps a file the notes lack outside"
expect_grep "^other/parts > Parts > Gears$" "$tmp/out" ":follow a link to another file"

# ... and at the section of an <a name> or <a id> tag of that file (its
# name without regard to case), from a folder and from a blob.
mkdir -p "$tmp/nm/guide" "$tmp/nm/other"
printf '# Start\n\nSee [the max](../other/parts.md#MAX) and [a call](../other/parts.md#call).\n' \
	>"$tmp/nm/guide/start.md"
printf '# Parts\n\nAll.\n\n## Limits\n\n<a name="max"></a>\nTen.\n\n## Calls <a id="call"></a>\n\nOne.\n' \
	>"$tmp/nm/other/parts.md"
want="See the max (→ other/parts > Parts > Limits) and a call (→ other/parts > Parts > Calls)."
run "$AWSNOTE" -f "$tmp/nm" --width 200 start
[ "$(sed -n 3p "$tmp/out")" = "$want" ] ||
	fail "links to another file's <a name>: $(cat "$tmp/out")"
"$AWSNOTE_INDEX" -q -o "$tmp/nm.blob" "$tmp/nm" || fail "compile names"
run "$AWSNOTE" -f "$tmp/nm.blob" --width 200 start
[ "$(sed -n 3p "$tmp/out")" = "$want" ] ||
	fail "links to another file's <a name>, from a blob: $(cat "$tmp/out")"

# ... and when that file is in other notes, compiled apart: -f a.md -f
# b.md, two blobs, AWSNOTE_PATH.  Notes with at most 4,096 names keep
# them all; past that, only those their own links want.
mkdir -p "$tmp/xp/a" "$tmp/xp/b"
printf '# Start\n\nSee [the max](parts.md#MAX) and [a call](parts.md#call).\n' \
	>"$tmp/xp/a/start.md"
cp "$tmp/nm/other/parts.md" "$tmp/xp/b/parts.md"
"$AWSNOTE_INDEX" -q -o "$tmp/xp/a.blob" "$tmp/xp/a" || fail "compile xp/a"
"$AWSNOTE_INDEX" -q -o "$tmp/xp/b.blob" "$tmp/xp/b" || fail "compile xp/b"
want="See the max (→ parts > Parts > Limits) and a call (→ parts > Parts > Calls)."
for parts in "$tmp/xp/a/start.md $tmp/xp/b/parts.md" \
	"$tmp/xp/a.blob $tmp/xp/b.blob" "$tmp/xp/b.blob $tmp/xp/a/start.md"; do
	# shellcheck disable=SC2086
	set -- $parts
	run "$AWSNOTE" -f "$1" -f "$2" --width 200 start
	[ "$(sed -n 3p "$tmp/out")" = "$want" ] ||
		fail "a link to an <a name> of other notes ($parts): $(cat "$tmp/out")"
	run sh -c 'printf "start\n:links\n:follow 1\n:back\n:follow 2\n" |
		"$1" -f "$2" -f "$3" -i' sh "$AWSNOTE" "$1" "$2"
	expect_grep "^   1  the max  -> parts > Parts > Limits$" "$tmp/out" \
		":links to an <a name> of other notes ($parts)"
	[ "$(grep -A 1 "^parts > " "$tmp/out")" = "parts > Parts > Limits
Ten.
--
parts > Parts > Calls
One." ] || fail ":follow to an <a name> of other notes ($parts): $(cat "$tmp/out")"
done
run env AWSNOTE_PATH="$tmp/xp/a.blob:$tmp/xp/b.blob" "$AWSNOTE" -d start --width 200 start
[ "$(sed -n 3p "$tmp/out")" = "$want" ] ||
	fail "a link to an <a name> of other notes (AWSNOTE_PATH): $(cat "$tmp/out")"
# 4,096 names are kept, all; 4,097 not, but the one wanted by a link of
# the same notes is.
for n in 4095 4096; do
	awk -v n=$n 'BEGIN {
		printf "# Parts\n\nAll.\n\n## Limits\n\n<a name=\"max\"></a>\nTen.\n\n## Filler\n\n"
		for (i = 0; i < n; i++)
			printf "<a id=\"f%d\"></a>\n\n", i
	}' >"$tmp/xp/b/parts.md"
	"$AWSNOTE_INDEX" -q -o "$tmp/xp/b.blob" "$tmp/xp/b" || fail "compile $n names"
	run "$AWSNOTE" -f "$tmp/xp/a.blob" -f "$tmp/xp/b.blob" --width 200 start
	case $n in
	4095) want="See the max (→ parts > Parts > Limits) and a call (→ parts > Parts)." ;;
	*) want="See the max (→ parts > Parts) and a call (→ parts > Parts)." ;;
	esac
	[ "$(sed -n 3p "$tmp/out")" = "$want" ] ||
		fail "a link to other notes with $n + 1 names: $(cat "$tmp/out")"
done
printf '# Own\n\n[max](parts.md#max)\n' >"$tmp/xp/b/own.md"
"$AWSNOTE_INDEX" -q -o "$tmp/xp/b.blob" "$tmp/xp/b" || fail "compile with a link"
run "$AWSNOTE" -f "$tmp/xp/a.blob" -f "$tmp/xp/b.blob" --width 200 start
[ "$(sed -n 3p "$tmp/out")" = "See the max (→ parts > Parts > Limits) and a call (→ parts > Parts)." ] ||
	fail "a name wanted by its own notes, past 4,096: $(cat "$tmp/out")"

# A link leads into the notes it was written in, before others given
# with them that hold a file of the same name.
mkdir -p "$tmp/two/a/guide" "$tmp/two/b/guide"
printf '# S3 of a\n\nAlpha.\n' >"$tmp/two/a/guide/s3.md"
printf '# S3 of b\n\nBravo.\n' >"$tmp/two/b/guide/s3.md"
printf '# Index of b\n\nSee [s3](s3.md).\n' >"$tmp/two/b/guide/index.md"
run "$AWSNOTE" -f "$tmp/two/a" -f "$tmp/two/b" --width 200 index of b
[ "$(sed -n 3p "$tmp/out")" = "See s3 (→ b/guide/s3 > S3 of b)." ] ||
	fail "a link in the second of two notes: $(cat "$tmp/out")"

# A link is found by a binary search of the document names, in the
# order a directory walk meets the files: "a/" before "a-00.md" before
# "a.b.md" before "a.md", though the names "a" and "a.b" sort before
# "a-00" byte by byte.  36 documents: three blocks of names.
mkdir -p "$tmp/many/a"
for i in 00 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 \
	20 21 22 23 24 25 26 27 28 29 30; do
	printf '# Page %s\n\nText.\n' "$i" >"$tmp/many/a-$i.md"
done
printf '# Top\n\nThe top.\n' >"$tmp/many/a.md"
printf '# Dotted\n\nA dot.\n' >"$tmp/many/a.b.md"
printf '# Inner\n\nInside.\n' >"$tmp/many/a/inner.md"
printf '# Zed\n\nLast.\n' >"$tmp/many/zed.md"
printf '# Start\n\n[top](a.md), [dot](a.b.md), [p7](a-07.md), [in](a/inner.md), [z](zed.md#zed), [no](a-31.md).\n' \
	>"$tmp/many/start.md"
run "$AWSNOTE" -f "$tmp/many" --width 300 -d start start
[ "$(sed -n 3p "$tmp/out")" = "top (→ a > Top), dot (→ a.b > Dotted), p7 (→ a-07 > Page 07), in (→ a/inner > Inner), z (→ zed > Zed), no[1]." ] ||
	fail "links found among many documents: $(cat "$tmp/out")"

# --verify checks every source and says so for each.
expect_status 0 "$AWSNOTE" -f "$BLOB" -f "$tmp/mine.blob" --verify
expect_grep "mine.blob: OK$" "$tmp/out" "--verify names each source"
expect_grep "^all: OK \([0-9]+ sections\)$" "$tmp/out" "--verify totals"

# AWSNOTE_PATH adds to the default notes; empty entries are ignored.
expect_first_line "widgets > Widgets" env AWSNOTE_PATH="::$tmp/mine.blob:" "$AWSNOTE" widget
expect_first_line "aws-developer-associate > S3 > Encryption" \
	env AWSNOTE_PATH="$tmp/mine.blob" "$AWSNOTE" s3 encryption
# ... and -f replaces both.
expect_status 1 env AWSNOTE_PATH="$tmp/mine.blob" "$AWSNOTE" -f "$BLOB" widget
expect_status 2 env AWSNOTE_PATH="$tmp/missing.blob" "$AWSNOTE" s3
expect_grep "missing.blob: No such file or directory \(named by AWSNOTE_PATH\)$" "$tmp/err" \
	"a bad AWSNOTE_PATH entry is named, and where it comes from"
expect_status 2 env AWSNOTE_FILE="$tmp/missing.md" "$AWSNOTE" s3
expect_grep "missing.md: No such file or directory \(named by AWSNOTE_FILE\)$" "$tmp/err" \
	"a bad AWSNOTE_FILE is named, and where it comes from"
mkdir "$tmp/binary"
printf 'x\000y' >"$tmp/binary/x.md"
expect_status 2 env AWSNOTE_PATH="$tmp/binary/" "$AWSNOTE" s3
expect_grep "binary/x.md: binary file, not Markdown \(named by AWSNOTE_PATH\)$" "$tmp/err" \
	"a bad file in an AWSNOTE_PATH directory: the variable named"
# A missing entry under AWSNOTE_FILE's directory is AWSNOTE_PATH's.
expect_status 2 env AWSNOTE_FILE="$tmp/mine" AWSNOTE_PATH="$tmp/mine/gone.blob" "$AWSNOTE" s3
expect_grep "mine/gone.blob: No such file or directory \(named by AWSNOTE_PATH\)$" "$tmp/err" \
	"an AWSNOTE_PATH entry below AWSNOTE_FILE: the variable that named it"
expect_status 2 env AWSNOTE_PATH="$tmp/missing.blob" "$AWSNOTE" -f "$tmp/missing.blob" s3
grep -q "named by" "$tmp/err" && fail "-f's notes said to come from a variable: $(cat "$tmp/err")"
# 256 entries at most: the 257th is an error, not dropped.
many=$(awk -v b="$tmp/mine.blob" 'BEGIN { for (i = 0; i < 256; i++) printf "%s:", b }')
expect_first_line "widgets > Widgets" env AWSNOTE_PATH="$many" "$AWSNOTE" widget
expect_status 2 env AWSNOTE_PATH="$many$tmp/mine.blob" "$AWSNOTE" widget
expect_grep "AWSNOTE_PATH: more than 256 entries" "$tmp/err" "too many AWSNOTE_PATH entries"

# Links: one named on the command line is followed, as grep -r does; one
# found inside a directory is not (it could repeat a file or loop).
mkdir -p "$tmp/linked"
printf '# Own\n\nA file of its own.\n' >"$tmp/linked/own.md"
ln -s "$tmp/mine/widgets.md" "$tmp/linked/widgets.md"
ln -s "$tmp/mine/sub" "$tmp/linked/sub"
ln -s .. "$tmp/linked/loop"
ln -s "$tmp/mine" "$tmp/mine-link"
"$AWSNOTE_INDEX" -q -o "$tmp/links.blob" "$tmp/linked" "$tmp/mine-link" ||
	fail "compile a tree with links"
run "$AWSNOTE" -f "$tmp/links.blob" -l
[ "$(cat "$tmp/out")" = "own > Own
sub/deep/tips > Tips
sub/streams > Kinesis
widgets > Widgets
widgets > Widgets > Gears" ] ||
	fail "links inside a tree are not followed, one given is: $(cat "$tmp/out")"
# -d takes the first document of its name, also in a blob built from
# several paths, whose names are sorted only within each path.
mkdir -p "$tmp/mi/B" "$tmp/mi/A"
for i in 00 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 \
	21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40; do
	printf '# B page %s\n\nb text\n' $i >"$tmp/mi/B/p$i.md"
	printf '# A page %s\n\na text\n' $i >"$tmp/mi/A/p$i.md"
done
"$AWSNOTE_INDEX" -q -o "$tmp/mi.blob" "$tmp/mi/B" "$tmp/mi/A" || fail "index mi"
for i in 00 16 20 33 40; do
	expect_first_line "B/p$i > B page $i" "$AWSNOTE" -f "$tmp/mi.blob" -d "p$i" -l
done

finish
