#!/bin/sh
# Corrections count letters, not bytes: a word one letter from a term of
# the notes finds it though the letter takes two bytes (é, ü, Cyrillic)
# or three (CJK).  They counted bytes: "resumé" was two edits from
# "résumé" and found nothing, and Cyrillic words of 13 letters or more
# (over 24 bytes) were never corrected at all.  The prefix, split and
# joined-word guesses' word lengths count letters as well, and so do a
# split's halves.
. "$top_srcdir/tests/lib.sh"

cat >"$tmp/c.md" <<'NOTES'
# Résumé

How to write a résumé.

# Zürich

Trains in Zürich.

# Облако

Облако и программирование.

# 東京

東京都庁舎 building.

# Kubernetes

kubernetes pods
NOTES

# word  what it finds
while IFS=' ' read -r word want; do
	expect_first_line "$want" "$AWSNOTE" -f "$tmp/c.md" "$word"
done <<'QUERIES'
resumé Résumé
résume Résumé
zurich Zürich
zürch Zürich
облко Облако
облакно Облако
програмирование Облако
программиорвание Облако
прогармирование Облако
kubernets Kubernetes
kuberentes Kubernetes
QUERIES

# Two letters away is too far for a word of fewer than 8 letters, in any
# script.
expect_status 1 "$AWSNOTE" -f "$tmp/c.md" resume
expect_status 1 "$AWSNOTE" -f "$tmp/c.md" обломо
# The word lengths the other guesses need count letters too: a word of
# 4 letters or more may be the start of a term, not one of 3 ("ути" is
# 6 bytes).
printf '# Утилизация\n\nутилизация отходов.\n' >"$tmp/r.md"
expect_first_line "Утилизация" "$AWSNOTE" -f "$tmp/r.md" утил
expect_status 1 "$AWSNOTE" -f "$tmp/r.md" ути
# A split's halves are 3 letters each or more, not 3 bytes: "по" (2
# letters, 4 bytes) and "ехать" are no split of поехать.
printf '# Путь\n\nоблако, по дороге ехать.\n\n# По\n\nпо\n\n# Ехать\n\nехать\n' >"$tmp/s.md"
expect_status 1 "$AWSNOTE" -f "$tmp/s.md" поехать
expect_first_line "Путь" "$AWSNOTE" -f "$tmp/s.md" облакоехать
# An invalid byte in the word: nothing found, said in one line.
expect_status 1 "$AWSNOTE" -f "$tmp/c.md" "$(printf 'r\351sum\303\251')"
[ "$(wc -l <"$tmp/err")" = 1 ] || fail "invalid byte: $(cat "$tmp/err")"
finish
