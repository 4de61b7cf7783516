#!/usr/bin/env python3
"""Baseline relevance benchmark: SQLite FTS5 (bm25) over Markdown sections.

Splits Markdown notes into sections the way awsnote does (one section per
CommonMark heading that is not inside a container block, paths built from the
titles of the heading's ancestors), loads them into an FTS5 table and checks,
for each query of a TSV table, whether the best-ranked section is the
expected one.

    relevance-fts5.py --notes FILE --queries TSV [--verbose]
    relevance-fts5.py --notes FILE --dump-sections
    relevance-fts5.py --notes FILE --queries TSV --check

Query tables: one query per line, `query<TAB>expected path[<TAB>category]`;
blank lines and lines starting with '#' are ignored.  Every expected path
must name a section that exists, otherwise the script says so and exits 1.

Only the Python standard library is used (sqlite3 must have FTS5).

The splitter was checked against md4c 0.4.8 (the parser awsnote uses) on
every Markdown file under shared/corpora, the awsdocs set and the 1,356
CommonMark/GFM spec examples.  Heading paths agreed everywhere except one
awsdocs heading, `` `A::Value`<`B::Id`> type ``.  This script follows
CommonMark and reads it as "A::Value<B::Id> type". md4c 0.4.8 drops the
angle brackets and keeps the inner backticks.
"""

import argparse
import html
import os
import re
import signal
import sqlite3
import sys
from collections import OrderedDict

# --------------------------------------------------------------------------
# Block structure: a small CommonMark block scanner.
#
# It tracks exactly what decides whether a line is a document-level heading:
# block quotes and list items (headings inside them are not sections), fenced
# and indented code, HTML blocks, paragraphs (setext headings, lazy
# continuation lines) and GFM tables (a `---` under a table row is a
# thematic break, not a setext underline).
# --------------------------------------------------------------------------

HTML_BLOCK_TAGS = set("""
address article aside base basefont blockquote body caption center col
colgroup dd details dialog dir div dl dt fieldset figcaption figure footer
form frame frameset h1 h2 h3 h4 h5 h6 head header hr html iframe legend li
link main menu menuitem nav noframes ol optgroup option p param search
section summary table tbody td tfoot th thead title tr track ul
""".split())

_ATTR = r'(?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s"\'=<>`]+|\'[^\']*\'|"[^"]*"))?)'
OPEN_TAG = r'<[A-Za-z][A-Za-z0-9-]*' + _ATTR + r'*\s*/?>'
CLOSE_TAG = r'</[A-Za-z][A-Za-z0-9-]*\s*>'

RE_HTML_START = [
    # (type, start regex, end regex or None for "ends at a blank line")
    (1, re.compile(r'<(?:script|pre|style|textarea)(?:\s|>|$)', re.I),
     re.compile(r'</(?:script|pre|style|textarea)>', re.I)),
    (2, re.compile(r'<!--'), re.compile(r'-->')),
    (3, re.compile(r'<\?'), re.compile(r'\?>')),
    (4, re.compile(r'<![A-Za-z]'), re.compile(r'>')),
    (5, re.compile(r'<!\[CDATA\['), re.compile(r'\]\]>')),
    (6, re.compile(r'</?([A-Za-z][A-Za-z0-9]*)(?:\s|/?>|$)'), None),
    (7, re.compile(r'(?:' + OPEN_TAG + '|' + CLOSE_TAG + r')\s*$'), None),
]

RE_ATX = re.compile(r'(#{1,6})(?:[ \t]|$)')
RE_ATX_CLOSE = re.compile(r'(?:^|[ \t]+)#+[ \t]*$')
RE_FENCE = re.compile(r'(`{3,}|~{3,})(.*)$')
RE_HR = re.compile(r'(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$')
RE_SETEXT = re.compile(r'(=+|-+)[ \t]*$')
RE_BULLET = re.compile(r'([-+*])(?= |$)')
RE_ORDERED = re.compile(r'([0-9]{1,9})([.)])(?= |$)')
RE_TABLE_DELIM = re.compile(
    r'\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$')
RE_LINKDEF = re.compile(r' {0,3}\[((?:[^\]\\]|\\.){1,999})\]:')


def expand_tabs(line):
    """Expand tabs to the next multiple-of-4 column (block structure)."""
    if '\t' not in line:
        return line
    out = []
    col = 0
    for ch in line:
        if ch == '\t':
            n = 4 - col % 4
            out.append(' ' * n)
            col += n
        else:
            out.append(ch)
            col += 1
    return ''.join(out)


def lead_spaces(s, start=0):
    i = start
    while i < len(s) and s[i] == ' ':
        i += 1
    return i - start


def is_blank(s):
    return s.strip(' \t\r\n\f\v') == ''


RE_LINKDEF_FULL = re.compile(
    r' {0,3}\[(?:[^\[\]\\]|\\.){0,999}[^\s\[\]](?:[^\[\]\\]|\\.){0,999}\]:'
    r'[ \t]*\n?[ \t]*(?:<[^<>\n]*>|[^\s<][^\s]*)'
    r'(?:(?:[ \t]*\n?[ \t]*|[ \t]+)(?:"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\''
    r'|\((?:[^()\\]|\\.)*\)))?[ \t]*(?:\n|$)')


def strip_linkdefs(para):
    """Remove the link reference definitions that open a paragraph."""
    while True:
        m = RE_LINKDEF_FULL.match(para)
        if not m or m.end() == 0:
            return para
        para = para[m.end():]


def table_cells(row):
    row = row.strip()
    if row.startswith('|'):
        row = row[1:]
    if row.endswith('|') and not row.endswith('\\|'):
        row = row[:-1]
    return len(re.split(r'(?<!\\)\|', row))


class Block:
    """A raw heading found at document level, plus the body lines after it."""

    def __init__(self, level, raw_title, line_no):
        self.level = level
        self.raw_title = raw_title
        self.line_no = line_no
        self.body = []          # (kind, text): kind is 'text' or 'code'


def strip_front_matter(lines):
    """Skip YAML front matter: '---' on line 1 up to a '---' or '...' line."""
    if lines and lines[0].rstrip() == '---':
        for i in range(1, len(lines)):
            if lines[i].rstrip() in ('---', '...'):
                return lines[i + 1:], i + 1
    return lines, 0


def scan_blocks(text):
    """Return (preamble_lines, [Block]) for a Markdown document."""
    text = text.replace('\r\n', '\n').replace('\r', '\n').replace('\0', '\ufffd')
    if text.startswith('\ufeff'):
        text = text[1:]
    lines = text.split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    lines, skipped = strip_front_matter(lines)

    preamble = []
    blocks = []

    def emit(kind, s):
        if blocks:
            blocks[-1].body.append((kind, s))
        else:
            preamble.append((kind, s))

    containers = []   # dicts: {'k': 'quote'} or {'k': 'item', 'col': n, 'content': bool}
    leaf = None       # dict with 'k': para|fence|icode|html|table, depth
    for idx, raw in enumerate(lines):
        line_no = idx + 1 + skipped
        line = expand_tabs(raw)
        pos = 0
        matched = 0
        rest_blank = is_blank(line)
        # 1. match the open containers
        for c in containers:
            if c['k'] == 'quote':
                i = pos + lead_spaces(line, pos)
                if i - pos <= 3 and i < len(line) and line[i] == '>':
                    pos = i + 1
                    if pos < len(line) and line[pos] == ' ':
                        pos += 1
                    matched += 1
                    continue
                break
            else:
                if is_blank(line[pos:]):
                    if not c['content']:
                        break
                    pos = min(len(line), c['col'])
                    matched += 1
                    continue
                if lead_spaces(line, pos) >= c['col'] - pos:
                    pos = c['col']
                    matched += 1
                    continue
                break
        all_matched = matched == len(containers)
        rest = line[pos:]
        rest_blank = is_blank(rest)

        # 2. leaf blocks that swallow lines
        if all_matched and leaf is not None:
            k = leaf['k']
            if k == 'fence':
                ind = lead_spaces(rest)
                s = rest[ind:]
                m = re.match(r'(`+|~+)[ \t]*$', s)
                if ind <= 3 and m and m.group(1)[0] == leaf['ch'] \
                        and len(m.group(1)) >= leaf['n']:
                    leaf = None
                else:
                    emit('code', rest)
                continue
            if k == 'html':
                if leaf['end'] is None and rest_blank:
                    leaf = None
                else:
                    emit('html', rest)
                    if leaf['end'] is not None and leaf['end'].search(rest):
                        leaf = None
                    continue
            elif k == 'icode':
                if rest_blank or lead_spaces(rest) >= 4:
                    emit('code', rest[4:] if not rest_blank else '')
                    continue
                leaf = None
        para_open = leaf is not None and leaf['k'] == 'para'
        tip_para = all_matched and para_open

        # 3. new container and leaf starts
        new_started = False
        new_leaf = None
        while True:
            rest = line[pos:]
            if is_blank(rest):
                break
            ind = lead_spaces(rest)
            if ind >= 4:
                # an indented line continues a paragraph (possibly lazily)
                if not (para_open and not new_started):
                    new_leaf = ('icode', None)
                break
            s = rest[ind:]
            ch = s[0]
            if ch == '>':
                containers = containers[:matched]
                containers.append({'k': 'quote'})
                matched += 1
                pos += ind + 1
                if pos < len(line) and line[pos] == ' ':
                    pos += 1
                new_started = True
                tip_para = False
                continue
            m = RE_ATX.match(s)
            if m:
                content = s[m.end():] if m.end() <= len(s) else ''
                content = RE_ATX_CLOSE.sub('', content.strip(' \t'))
                new_leaf = ('atx', (len(m.group(1)), content.strip(' \t')))
                break
            m = RE_FENCE.match(s)
            if m and not (m.group(1)[0] == '`' and '`' in m.group(2)):
                new_leaf = ('fence', (m.group(1)[0], len(m.group(1)), ind))
                break
            found_html = None
            if ch == '<':
                for typ, start, end in RE_HTML_START:
                    mm = start.match(s)
                    if not mm:
                        continue
                    if typ == 6 and mm.group(1).lower() not in HTML_BLOCK_TAGS:
                        continue
                    if typ == 7 and para_open and not new_started:
                        continue  # type 7 cannot interrupt a paragraph
                    found_html = (typ, end)
                    break
            if found_html:
                new_leaf = ('html', found_html)
                break
            if tip_para and not new_started and leaf['k'] == 'para':
                m = RE_SETEXT.match(s)
                # link reference definitions at the start of a paragraph are
                # not part of the heading; a paragraph of nothing else is
                # not a heading at all
                if m and strip_linkdefs('\n'.join(leaf['lines'])).strip():
                    new_leaf = ('setext', 1 if m.group(1)[0] == '=' else 2)
                    break
                head = leaf['lines'][-1]
                if ('|' in s and '|' in head and RE_TABLE_DELIM.match(s)
                        and table_cells(s) == table_cells(head)):
                    new_leaf = ('tabledelim', None)
                    break
            if RE_HR.match(s):
                new_leaf = ('hr', None)
                break
            m = RE_BULLET.match(s) or RE_ORDERED.match(s)
            if m:
                after = s[m.end():]
                empty = is_blank(after)
                interrupting = tip_para and not new_started
                if interrupting and (empty or (m.re is RE_ORDERED
                                              and int(m.group(1)) != 1)):
                    break
                mw = m.end()
                n = lead_spaces(after)
                if empty:
                    w = mw + 1
                elif n >= 5:
                    w = mw + 1
                else:
                    w = mw + n
                containers = containers[:matched]
                col = pos + ind + w
                containers.append({'k': 'item', 'col': col, 'content': not empty})
                matched += 1
                pos = min(col, len(line))
                new_started = True
                tip_para = False
                continue
            break

        rest = line[pos:]
        rest_blank = is_blank(rest)

        # 4. lazy paragraph continuation
        if (not new_started and new_leaf is None and matched < len(containers)
                and leaf is not None and leaf['k'] == 'para' and not rest_blank):
            leaf['lines'].append(rest)
            emit('text', rest)
            continue

        # 5. close unmatched containers
        if matched < len(containers):
            containers = containers[:matched]
            leaf = None
        if new_started:
            leaf = None
        if not rest_blank or new_leaf is not None:
            for c in containers:
                if c['k'] == 'item':
                    c['content'] = True
        depth = len(containers)

        if new_leaf is not None:
            kind, arg = new_leaf
            if kind == 'atx':
                leaf = None
                if depth == 0:
                    blocks.append(Block(arg[0], arg[1], line_no))
                else:
                    emit('text', arg[1])
            elif kind == 'setext':
                title = strip_linkdefs('\n'.join(l.strip(' \t')
                                                 for l in leaf['lines']))
                if depth == 0:
                    # the paragraph's lines were emitted as body text of the
                    # previous section: take them back
                    owner = blocks[-1].body if blocks else preamble
                    del owner[len(owner) - len(leaf['lines']):]
                    blocks.append(Block(arg, title, line_no))
                leaf = None
            elif kind == 'fence':
                leaf = {'k': 'fence', 'ch': arg[0], 'n': arg[1], 'ind': arg[2]}
            elif kind == 'html':
                typ, end = arg
                emit('html', rest)
                leaf = {'k': 'html', 'end': end}
                if end is not None and end.search(rest):
                    leaf = None
            elif kind == 'icode':
                emit('code', rest[4:])
                leaf = {'k': 'icode'}
            elif kind == 'hr':
                leaf = None
            elif kind == 'tabledelim':
                leaf = {'k': 'table'}
            continue

        if rest_blank:
            if leaf is not None and leaf['k'] in ('para', 'table'):
                leaf = None
            continue
        if leaf is not None and leaf['k'] in ('para', 'table'):
            if leaf['k'] == 'para':
                leaf['lines'].append(rest)
            emit('text', rest)
        else:
            leaf = {'k': 'para', 'lines': [rest]}
            emit('text', rest)
    return preamble, blocks


# --------------------------------------------------------------------------
# Inline content to plain text.
# --------------------------------------------------------------------------

ASCII_PUNCT = set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~')
RE_AUTOLINK = re.compile(r'<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\x00-\x20]*)>')
RE_EMAIL = re.compile(r"<([A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9]"
                      r"(?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9]"
                      r"(?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)>")
RE_RAW_HTML = re.compile(
    r'(?:' + OPEN_TAG + '|' + CLOSE_TAG +
    r'|<!---->|<!--->|<!--(?:-?[^>-])(?:-?[^-])*-->|<\?.*?\?>'
    r'|<![A-Za-z]+[^>]*>|<!\[CDATA\[.*?\]\]>)', re.S)
RE_ENTITY = re.compile(r'&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});')
RE_WS = re.compile(r'[ \t\n\r\f\v]+')


def _is_ws(ch):
    return ch == '' or ch in ' \t\n\r\f\v\u00a0' or ch.isspace()


def _is_punct(ch):
    if ch == '':
        return False
    if ch in ASCII_PUNCT:
        return True
    import unicodedata
    return unicodedata.category(ch).startswith(('P', 'S'))


def normalize_label(s):
    return RE_WS.sub(' ', s.strip()).casefold()


def _match_inline_link_tail(s, i):
    """At s[i] == '(' try to parse `(dest "title")`; return end index or -1."""
    n = len(s)
    j = i + 1
    while j < n and s[j] in ' \t\n':
        j += 1
    if j < n and s[j] == '<':
        j += 1
        while j < n and s[j] not in '<>\n':
            j += 2 if s[j] == '\\' else 1
        if j >= n or s[j] != '>':
            return -1
        j += 1
    else:
        depth = 0
        start = j
        while j < n:
            c = s[j]
            if c == '\\' and j + 1 < n and s[j + 1] in ASCII_PUNCT:
                j += 2
                continue
            if c in ' \t\n' or ord(c) < 0x20:
                break
            if c == '(':
                depth += 1
            elif c == ')':
                if depth == 0:
                    break
                depth -= 1
            j += 1
        if depth != 0:
            return -1
        del start
    k = j
    while k < n and s[k] in ' \t\n':
        k += 1
    if k < n and s[k] in '"\'(' and k > j:
        close = ')' if s[k] == '(' else s[k]
        k += 1
        while k < n and s[k] != close:
            k += 2 if s[k] == '\\' else 1
        if k >= n:
            return -1
        k += 1
        while k < n and s[k] in ' \t\n':
            k += 1
    if k < n and s[k] == ')':
        return k + 1
    return -1


def inline_plain(s, refs=frozenset()):
    """Plain text of an inline string: markup, escapes and HTML removed."""
    # nodes: lists [kind, text, ...]; kinds: 'txt', 'delim', 'open'
    nodes = []
    delims = []     # indexes into nodes of delimiter runs
    brackets = []   # stack of (node index, is_image, active)
    i = 0
    n = len(s)
    buf = []

    def flush():
        if buf:
            nodes.append({'k': 'txt', 't': ''.join(buf)})
            buf.clear()

    while i < n:
        c = s[i]
        if c == '\\':
            if i + 1 < n and s[i + 1] in ASCII_PUNCT:
                buf.append(s[i + 1])
                i += 2
                continue
            if i + 1 < n and s[i + 1] == '\n':
                buf.append(' ')
                i += 2
                continue
            buf.append('\\')
            i += 1
            continue
        if c == '`':
            j = i
            while j < n and s[j] == '`':
                j += 1
            run = j - i
            k = j
            found = -1
            while k < n:
                if s[k] == '`':
                    e = k
                    while e < n and s[e] == '`':
                        e += 1
                    if e - k == run:
                        found = k
                        break
                    k = e
                else:
                    k += 1
            if found >= 0:
                code = s[j:found].replace('\n', ' ')
                if len(code) >= 2 and code[0] == ' ' and code[-1] == ' ' \
                        and code.strip(' '):
                    code = code[1:-1]
                buf.append(code)
                i = found + run
            else:
                buf.append(s[i:j])
                i = j
            continue
        if c == '<':
            m = RE_AUTOLINK.match(s, i) or RE_EMAIL.match(s, i)
            if m:
                buf.append(m.group(1))
                i = m.end()
                continue
            m = RE_RAW_HTML.match(s, i)
            if m:
                buf.append('')
                i = m.end()
                continue
            buf.append('<')
            i += 1
            continue
        if c == '&':
            m = RE_ENTITY.match(s, i)
            if m:
                dec = html.unescape(m.group(0))
                if dec != m.group(0):
                    buf.append(dec.replace('\0', '\ufffd'))
                    i = m.end()
                    continue
            buf.append('&')
            i += 1
            continue
        if c in '*_~':
            j = i
            while j < n and s[j] == c:
                j += 1
            before = s[i - 1] if i > 0 else ''
            after = s[j] if j < n else ''
            lf = (not _is_ws(after)) and (not _is_punct(after) or _is_ws(before)
                                         or _is_punct(before))
            rf = (not _is_ws(before)) and (not _is_punct(before) or _is_ws(after)
                                          or _is_punct(after))
            if c == '_':
                can_open = lf and (not rf or _is_punct(before))
                can_close = rf and (not lf or _is_punct(after))
            elif c == '~':
                can_open, can_close = lf, rf
                if j - i > 2:
                    can_open = can_close = False
            else:
                can_open, can_close = lf, rf
            flush()
            nodes.append({'k': 'delim', 't': s[i:j], 'ch': c, 'n': j - i,
                          'orig': j - i, 'open': can_open, 'close': can_close})
            delims.append(len(nodes) - 1)
            i = j
            continue
        if c == '[' or (c == '!' and i + 1 < n and s[i + 1] == '['):
            flush()
            img = c == '!'
            nodes.append({'k': 'txt', 't': '![' if img else '['})
            brackets.append({'node': len(nodes) - 1, 'img': img, 'active': True,
                             'pos': i + (2 if img else 1),
                             'delims': len(delims)})
            i += 2 if img else 1
            continue
        if c == ']' and brackets:
            br = brackets.pop()
            if not br['active']:
                buf.append(']')
                i += 1
                continue
            label = s[br['pos']:i]
            end = -1
            if i + 1 < n and s[i + 1] == '(':
                end = _match_inline_link_tail(s, i + 1)
            if end < 0 and i + 1 < n and s[i + 1] == '[':
                m = re.match(r'\[((?:[^\[\]\\]|\\.){0,999})\]', s[i + 1:])
                if m:
                    ref = m.group(1) if m.group(1).strip() else label
                    if normalize_label(ref) in refs:
                        end = i + 1 + m.end()
            if end < 0 and normalize_label(label) in refs:
                end = i + 1
            if end < 0:
                buf.append(']')
                i += 1
                continue
            flush()
            # link found: opener text removed, emphasis inside processed
            nodes[br['node']]['t'] = ''
            inner = [d for d in delims[br['delims']:]]
            _process_emphasis(nodes, inner)
            del delims[br['delims']:]
            if not br['img']:
                for b in brackets:
                    if not b['img']:
                        b['active'] = False
            i = end
            continue
        buf.append(c)
        i += 1
    flush()
    _process_emphasis(nodes, delims)
    out = ''.join(nd['t'] for nd in nodes)
    return RE_WS.sub(' ', out).strip(' ')


def _process_emphasis(nodes, delims):
    """CommonMark 'process emphasis' over delimiter nodes (removes markers)."""
    stack = list(delims)
    openers_bottom = {}
    ci = 0
    while ci < len(stack):
        closer = nodes[stack[ci]]
        if not closer['close'] or closer['n'] == 0:
            ci += 1
            continue
        key = (closer['ch'], closer['open'], closer['orig'] % 3)
        bottom = openers_bottom.get(key, -1)
        oi = ci - 1
        found = -1
        while oi > bottom:
            op = nodes[stack[oi]]
            if op['ch'] == closer['ch'] and op['open'] and op['n'] > 0:
                if op['ch'] == '~':
                    if op['n'] == closer['n']:
                        found = oi
                        break
                else:
                    odd = ((op['close'] or closer['open'])
                           and (op['orig'] + closer['orig']) % 3 == 0
                           and not (op['orig'] % 3 == 0
                                    and closer['orig'] % 3 == 0))
                    if not odd:
                        found = oi
                        break
            oi -= 1
        if found < 0:
            openers_bottom[key] = ci - 1
            if not closer['open']:
                closer['k'] = 'txt'
            ci += 1
            continue
        op = nodes[stack[found]]
        use = op['n'] if op['ch'] == '~' else (
            2 if op['n'] >= 2 and closer['n'] >= 2 else 1)
        op['n'] -= use
        closer['n'] -= use
        op['t'] = op['ch'] * op['n']
        closer['t'] = closer['ch'] * closer['n']
        # delimiters between opener and closer can no longer match
        del stack[found + 1:ci]
        ci = found + 1
        if op['n'] == 0:
            del stack[found]
            ci -= 1
        if closer['n'] == 0:
            del stack[ci]
    return nodes


# --------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------

class Section:
    def __init__(self, level, title, path, body):
        self.level = level
        self.title = title
        self.path = path        # list of titles, top-level ancestor first
        self.body = body        # plain text of the section's own body

    @property
    def path_str(self):
        return ' > '.join(self.path)


def collect_refs(text):
    refs = set()
    for line in text.splitlines():
        m = RE_LINKDEF.match(line)
        if m and m.group(1).strip():
            refs.add(normalize_label(m.group(1)))
    return frozenset(refs)


def body_plain(lines, refs):
    out = []
    for kind, s in lines:
        if kind == 'code':
            out.append(s)
        elif kind == 'html':
            out.append(RE_WS.sub(' ', RE_RAW_HTML.sub(' ', s)))
        else:
            s = s.strip()
            s = re.sub(r'^(?:[-+*]|[0-9]{1,9}[.)])\s+', '', s)
            out.append(inline_plain(s, refs))
    return '\n'.join(out)


def split_sections(text, docname, prefix=None):
    """Sections of one document, in document order.

    The preamble (text before the first heading) comes first, with level 0,
    path [docname], and only when it has non-blank text.  PREFIX (a list)
    is prepended to every heading path (used when several documents are
    loaded at once)."""
    refs = collect_refs(text)
    preamble, blocks = scan_blocks(text)
    sections = []
    pre = body_plain(preamble, refs)
    if pre.strip():
        sections.append(Section(0, '', [docname], pre))
    stack = []  # (level, title)
    for b in blocks:
        title = inline_plain(b.raw_title, refs)
        while stack and stack[-1][0] >= b.level:
            stack.pop()
        stack.append((b.level, title))
        path = (prefix or []) + [t for _, t in stack]
        sections.append(Section(b.level, title, path, body_plain(b.body, refs)))
    return sections


def md_files(paths):
    """Each path, or the *.md files under it when it is a directory."""
    for p in paths:
        if not os.path.isdir(p):
            yield p, os.path.dirname(p)
            continue
        for d, dirs, names in os.walk(p):
            dirs.sort()
            for n in sorted(names):
                if n.lower().endswith('.md'):
                    yield os.path.join(d, n), p


def load_notes(paths):
    """Sections of every note file.  With several files (or a directory),
    paths start with the document name, as awsnote names it: the file's
    path under the directory given, without .md."""
    sections = []
    files = list(md_files(paths))
    multi = len(files) > 1
    for f, root in files:
        with open(f, 'rb') as fh:
            data = fh.read().decode('utf-8', errors='replace')
        name = os.path.relpath(f, root) if root else os.path.basename(f)
        if name.lower().endswith('.md'):
            name = name[:-3]
        sections.extend(split_sections(data, name, [name] if multi else None))
    return sections


# --------------------------------------------------------------------------
# FTS5 ranking
# --------------------------------------------------------------------------

RE_TOKEN = re.compile(r'\w+', re.UNICODE)


def fts_query(q):
    """OR of the query's word tokens, each quoted: safe for any input."""
    toks = [t for t in RE_TOKEN.findall(q.replace('_', ' '))]
    seen = OrderedDict()
    for t in toks:
        seen[t.lower()] = None
    return ' OR '.join('"%s"' % t.replace('"', '""') for t in seen)


def build_index(sections):
    db = sqlite3.connect(':memory:')
    db.execute("CREATE VIRTUAL TABLE t USING fts5(heading, body, "
               "tokenize='porter unicode61')")
    rows = []
    for i, s in enumerate(sections):
        if s.level == 0:
            continue  # preambles are not search results
        rows.append((i + 1, ' > '.join(s.path), s.body))
    db.executemany("INSERT INTO t(rowid, heading, body) VALUES (?, ?, ?)", rows)
    return db


def top_hit(db, sections, q):
    expr = fts_query(q)
    if not expr:
        return None
    row = db.execute("SELECT rowid FROM t WHERE t MATCH ? "
                     "ORDER BY bm25(t, 10.0, 1.0), rowid LIMIT 1",
                     (expr,)).fetchone()
    if row is None:
        return None
    return sections[row[0] - 1].path_str


def read_queries(path):
    out = []
    with open(path, encoding='utf-8') as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip('\n').rstrip('\r')
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            cols = line.split('\t')
            if len(cols) < 2:
                raise SystemExit('%s:%d: expected query<TAB>path[<TAB>category]'
                                 % (path, n))
            cat = cols[2].strip() if len(cols) > 2 and cols[2].strip() else 'all'
            out.append((n, cols[0], cols[1], cat))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--notes', action='append', required=True,
                    help='Markdown file or directory (repeat for several '
                         'documents: paths then start with the document name)')
    ap.add_argument('--queries', help='TSV: query, expected path, [category]')
    ap.add_argument('--verbose', action='store_true', help='print each miss')
    ap.add_argument('--dump-sections', action='store_true',
                    help='print every section path, one per line')
    ap.add_argument('--check', action='store_true',
                    help='only verify that every expected path exists')
    ap.add_argument('--label', default='fts5', help='name on the result line')
    args = ap.parse_args(argv)
    if hasattr(signal, 'SIGPIPE'):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `... | head` is fine

    try:
        sections = load_notes(args.notes)
        queries = read_queries(args.queries) if args.queries else []
    except OSError as e:
        sys.exit('relevance-fts5: %s: %s' % (e.filename, e.strerror))
    if args.dump_sections:
        for s in sections:
            print(s.path_str)
        if not args.queries:
            return 0
    if not args.queries:
        ap.error('--queries or --dump-sections is required')

    counts = {}
    for s in sections:
        if s.level:
            counts[s.path_str] = counts.get(s.path_str, 0) + 1
    bad = 0
    seen_q = {}
    for n, q, exp, cat in queries:
        if exp not in counts:
            print('%s:%d: no section %r (query %r)' % (args.queries, n, exp, q),
                  file=sys.stderr)
            bad += 1
        elif counts[exp] > 1:
            print('%s:%d: warning: %d sections share path %r'
                  % (args.queries, n, counts[exp], exp), file=sys.stderr)
        key = q.strip().lower()
        if key in seen_q:
            print('%s:%d: warning: query %r repeats line %d'
                  % (args.queries, n, q, seen_q[key]), file=sys.stderr)
        seen_q[key] = n
    if args.check:
        print('%s: %d queries, %d bad expected paths' % (args.queries,
                                                       len(queries), bad))
        return 1 if bad else 0

    db = build_index(sections)
    per_cat = OrderedDict()
    ok = 0
    misses = []
    for n, q, exp, cat in queries:
        got = top_hit(db, sections, q)
        c = per_cat.setdefault(cat, [0, 0])
        c[1] += 1
        if got == exp:
            ok += 1
            c[0] += 1
        else:
            misses.append((n, q, exp, got, cat))
    total = len(queries)

    def pct(a, b):
        return 100.0 * a / b if b else 0.0

    print('%s: %d/%d correct (%.1f%%)' % (args.label, ok, total, pct(ok, total)))
    if len(per_cat) > 1 or 'all' not in per_cat:
        for cat in sorted(per_cat):
            a, b = per_cat[cat]
            print('  %-10s %3d/%-3d (%.1f%%)' % (cat, a, b, pct(a, b)))
    if args.verbose:
        for n, q, exp, got, cat in misses:
            print('MISS %s:%d [%s] %r\n  expected: %s\n  got:      %s'
                  % (os.path.basename(args.queries), n, cat, q, exp, got))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
