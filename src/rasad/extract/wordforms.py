"""Reading the tokens of a normalised text against word lists, for the date, number and fatality
finders; and loading the packaged data files (`src/rasad/data/`) those lists come from.

A `TokenView` wraps the tokens of a normalised text with what the finders ask of them: the text
between two tokens (`gap`), the token at a character offset, and which tokens can start a phrase
of interest at all (`candidates`, one set look-up per token, so a finder touches only a few tokens
of an article).  A `PhraseTable` holds phrases (normalised, split into words like the tokenizer
cuts them) with a payload each and finds the longest one at a token, with the Arabic proclitics
و ف ب ل ك (alone or stacked: وب، فل …) stripped from its first word, including ل + ال → لل.
Data files are read once per process (`load_yaml`, `load_tsv`).
"""

from __future__ import annotations

import csv
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Generic, TypeVar

import yaml

from rasad.text.clitics import NOUN_PROCLITICS, with_proclitics
from rasad.text.normalize import normalize_form
from rasad.text.segment import Token, tokenize

P = TypeVar("P")

SPACE = frozenset(" \n")
DIGITS = frozenset("0123456789")


@cache
def load_yaml(name: str) -> dict[str, Any]:
    """A YAML data file of the package (`rasad/data/<name>`), parsed once per process."""
    text = resources.files("rasad").joinpath("data", name).read_text(encoding="utf-8")
    loaded = yaml.safe_load(text)
    if not isinstance(loaded, dict):
        raise ValueError(f"data file {name} does not hold a mapping")
    return loaded


@cache
def load_tsv(name: str) -> tuple[dict[str, str], ...]:
    """The rows of a TSV data file of the package (lines starting with # are comments)."""
    text = resources.files("rasad").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return tuple(csv.DictReader(lines, delimiter="\t"))


def words_of(phrase: str) -> tuple[str, ...]:
    """The normalised words of a phrase, as the tokenizer cuts them («الـ24 ساعة» → ال24، ساعه)."""
    return tuple(t.text for t in tokenize(normalize_form(str(phrase))))


def norm_set(phrases: Iterable[Any]) -> frozenset[str]:
    """Normalised single words (phrases of one token) of a word list."""
    return frozenset(" ".join(words_of(p)) for p in phrases)


def strip_proclitic(form: str, vocabulary: frozenset[str] | dict[str, Any]) -> tuple[str, int]:
    """(word, offset of the word in `form`) when `form` is a word of `vocabulary` with or without
    a proclitic; ("", -1) otherwise.  For ل + ال («للجيش») the whole token is kept (offset 0)."""
    if form in vocabulary:
        return form, 0
    if len(form) > 2:
        if form[1:] in vocabulary and form[0] in "وفبلك":
            return form[1:], 1
        if form[:2] in NOUN_PROCLITICS and form[2:] in vocabulary:
            return form[2:], 2
        if form.startswith("لل") and "ا" + form[1:] in vocabulary:
            return "ا" + form[1:], 0
        if form[:2] in ("ول", "فل") and "ا" + form[2:] in vocabulary and form[2] == "ل":
            return "ا" + form[2:], 1
    return "", -1


class TokenView:
    """The tokens of a normalised text with the look-ups the finders need."""

    __slots__ = ("_ends", "forms", "n", "text", "tokens")

    def __init__(self, text: str, tokens: Sequence[Token] | None = None) -> None:
        self.text = text
        self.tokens: Sequence[Token] = tokenize(text) if tokens is None else tokens
        self.forms = [t.text for t in self.tokens]
        self.n = len(self.tokens)
        self._ends: list[int] | None = None

    def form(self, i: int) -> str:
        """The text of token `i`, or "" past either end."""
        return self.forms[i] if 0 <= i < self.n else ""

    def gap(self, i: int) -> str:
        """The text between token `i - 1` and token `i` (stripped of spaces)."""
        if i <= 0 or i >= self.n:
            return "" if 0 < i < self.n else "|"
        return self.text[self.tokens[i - 1].end:self.tokens[i].start].strip()

    def joined(self, i: int, allowed: str = "") -> bool:
        """Whether token `i` follows token `i - 1` with only spaces and `allowed` between them."""
        if i <= 0 or i >= self.n:
            return False
        gap = self.text[self.tokens[i - 1].end:self.tokens[i].start]
        return all(ch in SPACE or ch in allowed for ch in gap) and gap.count("\n") == 0

    def index_at(self, pos: int) -> int:
        """Index of the first token that ends after `pos` (n when none)."""
        if self._ends is None:
            self._ends = [t.end for t in self.tokens]
        return bisect_right(self._ends, pos)

    def candidates(self, triggers: frozenset[str], digits: bool = False) -> list[int]:
        """Indexes of the tokens that are in `triggers` (or, with `digits`, end in a digit)."""
        if digits:  # a token's characters are digits, Latin or Arabic letters: "9" is the
            # highest digit and lower than any letter
            return [i for i, form in enumerate(self.forms)
                    if form[-1] <= "9" or form in triggers]
        return [i for i, form in enumerate(self.forms) if form in triggers]


@dataclass(frozen=True, slots=True)
class PhraseMatch(Generic[P]):
    """A phrase of a `PhraseTable` at a token: token range, payload, where its first word starts."""

    first: int
    end: int  # exclusive token index
    payload: P
    offset: int  # characters of proclitic before the phrase in its first token
    words: tuple[str, ...]


class PhraseTable(Generic[P]):
    """Phrases (normalised words) with payloads, found longest-first at a token."""

    def __init__(self, entries: Iterable[tuple[str, P]], gap_chars: str = "-") -> None:
        by_first: dict[str, list[tuple[tuple[str, ...], P]]] = {}
        for phrase, payload in entries:
            words = words_of(phrase)
            if words:
                by_first.setdefault(words[0], []).append((words, payload))
        for options in by_first.values():
            options.sort(key=lambda o: -len(o[0]))
        self._by_first = by_first
        self.gap_chars = gap_chars
        self.first_words = frozenset(by_first)
        self.triggers = with_proclitics(by_first)

    def __contains__(self, word: object) -> bool:
        return word in self._by_first

    def match(self, view: TokenView, i: int, proclitic: bool = True) -> PhraseMatch[P] | None:
        """The longest phrase starting at token `i` (its first word may carry a proclitic)."""
        if not 0 <= i < view.n:
            return None
        form = view.forms[i]
        if proclitic:
            word, offset = strip_proclitic(form, self._by_first)
        else:
            word, offset = (form, 0) if form in self._by_first else ("", -1)
        if offset < 0:
            return None
        for words, payload in self._by_first[word]:
            end = i + len(words)
            if end > view.n:
                continue
            if all(view.forms[i + k] == words[k] and view.joined(i + k, self.gap_chars)
                   for k in range(1, len(words))):
                return PhraseMatch(i, end, payload, offset, words)
        return None
