"""Clitic-aware matching of many phrase lexicons in one pass over the tokens of a text.

A `Lexicon` holds phrases of several kinds (actor aliases, event triggers, place names, month
names, number words, attribution cues …), each normalised with `normalize_form` and split into
words.  `Lexicon.match(tokens, text)` walks the tokens once; for every token it tries the token
itself and the token without the Arabic proclitics و ف ب ل ك س (alone or stacked: وب، فل، وس …),
including the contraction ل + ال → لل («للجيش» finds «الجيش»); phrases added with
``suffixes=True`` also match with an attached pronoun (ه ها هم هما هن كم نا ي) after their last
word.  Further words of a phrase must follow in the next tokens with nothing but spaces, quotes,
brackets or a hyphen between them («تنظيم (داعش)»).

Each `LexMatch` gives the normalised span: it starts after a stripped conjunction or preposition
(«والجيش» → «الجيش»), except for the ل + ال contraction where the whole token is kept («للجيش»),
and ends at the end of the last token (an attached pronoun stays in the span).
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from rasad.text.normalize import normalize_form
from rasad.text.segment import Token, tokenize

PROCLITICS = frozenset({"و", "ف", "ب", "ل", "ك", "س", "وب", "ول", "وك", "وس", "فب", "فل", "فك",
                        "فس"})
PRONOUN_SUFFIXES = frozenset({"ه", "ها", "هم", "هما", "هن", "كم", "نا", "ي"})
_GAP_CHARS = frozenset(" \"'-()")
_MIN_STEM = 2
_SUFFIX_FINALS = frozenset(s[-1] for s in PRONOUN_SUFFIXES)
_CACHE_SIZE = 200_000


@dataclass(frozen=True, slots=True)
class LexEntry:
    """One phrase of a lexicon: its kind, normalised words and what it stands for."""

    kind: str
    phrase: str
    words: tuple[str, ...]
    payload: Any
    suffixes: bool = False


class LexMatch(NamedTuple):
    """A phrase found in a text: normalised span, token range, and the entry (a tuple: cheap)."""

    entry: LexEntry
    start: int
    end: int
    first_token: int
    last_token: int  # exclusive
    proclitic: str
    suffix: str

    @property
    def kind(self) -> str:
        return self.entry.kind

    @property
    def payload(self) -> Any:
        return self.entry.payload


def phrase_words(phrase: str) -> tuple[str, ...]:
    """The normalised words of a lexicon phrase, as the tokenizer would cut them."""
    return tuple(t.text for t in tokenize(normalize_form(phrase)))


class _Node:
    """A node of the word trie: entries ending here, and the words that may follow."""

    __slots__ = ("children", "entries", "suffixed")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.entries: list[LexEntry] = []
        self.suffixed: list[LexEntry] = []  # entries ending here that take a pronoun suffix


_Reading = tuple[int, str, "_Node | None", list[tuple["_Node", str]]]


class Lexicon:
    """A set of phrase lexicons matched together, clitic-aware, in one pass.

    Phrases are stored in a trie of words, so matching costs one walk along the following tokens
    per reading of a token, however many phrases share a first word («قوات …»).
    """

    def __init__(self) -> None:
        self._root = _Node()
        self._size = 0
        self._cache: dict[str, list[_Reading]] = {}

    def __len__(self) -> int:
        return self._size

    def add(self, kind: str, phrase: str, payload: Any = None, *, suffixes: bool = False) -> None:
        """Add `phrase` (any spelling; it is normalised here) of `kind` standing for `payload`."""
        words = phrase_words(phrase)
        if not words:
            return
        entry = LexEntry(kind, " ".join(words), words, payload, suffixes)
        node = self._root
        for word in words:
            node = node.children.setdefault(word, _Node())
        node.entries.append(entry)
        if suffixes:
            node.suffixed.append(entry)
        self._size += 1
        self._cache.clear()

    def add_many(self, kind: str, phrases: Iterable[str], payload: Any = None,
                 *, suffixes: bool = False) -> None:
        for phrase in phrases:
            self.add(kind, phrase, payload, suffixes=suffixes)

    @staticmethod
    def _stems(token: str) -> list[tuple[str, str, int]]:
        """(stem, proclitic, offset of the span start in the token) for each reading."""
        stems = [(token, "", 0)]
        for k in (1, 2):
            prefix = token[:k]
            if len(token) - k < _MIN_STEM or prefix not in PROCLITICS:
                continue
            stem = token[k:]
            stems.append((stem, prefix, k))
            if prefix[-1] == "ل" and stem[0] == "ل":
                # ل + ال → لل: the article's alef is not written («للجيش» = ل + الجيش), and
                # before a lam the article's lam merges too («للجان» = ل + اللجان).  The span
                # keeps the preposition's lam.
                stems.append(("ا" + stem, prefix, k - 1))
                stems.append(("ال" + stem, prefix, k - 1))
        return stems

    @staticmethod
    def _suffix_readings(form: str) -> list[tuple[str, str]]:
        """(word, pronoun suffix) readings of a token that may carry an attached pronoun."""
        if form[-1:] not in _SUFFIX_FINALS:
            return []
        return [(form[:-k], form[-k:]) for k in (1, 2, 3)
                if len(form) - k >= _MIN_STEM and form[-k:] in PRONOUN_SUFFIXES]

    def _readings(self, form: str) -> list[_Reading]:
        """The trie entry points of a token: per proclitic reading, the node of the stem and
        the one-word phrases the stem holds with an attached pronoun.  Cached per form."""
        cached = self._cache.get(form)
        if cached is not None:
            return cached
        root = self._root.children
        readings: list[_Reading] = []
        for stem, proclitic, offset in self._stems(form):
            node = root.get(stem)
            suffixed = [(n, suffix) for word, suffix in self._suffix_readings(stem)
                        if (n := root.get(word)) is not None and n.suffixed]
            if node is not None or suffixed:
                readings.append((offset, proclitic, node, suffixed))
        if len(self._cache) >= _CACHE_SIZE:
            self._cache.clear()
        self._cache[form] = readings
        return readings

    def match(self, tokens: Sequence[Token], text: str, kinds: frozenset[str] | None = None,
              taa_marbuta: Container[int] = ()) -> list[LexMatch]:
        """Every phrase occurrence in the tokens of normalised `text`, in text order.

        `taa_marbuta` holds the normalised positions whose original letter is «ة»: a final «ه»
        there ends a noun («سيطرة»), it is not the pronoun suffix («سيطره»).
        """
        found: list[LexMatch] = []
        n = len(tokens)
        emit = self._emit
        for i, token in enumerate(tokens):
            for offset, proclitic, node, suffixed in self._readings(token.text):
                start = token.start + offset
                for suffix_node, suffix in suffixed:
                    if suffix == "ه" and token.end - 1 in taa_marbuta:
                        continue
                    emit(found, suffix_node.suffixed, kinds, start, token.end, i, i + 1,
                         proclitic, suffix)
                if node is None:
                    continue
                emit(found, node.entries, kinds, start, token.end, i, i + 1, proclitic, "")
                j = i
                while node.children and j + 1 < n:
                    nxt = tokens[j + 1]
                    gap = text[tokens[j].end:nxt.start]
                    if gap != " " and any(ch not in _GAP_CHARS for ch in gap):
                        break
                    form = nxt.text
                    for word, suffix in self._suffix_readings(form):
                        child = node.children.get(word)
                        if child is not None and child.suffixed:
                            emit(found, child.suffixed, kinds, start, nxt.end, i, j + 2,
                                 proclitic, suffix)
                    child = node.children.get(form)
                    if child is None:
                        break
                    node = child
                    j += 1
                    emit(found, node.entries, kinds, start, nxt.end, i, j + 1, proclitic, "")
        return found

    @staticmethod
    def _emit(found: list[LexMatch], entries: Sequence[LexEntry], kinds: frozenset[str] | None,
              start: int, end: int, first: int, last: int, proclitic: str, suffix: str) -> None:
        for entry in entries:
            if kinds is None or entry.kind in kinds:
                found.append(LexMatch(entry, start, end, first, last, proclitic, suffix))


def longest_matches(matches: Iterable[LexMatch]) -> list[LexMatch]:
    """Keep, among overlapping matches, the longest (then earliest); result in text order.

    Matches are never empty (a stem has at least `_MIN_STEM` letters)."""
    ordered = sorted(matches, key=lambda m: (-(m.end - m.start), m.start, len(m.proclitic)))
    chosen: list[LexMatch] = []
    # One byte per position: 1 where a chosen match lies (matches are short, so marking and
    # testing their positions keeps this linear in the document).
    taken = bytearray(max((m.end for m in ordered), default=0))
    for m in ordered:
        if taken.find(1, m.start, m.end) < 0:
            chosen.append(m)
            taken[m.start:m.end] = b"\x01" * (m.end - m.start)
    return sorted(chosen, key=lambda m: m.start)
