#!/bin/sh
# Terminal safety: escape sequences and other control bytes in notes, in
# file and document names and in queries never reach the terminal or a
# pipe raw (the only escapes are awsnote's own SGR colours), and $PAGER
# runs without a shell ever seeing note text.
. "$top_srcdir/tests/lib.sh"

esc=$(printf '\033')

# clean FILE WHAT [sgr]: FILE holds valid UTF-8 with no C0 control but
# newline and tab, no DEL and no C1 control; with "sgr", SGR sequences
# (ESC [ digits/semicolons m) are allowed and removed first.
clean() {
	if [ "${3:-}" = sgr ]; then
		LC_ALL=C sed "s/$esc\\[[0-9;]*m//g" "$1" >"$tmp/clean"
	else
		cp "$1" "$tmp/clean"
	fi
	od -An -v -tx1 "$tmp/clean" | tr -d '\n' >"$tmp/hex"
	if grep -Eq ' (0[0-8b-f]|1[0-9a-f]|7f)' "$tmp/hex"; then
		fail "$2: control bytes: $(grep -Eo ' (0[0-8b-f]|1[0-9a-f]|7f)' "$tmp/hex" | sort | uniq -c | tr '\n' ' ')"
	fi
	if grep -Eq ' c2 [89][0-9a-f]' "$tmp/hex"; then
		fail "$2: C1 control characters"
	fi
	iconv -f UTF-8 -t UTF-8 "$tmp/clean" >/dev/null 2>&1 ||
		fail "$2: not valid UTF-8"
}

# Escapes everywhere a note can hold text: headings, body, inline code,
# code blocks, link text and URLs, autolinks, table cells, quotes, list
# items; 7-bit ESC and BEL, C1 CSI in UTF-8 and as a raw byte, backspace,
# DEL, OSC 8 hyperlinks and entity-encoded escapes.
mkdir "$tmp/notes"
printf '%s\n' \
	'# Title E[31mred E[0m' \
	'' \
	'Body E[2J clear E]0;owned^G title, backspace^H and del^? and cA[1m.' \
	'Raw C1 X[1m and E]8;;http://evil/^Ghyperlink E]8;;^G end.' \
	'' \
	'Inline `code E[5m blink` and **strong E[7m**.' \
	'' \
	'```sh' \
	'code block E[31m red E[?1049h alt screen' \
	'```' \
	'' \
	'    indented E[1m code' \
	'' \
	'[link E[4m text](http://example.com/E[31mpath) and <http://x/E[1m>.' \
	'' \
	'| cell E[7m | other |' \
	'|---|---|' \
	'| E[31m | &#27;[1m entity &#x9b; |' \
	'' \
	'> quote E[1m' \
	'* item E[1m' \
	'' \
	'## Sub E]0;sub^G heading' \
	'' \
	'escapeword in a subsection.' |
	sed "s/E\\[/$esc[/g; s/E\\]/$esc]/g; s/\\^G/$(printf '\007')/g;
		s/\\^H/$(printf '\010')/g; s/\\^?/$(printf '\177')/g;
		s/A\\[/$(printf '\302\233')[/g; s/X\\[/$(printf '\233')[/g" \
		>"$tmp/notes/evil.md"
grep -q "$esc" "$tmp/notes/evil.md" || fail "test notes hold no ESC"
# A second document whose file name is itself hostile, so paths carry
# document names.
printf '# Other\n\nescapeword again.\n' >"$tmp/notes/bad${esc}[31mname$(printf '\007').md"

for args in "escapeword" "red" "-k escapeword" "-l" "-n 2 escapeword" \
	"--width 30 escapeword" "hyperlink" "-e red|code|cell|Raw|link" \
	"-C 3 -e escapeword" "-o -e r.d" "--json red" "--json -e red"; do
	# shellcheck disable=SC2086 # split on purpose
	run "$AWSNOTE" -f "$tmp/notes" --color=never $args
	[ "$status" = 0 ] || fail "$args: exit $status: $(head -c 200 "$tmp/err")"
	clean "$tmp/out" "--color=never $args"
	clean "$tmp/err" "stderr of $args"
	# shellcheck disable=SC2086
	run "$AWSNOTE" -f "$tmp/notes" $args
	clean "$tmp/out" "pipe $args"
	# shellcheck disable=SC2086
	run "$AWSNOTE" -f "$tmp/notes" --color=always --width 60 $args
	clean "$tmp/out" "--color=always $args" sgr
	case $args in
	-l | --json*) ;;
	*) grep -q "$esc\\[" "$tmp/out" ||
		fail "--color=always $args: no colour at all" ;;
	esac
done
expect_status 0 "$AWSNOTE" -f "$tmp/notes" --color=never red
expect_grep "code block" "$tmp/out" "the code block is shown"
expect_grep "cell" "$tmp/out" "the table is shown"
if grep -q "$esc" "$tmp/out"; then fail "ESC with --color=never"; fi

# The compiled blob, and names in messages: a hostile file name or query
# is shown safely on stderr too.
expect_status 0 "$AWSNOTE_INDEX" -q -o "$tmp/evil${esc}[2J.blob" "$tmp/notes"
run "$AWSNOTE" -f "$tmp/evil${esc}[2J.blob" --verify
clean "$tmp/out" "--verify of a hostile file name"
clean "$tmp/err" "stderr of --verify"
run "$AWSNOTE" -f "$tmp/missing${esc}[2J.md" anything
[ "$status" = 2 ] || fail "missing hostile file: exit $status"
clean "$tmp/err" "error naming a hostile file"
# Every word of the query must be missing from the notes ("2J" is in them).
run "$AWSNOTE" -f "$tmp/notes" "nosuchword${esc}[qqzzv$(printf '\007')"
[ "$status" = 1 ] || fail "hostile query: exit $status"
clean "$tmp/err" "error quoting a hostile query"
run "$AWSNOTE" -f "$tmp/notes" -e red "nosuchword${esc}[qqzzv$(printf '\007')"
[ "$status" = 1 ] || fail "hostile query with -e: exit $status"
clean "$tmp/err" "error quoting a hostile query with -e"
run "$AWSNOTE_INDEX" -o "$tmp/x.blob" "$tmp/nope${esc}]0;t$(printf '\007').md"
[ "$status" = 2 ] || fail "awsnote-index, hostile missing input: exit $status"
clean "$tmp/err" "awsnote-index error naming a hostile file"
# ... nor the name of the blob in the message of success.
run "$AWSNOTE_INDEX" -o "$tmp/out${esc}[31mred$(printf '\007').blob" "$tmp/notes"
[ "$status" = 0 ] || fail "awsnote-index, hostile output name: exit $status"
expect_grep "^awsnote-index: wrote .*out.*red.*blob" "$tmp/out" "the blob written is named"
clean "$tmp/out" "awsnote-index naming a hostile blob"

# ---- the pager ----------------------------------------------------------
# On a terminal awsnote pipes the text to $PAGER, split at blanks and run
# without a shell: note text containing shell syntax stays text.
if ! command -v script >/dev/null 2>&1; then
	echo "no script(1): pager checks skipped"
	finish
fi
cat >"$tmp/pager.sh" <<EOF
#!/bin/sh
for a in "\$@"; do printf '%s\n' "\$a"; done >"$tmp/pager.argv"
cat >"$tmp/pager.in"
EOF
chmod +x "$tmp/pager.sh"
printf '%s\n' '# Shell $(touch PWN1) `touch PWN2`' '' \
	'Text; touch PWN3 && touch PWN4 | tee PWN5 $(touch PWN6) pagerword' \
	'' '```' '$(touch PWN7)' '```' |
	sed "s|PWN|$tmp/pwned|g" >"$tmp/notes/shell.md"
cat "$tmp/notes/evil.md" >>"$tmp/notes/shell.md"

# tty CMD...: run CMD with stdout on a pseudo-terminal (stdin is not).
tty() {
	printf '%s ' "$@" >"$tmp/cmd"
	script -qec "sh $tmp/cmd" /dev/null </dev/null >"$tmp/typescript" 2>&1
	status=$?
}
PAGER="$tmp/pager.sh --first 'two words'" tty "$AWSNOTE" -f "$tmp/notes" pagerword
[ "$status" = 0 ] || fail "paged lookup: exit $status: $(head -c 300 "$tmp/typescript")"
if [ -f "$tmp/pager.argv" ]; then
	printf '%s\n' --first "'two" "words'" >"$tmp/want.argv"
	diff -u "$tmp/want.argv" "$tmp/pager.argv" >"$tmp/diff" ||
		fail "pager argv: $(cat "$tmp/diff")"
	expect_grep 'touch .*pwned3 && touch' "$tmp/pager.in" "note text reaches the pager"
	clean "$tmp/pager.in" "text sent to the pager" sgr
	grep -q "$esc\\[" "$tmp/pager.in" || fail "no colour on a terminal"
else
	fail "the pager did not run: $(head -c 300 "$tmp/typescript")"
fi
ls "$tmp" | grep -q pwned && fail "note text was run by a shell: $(ls "$tmp" | grep pwned)"

# Shell syntax in $PAGER itself is not interpreted either: there is no
# program called "pager.sh;touch", so the text is printed directly.
rm -f "$tmp/pager.argv"
PAGER="$tmp/pager.sh;touch $tmp/pwned-pager" tty "$AWSNOTE" -f "$tmp/notes" pagerword
[ "$status" = 0 ] || fail "lookup with a bad PAGER: exit $status"
[ -e "$tmp/pwned-pager" ] && fail "PAGER was run by a shell"
[ -e "$tmp/pager.argv" ] && fail "PAGER with a ';' ran the script"
expect_grep "pagerword" "$tmp/typescript" "bad PAGER: text printed directly"
# ... and says so, once, naming the variable: a mistyped PAGER went
# unnoticed.
expect_grep "^awsnote: the pager '.*pager.sh;touch .*pwned-pager' \(PAGER\) cannot be run: No such file or directory; printing without it" \
	"$tmp/typescript" "bad PAGER: no warning"
LC_ALL=C tr -d '\r' <"$tmp/typescript" >"$tmp/screen"
clean "$tmp/screen" "terminal output without a pager" sgr

# The default pager is less with only -R, which the colours need, on its
# command line: LESS, FRX unless the user set it, decides the rest (-F,
# -X and any other), as the user's own options would be overridden by
# the command line's.
mkdir "$tmp/bin"
printf '%s\n' '#!/bin/sh' "echo \"\$*|\${LESS-unset}\" >'$tmp/less.args'" \
	'cat >/dev/null' >"$tmp/bin/less"
chmod +x "$tmp/bin/less"
for less in unset "-i" ""; do
	rm -f "$tmp/less.args"
	if [ "$less" = unset ]; then
		PATH="$tmp/bin:$PATH" tty env -u LESS "$AWSNOTE" -f "$tmp/notes" pagerword
		want="-R|FRX"
	else
		PATH="$tmp/bin:$PATH" LESS="$less" tty "$AWSNOTE" -f "$tmp/notes" pagerword
		want="-R|$less"
	fi
	[ "$status" = 0 ] || fail "default pager, LESS $less: exit $status"
	[ "$(cat "$tmp/less.args" 2>/dev/null)" = "$want" ] ||
		fail "default pager, LESS $less: less got '$(cat "$tmp/less.args" 2>/dev/null)', want '$want'"
done

# The text is UTF-8 whatever the locale: less under LANG=C showed "•" as
# "<E2><80><A2>" (and broke the lines it widened), so the pager is told
# LESSCHARSET=utf-8 unless the user set it or LESSCHARDEF.
printf '%s\n' '#!/bin/sh' \
	"echo \"\${LESSCHARSET-unset}|\${LESSCHARDEF-unset}\" >'$tmp/less.args'" \
	'cat >/dev/null' >"$tmp/bin/less"
for charset in unset latin1 def; do
	rm -f "$tmp/less.args"
	case $charset in
	unset)
		PATH="$tmp/bin:$PATH" LC_ALL=C tty env -u LESSCHARSET -u LESSCHARDEF \
			"$AWSNOTE" -f "$tmp/notes" pagerword
		want="utf-8|unset"
		;;
	latin1)
		PATH="$tmp/bin:$PATH" LC_ALL=C LESSCHARSET=latin1 tty env -u LESSCHARDEF \
			"$AWSNOTE" -f "$tmp/notes" pagerword
		want="latin1|unset"
		;;
	def)
		PATH="$tmp/bin:$PATH" LC_ALL=C LESSCHARDEF=8bcccbcc18b95.b tty \
			env -u LESSCHARSET "$AWSNOTE" -f "$tmp/notes" pagerword
		want="unset|8bcccbcc18b95.b"
		;;
	esac
	[ "$(cat "$tmp/less.args" 2>/dev/null)" = "$want" ] ||
		fail "default pager, charset $charset: less saw '$(cat "$tmp/less.args" 2>/dev/null)', want '$want'"
done
printf '%s\n' '#!/bin/sh' "echo \"\$*|\${LESS-unset}\" >'$tmp/less.args'" \
	'cat >/dev/null' >"$tmp/bin/less"

# A PAGER or AWSNOTE_PAGER that is less by name gets -R first too: with
# LESS=-i it showed the colours as "ESC[1m".  Not twice, nor to others.
for pager in less "$tmp/bin/less -S" "less -R" "$tmp/pager.sh"; do
	rm -f "$tmp/less.args" "$tmp/pager.argv"
	PATH="$tmp/bin:$PATH" LESS=-i AWSNOTE_PAGER=$pager tty "$AWSNOTE" -f "$tmp/notes" pagerword
	case $pager in
	less | "less -R") want="-R|-i" ;;
	*-S) want="-R -S|-i" ;;
	*) want= ;;
	esac
	if [ -n "$want" ]; then
		[ "$(cat "$tmp/less.args" 2>/dev/null)" = "$want" ] ||
			fail "pager '$pager': less got '$(cat "$tmp/less.args" 2>/dev/null)', want '$want'"
	else
		[ -s "$tmp/pager.argv" ] && fail "pager '$pager' got arguments: $(cat "$tmp/pager.argv")"
	fi
done

# A regex search asks for the pager at every line it prints: one pager
# starts, and it gets every match.
printf '%s\n' '#!/bin/sh' "echo started >>'$tmp/pagers'" \
	"cat >>'$tmp/paged'" >"$tmp/count-pager.sh"
chmod +x "$tmp/count-pager.sh"
printf '%s\n' '# Many' '' 'manyword one' '' 'manyword two' '' \
	'## More' '' 'manyword three' >"$tmp/notes/many.md"
PAGER="$tmp/count-pager.sh" tty "$AWSNOTE" -f "$tmp/notes" -e manyword
[ "$status" = 0 ] || fail "paged regex: exit $status: $(head -c 300 "$tmp/typescript")"
[ "$(wc -l <"$tmp/pagers" 2>/dev/null)" = 1 ] ||
	fail "regex search started $(wc -l <"$tmp/pagers" 2>/dev/null) pagers, not 1"
[ "$(grep -c manyword "$tmp/paged" 2>/dev/null)" = 3 ] ||
	fail "the pager got $(grep -c manyword "$tmp/paged" 2>/dev/null) of 3 matches"
# A pager variable of blanks only names no command: it is passed over
# as an empty one is (it ran no pager at all, and hid PAGER).
rm -f "$tmp/pagers"
AWSNOTE_PAGER=' ' PAGER="$tmp/count-pager.sh" tty "$AWSNOTE" -f "$tmp/notes" pagerword
[ "$(wc -l <"$tmp/pagers" 2>/dev/null)" = 1 ] ||
	fail "AWSNOTE_PAGER=' ' kept PAGER from running: $(head -c 300 "$tmp/typescript")"
rm -f "$tmp/less.args"
PATH="$tmp/bin:$PATH" PAGER="	 " tty "$AWSNOTE" -f "$tmp/notes" pagerword
[ -s "$tmp/less.args" ] || fail "PAGER of blanks: the default pager did not run"

# Pagers that quit at once, on output longer than a screen (-l): as with
# man, no message about the pipe and status 0 for one that exits 0 (head
# shows its line) or that Ctrl-C ends; one that fails (exit 1, another
# signal) is said, status 2.
"$AWSNOTE" -l >"$tmp/list"
for pager in true "head -n 1" false "sh -c kill\${IFS}-9\${IFS}\$\$" \
	"sh -c kill\${IFS}-INT\${IFS}\$\$"; do
	PAGER=$pager tty "$AWSNOTE" -l
	LC_ALL=C tr -d '\r' <"$tmp/typescript" >"$tmp/screen"
	want=0
	case $pager in
	true | *-INT*) : >"$tmp/want" ;; # Ctrl-C quits more: not a failure
	head*) head -n 1 "$tmp/list" >"$tmp/want" ;;
	false)
		want=2
		echo "awsnote: the pager 'false' exited with status 1" >"$tmp/want" ;;
	*)
		want=2
		echo "awsnote: the pager '$pager' was killed by signal 9" >"$tmp/want" ;;
	esac
	[ "$status" = $want ] || fail "PAGER=$pager: exit $status, want $want"
	cmp -s "$tmp/screen" "$tmp/want" ||
		fail "PAGER=$pager: the screen: $(diff "$tmp/want" "$tmp/screen")"
done

# Ctrl-C or Ctrl-\ at the pager reaches awsnote too: it waits for the
# pager, which handles them (less goes on), and ends as usual.  It was
# killed, leaving the pager running under the shell's prompt.
printf '%s\n' '#!/bin/sh' 'trap "" INT QUIT' 'kill -INT $PPID' 'kill -QUIT $PPID' \
	'sleep 1' "cat >'$tmp/paged-int'" >"$tmp/int-pager.sh"
chmod +x "$tmp/int-pager.sh"
tty "$AWSNOTE" --no-pager -l
LC_ALL=C tr -d '\r' <"$tmp/typescript" >"$tmp/list-tty"
PAGER=$tmp/int-pager.sh tty "$AWSNOTE" -l
[ "$status" = 0 ] || fail "Ctrl-C at the pager: exit $status"
cmp -s "$tmp/paged-int" "$tmp/list-tty" ||
	fail "Ctrl-C at the pager: it got $(wc -l <"$tmp/paged-int") of $(wc -l <"$tmp/list-tty") lines"
finish
