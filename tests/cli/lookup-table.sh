#!/bin/sh
# Every query of tests/lookup-queries.tsv must put the expected section
# first.  Lines: query<TAB>expected path[<TAB>tag]; '#' starts a comment.
. "$top_srcdir/tests/lib.sh"

table=$top_srcdir/tests/lookup-queries.tsv
total=0
right=0
tab=$(printf '\t')
while IFS="$tab" read -r query want rest; do
	case $query in '#'* | '') continue ;; esac
	total=$((total + 1))
	# shellcheck disable=SC2086 # the query is words
	got=$("$AWSNOTE" $query 2>/dev/null | head -n 1)
	if [ "$got" = "$want" ]; then
		right=$((right + 1))
	else
		fail "'$query': got '$got', want '$want'"
	fi
done <"$table"
echo "lookup table: $right/$total first answers right"
[ "$total" -ge 30 ] || fail "only $total queries in the table"
finish
