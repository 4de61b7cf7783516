#!/bin/sh
# Golden renderings: real sections of the notes, and tests/data's sample
# of every construct (tables, code, quotes, rules, links, wide text), at
# 60 and 100 columns, with and without colour.  After a deliberate change:
# AWSNOTE_REGOLD=1 make check TESTS=tests/cli/render.sh, then read every
# changed file (cat -v shows the escapes): hanging indents, tables, code,
# link references.
. "$top_srcdir/tests/lib.sh"

SAMPLE=$top_srcdir/tests/data/render-sample.md

# golden NAME WORDS...: NAME at both widths, plain and coloured.
golden() {
	g=$1
	shift
	for w in 60 100; do
		expect_golden "render-$g-$w.out" \
			"$AWSNOTE" --color=never --width "$w" "$@"
		expect_golden "render-$g-$w-color.out" \
			"$AWSNOTE" --color=always --width "$w" "$@"
	done
}

golden iam iam                        # lists four deep, a link reference
golden toc table of contents          # internal links
golden cloudformation cloudformation  # code inside a list, inline code
golden sqs sqs                        # numbered subsections, references
golden sample -f "$SAMPLE" render sample

# edge WIDTH MARKDOWN [ARG...]: render MARKDOWN (printf's format) as a
# note of its own, at WIDTH columns (0: plain text), without colour,
# into $tmp/out, the path line and the blank under it left out.
edge() {
	w=$1 md=$2
	shift 2
	# shellcheck disable=SC2059 # the format is the point
	printf "# Edge\n\nedge case\n\n$md\n" >"$tmp/edge.md"
	if [ "$w" = 0 ]; then
		"$AWSNOTE" -f "$tmp/edge.md" "$@" edge case >"$tmp/out" 2>&1
	else
		"$AWSNOTE" --color=never --width "$w" -f "$tmp/edge.md" "$@" \
			edge case >"$tmp/out" 2>&1
	fi
	sed '1,/^edge case$/d; /^$/d' "$tmp/out" >"$tmp/edge.out"
	mv "$tmp/edge.out" "$tmp/out"
}

# expect_out WHAT LINE...: $tmp/out must be these lines.
expect_out() {
	what=$1
	shift
	printf '%s\n' "$@" >"$tmp/want"
	diff -u "$tmp/want" "$tmp/out" >"$tmp/diff" ||
		fail "$what:
$(cat "$tmp/diff")"
}

# Tab stops in code count from the code's text, as expand(1) does.
edge 60 '```\nname\tvalue\nid\tvalue\n```'
expect_out "tabs in code" "    name    value" "    id      value"

# Reflowed text shows a run of blanks as one space; a pipe keeps runs
# but no blanks at the end of a line.
edge 60 'word  <a name="x"></a>\nnext and a    b  c'
expect_out "runs of blanks, reflowed" "word next and a b c"
edge 0 'word  <a name="x"></a>\nnext and a    b  c'
expect_out "blanks at a line's end, plain" "word" "next and a    b  c"

# A link to an <a name> leads to the section holding it (the AWS guides
# link so); one to a heading's slug still goes to the heading.
edge 100 'See [x](#Param-X), [c](#API_Call) and [e](#edge).\n\n## Call<a name="API_Call"></a>\n\n**x** <a name="param-x"></a> the x.'
expect_out "links to <a name> anchors" \
	"See x (→ Edge > Call), c (→ Edge > Call) and e (→ Edge)." \
	"1 Call" "x the x."

# A link's path whose name is wider than the line is broken inside the
# name, never at its " > ": a line would end in a blank, and the next
# start with ">" (a block quote) or " >".
mkdir "$tmp/lp"
long=a-very-long-file-name-for-a-page-of-the-guide
printf '# Start\n\nSee [it](%s.md).\n' "$long" >"$tmp/lp/s.md"
printf '# Target Page\n\nHello.\n' >"$tmp/lp/$long.md"
for w in 45 46; do
	run "$AWSNOTE" --color=never --width "$w" -f "$tmp/lp" start
	sed 1d "$tmp/out" >"$tmp/body"
	expect_grep "^${long%e}$" "$tmp/body" "width $w: the name broken"
	grep -Eq '^ ?>| $' "$tmp/body" &&
		fail "width $w: a link's path broken at its ' > ': $(cat "$tmp/body")"
done

# A blank line inside a block quote keeps its mark, in a pipe too.
edge 60 '> a\n>\n> b'
expect_out "blank line in a quote" "> a" ">" "> b"
edge 0 '> a\n>\n> b'
expect_out "blank line in a quote, plain" "> a" ">" "> b"

# A bare URL wider than the line is not broken (it could not be copied
# or opened from the terminal).
url=https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingServerSideEncryption.html
edge 40 "See $url for more."
expect_out "a long URL whole" "See" "$url" "for more."

# Whatever the width, wrapped text stays inside it (the path line, code,
# tables that cannot shrink and link addresses aside: those in the list
# of links, and a URL in the text, which has a line of its own, whole).
wc -L </dev/null >/dev/null 2>&1 || finish # GNU wc measures columns
for w in 20 33 47 80; do
	run "$AWSNOTE" --color=never --width "$w" -f "$SAMPLE" links
	n=$(sed 1d "$tmp/out" | grep -Ev '^\[[0-9]+\] |^ *[a-z]+://[^ ]+$' |
		wc -L)
	[ "$n" -le "$w" ] || fail "width $w: a line of $n columns"
done

finish
