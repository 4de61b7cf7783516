#!/bin/sh
# Documents of one name from several places (README.md in p1/ and p2/)
# are shown with the fewest directories above the name that tell them
# apart ("p1/README", "p2/README"), wherever a document's name shows or
# is typed: result paths, -k, -l, -e, --json, the shell's :list and
# :links, link targets, -d and --complete's -d, from a cache or not.
. "$top_srcdir/tests/lib.sh"

cd "$tmp" || exit 1
mkdir -p p1 p2 q1/docs q2/docs x/a y/a
printf 'Before any heading: alpha.\n\n# Alpha\n\nAlpha text.\n\n## Setup\n\nSetup of the alpha widget.\n\nSee [beta](../p2/README.md#setup).\n' >p1/README.md
printf '# Beta\n\nBeta text.\n\n## Setup\n\nSetup of the beta widget.\n' >p2/README.md
printf '# Other\n\nThe other widget.\n' >other.md
printf '# Docs one\n\nGizmo one.\n' >q1/docs/README.md
printf '# Docs two\n\nGizmo two.\n' >q2/docs/README.md
printf '# Ax\n\nSprocket x.\n' >x/a/index.md
printf '# Ay\n\nSprocket y.\n' >y/a/index.md
# Dated back, so that a cache keeps them at once.
touch -d '2000-01-01' p1/README.md p2/README.md other.md

# A result's path, and its answer, in a pipe.
expect_first_line "p2/README > Beta" \
	"$AWSNOTE" -f p1/README.md -f p2/README.md beta text
# -k: each hit's path; a name no other document has stays as it is.
run "$AWSNOTE" -f p1/README.md -f p2/README.md -f other.md -k widget
[ "$(sort "$tmp/out")" = "other > Other - The other widget.
p1/README > Alpha > Setup - Setup of the alpha widget. See beta.
p2/README > Beta > Setup - Setup of the beta widget." ] ||
	fail "-k with two READMEs: $(cat "$tmp/out")"
# AWSNOTE_PATH entries, beside the default notes, as -f.
AWSNOTE_PATH="$tmp/p1:$tmp/p2" run "$AWSNOTE" -k beta widget
expect_grep '^p2/README > Beta > Setup - ' "$tmp/out" "AWSNOTE_PATH p1:p2"
# -l: the outline, the preamble titled by its document as shown.
run "$AWSNOTE" -f p1 -f p2 -l
[ "$(cat "$tmp/out")" = "p1/README
p1/README > Alpha
p1/README > Alpha > Setup
p2/README > Beta
p2/README > Beta > Setup" ] || fail "-l with two READMEs: $(cat "$tmp/out")"
# -e: grep's file names.
run "$AWSNOTE" -f p1 -f p2 -e 'widget'
[ "$(cat "$tmp/out")" = "p1/README > Alpha > Setup:Setup of the alpha widget.
p2/README > Beta > Setup:Setup of the beta widget." ] ||
	fail "-e with two READMEs: $(cat "$tmp/out")"
# --json: the path's first element.
run "$AWSNOTE" -f p1 -f p2 --json -k widget
expect_grep '"path":\["p1/README","Alpha","Setup"\]' "$tmp/out" "--json p1"
expect_grep '"path":\["p2/README","Beta","Setup"\]' "$tmp/out" "--json p2"
# A link's target, in the text and in the shell's :links; :list.
run "$AWSNOTE" -f p1 -f p2 --width 200 alpha setup
expect_grep '^See beta \(→ p2/README > Beta > Setup\)\.$' "$tmp/out" \
	"a link to the other README"
printf 'alpha setup\n:links\nwidget\n:list\n' >"$tmp/in"
"$AWSNOTE" -f p1 -f p2 -i <"$tmp/in" >"$tmp/out" 2>"$tmp/err"
expect_grep '^ +1 +beta +-> p2/README > Beta > Setup$' "$tmp/out" ":links"
expect_grep '^[* ] +[0-9]+ +p1/README > Alpha > Setup - ' "$tmp/out" ":list p1"
expect_grep '^[* ] +[0-9]+ +p2/README > Beta > Setup - ' "$tmp/out" ":list p2"

# -d takes a name as shown, and only that document; a plain README is
# still the first; a name shown nowhere is an error.
run "$AWSNOTE" -f p1 -f p2 -d p2/README -k setup
[ "$(cat "$tmp/out")" = "p2/README > Beta > Setup - Setup of the beta widget." ] ||
	fail "-d p2/README: $(cat "$tmp/out")"
expect_first_line "p1/README" "$AWSNOTE" -f p1 -f p2 -d README -l
expect_first_line "p2/README > Beta" "$AWSNOTE" -f p1 -f p2 -d P2/readme -l
expect_status 2 "$AWSNOTE" -f p1 -f p2 -d p3/README -l
# ...and a directory as names show it, wherever the run starts.
run sh -c 'cd / && "$1" -f "$2/p1" -f "$2/p2" -d p2/ -l' sh "$AWSNOTE" "$tmp"
[ "$(cat "$tmp/out")" = "p2/README > Beta
p2/README > Beta > Setup" ] || fail "-d p2/ from /: $(cat "$tmp/out") $(cat "$tmp/err")"
# --complete searches the document -d names, as the lookup would.
run "$AWSNOTE" -f p1 -f p2 -d p2/README --complete=Be
[ "$(cat "$tmp/out")" = "Beta" ] || fail "--complete -d p2/README: $(cat "$tmp/out")"
# A preamble's title, its document's name, completes as shown.
run "$AWSNOTE" -f p1 -f p2 --complete=p1
[ "$(cat "$tmp/out")" = "p1/README" ] || fail "--complete=p1: $(cat "$tmp/out")"

# A word that is a name as shown ("p1/README", as completion offers it)
# keeps the lookup to that document, as -d, and is no word of it (not
# the preamble, titled README, for alpha); alone, it gives the
# document's first section.  Case aside, as -d.
w=$("$AWSNOTE" -f p1 -f p2 --complete=p1)
run "$AWSNOTE" -f p1 -f p2 "$w"
[ "$status:$(cat "$tmp/out")" = "0:p1/README
Before any heading: alpha." ] || fail "lookup of '$w': $status $(cat "$tmp/out" "$tmp/err")"
expect_first_line "p2/README > Beta" "$AWSNOTE" -f p1 -f p2 p2/README
expect_first_line "p1/README > Alpha" "$AWSNOTE" -f p1 -f p2 p1/README alpha
expect_first_line "p2/README > Beta > Setup" "$AWSNOTE" -f p1 -f p2 p2/README setup
expect_first_line "p2/README > Beta > Setup" "$AWSNOTE" -f p1 -f p2 setup P2/readme
run "$AWSNOTE" -f p1 -f p2 -k p2/README widget
[ "$(cat "$tmp/out")" = "p2/README > Beta > Setup - Setup of the beta widget." ] ||
	fail "-k p2/README widget: $(cat "$tmp/out" "$tmp/err")"
run "$AWSNOTE" -f p1 -f p2 --json -k p1/README
expect_grep '^\{"type":"hit","path":\["p1/README"\],' "$tmp/out" "--json -k p1/README"
printf 'p2/README setup\np1/README\n' >"$tmp/in"
"$AWSNOTE" -f p1 -f p2 -i <"$tmp/in" >"$tmp/out" 2>"$tmp/err"
expect_grep '^p2/README > Beta > Setup$' "$tmp/out" "the shell's p2/README setup"
expect_grep '^p1/README$' "$tmp/out" "the shell's p1/README"
# A document that -d leaves out, or a name shown nowhere, is a word.
expect_status 1 "$AWSNOTE" -f p1 -f p2 -d p2/ p1/README
expect_status 1 "$AWSNOTE" -f p1 -f p2 p3/README
# Excluded or quoted it is a word as before.
expect_first_line "p1/README > Alpha > Setup" "$AWSNOTE" -f p1 -f p2 setup -p2/README

# Stable: the same names whatever the order given, and from the cache
# (the second run reads the kept blobs) as when compiled.
expect_first_line "p2/README > Beta" "$AWSNOTE" -f p2 -f p1 beta text
AWSNOTE_CACHE_DIR=$tmp/cache "$AWSNOTE" -f p1 -f p2 -l >"$tmp/c1" 2>&1
AWSNOTE_CACHE_DIR=$tmp/cache "$AWSNOTE" -f p1 -f p2 -l >"$tmp/c2" 2>&1
[ -n "$(ls "$tmp/cache")" ] || fail "the cache kept nothing"
[ "$(head -n 1 "$tmp/c2")" = "p1/README" ] ||
	fail "names from kept blobs: $(cat "$tmp/c2")"
"$AWSNOTE" -f p1 -f p2 -l >"$tmp/c0" 2>&1
cmp -s "$tmp/c0" "$tmp/c1" && cmp -s "$tmp/c0" "$tmp/c2" ||
	fail "names from the cache differ: $(cat "$tmp/c0" "$tmp/c1" "$tmp/c2")"

# One blob built from p1 and p2; two blobs built apart (a blob counts as
# a directory of its file's name).
"$AWSNOTE_INDEX" -q -o both.blob p1 p2 || fail "awsnote-index p1 p2"
expect_first_line "p2/README > Beta" "$AWSNOTE" -f both.blob beta text
run "$AWSNOTE" -f both.blob -k p2/README widget
[ "$(cat "$tmp/out")" = "p2/README > Beta > Setup - Setup of the beta widget." ] ||
	fail "both.blob -k p2/README widget: $(cat "$tmp/out" "$tmp/err")"
expect_first_line "p2/README > Beta" "$AWSNOTE" -f both.blob -d p2/README -l
"$AWSNOTE_INDEX" -q -o one.blob p1 || fail "awsnote-index p1"
"$AWSNOTE_INDEX" -q -o two.blob p2 || fail "awsnote-index p2"
expect_first_line "two.blob/README > Beta" \
	"$AWSNOTE" -f one.blob -f two.blob beta text

# As many directories as it takes: docs/README under q1 and q2, and two
# a/index of x and y.
expect_first_line "q2/docs/README > Docs two" \
	"$AWSNOTE" -f q1 -f q2 gizmo two
expect_first_line "y/a/index > Ay" \
	"$AWSNOTE" -f x/a/index.md -f y/a/index.md sprocket y

# Two of one name in one directory (README.md, README.markdown) are told
# apart by their suffix, from the notes, a blob and files given one by
# one; a .markdown alone keeps its name.  -d and a query word take each.
mkdir md
printf '# Md one\n\nMone.\n' >md/README.md
printf '# Md two\n\nMtwo.\n' >md/README.markdown
printf '# Solo\n\nSolo text.\n' >md/solo.markdown
run "$AWSNOTE" -f md -f p2 -l
[ "$(cat "$tmp/out")" = "md/README.markdown > Md two
md/README.md > Md one
solo > Solo
p2/README > Beta
p2/README > Beta > Setup" ] || fail "two READMEs of one directory: $(cat "$tmp/out")"
"$AWSNOTE_INDEX" -q -o md.blob md || fail "awsnote-index md"
for notes in "-f md" "-f md.blob" "-f md/README.md -f md/README.markdown"; do
	# shellcheck disable=SC2086 # the options are words
	run "$AWSNOTE" $notes -l
	[ "$(grep README "$tmp/out" | sort)" = "README.markdown > Md two
README.md > Md one" ] || fail "$notes -l: $(cat "$tmp/out")"
	# shellcheck disable=SC2086
	expect_first_line "README.md > Md one" "$AWSNOTE" $notes -d README.md -l
	# shellcheck disable=SC2086
	expect_first_line "README.markdown > Md two" "$AWSNOTE" $notes -d readme.markdown -l
	# The suffix too is compared ASCII case aside, as the rest of a name.
	# shellcheck disable=SC2086
	expect_first_line "README.md > Md one" "$AWSNOTE" $notes -d readme.MD -l
	# shellcheck disable=SC2086
	expect_first_line "README.markdown > Md two" "$AWSNOTE" $notes README.Markdown
done
expect_first_line "md/README.md > Md one" "$AWSNOTE" -f md -f p2 MD/readme.Md
expect_first_line "md/README.md > Md one" "$AWSNOTE" -f md -f p2 -d md/README.md -l
run "$AWSNOTE" -f md -f p2 -e 'M(one|two)'
[ "$(cat "$tmp/out")" = "md/README.markdown > Md two:Mtwo.
md/README.md > Md one:Mone." ] || fail "-e of two READMEs: $(cat "$tmp/out")"
expect_first_line "README.markdown > Md two" "$AWSNOTE" -f md README.markdown
run "$AWSNOTE" -f md -k README.md md
[ "$(cat "$tmp/out")" = "README.md > Md one - Mone." ] ||
	fail "-k README.md md: $(cat "$tmp/out" "$tmp/err")"

# A listing of many documents: past db.c's SHOWN_BEFORE_HASHES (256)
# names, a name no other has is told by a hash of them all; zz.md comes
# after 300 others in each directory, so both are asked for past it.
mkdir -p l1 l2
i=100
while [ "$i" -lt 400 ]; do
	printf '# One %s\n\nText.\n' "$i" >"l1/u$i.md"
	printf '# Two %s\n\nText.\n' "$i" >"l2/v$i.md"
	i=$((i + 1))
done
printf '# Last one\n\nZed.\n' >l1/zz.md
printf '# Last two\n\nZed.\n' >l2/zz.md
run "$AWSNOTE" -f l1 -f l2 -l
[ "$status" = 0 ] || fail "-l of l1 and l2: exit $status"
grep -qx 'l1/zz > Last one' "$tmp/out" && grep -qx 'l2/zz > Last two' "$tmp/out" ||
	fail "zz past 256 names: $(grep 'Last' "$tmp/out")"
grep -qx 'u399 > One 399' "$tmp/out" && grep -qx 'v100 > Two 100' "$tmp/out" ||
	fail "names of one document past 256: $(grep -c '/' "$tmp/out") shown with a directory"

# -d DIR of a directory only some names show (the namesakes): every
# document that lay there, as with the guides of a documentation set
# compiled from each guide's doc_source/.  Only index was kept before.
mkdir -p g1/doc_source g2/doc_source
printf '# Guide one\n\nCog one.\n' >g1/doc_source/index.md
printf '# Guide two\n\nCog two.\n' >g2/doc_source/index.md
printf '# Runtimes\n\nCog runtimes.\n' >g1/doc_source/runtimes.md
printf '# Buckets\n\nCog buckets.\n' >g2/doc_source/buckets.md
"$AWSNOTE_INDEX" -q -o guides.blob g1/doc_source g2/doc_source ||
	fail "blob of g1 and g2"
for notes in "-f $tmp/guides.blob" "-f $tmp/g1/doc_source -f $tmp/g2/doc_source"; do
	# shellcheck disable=SC2086 # two options, split on purpose
	run sh -c 'cd / && "$@"' sh "$AWSNOTE" $notes -d g1 -l
	[ "$(cat "$tmp/out")" = "g1/doc_source/index > Guide one
runtimes > Runtimes" ] || fail "-d g1 ($notes): $(cat "$tmp/out") $(cat "$tmp/err")"
	# shellcheck disable=SC2086
	run sh -c 'cd / && "$@"' sh "$AWSNOTE" $notes -d g2/doc_source/ -k cog
	[ "$(sort "$tmp/out")" = "buckets > Buckets - Cog buckets.
g2/doc_source/index > Guide two - Cog two." ] ||
		fail "-d g2/doc_source/ ($notes): $(cat "$tmp/out") $(cat "$tmp/err")"
done

# A name shown as stored, typed whole as -l shows it, selects its
# document too, though its directories are words of no text.
mkdir -p "$tmp/st/d1/d2"
printf '# Alpha\n\nbeta.\n' >"$tmp/st/d1/d2/qq.md"
printf '# Gamma\n\ndelta.\n' >"$tmp/st/yy.md"
expect_first_line "d1/d2/qq > Alpha" "$AWSNOTE" -f "$tmp/st" d1/d2/qq
expect_first_line "d1/d2/qq > Alpha" "$AWSNOTE" -f "$tmp/st" d1/d2/qq beta
expect_status 1 "$AWSNOTE" -f "$tmp/st" d1/d2/qq delta
expect_status 1 "$AWSNOTE" -f "$tmp/st" -d yy d1/d2/qq
finish
