#!/bin/sh
# The examples of README.md that name files in the home directory (the
# indented "$ ..." lines holding a ~, which readme.sh leaves out), run
# by sh in order, as a reader would type them, in a home made for them:
# ~/src/aws-docs holds two of the AWS guides of ../shared/corpora, and
# ~/notes a note lambda-notes.md.  Each must exit 0 and print something;
# the lookups must print what the README says they find.  Skips without
# the corpora.
. "$top_srcdir/tests/lib.sh"

tarball=$CORPORA/large-awsdocs.tar.gz
[ -f "$tarball" ] || skip "no $tarball"

README=$top_srcdir/README.md
home=$tmp/home
mkdir -p "$tmp/bin" "$home/src/aws-docs" "$home/notes"
ln -s "$AWSNOTE" "$tmp/bin/awsnote"
ln -s "$AWSNOTE_INDEX" "$tmp/bin/awsnote-index"
tar -xzf "$tarball" -C "$home/src/aws-docs" --strip-components=1 \
	large-awsdocs/amazon-dynamodb-developer-guide \
	large-awsdocs/aws-lambda-developer-guide ||
	skip "cannot unpack two guides of $tarball"
cat >"$home/notes/lambda-notes.md" <<'EOF'
# Lambda

## Concurrency

Reserved concurrency caps how many instances of a function run at once.
EOF

sed -n 's/^    \$ \(.*~.*\)$/\1/p' "$README" | sed 's/  *# .*$//' >"$tmp/examples"
n=$(wc -l <"$tmp/examples")
[ "$n" -ge 3 ] || fail "only $n examples with ~ found in README.md"
# The blob must be compiled before the lookups that read it.
grep -q '^awsnote-index ' "$tmp/examples" ||
	fail "README.md has no awsnote-index example with ~ to compile the notes"

i=0
while IFS= read -r cmd; do
	i=$((i + 1))
	(cd "$tmp" && HOME=$home PATH="$tmp/bin:$PATH" sh -c "$cmd") \
		</dev/null >"$tmp/out.$i" 2>"$tmp/err"
	status=$?
	[ "$status" = 0 ] || fail "README example '$cmd': exit status $status ($(head -c 200 "$tmp/err"))"
	[ -s "$tmp/out.$i" ] || fail "README example '$cmd' printed nothing"
	case $cmd in
	*'-k provisioned throughput'*)
		head -n 1 "$tmp/out.$i" | grep -q '^amazon-dynamodb-developer-guide/doc_source/ProvisionedThroughput > ' ||
			fail "'$cmd' does not list DynamoDB's provisioned throughput first: $(head -n 1 "$tmp/out.$i")"
		;;
	*'-d lambda-notes concurrency'*)
		[ "$(head -n 1 "$tmp/out.$i")" = "lambda-notes > Lambda > Concurrency" ] ||
			fail "'$cmd' does not show the note's section: $(head -n 1 "$tmp/out.$i")"
		;;
	esac
done <"$tmp/examples"
echo "$n examples run"
finish
