#!/bin/sh
# The examples of README.md run as tests: every indented "$ awsnote ..."
# line that needs no notes of the user's own (no ~) is run by sh against
# the built tree, must exit 0 and print something; a few must print what
# the README says they do.
. "$top_srcdir/tests/lib.sh"

README=$top_srcdir/README.md
mkdir -p "$tmp/bin"
ln -s "$AWSNOTE" "$tmp/bin/awsnote"

sed -n 's/^    \$ \(awsnote .*\)$/\1/p' "$README" | grep -v '~' |
	sed 's/  *# .*$//' >"$tmp/examples"
n=$(wc -l <"$tmp/examples")
[ "$n" -ge 8 ] || fail "only $n examples found in README.md"

while IFS= read -r cmd; do
	case $cmd in *'| jq'*) command -v jq >/dev/null 2>&1 || continue ;; esac
	PATH="$tmp/bin:$PATH" sh -c "$cmd" </dev/null >"$tmp/out" 2>"$tmp/err"
	status=$?
	[ "$status" = 0 ] || fail "README example '$cmd': exit status $status ($(head -c 200 "$tmp/err"))"
	[ -s "$tmp/out" ] || fail "README example '$cmd' printed nothing"
done <"$tmp/examples"

# The ranking examples of "Using it" that hold for the shipped notes.
expect_first_line "Route-53" "$AWSNOTE" route 53
expect_first_line "Messaging > Simple Queue Service SQS" "$AWSNOTE" wait time seconds
expect_first_line "EC2" "$AWSNOTE" ec2
# The batch example of the shell.
expect_first_line "S3 > Encryption" sh -c \
	"printf 's3 encryption\nsqs\n' | \"\$1\" -i" sh "$AWSNOTE"
expect_grep '^Messaging > Simple Queue Service SQS$' "$tmp/out" "README's batch example"
echo "$n examples run"
finish
