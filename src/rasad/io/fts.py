"""Full-text queries over normalised Arabic, and snippets in the words the article wrote.

The store indexes the normalised text (`rasad.text.normalize`), so a query must be normalised the
same way, but only its terms: `fts_query` keeps the FTS5 syntax as written — the operators
``AND``, ``OR``, ``NOT`` (upper case, as FTS5 wants them), ``NEAR(…, N)``, parentheses,
``"phrases"`` (also written «…» or “…”), the prefix ``*``, ``^``, ``+`` and column filters
(``title:``, renamed to the indexed column) — and normalises every other word («إدلب» → «ادلب»;
a word that normalises to punctuation FTS5 would reject, «حلب،», is quoted as a phrase).  An
unclosed quote or an empty query raises E303 here; the errors only SQLite sees (``داعش OR``, an
unbalanced parenthesis) are turned into E303 by the store.  `query_tokens` is the reading both
backends share: PostgreSQL's store writes the same pieces as a ``to_tsquery`` expression
(`rasad.io.tsquery`).

`match_spans` reads the matches back from an FTS5 ``highlight()`` made with `OPEN`/`CLOSE` (two
characters normalisation deletes, so they can only be the markers) and maps them to offsets in
the original text; `snippet` cuts a window of words around the most matches and brackets them, so
a result shows «محافظة», not the normalised «محافظه».
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping

from rasad.errors import StoreError
from rasad.text.normalize import normalize, normalize_form

OPEN, CLOSE = "\u200b", "\u200c"
"""Highlight markers: zero-width characters that normalisation deletes from the indexed text."""

_OPERATORS = frozenset({"AND", "OR", "NOT"})
_SYNTAX = frozenset("()*+^:,{}")
_QUOTES = {'"': '"', "«": "»", "“": "”"}
_WORD_END = _SYNTAX | set(_QUOTES) | {" ", "\t", "\n", "\r"}
_BAREWORD = re.compile(r"[0-9a-z_\x1a\x80-\U0010ffff]+")
_WORDS = re.compile(r"\S+")


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _next_char(query: str, i: int) -> str:
    """The first character at or after `i` that is not a space ("" at the end)."""
    rest = query[i:].lstrip()
    return rest[:1]


Token = tuple[str, str]
"""One piece of a query: (kind, value).  Kinds: ``term`` (a word, normalised), ``phrase`` (a
quoted phrase, normalised), ``operator`` (AND, OR, NOT, or NEAR before a parenthesis),
``column`` (a column filter's name as written, with its ``-`` sign), ``syntax`` (one of
``()*+^:,{}``) and ``space``."""


def query_tokens(query: str) -> list[Token]:
    """The pieces of an FTS5-syntax query, its words normalised like the stored text; an
    unclosed quote or a query without a word to search for raises E303."""
    tokens: list[Token] = []
    in_braces = False
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch in "{}":
            in_braces = ch == "{"
            tokens.append(("syntax", ch))
            i += 1
        elif ch.isspace():
            tokens.append(("space", " "))
            i += 1
        elif ch in _QUOTES:
            close = _QUOTES[ch]
            j = i + 1
            content: list[str] = []
            while True:
                k = query.find(close, j)
                if k < 0:
                    raise StoreError(f"bad search query {query!r}: {ch} is never closed",
                                     code="E303")
                content.append(query[j:k])
                if close == '"' and query.startswith('""', k):
                    content.append('"')  # FTS5 escapes a quote inside a phrase by doubling it
                    j = k + 2
                    continue
                break
            tokens.append(("phrase", normalize_form("".join(content))))
            i = k + 1
        elif ch in _SYNTAX:
            tokens.append(("syntax", ch))
            i += 1
        else:
            j = i
            while j < n and query[j] not in _WORD_END:
                j += 1
            word = query[i:j]
            following = _next_char(query, j)
            if in_braces or following == ":":  # a column filter: title:…, -text:…, {title text}:…
                tokens.append(("column", word))
            elif word in _OPERATORS or (word == "NEAR" and following == "("):
                tokens.append(("operator", word))  # an operator, or NEAR(: syntax, as written
            else:
                term = normalize_form(word)
                if term:
                    tokens.append(("term", term))
            i = j
    if not any(kind in ("term", "phrase") for kind, _ in tokens):
        raise StoreError(f"bad search query {query!r}: no words to search for", code="E303")
    return tokens


def fts_query(query: str, columns: Mapping[str, str] | None = None) -> str:
    """An FTS5 query with its terms normalised like the stored text and its syntax kept;
    `columns` renames the columns a filter names (``title:`` → ``title_normalized:``)."""
    out: list[str] = []
    for kind, value in query_tokens(query):
        if kind == "phrase":
            out.append(_phrase(value))
        elif kind == "term":
            out.append(value if _BAREWORD.fullmatch(value) else _phrase(value))
        elif kind == "column":
            sign, name = ("-", value[1:]) if value.startswith("-") else ("", value)
            out.append(sign + (columns or {}).get(name, name))
        else:
            out.append(value)
    return "".join(out).strip()


def match_spans(original: str, highlighted: str) -> list[tuple[int, int]]:
    """Original (start, end) of every match marked in `highlighted`, the normalised text of
    `original` with `OPEN`/`CLOSE` around the matches; [] when it is not that text."""
    normalized: list[str] = []
    spans: list[tuple[int, int]] = []
    start = pos = 0
    for part in re.split(f"([{OPEN}{CLOSE}])", highlighted):
        if part == OPEN:
            start = pos
        elif part == CLOSE:
            spans.append((start, pos))
        else:
            normalized.append(part)
            pos += len(part)
    norm = normalize(original)
    if "".join(normalized) != norm.text:
        return []
    return [norm.to_original(s, e) for s, e in spans if e > s]


def snippet(original: str, spans: list[tuple[int, int]], words: int = 14) -> str:
    """A window of about `words` words of `original` holding the most matches, each in [ ];
    "…" where the text goes on.  Line breaks become spaces.  `words` <= 0: the whole text."""
    tokens = [(m.start(), m.end()) for m in _WORDS.finditer(original)]
    if not tokens:
        return ""
    first, last = 0, len(tokens)
    if 0 < words < len(tokens):
        ends = [end for _, end in tokens]
        hits = sorted({bisect_right(ends, s) for s, _ in spans})
        best = -1
        for k in hits:
            candidate = max(0, min(k - 2, len(tokens) - words))
            score = sum(candidate <= h < candidate + words for h in hits)
            if score > best:
                first, best = candidate, score
        last = first + words
    lo, hi = tokens[first][0], tokens[last - 1][1]
    inside = [(s, min(e, hi)) for s, e in spans if lo <= s < hi]
    # Inserted from the end; at one offset "]" of a match goes before "[" of the next.
    marks = sorted([(s, 1, "[") for s, _ in inside] + [(e, 0, "]") for _, e in inside],
                   reverse=True)
    text = original[lo:hi]
    for offset, _, mark in marks:
        text = text[:offset - lo] + mark + text[offset - lo:]
    text = " ".join(text.split())
    return ("…" if first > 0 else "") + text + ("…" if last < len(tokens) else "")
