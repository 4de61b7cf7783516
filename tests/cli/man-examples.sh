#!/bin/sh
# The examples of awsnote(1) run as tests: every "$ awsnote ..." line of
# its EXAMPLES section is run (by sh, so pipes work) against the built
# tree, must exit 0 and print something; a few must print what the page
# says they do.
. "$top_srcdir/tests/lib.sh"

PAGE=$top_srcdir/man/awsnote.1
mkdir -p "$tmp/bin"
ln -s "$AWSNOTE" "$tmp/bin/awsnote"

# The example lines, with the roff escapes they use turned back into
# what a user types.
sed -n '/^\.SH EXAMPLES/,/^\.SH /p' "$PAGE" | grep '^\$ awsnote' |
	sed -e 's/^\$ //' -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\(dq/"/g' \
		-e 's/\\e/\\/g' -e 's/\\&//g' >"$tmp/examples"
n=$(wc -l <"$tmp/examples")
[ "$n" -ge 10 ] || fail "only $n examples found in $PAGE"

# want COMMAND PATTERN: the output of the example COMMAND has PATTERN.
want() {
	grep -Fxq -- "$1" "$tmp/examples" || {
		fail "example '$1' is no longer in the manual"
		return
	}
	PATH="$tmp/bin:$PATH" sh -c "$1" >"$tmp/out" 2>"$tmp/err"
	expect_grep "$2" "$tmp/out" "example '$1'"
}

while IFS= read -r cmd; do
	PATH="$tmp/bin:$PATH" sh -c "$cmd" </dev/null >"$tmp/out" 2>"$tmp/err"
	status=$?
	[ "$status" = 0 ] || fail "example '$cmd': exit status $status ($(head -c 200 "$tmp/err"))"
	[ -s "$tmp/out" ] || fail "example '$cmd' printed nothing"
done <"$tmp/examples"

want "awsnote s3 encryption" '^S3 > Encryption$'
want "awsnote route53" '^Route-53$'
want "awsnote -e 'SSE-\\w+' --where" '^/.*/aws-developer-associate\.md:258:  1\. SSE-KMS: '
want "awsnote -k encryption -kms" '^Security and Encryption$'
grep -q 'KMS' "$tmp/out" && fail "example 'awsnote -k encryption -kms' lists KMS"
want "awsnote '\"dead letter\"' queue" '^Messaging > Simple Queue Service SQS > Types$'
want "awsnote beanstlak" '^Elastic Beanstalk$'
want "awsnote -i -e 'visibility timeout'" '^Messaging > Simple Queue Service SQS:.*Visibility Timeout'
want "awsnote --json sqs" '^\{"type":"section",'
cp "$tmp/out" "$tmp/json-sqs"
want "awsnote sqs --json" '^\{"type":"section",'
cmp -s "$tmp/json-sqs" "$tmp/out" || fail "example 'awsnote sqs --json' is not 'awsnote --json sqs'"
want "awsnote lambda -- --invocation-type" '^Lambda > Invocations$'
want "awsnote --complete=dyn" '^DynamoDB$'
want "awsnote --verify" ': OK \([0-9]+ sections\)$'
want "awsnote --width 60 sqs" '^1 Types$'
echo "$n examples run"
finish
