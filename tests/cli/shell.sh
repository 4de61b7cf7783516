#!/bin/sh
# The interactive shell driven through a real terminal: tmux runs
# `awsnote -i` in a detached pane of a fixed size, the test types into it
# and reads the screen back.  Every wait polls the screen with a time
# limit, so a slow machine (or valgrind) only makes it slower.
. "$top_srcdir/tests/lib.sh"

command -v tmux >/dev/null 2>&1 || skip "tmux is not installed"

sock=$tmp/tmux.sock
trap 'tmux -S "$sock" kill-server >/dev/null 2>&1; rm -rf "$tmp"' EXIT
pane=awsnote
started= # a session has started once
args=-i # awsnote's arguments in the next start
cols=100 # the next start's pane width
WAIT=${AWSNOTE_TEST_WAIT:-30} # seconds before a wait gives up

tm() {
	tmux -S "$sock" "$@"
}

# start [VAR=VALUE...]: the shell in a new pane of $cols x 30, with a private
# home and state directory unless overridden, and no pager.
start() {
	{
		echo "#!/bin/sh"
		echo "cd '$tmp' || exit 1"
		echo "export HOME='$tmp/home' XDG_STATE_HOME='$tmp/state'"
		echo "export PAGER=cat LC_ALL=C.UTF-8 TERM=screen"
		for kv in "$@"; do echo "export '$kv'"; done
		echo "exec '$AWSNOTE' $args 2>>'$tmp/stderr'"
	} >"$tmp/run.sh"
	chmod +x "$tmp/run.sh"
	: >"$tmp/stderr"
	# One server for all sessions (exit-empty off): a new server starting
	# while the last one shuts down can fail.
	if ! tm -f /dev/null new-session -d -s "$pane" -x "$cols" -y 30 \
		"$tmp/run.sh" \; set-option -g exit-empty off >/dev/null \
		2>"$tmp/tmux.err"; then
		# Every wait would time out: stop now.  tmux that cannot
		# start at all (no pty, a broken /dev/null) is not awsnote's
		# failure.
		[ -n "$started" ] || skip "tmux cannot start: $(cat "$tmp/tmux.err")"
		fail "tmux could not start a session: $(cat "$tmp/tmux.err")"
		exit 1
	fi
	started=1
}

# screen: the pane's text, scrolled-off lines included.
screen() {
	tm capture-pane -p -S - -t "$pane" 2>/dev/null
}

# wait_for PATTERN MESSAGE: until the screen has a line matching PATTERN
# (grep -E); on time-out, fail with MESSAGE and show the screen.
wait_for() {
	i=0
	while [ "$i" -lt $((WAIT * 10)) ]; do
		if screen | grep -Eq -- "$1"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	fail "$2 (no /$1/ on screen:
$(screen | grep -v '^$' | tail -n 12))"
	return 1
}

# wait_stderr PATTERN MESSAGE: until the shell's stderr holds PATTERN
# (grep -E).  Not the prompt: after cmd cleared the screen, the prompt
# is there before the shell has read the line, let alone answered it.
wait_stderr() {
	i=0
	while [ "$i" -lt $((WAIT * 10)) ]; do
		grep -Eq -- "$1" "$tmp/stderr" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "$2 (no /$1/ in stderr: $(head -c 300 "$tmp/stderr"))"
	return 1
}

# prompt_last: the last non-blank line of the screen (tmux drops
# trailing blanks, so the empty prompt reads "awsnote>").
prompt_last() {
	screen | grep -v '^ *$' | tail -n 1
}

# wait_prompt TEXT MESSAGE: the last line is the prompt followed by TEXT.
wait_prompt() {
	want=$(printf 'awsnote> %s' "$1" | sed 's/ *$//')
	i=0
	while [ "$i" -lt $((WAIT * 10)) ]; do
		[ "$(prompt_last)" = "$want" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "$2 (last line: '$(prompt_last)', want '$want')"
	return 1
}

# cmd LINE: on a cleared screen and history, so what a wait finds can
# only come from LINE, type LINE and Enter.
cmd() {
	keys C-l
	i=0
	while [ "$(screen | grep -c -v '^ *$')" != 1 ] &&
		[ "$i" -lt $((WAIT * 10)) ]; do
		sleep 0.1
		i=$((i + 1))
		tm clear-history -t "$pane"
	done
	keys -- "$1" Enter # "--": a line may start with "-"
}

# wait_gone MESSAGE: until the pane's process has exited.
wait_gone() {
	i=0
	while [ "$i" -lt $((WAIT * 10)) ]; do
		tm has-session -t "$pane" 2>/dev/null || return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "$1"
	tm kill-session -t "$pane" >/dev/null 2>&1
	return 1
}

keys() {
	tm send-keys -t "$pane" "$@"
}

mkdir "$tmp/home"

# Without libedit the shell was not built: -i on a terminal says so.
if ! grep -q '^#define HAVE_LIBEDIT 1' "$top_builddir/config.h"; then
	start
	wait_gone "-i without libedit did not exit"
	expect_grep "^awsnote: built without the interactive shell" "$tmp/stderr" \
		"-i without libedit explains itself"
	finish
fi

# ---- a session ----
start
wait_for "^awsnote .*:help" "no greeting"
wait_prompt "" "no prompt"

# A lookup shows the section, with the next-best results to pick from.
cmd "sqs dead letter"
wait_for "^Messaging > Simple Queue Service SQS > Types$" "lookup result"
wait_for "^See also" "no 'See also' after a lookup"
wait_prompt "" "no prompt after a lookup"

# Tab completes a title word, spelt as the title spells it.
keys "dynam" Tab
wait_prompt "DynamoDB" "Tab did not complete 'dynam'"
keys Enter
wait_for "^DynamoDB$" "the completed lookup"
wait_prompt "" "no prompt after the completed lookup"
# ...an index term when no title word fits...
keys "visib" Tab
wait_prompt "visibility" "Tab did not complete the term 'visib'"
keys C-u
wait_prompt "" "C-u did not clear the line"
# ...after a phrase's quote or an exclusion's minus, which stay...
keys '"dea' Tab
wait_prompt '"dead' "Tab did not complete after a quote"
keys C-u 'sqs -dea' Tab
wait_prompt "sqs -dead" "Tab did not complete after a minus"
keys C-u
# ...and commands; a second Tab lists the choices.
keys ":fo" Tab
wait_prompt ":follow" "Tab did not complete ':fo'"
keys C-u ":li" Tab
wait_prompt ":li" "ambiguous ':li' changed"
keys Tab
wait_for "^:links +:list$" "a second Tab did not list the choices"
wait_prompt ":li" "the line was not kept after listing the choices"
keys C-u
# ...and the words of a command that takes them.
keys ":toc dynam" Tab
wait_prompt ":toc DynamoDB" "Tab did not complete a word after ':toc'"
keys C-u ":to -dynam" Tab
wait_prompt ":to -DynamoDB" "Tab did not complete after ':to' and a minus"
keys C-u ":follow dynam" Tab
wait_prompt ":follow dynam" "Tab completed a word where a number goes"
keys C-u

# Moving between sections.
cmd "s3 encryption"
wait_for "^S3 > Encryption$" "lookup of s3 encryption"
wait_prompt "" "prompt after s3 encryption"
cmd ":next"
wait_for "^S3 > Security$" ":next did not show the next section"
wait_prompt "" "prompt after :next"
cmd ":up"
wait_for "^S3$" ":up did not show the parent"
wait_prompt "" "prompt after :up"
cmd ":back"
wait_for "^S3 > Security$" ":back"
wait_prompt "" "prompt after :back"

# Links of the section on show, and following one.
cmd "table of contents"
wait_for "^Table of Contents$" "lookup of the table of contents"
wait_prompt "" "prompt after the table of contents"
cmd ":links"
wait_for "^ +7  S3  -> S3$" ":links did not list the links"
wait_prompt "" "prompt after :links"
cmd ":follow 7"
wait_for "^S3$" ":follow 7 did not show S3"
wait_prompt "" "prompt after :follow"

# A bare "quit" is looked up (nothing here), then the command named; the
# shell stays.
cmd "quit"
wait_stderr "^awsnote: :quit or Ctrl-D leaves the shell$" \
	"no hint after 'quit'"
wait_prompt "" "prompt after 'quit'"
: >"$tmp/stderr" # 'nothing found' and the hint were expected
# awsnote's options typed first are words here: looked up, and the
# shell's own way named.
cmd "-k kms"
wait_stderr "^awsnote: '-k' here excludes sections holding 'k' \(the shell has no options\); :list shows the last lookup's results$" \
	"no hint after '-k kms'"
wait_prompt "" "prompt after '-k kms'"
: >"$tmp/stderr"

# Ctrl-C abandons the line being typed, not the shell.
keys C-l "half typed"
wait_prompt "half typed" "typing did not show"
keys C-a C-c
wait_for "^awsnote> half typed\^C$" "Ctrl-C did not show ^C"
wait_prompt "" "Ctrl-C did not give a fresh prompt"
cmd "sqs  "
wait_for "^Messaging > Simple Queue Service SQS$" "the shell after Ctrl-C"
wait_prompt "" "prompt after the lookup after Ctrl-C"

# The history file: private, in the XDG state directory.
hist=$tmp/state/awsnote/history
[ -f "$hist" ] || fail "no history file at $hist"
[ "$(stat -c %a "$hist" 2>/dev/null)" = 600 ] ||
	fail "history file mode $(stat -c %a "$hist"), want 600"
[ "$(stat -c %a "$tmp/state/awsnote" 2>/dev/null)" = 700 ] ||
	fail "history directory mode $(stat -c %a "$tmp/state/awsnote"), want 700"
grep -q 'sqs\\040dead\\040letter' "$hist" || fail "lookup not in the history"
grep -q 'half' "$hist" && fail "an abandoned line went into the history"
# Kept without the blanks after it (Tab leaves one after a word).
grep -q '^sqs$' "$hist" || fail "'sqs  ' not kept as 'sqs' in the history"

# Ctrl-D on an empty line leaves.
keys C-d
wait_gone "Ctrl-D did not end the shell"
[ -s "$tmp/stderr" ] && fail "stderr: $(head -c 300 "$tmp/stderr")"

# ---- the next session recalls the last one's lines ----
start
wait_prompt "" "no prompt in the second session"
keys Up
wait_prompt "sqs" "Up did not recall the previous session's last line"
keys C-u ":quit" Enter
wait_gone ":quit did not end the shell"

# The history stays bounded, oldest lines dropped first.
{
	echo "_HiStOrY_V2_"
	i=0
	while [ $i -lt 1200 ]; do
		printf 'old\\040line\\040%d\n' "$i"
		i=$((i + 1))
	done
} >"$hist"
start
wait_prompt "" "no prompt with a long history"
cmd "sqs"
wait_for "^Messaging > Simple Queue Service SQS$" "lookup with a long history"
wait_prompt "" "prompt with a long history"
keys C-d
wait_gone "Ctrl-D (long history)"
n=$(grep -c . "$hist")
[ "$n" -le 1001 ] || fail "history holds $n lines, want at most 1000 + header"
grep -q 'old\\040line\\0401199$' "$hist" || fail "the newest old line was dropped"
grep -q 'old\\040line\\0400$' "$hist" && fail "the oldest line was kept"

# An empty history file is an empty history: no warning, and lines are
# saved in it.
: >"$hist"
start
wait_prompt "" "no prompt with an empty history file"
cmd "sqs"
wait_for "^Messaging > Simple Queue Service SQS$" "lookup, empty history file"
wait_prompt "" "prompt after a lookup with an empty history file"
keys C-d
wait_gone "Ctrl-D (empty history file)"
[ -s "$tmp/stderr" ] &&
	fail "empty history file: stderr: $(head -c 300 "$tmp/stderr")"
grep -q '^sqs$' "$hist" || fail "a line was not saved in an empty history file"

# Two shells at once keep each other's lines.
start "XDG_STATE_HOME=$tmp/state-two"
wait_prompt "" "no prompt in the first of two shells"
pane=awsnote2
start "XDG_STATE_HOME=$tmp/state-two"
wait_prompt "" "no prompt in the second of two shells"
pane=awsnote
cmd "sqs"
wait_prompt "" "prompt after sqs in the first of two shells"
pane=awsnote2
cmd "s3"
wait_prompt "" "prompt after s3 in the second of two shells"
keys C-d
wait_gone "Ctrl-D (second of two shells)"
pane=awsnote
cmd "kms"
wait_prompt "" "prompt after kms in the first of two shells"
keys C-d
wait_gone "Ctrl-D (first of two shells)"
for line in sqs s3 kms; do
	grep -q "^$line\$" "$tmp/state-two/awsnote/history" ||
		fail "two shells at once: '$line' is not in the history"
done

# A history directory locked by something else for long (flock(1) by
# hand, a stuck process) delays a line by a second at most, then the line
# is saved anyway.
if command -v flock >/dev/null 2>&1; then
	mkdir -p "$tmp/state-locked/awsnote"
	flock -o "$tmp/state-locked/awsnote" sleep 20 &
	holder=$!
	start "XDG_STATE_HOME=$tmp/state-locked"
	wait_prompt "" "no prompt with a locked history directory"
	t0=$(date +%s)
	cmd "sqs"
	wait_for "^Messaging > Simple Queue Service SQS$" "lookup with a locked history directory"
	wait_prompt "" "prompt with a locked history directory"
	[ $(($(date +%s) - t0)) -le 10 ] || fail "a locked history directory held the line"
	keys C-d
	wait_gone "Ctrl-D (locked history directory)"
	kill "$holder" 2>/dev/null
	grep -q '^sqs$' "$tmp/state-locked/awsnote/history" ||
		fail "a line was not saved past a held lock"
fi

# ~/.editrc is read: a binding of the user's own.
printf 'awsnote:bind ^T em-upper-case\n' >"$tmp/home/.editrc"
start
wait_prompt "" "no prompt with an .editrc"
keys "sqs"
wait_prompt "sqs" "typing with an .editrc"
keys C-a C-t
wait_prompt "SQS" "the ~/.editrc binding was not used"
keys C-u C-d
wait_gone "Ctrl-D (.editrc)"
rm "$tmp/home/.editrc"
# An EDITRC that is not a regular file is not read (libedit would read
# /dev/zero forever): a warning, and the shell goes on.
start EDITRC=/dev/zero
wait_prompt "" "no prompt with EDITRC=/dev/zero"
grep -q "^awsnote: /dev/zero: not a regular file; not read$" "$tmp/stderr" ||
	fail "no warning for EDITRC=/dev/zero: $(head -c 300 "$tmp/stderr")"
cmd "sqs"
wait_for "^Messaging > Simple Queue Service SQS$" "lookup with EDITRC=/dev/zero"
# Ctrl-D at the prompt: typed while the answer is still being paged, it
# is the pager's terminal's, and may never reach the line editor.
wait_prompt "" "prompt after a lookup with EDITRC=/dev/zero"
keys C-d
wait_gone "Ctrl-D (EDITRC=/dev/zero)"
# Nor one with a line longer than 1024 bytes: libedit's bind of a
# 2,048-byte string overruns its stack and ends the shell.
awk 'BEGIN { s = "bind -s a "; for (i = 0; i < 2100; i++) s = s "a"; print s }' \
	>"$tmp/long.editrc"
start "EDITRC=$tmp/long.editrc"
wait_prompt "" "no prompt with a long line in EDITRC"
grep -q "^awsnote: $tmp/long.editrc: line 1 is longer than 1024 bytes; not read$" \
	"$tmp/stderr" || fail "long EDITRC line: $(head -c 300 "$tmp/stderr")"
cmd "sqs"
wait_for "^Messaging > Simple Queue Service SQS$" "lookup with a long EDITRC line"
wait_prompt "" "prompt after a lookup with a long EDITRC line"
keys C-d
wait_gone "Ctrl-D (long EDITRC line)"

# No words at a terminal opens the shell too; words after -i are its
# first lookup.
args=
start
wait_for "^awsnote .*:help" "awsnote without words at a terminal"
wait_prompt "" "no prompt from awsnote without words"
keys C-d
wait_gone "Ctrl-D (no words)"
args="-i s3 encryption"
start
wait_for "^S3 > Encryption$" "awsnote -i WORDS did not look WORDS up"
wait_prompt "" "no prompt after awsnote -i WORDS"
keys C-d
wait_gone "Ctrl-D (-i WORDS)"
args=-i

# A state directory that cannot be made: one warning, and the shell
# works on.
: >"$tmp/not-a-dir"
start "XDG_STATE_HOME=$tmp/not-a-dir/state"
wait_prompt "" "no prompt with an unusable state directory"
cmd "sqs"
wait_for "^Messaging > Simple Queue Service SQS$" "lookup without history"
wait_prompt "" "prompt after a lookup without history"
cmd "s3"
wait_for "^S3$" "second lookup without history"
wait_prompt "" "prompt after the second lookup without history"
keys C-d
wait_gone "Ctrl-D (no history)"
[ "$(grep -c 'going on without it' "$tmp/stderr")" = 1 ] ||
	fail "want one warning about the history, got: $(cat "$tmp/stderr")"

# A home directory that does not exist (HOME=/nonexistent, as system
# accounts have) is not made for the history, nor is $XDG_STATE_HOME's
# parent: one warning, and the shell works on.
for where in "HOME=$tmp/gone/home XDG_STATE_HOME=" \
	"XDG_STATE_HOME=$tmp/gone/state"; do
	# shellcheck disable=SC2086 # two assignments, split on purpose
	start $where
	wait_prompt "" "no prompt ($where)"
	cmd "sqs"
	wait_for "^Messaging > Simple Queue Service SQS$" "lookup ($where)"
	wait_prompt "" "prompt after a lookup ($where)"
	keys C-d
	wait_gone "Ctrl-D ($where)"
	[ -e "$tmp/gone" ] && fail "$where: $(find "$tmp/gone" | head -n 3) made"
	[ "$(grep -c 'going on without it' "$tmp/stderr")" = 1 ] ||
		fail "$where: want one warning, got: $(cat "$tmp/stderr")"
done

# A history file with an escape libedit's reader does not know ("\\Ma":
# its H_LOAD read past its buffer and kept what it found there): one
# warning, the shell works, and the file is left as it was.
mkdir -p "$tmp/state-esc/awsnote"
printf '_HiStOrY_V2_\nsqs\n\\Ma\n' >"$tmp/state-esc/awsnote/history"
cp "$tmp/state-esc/awsnote/history" "$tmp/esc-history"
start "XDG_STATE_HOME=$tmp/state-esc"
wait_prompt "" "no prompt with a damaged history"
cmd "s3"
wait_for "^S3$" "lookup with a damaged history"
wait_prompt "" "prompt after a lookup with a damaged history"
keys C-d
wait_gone "Ctrl-D (damaged history)"
[ "$(grep -c 'cannot read history.*Invalid argument; going on without it' \
	"$tmp/stderr")" = 1 ] ||
	fail "damaged history: want one warning, got: $(cat "$tmp/stderr")"
cmp -s "$tmp/esc-history" "$tmp/state-esc/awsnote/history" ||
	fail "a damaged history file was replaced"

# A history file that cannot be read as one (here a directory): one
# warning, the shell works, and the file is left as it was.
mkdir -p "$tmp/state3/awsnote/history"
start "XDG_STATE_HOME=$tmp/state3"
wait_prompt "" "no prompt with an unreadable history"
cmd "sqs"
wait_for "^Messaging > Simple Queue Service SQS$" "lookup, unreadable history"
wait_prompt "" "prompt after a lookup with an unreadable history"
keys C-d
wait_gone "Ctrl-D (unreadable history)"
[ "$(grep -c 'going on without it' "$tmp/stderr")" = 1 ] ||
	fail "want one warning about the history, got: $(cat "$tmp/stderr")"
[ -d "$tmp/state3/awsnote/history" ] || fail "an unreadable history was replaced"

# -d keeps Tab to the title words of the documents it keeps: "Ke" is
# Kestrel alone, though Kettle is in the notes too.
mkdir -p "$tmp/two/keep" "$tmp/two/drop"
printf '# Kestrel\n\nA small falcon.\n' >"$tmp/two/keep/a.md"
printf '# Kettle\n\nA pot.\n' >"$tmp/two/drop/b.md"
args="-i -f $tmp/two -d keep"
start
wait_prompt "" "no prompt with -d"
keys "Ke" Tab
wait_prompt "Kestrel" "Tab with -d did not complete 'Ke' from the kept document"
keys Enter
wait_for "^keep/a > Kestrel$" "the lookup with -d"
wait_prompt "" "no prompt after the lookup with -d"
keys C-d
wait_gone "Ctrl-D (-d)"

# Whatever the locale, the shell reads UTF-8, as the notes are: in "C",
# non-ASCII typing, a Tab that offers it and history lines holding it
# all work.
mkdir -p "$tmp/utf8"
printf '# Zürich\n\nA city, one café.\n\n# Lookup\n\nText.\n\n# Über Datenbanken\n\nMehr.\n' \
	>"$tmp/utf8/z.md"
mkdir -p "$tmp/state-utf8/awsnote"
printf '_HiStOrY_V2_\nlookup\nZürich\n' >"$tmp/state-utf8/awsnote/history"
args="-i -f $tmp/utf8/z.md"
start LC_ALL=C XDG_STATE_HOME=$tmp/state-utf8
wait_prompt "" "no prompt in the C locale"
keys Up
wait_prompt "Zürich" "Up did not recall a non-ASCII line in the C locale"
keys Up
wait_prompt "lookup" "Up did not pass a non-ASCII line in the C locale"
keys C-u "café"
wait_prompt "café" "'café' typed in the C locale"
# A byte that begins no character is dropped alone, not with the next.
keys C-u
tm send-keys -t "$pane" -H c3 61 62 63 e2 82 64 ff 65 c3 a9
wait_prompt "abcdeé" "a bad byte took the character after it"
keys C-u "lookup Z" Tab
wait_prompt "lookup Zürich" "Tab to a non-ASCII word in the C locale"
# Case is ignored beyond ASCII, as a lookup ignores it.
keys C-u "lookup üb" Tab
wait_prompt "lookup Über" "Tab from 'üb' to 'Über'"
keys C-u
cmd "lookup"
wait_for "^Lookup$" "lookup in the C locale"
cmd "Zürich"
wait_for "^Zürich$" "non-ASCII lookup in the C locale"
cmd "city"
wait_for "^A city, one café.$" "third lookup in the C locale"
wait_prompt "" "prompt after the lookups in the C locale"
keys Up Up
wait_prompt "Zürich" "Up did not recall a typed non-ASCII line"
keys C-u C-d
wait_gone "Ctrl-D (C locale)"
args=-i

# Ctrl-C stops a long output and gives the prompt back, and a second one
# while it stops does not abandon the next line.  /. over 50,000
# sections takes seconds to print.
awk 'BEGIN { print "# Big\n"
	for (i = 0; i < 50000; i++)
		printf "## Topic %d\n\nLine one of topic %d.\n\n", i, i }' \
	>"$tmp/big.md"
"$AWSNOTE_INDEX" -o "$tmp/big.blob" "$tmp/big.md" >/dev/null ||
	fail "could not build the big blob"
args="-i -f $tmp/big.blob"
start
wait_prompt "" "no prompt with the big blob"
cmd "/."
wait_for "^Big > Topic [0-9]+$" "no output from /."
keys C-c
wait_prompt "" "Ctrl-C did not stop the output of /."
screen | grep -q "Line one of topic 49999\.$" &&
	fail "Ctrl-C did not stop /. (it printed to the end)"
# The terminal used to throw away what was not yet shown at the second
# ^C, now and then after the next prompt had been written: try a few.
for round in 1 2 3 4 5 6 7 8 9 10; do
	cmd "/."
	wait_for "^Big > Topic [0-9]+$" "no output from /. (round $round)"
	keys C-c C-c
	wait_prompt "" "no prompt after two Ctrl-C (round $round)" || break
done
cmd "Topic 5"
wait_for "^Big > Topic 5$" "the line after two Ctrl-C"
wait_prompt "" "no prompt after two Ctrl-C"
[ -s "$tmp/stderr" ] && fail "stderr after Ctrl-C: $(head -c 300 "$tmp/stderr")"
keys C-d
wait_gone "Ctrl-D (big blob)"
args=-i

# With more candidates than Tab gathers (500), it adds no letters: those
# left out (zab...) do not share what the first 500 (zaa0...) do.
awk 'BEGIN { for (i = 0; i < 500; i++) printf "# zaa%04d\n\nx\n\n", i
	for (i = 0; i < 100; i++) printf "# zab%04d\n\nx\n\n", i }' \
	>"$tmp/many.md"
args="-i -f $tmp/many.md"
start
wait_prompt "" "no prompt with 600 titles"
keys "za" Tab Tab
wait_for "^\(and 100 more: type more letters\)$" "Tab Tab did not list 'za'"
wait_prompt "za" "Tab extended 'za' with letters not all candidates have"
keys C-u C-d
wait_gone "Ctrl-D (600 titles)"
args=-i

# A heading of 5 KB: its title (1,024 bytes, the last "...") is shown
# whole in the path line and :list (with its summary), wrapped at the
# pane's 100 columns between words, the lines after the first indented
# under the path (2 columns, and 6 in :list), never broken by the
# terminal.
title=$(awk 'BEGIN { for (i = 1; i <= 170; i++) printf "t%04d ", i }')
title="${title% }..."
awk 'BEGIN { printf "# "
	for (i = 1; i <= 834; i++) printf "t%04d%s", i, i < 834 ? " " : "\n"
	printf "\nzebra zebra stripes.\n\n## Child\n\nA zebra foal.\n" }' \
	>"$tmp/long.md"
args="-i -f $tmp/long.md"
start
wait_prompt "" "no prompt with a 5 KB heading"
# joined INDENT FIRST: the screen's lines from the one that starts with
# FIRST (grep -E) on, while the next are indented INDENT spaces, as one.
joined() {
	screen | awk -v n="$1" -v first="$2" '
		BEGIN { for (i = 0; i < n; i++) pad = pad " " }
		on && substr($0, 1, n) == pad && substr($0, n + 1, 1) != " " {
			line = line " " substr($0, n + 1); next }
		on { exit }
		$0 ~ first { on = 1; line = $0 }
		END { print line }'
}
cmd "zebra stripes"
wait_for "^t0001 t0002 " "lookup of the 5 KB heading"
wait_prompt "" "prompt after the 5 KB heading"
[ "$(joined 2 '^t0001 ')" = "$title" ] ||
	fail "the path line of a long title: $(screen | head -n 14)"
cmd ":list"
wait_for "^\*  1  t0001 " ":list with a long title"
wait_prompt "" "prompt after :list with a long title"
# The summary follows a path that wraps as it follows one that fits
# (it was left out when the path did not fit on one line).
[ "$(joined 6 '^\\*  1  ')" = "*  1  $title - zebra zebra stripes." ] ||
	fail ":list with a long title: $(screen | head -n 14)"
[ "$(joined 6 '^   2  ')" = "   2  $title > Child - A zebra foal." ] ||
	fail ":list, a long title's child: $(screen | tail -n 14)"
keys C-d
wait_gone "Ctrl-D (5 KB heading)"
args=-i

# At 20 columns nothing is left for the terminal to break: the greeting,
# See also's header, its paths, "(:list shows all N)" and :links wrap
# between words (all but the paths were broken mid-word, the header's
# hint left out now).  capture-pane -J joins what the terminal wrapped.
cols=20
start
wait_prompt "" "no prompt at 20 columns"
tm capture-pane -p -J -S - -t "$pane" >"$tmp/joined"
cmd "kms"
wait_for "^See also" "no See also at 20 columns"
wait_prompt "" "no prompt after kms at 20 columns"
tm capture-pane -p -J -S - -t "$pane" >>"$tmp/joined"
# ... and :links (an address is left whole, for copying).
cmd "table of contents"
wait_for "^Table of Contents$" "table of contents at 20 columns"
wait_prompt "" "no prompt after table of contents at 20 columns"
cmd ":links"
wait_for "^  21  SAM  -> SAM$" ":links at 20 columns"
wait_prompt "" "no prompt after :links at 20 columns"
tm capture-pane -p -J -S - -t "$pane" | grep -v '<http' >>"$tmp/joined"
wide=$(while IFS= read -r line; do
	[ "$(printf '%s' "$line" | wc -L)" -gt 20 ] && printf '%s\n' "$line"
done <"$tmp/joined")
[ -z "$wide" ] || fail "lines the terminal broke at 20 columns: $wide"
grep -q '^      (:list shows$' "$tmp/joined" ||
	fail "(:list shows all N) not wrapped under the paths: $(tail -n 8 "$tmp/joined")"
keys C-d
wait_gone "Ctrl-D (20 columns)"
cols=100

# Tab completes the last word of a 4.8 KB title (tests/lib.sh), spelt
# as the title spells it: the words came from its first 4 KiB only, and
# then the index term ("quaggazone") was offered instead.
deep_title_blob "$tmp/deep.blob"
args="-i -f $tmp/deep.blob"
start
wait_prompt "" "no prompt with a 4.8 KB title"
keys "quag" Tab
wait_prompt "QuaggaZone" "Tab did not complete the end of a 4.8 KB title"
keys C-u
wait_prompt "" "C-u after the 4.8 KB title's word"
keys C-d
wait_gone "Ctrl-D (4.8 KB title)"

# Notes edited while the shell runs (tests/cli/shell-live.sh has the
# rest): Tab offers a heading just written, and the lookup shows it,
# saying that the results from before are gone.
mkdir "$tmp/live"
printf '# Kiwi\n\nkiwi fruit\n' >"$tmp/live/kiwi.md"
args="-i -f $tmp/live"
start
wait_prompt "" "no prompt over a notes folder"
cmd "kiwi"
wait_for "^kiwi fruit$" "no lookup in a notes folder"
wait_prompt "" "no prompt after kiwi"
printf '# Kiwi\n\nkiwi fruit\n\n## Quokka habits\n\nquokka text\n' \
	>"$tmp/live/kiwi.md"
keys "quok" Tab
wait_prompt "Quokka" "Tab did not offer a heading written while the shell ran"
keys Enter
wait_for "^quokka text$" "a heading written while the shell ran not found"
wait_prompt "" "no prompt after the notes changed"
expect_grep "^awsnote: the notes changed on disk and were read again" \
	"$tmp/stderr" "results dropped by an edit are said to be"
# Notes that no longer open are said at Enter, not by a Tab, whose
# message would land in the line being edited; the old notes answer.
mv "$tmp/live/kiwi.md" "$tmp/kiwi.txt"
keys "quok" Tab
wait_prompt "Quokka" "Tab over notes that no longer open"
grep -q "keeps the notes" "$tmp/stderr" && fail "a Tab said: $(cat "$tmp/stderr")"
keys Enter
wait_for "^quokka text$" "the notes as they were did not answer"
wait_prompt "" "no prompt after the notes stopped opening"
[ "$(grep -c "no Markdown files.*; the shell keeps the notes as they were$" \
	"$tmp/stderr")" = 1 ] || fail "notes that no longer open: $(cat "$tmp/stderr")"
keys C-d
wait_gone "Ctrl-D (notes edited)"

# After a word naming a document, Tab offers that document's words, as
# the lookup keeps to it (both titles begin "Alp").
mkdir -p "$tmp/two/p1" "$tmp/two/p2"
printf '# Alpha guide\n\nx\n' >"$tmp/two/p1/README.md"
printf '# Alps trip\n\ny delivery\n' >"$tmp/two/p2/README.md"
args="-i -f $tmp/two"
start
wait_prompt "" "no prompt over two READMEs"
keys "al" Tab
wait_prompt "Alp" "Tab over both documents"
keys C-u "p2/README al" Tab
wait_prompt "p2/README Alps" "Tab after p2/README offered other documents' words"
keys C-u "p1/README al" Tab
wait_prompt "p1/README Alpha" "Tab after p1/README offered other documents' words"
# Index terms (no title word fits) are every document's: offered for a
# word alone, not after a document's name.
keys C-u "deli" Tab
wait_prompt "delivery " "Tab did not offer an index term"
keys C-u "p1/README deli" Tab "X"
wait_prompt "p1/README deliX" "Tab after p1/README offered another document's term"
keys C-u C-d
wait_gone "Ctrl-D (two READMEs)"
args=-i

# :edit at a terminal: the editor gets the terminal as a program run
# from a shell does (canonical mode, echo), reads from it, and the
# shell's prompt comes back after it; Tab then offers the words of the
# titles as edited.
mkdir "$tmp/ed-notes"
printf '# Kappa\n\nkappa words\n' >"$tmp/ed-notes/k.md"
cat >"$tmp/ed" <<'EOS'
#!/bin/sh
stty -a >"$ED_DIR/stty" 2>&1
printf '%s\n' "$@" >"$ED_DIR/args"
printf 'editor> '
read -r answer
printf '%s\n' "$answer" >"$ED_DIR/answer"
for f; do :; done
printf '\n# Zebrafish\n\nstripes\n' >>"$f"
EOS
chmod +x "$tmp/ed"
args="-i -f $tmp/ed-notes"
start "EDITOR=$tmp/ed" "ED_DIR=$tmp"
wait_prompt "" "no prompt for :edit"
keys "kap" Tab
wait_prompt "Kappa" "Tab before :edit"
keys C-u
cmd "kappa"
wait_for "^kappa words" "kappa is not shown before :edit"
cmd ":edit"
wait_for "^editor>" ":edit did not run the editor at the terminal"
keys "typed" Enter
wait_prompt "" "no prompt after the editor"
expect_grep '^typed$' "$tmp/answer" "the editor did not read the terminal"
grep -q -- ' icanon' "$tmp/stty" && grep -q -- ' echo' "$tmp/stty" ||
	fail "the editor's terminal is not as a shell leaves it: $(cat "$tmp/stty")"
printf '+1\n%s/k.md\n' "$(cd "$tmp/ed-notes" && pwd -P)" | cmp -s - "$tmp/args" ||
	fail ":edit at a terminal ran the editor with $(cat "$tmp/args")"
cmd ":where"
wait_for "k\.md:1$" ":where after :edit"
keys "zebr" Tab
wait_prompt "Zebrafish" "Tab after :edit: the edited titles' words"
keys C-u
keys C-d
wait_gone "Ctrl-D after :edit"
args=-i

finish
