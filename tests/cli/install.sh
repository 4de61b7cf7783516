#!/bin/sh
# make install then make uninstall, into a DESTDIR: every file installed is
# removed again, and so are the directories that belong to awsnote alone
# ($(pkgdatadir), $(pkglibexecdir)); the installed awsnote(1) names the
# places this build installs to.  Skips outside a configured build tree.
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
MK
) || skip "cannot read the install directories"
eval "$vars"

run "$make" -C "$top_builddir" install DESTDIR="$dest"
[ "$status" = 0 ] || fail "make install: exit $status: $(tail -n 5 "$tmp/err")"
for f in "$dest$prefix/bin/awsnote" "$dest$prefix/bin/awsnote-index" \
	"$dest$pkgdatadir/awsnote.blob" "$dest$pkglibexecdir/awsnote-shell" \
	"$dest$man1dir/awsnote.1"; do
	[ -e "$f" ] || fail "make install did not install $f"
done
[ -f "$dest$man1dir/awsnote.1" ] &&
	expect_grep "^\.I $pkgdatadir/awsnote.blob" "$dest$man1dir/awsnote.1" \
		"installed awsnote(1) names the installed blob"

run "$make" -C "$top_builddir" uninstall DESTDIR="$dest"
[ "$status" = 0 ] || fail "make uninstall: exit $status: $(tail -n 5 "$tmp/err")"
left=$(find "$dest" ! -type d)
[ -z "$left" ] || fail "make uninstall left files: $left"
for d in "$dest$pkgdatadir" "$dest$pkglibexecdir"; do
	[ -d "$d" ] && fail "make uninstall left awsnote's directory $d"
done
finish
