# tests/lib.sh - shared setup for the CLI tests, sourced by each one.
#
# Gives a private temporary directory ($tmp, removed on exit), a clean
# environment, and helpers that record failures and keep going, so one
# run shows every problem.  Exit status: 0 pass, 1 fail, 77 skip.
set -u
: "${top_srcdir:?run through make check}" "${AWSNOTE:?}" "${AWSNOTE_INDEX:?}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/awsnote-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
unset AWSNOTE_FILE AWSNOTE_PATH AWSNOTE_PAGER PAGER NO_COLOR MANWIDTH COLUMNS
# No test keeps compiled notes unless it says where (tests/cli/cache.sh).
AWSNOTE_CACHE_DIR=
export AWSNOTE_CACHE_DIR
export LC_ALL=C.UTF-8 TERM=xterm

BLOB=$top_builddir/share/awsnote.blob
SEED=$top_srcdir/share/aws-developer-associate.md
CORPORA=$top_srcdir/../shared/corpora
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

skip() {
	echo "SKIP: $*"
	exit 77
}

# run CMD...: run it, keeping stdout in $tmp/out, stderr in $tmp/err and
# the exit status in $status.
run() {
	"$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
}

# strace_whole OUT STRACE_ARGS... COMMAND...: strace -f into OUT, each
# thread's calls whole.  Into one file, a call that another thread's
# interrupts is cut in two ("<unfinished ...>", "<... resumed>"), and a
# grep for a call with its result misses it: strace -ff -o OUT writes a
# file a thread, and strace_join makes OUT of them, one after another.
# Its status is strace's.
strace_whole() {
	sw_out=$1
	shift
	rm -f "$sw_out".*
	strace -ff -o "$sw_out" "$@"
	sw_status=$?
	strace_join "$sw_out"
	return $sw_status
}

strace_join() {
	cat "$1".* >"$1" 2>/dev/null
	rm -f "$1".*
}

# expect_status WANT CMD...
expect_status() {
	want=$1
	shift
	run "$@"
	[ "$status" = "$want" ] ||
		fail "exit status $status, want $want: $* (stderr: $(head -c 300 "$tmp/err"))"
}

# expect_first_line WANT CMD...
expect_first_line() {
	want=$1
	shift
	run "$@"
	got=$(head -n 1 "$tmp/out")
	[ "$got" = "$want" ] || fail "first line '$got', want '$want': $*"
}

# expect_grep PATTERN FILE MESSAGE: FILE must contain PATTERN (grep -E).
expect_grep() {
	grep -Eq -- "$1" "$2" || fail "$3 (no /$1/ in $(basename "$2"): $(head -c 300 "$2"))"
}

# expect_golden NAME CMD...: stdout must equal tests/golden/NAME.
expect_golden() {
	name=$1
	shift
	run "$@"
	if [ "${AWSNOTE_REGOLD:-0}" = 1 ]; then
		cp "$tmp/out" "$top_srcdir/tests/golden/$name"
	fi
	diff -u "$top_srcdir/tests/golden/$name" "$tmp/out" >"$tmp/diff" ||
		fail "output differs from golden $name:
$(head -n 40 "$tmp/diff")"
}

# random_notes DIR FILES SECTIONS WORDS VOCAB HEADING WORD: FILES notes
# nNNN.md in DIR (which must exist), each of SECTIONS "## HEADING f-s"
# sections of WORDS words "WORDk", k drawn from VOCAB by a fixed seed.
random_notes() {
	awk -v dir="$1" -v files="$2" -v sections="$3" -v words="$4" \
		-v vocab="$5" -v heading="$6" -v word="$7" 'BEGIN {
		srand(3);
		for (f = 0; f < files; f++) {
			file = sprintf("%s/n%03d.md", dir, f);
			for (s = 0; s < sections; s++) {
				printf "## %s %d-%d\n\n", heading, f, s > file;
				for (w = 0; w < words; w++)
					printf "%s%d ", word, int(rand() * vocab) > file;
				printf "\n\n" > file;
			}
			close(file);
		}
	}'
}

# deep_title_blob BLOB: notes whose one document lies 24 directories
# deep, each name 200 bytes with a space, built into BLOB: the title of
# its preamble, the document's name, is 4.8 KB and ends in the words
# "zebratail QuaggaZone".  (cd -P: dash cannot cd past PATH_MAX by a
# logical path.)
deep_title_blob() {
	mkdir "$tmp/deep-tree" || fail "mkdir $tmp/deep-tree"
	(
		cd "$tmp/deep-tree" || exit 1
		for i in $(seq 1 24); do
			d=$(printf 'dir%02d %0190d' "$i" 0)
			mkdir "$d" && cd -P "$d" || exit 1
		done
		printf 'Preamble words.\n\n# Heading\n\nbody\n' \
			>"zebratail QuaggaZone.md"
	) || fail "cannot make a deep tree"
	"$AWSNOTE_INDEX" -o "$1" "$tmp/deep-tree" >/dev/null 2>&1 ||
		fail "awsnote-index of the deep tree"
}

finish() {
	if [ "$failures" -gt 0 ]; then
		echo "$failures check(s) failed"
		exit 1
	fi
	exit 0
}
