"""Sentence, clause and token segmentation of normalised Arabic text.

Works on the normalised text of a `NormalizedText` (punctuation is already folded to ASCII), so
every unit carries normalised offsets; `NormalizedText.to_original` turns them into spans of the
input.  Sentences end at . ! ? followed by space or a line end, and at line breaks; a period after a
single letter («أ. ف. ب») or between digits (5.9) does not end one.  Clauses split a sentence at
commas, semicolons, colons, dashes between spaces and brackets.  Tokens are runs of Arabic letters,
Latin letters and digits: underscores and hashes separate tokens, so «#انفجار_بيروت» gives two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

_TOKEN = re.compile(r"[0-9a-z\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*(?=\s|$)|\n+")
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]]| - ")


_tuple_new = tuple.__new__


class Token(NamedTuple):
    """One token of the normalised text: its form and normalised offsets (a tuple: cheap)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence (normalised offsets) with its clauses and the index range of its tokens."""

    start: int
    end: int
    clauses: tuple[tuple[int, int], ...]
    first_token: int
    last_token: int  # exclusive


def tokenize(text: str) -> list[Token]:
    """Tokens of a normalised text (built with `tuple.__new__`, a third faster than `Token(...)`:
    this runs over every token of every document)."""
    return [_tuple_new(Token, (m.group(), m.start(), m.end())) for m in _TOKEN.finditer(text)]


def _is_abbreviation(text: str, period: int) -> bool:
    """A period right after a one-letter word («أ. ف. ب») abbreviates; it ends no sentence."""
    return (period >= 1 and text[period - 1].isalpha()
            and (period == 1 or not text[period - 2].isalnum()))


def _sentence_bounds(text: str) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.group().startswith("\n"):
            end = m.start()
        else:
            end = m.end()
            if text[m.start() - 1] == "." and _is_abbreviation(text, m.start() - 1):
                continue
        if text[start:end].strip():
            bounds.append(_strip(text, start, end))
        start = m.end()
    if text[start:].strip():
        bounds.append(_strip(text, start, len(text)))
    return bounds


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _clauses(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    clauses = []
    pos = start
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        if text[pos:m.start()].strip():
            clauses.append(_strip(text, pos, m.start()))
        pos = m.end()
    if text[pos:end].strip():
        clauses.append(_strip(text, pos, end))
    return tuple(clauses) or ((start, end),)


def segment(text: str, tokens: list[Token]) -> list[Sentence]:
    """Split a normalised text into sentences and clauses, and tie each to its tokens."""
    sentences = []
    t = 0
    for start, end in _sentence_bounds(text):
        while t < len(tokens) and tokens[t].start < start:
            t += 1
        first = t
        while t < len(tokens) and tokens[t].end <= end:
            t += 1
        sentences.append(Sentence(start, end, _clauses(text, start, end), first, t))
    return sentences
