#!/bin/sh
# What a terminal gets and a pipe does not: wrapping, its width (--width,
# then MANWIDTH, then COLUMNS, then the terminal's, then 80; capped at 100
# unless given with --width) and colours (only on a terminal or with
# --color=always; never with NO_COLOR or TERM=dumb unless always).
# Terminal cases run under script(1) and are skipped without it.
. "$top_srcdir/tests/lib.sh"

wc -L </dev/null >/dev/null 2>&1 || skip "no wc -L to measure line widths"
ESC=$(printf '\033')

# widest FILE: columns of the widest line of the section, escapes and
# CRs left out, and link references ("[1] https://...") too: addresses are
# never broken.  The See also list is not the section's.
widest() {
	sed "s/$ESC\[[0-9;]*m//g; /See also:/,\$d" "$1" | tr -d '\r' |
		grep -Ev '^\[[0-9]+\] [a-z]+:' | wc -L
}

# in_range WHAT N LO HI
in_range() {
	[ "$2" -ge "$3" ] && [ "$2" -le "$4" ] ||
		fail "$1: widest line $2 columns, want $3 to $4"
}

# ---- a pipe -----------------------------------------------------------------
run "$AWSNOTE" iam
grep -q "$ESC" "$tmp/out" && fail "escapes in a pipe"
in_range "a pipe is not wrapped" "$(widest "$tmp/out")" 150 100000
run "$AWSNOTE" --color=always iam
grep -q "$ESC\[1m" "$tmp/out" || fail "--color=always in a pipe has no styles"
in_range "--color=always alone does not wrap" "$(widest "$tmp/out")" 150 100000
run env NO_COLOR=1 TERM=dumb "$AWSNOTE" --color=always iam
grep -q "$ESC\[1m" "$tmp/out" || fail "--color=always beats NO_COLOR and TERM=dumb"
run "$AWSNOTE" --width 150 iam
in_range "--width in a pipe wraps, uncapped" "$(widest "$tmp/out")" 120 150
grep -q "$ESC" "$tmp/out" && fail "--width alone brings escapes"

# ---- a terminal -------------------------------------------------------------
script -qec true /dev/null </dev/null >/dev/null 2>&1 ||
	skip "no script(1) of util-linux to run a terminal"

# tty [VAR=VALUE...] -- ARG...: run awsnote ARG... on a terminal (one
# with no size: 0 columns) with the environment VAR=VALUE...
tty() {
	envs=
	while [ "$1" != -- ]; do
		envs="$envs $1"
		shift
	done
	shift
	cmd="env$envs '$AWSNOTE' --no-pager"
	for a in "$@"; do
		cmd="$cmd '$a'"
	done
	script -qec "$cmd" /dev/null </dev/null >"$tmp/out" 2>"$tmp/err"
	status=$?
}

# -l on a terminal: an outline, titles indented two spaces a level; with
# words, the best match's path (bold) over its subsections' outline.
tty -- -l
tr -d '\r' <"$tmp/out" >"$tmp/outline"
grep -qx "RDS" "$tmp/outline" && grep -qx "    Read replicas:" "$tmp/outline" ||
	fail "-l on a terminal is not an outline: $(head -c 200 "$tmp/outline")"
tty -- -l rds
tr -d '\r' <"$tmp/out" >"$tmp/outline"
[ "$(head -n 1 "$tmp/outline")" = "${ESC}[1mRDS${ESC}[0m" ] ||
	fail "-l rds on a terminal: first line $(head -n 1 "$tmp/outline" | od -c | head -2)"
[ "$(sed -n 2,3p "$tmp/outline")" = "  RDS
    Read replicas:" ] || fail "-l rds on a terminal: $(head -c 200 "$tmp/outline")"
grep -q "^  ElastiCache$" "$tmp/outline" || fail "-l rds lists RDS's subsections"
grep -q "^IAM" "$tmp/outline" && fail "-l rds lists more than RDS's outline"

tty -- iam
[ "$status" = 0 ] || fail "on a terminal: status $status"
grep -q "$ESC\[1m" "$tmp/out" || fail "no styles on a terminal"
in_range "a terminal of no size: 80" "$(widest "$tmp/out")" 70 80
tty MANWIDTH=50 COLUMNS=70 -- iam
in_range "MANWIDTH first" "$(widest "$tmp/out")" 42 50
tty COLUMNS=64 -- iam
in_range "COLUMNS" "$(widest "$tmp/out")" 56 64
tty MANWIDTH=junk COLUMNS=64 -- iam
in_range "a bad MANWIDTH is skipped" "$(widest "$tmp/out")" 56 64
tty MANWIDTH=50 -- --width 70 iam
in_range "--width before MANWIDTH" "$(widest "$tmp/out")" 62 70
tty MANWIDTH=300 -- iam
in_range "a width from the environment is capped" "$(widest "$tmp/out")" 90 100
tty -- --width 150 iam
in_range "--width is not capped" "$(widest "$tmp/out")" 120 150
script -qec "stty cols 72 2>/dev/null; '$AWSNOTE' --no-pager iam" /dev/null \
	</dev/null >"$tmp/out" 2>&1
in_range "the terminal's own width" "$(widest "$tmp/out")" 64 72

# See also at 20 columns: "  awsnote -n N   " (17 columns) left the path
# 3, so each of its words overflowed the line; where it would have under
# 12 the command has a line of its own and the path goes under it,
# indented 4.  At 40 it stays beside the command.  The command holds the
# query's words: "awsnote -n 2" alone is a usage error.
tty COLUMNS=20 -- kms
sed "s/$ESC\[[0-9;]*m//g" "$tmp/out" | tr -d '\r' >"$tmp/screen"
[ "$(wc -L <"$tmp/screen")" -le 20 ] ||
	fail "lines over 20 columns: $(awk 'length > 20' "$tmp/screen")"
[ "$(sed -n '/^See also:$/,$p' "$tmp/screen" | sed -n 2,3p)" = "  awsnote -n 2 kms
    S3 > Encryption" ] || fail "See also at 20 columns: $(sed -n '/^See also:$/,$p' "$tmp/screen")"
tty COLUMNS=40 -- kms
sed "s/$ESC\[[0-9;]*m//g" "$tmp/out" | tr -d '\r' >"$tmp/screen"
grep -qx "  awsnote -n 2 kms   S3 > Encryption" "$tmp/screen" ||
	fail "See also at 40 columns: $(sed -n '/^See also:$/,$p' "$tmp/screen")"

tty NO_COLOR=1 -- iam
grep -q "$ESC" "$tmp/out" && fail "NO_COLOR: escapes on a terminal"
in_range "NO_COLOR still wraps" "$(widest "$tmp/out")" 70 80
tty TERM=dumb -- iam
grep -q "$ESC" "$tmp/out" && fail "TERM=dumb: escapes on a terminal"
tty -- --color=never iam
grep -q "$ESC" "$tmp/out" && fail "--color=never: escapes on a terminal"
tty NO_COLOR= -- iam
grep -q "$ESC\[1m" "$tmp/out" || fail "an empty NO_COLOR is unset"

# The section path heads the page; See also ends it.
tty -- s3 encryption
first=$(sed "s/$ESC\[[0-9;]*m//g" "$tmp/out" | tr -d '\r' | head -n 1)
[ "$first" = "S3 > Encryption" ] || fail "header line '$first'"
grep -q "See also:" "$tmp/out" || fail "no See also on a terminal"
# On a narrow terminal the path line and the See also lines wrap too,
# with a hanging indent; in a pipe the path stays one line, --width or not.
tty -- --width 32 swf vs sqs
sed "s/$ESC\[[0-9;]*m//g" "$tmp/out" | tr -d '\r' >"$tmp/plain"
[ "$(head -n 2 "$tmp/plain")" = "Messaging > Simple Workflow
  Service (SWF) > SWF vs SQS" ] || fail "path line at 32 columns: $(head -n 2 "$tmp/plain")"
in_range "narrow terminal, See also included" "$(widest "$tmp/out")" 20 32
grep -qx "  awsnote -n 2 swf vs sqs" "$tmp/plain" || fail "See also at 32 columns: $(tail -n 6 "$tmp/plain")"
# A subsection whose heading has no text is named as its path names it.
# One numbered in its notes gets no number of ours ("2 1.2. Numbered").
printf '# Top\n\ntext\n\n## <a name="x"></a>\n\nbody one\n\n## 1.2. Numbered\n\nbody two\n' >"$tmp/untitled.md"
tty -- -f "$tmp/untitled.md" top
sed "s/$ESC\[[0-9;]*m//g" "$tmp/out" | tr -d '\r' >"$tmp/plain"
grep -qx "1 (untitled)" "$tmp/plain" || fail "an untitled subsection: $(cat "$tmp/plain")"
grep -qx "1.2. Numbered" "$tmp/plain" || fail "a numbered subsection: $(cat "$tmp/plain")"
# A first word that starts with '-' follows "--", as it must be typed.
tty -- --width 80 -- -kms encryption
sed "s/$ESC\[[0-9;]*m//g" "$tmp/out" | tr -d '\r' >"$tmp/plain"
grep -q "^  awsnote -n 2 -- -kms encryption   " "$tmp/plain" ||
	fail "See also after an exclusion: $(tail -n 4 "$tmp/plain")"
run "$AWSNOTE" --width 32 swf vs sqs
[ "$(head -n 1 "$tmp/out")" = "Messaging > Simple Workflow Service (SWF) > SWF vs SQS" ] ||
	fail "--width in a pipe: path line '$(head -n 1 "$tmp/out")'"

# -k: in a pipe one line an entry, --width or not (scripts read it); on
# a terminal each entry wrapped to the width, words whole, the path bold
# and the lines after an entry's first indented two columns, so that
# joined again they are the pipe's lines.
run "$AWSNOTE" -k kms
cp "$tmp/out" "$tmp/k-pipe"
[ "$(wc -l <"$tmp/k-pipe")" -ge 5 ] || fail "-k kms: $(cat "$tmp/k-pipe")"
run "$AWSNOTE" --width 40 -k kms
cmp -s "$tmp/out" "$tmp/k-pipe" || fail "-k with --width in a pipe is not the plain -k"
run "$AWSNOTE" --color=always -k kms
[ "$(sed "s/$ESC\[[0-9;]*m//g" "$tmp/out")" = "$(cat "$tmp/k-pipe")" ] ||
	fail "-k --color=always in a pipe is not one line an entry"
# unwrap: the entries of a wrapped -k as one line each again.
unwrap() {
	sed "s/$ESC\[[0-9;]*m//g" "$1" | tr -d '\r' | awk '
		/^  / { sub(/^  /, ""); line = line " " $0; next }
		NR > 1 { print line }
		{ line = $0 }
		END { print line }'
}
tty -- --width 50 -k kms
in_range "-k on a terminal of 50 columns" "$(widest "$tmp/out")" 40 50
unwrap "$tmp/out" >"$tmp/k-joined"
cmp -s "$tmp/k-joined" "$tmp/k-pipe" ||
	fail "-k on a terminal: words lost or split: $(diff "$tmp/k-pipe" "$tmp/k-joined" | head -n 6)"
tr -d '\r' <"$tmp/out" | grep -v "^  " | grep -v "^$ESC\[1m" >"$tmp/bad"
[ -s "$tmp/bad" ] && fail "-k on a terminal: an entry without its bold path: $(head -n 3 "$tmp/bad")"
tr -d '\r' <"$tmp/out" | grep -q "^$ESC\[1mS3 > Encryption$ESC\[0m - " ||
	fail "-k on a terminal: styles differ from before: $(head -n 2 "$tmp/out" | od -c | head -n 3)"
tty COLUMNS=64 -- -k kms
in_range "-k takes the width from COLUMNS" "$(widest "$tmp/out")" 56 64
# Paged, it is wrapped the same: the pager gets what the terminal would.
tty -- --width 50 -k kms
tr -d '\r' <"$tmp/out" >"$tmp/k-tty"
script -qec "env AWSNOTE_PAGER='tee $tmp/k-paged' '$AWSNOTE' --width 50 -k kms" \
	/dev/null </dev/null >/dev/null 2>&1
cmp -s "$tmp/k-paged" "$tmp/k-tty" || fail "-k through the pager differs from -k on a terminal"

# 20 columns, wide (CJK) characters and combining marks: no line wider
# than the terminal, no character lost, a mark never parted from its
# letter; a title that fits a line but not with its " -" keeps whole.
acute=$(printf '\314\201')
{
	printf '# 日本語のノート\n\n## 東京の地下鉄の路線図\n\n'
	printf 'Crème brûlée: e%ste%s cafe%s 日本語の説明文です。 zebra\n\n' \
		"$acute" "$acute" "$acute"
	printf '# Parent\n\n## abcdefghijklmnopq\n\nzebra stripes and more.\n'
} >"$tmp/wide.md"
run "$AWSNOTE" -f "$tmp/wide.md" -k zebra
cp "$tmp/out" "$tmp/w-pipe"
tty -- --width 20 -f "$tmp/wide.md" -k zebra
in_range "-k at 20 columns with wide characters" "$(widest "$tmp/out")" 15 20
[ "$(unwrap "$tmp/out" | tr -d ' ')" = "$(tr -d ' ' <"$tmp/w-pipe")" ] ||
	fail "-k at 20 columns lost characters: $(tr -d '\r' <"$tmp/out")"
tr -d '\r' <"$tmp/out" | grep -q "^ *$acute" && fail "-k at 20 columns: a mark starts a line"
tr -d '\r' <"$tmp/out" | sed "s/$ESC\[[0-9;]*m//g" | grep -qx "  abcdefghijklmnopq" ||
	fail "-k at 20 columns split a title: $(tr -d '\r' <"$tmp/out")"

# -e: a pipe gets grep's lines, or ripgrep's headings with --color=always,
# never wrapped (--width or not: scripts read them).  A terminal gets the
# headings wrapped to the width, words whole: a path's later lines
# indented 2, a line's under its text (past "N:" and a list item's
# marker), its blanks kept, the matches red on every line they cover.
# ejoin FILE: a wrapped -e's lines joined again (a line that starts with
# a blank goes on the one before), without styles, blanks squeezed.
ejoin() {
	sed "s/$ESC\[[0-9;]*m//g" "$1" | tr -d '\r' | awk '
		/^ +[^ ]/ && NR > 1 { sub(/^ +/, ""); line = line " " $0; next }
		NR > 1 { print line }
		{ line = $0 }
		END { print line }' | sed 's/[[:blank:]][[:blank:]]*/ /g; s/ $//'
}
for opts in "-C 1" "-A 2 -B 1" "-o" "-c" "-l" "-i -w"; do
	# shellcheck disable=SC2086
	run "$AWSNOTE" --color=always $opts -e 'encrypt\w*|KMS key'
	cp "$tmp/out" "$tmp/e-pipe"
	case $opts in -o | -c | -l) ;; *) # long lines in those only
		in_range "-e $opts in a pipe is not wrapped" \
			"$(widest "$tmp/e-pipe")" 51 100000 ;;
	esac
	# shellcheck disable=SC2086
	run "$AWSNOTE" --color=always --width 30 $opts -e 'encrypt\w*|KMS key'
	cmp -s "$tmp/out" "$tmp/e-pipe" || fail "-e $opts: --width wraps a pipe"
	w=50 lo=42
	case $opts in -c | -l) w=24 lo=16 ;; -o) lo=1 ;; esac # short here
	# shellcheck disable=SC2086
	tty -- --width $w $opts -e 'encrypt\w*|KMS key'
	[ "$status" = 0 ] || fail "-e $opts on a terminal: status $status"
	in_range "-e $opts on a terminal of $w columns" "$(widest "$tmp/out")" $lo $w
	ejoin "$tmp/out" >"$tmp/e-joined"
	sed "s/$ESC\[[0-9;]*m//g; s/[[:blank:]][[:blank:]]*/ /g; s/ $//" \
		"$tmp/e-pipe" >"$tmp/e-want"
	cmp -s "$tmp/e-joined" "$tmp/e-want" ||
		fail "-e $opts on a terminal: words lost or split: $(diff "$tmp/e-want" "$tmp/e-joined" | head -n 6)"
done
# Where the lines fit, the terminal gets the old bytes, styles and all.
run "$AWSNOTE" --color=always -e 'KMS key'
cp "$tmp/out" "$tmp/e-pipe"
tty -- --width 1000 -e 'KMS key'
tr -d '\r' <"$tmp/out" | cmp -s - "$tmp/e-pipe" ||
	fail "-e on a wide terminal differs from before: $(tr -d '\r' <"$tmp/out" | diff "$tmp/e-pipe" - | head -n 4)"
# The hanging indent: under the text after "4:* ", 4 columns.
tty -- --width 50 -e 'Envelope Encryption:'
tr -d '\r' <"$tmp/out" | sed "s/$ESC\[[0-9;]*m//g" >"$tmp/e-plain"
grep -A 1 '^4:\* Envelope' "$tmp/e-plain" | tail -n 1 | grep -q '^    [^ ]' ||
	fail "-e: a list item's later line is not under its text: $(head -n 4 "$tmp/e-plain")"
# A match that spans lines is red on each: its parts, joined, are the
# match.
tty -- --width 30 -e 'Envelope Encryption: KMS Encrypt API has a limit for 4K'
red=$(tr -d '\r' <"$tmp/out" | grep -o "$ESC\[1;31m[^$ESC]*$ESC\[0m" |
	sed "s/$ESC\[[0-9;]*m//g")
[ "$(printf '%s\n' "$red" | wc -l)" -ge 2 ] &&
	[ "$(printf '%s' "$red" | tr '\n' ' ')" = "Envelope Encryption: KMS Encrypt API has a limit for 4K" ] ||
	fail "-e: a wrapped match is not red on each line: $(tr -d '\r' <"$tmp/out" | od -c | head -n 8)"
# Blanks inside a line are kept as they are (code lines line up).
printf '# Code\n\n    aws  kms   encrypt --key-id k\n' >"$tmp/code.md"
tty -- --color=never -f "$tmp/code.md" -e 'kms'
tr -d '\r' <"$tmp/out" | grep -qx '2:    aws  kms   encrypt --key-id k' ||
	fail "-e on a terminal squeezed blanks: $(tr -d '\r' <"$tmp/out")"
grep -q "$ESC" "$tmp/out" && fail "-e --color=never on a terminal has escapes"
# Paged, the same: the pager gets what the terminal would.
tty -- --width 50 -C 1 -e encrypt
tr -d '\r' <"$tmp/out" >"$tmp/e-tty"
script -qec "env AWSNOTE_PAGER='tee $tmp/e-paged' '$AWSNOTE' --width 50 -C 1 -e encrypt" \
	/dev/null </dev/null >/dev/null 2>&1
cmp -s "$tmp/e-paged" "$tmp/e-tty" || fail "-e through the pager differs from -e on a terminal"
finish
