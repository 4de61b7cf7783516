#!/bin/sh
# Shell completion: the hidden --complete=WORD mode, and the bash, zsh and
# fish scripts of share/completions (zsh and fish only when installed).
. "$top_srcdir/tests/lib.sh"

COMP=$top_srcdir/share/completions
printf '# Widgets\n\nText.\n\n## Gear Trains (Spur)\n\nTeeth.\n\n## gear ratios\n\nMore.\n' \
	>"$tmp/mine.md"

# ---- awsnote --complete ------------------------------------------------
# Words and whole titles that start with WORD, case ignored, sorted, each
# once, "(Spur)" without its brackets.
run "$AWSNOTE" -f "$tmp/mine.md" --complete=GE
[ "$status" = 0 ] || fail "--complete=GE: status $status"
# Candidates that share less than the word typed ("Gear", "gear ratios")
# begin with the word as typed: a shell replaces the word with what they
# share, and would take back typed letters.
[ "$(cat "$tmp/out")" = "GEar
GEar ratios
GEar Trains (Spur)" ] || fail "--complete=GE: $(cat "$tmp/out")"
run "$AWSNOTE" -f "$tmp/mine.md" --complete=Gear
[ "$(cat "$tmp/out")" = "Gear
Gear ratios
Gear Trains (Spur)" ] || fail "--complete=Gear: $(cat "$tmp/out")"
run "$AWSNOTE" -f "$tmp/mine.md" --complete=gear
[ "$(cat "$tmp/out")" = "gear
gear ratios
gear Trains (Spur)" ] || fail "--complete=gear: $(cat "$tmp/out")"
# ... and only then: as the titles spell them where they share the word.
run "$AWSNOTE" -f "$tmp/mine.md" --complete=gear\ t
[ "$(cat "$tmp/out")" = "Gear Trains (Spur)" ] || fail "--complete='gear t': $(cat "$tmp/out")"
run "$AWSNOTE" --complete=elastic
[ "$(cat "$tmp/out" | head -n 1)" = "elastic" ] || fail "--complete=elastic: $(cat "$tmp/out")"
run "$AWSNOTE" --complete=elas
expect_grep "^ElastiCache$" "$tmp/out" "--complete=elas as the titles spell it"
# Case is ignored beyond ASCII as a lookup ignores it: Latin, Cyrillic.
printf '# Über Datenbanken\n\nText.\n\n# Москва\n\nГород.\n' >"$tmp/intl.md"
run "$AWSNOTE" -f "$tmp/intl.md" --complete=über
[ "$(cat "$tmp/out")" = "Über
Über Datenbanken" ] || fail "--complete=über: $(cat "$tmp/out")"
run "$AWSNOTE" -f "$tmp/intl.md" --complete=моск
[ "$(cat "$tmp/out")" = "Москва" ] || fail "--complete=моск: $(cat "$tmp/out")"
mkdir -p "$tmp/intl/Über"
printf '# A\n\nText.\n' >"$tmp/intl/Über/notiz.md"
printf '# B\n\nText.\n' >"$tmp/intl/other.md"
run "$AWSNOTE" -f "$tmp/intl" --complete-doc=üb
[ "$(cat "$tmp/out")" = "Über/" ] || fail "--complete-doc=üb: $(cat "$tmp/out")"
run "$AWSNOTE" -f "$tmp/mine.md" --complete=sp
[ "$(cat "$tmp/out")" = "Spur" ] || fail "--complete=sp: $(cat "$tmp/out")"
# An exclusion completes to excluded words.
run "$AWSNOTE" -f "$tmp/mine.md" --complete=-wid
[ "$(cat "$tmp/out")" = "-Widgets" ] || fail "--complete=-wid: $(cat "$tmp/out")"
expect_status 1 "$AWSNOTE" -f "$tmp/mine.md" --complete=zzz
[ -s "$tmp/out" ] && fail "--complete=zzz printed something"
# No candidate at all (an empty list to sort: UBSan watches qsort's NULL).
expect_status 1 "$AWSNOTE" --complete=zzzzq
expect_status 1 "$AWSNOTE" --complete=-zzz
# The notes are those of a lookup: AWSNOTE_FILE, the default, -d.
expect_first_line "Widgets" env AWSNOTE_FILE="$tmp/mine.md" "$AWSNOTE" --complete=wid
run "$AWSNOTE" --complete=encr
expect_grep '^Encryption$' "$tmp/out" "--complete from the default notes"
run "$AWSNOTE" -f "$BLOB" -f "$tmp/mine.md" -d mine --complete=e
[ "$(cat "$tmp/out")" = "" ] || fail "-d keeps completion to one document: $(cat "$tmp/out")"
run "$AWSNOTE" -f "$BLOB" -f "$tmp/mine.md" -d mine --complete=w
[ "$(cat "$tmp/out")" = "Widgets" ] || fail "-d mine --complete=w: $(cat "$tmp/out")"
# --complete-doc=WORD: -d's values, the documents' names as shown, a
# directory at a time; a WORD that starts no name, at a later component;
# names that cannot be shown as they are, never.
mkdir -p "$tmp/dd/p1" "$tmp/dd/p2"
printf '# One\n\nText.\n' >"$tmp/dd/p1/README.md"
printf '# Two\n\nText.\n' >"$tmp/dd/p2/README.md"
printf '# Three\n\nText.\n' >"$tmp/dd/p2/bad$(printf '\001')name.md"
DD="-f $tmp/dd/p1 -f $tmp/dd/p2 -f $tmp/mine.md"
# A directory of a blank, completed on from the name as the shell quoted it.
mkdir -p "$tmp/sp/my notes"
printf '# Ex\n\nText.\n' >"$tmp/sp/my notes/x.md"
printf '# Why\n\nText.\n' >"$tmp/sp/y.md"
# shellcheck disable=SC2086
run "$AWSNOTE" $DD --complete-doc=
[ "$(cat "$tmp/out")" = "mine
p1/
p2/" ] || fail "--complete-doc=: $(cat "$tmp/out")"
# shellcheck disable=SC2086
run "$AWSNOTE" $DD --complete-doc=p2/
[ "$(cat "$tmp/out")" = "p2/README" ] || fail "--complete-doc=p2/: $(cat "$tmp/out")"
# shellcheck disable=SC2086
run "$AWSNOTE" $DD --complete-doc=rea
[ "$(cat "$tmp/out")" = "README" ] || fail "--complete-doc=rea: $(cat "$tmp/out")"
# shellcheck disable=SC2086
expect_status 1 "$AWSNOTE" $DD --complete-doc=bad
# shellcheck disable=SC2086
expect_status 1 "$AWSNOTE" $DD --complete-doc=zz
expect_first_line "aws-developer-associate" "$AWSNOTE" --complete-doc=AWS
# Names that differ in case only are two candidates, matched byte for
# byte first as -d matches them: "welc" offers g2's "welcome", which
# g1's "Welcome" hid before (and -d Welcome keeps g1's).
mkdir -p "$tmp/dw/g1" "$tmp/dw/g2"
printf '# S3\n\nText.\n' >"$tmp/dw/g1/Welcome.md"
printf '# Lambda\n\nText.\n' >"$tmp/dw/g2/welcome.md"
DW="-f $tmp/dw/g1 -f $tmp/dw/g2"
# shellcheck disable=SC2086
run "$AWSNOTE" $DW --complete-doc=welc
[ "$(cat "$tmp/out")" = "welcome" ] || fail "--complete-doc=welc: $(cat "$tmp/out")"
# shellcheck disable=SC2086
run "$AWSNOTE" $DW --complete-doc=Welc
[ "$(cat "$tmp/out")" = "Welcome" ] || fail "--complete-doc=Welc: $(cat "$tmp/out")"
# shellcheck disable=SC2086
expect_first_line "welcome > Lambda" "$AWSNOTE" $DW -d welcome -l
# A directory's documents give it once: past complete.c's COLLECT_MAX
# (100,000) candidates the 100,000 of a/ crowded b/ out.
mkdir -p "$tmp/many/a" "$tmp/many/b"
awk -v d="$tmp/many/a" 'BEGIN { for (i = 0; i < 100000; i++) {
	f = sprintf("%s/%06d.md", d, i); print "# T" >f; close(f) } }'
printf '# B\n\nText.\n' >"$tmp/many/b/x.md"
"$AWSNOTE_INDEX" -q -o "$tmp/many.blob" "$tmp/many" || fail "awsnote-index many"
rm -rf "$tmp/many"
run "$AWSNOTE" -f "$tmp/many.blob" --complete-doc=
[ "$(cat "$tmp/out")" = "a/
b/" ] || fail "--complete-doc= of 100,001 documents: $(cat "$tmp/out")"
# What it offers, -d takes.
# shellcheck disable=SC2086
expect_first_line "p2/README > Two" "$AWSNOTE" $DD -d p2/README text
# A query word that names a document as shown keeps the lookup to it,
# and so the words offered after it (the scripts pass the words typed).
# shellcheck disable=SC2086
run "$AWSNOTE" $DD --complete= -- p1/README
[ "$(cat "$tmp/out")" = "One" ] || fail "--complete= after p1/README: $(cat "$tmp/out")"
# shellcheck disable=SC2086
run "$AWSNOTE" $DD --complete=t -- text p2/README
[ "$(cat "$tmp/out")" = "Two" ] || fail "--complete=t after p2/README: $(cat "$tmp/out")"
# shellcheck disable=SC2086
run "$AWSNOTE" $DD --complete=t -- text
[ "$(cat "$tmp/out")" = "Three
Trains
Two" ] || fail "--complete=t after a word that names nothing: $(cat "$tmp/out")"
# Everything, capped; one candidate per line, no control bytes.
run "$AWSNOTE" --complete=
n=$(wc -l <"$tmp/out")
[ "$n" -gt 100 ] && [ "$n" -le 200 ] || fail "--complete= gave $n candidates"
[ "$(sort -uf "$tmp/out" | wc -l)" = "$n" ] || fail "duplicate candidates"
printf '# Bad\x1b[31m title\n\ntext\n' >"$tmp/evil.md"
run "$AWSNOTE" -f "$tmp/evil.md" --complete=bad
LC_ALL=C grep -q "$(printf '\033')" "$tmp/out" && fail "an escape reached a candidate"

# ---- long options after the words -----------------------------------------
# awsnote takes them there, as before the words; there "-word" is an
# exclusion, and after "--" every argument is a word.  Each script is
# run over this table: a line (its end is completed, in $tmp, where
# aws.blob is the default notes' blob), the candidates (sorted, each
# without a "--NAME=" before or an "=" after it; "-" for none, LONG for
# long options only, OPTIONS for short and long ones and nothing else), what it checks, and a shell that skips it.
ln -s "$BLOB" "$tmp/aws.blob"
cat >"$tmp/after-words" <<'EOF'
awsnote -f mine.md -|OPTIONS|options, not exclusions, before the words
awsnote s3 --no-pa|--no-pager|a long option after a word
awsnote s3 --|LONG|-- Tab after a word offers the long options
awsnote s3 --fi|--file --fixed-strings|abbreviations after a word
awsnote s3 -k|-KMS -Kinesis|-k after a word is an exclusion
awsnote s3 --color=al|always|--color= after a word
awsnote s3 --file mi|mine.md|--file PATH after a word
awsnote s3 --fil mi|mine.md|an abbreviated --file PATH after a word
awsnote s3 --nth |-|--nth takes a number after a word
awsnote s3 --fil mine.md wid|Widgets|--fil PATH after a word is passed on
awsnote s3 --file=mine.md wid|Widgets|--file=PATH after a word is passed on
awsnote -f aws.blob -f mine.md x --doc mine w|Widgets|--doc after a word is passed on
awsnote -f aws.blob -f mine.md x --do=mine e|-|--do= after a word is passed on
awsnote s3 -f mine.md wid|-|-f after a word is a word
awsnote s3 --regex --file mine.md wid|-|--regex's value --file is no option
awsnote s3 --regex -- --no-pa|--no-pager|--regex's value -- ends nothing|fish
awsnote s3 -- --no-pa|-|no option after --
awsnote -- --no-pa|-|no option after a first --
awsnote s3 -- --file mine.md wid|-|--file after -- is a word
EOF
# after_words SHELL: run the table with SHELL_line LINE, which leaves the
# candidates for the end of LINE in $tmp/out, one a line.
after_words() {
	while IFS='|' read -r line want what skip; do
		[ "$skip" = "$1" ] && continue
		"$1_line" "$line"
		got=$(sed 's/=$//; s/^--[a-z-]*=//' "$tmp/out" | LC_ALL=C sort |
			paste -sd ' ' -)
		case $want in
		-) [ -z "$got" ] ;;
		OPTIONS) case " $got " in
			*" -k "*" --apropos "* | *" --apropos "*" -k "*)
				! printf '%s\n' $got | grep -Evq '^(-[a-zA-Z]|--[a-z-]+)$' ;;
			*) false ;;
			esac ;;
		LONG) case " $got " in
			*" --apropos "*) ! printf '%s\n' $got | grep -qv '^--' ;;
			*) false ;;
			esac ;;
		*) [ "$got" = "$want" ] ;;
		esac || fail "$1: $what: '$line' gave '$got'"
	done <"$tmp/after-words"
}

# ---- awsnote-index ------------------------------------------------------
# Its own scripts, run over this table as the one above: a line completed
# in $tmp, the candidates (sorted, without "ix/", a directory's '/' or a
# "--NAME=" before them; "-" for none), what it checks, a shell that
# skips it (zsh offers all files where none matches, its file-patterns
# style's default, which a user may change).  Options anywhere
# before "--"; -o any file; -j 1 or 2; --source-dir a directory; paths:
# directories and Markdown.
mkdir -p "$tmp/ix/sub" "$tmp/ix/topic.md"
: >"$tmp/ix/notes.md"
: >"$tmp/ix/old.markdown"
: >"$tmp/ix/readme.txt"
: >"$tmp/ix/-dash.md"
cat >"$tmp/index-cases" <<'EOF'
awsnote-index --th|--threads|a long option
awsnote-index --q|--quiet|another
awsnote-index ix/notes.md --ver|--version|an option after a path
awsnote-index -j |1 2|-j's values
awsnote-index --threads=|1 2|--threads='s values
awsnote-index -m |-|-m takes a size, not a file
awsnote-index -o ix/r|readme.txt|-o takes any file
awsnote-index -qo ix/r|readme.txt|-o at the end of a cluster
awsnote-index --output=ix/r|readme.txt|--output=
awsnote-index --output ix/r|readme.txt|--output FILE
awsnote-index ix/|-dash.md notes.md old.markdown sub topic.md|notes: directories and Markdown files
awsnote-index -o x.blob ix/|-dash.md notes.md old.markdown sub topic.md|notes after -o FILE
awsnote-index -j 2 ix/r|-|no note begins so|zsh
awsnote-index -- ix/-|-dash.md|a path after --
awsnote-index -- --q|-|no option after --
awsnote-index --so|--source-dir|a long option taking a directory
awsnote-index --source-dir=ix/|sub topic.md|--source-dir='s directories
awsnote-index --source-dir ix/|sub topic.md|--source-dir DIR
EOF
# index_cases SHELL: the table through SHELL_index_line LINE, which leaves
# the candidates for the end of LINE in $tmp/out, one a line.
index_cases() {
	while IFS='|' read -r line want what skip; do
		[ "$skip" = "$1" ] && continue
		"$1_index_line" "$line"
		got=$(sed 's|/$||; s/^--[a-z-]*=\(..*\)$/\1/; s/=$//; s|^ix/||' "$tmp/out" |
			LC_ALL=C sort -u | paste -sd ' ' -)
		[ "$want" = - ] && want=
		[ "$got" = "$want" ] || fail "$1: awsnote-index: $what: '$line' gave '$got'"
	done <"$tmp/index-cases"
}

# ---- bash ---------------------------------------------------------------
bash -n "$COMP/awsnote.bash" || fail "awsnote.bash: syntax"
mkdir -p "$tmp/bin"
ln -s "$AWSNOTE" "$tmp/bin/awsnote"
# compl WORD...: complete the last WORD the way bash would, one reply a line
# (with $SCRIPT's function $FUNC: awsnote's unless told).
cat >"$tmp/compl.bash" <<'SH'
. "$COMP/${SCRIPT:-awsnote.bash}"
COMP_WORDS=("$@")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMPREPLY=()
"${FUNC:-_awsnote}"
printf "${FMT:-%s}\n" "${COMPREPLY[@]}"
SH
compl() {
	PATH="$tmp/bin:$PATH" COMP="$COMP" bash "$tmp/compl.bash" "$@" \
		>"$tmp/out" 2>"$tmp/err" || fail "bash completion of $*: $(cat "$tmp/err")"
	[ -s "$tmp/err" ] && fail "bash completion of $* wrote to stderr: $(cat "$tmp/err")"
}
compl awsnote dynamodb str
[ "$(cat "$tmp/out")" = "Streams" ] || fail "bash: dynamodb str: $(cat "$tmp/out")"
compl awsnote "simple q"
compl awsnote simple
expect_grep '^Simple\\ Queue\\ Service\\ SQS$' "$tmp/out" "bash: a whole title, quoted"
compl awsnote -f "$tmp/mine.md" gear
[ "$(cat "$tmp/out")" = 'gear
gear\ ratios
gear\ Trains\ \(Spur\)' ] || fail "bash: -f is passed on: $(cat "$tmp/out")"
# A leading ~ or $HOME in -f's path, as typed, is the home directory.
home=$HOME
HOME=$tmp
compl awsnote -f '~/mine.md' wid
[ "$(cat "$tmp/out")" = "Widgets" ] || fail "bash: -f ~/...: $(cat "$tmp/out")"
compl awsnote -f '$HOME/mine.md' wid
[ "$(cat "$tmp/out")" = "Widgets" ] || fail "bash: -f \$HOME/...: $(cat "$tmp/out")"
HOME=$home
compl awsnote "--file=$tmp/mine.md" wid
[ "$(cat "$tmp/out")" = "Widgets" ] || fail "bash: --file= is passed on: $(cat "$tmp/out")"
compl awsnote --file = "$tmp/mine.md" wid
[ "$(cat "$tmp/out")" = "Widgets" ] || fail "bash: --file = (split by bash): $(cat "$tmp/out")"
compl awsnote --no-pa
[ "$(cat "$tmp/out")" = "--no-pager" ] || fail "bash: options: $(cat "$tmp/out")"
compl awsnote --color = al
[ "$(cat "$tmp/out")" = "always" ] || fail "bash: --color=al: $(cat "$tmp/out")"
compl awsnote s3 -encr
[ "$(cat "$tmp/out")" = "-Encryption" ] || fail "bash: exclusion after a word: $(cat "$tmp/out")"
compl awsnote -f "$tmp/mi"
[ "$(cat "$tmp/out")" = "$tmp/mine.md" ] || fail "bash: -f completes files: $(cat "$tmp/out")"
# -d: the documents' names, else files on disk.
compl awsnote -f "$tmp/dd/p1" -f "$tmp/dd/p2" -d p
[ "$(cat "$tmp/out")" = "p1/
p2/" ] || fail "bash: -d p: $(cat "$tmp/out")"
compl awsnote -f "$tmp/dd/p1" -f "$tmp/dd/p2" --doc = p2
[ "$(cat "$tmp/out")" = "p2/" ] || fail "bash: --doc = p2: $(cat "$tmp/out")"
compl awsnote -f "$tmp/dd/p1" -f "$tmp/dd/p2" "--doc=p1/"
[ "$(cat "$tmp/out")" = "--doc=p1/README" ] || fail "bash: --doc=p1/: $(cat "$tmp/out")"
# A word after a document's name: that document's words.
compl awsnote -f "$tmp/dd/p1" -f "$tmp/dd/p2" p1/README ""
[ "$(cat "$tmp/out")" = "One" ] || fail "bash: p1/README <Tab>: $(cat "$tmp/out")"
compl awsnote -f "$tmp/dd/p1" -f "$tmp/dd/p2" "'p2/README'" t
[ "$(cat "$tmp/out")" = "Two" ] || fail "bash: 'p2/README' t: $(cat "$tmp/out")"
compl awsnote -d "$tmp/mi"
[ "$(cat "$tmp/out")" = "$tmp/mine.md" ] || fail "bash: -d falls back to files: $(cat "$tmp/out")"
# -d's word as typed, quotes and backslashes taken off before it is looked up.
compl awsnote -f "$tmp/sp" -d 'my\ notes/'
[ "$(cat "$tmp/out")" = 'my\ notes/x' ] || fail "bash: -d my\\ notes/: $(cat "$tmp/out")"
compl awsnote -f "$tmp/sp" -d "'my no"
[ "$(cat "$tmp/out")" = 'my\ notes/' ] || fail "bash: -d 'my no: $(cat "$tmp/out")"
compl awsnote -f "$tmp/sp" "--doc=\"my notes/x"
[ "$(cat "$tmp/out")" = '--doc=my\ notes/x' ] || fail "bash: --doc=\"my notes/x: $(cat "$tmp/out")"
compl awsnote -d "$tmp/sp/my\\ no"
[ "$(cat "$tmp/out")" = "$tmp/sp/my notes" ] || fail "bash: -d falls back to files, unquoted: $(cat "$tmp/out")"
# The same for -f's file, for the -f given on to --complete, and for
# a query word.
compl awsnote -f "$tmp/sp/my\\ notes/"
[ "$(cat "$tmp/out")" = "$tmp/sp/my notes/x.md" ] || fail "bash: -f my\\ notes/: $(cat "$tmp/out")"
compl awsnote -f "$tmp/sp/my\\ notes/x.md" e
[ "$(cat "$tmp/out")" = "Ex" ] || fail "bash: -f my\\ notes/x.md passed on: $(cat "$tmp/out")"
compl awsnote -f "$tmp/mine.md" "gear\\ t"
[ "$(cat "$tmp/out")" = 'Gear\ Trains\ \(Spur\)' ] || fail "bash: a query word gear\\ t: $(cat "$tmp/out")"
compl awsnote -n ""
[ -n "$(cat "$tmp/out")" ] && fail "bash: -n takes a number, not a word: $(cat "$tmp/out")"
bash_line() {
	set -f
	case $1 in
	*" ") set -- $1 "" ;;
	*) set -- $1 ;;
	esac
	set +f
	(cd "$tmp" && compl "$@")
}
after_words bash
bash -n "$COMP/awsnote-index.bash" || fail "awsnote-index.bash: syntax"
# bash splits "--output=x" at the "=" (COMP_WORDBREAKS): so does this.
bash_index_line() {
	set -f
	# shellcheck disable=SC2046
	set -- $(printf '%s\n' "$1" | sed 's/\(--[a-z-]*\)=$/\1 =/; s/\(--[a-z-]*\)=/\1 = /')
	set +f
	case $line in *" ") set -- "$@" "" ;; esac
	(cd "$tmp" && export SCRIPT=awsnote-index.bash FUNC=_awsnote_index &&
		compl "$@")
	sed -i '/^$/d' "$tmp/out"
}
index_cases bash

# ---- file names: blanks, a tab, a newline, quotes, a leading dash ----------
# Each comes back whole, as one candidate (awsnote -f: any file;
# awsnote-index: Markdown files and directories, a directory named x.md
# once, after ~/ too).  awsnote's -f split them at blanks and globbed
# them; a newline made two candidates in both scripts.  Compared as
# printf %q shows them, with the names a glob gives.
mkdir -p "$tmp/odd/x.md"
for name in "sp ace.md" "$(printf 'a\tb.md')" "nl
x.md" "q'uote.md" 'd"q.md' -dash.md other.txt '*.md'; do
	: >"$tmp/odd/$name"
done
(cd "$tmp" && bash -c 'printf "%q\n" odd/*' | LC_ALL=C sort) >"$tmp/odd-all"
(cd "$tmp" && bash -c 'printf "%q\n" odd/*.md' | LC_ALL=C sort) >"$tmp/odd-md"
odd_bash() { # SCRIPT FUNC EXPECTED WORD...: what bash offers for the last WORD
	script=$1 func=$2 want=$3
	shift 3
	(cd "$tmp" && SCRIPT=$script FUNC=$func FMT=%q compl "$@")
	LC_ALL=C sort "$tmp/out" >"$tmp/got"
	cmp -s "$tmp/got" "$want" ||
		fail "bash: odd file names after '$*': $(diff "$want" "$tmp/got")"
}
odd_bash awsnote.bash _awsnote "$tmp/odd-all" awsnote -f odd/
odd_bash awsnote.bash _awsnote "$tmp/odd-all" awsnote s3 --file odd/
odd_bash awsnote-index.bash _awsnote_index "$tmp/odd-md" awsnote-index odd/
odd_bash awsnote-index.bash _awsnote_index "$tmp/odd-all" awsnote-index -o odd/
(cd "$tmp" && bash -c 'for f in odd/*.md; do printf "%q\n" "~/$f"; done' |
	LC_ALL=C sort) >"$tmp/odd-md-home"
home=$HOME
HOME=$tmp
odd_bash awsnote-index.bash _awsnote_index "$tmp/odd-md-home" awsnote-index '~/odd/'
HOME=$home
# Every long option of each program's --help is offered by its scripts.
for prog in awsnote awsnote-index; do
	case $prog in
	awsnote) "$AWSNOTE" --help ;;
	*) "$AWSNOTE_INDEX" --help ;;
	esac | grep -Eo -- '--[a-z][a-z-]+' | sort -u >"$tmp/opts"
	[ -s "$tmp/opts" ] || fail "no options in $prog --help"
	while IFS= read -r opt; do
		for f in $prog.bash _$prog $prog.fish; do
			case $f in
			*.fish) pat="-l ${opt#--}( |\$)" ;;
			*) pat="(^|[ '{,()])$opt([]' =,}[]|\$)" ;;
			esac
			grep -Eq -- "$pat" "$COMP/$f" || fail "$f lacks $opt"
		done
	done <"$tmp/opts"
done

# ---- zsh ------------------------------------------------------------------
if command -v zsh >/dev/null 2>&1; then
	zsh -n "$COMP/_awsnote" || fail "_awsnote: syntax"
	# Load the function without running it (no completion system here),
	# then call the word helper as the completion system would.
	out=$(cd "$tmp" && PATH="$tmp/bin:$PATH" zsh -f -c '
		_arguments() { :; }
		compadd() { print -rl -- "${@[$@[(i)--]+1,-1]}"; }
		. "$1"
		words=(awsnote -f mine.md gear) CURRENT=4 PREFIX=gear
		_awsnote_words' zsh "$COMP/_awsnote" 2>&1)
	[ "$out" = 'gear
gear\ ratios
gear\ Trains\ \(Spur\)' ] || fail "zsh: candidates: $out"
	# Exclusions only after a word; ~ and $HOME in -f's path.
	out=$(cd "$tmp" && HOME=$tmp PATH="$tmp/bin:$PATH" zsh -f -c '
		_arguments() { :; }
		compadd() { print -rl -- "${@[$@[(i)--]+1,-1]}"; }
		. "$1"
		words=(awsnote -k -wid) CURRENT=3 PREFIX=-wid
		_awsnote_words
		words=(awsnote -f "~/mine.md" wid) CURRENT=4 PREFIX=wid
		_awsnote_words
		words=(awsnote -f "\$HOME/mine.md" x -wid) CURRENT=5 PREFIX=-wid
		_awsnote_words' zsh "$COMP/_awsnote" 2>&1)
	[ "$out" = 'Widgets
-Widgets' ] || fail "zsh: exclusions, ~ and \$HOME: $out"
	# The whole of _awsnote, through the real completion system in a
	# pseudo-terminal: zsh_line LINE puts the candidates for the end of
	# LINE in $tmp/out.
	cat >"$tmp/zcompl.zsh" <<'ZSH'
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z 'PS1=; unset zle_bracketed_paste; fpath=($COMP $fpath)
autoload -U compinit; compinit -u -d $DUMP; bindkey "^I" complete-word
compadd() {
	[[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]] && { builtin compadd "$@"; return; }
	local -a hits; builtin compadd -A hits "$@"; builtin compadd "$@"
	(($#hits)) && print -rl -- $hits >>$HITS; return 0
}
comppostfuncs=(signal); signal() { print -r -- "<<""done>>"; }'
zpty -w z "$1"$'\t'
while zpty -r z line && [[ $line != *'<<done>>'* ]]; do :; done
zpty -d z
ZSH
	zsh_line() {
		: >"$tmp/out"
		(cd "$tmp" && HITS=$tmp/out DUMP=$tmp/zcompdump COMP=$COMP \
			PATH="$tmp/bin:$PATH" timeout 30 zsh -f "$tmp/zcompl.zsh" "$1" >/dev/null 2>"$tmp/err") ||
			fail "zsh: completing '$1' failed: $(cat "$tmp/err")"
	}
	if zsh -fc 'zmodload zsh/zpty && zpty t true' 2>/dev/null; then
		zsh_line 'awsnote --no-pa'
		[ "$(cat "$tmp/out")" = "--no-pager" ] || fail "zsh: options: $(cat "$tmp/out")"
		zsh_line 'awsnote dynamodb str'
		[ "$(cat "$tmp/out")" = "Streams" ] || fail "zsh: dynamodb str: $(cat "$tmp/out")"
		zsh_line 'awsnote -f dd/p1 -f dd/p2 -d p'
		[ "$(cat "$tmp/out")" = "p1/
p2/" ] || fail "zsh: -d p: $(cat "$tmp/out")"
		zsh_line 'awsnote -f dd/p1 -f dd/p2 x --doc=p2/'
		[ "$(cat "$tmp/out")" = "p2/README" ] || fail "zsh: --doc=p2/: $(cat "$tmp/out")"
		zsh_line 'awsnote -f dd/p1 -f dd/p2 p1/README '
		[ "$(cat "$tmp/out")" = "One" ] || fail "zsh: p1/README <Tab>: $(cat "$tmp/out")"
		after_words zsh
		zsh -n "$COMP/_awsnote-index" || fail "_awsnote-index: syntax"
		zsh_index_line() { zsh_line "$1"; }
		index_cases zsh
	else
		echo "SKIP: zsh without zsh/zpty or a pty: _awsnote not run whole"
	fi
else
	echo "SKIP: zsh not installed"
fi

# ---- fish -----------------------------------------------------------------
if command -v fish >/dev/null 2>&1; then
	fish -n "$COMP/awsnote.fish" || fail "awsnote.fish: syntax"
	# fish orders the candidates itself.
	out=$(cd "$tmp" && PATH="$tmp/bin:$PATH" fish --no-config -c \
		'source $argv[1]; complete -C"awsnote -f mine.md gear"' \
		"$COMP/awsnote.fish" 2>&1 | LC_ALL=C sort)
	[ "$out" = 'gear
gear Trains (Spur)
gear ratios' ] || fail "fish: candidates: $out"
	# Exclusions only after a word; ~ and $HOME in -f's path.
	out=$(cd "$tmp" && HOME=$tmp PATH="$tmp/bin:$PATH" fish --no-config -c \
		'source $argv[1]; complete -C"awsnote -f ~/mine.md -wid"
		complete -C"awsnote -f \$HOME/mine.md wid"
		complete -C"awsnote -f ~/mine.md x -wid"' "$COMP/awsnote.fish" 2>&1)
	[ "$out" = 'Widgets
-Widgets' ] || fail "fish: exclusions, ~ and \$HOME: $out"
	out=$(PATH="$tmp/bin:$PATH" fish --no-config -c \
		'source $argv[1]; complete -C"awsnote --no-pa"' "$COMP/awsnote.fish" 2>&1)
	case $out in --no-pager*) ;; *) fail "fish: options: $out" ;; esac
	fish_line() {
		(cd "$tmp" && PATH="$tmp/bin:$PATH" fish --no-config -c \
			'source $argv[1]; complete -C$argv[2]' "$COMP/awsnote.fish" "$1" \
			>"$tmp/out.fish" 2>"$tmp/err") || fail "fish: completing '$1' failed"
		[ -s "$tmp/err" ] && fail "fish: completing '$1' wrote to stderr: $(cat "$tmp/err")"
		cut -f 1 "$tmp/out.fish" >"$tmp/out" # without the descriptions
	}
	fish_line 'awsnote -f dd/p1 -f dd/p2 -d p'
	[ "$(cat "$tmp/out")" = "p1/
p2/" ] || fail "fish: -d p: $(cat "$tmp/out")"
	fish_line 'awsnote -f dd/p1 -f dd/p2 x --doc=p2/'
	[ "$(cat "$tmp/out")" = "--doc=p2/README" ] || fail "fish: --doc=p2/: $(cat "$tmp/out")"
	fish_line 'awsnote -f dd/p1 -f dd/p2 p1/README '
	[ "$(cat "$tmp/out")" = "One" ] || fail "fish: p1/README <Tab>: $(cat "$tmp/out")"
	fish_line 'awsnote -f sp -d my\ notes/'
	[ "$(cat "$tmp/out")" = "my notes/x" ] || fail "fish: -d my\\ notes/: $(cat "$tmp/out")"
	fish_line 'awsnote -f sp -d "my no'
	[ "$(cat "$tmp/out")" = "my notes/" ] || fail "fish: -d \"my no: $(cat "$tmp/out")"
	fish_line 'awsnote -d sp/my\ no'
	[ "$(cat "$tmp/out")" = "sp/my notes/" ] || fail "fish: -d falls back to files, unescaped: $(cat "$tmp/out")"
	after_words fish
	fish -n "$COMP/awsnote-index.fish" || fail "awsnote-index.fish: syntax"
	fish_index_line() {
		(cd "$tmp" && fish --no-config -c 'source $argv[1]; complete -C$argv[2]' \
			"$COMP/awsnote-index.fish" "$1" >"$tmp/out.fish" 2>"$tmp/err") ||
			fail "fish: completing '$1' failed"
		[ -s "$tmp/err" ] && fail "fish: completing '$1' wrote to stderr: $(cat "$tmp/err")"
		cut -f 1 "$tmp/out.fish" >"$tmp/out"
	}
	index_cases fish
	# Notes with odd names (made above): each whole, a newline's too
	# (it made two pieces, neither a Markdown file); not the one with a
	# tab, which fish would offer as "odd/a", described "b.md".
	fish_index_line "awsnote-index odd/"
	printf '%s\n' 'odd/*.md' 'odd/-dash.md' 'odd/d"q.md' 'odd/nl' 'x.md' \
		"odd/q'uote.md" 'odd/sp ace.md' 'odd/x.md/' >"$tmp/want"
	LC_ALL=C sort "$tmp/want" >"$tmp/want.sorted"
	LC_ALL=C sort "$tmp/out" >"$tmp/got"
	cmp -s "$tmp/got" "$tmp/want.sorted" ||
		fail "fish: odd file names: $(diff "$tmp/want.sorted" "$tmp/got")"
	fish_index_line "awsnote-index odd/n"
	[ "$(cat "$tmp/out")" = "odd/nl
x.md" ] || fail "fish: a name with a newline: $(cat "$tmp/out")"
else
	echo "SKIP: fish not installed"
fi
finish
