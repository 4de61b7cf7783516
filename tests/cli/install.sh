#!/bin/sh
# make install then make uninstall, into a DESTDIR: every file installed is
# removed again, and so are the directories that belong to awsnote alone
# ($(pkgdatadir), $(pkglibexecdir)); the completion scripts of both
# programs go where the shells look; the installed awsnote(1) and
# awsnote-index(1) name the places this build installs to.  Skips outside
# a configured build tree.
. "$top_srcdir/tests/lib.sh"

[ -f "$top_builddir/Makefile" ] || skip "no Makefile in $top_builddir"
make=${MAKE:-make}
command -v "$make" >/dev/null 2>&1 || skip "no $make"
dest=$tmp/dest
# The directories' names, as this build installs them.
vars=$("$make" -s -C "$top_builddir" --no-print-directory \
	-f Makefile -f - print-install-dirs <<'MK'
print-install-dirs:
	@echo "prefix='$(prefix)' pkgdatadir='$(pkgdatadir)' pkglibexecdir='$(pkglibexecdir)' man1dir='$(man1dir)'"
	@echo "bashdir='$(bashcompletiondir)' zshdir='$(zshcompletiondir)' fishdir='$(fishcompletiondir)'"
MK
) || skip "cannot read the install directories"
eval "$vars"
# The completion directories moved (as configure's --with-*-completion-dir
# would) where they are installed at all, so that the pages must be
# rewritten to name them.
set --
for shell in bash zsh fish; do
	eval "d=\$${shell}dir"
	[ "$d" = no ] && continue
	eval "${shell}dir=/opt/awsnote-test/$shell"
	set -- "$@" "${shell}completiondir=/opt/awsnote-test/$shell"
done

run "$make" -C "$top_builddir" install DESTDIR="$dest" "$@"
[ "$status" = 0 ] || fail "make install: exit $status: $(tail -n 5 "$tmp/err")"
for f in "$dest$prefix/bin/awsnote" "$dest$prefix/bin/awsnote-index" \
	"$dest$pkgdatadir/awsnote.blob" "$dest$pkglibexecdir/awsnote-shell" \
	"$dest$man1dir/awsnote.1"; do
	[ -e "$f" ] || fail "make install did not install $f"
done
[ -f "$dest$man1dir/awsnote.1" ] &&
	expect_grep "^\.I \\\\%$pkgdatadir/awsnote.blob" "$dest$man1dir/awsnote.1" \
		"installed awsnote(1) names the installed blob"
# The installed blob sends --where to the notes installed beside it, not
# to this build tree's (which may be gone); the lookup is the same.
got=$(AWSNOTE_FILE="$dest$pkgdatadir/awsnote.blob" \
	"$top_builddir/cli/awsnote" --where s3 encryption 2>&1)
[ "$got" = "$pkgdatadir/aws-developer-associate.md:255" ] ||
	fail "installed blob's --where: $got"
[ -f "$dest$pkgdatadir/aws-developer-associate.md" ] ||
	fail "make install did not install the notes beside the blob"
# Installed after the notes: a blob older than its notes has --where say
# their lines may have moved.
[ -z "$(find "$dest$pkgdatadir" -name '*.md' -newer "$dest$pkgdatadir/awsnote.blob")" ] ||
	fail "the notes were installed after their blob"
# The places the program looks in are this configuration's (a header
# rewritten when they change, so a tree configured again is rebuilt).
expect_grep "^#define PKGDATADIR \"$pkgdatadir\"$" "$top_builddir/installdirs.h" \
	"installdirs.h names pkgdatadir"
expect_grep "^#define PKGLIBEXECDIR \"$pkglibexecdir\"$" "$top_builddir/installdirs.h" \
	"installdirs.h names pkglibexecdir"
AWSNOTE_FILE="$dest$pkgdatadir/awsnote.blob" "$top_builddir/cli/awsnote" \
	s3 encryption >"$tmp/installed.txt" 2>&1 ||
	fail "lookup in the installed blob failed: $(cat "$tmp/installed.txt")"
"$top_builddir/cli/awsnote" -f "$top_builddir/share/awsnote.blob" \
	s3 encryption >"$tmp/tree.txt" 2>&1
cmp -s "$tmp/installed.txt" "$tmp/tree.txt" ||
	fail "the installed blob answers otherwise than the build tree's"
# Completion for both programs, each where its shell's others are (a
# directory configured as "no" installs none).
for cmd in awsnote awsnote-index; do
	[ "$bashdir" = no ] || [ -f "$dest$bashdir/$cmd" ] ||
		fail "no bash completion for $cmd in $bashdir"
	[ "$zshdir" = no ] || [ -f "$dest$zshdir/_$cmd" ] ||
		fail "no zsh completion for $cmd in $zshdir"
	[ "$fishdir" = no ] || [ -f "$dest$fishdir/$cmd.fish" ] ||
		fail "no fish completion for $cmd in $fishdir"
done
for page in awsnote awsnote-index; do
	[ "$bashdir" = no ] || [ ! -f "$dest$man1dir/$page.1" ] ||
		grep -qxF ".I \\%$bashdir/$(echo "$page" | sed 's/-/\\-/')" "$dest$man1dir/$page.1" ||
		fail "installed $page(1) does not name $bashdir"
done

run "$make" -C "$top_builddir" uninstall DESTDIR="$dest" "$@"
[ "$status" = 0 ] || fail "make uninstall: exit $status: $(tail -n 5 "$tmp/err")"
left=$(find "$dest" ! -type d)
[ -z "$left" ] || fail "make uninstall left files: $left"
for d in "$dest$pkgdatadir" "$dest$pkglibexecdir"; do
	[ -d "$d" ] && fail "make uninstall left awsnote's directory $d"
done
finish
