#!/bin/sh
# --json: every line of every mode is one JSON object with the expected
# fields and values; hostile notes still give valid JSON.
. "$top_srcdir/tests/lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 is needed to read JSON"

# check_json FILE PYTHON: every line of FILE parses as a JSON object;
# PYTHON is then run with `objs` (the list of them) and must not raise.
check_json() {
	python3 - "$1" "$2" <<'PY' || fail "JSON check failed: $2"
import json, sys
path, code = sys.argv[1], sys.argv[2]
raw = open(path, "rb").read()
text = raw.decode("utf-8")  # output is valid UTF-8, whatever the notes
lines = text.split("\n")
assert lines[-1] == "", "output ends with a newline"
objs = [json.loads(l) for l in lines[:-1]]
assert objs, "at least one object"
for o in objs:
    assert isinstance(o, dict), o
    assert isinstance(o.get("type"), str), o
    assert isinstance(o.get("path"), list) and o["path"], o
    assert all(isinstance(p, str) for p in o["path"]), o
    assert isinstance(o.get("anchor"), str), o
exec(code)
PY
}

# ---- Keyword lookup: the section and its subsections ---------------------
expect_status 0 "$AWSNOTE" --json s3 encryption
check_json "$tmp/out" '
o = objs[0]
assert o["type"] == "section"
assert o["path"] == ["S3", "Encryption"], o["path"]
assert o["title"] == "Encryption" and o["level"] == 3
assert o["anchor"].startswith("encryption")
assert "SSE-KMS: KMS-Managed Encryption keys" in o["text"]
assert "**" not in o["text"] and "`" not in o["text"]
assert o["subsections"] == [] and len(objs) == 1
'
# The text is exactly what a lookup prints in a pipe, after its path.
run "$AWSNOTE" s3 encryption
tail -n +2 "$tmp/out" >"$tmp/plain"
"$AWSNOTE" --json s3 encryption | python3 -c '
import json, sys
sys.stdout.write(json.loads(sys.stdin.readline())["text"])' >"$tmp/fromjson"
cmp -s "$tmp/plain" "$tmp/fromjson" || fail "--json text differs from the plain lookup"
# A section with subsections: one line, the subsections nested in order,
# each as the lookup prints it.
run "$AWSNOTE" -l
nsub=$(grep -c '^DynamoDB > ' "$tmp/out")
expect_status 0 "$AWSNOTE" --json dynamodb
check_json "$tmp/out" "
assert len(objs) == 1
o = objs[0]
assert o['path'] == ['DynamoDB'] and o['level'] == 1
subs = o['subsections']
assert len(subs) == $nsub, len(subs)
assert all(x['path'][:1] == ['DynamoDB'] and x['level'] > 1 for x in subs)
assert [x['title'] for x in subs][-1] == 'Streams'
assert all(set(x) == {'path', 'anchor', 'level', 'title', 'text'} for x in subs)
"
python3 -c '
import json, sys
sys.stdout.write(json.loads(open(sys.argv[1]).read())["subsections"][-1]["text"])' \
	"$tmp/out" >"$tmp/fromjson"
"$AWSNOTE" dynamodb streams | tail -n +2 >"$tmp/plain"
cmp -s "$tmp/plain" "$tmp/fromjson" || fail "a subsection's text differs from its lookup"
expect_status 1 "$AWSNOTE" --json zzqxjw
[ -s "$tmp/out" ] && fail "--json output for a miss"

# ---- -k: the hits, best first ----------------------------------------------
expect_status 0 "$AWSNOTE" --json -k kms
check_json "$tmp/out" '
assert all(o["type"] == "hit" for o in objs)
assert objs[0]["path"] == ["Security and Encryption", "KMS"]
assert objs[0]["anchor"] == "kms"
s = [o["score"] for o in objs]
assert all(isinstance(x, (int, float)) for x in s)
assert s[0] >= s[-1] and s[0] > 0
assert objs[0]["summary"].startswith("Key Management Service")
'
run "$AWSNOTE" -k kms
[ "$(wc -l <"$tmp/out")" = "$("$AWSNOTE" --json -k kms | wc -l)" ] ||
	fail "--json -k lists as many hits as -k"

# ---- -l: every section ------------------------------------------------------
expect_status 0 "$AWSNOTE" --json -l
check_json "$tmp/out" "
assert len(objs) == $("$AWSNOTE" -l | wc -l)
assert all(o['type'] == 'section' and isinstance(o['level'], int) for o in objs)
assert ['RDS', 'RDS', 'Read replicas:'] in [o['path'] for o in objs]
"
expect_status 0 "$AWSNOTE" --json -l rds
check_json "$tmp/out" "
assert len(objs) == $("$AWSNOTE" -l rds | wc -l) > 3
assert objs[0]['path'] == ['RDS']
assert all(o['path'][0] == 'RDS' for o in objs)
"

# ---- -e: matches, context, counts, sections -----------------------------
expect_status 0 "$AWSNOTE" --json -e 'SSE-\w+'
check_json "$tmp/out" '
assert all(o["type"] == "match" for o in objs)
assert len(objs) == 4
o = objs[0]
assert o["path"] == ["S3", "Encryption"] and isinstance(o["line"], int)
t = o["text"].encode("utf-8")
assert [t[a:b].decode() for a, b in o["matches"]] == ["SSE-KMS"], o
'
# Offsets are bytes of the text, after multi-byte characters too.
printf '# Caf\303\251\n\nna\303\257ve caf\303\251 \342\206\222 caf\303\251\n' >"$tmp/u.md"
expect_status 0 "$AWSNOTE" -f "$tmp/u.md" --json -i -e 'caf\w'
check_json "$tmp/out" '
assert len(objs) == 2
assert objs[0]["line"] == 1 and objs[0]["text"] == "Caf\u00e9"
o = objs[1]
assert o["line"] == 2 and o["text"] == "na\u00efve caf\u00e9 \u2192 caf\u00e9"
assert o["matches"] == [[7, 12], [17, 22]], o["matches"]
'
expect_status 0 "$AWSNOTE" --json -C 1 -e FIFO
check_json "$tmp/out" '
types = [o["type"] for o in objs]
assert types.count("match") == 3 and types.count("context") == 5, types
assert all("matches" not in o for o in objs if o["type"] == "context")
assert all(o["matches"] for o in objs if o["type"] == "match")
'
expect_status 0 "$AWSNOTE" --json -c -i -e encrypt
check_json "$tmp/out" "
assert all(o['type'] == 'count' for o in objs)
assert sum(o['count'] for o in objs) == $("$AWSNOTE" -c -i -e encrypt | awk -F: '{s += $NF} END {print s}')
assert {'path': ['S3', 'Encryption'], 'count': 4}.items() <= [o for o in objs if o['path'] == ['S3', 'Encryption']][0].items()
"
expect_status 0 "$AWSNOTE" --json -l -i -e kms
check_json "$tmp/out" '
assert all(o["type"] == "section" for o in objs)
assert [o["path"] for o in objs][:2] == [["Security and Encryption", "KMS"], ["Security and Encryption", "Secrets Store"]]
'
expect_status 0 "$AWSNOTE" --json -o -e '[0-9]+ ?MB'
check_json "$tmp/out" '
assert all(o["type"] == "match" and o["matches"] for o in objs)
'
expect_status 1 "$AWSNOTE" --json -e zzqxjw
[ -s "$tmp/out" ] && fail "--json output for no match"
expect_status 2 "$AWSNOTE" --json -e '('
[ -s "$tmp/out" ] && fail "--json output for a bad pattern"

# ---- Hostile notes: controls and invalid UTF-8 escaped, paths too -------
printf '# T\001i\033tle "q" \\\\\n\ntab\there \377\376 bell\007 del\177 \302\205 nl\n' >"$tmp/bad.md"
for args in "-e ." "-l" "t" "-k t"; do
	# shellcheck disable=SC2086
	expect_status 0 "$AWSNOTE" -f "$tmp/bad.md" --json $args
	check_json "$tmp/out" '
raw = open(path, "rb").read()
assert all(b >= 0x20 for b in raw.replace(b"\n", b"")), "raw control bytes"
assert "\ufffd" in "".join(o["path"]), objs
'
done
"$AWSNOTE" -f "$tmp/bad.md" --json -e 'tab' >"$tmp/out"
check_json "$tmp/out" '
t = objs[0]["text"]
assert t.startswith("tab\there \ufffd\ufffd bell\ufffd del\ufffd \ufffd nl"), repr(t)
raw = open(path, "rb").read()
assert b"\\t" in raw and b"\\\\" in raw and b"\\\"q\\\"" in raw
'
# A title's characters that reorder text on the screen (here RLO, PDF,
# LRI) are U+FFFD in title as in path, and in text.
printf '# Up\n\n## R \342\200\256x\342\200\254 \342\201\246y\n\nb \342\200\256z\n' >"$tmp/bidi.md"
expect_status 0 "$AWSNOTE" -f "$tmp/bidi.md" --json up
check_json "$tmp/out" '
s = objs[0]["subsections"][0]
assert s["title"] == "R \ufffdx\ufffd \ufffdy", repr(s["title"])
assert s["title"] == s["path"][-1], s
assert s["text"] == "b \ufffdz\n", repr(s["text"])
'
expect_status 0 "$AWSNOTE" -f "$tmp/bidi.md" --json r
check_json "$tmp/out" 'assert objs[0]["title"] == objs[0]["path"][-1], objs'
finish
