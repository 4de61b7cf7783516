#!/bin/sh
# md4c and PCRE2 are loaded on first use (lib/dynload.h): a lookup in a
# blob loads neither, a regex loads PCRE2, Markdown loads md4c, and a
# library that cannot be loaded is one line naming it, exit 2, and no
# blob written.  awsnote needs no libm (ranking's log is lib/ln.c).
# Skipped for a --disable-dlopen build, and where the dynamic loader
# cannot say what it loads (LD_DEBUG is glibc's).
. "$top_srcdir/tests/lib.sh"

grep -q '^#define AWN_DLOPEN 1' "$top_builddir/config.h" ||
	skip "md4c and PCRE2 are linked, not loaded on first use"
[ -n "${AWSNOTE_UNDER_VALGRIND:-}" ] &&
	skip "valgrind loads libraries of its own"
md4c=$(sed -n 's/^#define AWN_MD4C_SONAME "\(.*\)"$/\1/p' "$top_builddir/config.h")
pcre2=$(sed -n 's/^#define AWN_PCRE2_SONAME "\(.*\)"$/\1/p' "$top_builddir/config.h")
[ -n "$md4c" ] && [ -n "$pcre2" ] || fail "config.h names no sonames"

# loads NAME CMD...: the libraries CMD loads (LD_DEBUG), in $tmp/loads.
loads() {
	name=$1
	shift
	LD_DEBUG=files "$@" >"$tmp/out" 2>"$tmp/loads"
	status=$?
	[ "$status" = 0 ] || fail "$name: exit $status: $(grep -v '^ *[0-9]*:' "$tmp/loads" | head -c 300)"
}
loads probe "$AWSNOTE" -f "$BLOB" s3 encryption
grep -q 'file=libz' "$tmp/loads" || skip "LD_DEBUG does not list loaded libraries here"

# A lookup: neither library.
[ "$(head -n 1 "$tmp/out")" = "S3 > Encryption" ] || fail "lookup: wrong section"
grep -F "file=$md4c" "$tmp/loads" >/dev/null && fail "a lookup loaded $md4c"
grep -F "file=$pcre2" "$tmp/loads" >/dev/null && fail "a lookup loaded $pcre2"
# awsnote itself needs no libm (a sanitizer's runtime may load it).
grep "file=libm\.so.*needed by $AWSNOTE " "$tmp/loads" >/dev/null &&
	fail "awsnote needs libm"

# A literal -e is found without PCRE2; a regex needs it.
loads literal "$AWSNOTE" -f "$BLOB" -e SSE-KMS
grep -q 'SSE-KMS' "$tmp/out" || fail "-e SSE-KMS: no match"
grep -F "file=$pcre2" "$tmp/loads" >/dev/null && fail "a literal -e loaded $pcre2"
loads regex "$AWSNOTE" -f "$BLOB" -e 'SSE-\w+'
grep -q 'SSE-C' "$tmp/out" || fail "-e 'SSE-\\w+': no SSE-C"
grep -F "file=$pcre2" "$tmp/loads" >/dev/null || fail "a regex did not load $pcre2"
grep -F "file=$md4c" "$tmp/loads" >/dev/null && fail "a regex loaded $md4c"

# Markdown: md4c, for awsnote -f notes.md and for awsnote-index.
loads markdown "$AWSNOTE" -f "$SEED" s3 encryption
[ "$(head -n 1 "$tmp/out")" = "S3 > Encryption" ] || fail "-f notes.md: wrong section"
grep -F "file=$md4c" "$tmp/loads" >/dev/null || fail "-f notes.md did not load $md4c"

# A library that is there but is no library: the loader's reason, once,
# on one line, exit 2.  LD_LIBRARY_PATH is searched before the system
# (given to our programs alone: grep and ls may use PCRE2 too).
mkdir "$tmp/lib"
: >"$tmp/lib/$md4c"
: >"$tmp/lib/$pcre2"
broken() { env LD_LIBRARY_PATH="$tmp/lib" "$@"; }
expect_status 0 broken "$AWSNOTE" -f "$BLOB" s3 encryption
expect_status 2 broken "$AWSNOTE" -f "$BLOB" -e 'SSE-\w+'
expect_grep "^awsnote: cannot load $pcre2 for regex search: .*$pcre2" "$tmp/err" \
	"a broken $pcre2 named"
[ "$(wc -l <"$tmp/err")" = 1 ] || fail "regex: not one line: $(cat "$tmp/err")"
[ -s "$tmp/out" ] && fail "regex: printed something: $(head -c 200 "$tmp/out")"
expect_status 2 broken "$AWSNOTE" -f "$SEED" s3
expect_grep "cannot load $md4c to read Markdown: .*$md4c" "$tmp/err" \
	"awsnote -f notes.md: a broken $md4c named"
[ "$(wc -l <"$tmp/err")" = 1 ] || fail "-f notes.md: not one line: $(cat "$tmp/err")"
expect_status 2 broken "$AWSNOTE_INDEX" -o "$tmp/x.blob" "$SEED"
expect_grep "^awsnote-index: cannot load $md4c to read Markdown" "$tmp/err" \
	"awsnote-index: a broken $md4c named"
[ "$(wc -l <"$tmp/err")" = 1 ] || fail "awsnote-index: not one line: $(cat "$tmp/err")"
[ -e "$tmp/x.blob" ] && fail "awsnote-index: a blob written"
ls "$tmp" | grep -q 'x\.blob' && fail "awsnote-index: a temporary file left"

# A library that loads but lacks a function: named with the function.
if printf 'int awsnote_nothing;\n' >"$tmp/empty.c" &&
	${CC:-cc} -shared -fPIC -o "$tmp/lib/$pcre2" "$tmp/empty.c" 2>/dev/null; then
	expect_status 2 broken "$AWSNOTE" -f "$BLOB" -e 'SSE-\w+'
	expect_grep "^awsnote: cannot load $pcre2 for regex search: .*undefined symbol: pcre2_" \
		"$tmp/err" "a $pcre2 without PCRE2's functions named"
	[ "$(wc -l <"$tmp/err")" = 1 ] || fail "regex: not one line: $(cat "$tmp/err")"
fi

finish
