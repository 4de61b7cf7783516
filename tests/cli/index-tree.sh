#!/bin/sh
# Directory trees as a stranger's notes may be: links (looping, dangling,
# leading out, repeating a file), FIFOs and devices named *.md, a
# directory named *.md, odd bytes in names, deep and long paths, a
# directory inside itself.  awsnote-index and awsnote -f DIR must take
# the same files from a tree and fail on the same ones, with one line,
# exit 2, and nothing left behind.
. "$top_srcdir/tests/lib.sh"

# both WANT TREE: awsnote-index on TREE exits WANT, and so does awsnote -f
# TREE -l; with 0, the outline of the blob is the outline of the tree, in
# $tmp/outline; else the two errors are one line each and the same but
# for the program's name.
both() {
	want=$1
	rm -f "$tmp/both.blob"
	expect_status "$want" timeout 20 "$AWSNOTE_INDEX" -q -o "$tmp/both.blob" "$2"
	sed 's/^awsnote-index: //' "$tmp/err" >"$tmp/err.index"
	if [ "$want" = 0 ]; then
		run timeout 20 "$AWSNOTE" -f "$tmp/both.blob" -l
		mv "$tmp/out" "$tmp/outline"
	else
		[ -e "$tmp/both.blob" ] && fail "$2: a blob written after an error"
		[ "$(wc -l <"$tmp/err")" = 1 ] ||
			fail "$2: not one line: $(cat "$tmp/err")"
	fi
	expect_status "$want" timeout 20 "$AWSNOTE" -f "$2" -l
	sed 's/^awsnote: //' "$tmp/err" >"$tmp/err.direct"
	if [ "$want" = 0 ]; then
		cmp -s "$tmp/out" "$tmp/outline" ||
			fail "$2: awsnote -f DIR and the blob differ: $(diff "$tmp/outline" "$tmp/out")"
	else
		cmp -s "$tmp/err.index" "$tmp/err.direct" ||
			fail "$2: the errors differ: $(cat "$tmp/err.index" "$tmp/err.direct")"
	fi
	ls -a "$tmp" | grep -q '\.tmp' && fail "$2: a temporary file left: $(ls -a "$tmp")"
}

# ---- links, special files, odd names -----------------------------------
# Links inside a tree are not followed (grep -r's rule): no loop, no file
# twice, nothing from outside; FIFOs and devices are passed over (without
# opening them: a FIFO would wait for a writer); a directory named x.md
# is a directory.
mkdir -p "$tmp/t/sub" "$tmp/t/dir.md"
printf '# Alpha\n\nalpha\n' >"$tmp/t/a.md"
printf '# Inner\n\ninner\n' >"$tmp/t/dir.md/inner.md"
printf '# Outside\n\noutside\n' >"$tmp/outside.md"
ln -s .. "$tmp/t/sub/up"
ln -s nowhere.md "$tmp/t/dangling.md"
ln -s ../outside.md "$tmp/t/out.md"
ln -s a.md "$tmp/t/again1.md"
ln -s a.md "$tmp/t/again2.md"
mkfifo "$tmp/t/fifo.md"
# A device (needs root; mknod fails otherwise, and the tree goes without).
mknod "$tmp/t/null.md" c 1 3 2>/dev/null || :
# A newline, a tab, an escape and invalid UTF-8 in names: each shows as
# U+FFFD in paths, as in messages.
printf '# Nl\n\nnl\n' >"$tmp/t/new
line.md"
printf '# Tab\n\ntab\n' >"$tmp/t/ta	b.md"
printf '# Esc\n\nesc\n' >"$tmp/t/$(printf 'e\033[1mx').md"
printf '# Bad\n\nbad\n' >"$tmp/t/$(printf 'b\377\376').md"
both 0 "$tmp/t"
r=$(printf '\357\277\275')
printf '%s\n' "a > Alpha" "b$r$r > Bad" "dir.md/inner > Inner" "e$r[1mx > Esc" \
	"new${r}line > Nl" "ta${r}b > Tab" >"$tmp/want"
cmp -s "$tmp/want" "$tmp/outline" ||
	fail "the documents of a tree with links and odd names: $(diff "$tmp/want" "$tmp/outline")"
# A message about such a file is one line too.
head -c 100 /dev/urandom | tr -d '\000' >"$tmp/bin
ary.md"
printf '\0' >>"$tmp/bin
ary.md"
expect_status 2 "$AWSNOTE_INDEX" -o "$tmp/x.blob" "$tmp/bin
ary.md"
expect_grep "bin${r}ary.md: binary file" "$tmp/err" "a newline in a name shown as U+FFFD"
[ "$(wc -l <"$tmp/err")" = 1 ] || fail "a newline in a name broke the message: $(cat "$tmp/err")"

# A tree of links only: said, not just "no Markdown files".
mkdir "$tmp/stow"
ln -s ../outside.md "$tmp/stow/outside.md"
both 2 "$tmp/stow"
expect_grep "stow: no Markdown files .*symbolic links in it are not followed$" \
	"$tmp/err.index" "a tree of links says links are not followed"
mkdir "$tmp/empty"
both 2 "$tmp/empty"
expect_grep "empty: no Markdown files \(\*\.md, \*\.markdown\) in this directory$" \
	"$tmp/err.index" "an empty directory"

# ---- the same notes twice ----------------------------------------------
expect_status 0 "$AWSNOTE_INDEX" -q -o "$tmp/once.blob" "$tmp/t"
ln -s t "$tmp/t-link"
expect_status 0 "$AWSNOTE_INDEX" -q -o "$tmp/twice.blob" "$tmp/t" "$tmp/t/" \
	"$tmp/./t" "$tmp/t-link"
cmp -s "$tmp/once.blob" "$tmp/twice.blob" || fail "a tree given twice gave another blob"

# ---- depth ----------------------------------------------------------------
# 64 directories below the root are walked; more is one line naming the
# limit (500 as well), from both programs.
mkdir "$tmp/deep"
(
	cd "$tmp/deep" || exit 1
	for i in $(seq 64); do mkdir d && cd d || exit 1; done
	printf '# Bottom\n\nbottom\n' >x.md
)
both 0 "$tmp/deep"
[ "$(cat "$tmp/outline")" = "Bottom" ] || fail "64 directories deep: $(cat "$tmp/outline")"
mkdir "$tmp/deep$(printf '/d%.0s' $(seq 64))/e"
both 2 "$tmp/deep"
expect_grep "deep(/d)+/e: more than 64 directories deep$" "$tmp/err.index" "65 deep"
mkdir "$tmp/deeper"
(
	cd "$tmp/deeper" || exit 1
	for i in $(seq 500); do mkdir d && cd d || exit 1; done
	printf '# Bottom\n\nbottom\n' >x.md
)
both 2 "$tmp/deeper"
expect_grep "more than 64 directories deep$" "$tmp/err.index" "500 deep"

# A path longer than PATH_MAX (4096) within the limit: walked through
# each directory, as find does, not opened by its whole path.
# (Made in two halves of 15 names of 200 bytes: a shell's cd and a
# file's path must each stay short of PATH_MAX.)
half=$(printf "$(printf '%0200d' 0)/%.0s" $(seq 15))
mkdir -p "$tmp/long/$half"
(
	cd "$tmp/long/$half" && mkdir -p "$half" &&
		printf '# Far\n\nfar\n' >"${half}x.md"
) || fail "cannot make a path past PATH_MAX"
[ ${#half} = 3015 ] || fail "the long path is ${#half} bytes a half"
both 0 "$tmp/long"
[ "$(cat "$tmp/outline")" = "Far" ] || fail "a path past PATH_MAX: $(cat "$tmp/outline")"
# --where -e reads the file again: by the same walk, not its whole path.
expect_status 0 timeout 20 "$AWSNOTE" -f "$tmp/long" --where -e '^far$'
case $(cat "$tmp/out") in
*"/$half${half}x.md:3:far") ;;
*) fail "--where -e past PATH_MAX: $(cut -c1-200 "$tmp/err")" ;;
esac

# ---- a directory inside itself -----------------------------------------
# Links cannot make one here, but a bind mount can: an error naming both
# places, as find does, rather than its files once for every level.  Only
# where a mount namespace can be had (root, or user namespaces).
mkdir -p "$tmp/bind/sub/mnt"
printf '# Bound\n\nbound\n' >"$tmp/bind/b.md"
cat >"$tmp/bind.sh" <<'SH'
mount --bind "$1/bind" "$1/bind/sub/mnt" 2>/dev/null || exit 77
"$AWSNOTE_INDEX" -q -o "$1/bind.blob" "$1/bind" 2>"$1/bind.err"
echo $? >"$1/index.status"
"$AWSNOTE" -f "$1/bind" -l 2>"$1/bind.err.direct"
echo $? >"$1/direct.status"
SH
run unshare -rm sh "$tmp/bind.sh" "$tmp"
if [ -f "$tmp/direct.status" ]; then
	[ "$(cat "$tmp/index.status") $(cat "$tmp/direct.status")" = "2 2" ] ||
		fail "a directory inside itself: exit $(cat "$tmp/index.status" "$tmp/direct.status")"
	expect_grep "^awsnote-index: .*/bind/sub/mnt: a directory loop: the same directory as .*/bind$" \
		"$tmp/bind.err" "a bind-mount loop is named"
	expect_grep "^awsnote: .*/bind/sub/mnt: a directory loop" "$tmp/bind.err.direct" \
		"awsnote -f names a bind-mount loop"
	[ -e "$tmp/bind.blob" ] && fail "a blob written for a directory loop"
else
	echo "SKIP: no mount namespace here: the bind-mount loop is not tried"
fi
finish
