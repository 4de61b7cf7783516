#!/bin/sh
# score.sh NOTES TABLE [AWSNOTE]: first-answer accuracy of awsnote on a
# query table (query<TAB>expected path[<TAB>category]).  Prints each miss,
# per-category figures and a last line "awsnote: R/N correct (P%)".
notes=$1
table=$2
awsnote=${3:-${AWSNOTE:-awsnote}}
tab=$(printf '\t')
grep -v '^#' "$table" | grep -v '^$' | while IFS="$tab" read -r query want cat; do
	# shellcheck disable=SC2086 # the query is words
	got=$("$awsnote" -f "$notes" -- $query 2>/dev/null | head -n 1)
	if [ "$got" = "$want" ]; then
		echo "ok${tab}${cat:-all}"
	else
		echo "miss${tab}${cat:-all}${tab}${query}${tab}${got}${tab}${want}"
	fi
done | awk -F '\t' '
	{ n++; c[$2]++; if ($1 == "ok") { r++; rc[$2]++ }
	  else printf "MISS [%s] %s -> \"%s\" (want \"%s\")\n", $2, $3, $4, $5 }
	END {
		for (k in c) printf "  %-10s %d/%d\n", k, rc[k], c[k]
		printf "awsnote: %d/%d correct (%.1f%%)\n", r, n, n ? 100 * r / n : 0
	}'
