#!/bin/sh
# awsnote-index's command line and output as a stranger meets them: a
# bad -o found before the build, a full or read-only file system, a
# signal in the middle of a build, usage errors.  Always one line (and
# the synopsis for a usage error), exit 2, and nothing left behind: no
# partial blob, no temporary file beside -o or in $TMPDIR.
. "$top_srcdir/tests/lib.sh"

# nothing_left DIR...: each DIR holds nothing but what $tmp/keep lists.
: >"$tmp/keep"
nothing_left() {
	for d in "$@"; do
		ls -A "$d" | grep -vxFf "$tmp/keep" | sed "s|^|$d/|"
	done >"$tmp/left"
	[ -s "$tmp/left" ] && fail "left behind: $(cat "$tmp/left")"
}

# ---- an output that cannot be written, named before the build ---------
# The missing input would be the error if the notes were read first.
: >"$tmp/afile"
for o in nodir/x.blob nodir/ afile/x.blob .; do
	expect_status 2 "$AWSNOTE_INDEX" -o "$tmp/$o" "$tmp/nope.md"
	case $o in
	nodir*) why="No such file or directory" ;;
	afile*) why="Not a directory" ;;
	.) why="Is a directory" ;;
	esac
	expect_grep "^awsnote-index: $tmp/$o: $why$" "$tmp/err" "-o $o refused first"
	[ "$(wc -l <"$tmp/err")" = 1 ] || fail "-o $o: not one line: $(cat "$tmp/err")"
done
[ -e "$tmp/nodir" ] && fail "-o created a directory"
# An output that is an input (bad-input.sh has more).
cp "$SEED" "$tmp/in.md"
expect_status 2 "$AWSNOTE_INDEX" -o "$tmp/in.md" "$tmp/in.md"
cmp -s "$tmp/in.md" "$SEED" || fail "-o an input replaced it"
# A blob named like Markdown is refused before anything is written: the
# next build of its folder would read it as notes.
for o in notes/new.md new.markdown; do
	mkdir -p "$tmp/notes"
	cp "$SEED" "$tmp/notes/a.md"
	expect_status 2 "$AWSNOTE_INDEX" -o "$tmp/$o" "$tmp/notes"
	expect_grep "^awsnote-index: $tmp/$o: a Markdown name for the blob" \
		"$tmp/err" "-o $o refused"
	[ -e "$tmp/$o" ] && fail "-o $o was written"
	rm -rf "$tmp/notes"
done
# A terminal (-o /dev/stdout at a prompt) is refused, as gzip refuses
# one: a blob there is binary noise that can change the terminal's
# modes.  A pipe and /dev/null still take it (bad-input.sh).
if command -v script >/dev/null 2>&1; then
	printf '%s\n' "\"$AWSNOTE_INDEX\" -o /dev/stdout \"$SEED\"" 'echo "status $?"' \
		>"$tmp/to-tty.sh"
	script -qec "sh $tmp/to-tty.sh" /dev/null </dev/null >"$tmp/typescript" 2>&1
	LC_ALL=C tr -d '\r' <"$tmp/typescript" >"$tmp/screen"
	expect_grep "^awsnote-index: /dev/stdout: is a terminal \(the blob is binary: give -o a file\)$" \
		"$tmp/screen" "-o a terminal refused"
	expect_grep "^status 2$" "$tmp/screen" "-o a terminal: exit 2"
	[ "$(wc -l <"$tmp/screen")" = 2 ] || fail "-o a terminal: not one line: $(head -c 300 "$tmp/screen")"
	"$AWSNOTE_INDEX" -o /dev/stdout "$SEED" | cmp -s - "$BLOB" ||
		fail "-o /dev/stdout into a pipe is not the blob"
else
	echo "no script(1): -o a terminal not checked"
fi

# ---- usage --------------------------------------------------------------
# try_help_follows WHAT: $tmp/err is two lines, the second the pointer
# to --help (awsnote(1) and awsnote-index(1) promise it for every bad
# command line).
try_help_follows() {
	[ "$(wc -l <"$tmp/err")" = 2 ] || fail "$1: not two lines: $(cat "$tmp/err")"
	[ "$(sed -n 2p "$tmp/err")" = "Try 'awsnote-index --help' for more information." ] ||
		fail "$1: no pointer to --help: $(cat "$tmp/err")"
}
# Usage errors: the problem, the synopsis, where to look; not --help's
# whole text.
for args in "" "-o $tmp/x.blob" "$SEED"; do
	# shellcheck disable=SC2086
	expect_status 2 "$AWSNOTE_INDEX" $args
	[ "$(wc -l <"$tmp/err")" = 3 ] || fail "usage error for '$args': $(cat "$tmp/err")"
	expect_grep "^Usage: awsnote-index " "$tmp/err" "synopsis for '$args'"
	expect_grep "^Try 'awsnote-index --help'" "$tmp/err" "--help named for '$args'"
done
expect_grep "^awsnote-index: no output file" "$tmp/err" "no -o"
# An empty name (an unset variable) is named as such.
expect_status 2 "$AWSNOTE_INDEX" -o "" "$SEED"
expect_grep "^awsnote-index: an empty file name for -o$" "$tmp/err" "-o ''"
expect_status 2 "$AWSNOTE_INDEX" -o "$tmp/x.blob" "$SEED" ""
expect_grep "^awsnote-index: an empty file name among the PATHs$" "$tmp/err" "PATH ''"
# Options and paths in any order; "--" ends the options, so a note named
# "-x.md" is a path after it (or as ./-x.md), an option before.
cp "$SEED" "$tmp/-x.md"
(cd "$tmp" && "$AWSNOTE_INDEX" -q -o dash.blob -- -x.md) >"$tmp/out" 2>"$tmp/err" ||
	fail "-- -x.md: $(cat "$tmp/err")"
(cd "$tmp" && "$AWSNOTE_INDEX" -o dash2.blob ./-x.md -q) >"$tmp/out" 2>"$tmp/err" ||
	fail "./-x.md -q: $(cat "$tmp/err")"
[ -s "$tmp/out" ] && fail "-q after the paths was not an option"
cmp -s "$tmp/dash.blob" "$tmp/dash2.blob" || fail "-- -x.md and ./-x.md differ"
(cd "$tmp" && "$AWSNOTE_INDEX" -o dash3.blob -x.md) >"$tmp/out" 2>"$tmp/err"
[ $? = 2 ] || fail "-x.md before -- is not an option"
expect_grep "^awsnote-index: invalid option -- 'x'" "$tmp/err" "-x.md as options"
# Sizes and thread counts.
for m in 0 -1 1T 5MB 1.5M 0x10 ""; do
	expect_status 2 "$AWSNOTE_INDEX" -m "$m" -o "$tmp/x.blob" "$SEED"
	expect_grep "^awsnote-index: -m wants a size from 1K to 1024G, not '$m'$" \
		"$tmp/err" "-m '$m'"
	try_help_follows "-m '$m'"
done
for j in 0 3 1x ""; do
	expect_status 2 "$AWSNOTE_INDEX" -j "$j" -o "$tmp/x.blob" "$SEED"
	expect_grep "^awsnote-index: -j wants 1 or 2, not '$j'$" "$tmp/err" "-j '$j'"
	try_help_follows "-j '$j'"
done
# The message names the option as it was typed: short, long, joined to
# its value, or abbreviated (getopt takes a unique prefix).
for typed in "-m 0:-m" "-qm0:-m" "--memory 0:--memory" "--memory=0:--memory" \
	"--mem=0:--mem" "--thr 3:--thr" "-qj3:-j" "--threads=:--threads"; do
	# shellcheck disable=SC2086
	expect_status 2 "$AWSNOTE_INDEX" ${typed%%:*} -o "$tmp/x.blob" "$SEED"
	expect_grep "^awsnote-index: ${typed#*:} wants " "$tmp/err" "'${typed%%:*}' named"
done
# A bad option, as a bad value: the problem, then where to look.
for o in -x --bogus -o; do
	expect_status 2 "$AWSNOTE_INDEX" "$SEED" "$o"
	try_help_follows "$o"
done
[ -e "$tmp/x.blob" ] && fail "a blob written after a usage error"
rm -f "$tmp/afile" "$tmp/in.md" "$tmp/-x.md" "$tmp"/dash*.blob

# ---- TMPDIR that cannot be used ------------------------------------------
# Named, alone, only when a budget needs it (valgrind itself needs TMPDIR).
if [ -z "${AWSNOTE_UNDER_VALGRIND:-}" ]; then
	mkdir "$tmp/dest"
	for t in "$tmp/missing" "$SEED"; do
		TMPDIR=$t expect_status 2 "$AWSNOTE_INDEX" -m 1K -o "$tmp/dest/x.blob" "$SEED"
		expect_grep "^awsnote-index: temporary file in $t: (No such file or directory|Not a directory)$" \
			"$tmp/err" "TMPDIR=$t named alone"
	done
	TMPDIR=$tmp/missing expect_status 0 "$AWSNOTE_INDEX" -q -o "$tmp/dest/x.blob" "$SEED"
	rm -f "$tmp/dest/x.blob"
	nothing_left "$tmp/dest"
fi

# ---- file systems that are full or read-only ---------------------------
# A small tmpfs of our own, where mount is permitted (root, or a user
# namespace); skipped otherwise.
mkdir "$tmp/fs"
cat >"$tmp/fs.sh" <<'SH'
# Runs in its own mount namespace: $1 is the test's directory, $2 the seed.
t=$1 SEED=$2
mount -t tmpfs -o size=200k tmpfs "$t/fs" 2>/dev/null || exit 77
# The seed's blob (116 KiB) fits; a blob of twice the notes next to it
# does not: the old one must stay whole, and nothing else be there.
"$AWSNOTE_INDEX" -q -o "$t/fs/notes.blob" "$SEED" || exit 3
cp "$t/fs/notes.blob" "$t/old.blob"
"$AWSNOTE_INDEX" -q -o "$t/fs/notes.blob" "$SEED" "$t/twice.md" 2>"$t/full.err"
echo $? >"$t/full.status"
cmp -s "$t/fs/notes.blob" "$t/old.blob" || echo "the old blob changed" >>"$t/fs.fail"
ls -A "$t/fs" >"$t/full.ls"
# Temporary files on a file system filled up: named, removed (not under
# valgrind, which needs TMPDIR itself).
if [ -z "${AWSNOTE_UNDER_VALGRIND:-}" ]; then
	cat /dev/zero >"$t/fs/filler" 2>/dev/null
	TMPDIR=$t/fs "$AWSNOTE_INDEX" -q -m 1K -o "$t/full-tmp.blob" "$SEED" \
		2>"$t/tmpfull.err"
	echo $? >"$t/tmpfull.status"
	rm -f "$t/fs/filler"
	ls -A "$t/fs" >"$t/tmpfull.ls"
fi
# Read-only: said before the build.
mount -o remount,ro "$t/fs" || exit 3
"$AWSNOTE_INDEX" -q -o "$t/fs/new.blob" "$t/nope.md" 2>"$t/ro.err"
echo $? >"$t/ro.status"
exit 0
SH
cat "$SEED" "$SEED" >"$tmp/twice.md"
run unshare -rm sh "$tmp/fs.sh" "$tmp" "$SEED"
if [ "$status" = 0 ]; then
	[ -e "$tmp/fs.fail" ] && fail "full file system: $(cat "$tmp/fs.fail")"
	[ "$(cat "$tmp/full.status")" = 2 ] || fail "full file system: exit $(cat "$tmp/full.status")"
	expect_grep "^awsnote-index: $tmp/fs/notes.blob: No space left on device$" \
		"$tmp/full.err" "a full file system, named"
	[ "$(cat "$tmp/full.ls")" = notes.blob ] ||
		fail "full file system: left $(cat "$tmp/full.ls")"
	if [ -f "$tmp/tmpfull.status" ]; then
		[ "$(cat "$tmp/tmpfull.status")" = 2 ] ||
			fail "full TMPDIR: exit $(cat "$tmp/tmpfull.status")"
		expect_grep "^awsnote-index: temporary file in $tmp/fs: No space left on device$" \
			"$tmp/tmpfull.err" "a full TMPDIR, named"
		[ "$(cat "$tmp/tmpfull.ls")" = notes.blob ] ||
			fail "full TMPDIR: left $(cat "$tmp/tmpfull.ls")"
	fi
	[ "$(cat "$tmp/ro.status")" = 2 ] || fail "read-only: exit $(cat "$tmp/ro.status")"
	expect_grep "^awsnote-index: $tmp/fs/new.blob: Read-only file system$" \
		"$tmp/ro.err" "a read-only file system, named first"
else
	echo "SKIP: no tmpfs can be mounted here (exit $status: $(cat "$tmp/err"))"
fi
echo "old.blob" >>"$tmp/keep"
echo "twice.md" >>"$tmp/keep"

# ---- a signal in the middle of a build -----------------------------------
# Temporary files are unlinked when made and the blob has no name until
# it is whole: a build killed while it spills leaves nothing, in TMPDIR
# or beside -o.  The kill waits until the build holds a temporary file
# (from /proc), so it lands in the middle; if the build is done first,
# there must be nothing left all the same.  Not under valgrind (which
# keeps files of its own in TMPDIR).
if [ -z "${AWSNOTE_UNDER_VALGRIND:-}" ] && [ -d /proc/self/fd ]; then
	mkdir "$tmp/big" "$tmp/spill" "$tmp/out-dir"
	random_notes "$tmp/big" 200 60 300 50000 Part term
	# Background jobs of a script ignore SIGINT; env puts it back.
	if env --default-signal=INT true 2>/dev/null; then
		sigs="INT TERM"
	else
		sigs=TERM
	fi
	for sig in $sigs HUP; do
		if [ "$sig" = INT ]; then
			set -- env --default-signal=INT
		else
			set -- env
		fi
		TMPDIR=$tmp/spill "$@" "$AWSNOTE_INDEX" -q -m 1K \
			-o "$tmp/out-dir/big.blob" "$tmp/big" >/dev/null 2>"$tmp/err" &
		pid=$!
		i=0
		while [ $i -lt 300 ] && kill -0 "$pid" 2>/dev/null &&
			! ls -l "/proc/$pid/fd" 2>/dev/null | grep -q "$tmp/spill/.*(deleted)"; do
			sleep 0.05
			i=$((i + 1))
		done
		kill -"$sig" "$pid" 2>/dev/null
		wait "$pid"
		st=$?
		case $st in
		0 | 129 | 130 | 143) ;;
		*) fail "SIG$sig: exit $st: $(cat "$tmp/err")" ;;
		esac
		[ "$st" = 0 ] && rm -f "$tmp/out-dir/big.blob"
		nothing_left "$tmp/spill" "$tmp/out-dir"
	done
fi
ls -A "$tmp" | grep -q '\.tmp' && fail "a temporary file left: $(ls -A "$tmp")"
finish
